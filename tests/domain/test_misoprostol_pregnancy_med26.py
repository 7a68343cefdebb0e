"""med26 item 3 (H-MED-442): misoprostol, alone (Cytotec) or with diclofenac (Arthrotec), for a
pregnant patient.

Written from the sources (resources/medicines/sources.toml):
* misoprostol-label: boxed warning, misoprostol given to pregnant women can cause birth defects,
  abortion, premature birth or uterine rupture; it should not be taken by pregnant women to
  reduce the risk of NSAID ulcers (see CONTRAINDICATIONS);
* arthrotec-label: the same boxed warning for diclofenac sodium and misoprostol.
Boundaries: a pregnancy recorded (yes, any week) -> contraindicated; "not pregnant" (no) and
"not asked" (unknown) -> no pregnancy note; a pregnancy recorded long ago, past its plausible end
-> the warning stands and the clinician is asked whether she is still pregnant.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil

import pytest

from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from radiculopathy_desktop.domain.medications import (MedicineDataError, assess_medications, default_data_dir,
                                                      load_medicine_data)

from tests.domain.test_medications import VISIT, intake

RULE = "misoprostol-pregnancy"


def _case(name, pregnancy="yes", weeks=12):
    case = intake(age=30, sex="female", scr=0.7, meds=[(name, None)], pregnancy=weeks if pregnancy == "yes" else None)
    if pregnancy == "no":
        case = dataclasses.replace(case, patient=dataclasses.replace(case.patient, pregnant=False))
    return case


def _notes(report):
    return [n for n in report.current_notes if n.rule == RULE]


@pytest.mark.parametrize("name", ["misoprostol 200mcg", "Cytotec", "Arthrotec 50", "Arthrotec 75",
                                  "diclofenac/misoprostol"])
@pytest.mark.parametrize("weeks", [4, 12, 27, 36])
def test_pregnant_any_week_is_contraindicated(name, weeks):
    report = assess_medications(_case(name, weeks=weeks), VISIT)
    notes = _notes(report)
    assert len(notes) == 1 and notes[0].severity == "contraindicated"
    assert notes[0].medicines == (name,)
    assert f"pregnant, {weeks} weeks" in notes[0].text and "contraindicated in pregnancy" in notes[0].text
    assert "uterine rupture" in notes[0].text
    assert "Misoprostol tablets" in notes[0].source and "Arthrotec" in notes[0].source
    # (the diclofenac of Arthrotec has its own NSAID pregnancy alert beside it from 20 weeks: preg27)
    alerts = [a for a in medicine_alerts(report) if a.kind == "note" and a.medicines == (name,)
              and "misoprostol is contraindicated" in a.text]
    assert len(alerts) == 1 and alerts[0].status == "contraindicated"
    assert "Stop it now" in alerts[0].text


@pytest.mark.parametrize("pregnancy", ["no", "unknown"])
@pytest.mark.parametrize("name", ["misoprostol", "Arthrotec 50"])
def test_not_pregnant_or_not_asked_gives_no_pregnancy_note(name, pregnancy):
    case = _case(name, pregnancy=pregnancy)
    assert case.patient.pregnancy_answer == pregnancy
    report = assess_medications(case, VISIT)
    assert _notes(report) == []
    assert not [a for a in medicine_alerts(report) if a.status == "contraindicated"]


def test_past_the_plausible_end_the_warning_stands_and_the_clinician_is_asked():
    report = assess_medications(_case("Cytotec", weeks=40), VISIT + dt.timedelta(weeks=10))
    (note,) = _notes(report)
    assert note.severity == "contraindicated"
    assert "Ask whether she is still pregnant" in note.text and "If she is pregnant: pregnant, 42+ weeks" in note.text


def test_other_medicines_are_not_said_to_be_misoprostol():
    report = assess_medications(_case("diclofenac 50mg"), VISIT)
    assert _notes(report) == []


def test_a_note_may_word_the_weeks_only_when_it_is_about_a_pregnancy(tmp_path):
    folder = tmp_path / "medicines"
    shutil.copytree(default_data_dir(), folder)
    path = folder / "rules.toml"
    text = path.read_text()
    assert 'classes = ["misoprostol"]\npregnant = true\n' in text
    path.write_text(text.replace('classes = ["misoprostol"]\npregnant = true\n', 'classes = ["misoprostol"]\n'))
    with pytest.raises(MedicineDataError, match=r"\{weeks\} only with pregnant = true"):
        load_medicine_data(str(folder))
