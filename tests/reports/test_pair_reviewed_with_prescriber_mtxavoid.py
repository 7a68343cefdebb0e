"""mtxavoid (H-MED-670..672, H-FMT-902, H-UI-528): a pair of two different kinds of medicine whose rule names no side
to keep is reviewed with the prescriber, neither medicine listed as one to avoid or stop.

The follow-up worklist read "Avoid: ibuprofen 400mg tds, methotrexate 15mg once weekly": methotrexate listed under
Avoid beside the NSAID, as if a clinician on a back-pain list might stop it. NSAIDs reduce methotrexate clearance
(rules.toml ix-nsaid-methotrexate: avoid, or only with the prescriber of the methotrexate and monitoring); which one
changes is the prescriber's decision, and no primary source is cited for a side to keep (rules.toml has ``keep`` only
for an NSAID with an anticoagulant, whose label's boxed warning says stopping the anticoagulant early raises the risk
of clots: anticoagulant-discontinuation). So a pair with no side to keep says the combination is to avoid and that
both are to be reviewed with the prescriber; an NSAID with an anticoagulant keeps its review/keep words (avoidside),
and a duplicate (two NSAIDs) keeps "stop one": its medicines are of one kind.
"""

from __future__ import annotations

import json

import pytest
from fhir.resources.R4B.bundle import Bundle

from radiculopathy_desktop.domain.medications import Interaction, assess_medications, load_medicine_data
from radiculopathy_desktop.domain.medicine_alerts import reviewed_with_prescriber
from radiculopathy_desktop.domain.pathway_medicines import treatments_to_review
from radiculopathy_desktop.domain.worklist_marks import AlertMark, AlertSpan, alert_marks, marks_from_json, marks_words
from radiculopathy_desktop.reports import fhir
from radiculopathy_desktop.ui.worklist import safety_text, safety_tip
from tests.reports.test_contraindicated_words_agree import AS_OF, case, window_alerts

IBU, NAP, MTX = "ibuprofen 400mg tds", "naproxen 500mg bd", "methotrexate 15mg once weekly"
APIXABAN = "apixaban 5mg bd"
BOTH = "Review both with the prescriber now: do not continue them together unless there is a clear reason."
ALL = "Review them all with the prescriber now: do not continue them together unless there is a clear reason."

#: Every interaction rule of rules.toml rated avoid or contraindicated, as this change classifies it: a side kept
#: (avoidside), a duplicate of one kind ("stop one"), or a pair of kinds reviewed with the prescriber. A new rule must be
#: placed here by someone who read it.
KEEPS_A_SIDE = {"ix-nsaid-anticoagulant"}
DUPLICATES = {"ix-two-nsaids", "ix-two-gabapentinoids", "ix-same-nsaid-twice", "ix-same-gabapentinoid-twice",
              "ix-two-different-opioids", "ix-two-acetaminophen-products",
              "ix-two-tramadol-products", "ix-two-codeine-products", "ix-two-oxycodone-products",
              "ix-two-dihydrocodeine-products", "ix-two-hydrocodone-products"}
REVIEWED_WITH_PRESCRIBER = {"ix-opioid-benzodiazepine", "ix-opioid-gabapentinoid", "ix-nsaid-lithium",
                            "ix-triple-whammy", "ix-tramadol-maoi", "ix-tramadol-antidepressant",
                            "ix-tizanidine-fluvoxamine", "ix-cyclobenzaprine-maoi", "ix-clopidogrel-omeprazole",
                            "ix-nsaid-methotrexate", "ix-metamizole-methotrexate", "ix-opioid-maoi", "ix-opioid-cns"}


def _meds(*names):
    return case([(n, None) for n in names])


def _pair(c, rule_words):
    (alert,) = [a for a in window_alerts(c) if a.kind == "interaction" and a.reasons[0].startswith(rule_words)]
    return alert


def _marks(c):
    return alert_marks(c, AS_OF, "us")


def _why(marks) -> str:
    return safety_text({"medicine_alerts": marks})


# -- which rules -------------------------------------------------------------------------------------------------------

def test_every_alerting_interaction_rule_is_either_kept_a_duplicate_or_reviewed_with_the_prescriber():
    data = load_medicine_data()
    alerting = {r.id: r for r in data.interactions if r.severity in ("avoid", "contraindicated")}
    assert set(alerting) == KEEPS_A_SIDE | DUPLICATES | REVIEWED_WITH_PRESCRIBER
    for rid, rule in alerting.items():
        names = tuple(f"medicine {n}" for n in range(len(rule.sides)))
        kept = names[-1:] if rule.keep else ()
        ix = Interaction(rid, names, rule.severity, "text", "src", kept, rule.keep_why if kept else "")
        assert reviewed_with_prescriber(ix) == (rid in REVIEWED_WITH_PRESCRIBER), rid
    assert {r.id for r in data.interactions if r.keep} == KEEPS_A_SIDE


def test_a_caution_pair_or_one_product_is_never_a_pair_to_review_with_the_prescriber():
    caution = Interaction("ix-nsaid-ssri-snri", (IBU, "sertraline 50mg"), "caution", "t", "s")
    one_product = Interaction("ix-nsaid-methotrexate", (MTX, MTX), "avoid", "t", "s")
    unknown = Interaction("ix-not-a-rule", (IBU, MTX), "avoid", "t", "s")
    assert not any(reviewed_with_prescriber(ix) for ix in (caution, one_product, unknown))


# -- methotrexate with one NSAID ---------------------------------------------------------------------------------------

def test_methotrexate_with_an_nsaid_is_reviewed_with_the_prescriber_never_listed_as_to_avoid():
    c = _meds(MTX, IBU)
    alert = _pair(c, "NSAID with methotrexate")
    assert alert.both and alert.kept == () and alert.status_label == "Avoid"  # the combination keeps its rating
    assert alert.action == BOTH and alert.text.endswith(BOTH)
    assert "stop or change" not in alert.text
    assert alert.to_dict()["review_with_prescriber"] == [IBU, MTX] and "keep" not in alert.to_dict()
    (mark,) = _marks(c)
    assert mark.both
    assert mark.words().startswith(f"Avoid: {IBU} and {MTX} together (review both with the prescriber). ")
    why = _why((mark,))
    assert why == f"AVOID: {IBU} and {MTX} together (review both with the prescriber)."
    assert f"AVOID: {IBU}, {MTX}" not in why and f", {MTX}." not in why
    assert BOTH in safety_tip({"medicine_alerts": (mark,)})


@pytest.mark.parametrize("meds, rule_words", [
    ((IBU, "lithium 400mg"), "NSAID with lithium"),
    ((IBU, "ramipril 5mg", "furosemide 40mg"), "NSAID with an ACE inhibitor"),
    (("clopidogrel 75mg", "omeprazole 20mg"), "Clopidogrel with omeprazole"),
    (("metamizole 500mg tds", MTX), "Metamizole (metamizol) with methotrexate"),
])
def test_other_pairs_with_no_side_to_keep_name_the_combination_and_review_all_with_the_prescriber(meds, rule_words):
    c = _meds(*meds)
    alert = _pair(c, rule_words)
    assert alert.both and alert.action == (BOTH if len(meds) == 2 else ALL)
    (mark,) = [m for m in _marks(c) if m.medicines == tuple(meds)]
    listed = " and ".join(meds) if len(meds) == 2 else f"{', '.join(meds[:-1])} and {meds[-1]}"
    assert mark.named() == f"{listed} together (review {'both' if len(meds) == 2 else 'them all'} with the prescriber)"
    assert f"AVOID: {listed} together" in _why(_marks(c))


def test_a_pair_that_must_not_be_stopped_suddenly_keeps_its_taper_and_is_named_as_the_combination():
    c = _meds("codeine 30mg qds", "diazepam 5mg tds")
    alert = _pair(c, "Opioid with a benzodiazepine")
    assert alert.both and "do not stop codeine 30mg qds or diazepam 5mg tds suddenly" in alert.action
    (mark,) = _marks(c)
    assert _why((mark,)) == ("AVOID: codeine 30mg qds and diazepam 5mg tds together (review both with the "
                             "prescriber).")


def test_a_contraindicated_pair_with_no_side_to_keep_leaves_which_to_stop_to_the_prescriber():
    alert = _pair(_meds("cyclobenzaprine 10mg tds", "phenelzine 15mg tds"), "Cyclobenzaprine with an MAO inhibitor")
    assert alert.both and alert.status_label == "Contraindicated"
    assert alert.action == ("Review both with the prescriber now: they must not be taken together; with the "
                            "prescriber, stop one of them and choose another option.")


# -- two NSAIDs with methotrexate --------------------------------------------------------------------------------------

def test_two_nsaids_with_methotrexate_review_all_three_and_the_duplicate_says_one_nsaid_still_meets_methotrexate():
    c = _meds(IBU, NAP, MTX)
    pair = _pair(c, "NSAID with methotrexate")
    assert pair.medicines == (IBU, NAP, MTX) and pair.action == ALL
    duplicate = _pair(c, "Two NSAIDs together")
    assert not duplicate.both and "stop one" in duplicate.text
    assert duplicate.text.endswith(f"Keeping one of them does not end the risk with {MTX} (NSAID with methotrexate): "
                                   "review that alert too.")
    why = _why(_marks(c))
    # the NSAIDs' own duplicate lists them under AVOID; methotrexate appears only in the pair's words
    assert why == (f"AVOID: {IBU}, {NAP}. AVOID: {IBU}, {NAP} and {MTX} together (review them all with the "
                   f"prescriber).")
    assert MTX not in why.split(" together")[0].split(f"{NAP} and ")[0]


# -- a pair with a side to keep is unchanged ---------------------------------------------------------------------------

@pytest.mark.parametrize("nsaids", [(NAP,), (IBU, NAP)])
def test_an_nsaid_with_an_anticoagulant_keeps_its_review_and_keep_words(nsaids):
    c = _meds(*nsaids, APIXABAN)
    pair = _pair(c, "NSAID with an anticoagulant")
    assert not pair.both and pair.kept == (APIXABAN,)
    assert "review_with_prescriber" not in pair.to_dict() and pair.to_dict()["keep"] == [APIXABAN]
    marks = _marks(c)
    assert not any(m.both for m in marks)
    why = _why(marks)
    assert f"KEEP: {APIXABAN} (do not stop without its prescriber)." in why and "together (review" not in why
    stored = AlertSpan(AS_OF, None, marks).to_json()
    assert all(len(m) <= 5 for m in stored[2])  # no sixth item


# -- stored and exported forms -----------------------------------------------------------------------------------------

def test_the_stored_mark_carries_the_pair_to_review_and_reads_back_the_same():
    marks = _marks(_meds(IBU, MTX))
    stored = json.loads(json.dumps(AlertSpan(AS_OF, None, marks).to_json()))
    assert stored[2][0][4:] == [[], 1]  # no medicine to keep, the pair reviewed with the prescriber
    assert marks_from_json([stored], AS_OF) == marks
    # a mark stored before (four items) reads back as before: DOSE_ALERTS_VERSION 90 rewrites it
    old = [stored[0], stored[1], [m[:4] for m in stored[2]]]
    (before,) = marks_from_json([old], AS_OF)
    assert not before.both and before.named() == f"{IBU}, {MTX}"
    assert marks_words(marks).startswith(f"Avoid: {IBU} and {MTX} together (review both with the prescriber).")


def test_the_lost_alert_audit_names_the_pair_to_review_with_the_prescriber():
    from radiculopathy_desktop.storage.engine_common import medicine_alerts_lost

    lost = medicine_alerts_lost(_meds(IBU, MTX), _meds(MTX))  # the re-imported file leaves the NSAID out
    assert [words for _on, words, _lowered, _profiles in lost] == [
        f"AVOID: {IBU} and {MTX} together (review both with the prescriber)"]


def test_the_version_of_stored_alerts_moves_so_stored_marks_are_rewritten():
    from radiculopathy_desktop.storage.store import DOSE_ALERTS_VERSION

    assert DOSE_ALERTS_VERSION >= 90


def test_the_fhir_interaction_detail_says_both_are_reviewed_with_the_prescriber():
    bundle = Bundle.model_validate(fhir.case_bundle(_meds(IBU, MTX), AS_OF, profile="us"))
    issues = [e.resource for e in bundle.entry if e.resource.get_resource_type() == "DetectedIssue"
              and "methotrexate" in (e.resource.detail or "") and e.resource.code.coding[0].code == "DRG"]
    (issue,) = issues
    assert issue.detail.endswith(BOTH) and "keep" not in issue.detail.lower()
    assert len(issue.implicated) == 2  # both stay implicated


def test_the_pathway_review_line_says_both_with_the_prescriber():
    report = assess_medications(_meds(IBU, MTX).intake, AS_OF, profile="us")
    words = {w for _code, w in treatments_to_review(report)}
    assert words == {f"{IBU} with {MTX}: avoid together, review both with the prescriber"}


def test_a_mark_without_the_pair_flag_is_named_as_before():
    assert AlertMark("Avoid", (IBU, NAP), "x").named() == f"{IBU}, {NAP}"
    assert AlertMark("Avoid", (IBU, MTX), "x", both=True).named() == (
        f"{IBU} and {MTX} together (review both with the prescriber)")
