"""The patient's own opioid total, with its label, on every command-line surface that lists the
alert, whatever else rates the medicine (mme23, H-MED-409, H-FMT-410), on both engines.

The lead's patient: "Mezolar Matrix 50" (a fentanyl patch read as 50 mcg/h, x 2.4 = 120 MME/day,
CDC 2022's MME table, sources.toml cdc-2022-mme) with diazepam. The opioid is rated Avoid for the
opioid with a benzodiazepine; the worklist's Why and the cases CSV said "Avoid: mezolar matrix 50.
Review now ..." and lost the 120 MME/day the case page gave. Every surface now says "High opioid
dose: current opioids total 120 MME/day" (CDC 2016 recommendation 5: "avoid increasing dosage to
>=90 MME/day"), and at 50-89 "Reassess opioid dose" ("carefully reassess ... >=50 MME/day").

FHIR (mme23 item 2): DetectedIssue.severity binds to the R4 value set DetectedIssueSeverity
(http://hl7.org/fhir/ValueSet/detectedissue-severity, 4.0.1): "high" "may be life-threatening or
has the potential to cause permanent injury", "moderate" "may result in noticeable adverse
consequences but is unlikely to be life-threatening". A Condition Alert labelled "Reassess opioid
dose" (a reassessment before any increase) is moderate; "High opioid dose" and Avoid stay high.
"""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest

from helpers.cli_run import cli_runner, write_json
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.resources import resource_path

from .test_own_opioid_mme_cli import TODAY, _case

DIAZEPAM = {"name": "diazepam", "daily_dose_mg": 10}
#: case id -> (medicines, the recorded name the alert names, the total's words; None: no total)
CASES = {
    "MEZ-DIAZ": ([{"name": "Mezolar Matrix 50"}, DIAZEPAM], "mezolar matrix 50",
                 "High opioid dose: current opioids total 120 MME/day"),
    "MORPH-DIAZ": ([{"name": "morphine 30mg bd"}, DIAZEPAM], "morphine 30mg bd",
                   "Reassess opioid dose: current opioids total 60 MME/day"),
    "METH-DIAZ": ([{"name": "methadone", "daily_dose_mg": 20}, DIAZEPAM], "methadone",
                  "High opioid dose if for pain: current opioids total 94 MME/day"),
    "MORPH49-DIAZ": ([{"name": "morphine", "daily_dose_mg": 49}, DIAZEPAM], "morphine", None),
    # an Avoid reason of the opioid row's own (Beers 2023: an opioid at 65 or over with a history of falls)
    "FALLS-DIAZ": ([{"name": "morphine 30mg bd"}, DIAZEPAM], "morphine 30mg bd",
                   "Reassess opioid dose: current opioids total 60 MME/day"),
}
#: mmefold34 (H-MED-706): the cases whose opioid row is rated Avoid for a reason of its own; in the others the
#: benzodiazepine is the row's only other reason, said by the pair alone, and the row is labelled by its total
OWN_AVOID = {"FALLS-DIAZ"}


def _case_of(cid: str, meds) -> dict:
    case = _case(cid, meds)
    if cid in OWN_AVOID:
        case["patient"]["age_years"] = 80
        case["conditions"] = {"falls_history": True}
    return case


def _label(cid: str) -> str:
    """The opioid row's alert label: Avoid for a reason of its own, else its total's (the pair says Avoid)."""
    return "Avoid" if cid in OWN_AVOID else CASES[cid][2].split(": ")[0]


AS_OF = ("--as-of", TODAY.isoformat())


@pytest.fixture
def run(target, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    runner = cli_runner(capsys, *target, fresh_output=True)
    cases = [_case_of(cid, meds) for cid, (meds, _name, _words) in CASES.items()]
    code, _out, err = runner("import", write_json(tmp_path, {"cases": cases}, "cases.json"))
    assert code == 0, err
    return runner


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_worklist_csv_json_and_text_say_the_total_beside_avoid(run):
    code, out, err = run("worklist", "--status", "all", "--format", "csv", *AS_OF)
    assert code == 0, err
    by_id = {r["case_id"]: r for r in csv.DictReader(io.StringIO(out))}
    for cid, (_meds, name, words) in CASES.items():
        cell = by_id[cid]["medicine_alerts"]
        if words is None:
            # spell28 (H-UI-433): below 50 MME diazepam is the row's only reason, said by the pair alone
            # mtxavoid (H-MED-670): neither side is kept, so the pair is named to review with the prescriber
            assert cell.startswith(f"Avoid: {name} and diazepam together (review both with the prescriber). "), (cid, cell)
            assert "MME/day" not in cell, cid
            continue
        label, amount = words.split(": current opioids total ")
        if cid in OWN_AVOID:
            assert cell.startswith(f"Avoid: {name}. {words}. Review now"), (cid, cell)
        else:
            # mmefold34 (H-MED-706): Avoid once, for the pair; the row is labelled by its total, said once
            assert cell.startswith(f"Avoid: {name} and diazepam together (review both with the prescriber). "), \
                (cid, cell)
            assert f"{label}: {name}. Current opioids total {amount}. Review now" in cell, (cid, cell)
            assert cell.count("Avoid: ") == 1, (cid, cell)
        assert cell.count(f"total {amount}") == 1, (cid, cell)

    code, out, err = run("worklist", "--status", "all", "--format", "json", *AS_OF)
    assert code == 0, err
    rows = {r["case_id"]: r for r in json.loads(out)["rows"]}
    for cid, (_meds, name, words) in CASES.items():
        alerts = rows[cid]["medicine_alerts"]
        (pair,) = [a for a in alerts if a["medicines"] == [name, "diazepam"]]
        assert pair["status_label"] == "Avoid" and pair["opioid_total"] is None
        if words is None:
            assert len(alerts) == 1
            continue
        (first,) = [a for a in alerts if a["medicines"] == [name]]
        label, amount = words.split(": current opioids total ")
        assert first["status_label"] == _label(cid)
        said = words + "." if cid in OWN_AVOID else f"Current opioids total {amount}."
        assert first["opioid_total"] == {"label": label, "total": amount, "words": said}

    code, out, err = run("worklist", "--status", "all", *AS_OF)
    assert code == 0, err
    listed = {line.split(":")[0].strip(): line for line in out.splitlines()[out.splitlines().index(
        next(line for line in out.splitlines() if line.startswith("Medicine alerts"))) + 1:] if line.startswith("  ")}
    for cid, (_meds, name, words) in CASES.items():
        if words and cid in OWN_AVOID:
            assert f"Avoid: {name}. {words}." in listed[cid], cid
        elif words:
            amount = words.split(": current opioids total ")[1]
            assert f"{_label(cid)}: {name}. Current opioids total {amount}." in listed[cid], cid


def test_case_page_names_the_total_after_the_medicine(run):
    for cid, (_meds, name, words) in CASES.items():
        code, out, err = run("case", cid, *AS_OF)
        assert code == 0, err
        head = _flat(out[:out.index("Visits")])
        if words is None:
            assert f"!! AVOID: Taking {name} with diazepam:" in head  # spell28: the pair alone
            assert f"Taking {name} 49 mg/day" not in head
            continue
        if cid in OWN_AVOID:
            assert f"!! AVOID: Taking {name}" in head
            assert f"({words}): avoid for this patient:" in head, (cid, head[:400])
        else:
            # mmefold34 (H-MED-706): two alerts, one AVOID (the pair) and the total under its own label
            assert "MEDICINE SAFETY: 2 current medicine alerts" in head, (cid, head[:400])
            assert head.count("!! AVOID") == 1 and f"!! AVOID: Taking {name} with diazepam:" in head
            assert f"!! {_label(cid).upper()}: Taking {name}" in head, (cid, head[:400])
            assert f"current opioids total {words.split(' total ')[1]}" in head
        assert head.count("avoid combining with an opioid") == 0  # the row's words for the benzodiazepine


def test_assess_text_and_json_say_the_total(run, tmp_path):
    schema = json.loads(resource_path("schemas", "assessment.schema.json").read_text(encoding="utf-8"))
    for cid, (meds, name, words) in CASES.items():
        path = write_json(tmp_path, _case_of(cid, meds), f"{cid}.json")
        code, out, err = run("assess", path, *AS_OF)
        assert code == 0, err
        flat = _flat(out)
        if words is not None and cid in OWN_AVOID:
            assert f"AVOID: Taking {name}" in flat and f"({words}): avoid for this patient:" in flat, cid
        elif words is not None:
            assert "MEDICINE SAFETY: 2 current medicine alerts" in flat and flat.count("!! AVOID") == 1, cid
            assert f"!! {_label(cid).upper()}: Taking {name}" in flat, cid
        code, out, err = run("assess", path, "--format", "json", *AS_OF)
        assert code == 0, err
        data = json.loads(out)
        jsonschema.validate(data, schema)
        rows = [a for a in data["medicine_alerts"] if a["kind"] == "medicine"]
        if words is None:
            assert rows == []  # spell28 (H-UI-433): the pair alone says diazepam
        else:
            (row,) = rows
            assert row["status_label"] == _label(cid)
            amount = words.split(": current opioids total ")[1]
            assert row["opioid_total"]["words"] == (words + "." if cid in OWN_AVOID
                                                    else f"Current opioids total {amount}.")
        # the interaction's alert counts no total of its own
        assert all(a["opioid_total"] is None for a in data["medicine_alerts"] if a["kind"] != "medicine")


def test_summary_pdf_says_the_total_with_its_label(run, tmp_path):
    from helpers.pdf_text import pdf_words

    for cid in ("MEZ-DIAZ", "MORPH-DIAZ", "FALLS-DIAZ"):
        _meds, name, words = CASES[cid]
        code, _out, err = run("export", "summary", cid, "--format", "pdf", "--out", str(tmp_path / f"{cid}.pdf"), *AS_OF)
        assert code == 0, err
        flat = _flat(pdf_words(tmp_path / f"{cid}.pdf")).replace("MME/ day", "MME/day")  # a line wrapped at the slash
        if cid in OWN_AVOID:
            # in the Medicine safety table, right after the medicine, beside AVOID
            assert f"AVOID Taking {name}" in flat and f"({words}): avoid for this patient:" in flat, cid
        else:
            # mmefold34 (H-MED-706): the row under the total's own label, the pair AVOID
            assert f"{_label(cid).upper()} Taking {name}" in flat, cid
            assert f"current opioids total {words.split(' total ')[1]}" in flat, cid
            assert f"AVOID Taking {name} with diazepam" in flat, cid


@pytest.mark.parametrize("cid, meds, severity", [
    ("MORPH-60", [{"name": "morphine 30mg bd"}], "moderate"),  # Reassess opioid dose, alone
    ("MORPH-50", [{"name": "morphine", "daily_dose_mg": 50}], "moderate"),
    ("MORPH-89", [{"name": "morphine", "daily_dose_mg": 89}], "moderate"),
    ("METH-60", [{"name": "methadone", "daily_dose_mg": 15}], "moderate"),  # ... if for pain, 70.5 MME/day
    ("MORPH-90", [{"name": "morphine", "daily_dose_mg": 90}], "high"),  # High opioid dose
    # fhir34 (H-FMT-905): the benzodiazepine is the pair's DRG; the COND is the total's own, as MORPH-60's
    ("MORPH-DIAZ", CASES["MORPH-DIAZ"][0], "moderate"),
])
def test_fhir_condition_alert_severity_follows_the_label(target, capsys, monkeypatch, tmp_path, cid, meds, severity):
    from fhir.resources.R4B.bundle import Bundle

    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    run = cli_runner(capsys, *target, fresh_output=True)
    code, _out, err = run("import", write_json(tmp_path, {"cases": [_case(cid, meds)]}, "one.json"))
    assert code == 0, err
    out = tmp_path / "s.json"
    code, _out, err = run("export", "summary", cid, "--format", "fhir", "--out", str(out), *AS_OF)
    assert code == 0, err
    bundle = json.loads(out.read_text(encoding="utf-8"))
    Bundle.model_validate(bundle)
    (cond,) = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "DetectedIssue"
               and e["resource"]["code"]["coding"][0]["code"] == "COND" and "Opioids" in e["resource"]["detail"]]
    assert cond["severity"] == severity, cond["detail"][:200]
    assert "current opioids total" in cond["detail"]
    if cid == "MORPH-DIAZ":
        # the pair once, as its DRG naming both; the COND says the total, not the benzodiazepine again
        assert cond["detail"].startswith("Opioids (other than tramadol): REASSESS OPIOID DOSE for this patient: "
                                         "Opioid dose: current opioids total 60 MME/day")
        assert "diazepam" not in cond["detail"].replace("(morphine 30mg bd: morphine", "")
        (drg,) = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "DetectedIssue"
                  and e["resource"]["code"]["coding"][0]["code"] == "DRG"]
        assert drg["detail"].startswith("Opioid with a benzodiazepine") and len(drg["implicated"]) == 2


@pytest.mark.parametrize("mg, own", [(40, "Reassess opioid dose"), (80, "High opioid dose")])
def test_assess_medicine_table_labels_a_candidate_by_its_own_rating(run, tmp_path, mg, own):
    """Oxycodone 40 or 80 mg/day (60 or 120 MME/day): the opioid row taken now carries the total's
    label; tramadol, not taken, is rated Avoid for adding an opioid and says AVOID (mme23 item 3:
    it read "HIGH OPIOID DOSE", the patient's own total, for a medicine she does not take)."""
    path = write_json(tmp_path, _case("OXY", [{"name": "oxycodone", "daily_dose_mg": mg}]), "oxy.json")
    code, out, err = run("assess", path, *AS_OF)
    assert code == 0, err
    rows = {line[2:32].strip(): line[32:64].strip() for line in out.splitlines()
            if line.startswith(("  Opioids (other than tramadol)", "  Tramadol "))}
    assert rows == {"Opioids (other than tramadol)": own.upper(), "Tramadol": "AVOID"}
    code, out, err = run("assess", path, "--format", "json", *AS_OF)
    assert code == 0, err
    labels = {r["label"]: r["status_label"] for r in json.loads(out)["medications"]["rows"]}
    assert labels["Opioids (other than tramadol)"] == own and labels["Tramadol"] == "Avoid"
