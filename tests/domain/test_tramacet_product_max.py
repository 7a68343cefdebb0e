"""Tramacet, the UK tramadol/paracetamol 37.5/325 tablet, is held to its own 8-tablet maximum
as Ultracet is (uk17; H-MED-224 extended; drugs.toml ``[combination_products.tramacet]``).

Before: "Tramacet" recorded without a strength was "check the dose" (no strength in the name)
and "Tramacet 37.5/325" at 9 tablets a day (tramadol 337.5 mg) passed: only tramadol's own
400 mg was checked.

Primary source (resources/medicines/sources.toml ``tramacet-smpc``, read 2026-11-30 in copies
of the SmPC text): Tramacet 37.5 mg/325 mg film-coated tablets, UK SmPC section 4.2: "An
initial dose of two tablets ... is recommended. Additional doses can be taken as needed, not
exceeding 8 tablets (equivalent to 300 mg tramadol and 2600 mg paracetamol) per day." The
effervescent tablets are the same strength. Boundaries: 7.5, 8, 8.5 and 9 tablets a day.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medications import dose_reductions, load_medicine_data, read_combination

from tests.domain.test_combination_doses import _report, _sheet


@pytest.mark.parametrize("name", ["Tramacet", "tramacet 37.5/325", "Tramacet effervescent"])
@pytest.mark.parametrize("tablets, over", [(7.5, False), (8, False), (8.5, True), (9, True)])
@pytest.mark.parametrize("profile", ["uk", "us"])
def test_tramacet_is_held_to_its_own_eight_tablets(name, tablets, over, profile):
    mg = 37.5 * tablets
    report = _report([(name, mg)], profile)
    checks = [c for c in report.dose_checks if c.rule == "over-product-max"]
    assert not [c for c in report.dose_checks if c.kind == "unread"]  # the name fixes the strength
    if not over:
        assert not checks and dose_reductions(report) == ()
        return
    [check] = checks
    assert (check.generic, check.daily_mg, check.limit_mg) == ("tramadol", mg, 300)
    assert "own label maximum of 8 tablets a day (tramadol 300 mg" in check.text
    assert "Tramacet" in check.source and "SmPC" in check.source
    assert report.row("tramadol").status == "reduce_dose"


def test_tramacet_without_a_strength_is_read_at_its_only_strength():
    data = load_medicine_data()
    reading = read_combination("tramacet", data.resolve("tramacet")[0], 75, data)
    assert reading.read and reading.tablets == 2
    assert dict(reading.components) == {"tramadol": 75, "acetaminophen": 650}


@pytest.mark.parametrize("lang, words", [  # sheetplan35 (H-MED-722): the product named (GP tryout N5)
    ("en", "You take Tramacet. It contains tramadol and acetaminophen. The way you take it now gives you tramadol "
           "337.5 mg a day. For you, the most is 300 mg a day."),
    # arthro36 (H-FMT-911): Spanish sheets write the decimal comma ("337,5 mg")
    ("es", "Usted toma Tramacet. Contiene tramadol y paracetamol. Tal como lo toma ahora, recibe tramadol 337,5 mg al "
           "día. Para usted, lo máximo es 300 mg al día.")])
def test_the_sheet_for_nine_tramacet_gives_the_products_maximum(lang, words):
    text, _ = _sheet([("Tramacet", 337.5)], "med_opioid", lang, "uk")
    assert words in text and "keep taking" not in text and "siga tomando" not in text
