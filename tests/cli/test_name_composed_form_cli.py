"""The same name typed decomposed (NFD: ``e`` + U+0301, as a Mac or some exports write it) is
the same name (red-team rt11 F14): a new case for the patient and a re-import of the case
with the NFD spelling are accepted, as a name differing in capitals or spaces already was.
A name that still differs but prints alike (a Cyrillic ``е`` for the Latin ``e``) is refused
as before, and the message now names the first differing code point, so the user can see
what differs."""

from __future__ import annotations

import json
import unicodedata

import pytest

from tracker_support import case_dict, file_state

NFC = "Jos\u00e9 Pe\u00f1a"
NFD = "Jose\u0301 Pen\u0303a"


def _write(tmp_path, name, cases):
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_a_decomposed_name_is_the_same_name_for_a_new_case_and_a_reimport(tmp_path, run_cli):
    assert NFD != NFC and unicodedata.normalize("NFC", NFD) == NFC
    first = case_dict("EX-N1", name=NFC, patient_id="P-NAME")
    code, out, err = run_cli("import", _write(tmp_path, "first", [first]))
    assert code == 0, err
    second = case_dict("EX-N2", name=NFD, patient_id="P-NAME")
    second["onset_date"] = "2026-04-01"  # another episode of the same patient
    # EX-N1 is open: a second episode beside it only deliberately (gp14 G10)
    code, out, err = run_cli("import", "--new-episode", _write(tmp_path, "second", [second]))
    assert code == 0, err
    again = case_dict("EX-N1", name=NFD, patient_id="P-NAME")
    code, out, err = run_cli("import", _write(tmp_path, "again", [again]))
    assert code == 0, err
    assert "different name" not in err and "where the tracker holds" not in err


def test_a_look_alike_name_is_refused_naming_the_differing_code_point(tmp_path, run_cli, db_path):
    first = case_dict("EX-N1", name=NFC, patient_id="P-NAME")
    assert run_cli("import", _write(tmp_path, "first", [first]))[0] == 0
    before = file_state(db_path)
    cyrillic = "Jos\u00e9 P\u0435\u00f1a"  # U+0435 CYRILLIC SMALL LETTER IE for the e of Peña
    other = case_dict("EX-N3", name=cyrillic, patient_id="P-NAME")
    other["onset_date"] = "2026-04-01"
    code, out, err = run_cli("import", _write(tmp_path, "other", [other]))
    assert code == 2, (out, err)
    assert "patient ID P-NAME already belongs to" in err
    assert ("first difference at character 7, capitals aside: stored U+0065 LATIN SMALL LETTER E, "
            "new U+0435 CYRILLIC SMALL LETTER IE") in err
    again = case_dict("EX-N1", name=cyrillic, patient_id="P-NAME")
    code, out, err = run_cli("import", _write(tmp_path, "again", [again]))
    assert code == 2, (out, err)
    assert "where the tracker holds" in err and "new U+0435 CYRILLIC SMALL LETTER IE" in err
    assert file_state(db_path) == before
    # plain ASCII names differ visibly: no code points added
    plain = case_dict("EX-N4", name="Joe Bloggs", patient_id="P-NAME")
    plain["onset_date"] = "2026-04-02"
    code, out, err = run_cli("import", _write(tmp_path, "plain", [plain]))
    assert code == 2 and "first difference" not in err


@pytest.mark.parametrize("args, named", [
    (("settings", "set", "clinic_name", "Clinic\u17b4X"), "U+17B4 KHMER VOWEL INHERENT AQ (character 7)"),
    (("settings", "set", "clinic_name", "\u0301Clinic"), "starts with U+0301 COMBINING ACUTE ACCENT"),
    (("visit", "EX-V", "--date", "2026-05-20", "--leg-nrs", "5", "--clinician", "Dr\u17b4X"),
     "U+17B4 KHMER VOWEL INHERENT AQ"),
    (("decide", "EX-V", "--kind", "continue_conservative_care", "--date", "2026-05-20", "--until", "2026-06-20",
      "--by", "Dr\U000e0080Y"), "U+E0080"),
])
def test_other_typed_texts_refuse_the_rt11_characters_and_a_leading_mark(tmp_path, run_cli, db_path, args, named):
    """rt11 F9: `visit --clinician`, `decide --by` and `settings set clinic_name` took U+17B4,
    the tag block and a leading lone accent (printed on every handout)."""
    assert run_cli("import", _write(tmp_path, "v", [case_dict("EX-V", name="Vi Visit")]))[0] == 0
    before = file_state(db_path)
    code, out, err = run_cli(*args)
    assert code == 2 and named in err, (code, out, err)
    assert file_state(db_path) == before
