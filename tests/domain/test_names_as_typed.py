"""Medicine names as clinicians type them (cmb17; data: drugs.toml ``[name_reading]``,
``[combination_products]``, classes.toml synonyms; code: domain/dose_in_name.py and
medications.read_recorded_dose).

Before: "co-codamol 30⁄500" (fraction slash), "30–500" (en dash), "30/500 x2", "30/500-caps",
"tylenol with codeine #3 300/30", "tylenol no. 3", "betnesol", "methadone 10mg/ml" were NOT
RECOGNISED, so their doses were never checked (rt16 F4); a regimen written in the name
("co-codamol 30/500 2 tablets four times a day": 8 tablets, paracetamol 4 g) was never read, so
with the dose field empty 12 tablets a day passed unasked; Percocet or Norco with no strength said
"e.g. percocet 30/500", a strength no such product has.

Primary sources (resources/medicines/sources.toml; read with the search tool 2026-11-30):
- Prescription frequencies (the BNF's Latin abbreviations, read in copies [unverified]): "b.d. ...
  twice daily", "t.d.s. ... three times a day", "q.d.s. ... four times a day", "p.r.n. ... when
  required", "q6h every 6 hours" (``prescription-abbreviations``).
- NHS, Co-codamol for adults / Zapain 30/500 leaflet: at most 8 co-codamol tablets in 24 hours;
  every strength has 500 mg paracetamol (``nhs-co-codamol``, ``co-codamol-strengths``).
- Acetaminophen label maximum 4000 mg a day (``acetaminophen-label``); BNF ibuprofen 2400 mg a day
  for pain (uk), Motrin label 3200 mg a day (us); Naprosyn: 1000 mg a day ongoing, 1500 mg only for
  limited periods; codeine phosphate SmPC "maximum daily dose of codeine should not exceed 240 mg"
  (uk); Ultracet "up to a maximum of 8 tablets per day".
- Percocet label: "2.5 mg/325 mg, 5 mg/325 mg, 7.5 mg/325 mg, 10 mg/325 mg" (``percocet-label``,
  copies [unverified]); Norco 5/325, 7.5/325, 10/325 (``norco-label`` [unverified]).
- Betnesol 500 microgram Soluble Tablets, UK SmPC (emc 9098): "Each tablet contains 500 micrograms
  (0.5mg) betamethasone"; the tool asks about more than 10 mg a day (``betamethasone-label``).
- Liothyronine labels: "triiodothyronine (T3, liothyronine)": "T3" is never read as Tylenol #3.
Boundaries just below, at and just above each maximum.
"""

from __future__ import annotations

import copy

import pytest

from radiculopathy_desktop.domain.dose_in_name import find_regimen, spell
from radiculopathy_desktop.domain.medications import (MedicineDataError, _build, dose_reductions, load_medicine_data,
                                                      recorded_dose_words)

from helpers.medicines import (dose_check_texts as _checks, example_report as _report, recorded_reading as _reading,
                               report_row as _row)


def _data():
    return load_medicine_data()


# --------------------------------------------------------------------------- spellings
@pytest.mark.parametrize("name", [
    "co-codamol 30\u2044500",  # fraction slash
    "co-codamol 30\u2215500",  # division slash
    "co-codamol 30\u2013500",  # en dash
    "co-codamol 30\u2014500",  # em dash
    "co-codamol 30 / 500",
    "co-codamol 30-500mg",
    "co-codamol 30/500-caps",
    "co-codamol 30/500 x2",
    "co-codamol 30/500 2 x",
    "co-codamol 30/500 two tablets",
    "CO-CODAMOL   30/500",
])
def test_a_co_codamol_spelling_is_recognised_and_its_dose_read(name):
    """NHS: co-codamol is sold as 8/500, 15/500, 30/500 (codeine/paracetamol mg a tablet); 240 mg
    of codeine a day is 8 tablets of 30/500, paracetamol 4000 mg."""
    data = _data()
    assert data.resolve(name)[0] == ("codeine", "acetaminophen")
    reading = _reading(name, 240)
    assert reading.read and reading.tablets == 8
    assert dict(reading.components) == {"codeine": 240, "acetaminophen": 4000}


def test_a_dash_is_a_strength_only_when_the_product_is_sold_in_it():
    """'200-400' is a range, never a strength: only a pair the product is sold in (data) is read."""
    assert _reading("co-codamol 20-500", 240).read is False  # co-codamol is not sold as 20/500
    assert "sold as 8/500, 12.8/500, 15/500, 30/500" in _reading("co-codamol 20-500", 240).problem
    assert _reading("co-dydramol 10-500", 80).tablets == 8
    # a single medicine's range: recognised, its dose not read from it
    assert _data().resolve("ibuprofen 200-400mg tds")[0] == ("ibuprofen",)
    reading = _reading("ibuprofen 200-400mg tds")
    assert not reading.read and "more than one number" in reading.problem


def test_spelling_never_changes_a_decimal_or_a_product_number():
    assert spell("Tramacet 37.5/325", _data().name_reading) == "tramacet 37.5/325"
    assert spell("Tylenol No. 3", _data().name_reading) == "tylenol no 3"
    assert spell("tylenol # 4", _data().name_reading) == "tylenol #4"


@pytest.mark.parametrize("name, generics, tablets, components", [
    ("tylenol with codeine #3 300/30", ("acetaminophen", "codeine"), 8, {"acetaminophen": 2400, "codeine": 240}),
    ("Tylenol with Codeine No. 3", ("acetaminophen", "codeine"), 8, {"acetaminophen": 2400, "codeine": 240}),
    ("tylenol with codeine #4", ("acetaminophen", "codeine"), 4, {"acetaminophen": 1200, "codeine": 240}),
    ("Tylenol No. 3", ("codeine", "acetaminophen"), 8, {"codeine": 240, "acetaminophen": 2400}),
])
def test_tylenol_with_codeine_numbers_are_read_at_their_strength(name, generics, tablets, components):
    """FDA NDC: acetaminophen 300 mg with codeine phosphate 30 mg (No. 3) or 60 mg (No. 4)."""
    assert _data().resolve(name)[0] == generics
    mg = components["codeine"]
    reading = _reading(name, mg)
    assert reading.read and reading.tablets == tablets and dict(reading.components) == components


def test_t3_is_never_read_as_tylenol_3_and_says_both():
    """'T3' is also liothyronine (triiodothyronine, T3): not recognised, the line names both."""
    data = _data()
    assert data.resolve("T3")[0] == ()
    hint = data.suggest("T3")
    assert "tylenol #3" in hint and "liothyronine" in hint
    report = _report([("T3", None)])
    assert report.unrecognised_medicines == ("t3",)  # names are stored lower case
    assert "liothyronine" in report.current_medicines[0].not_recognised_text


def test_betnesol_is_betamethasone_and_its_bound_applies_at_10_mg():
    """Betnesol soluble tablets: 500 micrograms (0.5 mg) betamethasone each; this tool asks about
    more than 10 mg a day (twice the highest daily dose the label states)."""
    assert _data().resolve("Betnesol")[0] == ("betamethasone",)
    assert _data().resolve("betnesol eye drops")[0] == ()  # eye drops are not a tablet taken by mouth
    below = _report([("betnesol 500 micrograms 19 tablets daily", None)])
    at = _report([("betnesol 500 micrograms 20 tablets daily", None)])
    above = _report([("betnesol 500 micrograms 21 tablets daily", None)])
    assert not [c for c in below.dose_checks if c.generic == "betamethasone"]
    assert not [c for c in at.dose_checks if c.generic == "betamethasone"]
    over = [c for c in above.dose_checks if c.generic == "betamethasone"]
    assert over and over[0].daily_mg == 10.5 and over[0].kind == "check"


def test_a_liquid_is_recognised_and_asks_for_the_daily_mg():
    """'methadone 10mg/ml' was NOT RECOGNISED; a concentration is not a dose."""
    assert _data().resolve("methadone 10mg/ml")[0] == ("methadone",)
    reading = _reading("methadone 10mg/ml od")
    assert not reading.read and "liquid's concentration" in reading.problem
    assert any("methadone 10mg/ml od" in t and "dose field" in t for t in _checks(_report([("methadone 10mg/ml od",
                                                                                             None)])))


# --------------------------------------------------------------------------- a regimen in the name
@pytest.mark.parametrize("name, tablets, over", [
    ("co-codamol 30/500 7 tablets daily", 7, False),  # paracetamol 3500 mg: below
    ("co-codamol 30/500 2 tablets four times a day", 8, False),  # 4000 mg: at the maximum
    ("co-codamol 30/500 3 tablets tds", 9, True),  # 4500 mg: above
])
def test_a_co_codamol_regimen_in_the_name_is_checked_against_the_paracetamol_maximum(name, tablets, over):
    """NHS: at most 8 co-codamol tablets in 24 hours (8 x 500 mg = the 4000 mg label maximum)."""
    report = _report([(name, None)])
    row = _row(report, "acetaminophen")
    assert row.current_daily_dose_mg == tablets * 500
    assert any(r.rule == "combination-product-read" and f"read from the name" in r.text
               and f"as {tablets} tablets a day of 30/500" in r.text for r in row.reasons)
    lines = dose_reductions(report)
    assert any("of acetaminophen > max 4000" in x for x in lines) is over


@pytest.mark.parametrize("name, profile, daily, over", [
    ("ibuprofen 400mg qds", "uk", 1600, False),
    ("ibuprofen 800mg tds", "uk", 2400, False),  # the BNF's 2400 mg: at
    ("ibuprofen 400mg 2 tablets qds", "uk", 3200, True),
    ("ibuprofen 800mg four times a day", "us", 3200, False),  # the label's 3200 mg: at
    ("ibuprofen 600mg 2 tabs tds", "us", 3600, True),
    ("naproxen 250 tds", "us", 750, False),
    ("naproxen 500 bd", "us", 1000, False),  # 1000 mg ongoing: at
    ("naproxen 500 tds", "us", 1500, True),
    ("ibuprofen 400mg t.d.s.", "uk", 1200, False),  # the BNF writes the abbreviations with dots
    ("naproxen 500 b.i.d.", "us", 1000, False),
])
def test_a_single_medicine_regimen_in_the_name_is_its_daily_dose(name, profile, daily, over):
    report = _report([(name, None)], profile=profile)
    drug = name.split()[0]
    row = _row(report, drug)
    assert row.current_daily_dose_mg == daily and row.over_max is over
    assert any(r.rule == "dose-read-from-name" and "no daily dose recorded, read from the name" in r.text
               for r in row.reasons)


@pytest.mark.parametrize("name, tablets, codeine_over", [
    ("tylenol #3 x2 tds", 6, False),  # codeine 180 mg
    ("tylenol #3 2 tablets qds", 8, False),  # 240 mg: at the uk maximum
    ("tylenol #3 3 tablets tds", 9, True),  # 270 mg: above it
])
def test_a_tylenol_3_regimen_counts_codeine_against_the_uk_maximum(name, tablets, codeine_over):
    """Codeine phosphate SmPC: 'maximum daily dose of codeine should not exceed 240 mg' (uk)."""
    report = _report([(name, None)], profile="uk")
    assert report.row("opioids").current_daily_dose_mg == tablets * 30  # read: counted at every boundary
    assert report.current_daily_mme == tablets * 30 * 0.15
    assert ("codeine", tablets * 30.0, 240.0) in {(c.generic, c.daily_mg, c.limit_mg) for c in report.dose_checks} \
        if codeine_over else not [c for c in report.dose_checks if c.generic == "codeine"]


@pytest.mark.parametrize("name, over", [("ultracet 2 tablets every 8 hours", False), ("ultracet 2 tablets qds", False),
                                        ("ultracet 3 tablets tds", True)])
def test_ultracet_regimen_is_held_to_its_own_eight_tablets(name, over):
    """Ultracet: 'up to a maximum of 8 tablets per day' (6, 8, 9 tablets)."""
    report = _report([(name, None)])
    tablets = {"ultracet 2 tablets every 8 hours": 6, "ultracet 2 tablets qds": 8}.get(name, 9)
    assert report.row("tramadol").current_daily_dose_mg == tablets * 37.5  # read: counted at every boundary
    assert any(c.rule == "over-product-max" for c in report.dose_checks) is over


def test_a_recorded_dose_wins_and_a_disagreement_names_both():
    agree = _report([("co-codamol 30/500 2 tablets qds", 240)])
    assert not _checks(agree)
    disagree = _report([("co-codamol 30/500 2 tablets qds", 360)])
    texts = _checks(disagree)
    assert any("the name says 2 tablets qds (8 tablets a day" in t and "360 mg a day (12 tablets a day of 30/500)" in t
               for t in texts)
    # the recorded dose (12 tablets: paracetamol 6000 mg) is what is counted
    assert _row(disagree, "acetaminophen").current_daily_dose_mg == 6000
    single = _report([("naproxen 500 bd", 1500)])
    assert _row(single, "naproxen").current_daily_dose_mg == 1500
    assert any("the name says bd (2 doses a day: naproxen 1000 mg a day) but the dose recorded is 1500 mg a day" in t
               for t in _checks(single))
    assert not _checks(_report([("naproxen 500 bd", 1000)]))


@pytest.mark.parametrize("name, why", [
    ("co-codamol 30/500 1-2 tablets qds", "is a range of tablets"),
    ("co-codamol 30/500 2 tablets every 4-6 hours", "is a range of times"),
    ("co-codamol 30/500 2 tablets qds prn", "taken as needed (up to 8 tablets a day)"),
    ("percocet 2 tablets qds", "percocet is sold as 2.5/325, 5/325, 7.5/325, 10/325"),
    ("ibuprofen tds", "the name gives no strength"),
])
def test_an_ambiguous_regimen_is_check_the_dose_naming_what_to_type(name, why):
    report = _report([(name, None)])
    texts = [t for t in _checks(report) if name in t]
    assert texts and why in texts[0] and "dose field" in texts[0]
    # with a dose recorded the recorded dose is the dose: no question about the name
    assert not [t for t in _checks(_report([(name, 240 if "co-codamol" in name else 1200)])) if "regimen" in t]


def test_a_count_alone_is_no_regimen_and_as_needed_alone_asks_the_most_a_day():
    assert _reading("co-codamol 30/500 x2") is None
    # unread30 (H-MED-576): "prn" with no most a day was passed over with nothing asked; it asks how many a day at
    # most now (the BNF: "it is best to add the maximum frequency of repetition"), as "qds prn" asks
    assert "how many a day at most" in _reading("paracetamol 500mg prn").problem
    assert _checks(_report([("paracetamol 500mg prn", None)]))
    assert _reading("paracetamol 500mg prn", 2000) is None  # a recorded dose is the dose


def test_several_strength_brands_name_their_strengths():
    """Percocet and Norco with no strength: 'check the dose' names what they are sold in; an
    unlisted brand names the order of its components, never an invented example."""
    assert "percocet is sold as 2.5/325, 5/325, 7.5/325, 10/325" in _reading("Percocet", 20).problem
    assert "norco is sold as 5/325, 7.5/325, 10/325" in _reading("Norco", 20).problem
    assert _reading("percocet 5/500", 20).problem.startswith("percocet is sold as")
    vicodin = _reading("vicodin", 20).problem
    assert "30/500" not in vicodin and "mg of hydrocodone / mg of acetaminophen" in vicodin
    assert _reading("percocet 5/325", 20).tablets == 4


def test_the_reading_is_said_where_the_dose_is_said():
    words = recorded_dose_words("co-codamol 30/500 2 tablets four times a day", None)
    assert words == (" (no dose recorded; read from the name (2 tablets four times a day) as 8 tablets a day of "
                     "30/500: codeine 240 mg, acetaminophen 4000 mg)")
    assert "check the dose" in recorded_dose_words("naproxen 500 bd", 1500)
    assert recorded_dose_words("naproxen 500 bd", 1000) == " 1000 mg a day"


def test_the_regimen_words_are_data_and_checked():
    regimen = find_regimen("co-codamol 30/500 2 tablets four times a day", _data().name_reading)[1]
    assert regimen.count == 2 and regimen.times_a_day == 4
    raw = _raw()
    raw["drugs.toml"]["name_reading"]["times_a_day"]["tds"] = 0
    with pytest.raises(MedicineDataError, match="name_reading.times_a_day"):
        _build(raw)
    raw = _raw()
    raw["drugs.toml"]["name_reading"]["source"] = ["no-such-source"]
    with pytest.raises(MedicineDataError):
        _build(raw)


def _raw():
    import tomllib

    from radiculopathy_desktop.domain.medications import default_data_dir
    from radiculopathy_desktop.domain.medicine_files import DATA_FILES

    return {n: tomllib.loads((default_data_dir() / n).read_text(encoding="utf-8")) for n in DATA_FILES}


def test_every_name_the_data_spells_still_resolves_as_before():
    """Reading typed names never changes a name the data already spells (each known name resolves
    to its own entry)."""
    data = _data()
    for name in data.known_names():
        assert data._resolve(name) == data._resolve_as_typed(name), name
