"""Round 31 (H-MED-650): the count of patches worn together ("Durogesic 12 x3": three 12 mcg/h
patches) is read by the patch reading, never asked as "12 tablets 3 times a day" by the "N x M"
question readers31 added for tablets ("co-codamol 30/500 3 x 4"). Asking it made the MME total
"provisional" for a patch whose rate is known.
Sources (sources.toml): Durogesic DTrans 12 SmPC section 2, the "12" patch delivers 12.5 mcg/h;
CDC 2022 MME table, fentanyl transdermal mcg/h x 2.4. Three such patches: 37.5 x 2.4 = 90 MME/day."""
from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts

from tests.domain.test_patch_rates_rx23 import _report


@pytest.mark.parametrize("name, mme", [
    ("Durogesic 12 x3", 90.0),       # 3 x 12.5 mcg/h x 2.4
    ("Durogesic 12 x4", 120.0),      # 4 x 12.5
    ("Matrifen 12 x2", 60.0),        # 2 x 12.5
    ("Fentalis 25 x2", 120.0),       # 2 x 25
])
def test_a_patch_count_is_patches_not_tablets(name, mme):
    report = _report([name])
    assert report.current_daily_mme == pytest.approx(mme)
    said = " ".join(a.text for a in medicine_alerts(report))
    assert "tablets 3 times a day" not in said and "tablets a day either way" not in said
    assert "provisional" not in said


def test_tablets_written_n_x_m_are_still_asked():
    # the boundary: a tablet product keeps readers31's question (12 tablets of co-codamol 30/500 = 6 g of paracetamol)
    said = " ".join(a.text for a in medicine_alerts(_report(["co-codamol 30/500 3 x 4"])))
    # nxm (H-MED-675): 6 g is above the 4 g maximum either way, so the alert is "Reduce dose" naming both readings,
    # and still asks which was meant
    assert "read either way (3 tablets 4 times a day or 4 tablets 3 times a day) is 12 tablets a day" in said
    assert "Which was meant (or 3 tablets for 4 days) is still to be confirmed" in said
