"""fold33 (H-MED-700): a row's reason that a pair alert already says is folded by which medicines it is about, not
by the recorded name in its words. Ibuprofen with lithium recorded as "lithium 400mg" (or the brand "Priadel 400mg")
kept the ibuprofen row's own Avoid alert ("Taking lithium: NSAIDs raise lithium levels", nsaid-lithium) beside the
pair alert ("NSAID with lithium", ix-nsaid-lithium, Avoid): the same warning twice, because "lithium 400mg" is not
written in a reason that says "lithium"."""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts

from helpers.medicines import example_report


@pytest.mark.parametrize("lithium", ["lithium", "lithium 400mg", "Priadel 400mg", "Lithium Carbonate 400mg"])
def test_ibuprofen_with_lithium_is_said_once_by_the_pair_however_lithium_is_written(lithium):
    report = example_report([("ibuprofen 400mg", 1200.0), (lithium, 800.0)])
    alerts = medicine_alerts(report)
    assert [a.medicines for a in alerts if "lithium" in a.text.lower()] == [("ibuprofen 400mg", lithium.lower())]
    assert "NSAID with lithium" in alerts[0].text or any("NSAID with lithium" in a.text for a in alerts)


def test_two_lithium_products_both_in_the_pair_are_said_once():
    """Two lithium products: the reason is about both, so it is folded only when every lithium product is in the
    NSAID-with-lithium pair; here the pair names both."""
    report = example_report([("ibuprofen 400mg", 1200.0), ("lithium 400mg", 400.0), ("Priadel 200mg", 400.0)])
    alerts = medicine_alerts(report)
    own = [a for a in alerts if a.medicines == ("ibuprofen 400mg",)]
    assert not own  # every lithium product is in the NSAID-with-lithium pair, which says the reason
    pair = [a for a in alerts if "NSAID with lithium" in a.text]
    assert pair and {"lithium 400mg", "priadel 200mg"} <= set(pair[0].medicines)


def test_ibuprofen_row_keeps_its_other_reasons_when_no_pair_says_them():
    # no lithium: the ibuprofen row is not folded by a pair that does not exist
    report = example_report([("ibuprofen 400mg", 3600.0)])
    assert any(a.medicines == ("ibuprofen 400mg",) for a in medicine_alerts(report))
