"""New names, identifiers and notes refuse control characters and direction controls
(red-team rt8 F8), naming the field and the character; a stored case holding them stays
readable. Written from the Unicode character classes (C0 U+0000-U+001F, DEL U+007F, C1
U+0080-U+009F; bidi embeddings/overrides U+202A-U+202E, isolates U+2066-U+2069, marks
U+200E/U+200F/U+061C) and FHIR R4 ``string`` (no character below U+0020 but tab, CR, LF)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop.domain.characters import character_name, shown_escaped
from radiculopathy_desktop.domain.intake import ValidationError, parse_case, parse_decision, parse_visit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import case_dict  # noqa: E402

TODAY = dt.date(2026, 11, 29)


def _with_name(name: str) -> dict:
    data = case_dict("HC-1")
    data["patient"]["name"] = name
    return data


def _refused(data: dict) -> list:
    with pytest.raises(ValidationError) as caught:
        parse_case(data, today=TODAY)
    return caught.value.errors


@pytest.mark.parametrize("ch, name", [
    ("\x00", "U+0000 NULL"), ("\x07", "U+0007 BELL"), ("\x1b", "U+001B ESCAPE"),
    ("\x1f", "U+001F INFORMATION SEPARATOR ONE"),      # the last C0 control
    ("\t", "U+0009 CHARACTER TABULATION (tab)"), ("\n", "U+000A LINE FEED (new line)"),
    ("\r", "U+000D CARRIAGE RETURN"),                  # a name is one line
    ("\x7f", "U+007F DELETE"), ("\x80", "U+0080"), ("\x9f", "U+009F"),  # C1 both ends
    ("\u202a", "U+202A LEFT-TO-RIGHT EMBEDDING"), ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"), ("\u2069", "U+2069 POP DIRECTIONAL ISOLATE"),
    ("\u200e", "U+200E LEFT-TO-RIGHT MARK"), ("\u200f", "U+200F RIGHT-TO-LEFT MARK"),
    ("\u061c", "U+061C ARABIC LETTER MARK"), ("\u2028", "U+2028 LINE SEPARATOR"),
])
def test_a_new_patient_name_refuses_each_hidden_character_naming_it(ch, name):
    (error,) = _refused(_with_name(f"Sam{ch}Lee"))
    assert error.field == "patient.name"
    assert error.message.startswith(f"patient.name holds {name}")
    assert "(character 4)" in error.message and "remove them" in error.message


@pytest.mark.parametrize("name", [
    "Sam Lee",                       # U+0020 space: the first character allowed
    "Sam~Lee",                       # U+007E: the last before DEL
    "Zo\u00eb \u00a0Brontë",         # U+00A0 no-break space: the first after C1
    "\u0645\u062d\u0645\u062f \u05d3\u05d5\u05d3",  # Arabic and Hebrew letters
    "O'Brien-Smith (Jr.) #2",
])
def test_ordinary_names_including_arabic_and_hebrew_letters_are_accepted(name):
    assert parse_case(_with_name(name), today=TODAY).patient.name == name


def test_identifiers_and_clinician_are_checked_and_every_problem_is_named():
    data = case_dict("HC-2")
    data["case_id"] = "HC\u202e2"
    data["patient"]["id"] = "P\x00"
    data["clinician"] = "Dr\x1b[31m Red"
    fields = {e.field: e.message for e in _refused(data)}
    assert set(fields) == {"case_id", "patient.id", "clinician"}
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in fields["case_id"]
    assert "U+0000 NULL" in fields["patient.id"] and "U+001B ESCAPE" in fields["clinician"]


def test_notes_keep_line_breaks_and_tabs_but_refuse_other_controls():
    data = case_dict("HC-3")
    data["notes"] = "Line one\r\n\tLine two\nالعربية \u200f mark"
    assert parse_case(data, today=TODAY).intake.notes.startswith("Line one\r\n\tLine two")
    data["notes"] = "Line one\nbell\x07 and \u202eoverride"
    (error,) = _refused(data)
    assert error.field == "notes"
    assert "U+0007 BELL; U+202E RIGHT-TO-LEFT OVERRIDE" in error.message and "line breaks and tabs" in error.message


def test_a_stored_case_holding_them_stays_readable():
    data = _with_name("\u202eevil\u202c Sam")
    assert parse_case(data).patient.name == "\u202eevil\u202c Sam"  # no today: a stored record
    with pytest.raises(ValidationError):
        parse_case(data, new_input=True)  # the intake window: new input


def test_a_new_visit_or_decision_is_checked_even_when_the_stored_case_is_not_clean():
    stored = parse_case(_with_name("Ann\x07"))
    visit = parse_visit({"date": "2026-11-20", "leg_nrs": 4, "clinician": "Dr Lee", "notes": "a\nb"},
                        stored, today=TODAY)
    assert visit.clinician == "Dr Lee"
    with pytest.raises(ValidationError) as caught:
        parse_visit({"date": "2026-11-20", "leg_nrs": 4, "clinician": "Dr\u202e Lee"}, stored, today=TODAY)
    assert [e.field for e in caught.value.errors] == ["visit.clinician"]
    with pytest.raises(ValidationError) as caught:
        parse_decision({"date": "2026-11-20", "kind": "referred_for_surgical_opinion", "by": "Dr\tLee",
                        "note": "ok\x1b[2J"}, stored, today=TODAY)
    assert sorted(e.field for e in caught.value.errors) == ["decision.by", "decision.note"]


def test_stored_text_is_shown_with_visible_escapes():
    assert shown_escaped("\u202eevil\u202c Sam") == "\\u202eevil\\u202c Sam"
    assert shown_escaped("Ann\x07\x1b[31m Red\x00X") == "Ann\\u0007\\u001b[31m Red\\u0000X"
    assert shown_escaped("a\tb\nc") == "a\\u0009b\\u000ac"           # a name: one line
    assert shown_escaped("a\tb\r\nc\x07", note=True) == "a\tb\r\nc\\u0007"  # a note keeps its lines
    assert character_name("\x85") == "U+0085 C1 CONTROL CHARACTER"
