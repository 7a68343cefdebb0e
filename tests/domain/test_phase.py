"""Phase from onset (ACP 2017): acute < 4 weeks, subacute 4-12, chronic > 12 weeks."""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.phase import phase_of

ONSET = dt.date(2026, 1, 1)


@pytest.mark.parametrize("days, phase", [
    (0, "acute"), (1, "acute"), (27, "acute"),          # fewer than 28 days
    (28, "subacute"),                                   # exactly 4 weeks: no longer acute
    (42, "subacute"),
    (84, "subacute"),                                   # exactly 12 weeks: not yet MORE than 12
    (85, "chronic"), (365, "chronic"),
])
def test_phase_boundaries_in_days(days, phase):
    p = phase_of(ONSET, ONSET + dt.timedelta(days=days))
    assert p.name == phase
    assert str(p) == phase
    assert p.days_since_onset == days


def test_phase_carries_weeks_label_and_source():
    p = phase_of(ONSET, ONSET + dt.timedelta(days=30))
    d = p.to_dict()
    assert d["weeks_since_onset"] == 4
    assert d["label"] == "Subacute (4 to 12 weeks)"
    assert "ACP 2017" in d["source"]


def test_leap_year_counts_real_days():
    # 2028 is a leap year: 28 Feb -> 27 Mar is 28 days.
    assert phase_of(dt.date(2028, 2, 28), dt.date(2028, 3, 27)).name == "subacute"
    assert phase_of(dt.date(2028, 2, 28), dt.date(2028, 3, 26)).name == "acute"


def test_as_of_before_onset_is_rejected():
    with pytest.raises(ValueError, match="before onset_date"):
        phase_of(ONSET, ONSET - dt.timedelta(days=1))
