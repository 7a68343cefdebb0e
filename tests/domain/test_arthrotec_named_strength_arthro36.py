""""Arthrotec 50" / "Arthrotec 75" with a spelled-out frequency are read at their one strength and counted
against diclofenac's daily maximum (arthro36; H-MED-750, H-MED-751; tryout36 F4).

Before: "Arthrotec 75 3 times a day" was "CHECK THE DOSE: the name gives no strength and arthrotec is sold as 50/200,
75/200", while "Arthrotec 75 tds" was read; as written it is 225 mg diclofenac a day and no above-maximum alert was given.

Primary sources (resources/medicines/sources.toml):
- arthrotec-50-uk (Arthrotec 50 SmPC section 2): "50 milligrams diclofenac sodium ... 200 micrograms misoprostol";
  arthrotec-ndc: the 75 mg strength is diclofenac sodium 75 mg with misoprostol 200 ug (micrograms).
- voltarol-uk (the uk profile's diclofenac maximum, drugs.toml): 150 mg a day; the US label maximum (us profile) 200 mg.
"""

from __future__ import annotations

import pytest

from helpers.medicines import example_report as _report, recorded_reading as _reading


def _over(meds, profile):
    return {(c.generic, c.daily_mg, c.limit_mg) for c in _report(meds, profile).dose_checks if c.kind == "label_max"}


@pytest.mark.parametrize("name, diclofenac, micrograms", [
    ("Arthrotec 75 3 times a day", 225, 0.6), ("Arthrotec 50 3 times a day", 150, 0.6),
    ("arthrotec 75 three times a day", 225, 0.6), ("Arthrotec 75 twice a day", 150, 0.4),
    ("Arthrotec 75 tds", 225, 0.6),  # already read before: unchanged
])
def test_the_number_after_arthrotec_is_its_strength_with_any_frequency_words(name, diclofenac, micrograms):
    r = _reading(name)
    assert r.read, r.text
    assert dict(r.components) == {"diclofenac": diclofenac, "misoprostol": pytest.approx(micrograms)}
    assert "no strength" not in r.text
    assert f"misoprostol {round(micrograms * 1000)} micrograms" in r.text and "misoprostol 600 mg" not in r.text
    # the one strength is that of the product named, never "the only strength arthrotec is made in" (it has two)
    assert "the only strength arthrotec is made in" not in r.text


def test_uk_boundary_arthrotec_50_tds_is_at_the_maximum_arthrotec_75_tds_above_it():
    # voltarol-uk: 150 mg a day; 3 x 50 = 150 is at it (no alert), 3 x 75 = 225 is above it
    assert not _over([("Arthrotec 50 3 times a day", None)], "uk")
    assert _over([("Arthrotec 75 3 times a day", None)], "uk") == {("diclofenac", 225, 150)}
    # us profile: the US label maximum, 200 mg a day
    assert _over([("Arthrotec 75 3 times a day", None)], "us") == {("diclofenac", 225, 200)}
    assert not _over([("Arthrotec 50 3 times a day", None)], "us")


def test_plain_arthrotec_with_no_strength_asks_in_micrograms_for_misoprostol():
    r = _reading("Arthrotec 3 times a day")
    assert not r.read
    assert "misoprostol in micrograms" in r.text and "diclofenac in mg" in r.text
    assert "the mg of each component (diclofenac, misoprostol)" not in r.text
