"""Under the uk profile the paracetamol rules and the opioid-in-pregnancy note are worded and cited
from UK sources; the us profile keeps the US label's (gp17 F13, uk17's "not finished"; src18;
rules.toml ``[rule.in_profile.uk]`` / ``[interaction.in_profile.uk]``).

Before: under uk, "Hepatic impairment ... (the label says to ask a doctor with liver disease ...)"
cited "US OTC internal analgesic labeling for acetaminophen (21 CFR 201.326 ...)"; so did alcohol,
weight under 50 kg and two paracetamol products; pregnancy cited the FDA 2025 autism news release;
and "Pregnant, N weeks: prolonged opioid use ... (FDA boxed warning)" cited the US opioid labels.

Primary sources (resources/medicines/sources.toml, read 2026-11-30 through the search tool):
- Paracetamol Tablets B.P. 500mg, UK SmPC (emc 100828) 4.4: "Care is advised in the
  administration of paracetamol to patients with severe renal or severe hepatic impairment. The
  hazards of overdose are greater in those with non-cirrhotic alcohol disease." and "Do not take
  anything else containing paracetamol while taking this medicine." (``paracetamol-uk-cautions``)
- NHS "How and when to take paracetamol for adults": "if you weigh less than 50kg check the
  maximum dose with your doctor or pharmacist" (``paracetamol-uk``, uk17).
- NHS "Can I take paracetamol if I'm on warfarin?": "This is more likely to occur if paracetamol
  is taken in doses greater than 2g (4 tablets) daily for more than a few days."
  (``nhs-paracetamol-warfarin``)
- MHRA, September 2025: "There is no evidence that taking paracetamol during pregnancy causes
  autism in children. Paracetamol remains the recommended pain relief option for pregnant women
  when used as directed." (``mhra-paracetamol-pregnancy-2025``)
- NHS Specialist Pharmacy Service, "Using opioids for pain relief during pregnancy" (read on
  sps.nhs.uk by src20): "Complications from neonatal withdrawal may occur with the use of opioid
  analgesics in pregnancy. Use of any opioid during pregnancy, particularly if it has been used
  long-term and/or around the time of delivery, confers a risk of neonatal respiratory depression."
  (``ukmi-opioids-pregnancy``; it replaces UKMi Q&A 200.4, read only in a copy: "Opioids used near
  to term may cause neonatal respiratory depression and long-term use may lead to withdrawal
  symptoms (neonatal abstinence syndrome) in the neonate.")
Boundaries: weight 49.5, 50 and 50.5 kg (the rule is "under 50 kg"); pregnant / not pregnant.
"""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import (MedicineDataError, _build, assess_medications,
                                                        load_medicine_data)

from tests.domain.test_combination_doses import AS_OF, _case
from tests.domain.test_combination_products import _raw

US_LABEL = "21 CFR 201.326"
UK_CAUTIONS = "care is advised in the administration of paracetamol to patients with severe renal or severe hepatic impairment"


def _report(meds, profile, *, conditions=None, weight=80, weeks=None, sex="male"):
    d = _case(meds)
    d["patient"].update(weight_kg=weight, sex=sex)
    if weeks is not None:
        d["patient"].update(sex="female", pregnancy_weeks=weeks, pregnant=True)
    d["conditions"].update(conditions or {})
    return assess_medications(parse_case(d).intake, AS_OF, profile=profile)


def _reason(report, drug, rule):
    return next((r for r in report.row(drug).reasons if r.rule == rule), None)


# --------------------------------------------------------------------------- liver, alcohol
@pytest.mark.parametrize("rule, conditions", [
    ("apap-hepatic", {"hepatic_impairment": True}),
    ("apap-alcohol", {"alcohol_use": "above_limits"}),
])
def test_liver_and_alcohol_caps_cite_the_uk_smpc_under_uk_and_the_us_label_under_us(rule, conditions):
    uk = _reason(_report([("paracetamol", 3000)], "uk", conditions=conditions), "acetaminophen", rule)
    us = _reason(_report([("paracetamol", 3000)], "us", conditions=conditions), "acetaminophen", rule)
    assert UK_CAUTIONS in uk.source.lower() and US_LABEL not in uk.source
    assert "UK SmPC" in uk.text and "the label says to ask a doctor" not in uk.text
    assert "2 g/day" in uk.text and "a conservative limit of this tool" in uk.text
    assert US_LABEL in us.source and "the label says to ask a doctor" in us.text
    # the same cap and the same severity in both profiles: only the words and the source differ
    assert uk.severity == us.severity == "caution"
    for profile in ("uk", "us"):
        row = _report([("paracetamol", 3000)], profile, conditions=conditions).row("acetaminophen")
        assert row.adjusted_max_daily_mg == 2000


@pytest.mark.parametrize("profile", ["uk", "us"])
@pytest.mark.parametrize("conditions", [{"hepatic_impairment": False}, {"alcohol_use": "within_limits"}])
def test_no_liver_or_alcohol_reason_without_the_condition(profile, conditions):
    report = _report([("paracetamol", 3000)], profile, conditions=conditions)
    assert _reason(report, "acetaminophen", "apap-hepatic") is None
    assert _reason(report, "acetaminophen", "apap-alcohol") is None


# --------------------------------------------------------------------------- weight under 50 kg
@pytest.mark.parametrize("weight, fires", [(49.5, True), (50, False), (50.5, False)])
def test_weight_under_50_kg_cites_the_nhs_page_under_uk(weight, fires):
    uk = _reason(_report([("paracetamol", 2000)], "uk", weight=weight), "acetaminophen", "apap-low-weight")
    us = _reason(_report([("paracetamol", 2000)], "us", weight=weight), "acetaminophen", "apap-low-weight")
    assert (uk is not None) is fires and (us is not None) is fires
    if fires:
        assert "check the maximum dose with a doctor or pharmacist" in uk.text
        assert "if you weigh less than 50kg check the maximum dose" in uk.source.lower()
        assert US_LABEL not in uk.source and US_LABEL in us.source
        # 60 mg/kg a day of 49.5 kg, in both profiles
        assert "2970 mg/day" in uk.text and "2970 mg/day" in us.text


# --------------------------------------------------------------------------- warfarin
@pytest.mark.parametrize("profile", ["uk", "us"])
def test_warfarin_cites_the_nhs_page_under_uk_and_hylek_in_both(profile):
    reason = _reason(_report([("paracetamol", 3000), ("warfarin", None)], profile), "acetaminophen", "apap-warfarin")
    assert "Hylek" in reason.source
    if profile == "uk":
        assert "more than 2 g, 4 tablets of 500 mg, a day for more than a few days" in reason.text
        assert "greater than 2g (4 tablets) daily for more than a few days" in reason.source
    else:
        assert "nhs.uk" not in reason.source and "acetaminophen" in reason.text


@pytest.mark.parametrize("profile", ["uk", "us"])
def test_the_warfarin_interaction_cites_the_nhs_page_under_uk(profile):
    report = _report([("paracetamol", 3000), ("warfarin", None)], profile)
    ix = next(i for i in report.interactions if i.rule == "ix-warfarin-acetaminophen")
    assert ix.severity == "caution" and "Hylek" in ix.source
    if profile == "uk":
        assert ix.text == ("Warfarin with regular paracetamol (more than 2 g a day for more than a few days): "
                           "the INR can rise; check it.")
        assert "greater than 2g (4 tablets) daily for more than a few days" in ix.source
    else:
        assert ix.text == "Warfarin with regular acetaminophen: the INR can rise; check it."
        assert "nhs.uk" not in ix.source


# --------------------------------------------------------------------------- two products
@pytest.mark.parametrize("profile", ["uk", "us"])
def test_two_paracetamol_products_cite_the_uk_smpc_under_uk(profile):
    report = _report([("paracetamol", 2000), ("co-codamol 30/500", 2000)], profile)
    ix = next(i for i in report.interactions if i.rule == "ix-two-acetaminophen-products")
    assert ix.severity == "avoid"
    if profile == "uk":
        assert "do not take anything else containing paracetamol" in ix.source.lower()
        assert US_LABEL not in ix.source and "acetaminophen" not in ix.text
    else:
        assert US_LABEL in ix.source


# --------------------------------------------------------------------------- pregnancy
@pytest.mark.parametrize("weeks", [None, 12, 33])
def test_paracetamol_in_pregnancy_cites_the_mhra_under_uk_and_the_fda_under_us(weeks):
    uk = _reason(_report([("paracetamol", 2000)], "uk", weeks=weeks), "acetaminophen", "apap-pregnancy")
    us = _reason(_report([("paracetamol", 2000)], "us", weeks=weeks), "acetaminophen", "apap-pregnancy")
    if weeks is None:
        assert uk is None and us is None
        return
    assert uk.text.startswith(f"Pregnant, {weeks} weeks:") and "first-choice painkiller" in uk.text
    assert "MHRA" in uk.source and "no evidence that taking paracetamol during pregnancy causes autism" in uk.source
    assert "FDA" not in uk.text + uk.source
    assert "FDA 2025" in us.text and "FDA" in us.source


@pytest.mark.parametrize("weeks", [None, 8, 36])
@pytest.mark.parametrize("medicine, drug", [("codeine 30mg", "opioids"), ("tramadol 50mg", "tramadol")])
def test_the_opioid_pregnancy_note_cites_uk_sources_under_uk_and_the_fda_under_us(weeks, medicine, drug):
    uk = _reason(_report([(medicine, 120)], "uk", weeks=weeks), drug, "opioid-pregnancy")
    us = _reason(_report([(medicine, 120)], "us", weeks=weeks), drug, "opioid-pregnancy")
    if weeks is None:
        assert uk is None and us is None
        return
    assert uk.severity == us.severity == "caution"
    assert "FDA" not in uk.text and "boxed warning" not in uk.source.lower()
    assert "withdrawal symptoms in the newborn (neonatal abstinence syndrome)" in uk.text
    assert "long-term use may lead to withdrawal symptoms (neonatal abstinence syndrome)" in uk.source
    assert "maternity team" in uk.text
    assert "(FDA boxed warning)" in us.text and "boxed warning on neonatal opioid withdrawal" in us.source


def test_the_rule_id_is_the_same_in_both_profiles():
    """The reason names the data's rule id in both profiles (a machine key, JSON ``rule``)."""
    for profile in ("uk", "us"):
        report = _report([("paracetamol", 3000)], profile, conditions={"hepatic_impairment": True})
        assert _reason(report, "acetaminophen", "apap-hepatic") is not None


# --------------------------------------------------------------------------- the data is checked
@pytest.mark.parametrize("words, message", [
    ({"xx": {"text": "t", "source": ["nice-ng59"]}}, "unknown profile"),
    ({"uk": {"text": "t"}}, "needs text and source"),
    ({"uk": {"text": "t", "source": ["nice-ng59"], "severity": "avoid"}}, "needs text and source"),
    ({"uk": {"text": "t", "source": ["no-such-source"]}}, "not listed in sources.toml"),
    ({"uk": {"text": "t {nope}", "source": ["nice-ng59"]}}, "unknown placeholder"),
])
def test_a_bad_in_profile_wording_of_a_rule_is_refused(words, message):
    raw = copy.deepcopy(_raw())
    rule = next(r for r in raw["rules.toml"]["rule"] if r["id"] == "apap-age-60")
    rule["in_profile"] = words
    with pytest.raises(MedicineDataError, match=message):
        _build(raw)


def test_a_rule_for_one_profile_cannot_also_be_worded_per_profile():
    raw = copy.deepcopy(_raw())
    rule = next(r for r in raw["rules.toml"]["rule"] if r["id"] == "gaba-nice")  # when = { profile = "us" }
    rule["in_profile"] = {"uk": {"text": "t", "source": ["nice-ng59"]}}
    with pytest.raises(MedicineDataError, match="cannot also have in_profile"):
        _build(raw)


@pytest.mark.parametrize("words, message", [
    ({"xx": {"text": "t", "source": ["nice-ng59"]}}, "unknown profile"),
    ({"uk": {"source": ["nice-ng59"]}}, "needs text and source"),
])
def test_a_bad_in_profile_wording_of_an_interaction_is_refused(words, message):
    raw = copy.deepcopy(_raw())
    ix = next(i for i in raw["rules.toml"]["interaction"] if i["id"] == "ix-two-acetaminophen-products")
    ix["in_profile"] = words
    with pytest.raises(MedicineDataError, match=message):
        _build(raw)


def test_no_paracetamol_or_opioid_pregnancy_rule_cites_a_us_source_under_uk():
    """Every paracetamol rule worded from the US label, and the opioid pregnancy note, has a uk
    wording; under uk none of the rules that apply to paracetamol cites the US OTC label."""
    data = load_medicine_data()
    uk_rules = [r for r in data.rules_by_drug["acetaminophen"] if r.profile in (None, "uk") and "uk" not in r.profile_not_in]
    assert not [r.id for r in uk_rules if "acetaminophen-label" in r.source_ids]
    assert not [r.id for r in uk_rules if any(s.startswith("fda-") for s in r.source_ids)]
    opioid = [r for r in data.rules_by_drug["tramadol"] if r.id == "opioid-pregnancy"]
    assert {r.profile for r in opioid} == {None, "uk"}
