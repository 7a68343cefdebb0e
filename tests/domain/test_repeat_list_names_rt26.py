"""Medicine names typed as they appear on a repeat-prescription list (rt26; code:
medications.MedicineData.name_and_note, _undecorated, read_recorded_dose).

Before rt26 "apixaban (for AF)", "apixaban - for AF", "Apixaban\u00ae 5 mg bd", "Lyrica\u2122 75mg" and
full-width letters were NOT RECOGNISED: the apixaban-with-NSAID "avoid" never fired and every
row of the table read "NOT FULLY CHECKED" (alarm fatigue). Now the medicine is read from the
name before a note that only says what it is for or who prescribed it, and the note is kept in
the name shown. A note that may mean the medicine is not taken now ("stopped", "not taking",
"allergic", "?", "or", "was") or that holds a number, a regimen or another medicine is never set
aside: the name stays unrecognised, as before, with its "did you mean" (the visible trace).

Clinical facts the tests lean on are the data's own (rules.toml): an anticoagulant with an NSAID
is "avoid" (serious bleeding risk); an SSRI with an NSAID is "caution".
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medications import load_medicine_data, read_recorded_dose

from tests.domain.test_combination_doses import _report


def _data():
    return load_medicine_data()


def _current(report, name):
    """The current medicine recorded as ``name`` (the case file keeps names in lower case)."""
    return next(m for m in report.current_medicines if m.name == name.lower())


def _from_name(name):
    """(generics, the daily mg read from the name with no dose recorded, or None)."""
    data = _data()
    generics = data.resolve(name)[0]
    reading = read_recorded_dose(name, generics, None, data) if generics else None
    mg = reading.components[0][1] if reading is not None and reading.read and len(generics) == 1 else None
    return generics, mg


# --------------------------------------------------------------------------- a note after the name
@pytest.mark.parametrize("name", [
    "apixaban (for AF)", "apixaban - for AF", "apixaban \u2013 for AF.", "Apixaban [for AF]", "apixaban (for blood clots)",
    "apixaban - by cardiology", "apixaban (from GP)", "apixaban (as per haematology)",
])
def test_a_note_after_the_name_is_recognised_and_its_interaction_fires(name):
    report = _report([(name, None), ("ibuprofen", 1200)])
    assert _current(report, name).generics == ("apixaban",)  # the name shown is as typed, with its note
    assert report.fully_checked
    ibuprofen = report.row("ibuprofen")
    assert ibuprofen.status == "avoid"
    assert any("apixaban" in r.text and "avoid NSAIDs" in r.text for r in ibuprofen.reasons)


@pytest.mark.parametrize("name, generics, mg", [
    ("sertraline 50mg od (for mood)", ("sertraline",), 50.0),  # the dose before the note is read
    ("sertraline 50mg od (from GP)", ("sertraline",), 50.0),
    ("sertraline 50mg od - for mood", ("sertraline",), 50.0),
    ("sertraline (for mood)", ("sertraline",), None),  # no regimen: no daily dose read
    ("co-codamol 30/500 (for pain)", ("codeine", "acetaminophen"), None),
    ("fentanyl 25mcg/h patch (for pain)", ("fentanyl",), None),
])
def test_the_dose_is_read_from_the_name_before_the_note(name, generics, mg):
    assert _from_name(name) == (generics, mg)


def test_a_regimen_before_a_note_is_read_as_without_the_note():
    with_note = _from_name("co-codamol 30/500 2 tabs qds (for back pain)")
    assert with_note == _from_name("co-codamol 30/500 2 tabs qds")
    data = _data()
    reading = read_recorded_dose("co-codamol 30/500 2 tabs qds (for back pain)", with_note[0], None, data)
    assert reading.read and reading.tablets == 8 and dict(reading.components)["acetaminophen"] == 4000


def test_the_ssri_note_row_keeps_its_caution_and_its_dose():
    report = _report([("sertraline 50mg od (for mood)", None)])
    assert _current(report, "sertraline 50mg od (for mood)").recognised
    assert report.row("ibuprofen").status == "caution"
    assert report.fully_checked


# --------------------------------------------------------------------------- hostile notes
@pytest.mark.parametrize("name, suggestion", [
    ("ibuprofen (stopped)", "ibuprofen"),
    ("ibuprofen - stopped last week", "ibuprofen"),
    ("ibuprofen (not taking)", "ibuprofen"),
    ("ibuprofen (allergic)", "ibuprofen"),
    ("ibuprofen (for pain - stopped)", "ibuprofen"),
    ("ibuprofen (for pain, held)", "ibuprofen"),
    ("ibuprofen (for pain?)", "ibuprofen"),
    ("ibuprofen (suspendido)", "ibuprofen"),
    ("apixaban or rivaroxaban?", "apixaban"),
    ("apixaban (or rivaroxaban)", "apixaban"),
    ("apixaban - or rivaroxaban", "apixaban"),
    ("sertraline (was 100mg)", "sertraline"),
    ("sertraline 50mg (for mood, twice daily)", "sertraline"),  # a regimen in the note
    ("apixaban (for AF with xyzzy)", "apixaban"),  # another medicine, unknown to the data, joined in
    ("apixaban (for AF + xyzzy)", "apixaban"),
    ("apixaban (for AF ibuprofn)", "apixaban"),  # a misspelt medicine in the note
    ("apixaban (for AF naproxen)", "apixaban"),
    ("apixaban (xyzzy)", "apixaban"),  # not what it is for nor who prescribed it
])
def test_a_note_that_may_change_what_is_taken_keeps_the_name_unrecognised(name, suggestion):
    report = _report([(name, None), ("ibuprofen", 1200)])
    medicine = _current(report, name)
    assert not medicine.recognised and medicine.suggestion == suggestion
    assert name.lower() in report.unrecognised_medicines and not report.fully_checked  # the visible trace
    assert report.row("acetaminophen").status == "not_fully_checked"


def test_a_number_in_a_note_never_becomes_the_dose():
    data = _data()
    assert data.name_and_note("sertraline (was 100mg)") == ("sertraline (was 100mg)", "")
    assert data.name_and_note("sertraline 50mg od (100mg nocte)") == ("sertraline 50mg od (100mg nocte)", "")
    # read as before rt26 (the brackets are punctuation there): recognised, but its two numbers
    # and two frequencies are a dose to check, never 100 mg or 50 mg
    generics = data.resolve("sertraline 50mg od (100mg nocte)")[0]
    reading = read_recorded_dose("sertraline 50mg od (100mg nocte)", generics, None, data)
    assert generics == ("sertraline",) and not reading.read and reading.problem
    # the recognised part, read on its own, gives only its own dose
    assert data.name_and_note("sertraline 50mg od (for mood)") == ("sertraline 50mg od", "for mood")


def test_a_name_without_a_note_is_read_as_before():
    data = _data()
    for name in ("co-codamol", "co-codamol 30-500", "apixaban 5mg bd", "tylenol #3", "buprenorphine 35 micrograms/hour "
                 "(transtec)"):
        assert data.name_and_note(name) == (name, "")


# --------------------------------------------------------------------------- pasted decorations
@pytest.mark.parametrize("name, generics, mg", [
    ("Apixaban\u00ae 5 mg bd", ("apixaban",), 10.0),
    ("Lyrica\u2122 75mg", ("pregabalin",), None),  # a strength alone is no daily dose
    ("Lyrica\u2122 75mg bd", ("pregabalin",), 150.0),
    ("Eliquis\u00ae", ("apixaban",), None),
    ("\uff41\uff50\uff49\uff58\uff41\uff42\uff41\uff4e\u3000\uff15\uff4d\uff47\u3000\uff42\uff44", ("apixaban",), 10.0),  # full-width, ideographic space
    ("apixaban\u00a05\u00a0mg\u00a0bd", ("apixaban",), 10.0),  # no-break spaces
    ("apixaban 5mg bd.", ("apixaban",), 10.0),  # a trailing full stop
    ("Apixaban\u00ae 5 mg bd (for AF).", ("apixaban",), 10.0),
])
def test_pasted_marks_and_wide_forms_are_read_as_the_plain_name(name, generics, mg):
    assert _from_name(name) == (generics, mg)


def test_a_pasted_mark_keeps_the_interaction():
    report = _report([("Apixaban\u00ae 5 mg bd", None)])
    assert report.fully_checked and report.row("ibuprofen").status == "avoid"


def test_wide_forms_of_another_script_are_not_turned_into_a_medicine():
    # only the full-width ASCII forms are read as ASCII: a Cyrillic look-alike stays as typed
    assert not _data().resolve("\u0430pixaban")[0]


# --------------------------------------------------------------------------- frequencies and strengths
def _reading_of(name):
    data = _data()
    generics = data.resolve(name)[0]
    return generics, read_recorded_dose(name, generics, None, data)


@pytest.mark.parametrize("name, generic, mg", [
    ("ibuprofen 400mg 2x/day", "ibuprofen", 800.0),
    ("ibuprofen 400mg 3/day", "ibuprofen", 1200.0),
    ("ibuprofen 400mg x3/day", "ibuprofen", 1200.0),
    ("ibuprofen 400mg 3 times a day", "ibuprofen", 1200.0),  # before rt26: recognised, no dose and no question
    ("ibuprofen 400mg 3 times daily", "ibuprofen", 1200.0),
    ("ibuprofen 400mg 3 times per day", "ibuprofen", 1200.0),
    ("ibuprofen 400mg 2x per day", "ibuprofen", 800.0),
    ("ibuprofen 400mg x3 daily", "ibuprofen", 1200.0),  # as before: a count and "daily"
    ("ibuprofen 400mg 2x daily", "ibuprofen", 800.0),
    ("ibuprofen 600mg 4/day", "ibuprofen", 2400.0),  # the uk maximum exactly
    ("baclofen 2x10mg tds", "baclofen", 60.0),  # two tablets of 10 mg a dose
    ("baclofen 2 x 10mg tds", "baclofen", 60.0),
    ("co-codamol 2x30/500 qds", "codeine", 240.0),
    ("apixaban 2,5 mg bd", "apixaban", 5.0),  # a decimal comma before a unit
    ("baclofen 12,5mg bd", "baclofen", 25.0),
    ("apixaban 2.5 mg bd", "apixaban", 5.0),  # before rt26 "the 2.5 has no unit": a space before mg is a unit
    ("paracetamol 1,000 mg qds", "acetaminophen", 4000.0),  # a thousands comma: one thousand
    ("paracetamol 1,500 mg bd", "acetaminophen", 3000.0),
    ("paracetamol 1,5 g bd", "acetaminophen", 3000.0),
])
def test_a_frequency_or_strength_as_a_repeat_list_writes_it_is_read(name, generic, mg):
    generics, reading = _reading_of(name)
    assert generic in generics and reading is not None and reading.read
    assert dict(reading.components)[generic] == mg


@pytest.mark.parametrize("name, generic, problem", [
    ("morphine 10mg q4-6h", "morphine", '"q4-6h" is a range of times'),  # as "every 4 to 6 hours"
    ("morphine 10mg every 4 to 6 hours", "morphine", '"every 4 to 6 hours" is a range of times'),
    ("ibuprofen 1200/day", "ibuprofen", '"1200/day" is not a number of times a day'),
    ("ibuprofen 400mg 13/day", "ibuprofen", '"13/day" is not a number of times a day'),
    ("ibuprofen 400mg 1.5/day", "ibuprofen", '"1.5/day" is not a number of times a day'),
    ("paracetamol 1,5000 mg bd", "acetaminophen", "more than one number"),  # neither a decimal nor a thousands comma
    ("gabapentin 300,600 mg tds", "gabapentin", "more than one number"),  # a list, never 300.6 or 300600
    ("gabapentin 30,600 mg tds", "gabapentin", "more than one number"),
    ("baclofen 2x10mg 3 tabs tds", "baclofen", "numbers of tablets"),  # two counts: never one of them
    ("paracetamol qds 2", "acetaminophen", "has no unit"),  # as before
])
def test_a_frequency_or_strength_that_is_not_unambiguous_is_a_dose_to_check(name, generic, problem):
    generics, reading = _reading_of(name)
    assert generic in generics and reading is not None and not reading.read
    assert problem in reading.problem


def test_a_range_of_intervals_is_a_dose_to_check_in_the_report():
    report = _report([("morphine 10mg q4-6h", None)])
    assert _current(report, "morphine 10mg q4-6h").generics == ("morphine",)
    assert any("q4-6h" in n.text and "range of times" in n.text for n in report.current_notes if n.rule == "check-dose")
    assert report.current_daily_mme is None  # the MME is not read from a range (q4h alone: 60)
    assert _report([("morphine 10mg q4h", None)]).current_daily_mme == 60
    assert report.row("gabapentin").status == "avoid"  # opioid with a gabapentinoid still fires


@pytest.mark.parametrize("name, row, mg", [
    ("ibuprofen 400mg 3/day", "ibuprofen", 1200.0), ("ibuprofen 400mg 3 times a day", "ibuprofen", 1200.0),
    ("paracetamol 1,000 mg qds", "acetaminophen", 4000.0),  # at the label maximum: not above it
])
def test_the_read_dose_reaches_the_report(name, row, mg):
    report = _report([(name, None)])
    assert _current(report, name).recognised
    assert report.row(row).current_daily_dose_mg == mg and not report.row(row).over_max
    checks = [n.text for n in report.current_notes if n.rule == "check-dose"]
    assert not any(name.lower() in text for text in checks)


def test_a_thousands_comma_above_the_maximum_is_over_it():
    report = _report([("paracetamol 1,500 mg qds", None)])  # 6000 mg a day: above the 4000 mg label maximum
    assert report.row("acetaminophen").current_daily_dose_mg == 6000 and report.row("acetaminophen").over_max


# --------------------------------------------------------------------------- a route after the dose
@pytest.mark.parametrize("name, generics, mg", [
    ("enoxaparin 40mg sc", ("enoxaparin",), None),
    ("enoxaparin 40mg sc od", ("enoxaparin",), 40.0),  # no maximum or MME to compare with: the dose is read
    ("enoxaparin 40mg s/c od", ("enoxaparin",), 40.0),
    ("enoxaparin 40 mg SC once daily", ("enoxaparin",), 40.0),
    ("morphine 10mg po", ("morphine",), None),  # by mouth, as before
    ("morphine 10mg po qds", ("morphine",), 40.0),
    ("morphine 10mg im", ("morphine",), None),
    ("morphine 10mg iv", ("morphine",), None),
    ("ketorolac 30mg im", ("ketorolac",), None),
    ("methylprednisolone 80mg injection", ("methylprednisolone",), None),
    ("ibuprofen 400mg tabs tds", ("ibuprofen",), 1200.0),
    ("ibuprofen 200mg caps", ("ibuprofen",), None),
])
def test_a_route_or_form_after_the_dose_is_recognised(name, generics, mg):
    assert _from_name(name) == (generics, mg)


@pytest.mark.parametrize("name, generic, route", [
    ("morphine 10mg im qds", "morphine", "im"),  # an opioid: its MME factor is for morphine by mouth
    ("morphine 10mg sc qds", "morphine", "sc"),
    ("morphine 10mg s/c 4 hourly", "morphine", "s/c"),
    ("ibuprofen 400mg iv tds", "ibuprofen", "iv"),  # a row with a label maximum by mouth
    ("dexamethasone 8mg iv od", "dexamethasone", "iv"),  # its own daily limit
])
def test_a_dose_by_injection_is_never_read_into_a_dose_by_mouth(name, generic, route):
    generics, reading = _reading_of(name)
    assert generics == (generic,) and not reading.read
    assert f'given by injection ("{route}")' in reading.problem


def test_an_injected_opioid_keeps_its_interactions_and_asks_for_its_dose():
    report = _report([("morphine 10mg im qds", None)])
    assert _current(report, "morphine 10mg im qds").generics == ("morphine",) and report.fully_checked
    assert report.current_daily_mme is None  # never 40 MME from a dose by injection
    assert report.row("gabapentin").status == "avoid"
    assert any("given by injection" in n.text for n in report.current_notes if n.rule == "check-dose")


def test_a_route_with_no_dose_before_it_is_not_taken_out():
    # "tylenol iv" may be Tylenol No. 4: only a route right after a strength with its unit is set aside
    assert not _data().resolve("tylenol iv")[0]
    # route27: "enoxaparin sc" (a route right after the name, no dose) is enoxaparin
    # (tests/domain/test_route_and_hours_rt27.py); "iv" there is still never set aside
    assert not _data().resolve("enoxaparin iv")[0]


def test_a_route_never_hides_a_second_medicine():
    assert _data().resolve("enoxaparin 40mg sc + ibuprofen")[0] == ("enoxaparin", "ibuprofen")


# --------------------------------------------------------------------------- stored worklist marks
def test_the_worklist_mark_of_a_name_with_a_note_is_the_avoid_and_stored_marks_are_rederived():
    """The worklist column, its Medicine alerts filter and the CSV read stored marks; a case stored
    before rt26 with "apixaban (for AF)" and ibuprofen has no mark, so every stored mark is
    derived again once (DOSE_ALERTS_VERSION 11)."""
    from radiculopathy_desktop.domain.worklist_marks import _marks_of
    from radiculopathy_desktop.storage.store import DOSE_ALERTS_VERSION

    marks = _marks_of(_report([("apixaban (for AF)", None), ("ibuprofen", 1200)]))
    assert any(m.label == "Avoid" and "apixaban (for af)" in m.medicines for m in marks)
    # a stopped NSAID is never read as current: no NSAID-with-anticoagulant mark, and the report
    # names it not recognised (as before rt26); unrec34 (H-MED-701): a name not recognised that is close to a
    # known one is the Medicine alerts list's "Not recognised" mark, so the clinician checks the current list
    from radiculopathy_desktop.domain.vocab import NOT_RECOGNISED_LABEL

    stopped = _report([("ibuprofen (stopped)", None), ("apixaban", None)])
    assert stopped.unrecognised_medicines == ("ibuprofen (stopped)",)
    assert [(m.label, m.medicines) for m in _marks_of(stopped)] == [(NOT_RECOGNISED_LABEL, ("ibuprofen (stopped)",))]
    assert DOSE_ALERTS_VERSION >= 11
