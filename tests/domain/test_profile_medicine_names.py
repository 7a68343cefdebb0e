"""Under the uk profile a clinician reads "paracetamol", never "acetaminophen", and the paracetamol
daily maximum cites the UK sources; the us profile keeps "acetaminophen" and the US label
(gp16 F7, uk17; H-MED-242; drugs.toml ``[profile_names.uk]``, ``[drugs.acetaminophen.profile_max.uk]``).

Before: `assess --profile uk` of co-codamol 30/500 at 5000 mg a day said "AVOID: Taking co-codamol
30/500 (5000 mg/day of acetaminophen) ... [US OTC internal analgesic labeling for acetaminophen
(21 CFR 201.326 ...)]", and the case page's banner "(codeine, acetaminophen)".

Primary sources (resources/medicines/sources.toml ``paracetamol-uk``, read 2026-11-30):
- Paracetamol Tablets B.P. 500mg, UK SmPC (emc 100828) 4.2: "Under no circumstances must the
  daily dose of paracetamol exceed four grams in 24 hours."
- NHS, How and when to take paracetamol for adults: "Adults can take two, 500mg tablets, 4 times
  in 24 hours ... Do not take more than 8 tablets in 24 hours."
- US: 21 CFR 201.326 (OTC acetaminophen): do not exceed 4000 mg in 24 hours (``acetaminophen-label``).
Boundaries: 3999, 4000 and 4001 mg a day. The JSON's machine keys (row "drug", "class",
"treatment_code", a component's "generics", rule ids) keep the data's name in both profiles.
"""

from __future__ import annotations

import json

import pytest

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import dose_reductions, load_medicine_data
from radiculopathy_desktop.commands.assessment_text import assessment_text

from tests.domain.test_combination_doses import AS_OF, _case, _report

UK_SOURCE = "under no circumstances must the daily dose of paracetamol exceed four grams in 24 hours"
US_SOURCE = "21 CFR 201.326"
#: where "acetaminophen" may stay under uk: machine keys, and cited documents' own titles
MACHINE_KEYS = {"drug", "class", "treatment_code", "generics", "classes", "medicines", "avoid", "id", "treatments",
                "attaches_to", "recommendation", "code", "section", "source", "title", "rule", "kinds"}


def _strings(o, key=None):
    if isinstance(o, dict):
        for k, v in o.items():
            yield from _strings(v, k)
    elif isinstance(o, list):
        for v in o:
            yield from _strings(v, key)
    elif isinstance(o, str):
        yield key, o


@pytest.mark.parametrize("mg, over", [(3999, False), (4000, False), (4001, True)])
@pytest.mark.parametrize("profile, name, source, not_source", [
    ("uk", "paracetamol", UK_SOURCE, US_SOURCE), ("us", "acetaminophen", US_SOURCE, UK_SOURCE)])
def test_the_paracetamol_maximum_is_named_and_cited_for_the_profile(mg, over, profile, name, source, not_source):
    report = _report([("paracetamol", mg)], profile)
    row = report.row("acetaminophen")  # the machine key stays
    assert row.drug == "acetaminophen" and row.dose_limit_mg == 4000
    assert row.over_max is over
    assert row.label == ("Paracetamol" if profile == "uk" else "Acetaminophen (paracetamol)")
    if over:
        reason = next(r for r in row.reasons if "4001" in r.text or "maximum" in r.text.lower())
        assert source.lower() in reason.source.lower() and not_source.lower() not in reason.source.lower()
        assert dose_reductions(report) and all("acetaminophen" not in line or profile == "us"
                                                for line in dose_reductions(report))


@pytest.mark.parametrize("profile", ["uk", "us"])
def test_co_codamol_above_the_paracetamol_maximum_in_json_text_and_worklist(profile):
    """gp16 F7's case: co-codamol 30/500 recorded as 5000 mg a day (10 tablets: paracetamol 5000 mg)."""
    d = _case([("co-codamol 30/500", 5000)])
    case = parse_case(d)
    data = assess_case(case, AS_OF, profile=profile).to_dict()
    text = assessment_text(data)
    if profile == "uk":
        assert "5000 mg/day of paracetamol" in text and "acetaminophen" not in " ".join(
            t for k, t in _strings(data) if k not in MACHINE_KEYS).lower()
        # the only "acetaminophen" left in the text is a cited document's own title
        assert all("Evidence review: acetaminophen" in line or "acetaminophen" not in line.lower()
                   for line in text.splitlines()), [l for l in text.splitlines() if "acetaminophen" in l.lower()]
        assert "daily dose of paracetamol exceed four grams in 24 hours" in " ".join(text.split())
        assert US_SOURCE not in text
        alerts = " ".join(a["text"] for a in data["medicine_alerts"])
        assert "paracetamol" in alerts and "acetaminophen" not in alerts.lower()
    else:
        assert "5000 mg/day of acetaminophen" in text and US_SOURCE in " ".join(text.split())
    # the machine keys are the data's in both profiles
    row = next(r for r in data["medications"]["rows"] if r["drug"] == "acetaminophen")
    assert row["class"] == "acetaminophen" and row["treatment_code"] == "acetaminophen"
    med = data["medications"]["current_medicines"][0]
    assert med["generics"] == ["codeine", "acetaminophen"] and med["name"] == "co-codamol 30/500"
    report = _report([("co-codamol 30/500", 5000)], profile)
    assert any(f"of {'paracetamol' if profile == 'uk' else 'acetaminophen'}" in line for line in dose_reductions(report))


@pytest.mark.parametrize("profile, word", [("uk", "Paracetamol"), ("us", "Acetaminophen (paracetamol)")])
def test_the_pathway_and_monitoring_name_it_for_the_profile(profile, word):
    case = parse_case(_case([("paracetamol", 3000)]))
    data = assess_case(case, AS_OF, profile=profile).to_dict()
    whys = [w for s in data["pathway"]["steps"] for w in s["why"] if "Taking now" in w or "Already tried" in w]
    assert any(word in w for w in whys), whys
    side = next(i for i in data["monitoring"]["items"] if i["id"] == "side_effects")
    # dialog31: the detail names treatments by their label ("Taking now: Paracetamol."), not the code
    assert ("paracetamol" if profile == "uk" else "acetaminophen") in side["detail"].lower()
    if profile == "uk":
        assert "acetaminophen" not in side["detail"].lower() and not any("Acetaminophen" in w for w in whys)


def test_the_fhir_display_is_the_profiles_name_and_the_code_the_datas():
    from radiculopathy_desktop.reports.fhir_medicines import add_medicines

    case = parse_case(_case([("co-codamol 30/500", 240)]))
    for profile, display in (("uk", "paracetamol"), ("us", "acetaminophen")):
        added = []
        add_medicines(case, AS_OF, {"reference": "Patient/x"}, lambda key, res: added.append(res) or key,
                      profile=profile)
        coding = added[0]["medicationCodeableConcept"]["coding"]
        assert [(c["code"], c["display"]) for c in coding] == [("codeine", "codeine"), ("acetaminophen", display)]
        assert display in added[0]["dosage"][0]["text"]


def test_the_naming_rule_is_data_and_whole_words_only():
    names = load_medicine_data().names_for("uk")
    assert names.text("Acetaminophen (paracetamol): acetaminophen, Acetaminophen.") == "Paracetamol: paracetamol, Paracetamol."
    assert names.text("acetaminophen-label") == "acetaminophen-label"  # an id, not a word
    assert names.name("acetaminophen") == "paracetamol" and names.name("codeine") == "codeine"
    assert not load_medicine_data().names_for("us")
    assert load_medicine_data().names_for("us").text("acetaminophen") == "acetaminophen"


@pytest.mark.parametrize("profile, name, other", [("uk", "paracetamol", "acetaminophen"),
                                                  ("us", "acetaminophen", "paracetamol 4000")])
def test_the_handouts_notes_to_the_clinician_name_it_for_the_profile(profile, name, other):
    """NHS co-codamol: "do not take co-codamol with other medicines that contain paracetamol"."""
    from radiculopathy_desktop.reports import handouts as h

    case = parse_case(_case([("co-codamol 30/500", 240), ("paracetamol", 2000)]))
    note = h.taken_now_note(h.doses_from_engine(case, AS_OF, profile=profile))
    assert f"both containing {name}" in note and f"{name} 4000 mg a day" in note
    assert other not in note



def test_a_name_the_medicine_was_recorded_under_is_quoted_as_typed_under_uk():
    """Red team rt17 F8: under uk the renaming rewrote the recorded name inside the texts that
    quote it: "acetaminophen wibble 500mg" was quoted as "paracetamol wibble 500mg", a name in no
    record, and "ACETAMINOPHEN 500MG 2 tabs qds" two ways in one report. The generic words the
    data writes say paracetamol; what was typed is quoted as typed, whatever its capitals."""
    import datetime as _dt
    import json as _json
    import re as _re
    from pathlib import Path as _Path

    from radiculopathy_desktop.domain.intake import parse_case as _parse
    from radiculopathy_desktop.domain.medications import assess_medications as _assess

    root = _Path(__file__).resolve().parents[2]
    d = _json.loads((root / "resources/examples/routine_l5_acute.json").read_text(encoding="utf-8"))
    typed = ["acetaminophen wibble 500mg", "ACETAMINOPHEN 500MG 2 tabs qds", "acetaminophen er 650"]
    d["medicines"] = [{"name": typed[0]}, {"name": typed[1]}, {"name": typed[2], "daily_dose_mg": 4400}]
    case = _parse(d)
    text = _json.dumps(_assess(case.intake, case.intake.visit_date, profile="uk").to_dict(), ensure_ascii=False)
    for name in typed:
        renamed = _re.sub("acetaminophen", "paracetamol", name, flags=_re.IGNORECASE)
        assert renamed.lower() not in text.lower().replace(name.lower(), "")  # never quoted renamed
    assert "paracetamol" in text  # the data's own words are the uk ones


def test_the_naming_rule_leaves_texts_without_a_renamed_word_untouched_and_shares_its_pattern():
    """Issue 17: the uk naming pass ran its pattern over every text of every row; a text holding
    no renamed word is returned as it is, and keeping recorded names that hold none is the rule
    itself (the same words either way: the goldens pin the whole output)."""
    from radiculopathy_desktop.domain.medications import ProfileNames

    names = ProfileNames({"acetaminophen": "paracetamol"})
    text = "Ibuprofen 400 mg three times a day"
    assert names.text(text) is text and not names.mentions(text)
    assert names.text("Acetaminophen (paracetamol) 1 g") == "Paracetamol 1 g"
    assert names.keeping(["ibuprofen", "paracetamol 500mg"]) is names
    kept = names.keeping(["ACETAMINOPHEN 500MG"])
    assert kept is not names and kept.text("Taking ACETAMINOPHEN 500MG: acetaminophen 4 g") == (
        "Taking ACETAMINOPHEN 500MG: paracetamol 4 g")
