"""The NSAIDs without a row of their own are checked against their own label maximum, by mouth,
and a dose no maximum checked is said to be "not checked" (nsaiddose; H-MED-459, H-MED-460,
H-MED-461; data: resources/medicines/drugs.toml ``[dose_checks]`` and ``[dose_not_checked]``).

Before: "Meloxicam 15mg bd" (30 mg a day), "ketorolac 30mg qds" (120 mg), "celecoxib 400mg bd"
(800 mg) had no alert and no line at all: only ibuprofen and naproxen had a maximum.

Figures, each from its primary source (sources.toml):
- meloxicam-label: "The maximum recommended daily oral dose of meloxicam is 15 mg regardless of
  formulation" (7.5 and 15 mg tablets).
- ketorolac-tablets-label: tablets, 20 mg then 10 mg every 4 to 6 hours, "not to exceed 40 mg in
  24 hours", only as continuation of IV/IM ketorolac; SPRIX (sprix-label) is a nasal spray.
- celecoxib-label: acute pain, 400 mg then 200 mg if needed on the first day; "On subsequent days,
  the recommended dose is 200 mg twice daily as needed" (400 mg a day).
- diclofenac-label: rheumatoid arthritis 150-200 mg/day, the highest daily dose the labels
  recommend (200 mg).
- etodolac-label: "The recommended total daily dose of etodolac for acute pain is up to 1000 mg";
  the extended-release label was not read.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medications import DOSE_NOT_CHECKED_RULE, load_medicine_data
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from radiculopathy_desktop.domain.worklist_marks import _marks_of

from tests.domain.test_combination_doses import _report


def _over(report):
    return {(c.generic, c.daily_mg, c.limit_mg) for c in report.dose_checks if c.kind == "label_max"}


def _unchecked(report):
    return [n for n in report.current_notes if n.rule == DOSE_NOT_CHECKED_RULE]


# --------------------------------------------------------------------------- the label maxima
@pytest.mark.parametrize("at_max, above, generic, limit", [
    ("meloxicam 15mg od", "meloxicam 15mg bd", "meloxicam", 15),
    ("meloxicam 7.5mg bd", "meloxicam 7.5mg tds", "meloxicam", 15),
    ("ketorolac 10mg qds", "ketorolac 30mg qds", "ketorolac", 40),
    ("celecoxib 200mg bd", "celecoxib 400mg bd", "celecoxib", 400),
    ("diclofenac 50mg qds", "diclofenac 75mg tds", "diclofenac", 200),
    ("etodolac 500mg bd", "etodolac 400mg tds", "etodolac", 1000),
])
def test_at_the_label_maximum_no_alert_above_it_reduce_dose(at_max, above, generic, limit):
    ok = _report([(at_max, None)])
    assert not _over(ok) and not medicine_alerts(ok), ok.dose_checks
    assert not _unchecked(ok)  # checked, and within the maximum: nothing to say
    over = _report([(above, None)])
    (check,) = [c for c in over.dose_checks if c.kind == "label_max"]
    assert (check.generic, check.limit_mg) == (generic, limit) and check.daily_mg > limit
    assert check.text.startswith("Reduce dose:") and f"label maximum of {limit} mg of {generic} a day" in check.text
    assert "bring it down to the maximum" in check.text and "step by step" not in check.text  # no opioid taper
    assert any("Reduce dose" in a.text for a in medicine_alerts(over))
    assert any(m.label == "Reduce dose" for m in _marks_of(over)), "the worklist's Medicine alerts mark"


@pytest.mark.parametrize("generic, limit", [("meloxicam", 15), ("ketorolac", 40), ("celecoxib", 400),
                                            ("diclofenac", 200), ("etodolac", 1000)])
def test_a_recorded_daily_dose_one_mg_above_is_reduce_dose_at_it_none(generic, limit):
    assert not _over(_report([(generic, float(limit))]))
    assert _over(_report([(generic, float(limit + 1))])) == {(generic, limit + 1, limit)}


def test_the_uk_profile_keeps_the_same_maxima_where_no_uk_figure_differs():
    for name, generic, limit in (("meloxicam 15mg bd", "meloxicam", 15), ("celecoxib 400mg bd", "celecoxib", 400)):
        assert {(g, lim) for g, _mg, lim in _over(_report([(name, None)], profile="uk"))} == {(generic, limit)}


def test_diclofenac_under_uk_is_the_uk_smpc_150_mg():
    # voltarol-smpc: "The recommended maximum daily dose of Voltarol is 150mg"; US labels: up to 200 mg
    assert not _over(_report([("diclofenac 50mg tds", None)], profile="uk"))  # 150: at the UK maximum
    assert _over(_report([("diclofenac 50mg qds", None)], profile="uk")) == {("diclofenac", 200, 150)}
    assert not _over(_report([("diclofenac 50mg qds", None)], profile="us"))  # 200: at the US maximum
    assert _over(_report([("diclofenac", 151.0)], profile="uk")) == {("diclofenac", 151, 150)}
    # the UK MR tablets (75 mg twice a day) are counted the same way
    assert not _over(_report([("diclofenac 75mg MR bd", None)], profile="uk"))
    (check,) = _report([("diclofenac 100mg MR bd", None)], profile="uk").dose_checks
    assert "label maximum of 150 mg of diclofenac a day" in check.text


def test_two_products_of_one_nsaid_are_added_up():
    assert _over(_report([("meloxicam 15mg od", None), ("mobic", 7.5)])) == {("meloxicam", 22.5, 15)}


def test_far_above_the_maximum_is_a_dose_to_check_not_a_dose_to_lower():
    report = _report([("celecoxib", 99999.0)])
    (check,) = report.dose_checks
    assert check.rule == "check-dose" and check.text.startswith("Check the dose:")


# --------------------------------------------------------------------------- routes and forms
@pytest.mark.parametrize("name, dose, said", [
    ("ketorolac 30mg im", 120.0, "given by injection"),
    ("ketorolac injection", 90.0, "given by injection"),
    ("sprix", 126.0, "not taken by mouth"),
    ("meloxicam 30mg iv", 30.0, "given by injection"),
])
def test_a_product_not_taken_by_mouth_is_not_counted_against_the_maximum_by_mouth(name, dose, said):
    report = _report([(name, dose)])
    assert not _over(report) and not medicine_alerts(report)
    (note,) = _unchecked(report)
    assert note.severity == "caution" and note.text.startswith(f"Dose not checked: {name} is {said};")
    assert "is for" in note.text and "by mouth" in note.text


def test_by_mouth_and_by_injection_together_only_the_oral_dose_is_counted():
    report = _report([("ketorolac 10mg qds", None), ("ketorolac 30mg im", 60.0)])
    assert not _over(report)  # 40 mg by mouth: at the maximum; the 60 mg IM is not added to it
    assert [n.medicines for n in _unchecked(report)] == [("ketorolac 30mg im",)]
    over = _report([("ketorolac 20mg qds", None), ("ketorolac 30mg im", 60.0)])
    (check,) = [c for c in over.dose_checks if c.kind == "label_max"]
    assert check.medicines == ("ketorolac 20mg qds",) and check.daily_mg == 80


def test_etodolac_extended_release_is_not_checked_against_the_immediate_release_maximum():
    report = _report([("etodolac ER 600mg bd", None)])
    assert not _over(report)
    (note,) = _unchecked(report)
    assert "extended-release" in note.text and "by hand" in note.text


@pytest.mark.parametrize("name", ["diclofenac gel", "diclofenac 1% gel qds", "voltarol emulgel", "flector",
                                  "ibuprofen gel", "diclofenac suppository 100mg", "ketorolac nasal spray"])
def test_topical_and_rectal_nsaids_are_not_read_as_a_daily_dose_by_mouth(name):
    report = _report([(name, 400.0)])
    assert not _over(report) and not [c for c in report.dose_checks if c.kind == "label_max"]
    assert not load_medicine_data().resolve(name)[0]  # "not recognised": the window says so


# --------------------------------------------------------------------------- combination products
def test_arthrotec_is_counted_as_its_diclofenac():
    assert not _over(_report([("arthrotec 50/200 qds", None)]))  # 200 mg of diclofenac: at the maximum
    assert _over(_report([("arthrotec 75/200 tds", None)])) == {("diclofenac", 225, 200)}
    # with diclofenac tablets the two are added up
    assert _over(_report([("arthrotec 50/200 bd", None), ("diclofenac 50mg tds", None)])) == {("diclofenac", 250, 200)}


def test_arthrotec_without_a_strength_is_asked_about_not_silent():
    # forms29: "arthrotec 75 bd" was asked about here; "Arthrotec 75" is the UK name of its 75/200 strength
    # (arthrotec-50-uk), so it is read now (tests/domain/test_typed_forms_forms29.py); with no number it still asks
    report = _report([("arthrotec bd", None)])
    assert [c.rule for c in report.dose_checks] == ["check-dose"]
    assert not _unchecked(report)  # its own "check the dose" says it, once
    assert _over(_report([("arthrotec 75 tds", None)])) == {("diclofenac", 225, 200)}


# --------------------------------------------------------------------------- dose not checked
@pytest.mark.parametrize("name", ["aceclofenac 100mg bd", "etoricoxib 90mg od", "arcoxia 120", "nabumetone 1g",
                                  "mefenamic acid 500mg tds", "sulindac 200mg bd", "flurbiprofen 100mg bd"])
@pytest.mark.parametrize("profile", ["us", "uk"])
def test_an_nsaid_without_a_maximum_held_says_its_dose_was_not_checked(name, profile):
    report = _report([(name, None)], profile=profile)
    (note,) = _unchecked(report)
    assert note.severity == "caution" and note.medicines == (name,)
    assert "holds no label maximum" in note.text and "by hand" in note.text
    assert not _over(report) and not medicine_alerts(report)


# --------------------------------------------------------------------------- UK SmPC maxima (uk profile)
@pytest.mark.parametrize("at_max, above, generic, limit", [
    ("piroxicam 20mg od", "piroxicam 20mg bd", "piroxicam", 20),          # piroxicam-smpc
    ("indometacin 50mg qds", "indometacin 75mg tds", "indomethacin", 200),  # indometacin-smpc
    ("oruvail 200mg od", "ketoprofen 100mg tds", "ketoprofen", 200),     # oruvail-smpc
    ("keral 25mg tds", "dexketoprofen 25mg qds", "dexketoprofen", 75),    # keral-smpc
])
def test_uk_smpc_maxima_at_and_above(at_max, above, generic, limit):
    ok = _report([(at_max, None)], profile="uk")
    assert not _over(ok) and not _unchecked(ok)  # read, checked, at the maximum
    (check,) = [c for c in _report([(above, None)], profile="uk").dose_checks if c.kind == "label_max"]
    assert (check.generic, check.limit_mg) == (generic, limit) and check.daily_mg > limit
    assert _over(_report([(generic, float(limit + 1))], profile="uk")) == {(generic, limit + 1, limit)}
    assert not _over(_report([(generic, float(limit))], profile="uk"))


@pytest.mark.parametrize("name, generic", [("piroxicam 20mg bd", "piroxicam"), ("indometacin 75mg tds", "indomethacin"),
                                           ("ketoprofen 100mg tds", "ketoprofen")])
def test_a_uk_only_maximum_is_not_applied_under_us_and_says_so(name, generic):
    report = _report([(name, None)], profile="us")
    assert not _over(report)
    (note,) = _unchecked(report)
    assert f"holds no label maximum for {generic} for this profile" in note.text


def test_dexketoprofen_not_marketed_in_the_us_keeps_its_only_label_under_us():
    assert _over(_report([("dexketoprofen 25mg qds", None)], profile="us")) == {("dexketoprofen", 100, 75)}


def test_an_nsaid_with_a_maximum_but_no_dose_asks_for_the_dose():
    (note,) = _unchecked(_report([("meloxicam", None)]))
    assert note.text.startswith("Dose not checked: no daily dose recorded for meloxicam.")
    assert "label maximum of 15 mg of meloxicam a day" in note.text


def test_the_row_nsaids_say_nothing_new():
    for meds in ([("ibuprofen", 1200.0)], [("naproxen", None)], [("ibuprofen 800mg qds", None)]):
        assert not _unchecked(_report(meds))


def test_stored_marks_are_derived_again_for_the_new_maxima():
    """A case saved before nsaiddose with "meloxicam 15mg bd" has no Reduce dose mark stored; the
    worklist reads stored marks, so every stored mark is derived again once (DOSE_ALERTS_VERSION 13)."""
    from radiculopathy_desktop.storage.store import DOSE_ALERTS_VERSION

    assert any(m.label == "Reduce dose" for m in _marks_of(_report([("meloxicam 15mg bd", None)])))
    assert DOSE_ALERTS_VERSION >= 13


# --------------------------------------------------------------------------- the patient's sheet
def _nsaid_sheet(meds, profile="us"):
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.reports import handout_content as hc
    from radiculopathy_desktop.reports import handouts as h

    from tests.domain.test_combination_doses import AS_OF, _case

    req = h.request_for_case(parse_case(_case(meds)), AS_OF, clinic_name="Clinic", clinic_contact="555", lang="en",
                             sheets=["med_nsaid"], profile=profile)
    return " ".join(hc.plain_text(h.filled_sheets(req)[0]).split())


def test_the_nsaid_sheet_never_says_keep_taking_a_dose_above_the_maximum():
    above = _nsaid_sheet([("meloxicam 15mg bd", None)])
    assert "keep taking" not in above.lower()
    assert "Your dose is too high for you. You take meloxicam 30 mg a day now. For you, the most is 15 mg a day." in above
    assert "Take no more than 15 mg a day" in above
    at_max = _nsaid_sheet([("meloxicam 15mg od", None)])
    assert "too high" not in at_max
