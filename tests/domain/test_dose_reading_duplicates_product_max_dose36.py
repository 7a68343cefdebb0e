"""dose36 (H-MED-730..737): a clinical review's dose-reading, duplicate and product-maximum defects, on every surface.

Primary sources (resources/medicines/sources.toml), not the code:
- ``zaldiar-ft``: Zaldiar 37,5 mg/325 mg (tramadol/paracetamol), ficha técnica 4.2: "No debe excederse la dosis total de
  8 comprimidos al día (equivalente a 300 mg de hidrocloruro de tramadol y 2600 mg de paracetamol)"; the Ultracet US
  label and the BNF/SmPC of tramadol with paracetamol 37.5/325 (Tramacet) give the same maximum of 8 tablets a day.
  Tramadol alone: 400 mg a day (Ultram label). So 8 tablets (300 mg) is at the product's maximum, 9 (337.5 mg) above it
  though under tramadol's 400, 12 (450 mg) above both.
- ``nice-ng5-reconciliation``: NICE NG5 1.3, medicines reconciliation: "recognising any discrepancies, and documenting any
  changes"; "any discrepancies should be resolved": one medicine recorded twice is confirmed and the other entry removed.
- ``nsaid-class-label``: two NSAIDs are not combined; each medicine's label gives ONE daily maximum.
- BNF prescription abbreviations (prescription-abbreviations): "p.r.n. ... when required ('it is best to add the maximum
  frequency of repetition')": an as-needed regimen gives no daily amount, only a most a day.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from helpers.cli_run import cli_runner, write_json
from helpers.example_case import l5_case, l5_case_dict
from helpers.medicines import assert_drugs_toml_refused, example_report, name_reading
from radiculopathy_desktop.domain.medications import (MedicineDataError, assess_medications, case_dose_reductions,
                                                      load_medicine_data)
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from radiculopathy_desktop.domain.worklist_marks import alert_marks
from radiculopathy_desktop.reports import fhir

AS_OF = dt.date(2026, 11, 25)
NO_DAILY = "no daily dose can be read from it"


def _fhir_issues(meds, profile="us"):
    bundle = fhir.case_bundle(l5_case(meds), AS_OF, profile=profile)
    return [(e["resource"]["code"]["coding"][0]["code"], e["resource"]["detail"]) for e in bundle["entry"]
            if e["resource"]["resourceType"] == "DetectedIssue"]


def _cli(capsys, tmp_path, meds, *extra):
    run = cli_runner(capsys, fresh_output=True)
    path = write_json(tmp_path, l5_case_dict(meds), "case.json")
    code, out, err = run("assess", path, "--as-of", AS_OF.isoformat(), *extra)
    assert code == 0, err
    return out


# ------------------------------------------------------------------ H-MED-730: a week frequency is asked, never silent
WEEKLY_NAMES = ["oxycodone 20mg 2 x week", "oxycodone 20mg twice weekly", "oxycodone 20mg 2 times a week",
                "oxycodone 20mg weekly", "tramadol 50mg twice weekly", "ibuprofen 400mg biweekly"]


@pytest.mark.parametrize("name", WEEKLY_NAMES)
def test_a_week_frequency_of_a_medicine_not_taken_weekly_is_asked(name):
    reading = name_reading(name)
    assert reading is not None and not reading.read and NO_DAILY in reading.problem
    report = example_report([(name, None)])
    assert any(a.label == "Check the dose" and name.lower() in a.medicines for a in medicine_alerts(report))


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_twice_a_week_opioid_on_every_surface(profile, capsys, tmp_path):
    name = "oxycodone 20mg 2 x week"
    report = assess_medications(l5_case([{"name": name}]).intake, AS_OF, profile=profile)
    assert report.current_daily_mme is None  # never a daily MME read from a weekly regimen
    marks = alert_marks(l5_case([{"name": name}]), AS_OF, profile)
    assert [m.label for m in marks] == ["Check the dose"]
    (line,) = case_dose_reductions(l5_case([{"name": name}]), (profile,))[profile]
    assert line.startswith(f"{name}: check the dose")
    assert any(code == "DOSEH" and detail.startswith(f"Check the dose: {name}")
               for code, detail in _fhir_issues([{"name": name}], profile))
    text = " ".join(_cli(capsys, tmp_path, [{"name": name}], "--format", "text", "--profile", profile).split())
    assert f"CHECK THE DOSE: {name}" in text and '"2 x week" is how many days a week' in text
    data = json.loads(_cli(capsys, tmp_path, [{"name": name}], "--format", "json", "--profile", profile))
    assert [a["status_label"] for a in data["medicine_alerts"]] == ["Check the dose"]


def test_a_weekly_medicine_and_a_daily_frequency_beside_a_week_one_are_as_before():
    # boundaries: methotrexate once a week is its own weekly check (no daily dose, nothing asked); "tds twice a week" is
    # the dose on the days taken (a daily maximum is per day), read as before (weekly, H-MED-605)
    assert name_reading("methotrexate 10mg once weekly") is None
    assert dict(name_reading("ibuprofen 400mg tds twice a week").components) == {"ibuprofen": 1200.0}


@pytest.mark.parametrize("name", ["oxycodone 20mg 3 x 4 per week", "oxycodone 20mg twice weekly"])
def test_a_week_frequency_beside_a_typed_daily_dose_is_asked_and_the_typed_dose_counted(name):
    # changed from nxread34's "the typed dose is the dose, nothing asked": a weekly amount beside a daily dose typed may
    # mean the typed dose is wrong, so the clinician is asked; the typed dose is still counted (never dropped: too low)
    reading = name_reading(name, 40.0)
    assert reading.read and dict(reading.components) == {"oxycodone": 40.0}
    assert NO_DAILY in reading.conflict and "the recorded dose is used until the name is corrected" in reading.conflict
    report = example_report([(name, 40.0)])
    assert "60 MME/day, provisional" in report.mme_provisional  # 40 mg x 1.5 (CDC 2022), said as provisional
    assert any(a.label == "Check the dose" for a in medicine_alerts(report))


# ------------------------------------------------------------------ H-MED-731: "3x4xweek" without spaces
@pytest.mark.parametrize("glued, spaced", [("3x4xweek", "3 x 4 x week"), ("3x4x wk", "3 x 4 x wk"),
                                           ("2x3xweek", "2 x 3 x week")])
def test_n_x_m_x_week_without_spaces_reads_as_with_them(glued, spaced):
    report = example_report([(f"oxycodone 20mg {glued}", None)])
    assert report.current_medicines[0].recognised and report.current_medicines[0].generics == ("oxycodone",)
    a, b = name_reading(f"oxycodone 20mg {glued}"), name_reading(f"oxycodone 20mg {spaced}")
    assert a.problem == b.problem.replace(spaced, glued) and "tablets a week either way" in a.problem
    assert report.current_daily_mme is None


def test_a_glued_x_after_a_strength_is_still_a_count():
    # boundary: "2x10mg" is 2 tablets of 10 mg (rt26), untouched by the week reading
    assert dict(name_reading("oxycodone 2x10mg bd").components) == {"oxycodone": 40.0}


# ------------------------------------------------------------------ H-MED-732: "N x M/d" is "N x M a day"
@pytest.mark.parametrize("written", ["3 x 4/d", "3x4/d", "3 x 4 /d"])
def test_n_x_m_per_day_reads_as_n_x_m_daily(written):
    per_d, daily = name_reading(f"oxycodone 20mg {written}"), name_reading("oxycodone 20mg 3 x 4 daily")
    assert [r.components for r in per_d.either_way] == [r.components for r in daily.either_way] == [
        (("oxycodone", 240.0),), (("oxycodone", 240.0),)]
    assert f'"{written}" may be 3 tablets 4 times a day, 4 tablets 3 times a day (12 tablets a day either way)' \
        in per_d.problem
    # counted either way: 12 x 20 mg = 240 mg x 1.5 (CDC 2022) = 360 MME/day, the High opioid dose said
    alerts = [a.text for a in medicine_alerts(example_report([(f"oxycodone 20mg {written}", None)]))]
    assert any("total 360 MME/day" in t for t in alerts)


def test_a_day_word_after_n_x_m_per_day_is_asked_as_before():
    # boundary: "/d" and "daily" together are two words of a day: not the plain either-way reading
    reading = name_reading("oxycodone 20mg 3 x 4/d daily")
    assert reading is not None and not reading.read and not reading.either_way


# ------------------------------------------------------------------ H-MED-733: "N x M prn" is as needed, its most said
@pytest.mark.parametrize("written, most", [("3 x 4 prn", "up to 12 tablets a day either way"),
                                           ("3 x 4 as needed", "up to 12 tablets a day either way"),
                                           ("3 x 3 prn", "up to 9 tablets a day)")])
def test_n_x_m_as_needed_is_asked_with_its_most_a_day_never_counted(written, most):
    reading = name_reading(f"oxycodone 20mg {written}")
    assert not reading.read and not reading.either_way
    assert reading.problem.startswith(f"it is taken as needed ({most}")
    assert "how much is taken a day is not known" in reading.problem
    assert example_report([(f"oxycodone 20mg {written}", None)]).current_daily_mme is None


def test_the_n_x_m_day_suffixes_are_data(tmp_path):
    assert_drugs_toml_refused(tmp_path, lambda t: t.replace('n_x_m_day_suffixes = ["/d"]',
                                                            'n_x_m_day_suffixes = ["d"]', 1), "n_x_m_day_suffixes")


# ------------------------------------------------------------------ H-MED-736/737: a medicine entered twice
CONFIRM = "Confirm with the patient which entry is current and remove the other from the record"


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_ibuprofen_twice_beside_naproxen_says_both(profile):
    meds = [{"name": "ibuprofen"}, {"name": "Nurofen"}, {"name": "naproxen"}]
    alerts = [a for a in medicine_alerts(assess_medications(l5_case(meds).intake, AS_OF, profile=profile))
              if a.kind == "interaction"]
    pair = next(a for a in alerts if "Two NSAIDs together" in a.text)
    same = next(a for a in alerts if "(ibuprofen) recorded twice" in a.text)
    assert set(pair.medicines) == {"ibuprofen", "nurofen", "naproxen"} and "stop one" in pair.text
    assert set(same.medicines) == {"ibuprofen", "nurofen"}
    assert same.action.startswith(CONFIRM) and "do not continue them together" not in same.action
    assert "NICE NG5" in same.source and "section 1.3 Medicines reconciliation" in same.source
    # the worklist's marks and the FHIR export say both
    marks = alert_marks(l5_case(meds), AS_OF, profile)
    assert any(set(m.medicines) == {"ibuprofen", "nurofen"} and CONFIRM in m.action for m in marks)
    drg = [d for code, d in _fhir_issues(meds, profile) if code == "DRG"]
    assert any("Two NSAIDs together" in d for d in drg) and any("(ibuprofen) recorded twice" in d for d in drg)


def test_two_different_nsaids_keep_the_generic_action():
    # boundary: ibuprofen with naproxen (no medicine twice): the pair alone, its generic action
    (alert,) = [a for a in medicine_alerts(example_report([("ibuprofen", None), ("naproxen", None)]))
                if a.kind == "interaction"]
    assert "Two NSAIDs" in alert.text and alert.action.startswith("Review now: do not continue them together")


def test_a_gabapentinoid_twice_keeps_its_not_suddenly_words_after_the_own_action():
    (alert,) = [a for a in medicine_alerts(example_report([("gabapentin 300mg tds", None), ("Neurontin 300mg", None)]))
                if a.kind == "interaction"]
    # if both are taken, stopping one is a dose cut: the gradual-stop words (classes.toml stop_gradually) follow
    assert alert.action.startswith(CONFIRM) and "suddenly" in alert.action


def test_every_same_medicine_rule_rated_avoid_has_its_own_action_with_a_source():
    rules = [r for r in load_medicine_data().interactions if r.ingredients == "one" and r.severity == "avoid"
             and len({frozenset(s) for s in r.sides}) == 1]
    assert rules and all(r.action.startswith(CONFIRM) and "NICE NG5" in r.action_source for r in rules)


def test_an_action_without_its_source_is_refused(tmp_path):
    import shutil

    from radiculopathy_desktop.domain.medications import default_data_dir

    d = tmp_path / "data"
    shutil.copytree(default_data_dir(), d)
    text = (d / "rules.toml").read_text(encoding="utf-8")
    (d / "rules.toml").write_text(text.replace('action_source = ["nice-ng5-reconciliation"]\n', "", 1),
                                  encoding="utf-8")
    load_medicine_data.cache_clear()
    try:
        with pytest.raises(MedicineDataError, match="action and action_source go together"):
            load_medicine_data(str(d))
    finally:
        load_medicine_data.cache_clear()


# ------------------------------------------------------------------ H-MED-734/735: a product's own maximum
@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("tablets, mg, above", [(8, 300.0, False), (9, 337.5, True), (12, 450.0, True)])
def test_zaldiar_over_max_flag_agrees_with_the_products_8_tablets(profile, tablets, mg, above):
    meds = [{"name": f"Zaldiar {tablets} tablets a day"}]
    report = assess_medications(l5_case(meds).intake, AS_OF, profile=profile)
    row = report.row("tramadol")
    assert row.current_daily_dose_mg == mg
    assert row.over_max is above and row.to_dict()["over_max"] is above
    doses = [c for c in report.dose_checks if c.generic == "tramadol"]
    # the product's 300 mg check only; never the 400 mg (tramadol alone) check for the same dose of the same product
    assert [(c.rule, c.limit_mg) for c in doses] == ([("over-product-max", 300.0)] if above else [])
    labels = [m.label for m in alert_marks(l5_case(meds), AS_OF, profile)]
    assert ("Reduce dose" in labels) is above
    high = [d for code, d in _fhir_issues(meds, profile) if code == "DOSEH"]
    if above:
        (detail,) = high
        assert detail.startswith(f"Tramadol: taking {mg:g} mg/day, above this patient's maximum of 300 mg/day")
        (line,) = case_dose_reductions(l5_case(meds), (profile,))[profile]
        assert f"{mg:g} mg/day of tramadol > max 300 mg/day" in line and "> max 400" not in line
    else:
        assert high == [] and not case_dose_reductions(l5_case(meds), (profile,)).get(profile)


@pytest.mark.parametrize("typed, listed", [(300.0, []), (337.5, [("over-product-max", 300.0)]),
                                           (450.0, [("over-product-max", 300.0)])])
def test_typed_ultracet_lists_the_products_check_only(typed, listed):
    report = example_report([("Ultracet", typed)])
    assert [(c.rule, c.limit_mg) for c in report.dose_checks if c.generic == "tramadol"] == listed
    assert report.row("tramadol").over_max is bool(listed)


def test_ultracet_beside_plain_tramadol_keeps_the_totals_400_check():
    # boundary: the 400 mg check counts another product too (the total's maximum), so it stays beside the product's
    report = example_report([("Ultracet", 450.0), ("tramadol 50mg bd", None)])
    checks = {(c.rule, c.limit_mg, c.daily_mg) for c in report.dose_checks if c.generic == "tramadol"}
    assert ("over-label-max", 400.0, 550.0) in checks and ("over-product-max", 300.0, 450.0) in checks


def test_text_output_marks_nine_zaldiar_above_its_maximum(capsys, tmp_path):
    text = " ".join(_cli(capsys, tmp_path, [{"name": "Zaldiar 9 tablets a day"}], "--format", "text").split())
    assert "300 mg taking 337.5 mg/day ** ABOVE ADJUSTED MAX **" in text
    data = json.loads(_cli(capsys, tmp_path, [{"name": "Zaldiar 9 tablets a day"}], "--format", "json"))
    row = next(r for r in data["medications"]["rows"] if r["drug"] == "tramadol")
    assert row["over_max"] is True and row["adjusted_max_daily_mg"] == 300
