"""A combination product's components each carry their unit, and a strength that names a
component not counted is read (combo28; H-MED-486, H-MED-487; data: resources/medicines/drugs.toml
``[component_units]`` and ``[combination_products]`` with ``uncounted``).

Before: "Arthrotec 50/200 tds" was read as "misoprostol 600 mg a day" (its misoprostol is 200
MICROGRAMS a tablet), and "Targin 10/5 bd" / "Zubsolv 5.7/1.4mg od" were asked about because "the
name gives no strength".

Primary sources (sources.toml):
- arthrotec-label / arthrotec-ndc: Arthrotec NDC 0025-1411, diclofenac sodium 50 mg/1 and
  misoprostol 200 ug/1; the 75 mg product diclofenac sodium 75 mg/1 with misoprostol 200 ug/1.
- targinact-uk (emc leaflet): Targinact 5 mg/2.5 mg, 10 mg/5 mg, 20 mg/10 mg, 40 mg/20 mg
  (oxycodone hydrochloride / naloxone hydrochloride); 2.5/1.25, 15/7.5, 30/15 in the other leaflet.
- zubsolv-eu (EU SmPC): Zubsolv 0.7/0.18, 1.4/0.36, 2.9/0.71, 5.7/1.4, 8.6/2.1, 11.4/2.9 mg
  (buprenorphine / naloxone), all mg.
- suboxone-eu (EU SmPC): Suboxone 2 mg/0.5 mg, 8 mg/2 mg, 16 mg/4 mg.
- cdc-2022: oxycodone MME conversion factor 1.5 (the existing drugs.toml factor).
"""

from __future__ import annotations

import re

import pytest

from radiculopathy_desktop.domain.medications import load_medicine_data, recorded_dose_words
from helpers.medicines import example_report as _report, recorded_reading as _reading


# --------------------------------------------------------------------------- micrograms (H-MED-486)
@pytest.mark.parametrize("name, mg, diclofenac, micrograms", [
    ("Arthrotec 50/200 tds", None, "150 mg", "600 micrograms"),
    ("arthrotec 50/200", 150.0, "150 mg", "600 micrograms"),  # the recorded mg are the diclofenac's
    ("Arthrotec 75/200 bd", None, "150 mg", "400 micrograms"),
    ("arthrotec 50/200 qds", None, "200 mg", "800 micrograms"),
])
def test_arthrotec_misoprostol_is_said_in_micrograms_never_mg(name, mg, diclofenac, micrograms):
    r = _reading(name, mg)
    assert r.read
    assert f"diclofenac {diclofenac}" in r.text and f"misoprostol {micrograms}" in r.text
    assert "misoprostol 600 mg" not in r.text and "misoprostol 400 mg" not in r.text
    words = recorded_dose_words(name, mg)
    assert f"misoprostol {micrograms}" in words and "/200" in words  # the strength as on the pack


def test_the_microgram_component_is_held_in_mg_for_every_sum():
    r = _reading("Arthrotec 50/200 tds")
    assert dict(r.components) == {"diclofenac": 150, "misoprostol": pytest.approx(0.6)}
    assert dict(r.strengths)["misoprostol"] == pytest.approx(0.2)


def test_arthrotec_diclofenac_maximum_unchanged_at_and_above():
    def over(meds):
        return {(c.generic, c.daily_mg, c.limit_mg) for c in _report(meds).dose_checks if c.kind == "label_max"}
    assert not over([("arthrotec 50/200 qds", None)])  # 200 mg diclofenac: at the US maximum
    assert over([("arthrotec 75/200 tds", None)]) == {("diclofenac", 225, 200)}
    assert over([("arthrotec 50/200 qds", None)]) == set()
    # no check of any kind names misoprostol (it has no maximum here, and never 600 "mg")
    assert not [c for c in _report([("arthrotec 50/200 tds", None)]).dose_checks if c.generic == "misoprostol"]


@pytest.mark.parametrize("name, parts", [
    ("co-codamol 30/500 2 tabs qds", "codeine 240 mg, acetaminophen 4000 mg"),
    ("zapain 30/500 2 tabs qds", "codeine 240 mg, acetaminophen 4000 mg"),
    ("co-dydramol 10/500 2 tabs qds", "dihydrocodeine 80 mg, acetaminophen 4000 mg"),
    ("tramacet 37.5/325 2 tabs qds", "tramadol 300 mg, acetaminophen 2600 mg"),
    ("vimovo 500/20 bd", "naproxen 1000 mg, esomeprazole 40 mg"),  # esomeprazole 20 mg: mg
])
def test_the_other_combination_products_stay_in_mg(name, parts):
    assert f"({parts} a day)" in _reading(name).text


def test_only_micrograms_is_a_unit_other_than_mg_in_the_data():
    assert dict(load_medicine_data().component_units) == {"misoprostol": "micrograms"}


# --------------------------------------------------------------------------- naloxone not counted (H-MED-487)
@pytest.mark.parametrize("name, generic, daily, mme", [
    ("Targin 10/5 bd", "oxycodone", 20, 30),
    ("targinact 40/20 bd", "oxycodone", 80, 120),
    ("Targin 10/5 2 tabs bd", "oxycodone", 40, 60),
    ("targin 5/2.5 bd", "oxycodone", 10, 15),
    ("Zubsolv 5.7/1.4mg od", "buprenorphine", 5.7, None),
    ("zubsolv 11.4/2.9 od", "buprenorphine", 11.4, None),
    ("Suboxone 8/2 od", "buprenorphine", 8, None),
])
def test_a_strength_naming_naloxone_is_read_as_the_opioid(name, generic, daily, mme):
    r = _reading(name)
    assert r.read and dict(r.components) == {generic: pytest.approx(daily)}
    assert "naloxone" in r.text and "not counted" in r.text
    assert "no strength" not in r.text
    report = _report([(name, None)])
    assert not report.dose_checks  # nothing asked about
    # oxycodone through its CDC 2022 factor (1.5); buprenorphine has no MME factor (as Subutex)
    assert report.current_daily_mme == (pytest.approx(mme) if mme is not None else None)


@pytest.mark.parametrize("name, sold", [
    ("Targin 10/4 bd", "10/5"), ("targin 5/10 bd", "10/5"), ("zubsolv 5.7/2 od", "5.7/1.4"),
    # forms29: 4/1 and 12/3, the US films, are sold (suboxone-film-us, tests/domain/test_typed_forms_forms29.py);
    # a pair no Suboxone is made in is still asked about
    ("suboxone 6/1.5 od", "8/2"),
])
def test_a_pair_it_is_not_sold_in_is_asked_about_naming_the_strengths(name, sold):
    r = _reading(name)
    assert not r.read and "is sold as" in r.problem and sold in r.problem
    assert [c.rule for c in _report([(name, None)]).dose_checks] == ["check-dose"]


def test_a_recorded_daily_dose_is_still_the_oxycodone_mg():
    report = _report([("Targin 10/5", 20.0)])
    assert report.current_daily_mme == pytest.approx(30) and not report.dose_checks


def test_stored_marks_are_derived_again_for_the_readings():
    """A case saved before combo28 with "Targin 10/5 bd" has a stored "Check the dose" mark; the
    worklist reads stored marks, so they are derived again once (DOSE_ALERTS_VERSION 18)."""
    from radiculopathy_desktop.domain.worklist_marks import _marks_of
    from radiculopathy_desktop.storage.store import DOSE_ALERTS_VERSION

    assert DOSE_ALERTS_VERSION >= 18
    assert not [m for m in _marks_of(_report([("Targin 10/5 bd", None)])) if "check" in m.label.lower()]
    assert [m for m in _marks_of(_report([("Targin 10/4 bd", None)])) if "check" in m.label.lower()]


def test_the_fhir_dosage_text_and_the_summary_say_micrograms():
    from types import SimpleNamespace

    from radiculopathy_desktop.reports.fhir_medicines import _components

    text = _components(SimpleNamespace(name="arthrotec 50/200", daily_dose_mg=150.0),
                       SimpleNamespace(generics=("diclofenac", "misoprostol")))
    assert "misoprostol 600 micrograms a day" in text and "600 mg" not in text
    # the case summary and the window's "Current medicines" use recorded_dose_words
    assert recorded_dose_words("arthrotec 50/200", 150.0).replace(" mg a day", " mg/day", 1) == (
        " 150 mg/day (3 tablets a day of 50/200: diclofenac 150 mg, misoprostol 600 micrograms)")


@pytest.mark.parametrize("name, said", [
    ("arthrotec 50/0.2 bd", "arthrotec is sold as 50/200, 75/200, not 50/0.2"),  # misoprostol in mg: never 0.4 micrograms
    ("arthrotec 200/50 bd", "(written the other way round? 50/200 is)"),
    ("arthrotec bd", "arthrotec is sold as 50/200, 75/200"),
])
def test_an_arthrotec_strength_it_is_not_sold_in_is_asked_about(name, said):
    r = _reading(name)
    assert not r.read and said in r.problem
    # no amount in micrograms is read (arthro36: the unit each component is written in may be named)
    assert not re.search(r"\d\s*micrograms", r.text)
    assert [c.rule for c in _report([(name, None)]).dose_checks] == ["check-dose"]


def test_arthrotec_with_a_dash_is_read_as_its_strength():
    assert "misoprostol 400 micrograms a day" in _reading("arthrotec 50-200 bd").text
