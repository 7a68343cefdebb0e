"""avoidside (H-MED-600..602, H-UI-480..482): an NSAID taken with an anticoagulant names the NSAID(s) to review and
says the anticoagulant is kept.

A GP tryout: for "ibuprofen 400 mg prn", "naproxen" and "apixaban 5mg bd" the worklist and the banner read "AVOID:
ibuprofen 400 mg prn, naproxen, apixaban 5mg bd ... do not continue them together", with no word that the apixaban is
the one to keep. NSAIDs with an anticoagulant raise the bleeding risk (BNF, NICE CKS NSAIDs; rules.toml
ix-nsaid-anticoagulant, source acg-2009) and the anticoagulant is the essential medicine: its label's boxed warning
says premature discontinuation of any oral anticoagulant increases the risk of thrombotic events
(anticoagulant-discontinuation). Which side is kept is data (rules.toml ``keep``), never the order of the sides
(ix-clopidogrel-omeprazole changes the PPI, its second side).

With two NSAIDs, the duplicate's "stop one" leaves one NSAID with the anticoagulant: both are to review, and the
duplicate's alert says keeping one does not end the risk. A pair with no side to keep (lithium, two NSAIDs alone) keeps
its wording, and an SSRI with an NSAID stays a caution (no alert).
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medications import MedicineDataError, assess_medications, load_medicine_data
from radiculopathy_desktop.domain.worklist_marks import AlertSpan, alert_marks, marks_from_json
from tests.helpers.cli_run import assess_text
from tests.reports.test_contraindicated_words_agree import AS_OF, case, window_alerts
from tests.cli._med26_cases import case_file

TOGETHER = "Review now: do not continue them together unless there is a clear reason."
KEEP_WHY = "stopping an anticoagulant on its own raises the risk of clots and stroke"


def _keep(name: str) -> str:
    return f"keep {name}: do not stop it without its prescriber ({KEEP_WHY})."


def _interaction(meds, rule_words):
    found = [a for a in window_alerts(case(meds)) if a.kind == "interaction" and a.reasons[0].startswith(rule_words)]
    assert len(found) == 1, [a.text for a in window_alerts(case(meds))]
    return found[0]


ANTICOAGULANTS = ["apixaban 5mg bd", "rivaroxaban 20mg od", "warfarin 5mg"]


@pytest.mark.parametrize("anticoagulant", ANTICOAGULANTS)
@pytest.mark.parametrize("nsaid", ["naproxen", "ibuprofen 400mg tds"])
def test_one_nsaid_with_an_anticoagulant_reviews_the_nsaid_and_keeps_the_anticoagulant(nsaid, anticoagulant):
    alert = _interaction([(nsaid, None), (anticoagulant, None)], "NSAID with an anticoagulant")
    assert alert.status_label == "Avoid"
    assert alert.action == (f"Review now: stop or change {nsaid} unless there is a clear reason to continue; "
                            f"{_keep(anticoagulant)}")
    assert "them" not in alert.action and TOGETHER not in alert.text
    assert alert.kept == (anticoagulant,)
    said = alert.to_dict()
    assert said["review"] == [nsaid] and said["keep"] == [anticoagulant]
    # the worklist mark names the NSAID under Avoid and the anticoagulant as kept; both stay in its medicines (the
    # Medicine alerts filter and the stored spans find the case by either)
    (mark,) = [m for m in alert_marks(case([(nsaid, None), (anticoagulant, None)]), AS_OF, "us")
               if m.kept]
    assert mark.words().startswith(f"Avoid: {nsaid} (with {anticoagulant}: keep it). NSAID with an anticoagulant")
    assert set(mark.medicines) == {nsaid, anticoagulant}


def test_the_gp_case_two_nsaids_with_apixaban_reviews_both_nsaids_and_never_suggests_keeping_one_is_enough():
    meds = [("ibuprofen 400 mg prn", None), ("naproxen", None), ("apixaban 5mg bd", None)]
    pair = _interaction(meds, "NSAID with an anticoagulant")
    assert pair.action == ("Review now: stop or change ibuprofen 400 mg prn and naproxen unless there is a clear "
                           "reason to continue (stopping only one of them still leaves the other with apixaban 5mg "
                           f"bd); {_keep('apixaban 5mg bd')}")
    duplicate = _interaction(meds, "Two NSAIDs together")
    assert duplicate.kept == ()  # the duplicate keeps neither NSAID
    assert duplicate.text.endswith("Keeping one of them does not end the risk with apixaban 5mg bd (NSAID with an "
                                   "anticoagulant): review that alert too.")
    marks = alert_marks(case(meds), AS_OF, "us")
    assert not any(m.words().startswith("Avoid: ibuprofen 400 mg prn, naproxen, apixaban") for m in marks)
    assert any(m.words().startswith("Avoid: ibuprofen 400 mg prn, naproxen (with apixaban 5mg bd: keep it).")
               for m in marks)


def test_the_worklist_why_line_lists_the_anticoagulant_as_kept_not_under_avoid():
    from radiculopathy_desktop.ui.worklist import safety_text, safety_tip

    meds = [("ibuprofen 400 mg prn", None), ("naproxen", None), ("apixaban 5mg bd", None)]
    row = {"medicine_alerts": alert_marks(case(meds), AS_OF, "us")}
    why = safety_text(row)
    assert why.startswith("AVOID: ibuprofen 400 mg prn, naproxen.")
    assert "KEEP: apixaban 5mg bd (do not stop without its prescriber)." in why
    assert "apixaban" not in why.split("KEEP:")[0]
    assert "keep apixaban 5mg bd: do not stop it without its prescriber" in safety_tip(row)


def test_a_stored_mark_keeps_its_medicine_to_keep_and_an_unaffected_mark_is_stored_as_before():
    kept = alert_marks(case([("naproxen", None), ("apixaban 5mg bd", None)]), AS_OF, "us")
    # two NSAIDs: a duplicate, no side to keep and no pair reviewed with the prescriber (mtxavoid: naproxen with
    # lithium is now such a pair, with a sixth item; tests/reports/test_pair_reviewed_with_prescriber_mtxavoid.py)
    plain = alert_marks(case([("naproxen", None), ("ibuprofen 400mg tds", None)]), AS_OF, "us")
    for marks in (kept, plain):
        stored = AlertSpan(AS_OF, None, marks).to_json()
        assert marks_from_json([stored], AS_OF) == marks
    assert plain and all(len(m) == 4 for m in AlertSpan(AS_OF, None, plain).to_json()[2])  # no fifth item: unchanged
    assert AlertSpan(AS_OF, None, kept).to_json()[2][0][4] == ["apixaban 5mg bd"]


# mtxavoid (H-MED-670): a pair of two kinds with no side to keep (lithium, methotrexate) is now reviewed with the
# prescriber (tests/reports/test_pair_reviewed_with_prescriber_mtxavoid.py); a duplicate keeps its wording
@pytest.mark.parametrize("meds, rule_words", [
    ([("ibuprofen", 1200), ("naproxen", 1000)], "Two NSAIDs together"),
    ([("ibuprofen", 1200), ("naproxen", 1000), ("diclofenac", 150)], "More than two NSAIDs together"),
])
def test_a_pair_with_no_side_to_keep_keeps_its_wording(meds, rule_words):
    alert = _interaction(meds, rule_words)
    assert alert.kept == () and alert.action == TOGETHER
    assert "keep" not in alert.to_dict() and "Keeping one" not in alert.text
    (mark,) = [m for m in alert_marks(case(meds), AS_OF, "us") if rule_words in m.action]
    assert mark.words().startswith(f"Avoid: {', '.join(mark.medicines)}. ")


def test_an_ssri_with_an_nsaid_is_a_caution_without_an_alert_or_a_side_kept():
    report = assess_medications(case([("ibuprofen", 1200), ("sertraline 50mg", None)]).intake, AS_OF)
    (ix,) = [i for i in report.interactions if i.rule == "ix-nsaid-ssri-snri"]
    assert ix.severity == "caution" and ix.kept == () and ix.to_review == ix.medicines
    assert "keep" not in ix.to_dict()
    assert not [a for a in window_alerts(case([("ibuprofen", 1200), ("sertraline 50mg", None)]))
                if a.kind == "interaction"]


def test_the_side_kept_is_data_never_the_order_of_the_sides():
    data = load_medicine_data()
    rules = {r.id: r for r in data.interactions}
    assert rules["ix-nsaid-anticoagulant"].keep == (2,) and rules["ix-nsaid-anticoagulant"].sides[1] == (
        "anticoagulant",)
    assert "premature discontinuation" in data.sources["anticoagulant-discontinuation"].lower()
    # a clopidogrel with omeprazole changes the PPI (its second side): no rule guesses the first side is to review
    assert rules["ix-clopidogrel-omeprazole"].keep == ()


@pytest.mark.parametrize("bad, words", [
    ({"keep": [3], "keep_why": "x"}, "keep must list side numbers"),
    ({"keep": [1, 2], "keep_why": "x"}, "leaving a side to review"),
    ({"keep": [2]}, "keep and keep_why go together"),
])
def test_the_loader_refuses_a_keep_it_cannot_read(bad, words):
    from radiculopathy_desktop.domain import medications as m

    rule = {"id": "ix-test", "sides": [["nsaid"], ["anticoagulant"]], "severity": "avoid", "text": "t",
            "source": ["acg-2009"], **bad}

    class _Cls:
        ids = {"nsaid", "anticoagulant"}
        generic_classes: dict = {}

    with pytest.raises(MedicineDataError, match=words):
        m._load_interactions({"interaction": [rule]}, _Cls(), lambda where, src: ("s", None))


def test_the_pathway_step_for_the_nsaid_says_to_keep_the_anticoagulant():
    from radiculopathy_desktop.domain.pathway_medicines import _not_for_patient

    report = assess_medications(case([("naproxen", None), ("apixaban 5mg bd", None)]).intake, AS_OF)
    said = _not_for_patient(report, "naproxen")
    assert said is not None and said["text"].endswith(
        f"Review now: stop or change naproxen unless there is a clear reason to continue; {_keep('apixaban 5mg bd')}")


@pytest.mark.parametrize("lang, words", [
    # plainwords (H-MED-647): the patient's sheet says "bd" in plain words; the window, banner, notes and
    # "Review now: ..." above keep "apixaban 5mg bd" as recorded
    ("en", "Keep taking your apixaban 5mg, twice a day: do not stop it unless the doctor who prescribed it tells "
           "you to."),
    ("es", "Siga tomando su apixaban 5mg, dos veces al día: no lo deje salvo que se lo indique quien se lo recetó."),
])
@pytest.mark.parametrize("nsaids", [["naproxen"], ["ibuprofen 400 mg prn", "naproxen"]])
def test_the_nsaid_sheet_tells_the_patient_to_keep_taking_the_anticoagulant(lang, words, nsaids):
    from tests.reports.test_contraindicated_words_agree import sheet

    text = sheet(case([*((n, None) for n in nsaids), ("apixaban 5mg bd", None)]), "med_nsaid", lang)
    assert words in text, text
    lithium = sheet(case([*((n, None) for n in nsaids), ("lithium 400mg bd", None)]), "med_nsaid", lang)
    assert words.split(":")[0].split(" su ")[0].split(" your ")[0] not in lithium


def test_assess_text_names_the_nsaid_to_review_and_the_anticoagulant_to_keep(capsys, tmp_path):
    out = assess_text(capsys, case_file(tmp_path, ["ibuprofen 400 mg prn", "naproxen", "apixaban 5mg bd"]))
    head = " ".join(out[:out.index("MEDICINES")].split())
    assert ("Review now: stop or change ibuprofen 400 mg prn and naproxen unless there is a clear reason to "
            "continue (stopping only one of them still leaves the other with apixaban 5mg bd); "
            f"{_keep('apixaban 5mg bd')}") in head
    assert "Keeping one of them does not end the risk with apixaban 5mg bd" in head


def test_the_banner_counts_only_the_medicines_to_stop_or_change(qtbot):
    from radiculopathy_desktop.ui.forms import MedicineAlertBanner

    banner = MedicineAlertBanner()
    qtbot.addWidget(banner)
    banner.show_alerts([a.to_dict() for a in window_alerts(case([("naproxen", None), ("apixaban 5mg bd", None)]))])
    assert "1 current medicine to stop, change, reduce or review" in banner.text()
    assert "keep apixaban 5mg bd: do not stop it without its prescriber" in banner.text()
    banner.show_alerts([a.to_dict() for a in window_alerts(case([("naproxen", None), ("lithium 400mg bd", None)]))])
    # lithium is not kept by any rule: it is counted as before (2 medicines, as without this change)
    # fold33 (H-MED-700): the naproxen row's own "Taking lithium" Avoid is said by the pair alone ("lithium 400mg bd"
    # is the lithium the reason is about), so one alert on the two medicines
    assert "Medicine safety: 1 alert on 2 current medicines to stop, change, reduce or review" in banner.text()
