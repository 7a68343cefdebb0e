"""Typed medicine forms that were misread or not recognised (forms29; hazards H-MED-534..541; code:
domain/dose_in_name.find_regimen, medications.read_recorded_dose / patch_reading; data: drugs.toml
``[name_reading]``, ``[combination_products]``, classes.toml ``[synonyms]``).

Written from what the forms mean, not from the code:
- A fentanyl patch is made in micrograms AN HOUR and changed every 72 hours (fentanyl-patch-label; drugs.toml
  [patch_change_intervals]); CDC 2022: fentanyl patch MME factor 2.4 per mcg/h. "25mcg/24h" is micrograms per 24
  hours: no patch's rate, so never counted as 25 mcg/h (60 MME); "25mcg/72h" (the patch's own wear time) still is.
- "bd x2": "x2" after the frequency may be 2 tablets, 2 days or "twice": asked; "x2 tds" (before) is 2 tablets.
- "½" is one half (prescription-chart-abbreviations: "ss one half"); "ii" is 2 and "i" 1 ("Tab ii stat, then
  tab i bid: 2 tablets at once, then 1 tablet twice a day"); "stat" is "at once, immediately" (one dose, no
  daily regimen); "qod: every other day" (one dose each 2 days, half a dose a day against a daily maximum).
- MHRA Drug Safety Update 2020: methotrexate for autoimmune disease is taken once a week; "more frequent dosing
  (including daily administration)" has killed: every other day is more frequent than weekly.
- NHS co-codamol: at most 8 tablets in 24 hours (paracetamol 4000 mg); ibuprofen US label 3200 mg/day; diclofenac
  US 200 mg/day (UK 150); naproxen 1000 mg/day held (drugs.toml).
- Arthrotec 50 = diclofenac sodium 50 mg + misoprostol 200 micrograms; Arthrotec 75 = 75 mg + 200 micrograms
  (arthrotec-50-uk, arthrotec-ndc). Napratec: naproxen 500 mg + misoprostol 200 micrograms, one of each twice
  daily (napratec-uk). Suboxone films 2/0.5, 4/1, 8/2, 12/3; tablets 2/0.5, 8/2, 16/4 (suboxone-film-us,
  suboxone-eu). Sublocade: buprenorphine in a prefilled syringe, an injection (sublocade-label).
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medications import load_medicine_data, patch_reading
from helpers.medicines import recorded_reading as _reading
from tests.domain.test_methotrexate_weekly_mtx import HAZARD, _report


def _over(report):
    return {(c.generic, c.daily_mg, c.limit_mg) for c in report.dose_checks if c.kind == "label_max"}


def _asked(report, name):
    """The "check the dose" lines about this medicine (a dose check or a current note)."""
    def about(names):
        return name.lower() in (n.lower() for n in names)

    texts = [c.text for c in report.dose_checks if c.rule == "check-dose" and about(c.medicines)]
    return texts + [n.text for n in report.current_notes if n.rule == "check-dose" and about(n.medicines)]


def _daily(name):
    r = _reading(name)
    assert r is not None and r.read, (name, r)
    return dict(r.components)


def _not_read(name):
    r = _reading(name)
    assert r is not None and not r.read, (name, r)
    return r.problem


# ------------------------------------------------------------------------ H-MED-534 micrograms per hours
@pytest.mark.parametrize("name, hours", [
    ("fentanyl 25mcg/24h", "24"), ("fentanyl 25 mcg per 24 hours patch", "24"), ("fentanyl 50mcg/48h", "48"),
    ("fentanyl 25mcg/12hrs", "12"), ("BuTrans 10mcg/24h", "24"),
])
def test_micrograms_per_hours_that_are_not_the_patch_s_wear_time_are_no_rate(name, hours):
    report = _report([(name, None)])
    assert report.current_daily_mme is None  # never counted as 25 micrograms an hour (60 MME)
    (text,) = set(_asked(report, name))
    assert f"is micrograms per {hours} hours" in text and "not counted in the MME total" in text
    assert "mcg/h patch" in text  # says what to type
    data = load_medicine_data()
    med = report.current_medicines[0]
    assert patch_reading(med, med.generics[0], data) is None


@pytest.mark.parametrize("name, mme", [
    ("fentanyl 25mcg/72h", 60.0),  # the fentanyl patch's own 72 hours: a 25 mcg/h patch, 25 x 2.4
    ("fentanyl 25mcg/h", 60.0),
    ("fentanyl 50 mcg/hr patch", 120.0),
])
def test_a_rate_an_hour_or_the_patch_s_own_wear_time_is_still_counted(name, mme):
    report = _report([(name, None)])
    assert report.current_daily_mme == mme
    assert _asked(report, name) == []


def test_butrans_written_per_its_seven_days_is_not_asked_about():
    assert _asked(_report([("BuTrans 10mcg/168h", None)]), "BuTrans 10mcg/168h") == []


# ------------------------------------------------------------------------ H-MED-535 "x2" after a frequency
@pytest.mark.parametrize("name, words", [
    ("ibuprofen 400mg bd x2", '"bd x2"'), ("ibuprofen 400mg tds x2", '"tds x2"'), ("ibuprofen 400mg qds x 2", '"qds x 2"'),
    ("co-codamol 30/500 qds x2", '"qds x2"'), ("ibuprofen 400mg tds x 5", '"tds x 5"'),
])
def test_x2_after_a_frequency_is_asked_about_never_two_tablets(name, words):
    problem = _not_read(name)
    assert words in problem and "for 2 days" in problem.replace("5", "2") and "before the frequency" in problem
    report = _report([(name, None)])
    assert _asked(report, name) and not _over(report)


@pytest.mark.parametrize("name, generic, mg", [
    ("ibuprofen 400mg x2 tds", "ibuprofen", 2400),  # before the frequency: 2 tablets each time
    ("ibuprofen 400mg 2x tds", "ibuprofen", 2400),
    ("co-codamol 30/500 x2 qds", "acetaminophen", 4000),  # at the 8 tablets
])
def test_a_count_before_the_frequency_is_still_read(name, generic, mg):
    assert _daily(name)[generic] == mg


# ------------------------------------------------------------------------ H-MED-536 ½, Roman numerals, 1-0-1
@pytest.mark.parametrize("name, generic, mg", [
    ("morphine 20mg ½ tab bd", "morphine", 20),  # half a tablet twice a day: one tablet a day
    ("morphine 10mg 1½ tabs bd", "morphine", 30),
    ("morphine 20mg ¾ tab bd", "morphine", 30),
    ("morphine 20mg ¼ tab qds", "morphine", 20),
    ("co-codamol 30/500 1½ tabs qds", "acetaminophen", 3000),
    ("co-codamol 30/500 ii tabs qds", "acetaminophen", 4000),  # at the maximum of 8 tablets
    ("co-codamol 30/500 i tab qds", "acetaminophen", 2000),
    ("oxycodone 5mg iii tabs qds", "oxycodone", 60),
    ("oxycodone 5mg ii qds", "oxycodone", 40),  # a bare Roman count before its frequency
])
def test_halves_and_roman_counts_are_read_as_tablets(name, generic, mg):
    assert _daily(name)[generic] == mg


@pytest.mark.parametrize("name, over", [
    ("co-codamol 30/500 ii tabs qds", set()),  # 8 tablets: at the maximum
    ("co-codamol 30/500 iii tabs qds", {("acetaminophen", 6000, 4000)}),  # 12 tablets: above it
    ("co-codamol 30/500 2½ tabs qds", {("acetaminophen", 5000, 4000)}),  # 10 tablets: above it
])
def test_the_tablets_so_read_are_checked_against_the_maximum(name, over):
    assert {o for o in _over(_report([(name, None)])) if o[0] == "acetaminophen"} == over


@pytest.mark.parametrize("name", [
    "morphine 10mg ½ bd",  # a half with no tablet word: part of a tablet or a second number
    "tramadol 50mg 1 ½ tabs qds",  # "1 ½" with a space: two numbers
])
def test_a_half_that_may_be_something_else_is_asked_about(name):
    assert _not_read(name)


def test_iv_is_a_route_never_four_tablets():
    r = _reading("morphine 10mg iv qds")
    assert not r.read and "given by injection" in r.problem


@pytest.mark.parametrize("name, mg", [
    ("ibuprofen 400mg 1-1-1", 1200), ("ibuprofen 400mg 1-0-1", 800), ("ibuprofen 400mg 0-0-1", 400),
    ("ibuprofen 400 1-1-1", 1200), ("paracetamol 500mg 1-1-1-1", 2000), ("ibuprofen 800mg 1-1-1-1", 3200),
])
def test_tablets_at_the_times_of_a_day_are_their_sum(name, mg):
    assert list(_daily(name).values()) == [mg]


def test_a_pattern_above_the_maximum_is_reduce_dose():
    at = _report([("ibuprofen 800mg 1-1-1-1", None)]).row("ibuprofen")  # 3200 mg: at the US label maximum
    above = _report([("ibuprofen 800mg 2-1-1-1", None)]).row("ibuprofen")  # 4000 mg
    assert at.status != "reduce_dose"
    assert above.status == "reduce_dose" and any("4000" in r.text for r in above.reasons)


@pytest.mark.parametrize("name, words", [
    ("ibuprofen 400mg 2 tabs 1-0-1", "a number of tablets is written too"),
    ("ibuprofen 400mg 1-0-1 bd", "2 different frequencies"),
    ("ibuprofen 400mg 0-0-0", "no tablet at any time"),
    ("ibuprofen 400mg 1-2 tds", "range of tablets"),  # two numbers stay a range
])
def test_a_pattern_that_is_not_certain_is_asked_about(name, words):
    assert words in _not_read(name)


def test_a_pattern_with_a_number_no_tablet_count_is_not_read():
    assert _reading("ibuprofen 400mg 1-5-1") is None or not _reading("ibuprofen 400mg 1-5-1").read


# ------------------------------------------------------------------------ H-MED-537 every other day, courses
@pytest.mark.parametrize("name", ["ibuprofen 400mg every other day", "ibuprofen 400mg alternate days",
                                  "ibuprofen 400mg on alternate days", "ibuprofen 400mg every second day"])
def test_every_other_day_is_half_a_dose_a_day(name):
    r = _reading(name)
    assert dict(r.components) == {"ibuprofen": 200}
    assert "one dose every 2 days" in r.text


@pytest.mark.parametrize("name", ["methotrexate 10mg every other day", "methotrexate 10mg alternate days",
                                  "methotrexate 2.5mg on alternate days"])
def test_methotrexate_every_other_day_is_asked_about_as_daily_methotrexate_is(name):
    (text,) = set(_asked(_report([(name, None)]), name))  # the dose check, and its current note
    assert HAZARD in text


def test_weekly_methotrexate_is_still_not_asked_about():
    assert _asked(_report([("methotrexate 15mg weekly", None)]), "methotrexate 15mg weekly") == []


@pytest.mark.parametrize("name, generic, mg", [
    ("ibuprofen 400mg tds x 5 days", "ibuprofen", 1200),  # never 5 tablets, never 5 times
    ("ibuprofen 400mg tds x5 days", "ibuprofen", 1200),
    ("ibuprofen 400mg tds for 5 days", "ibuprofen", 1200),
    ("prednisolone 40mg od for 5 days", "prednisolone", 40),
    ("co-codamol 30/500 2 tabs qds x 7 days", "acetaminophen", 4000),
    ("naproxen 500mg bd for 2 weeks", "naproxen", 1000),
])
def test_a_course_s_length_does_not_change_the_daily_dose(name, generic, mg):
    r = _reading(name)
    assert dict(r.components)[generic] == mg
    assert "how long the course lasts" in r.text


def test_a_course_s_length_alone_is_recognised_and_gives_no_daily_dose():
    data = load_medicine_data()
    assert data.resolve("ibuprofen 400mg for 5 days")[0] == ("ibuprofen",)
    assert _reading("ibuprofen 400mg for 5 days") is None


@pytest.mark.parametrize("name", ["morphine 10mg stat", "oxycodone 5mg stat", "co-codamol 30/500 ii stat"])
def test_stat_is_one_dose_at_once_never_a_daily_dose(name):
    assert 'stat" is one dose given at once, not a dose taken every day' in _not_read(name)
    assert _asked(_report([(name, None)]), name)


# ------------------------------------------------------------------------ H-MED-539 monthly (Sublocade)
def test_sublocade_monthly_is_recognised_as_an_injection_not_oral_mme():
    name = "Sublocade 100mg monthly"
    assert load_medicine_data().resolve(name)[0] == ("buprenorphine",)
    report = _report([(name, None)])
    assert report.unrecognised_medicines == () and report.current_daily_mme is None
    (text,) = set(_asked(report, name))
    assert "given by injection" in text and "not counted as oral morphine equivalents" in text


def test_a_monthly_medicine_by_mouth_gives_no_daily_dose():
    assert "less often than once a day" in _not_read("ibuprofen 400mg monthly")


# ------------------------------------------------------------------------ H-MED-540 products as sold
@pytest.mark.parametrize("name, diclofenac, misoprostol", [
    ("arthrotec 50mg/200mcg bd", 100, 0.4), ("Arthrotec 50 bd", 100, 0.4), ("Arthrotec 75 bd", 150, 0.4),
    ("arthrotec 50 1 tab tds", 150, 0.6), ("Arthrotec 50 2 tds", 300, 1.2), ("arthrotec 50 mg/200 micrograms bd", 100, 0.4),
])
def test_arthrotec_is_read_at_the_strength_it_is_sold_in(name, diclofenac, misoprostol):
    assert _daily(name) == {"diclofenac": diclofenac, "misoprostol": misoprostol}


def test_arthrotec_50_with_a_recorded_dose_is_its_one_strength():
    r = _reading("Arthrotec 50", 100)
    assert r.read and r.tablets == 2 and dict(r.components) == {"diclofenac": 100, "misoprostol": 0.4}


@pytest.mark.parametrize("profile, name, over", [
    ("us", "Arthrotec 75 bd", set()), ("us", "Arthrotec 75 tds", {("diclofenac", 225, 200)}),
    ("uk", "Arthrotec 50 tds", set()),  # 150 mg: at the UK maximum
    ("uk", "Arthrotec 75 tds", {("diclofenac", 225, 150)}),
])
def test_arthrotec_s_diclofenac_is_checked_against_the_maximum(profile, name, over):
    assert _over(_report([(name, None)], profile)) == over


@pytest.mark.parametrize("name", ["arthrotec 50mg/200mg bd", "arthrotec bd", "arthrotec 60 bd"])
def test_arthrotec_with_no_strength_it_is_sold_in_is_asked_about(name):
    assert _not_read(name)


@pytest.mark.parametrize("name", ["Suboxone 4/1 bd", "suboxone 12/3 od", "suboxone 2/0.5 qds", "suboxone 8/2 od"])
def test_each_suboxone_strength_it_is_sold_in_is_read(name):
    r = _reading(name)
    assert r.read and "naloxone" in r.uncounted
    assert dict(r.components) == {"buprenorphine": {"Suboxone 4/1 bd": 8, "suboxone 12/3 od": 12,
                                                    "suboxone 2/0.5 qds": 8, "suboxone 8/2 od": 8}[name]}


# ------------------------------------------------------------------------ H-MED-541 Napratec
def test_napratec_is_naproxen_with_misoprostol():
    assert load_medicine_data().resolve("Napratec")[0] == ("naproxen", "misoprostol")
    assert load_medicine_data().resolve("Napratec OP")[0] == ("naproxen", "misoprostol")
    assert _daily("napratec bd") == {"naproxen": 1000, "misoprostol": 0.4}  # as its SmPC: one of each twice daily
    r = _reading("napratec bd")
    assert r.unit == "doses" and "2 doses a day" in r.text  # never "2 tablets": each dose is two tablets
    assert _reading("napratec", 1000).unit == "doses"


def test_napratec_above_the_naproxen_maximum_is_reduce_dose():
    assert _over(_report([("napratec bd", None)])) == set()
    assert _over(_report([("napratec 1 tab tds", None)])) == set()  # 1500 mg: at the label's 1500
    assert _over(_report([("napratec 2 tabs bd", None)])) == {("naproxen", 2000, 1500)}


@pytest.mark.parametrize("lang, words", [("en", "napratec bd (2 doses a day)"), ("es", "napratec bd (2 dosis al día)")])
def test_the_patient_reads_napratec_in_doses_never_tablets(lang, words):
    # one Napratec dose is two tablets (a naproxen and a misoprostol): "2 tablets a day" would be half of them
    from radiculopathy_desktop.reports.handouts import _units_key, tr

    reading = _reading("napratec bd")
    assert tr(lang, _units_key("product_tablets", reading), name="napratec bd", tablets="2") == words
    assert _units_key("product_tablets", _reading("co-codamol 30/500 2 tabs qds")) == "product_tablets"
