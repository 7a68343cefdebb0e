"""The medicines step's lines are the medicine check's own (intakemed; H-UI-467..470).

``medicine_step.medicine_step_feedback`` is what the intake's medicines step shows as a medicine is
typed. Its verdicts must be every line the Review step shows for the same intake (the banner's
``medicine_alerts`` in its words, the table's "Check the dose" notes, "Not recognised"), never a
partial reading of its own: "fentanyl 25mcg/24h" had "Check the dose" on the Review step and none
on the step.

Sources (resources/medicines/sources.toml): Duragesic (fentanyl transdermal system) US prescribing
information, strengths are delivery rates in micrograms per hour, each system worn 72 hours
("25mcg/24h" is none of them); prescription-abbreviations (BNF: "p.r.n. when required"): an
as-needed regimen with no most a day gives no daily total, so the label maximum (Motrin: do not
exceed 3200 mg a day) cannot be checked and the clinician is asked; acetaminophen-325-otc (the
smallest adult tablet, 325 mg): 4 mg a day is below a tenth of it, asked about as grams typed in
the mg field (4 g = 4000 mg, the label maximum); the intake's own range for a daily dose (0 to
100000 mg, domain/intake.py) and its floor (0.01 mg).
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medicine_alerts import labelled
from radiculopathy_desktop.domain.medicine_step import (NOT_A_NUMBER, medicine_step_feedback, not_recognised_words,
                                                        typed_daily_dose)
from tests.helpers.example_case import l5_case_dict

TODAY = dt.date(2026, 11, 25)


def _rows(medicines):
    return [(name, dose) for name, dose in medicines]


def _case(medicines, **patient):
    recorded = []
    for name, dose in medicines:
        item = {"name": name}
        if dose:
            item["daily_dose_mg"] = float(dose)
        recorded.append(item)
    return l5_case_dict(recorded, **patient)


def _review(medicines, profile="us", **patient) -> list[str]:
    """The lines the Review step's banner shows for the intake (ReviewPage.show_case: assess_case on
    the intake's visit date, its medicine_alerts and unrecognised_detail)."""
    case = parse_case(_case(medicines, **patient), new_input=True)
    shown = assess_case(case, case.intake.visit_date, profile=profile).to_dict()
    lines = [f"{a['status_label']}: {labelled(a['status_label'], a['text'])}" for a in shown["medicine_alerts"]]
    unknown = shown["medications"]["unrecognised_detail"]
    return lines + ([f"Not recognised: {not_recognised_words(unknown)}"] if unknown else [])


def _step(medicines, profile="us", **patient):
    data = l5_case_dict([], **patient)  # the rest of the intake; the table's rows as typed replace its medicines
    return medicine_step_feedback(data, _rows(medicines), profile, TODAY)


def _lines(feedback) -> list[str]:
    return [line.shown for line in (*feedback.verdicts, *feedback.unrecognised)]


def test_fentanyl_25mcg_24h_is_check_the_dose_on_the_step():
    fb = _step([("fentanyl 25mcg/24h", "")])
    (line,) = _lines(fb)
    assert line.startswith("Check the dose: ")
    assert '"25mcg/24h" is micrograms per 24 hours, not a patch\'s rate in micrograms an hour' in line
    assert "changed every 72 hours (its label)" in line
    assert _lines(fb) == _review([("fentanyl 25mcg/24h", "")])
    # the rate as the label writes it: no question (its MME is counted: the opioid total line instead)
    assert not any(x.startswith("Check the dose") for x in _lines(_step([("fentanyl 25 mcg/h patch", "")])))


@pytest.mark.parametrize("name", ["ibuprofen 400 mg prn", "ibuprofen prn", "ibuprofen 400mg as needed",
                                  "ibuprofeno 400 mg si dolor", "tramadol 50mg prn", "co-codamol 30/500 2 tabs prn"])
def test_as_needed_with_no_most_a_day_asks_how_many_a_day_at_most(name):
    fb = _step([(name, "")])
    (line,) = _lines(fb)
    assert line.startswith(f"Check the dose: {name}: no daily dose recorded, and the regimen in the name")
    assert "it is taken as needed (" in line and "the name does not say how many a day at most, so how much is " \
           "taken a day is not known; type the most taken in a day in the dose field" in line
    assert _lines(fb) == _review([(name, "")])


def test_as_needed_with_the_daily_dose_typed_is_checked_against_the_maximum():
    # 3 x 400 mg a day at most, typed: within the label's 3200 mg, nothing to ask
    assert _lines(_step([("ibuprofen 400 mg prn", "1200")])) == [] == _review([("ibuprofen 400 mg prn", "1200")])
    # at the slip bound and over: asked as the same dose without "prn" is (3 times 3200 = 9600 mg)
    over = _lines(_step([("ibuprofen 400 mg prn", "9700")]))
    assert len(over) == 1 and "is 3 times the label maximum of 3200 mg" in over[0]
    # with a frequency, as before (q4h prn: up to 6 doses a day)
    (line,) = _lines(_step([("ibuprofen 400mg q4h prn", "")]))
    assert "it is taken as needed (up to 6 doses a day)" in line


def test_paracetamol_4_mg_is_asked_about_as_grams_typed():
    fb = _step([("paracetamol", "4")])
    (line,) = _lines(fb)
    assert line.startswith("Check the dose: ")
    assert "paracetamol 4 mg a day is far below any usual dose of acetaminophen: was it typed in grams? " \
           "4 g = 4000 mg" in line
    assert _lines(fb) == _review([("paracetamol", "4")])
    # the bound: a tenth of 325 mg is 32.5 mg a day, not asked about; just below it, asked
    assert _lines(_step([("paracetamol", "32.5")])) == []
    assert len(_lines(_step([("paracetamol", "32.4")]))) == 1


def test_an_unknown_name_is_not_recognised_in_the_review_steps_words():
    fb = _step([("fentnyl", "")])
    assert [line.shown for line in fb.unrecognised] == [
        "Not recognised: “fentnyl” (did you mean fentanyl?): not checked for doses, interactions or the pregnancy "
        "and kidney rules. Correct the name, or check it yourself."]
    assert _lines(fb) == _review([("fentnyl", "")])


def test_a_usual_dose_is_ok_and_says_nothing():
    fb = _step([("ibuprofen", "1200")])
    assert fb.verdicts == () and fb.unrecognised == () and fb.checked and fb.checked_without == ()
    assert _review([("ibuprofen", "1200")]) == []


@pytest.mark.parametrize("medicines, patient", [
    ([("fentanyl 25mcg/24h", ""), ("paracetamol", "4"), ("fentnyl", ""), ("ibuprofen 400 mg prn", "")], {}),
    ([("co-codamol 30/500 2 tabs qds", "360")], {}),  # the name and the dose disagree, beside a dose to reduce
    ([("ibuprofen", "1200"), ("naproxen", "1000"), ("apixaban 5mg bd", "")], {}),  # NSAIDs together, an anticoagulant
    ([("ibuprofen", "1200")], {"sex": "female", "pregnancy_weeks": 31}),  # contraindicated at 30 weeks (FDA)
    ([("cyclobenzaprine", "15")], {"birth_date": "1950-01-01"}),  # Beers: avoid at 65 and over
    ([("morphine", "60"), ("fentanyl 25 mcg/h patch", "")], {}),  # two opioids, 120 MME a day
    ([("aceclofenac 100mg bd", ""), ("ibuprofen", "1200")], {}),  # two NSAIDs; no label maximum held for aceclofenac
    ([("co-codamol", "4000"), ("tylenol 3 tabs tds", "")], {"weight_kg": 70}),
])
@pytest.mark.parametrize("profile", ["us", "uk"])
def test_every_line_the_review_step_shows_the_step_shows_in_the_same_words(medicines, patient, profile):
    step = _lines(_step(medicines, profile, **patient))
    review = _review(medicines, profile, **patient)
    assert review, "each case has something the Review step shows"
    assert set(review) <= set(step), sorted(set(review) - set(step))
    # and nothing of the step's own: each other line is a note of the Review step's table
    case = parse_case(_case(medicines, **patient), new_input=True)
    notes = assess_case(case, case.intake.visit_date, profile=profile).medications.current_notes
    for line in set(step) - set(review):
        assert any(line.split(": ", 1)[1] in labelled(line.split(": ", 1)[0], n.text) or
                   labelled(line.split(": ", 1)[0], n.text) == line.split(": ", 1)[1] for n in notes), line


@pytest.mark.parametrize("typed, value, problem", [
    ("", None, None), ("  ", None, None), ("1200", 1200.0, None), ("1200.", 1200.0, None), (".5", 0.5, None),
    ("0.5", 0.5, None), ("-5", -5.0, None), ("+40", 40.0, None), (" 40 ", 40.0, None),
    ("abc", None, NOT_A_NUMBER), ("4 g", None, NOT_A_NUMBER), ("4000mg", None, NOT_A_NUMBER),
    ("1,200", None, NOT_A_NUMBER), ("1e3", None, NOT_A_NUMBER), ("1_000", None, NOT_A_NUMBER),
    ("nan", None, NOT_A_NUMBER), ("inf", None, NOT_A_NUMBER), ("\u0664", None, NOT_A_NUMBER),
    ("\uff14\uff10", None, NOT_A_NUMBER), ("½", None, NOT_A_NUMBER), ("1/2", None, NOT_A_NUMBER),
    ("--5", None, NOT_A_NUMBER), ("5-", None, NOT_A_NUMBER),
])
def test_the_dose_column_is_a_number_of_mg_or_it_is_said(typed, value, problem):
    """Python's float() reads "1e3", "1_000", "nan", "inf" and other scripts' digits ("٤", "４０"):
    none is a dose a clinician types in mg, so none is read (the intake's Next says the same)."""
    assert typed_daily_dose(typed) == (value, problem)


@pytest.mark.parametrize("typed, words", [
    ("abc", "the daily dose must be a number of mg (“abc” is not)"),
    # window31: a negative dose names the medicine and the floor, as 0 does (not the intake's range)
    ("-5", "ibuprofen -5 mg a day is not a dose: a current daily dose must be at least 0.01 mg (10 micrograms). "
           "Leave the dose out if it is not known."),
    ("100001", "the daily dose must be between 0 and 100000 mg (got 100001)"),
    ("0", "ibuprofen 0 mg a day is not a dose: a current daily dose must be at least 0.01 mg (10 micrograms). Leave "
          "the dose out if it is not known."),
])
def test_a_dose_not_read_is_said_on_its_row_and_the_medicine_checked_without_it(typed, words):
    fb = _step([("paracetamol", "1000"), ("ibuprofen", typed)])
    assert fb.checked
    (line,) = [x.shown for x in fb.verdicts]
    assert line == f"Dose not read: Row 2: {words}; until it is corrected, ibuprofen is checked without a dose."
    # at the range's top: read, and asked about as a slip (31 times the label's 3200 mg)
    (line,) = _lines(_step([("ibuprofen", "100000")]))
    assert line.startswith("Check the dose: ") and "100000 mg/day is 31.2 times the label maximum of 3200 mg" in line


def test_a_row_with_a_dose_and_no_name_is_said_and_not_checked():
    fb = _step([("", "400"), ("ibuprofen", "1200")])
    assert [x.shown for x in fb.verdicts] == [
        "Dose not read: Row 1: the name must not be empty; until it is corrected, this row is not checked."]


def test_an_intake_not_finished_is_checked_with_what_it_holds_and_says_without_what():
    """A patient whose age and red flags are not typed yet: the dose checks run, the age rules
    cannot (Beers: cyclobenzaprine avoided at 65 and over needs the age), and the step says so."""
    data = {"format_version": 1, "patient": {"id": "P-1", "sex": "male"}, "visit_date": "2026-11-25"}
    fb = medicine_step_feedback(data, [("cyclobenzaprine", "15")], "us", TODAY)
    assert fb.checked
    assert {e.field for e in fb.checked_without} >= {"patient.age_years", "onset_date", "red_flags"}
    assert fb.verdicts == ()
    # the dose checks need no age
    fb = medicine_step_feedback(data, [("fentanyl 25mcg/24h", "")], "us", TODAY)
    assert [x.label for x in fb.verdicts] == ["Check the dose"]
    with_age = dict(data, patient={"id": "P-1", "sex": "male", "birth_date": "1950-01-01"})
    fb = medicine_step_feedback(with_age, [("cyclobenzaprine", "15")], "us", TODAY)
    assert [x.label for x in fb.verdicts] == ["Avoid"]
    assert "65" in fb.verdicts[0].text
    assert "patient.age_years" not in {e.field for e in fb.checked_without}
    # a birth date that cannot be read is left out and said, never guessed
    bad = dict(data, patient={"id": "P-1", "sex": "male", "birth_date": "1950-13-01"})
    fb = medicine_step_feedback(bad, [("cyclobenzaprine", "15")], "us", TODAY)
    assert "patient.birth_date" in {e.field for e in fb.checked_without}
    assert [x.label for x in fb.verdicts] == []
