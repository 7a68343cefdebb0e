"""A systemic corticosteroid taken now by mouth counts as "taking an oral corticosteroid" for the
pathway by its DRUG CLASS in the medicine data, not by the pathway table's own rows (med13's note:
a patient on dexamethasone was not "taking an oral corticosteroid"). A steroid given by injection
(Depo-Medrol: "for intramuscular, intra-articular, soft tissue or intralesional injection";
Solu-Medrol and Solu-Cortef: "For Intravenous or Intramuscular Administration") or an epidural
injection is not an oral one.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from radiculopathy_desktop.domain.assess import assess_case, treatments_taken_now
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import MedicineDataError, load_medicine_data

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 11, 30)
DATA = load_medicine_data()
STEROIDS = sorted(DATA.class_members["systemic_corticosteroid"])
STEROID_BRANDS = sorted(n for n, gs in DATA.synonyms.items() if set(gs) <= set(STEROIDS))


def s1(medicines, treatments=None) -> dict:
    d = json.loads((ROOT / "resources/examples/routine_s1_follow_up_due.json").read_text(encoding="utf-8"))
    d["medicines"] = medicines
    if treatments is not None:
        d["treatments_tried"] = treatments
    return d


def assess(d):
    return assess_case(parse_case(d), AS_OF, profile="us")


def test_the_class_lists_the_usual_systemic_steroids():
    assert {"dexamethasone", "methylprednisolone", "hydrocortisone", "prednisone", "prednisolone"} <= set(STEROIDS)
    assert {"depo-medrol", "solu-medrol", "solu-cortef", "medrol", "decadron", "cortef"} <= set(STEROID_BRANDS)


@pytest.mark.parametrize("name", STEROIDS)
def test_every_steroid_of_the_class_taken_by_mouth_is_an_oral_corticosteroid(name):
    a = assess(s1([{"name": name, "daily_dose_mg": 4}]))
    assert "oral_corticosteroid" in treatments_taken_now(a.medications)
    med = a.pathway.step("medicines")
    assert med.state in ("done", "review", "current")
    assert any("Taking now: Oral corticosteroid" in w for w in med.why)


@pytest.mark.parametrize("name", [n for n in STEROID_BRANDS if n not in DATA.injected_names])
def test_a_brand_taken_by_mouth_counts_too(name):
    assert "oral_corticosteroid" in treatments_taken_now(assess(s1([{"name": name}])).medications)


@pytest.mark.parametrize("name", ["depo-medrol", "Depo-Medrol 80 mg", "solu-medrol", "solu-cortef 100 mg",
                                  "dexamethasone injection", "methylprednisolone IV", "triamcinolone epidural"])
def test_a_steroid_given_by_injection_is_not_an_oral_one(name):
    a = assess(s1([{"name": name}]))
    assert "oral_corticosteroid" not in treatments_taken_now(a.medications)
    assert not any("Oral corticosteroid" in w for w in a.pathway.step("medicines").why[:1]
                   if w.startswith("Taking now"))


def test_an_epidural_injection_tried_is_not_an_oral_steroid():
    a = assess(s1([], treatments=[{"code": "epidural_steroid_injection", "started": "2026-09-01"}]))
    assert "oral_corticosteroid" not in treatments_taken_now(a.medications)
    assert not any("Oral corticosteroid" in w for w in a.pathway.step("medicines").why)
    assert a.pathway.step("injections").state == "done"


def test_boundaries_other_classes():
    assert treatments_taken_now(assess(s1([{"name": "sertraline", "daily_dose_mg": 50}])).medications) == frozenset()
    assert treatments_taken_now(assess(s1([{"name": "celecoxib", "daily_dose_mg": 200}])).medications) == {"nsaid"}
    assert treatments_taken_now(assess(s1([{"name": "prednisolone", "daily_dose_mg": 5}])).medications) == {
        "oral_corticosteroid"}


def assess_uk(d):
    return assess_case(parse_case(d), AS_OF, profile="uk")


def test_a_steroid_rated_avoid_makes_the_medicines_step_review_naming_it():
    """NICE NG59 (2020): "Do not offer oral corticosteroids for managing sciatica": the uk
    medicine table rates prednisolone taken now AVOID, so the medicines step is "review" naming
    it, not "done" (rd13 D13)."""
    a = assess_uk(s1([{"name": "prednisolone", "daily_dose_mg": 40}]))
    assert [(m.medicines, m.status) for m in a.medicine_alerts] == [(("prednisolone",), "avoid")]
    med = a.pathway.step("medicines")
    assert med.state == "review"
    assert med.why[0] == "Review: prednisolone: avoid (see the medicine alerts)"
    # boundary: the us profile does not rate it avoid: the step is done
    assert assess(s1([{"name": "prednisolone", "daily_dose_mg": 40}])).pathway.step("medicines").state == "done"


def test_an_nsaid_beside_a_steroid_at_71_is_reviewed_naming_the_nsaid():
    """AGS Beers 2023: avoid an NSAID with a corticosteroid at 65 and over (the table folds it
    into the NSAID's own alert); the taking-now line names both classes."""
    a = assess(s1([{"name": "dexamethasone", "daily_dose_mg": 4}, {"name": "ibuprofen", "daily_dose_mg": 1200}]))
    med = a.pathway.step("medicines")
    assert med.state == "review"
    assert med.why[0] == "Review: ibuprofen: avoid (see the medicine alerts)"
    assert med.why[1].startswith("Taking now: NSAID, Oral corticosteroid")
    assert "taper" not in med.why[1]  # med16: dexamethasone 4 mg a day is taken now, not a taper


def test_the_injected_forms_data_is_checked(tmp_path):
    import shutil
    from radiculopathy_desktop.domain.medications import default_data_dir
    target = tmp_path / "medicines"
    shutil.copytree(default_data_dir(), target)
    p = target / "routes.toml"
    p.write_text(p.read_text(encoding="utf-8").replace('names = ["depo-medrol"', 'names = ["depo-medrolx"', 1),
                 encoding="utf-8")
    with pytest.raises(MedicineDataError, match="depo-medrolx.*not a known brand name"):
        load_medicine_data(str(target))


def test_whether_a_name_is_given_by_injection_is_not_remembered_per_typed_name():
    """Issue 17 (no cache keyed on a patient's inputs): the injection test of a typed medicine
    name is worked out from the data each time; only the known names (what the data spells)
    are looked up in a table made once from the data. Each typed form gives the same answer
    as the definition, and no typed name is kept afterwards."""
    data = load_medicine_data()
    typed = ["Depo-Medrol 80 mg", "dexamethasone injection", "methylprednisolone IV", "solu-cortef 100 mg",
             "Dexamethasone", "prednisolone 5 mg tablets", "kenalog   injection", "Medrol", "zzz unknown im"]
    expected = [True, True, True, True, False, False, True, False, True]
    for name, want in zip(typed, expected):
        assert data.by_injection(name) is want, name
    for known in data.known_names():
        assert data.by_injection(known) is data._by_injection(known)
    held = [v for v in vars(data).values() if isinstance(v, dict)]
    for name in typed:
        assert not any(name in table for table in held), name
