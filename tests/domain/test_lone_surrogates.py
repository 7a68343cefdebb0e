"""A lone surrogate (U+D800-U+DFFF alone: half of a UTF-16 pair, not a character; RFC 8259
section 8.2 lets JSON write "\\ud800" but no UTF-8 text can hold it) in new input is refused
at parse, naming the field, wherever it is (red-team rt10 F7): the import used to crash
while writing it. A proper pair (an emoji written "\\ud83d\\ude00") is one character and is
accepted."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop.domain.intake import ValidationError, parse_case, parse_decision, parse_visit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import case_dict  # noqa: E402

TODAY = dt.date(2026, 11, 29)


def _errors(data, **kw) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        parse_case(data, **kw)
    return {e.field: e.message for e in caught.value.errors}


@pytest.mark.parametrize("surrogate", ["\ud800", "\udbff", "\udc00", "\udfff"])  # both ends of both halves
def test_a_lone_surrogate_in_a_name_is_refused_naming_the_field_and_position(surrogate):
    data = case_dict("S-1")
    data["patient"]["name"] = "Al" + surrogate + "ex"
    errors = _errors(data, today=TODAY)
    assert errors["patient.name"].startswith(f"patient.name holds U+{ord(surrogate):04X} (character 3), half of a "
                                             "UTF-16 surrogate pair and not a character")


@pytest.mark.parametrize("path", ["case_id", "patient.id", "clinician", "visits[0].notes", "decisions[0].by"])
def test_every_text_field_is_checked(path):
    data = case_dict("S-1", visits=[{"date": "2026-11-20", "leg_nrs": 5, "notes": "ok"}],
                     decisions=[{"date": "2026-11-21", "kind": "referred_for_surgical_opinion", "by": "Dr A"}])
    data["clinician"] = "Dr B"
    head, _, rest = path.partition(".")
    if "[" in head:
        target = data[head.split("[")[0]][0]
        target[rest] = target[rest] + "\udc80"
    elif rest:
        data[head][rest] += "\udc80"
    else:
        data[head] += "\udc80"
    decoded = json.loads(json.dumps(data))  # as read from a file: the escape becomes the lone surrogate
    assert path in _errors(decoded, today=TODAY)
    assert path in _errors(decoded, new_input=True)  # the intake window's check too


def test_a_key_holding_a_lone_surrogate_is_named_printably():
    data = case_dict("S-1")
    data["red_flags"]["fever\ud800"] = "no"
    errors = _errors(data, today=TODAY)
    field = "red_flags.fever\\ud800"
    assert field in errors and errors[field].startswith(field + " holds U+D800")
    for message in errors.values():
        message.encode("utf-8")  # every message can be printed


def test_a_surrogate_pair_is_one_character_and_accepted():
    data = json.loads(json.dumps(case_dict("S-1", name="Alex \U0001F600")))  # written "\ud83d\ude00"
    assert parse_case(data, today=TODAY).patient.name == "Alex \U0001F600"


def test_a_new_visit_and_decision_refuse_it_too():
    case = parse_case(case_dict("S-1"), today=TODAY)
    with pytest.raises(ValidationError, match=r"notes holds U\+D800"):
        parse_visit({"date": "2026-11-20", "leg_nrs": 5, "notes": "x\ud800"}, case, today=TODAY)
    with pytest.raises(ValidationError, match=r"by holds U\+DFFF"):
        parse_decision({"date": "2026-11-21", "kind": "referred_for_surgical_opinion", "by": "Dr\udfff"}, case,
                       today=TODAY)
