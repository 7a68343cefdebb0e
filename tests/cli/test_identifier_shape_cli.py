"""New identifiers refuse a backslash, two spaces, a tatweel, a mark on no letter and
look-alike scripts at the command line, on both engines (red-team rt12 F5); ids stored by
an older tracker still open by their shown form and ``check --full`` lists them; the FHIR
Bundle and the printed sheets carry the stored text (rt12 F12).

The rt12 F5 pair (``EX\\1`` and ``EX\\\\1``) can no longer be made by new input, so it is
stored here as an older tracker stored it (``CaseStore.import_cases``: no new-input check)."""

from __future__ import annotations

import json

import pytest

from radiculopathy_desktop.domain.characters import unprinted
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage.store import CaseStore

from helpers.cli_run import cli_runner
from helpers.pdf_text import pdf_words
from tracker_support import ANCHOR, case_dict

ONE, TWO = "EX\\1", "EX\\\\1"  # one backslash; two backslashes (rt12 F5)


def _file(tmp_path, name: str, cases: list[dict]) -> str:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(cases), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("field, typed, said", [
    ("case_id", ONE, "case_id holds a backslash (\\) (character 3)"),
    ("patient.id", "P\\1", "patient.id holds a backslash (\\) (character 2)"),
    ("case_id", "EX  1", "case_id holds two spaces in a row (character 4)"),
    ("patient.id", "P-\u0633\u0640\u0639", "patient.id holds U+0640 ARABIC TATWEEL (character 4)"),
    ("case_id", "EX-1\u0336", "case_id holds U+0336 COMBINING LONG STROKE OVERLAY on no letter (character 5)"),
    ("case_id", "\u0415X-1", "case_id holds letters of Cyrillic and Latin mixed in one id"),
    ("case_id", "EX\u02d7ROUTINE\u02d7L5", "case_id holds U+02D7 MODIFIER LETTER MINUS SIGN, which looks like a keyboard sign"),
    ("patient.id", "DEMO\u02d71001", "patient.id holds U+02D7 MODIFIER LETTER MINUS SIGN, which looks like a keyboard sign"),
])
def test_the_import_refuses_the_new_id_and_imports_nothing(target, capsys, tmp_path, field, typed, said):
    run = cli_runner(capsys, *target)
    bad = case_dict("EX-BAD", name="Bad Id")
    if field == "case_id":
        bad["case_id"] = typed
    else:
        bad["patient"]["id"] = typed
    code, out, err = run("import", _file(tmp_path, "cases", [case_dict("EX-GOOD", name="Good Id"), bad]))
    assert code == 2 and out == ""
    assert "nothing was imported" in err and said in err
    assert run("case", "EX-GOOD")[0] != 0  # all or nothing: the good case was not imported either
    ok = case_dict("EX-1", name="Ana\\Lopez", patient_id="P 1")  # boundaries: one space, a name's backslash
    code, out, err = run("import", _file(tmp_path, "ok", [ok]))
    assert code == 0, err


@pytest.fixture
def old_pair(data_dir, monkeypatch):
    """The rt12 F5 pair and a backslash name, stored by an older tracker."""
    from radiculopathy_desktop.commands import tracker

    monkeypatch.setattr(tracker, "today", lambda: ANCHOR)
    store = CaseStore.open(data_dir)
    try:
        store.import_cases([parse_case(case_dict(ONE, name="One Backslash", patient_id="P-ONE")),
                            parse_case(case_dict(TWO, name="Ana\\Lopez", patient_id="P-TWO"))], user="test")
    finally:
        store.close()
    return data_dir


@pytest.fixture
def run(old_pair, capsys):
    return cli_runner(capsys, "--data-dir", str(old_pair))


def test_stored_backslash_ids_open_by_their_shown_form_and_check_full_lists_them(run):
    code, out, err = run("case", "EX\\\\1")  # ONE as the worklist shows it
    assert code == 0 and "P-ONE" in out.splitlines()[0]
    code, out, err = run("case", "EX\\\\\\\\1")  # TWO as shown
    assert code == 0 and "P-TWO" in out.splitlines()[0]
    code, out, err = run("check", "--full")
    text = out + err
    assert code == 0, text
    assert ("case EX\\\\1: case_id holds a backslash (\\) (character 3): a new ID may not hold it" in text)
    assert "case EX\\\\\\\\1: case_id holds a backslash (\\) (character 3)" in text
    assert "This case still opens by its ID as shown here" in text
    assert "patient.name" not in text  # a name keeps its backslash: nothing to correct


def test_the_fhir_bundle_carries_the_stored_ids_and_name_read_back_exactly(run, tmp_path):
    values = {}
    for case_id, shown in ((ONE, "EX\\\\1"), (TWO, "EX\\\\\\\\1")):
        out_file = tmp_path / f"{len(values)}.json"
        code, _, err = run("export", "summary", shown, "--as-of", ANCHOR.isoformat(), "--format", "fhir",
                               "--out", str(out_file))
        assert code == 0, err
        bundle = json.loads(out_file.read_text(encoding="utf-8"))
        values[case_id] = bundle
        assert unprinted(bundle["identifier"]["value"]) == case_id
    assert values[ONE]["identifier"]["value"] == ONE  # exactly the stored id, not its shown form
    assert values[TWO]["identifier"]["value"] != ONE  # the two cases never share an identifier
    patient = next(e["resource"] for e in values[TWO]["entry"] if e["resource"]["resourceType"] == "Patient")
    assert patient["name"][0]["text"] == "Ana\\Lopez"  # one backslash, as stored (JSON "Ana\\\\Lopez")
    assert patient["identifier"][0]["value"] == "P-TWO"
    assert '"Ana\\\\Lopez"' in (tmp_path / "1.json").read_text(encoding="utf-8")


def test_the_handout_and_summary_print_the_name_as_stored(run, tmp_path):
    out_pdf = tmp_path / "h.pdf"
    code, _, err = run("handout", "EX\\\\\\\\1", "--sheets", "about_sciatica", "--as-of", ANCHOR.isoformat(),
                       "--out", str(out_pdf))
    assert code == 0, err
    words = pdf_words(out_pdf)
    assert "For: Ana\\Lopez" in words and "Ana\\\\Lopez" not in words
    summary = tmp_path / "s.pdf"
    code, _, err = run("export", "summary", "EX\\\\\\\\1", "--format", "pdf", "--as-of", ANCHOR.isoformat(),
                       "--out", str(summary))
    assert code == 0, err
    words = pdf_words(summary)
    assert "Ana\\Lopez" in words and "Ana\\\\Lopez" not in words
    # the stored id EX\\1 (two backslashes): the one before another is doubled, the last kept: 3
    assert "Case EX\\\\\\1 " in words and "EX\\\\\\\\1" not in words
