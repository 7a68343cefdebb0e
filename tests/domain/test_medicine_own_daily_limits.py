"""Each medicine's own daily limit inside a class row (red-team rt14 F1; H-MED-200).

From the sources (resources/medicines/sources.toml, read with the search tool 2026-11-30):
- Codeine sulfate tablets, US label, Dosage and Administration: 15-60 mg every 4 hours as
  needed; do not exceed 360 mg in 24 hours (us profile).
- Codeine phosphate 30 mg tablets, UK SmPC 4.2: the maximum daily dose of codeine should not
  exceed 240 mg (uk profile; the same in the BNF).
- Dihydrocodeine, BNF (DF118 Forte: maximum 240 mg per day; the 30 mg tablets' SmPC says 180
  mg): 240 mg a day, the highest maximum any UK product states.
- Dexamethasone tablets label: initial 0.75-9 mg a day; 30 mg a day for a week in a multiple
  sclerosis relapse, and no maximum -> asked about ("check the dose") above twice that, 60 mg.
- Medrol label: 4-48 mg a day; multiple sclerosis 160 mg a day for a week -> check above 320.
- Cortef label: 20-240 mg a day -> check above 480.
- Prednisone/prednisolone: the Medrol label's 200 mg prednisolone a day (multiple sclerosis)
  -> check above 400 (the 60 mg course ceiling stays "check the indication").
- Oxycodone, morphine, hydromorphone...: their labels state no maximum (titrated); CDC 2022
  advises avoiding or carefully justifying 90 MME a day or more -> asked about above ten times
  that, 900 MME a day from one medicine (oxycodone 1.5 MME/mg: 600 mg; morphine 900 mg).
At the limit: nothing. Just above: "Reduce dose" (a label maximum) or "Check the dose" (a
bound), the worklist's marker, and a handout that never says "keep taking".
"""

from __future__ import annotations

import json
import shutil

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import (MedicineDataError, default_data_dir, dose_reductions,
                                                      load_medicine_data)
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h
from tests.helpers.cli_run import run_main
from helpers.medicines import EXAMPLE_AS_OF as AS_OF, example_case as _case, example_report as _report


def _checks(report):
    return [(c.generic, c.daily_mg, c.limit_mg, c.kind) for c in report.dose_checks]


# --------------------------------------------------------------------------- label maxima, both profiles
@pytest.mark.parametrize("name, profile, limit", [("codeine", "us", 360), ("codeine", "uk", 240),
                                                  ("dihydrocodeine", "us", 240), ("dihydrocodeine", "uk", 240)])
def test_a_label_maximum_at_the_limit_is_silent_and_just_above_is_reduce_dose(name, profile, limit):
    at = _report([(name, limit)], profile)
    assert at.dose_checks == () and dose_reductions(at) == ()
    assert not any(r.rule == "over-label-max" for row in at.rows for r in row.reasons)
    above = _report([(name, limit + 0.5)], profile)
    assert _checks(above) == [(name, limit + 0.5, limit, "label_max")]
    assert dose_reductions(above) == (f"{name} {limit + 0.5:.1f} mg/day > max {limit} mg/day",)
    row = next(r for r in above.rows if r.drug == "opioids")
    assert row.status == "reduce_dose"
    reason = next(r for r in row.reasons if r.rule == "over-label-max")
    assert reason.severity == "reduce_dose" and f"label maximum of {limit} mg of {name} a day" in reason.text
    assert ("360 mg in 24 hours" if (name, profile) == ("codeine", "us") else "240") in reason.source
    # the alert list a clinician reads (window and CLI) carries it
    assert any(a.status == "reduce_dose" and name in a.medicines for a in medicine_alerts(above))


def test_codeine_between_the_two_maxima_is_reduce_dose_only_under_uk():
    assert _report([("codeine", 300)], "us").dose_checks == ()
    assert _checks(_report([("codeine", 300)], "uk")) == [("codeine", 300, 240, "label_max")]


def test_two_codeine_products_add_up_and_a_combination_is_counted_by_its_components():
    """Codeine 200 + codeine phosphate 200 mg a day is 400 mg of codeine (above 360). A
    co-codamol 30/500 recorded as 8000 mg a day is 16 tablets (G17: before, it was not counted):
    codeine 480 mg (above the uk 240) and paracetamol 8000 mg (above 4000)."""
    report = _report([("codeine", 200), ("codeine phosphate", 200)])
    assert [(c.generic, c.medicines, c.kind) for c in report.dose_checks] == [
        ("codeine", ("codeine", "codeine phosphate"), "label_max")]
    assert report.dose_checks[0].daily_mg > 360
    assert _checks(_report([("co-codamol 30/500", 8000)], "uk")) == [
        ("codeine", 480, 240, "label_max"), ("acetaminophen", 8000, 4000, "label_max")]


# --------------------------------------------------------------------------- bounds where no maximum is stated
@pytest.mark.parametrize("name, bound", [("dexamethasone", 60), ("methylprednisolone", 320),
                                         ("hydrocortisone", 480), ("prednisolone", 400), ("prednisone", 400),
                                         ("oxycodone", 600), ("morphine", 900), ("hydromorphone", 180)])
def test_no_label_maximum_gets_a_check_the_dose_bound_never_a_maximum(name, bound):
    at = _report([(name, bound)])
    assert at.dose_checks == () and dose_reductions(at) == ()
    above = _report([(name, bound + 1)])
    assert _checks(above) == [(name, bound + 1, bound, "check")]
    line = dose_reductions(above)
    assert line == (f"{name} {bound + 1} mg/day: check the dose (far above any usual dose)",)
    text = [*(r.text for row in above.rows for r in row.reasons if r.rule == "check-dose"),
            *(n.text for n in above.current_notes if n.rule == "check-dose")]
    assert len(text) == 1 and text[0].startswith("Check the dose:") and "no label maximum" in text[0]
    assert "maximum of" not in text[0]


def test_a_steroid_without_a_row_is_a_current_note_once():
    """Dexamethasone has no row of its own: the check is a current note (in the JSON and the
    alerts), said once."""
    report = _report([("dexamethasone", 99999)])
    notes = [n for n in report.current_notes if n.rule == "check-dose"]
    assert len(notes) == 1 and notes[0].severity == "reduce_dose" and notes[0].medicines == ("dexamethasone",)
    assert "Dexamethasone tablets" in notes[0].source
    assert [a.status for a in medicine_alerts(report) if "dexamethasone" in a.medicines] == ["reduce_dose"]


def test_tramadol_keeps_its_row_maximum_and_gets_no_second_check():
    data = load_medicine_data()
    assert "tramadol" not in data.dose_limits
    assert _report([("tramadol", 401)]).dose_checks == ()


def test_a_bound_without_a_reason_or_two_kinds_is_refused(tmp_path):
    for bad in ('[dose_checks.dexamethasone]\ncheck_above_daily_mg = 60\nsource = ["dexamethasone-label"]\n',
                '[dose_checks.codeine]\nlabel_max_daily_mg = 360\ncheck_above_daily_mg = 400\n'
                'source = ["codeine-sulfate-label"]\n',
                '[dose_checks.codeine]\nlabel_max_daily_mg = 360\n'):
        d = tmp_path / "data"
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(default_data_dir(), d)
        text = (d / "drugs.toml").read_text(encoding="utf-8")
        start = text.index("[dose_checks.codeine]")
        end = text.index("# Twice the highest")
        (d / "drugs.toml").write_text(text[:start] + bad + text[end:], encoding="utf-8")
        load_medicine_data.cache_clear()
        try:
            with pytest.raises(MedicineDataError, match="dose_checks"):
                load_medicine_data(str(d))
        finally:
            load_medicine_data.cache_clear()


# --------------------------------------------------------------------------- through assess JSON
@pytest.mark.parametrize("name, mg, profile, rule", [("codeine", 361, "us", "over-label-max"),
                                                     ("codeine", 9999, "us", "check-dose"),  # gp18 F9: a slip
                                                     ("codeine", 241, "uk", "over-label-max"),
                                                     ("dexamethasone", 99999, "us", "check-dose")])
def test_assess_json_carries_the_check(capsys, tmp_path, name, mg, profile, rule):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(_case([(name, mg)])), encoding="utf-8")
    code, out, err = run_main(capsys, ["assess", str(path), "--format", "json", "--as-of", AS_OF.isoformat(),
                                       "--profile", profile])
    assert code == 0, err
    m = json.loads(out)["medications"]
    texts = [r for row in m["rows"] for r in row["reasons"] if r["rule"] == rule]
    texts += [n for n in m["current_notes"] if n["rule"] == rule]
    assert len(texts) == 1 and texts[0]["severity"] == "reduce_dose"


# --------------------------------------------------------------------------- the handout, en and es
def _sheet(meds, sheet_id, lang, profile="us"):
    req = h.request_for_case(parse_case(_case(meds)), AS_OF, clinic_name="Clinic", clinic_contact="555",
                             lang=lang, sheets=[sheet_id], profile=profile)
    return " ".join(hc.plain_text(h.filled_sheets(req)[0]).split()), req


@pytest.mark.parametrize("lang, words", [
    ("en", ("Your dose is too high for you", "You take codeine 361 mg a day now. For you, the most is 360 mg a day.")),
    ("es", ("Su dosis es demasiado alta para usted", "Ahora toma codeína 361 mg al día. Para usted, lo máximo es 360 mg"))])
def test_codeine_above_its_label_maximum_is_never_keep_taking(lang, words):
    text, req = _sheet([("codeine", 361)], "med_opioid", lang)
    for w in words:
        assert w in text
    assert "keep taking" not in text and "siga tomando" not in text
    assert "above this patient's maximum" in h.dose_notices(req)[0]
    at, _ = _sheet([("codeine", 360)], "med_opioid", lang)
    # at the maximum, 360 mg is 54 MME/day (x 0.15): the high-dose sheet (mme21), kept as prescribed
    assert ("take your codeine as prescribed, and do not change the dose or stop it on your own" if lang == "en"
            else "tome su codeína como se lo recetaron, y no cambie la dosis ni lo deje por su cuenta") in at


@pytest.mark.parametrize("lang, words", [
    ("en", ("Check your dose before you take more", "Your record says you take dexamethasone 99999 mg a day",
            "check your dexamethasone dose with your prescriber before your next dose")),
    ("es", ("Revise su dosis antes de tomar más", "Su historia dice que toma dexametasona 99999 mg al día",
            "revise la dosis de su dexametasona con su profesional"))])
def test_a_dose_far_above_any_usual_one_asks_to_check_it(lang, words):
    text, req = _sheet([("dexamethasone", 99999)], "med_oral_steroid", lang)
    for w in words:
        assert w in text
    assert "keep taking" not in text and "siga tomando" not in text
    assert "too high for you" not in text  # not a maximum
    note = h.dose_notices(req)[0]
    assert "Check the dose: dexamethasone 99999 mg/day" in note and "does not say to keep taking it" in note


def test_the_alert_for_a_dose_to_check_asks_to_confirm_it_not_to_reduce_to_a_maximum():
    """Oxycodone 601 mg a day (above 900 MME; its label states no maximum): the alert asks to
    confirm the dose, never "reduce to the adjusted maximum"; codeine above its label maximum
    is told to reduce."""
    alert = next(a for a in medicine_alerts(_report([("oxycodone", 601)])) if "oxycodone" in a.medicines)
    assert alert.status == "reduce_dose" and "Confirm the dose with the prescriber" in alert.action
    assert "adjusted maximum" not in alert.text
    alert = next(a for a in medicine_alerts(_report([("codeine", 361)])) if "codeine" in a.medicines)
    assert alert.action.startswith("Reduce the dose")


@pytest.mark.parametrize("lang, box", [("en", "Check your dose before you take more"),
                                       ("es", "Revise su dosis antes de tomar más")])
def test_a_dose_to_check_under_uk_where_nice_does_not_offer_it_keeps_both(lang, box):
    """Prednisolone 500 mg a day under uk: NICE does not offer oral steroids for sciatica (AVOID)
    and the dose is above the 400 mg bound: the row stays AVOID with the check added; the sheet
    asks to check the dose (never "keep taking") and the clinician is told of both."""
    report = _report([("prednisolone", 500)], "uk")
    row = next(r for r in report.rows if r.drug == "prednisone")
    assert row.status == "avoid" and {"check-dose"} <= {r.rule for r in row.reasons}
    text, req = _sheet([("prednisolone", 500)], "med_oral_steroid", lang, "uk")
    assert box in text and "keep taking" not in text and "siga tomando" not in text
    notes = " ".join(h.dose_notices(req))
    assert "Check the dose: prednisolone 500 mg/day" in notes and "AVOID" in notes and "NICE" in notes
