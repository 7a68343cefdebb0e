"""Red-team A1 on the command line: a current medicine to stop, change or reduce is named near the
top of `assess` and `case` text (before the pathway), the same list as the JSON's medicine_alerts;
the referral summary PDF has a "Medicine safety" section."""

from __future__ import annotations

import copy
import json

import pytest

from radiculopathy_desktop.cli import main
from radiculopathy_desktop.resources import resource_path

BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))


def _write(tmp_path, case_id, medicines, **patient):
    d = copy.deepcopy(BASE)
    d["case_id"] = case_id
    d["patient"]["id"] = "P-" + case_id
    d["patient"].update(patient)
    d["medicines"] = medicines
    path = tmp_path / f"{case_id}.json"
    path.write_text(json.dumps(d), encoding="utf-8")
    return path


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_assess_text_puts_the_contraindicated_nsaid_above_the_pathway(tmp_path, capsys, profile):
    path = _write(tmp_path, "PREG32", [{"name": "ibuprofen", "daily_dose_mg": 1200}], pregnancy_weeks=32)
    code, out, _ = run(capsys, "assess", str(path), "--as-of", "2026-11-29", "--profile", profile)
    assert code == 0
    flat = " ".join(out.split())
    head = flat[:flat.index("STEPPED PATHWAY")]
    assert "MEDICINE SAFETY: 1 current medicine alert" in head
    # the reason of the profile's source: uk the MHRA's "after 28 weeks", us the FDA's 30 weeks (fxk20)
    assert "!! CONTRAINDICATED: Taking ibuprofen 1200 mg/day" in head
    assert ("after 28 weeks" if profile == "uk" else "from 30 weeks") in head
    _, js, _ = run(capsys, "assess", str(path), "--as-of", "2026-11-29", "--profile", profile, "--format", "json")
    alerts = json.loads(js)["medicine_alerts"]
    assert [a["status"] for a in alerts] == ["contraindicated"]
    assert " ".join(alerts[0]["text"].split()) in head


def test_no_alert_section_when_nothing_must_change(tmp_path, capsys):
    path = _write(tmp_path, "PLAIN", [{"name": "ibuprofen", "daily_dose_mg": 1200}])
    _, out, _ = run(capsys, "assess", str(path), "--as-of", "2026-11-29")
    assert "MEDICINE SAFETY" not in out


def test_case_command_shows_the_alert_before_the_visits(tmp_path, capsys):
    path = _write(tmp_path, "APIX", [{"name": "apixaban", "daily_dose_mg": 10},
                                     {"name": "ibuprofen", "daily_dose_mg": 1200}], birth_date="1956-01-10")
    assert run(capsys, "import", str(path))[0] == 0
    code, out, _ = run(capsys, "case", "APIX", "--as-of", "2026-11-29", "--profile", "uk")
    assert code == 0
    head = out[:out.index("Visits")]
    # spell28 (H-UI-433): ibuprofen's row had no reason but apixaban, which the pair says: one alert, not two
    assert "MEDICINE SAFETY: 1 current medicine alert" in head
    assert "AVOID: Taking ibuprofen with apixaban" in " ".join(head.split())


# Issue 12 §6 / red-team A2: the pathway's NSAID recommendation says it is not for this patient
@pytest.mark.parametrize("patient,word,reason", [
    (dict(medicines=[{"name": "ibuprofen", "daily_dose_mg": 1200}], pregnancy_weeks=32), "CONTRAINDICATED", "after 28 weeks"),  # uk: the MHRA's words
    (dict(medicines=[{"name": "apixaban", "daily_dose_mg": 10}, {"name": "ibuprofen", "daily_dose_mg": 1200}],
          birth_date="1956-01-10"), "AVOID", "apixaban"),
])
def test_assess_text_marks_the_nsaid_recommendation_not_for_this_patient(tmp_path, capsys, patient, word, reason):
    meds = patient.pop("medicines")
    path = _write(tmp_path, "NSAIDX", meds, **patient)
    assert main(["assess", str(path), "--as-of", "2026-11-29", "--profile", "uk"]) == 0
    flat = " ".join(capsys.readouterr().out.split())
    # pathnsaid: never "consider" an NSAID ruled out for this patient, nor review the one taken
    # now as if it could go on: the recommendation says so and names it, the reason follows
    assert "consider: NICE recommends considering an oral NSAID" not in flat
    rec = flat[flat.index("- not for this patient: Already taking ibuprofen (1200 mg/day"):]
    rec = rec[:rec.index("do_not_offer:")]
    assert "not for this patient, see why below and the medicine alerts." in rec
    assert f"!! NOT FOR THIS PATIENT ({word}): NSAID (non-aspirin): {word.lower()} for this patient" in rec
    assert reason in rec


def test_assess_text_tells_a_steroid_beside_an_nsaid_not_to_stop_suddenly(tmp_path, capsys):
    # gp14 G3: the same action as the window's banner and the summary (domain/medicine_alerts.py)
    path = _write(tmp_path, "STER73", [{"name": "prednisolone", "daily_dose_mg": 10},
                                       {"name": "naproxen", "daily_dose_mg": 1000}], birth_date=None, age_years=73)
    code, out, _ = run(capsys, "assess", str(path), "--as-of", "2026-11-29", "--profile", "us")
    assert code == 0
    flat = " ".join(out.split())
    head = flat[:flat.index("STEPPED PATHWAY")]
    steroid = head[head.index("Taking prednisolone"):]
    assert "Review naproxen (the NSAID) first: stopping it ends this combination." in steroid
    assert "For prednisolone, do not stop it suddenly: reduce gradually with the prescriber" in steroid
    _, js, _ = run(capsys, "assess", str(path), "--as-of", "2026-11-29", "--profile", "us", "--format", "json")
    (alert,) = [a for a in json.loads(js)["medicine_alerts"] if a["medicines"] == ["prednisolone"]]
    assert alert["action"] in " ".join(steroid.split()) and "British National Formulary" in alert["source"]


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_a_reassess_only_alert_is_not_headed_as_a_medicine_to_stop_change_or_reduce(tmp_path, capsys, profile):
    """gp21 F3: a stable patient on morphine 30 mg bd (60 MME/day) has one alert, "Reassess opioid
    dose" (CDC: reassess before any increase; do not stop or cut it rapidly). Its heading said
    "(stop, change or reduce)", which invites the rapid cut CDC warns against: the heading names
    review too."""
    path = _write(tmp_path, "MME60", [{"name": "morphine 30mg bd"}])
    code, out, _ = run(capsys, "assess", str(path), "--as-of", "2026-11-29", "--profile", profile)
    assert code == 0
    flat = " ".join(out.split())
    assert "MEDICINE SAFETY: 1 current medicine alert (stop, change, reduce or review)" in flat
    assert "REASSESS OPIOID DOSE" in flat
    assert "(stop, change or reduce)" not in flat
