"""Red-team B6: a single risk factor is not escalated beyond its source.

* Vertebral fracture: ACR Appropriateness Criteria LBP 2021 Variant 6 makes low-velocity trauma,
  osteoporosis, older age or chronic steroid use an indication for *initial imaging*; ACP 2007/2011
  pair risk factors for compression fracture with a radiograph, not same-day imaging. So
  long-term corticosteroid use alone does not raise the tier (a note says what to ask), while
  significant trauma, or minor trauma with steroid use, osteoporosis or age over 50, does.
* Spinal infection (kept): issue 12 §4 and ACP 2011 / ACR Variant 7: a risk factor with any
  neurological deficit is an emergency (possible epidural abscess); without a deficit it is
  same-day assessment, not an emergency.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.triage import triage

from helpers.red_flags import answered_no as flags


@pytest.mark.parametrize("age", [30, 70])
def test_steroid_use_alone_is_a_note_with_what_to_ask(age):
    r = triage(flags(prolonged_corticosteroid_use="yes"), {}, age=age)
    assert r.tier == "routine" and "fracture" not in r.categories
    note = next(n for n in r.notes if "corticosteroid" in n)
    assert "fall or minor trauma" in note and "radiograph" in note


@pytest.mark.parametrize("extra,conditions", [
    ({"minor_trauma": "yes"}, None),
    ({"significant_trauma": "yes"}, None),
])
def test_steroid_use_with_trauma_is_urgent_fracture_imaging(extra, conditions):
    r = triage(flags(prolonged_corticosteroid_use="yes", **extra), {}, age=40)
    assert r.tier == "urgent" and "fracture" in r.categories
    assert not any("corticosteroid use alone" in n for n in r.notes)


def test_immunosuppression_without_a_deficit_is_same_day_not_emergency():
    r = triage(flags(immunosuppression="yes"), {}, age=40)
    assert r.tier == "urgent" and "infection" in r.categories


def test_immunosuppression_with_a_deficit_stays_an_emergency():
    r = triage(flags(immunosuppression="yes"), {"great_toe_extension": 4}, age=40)
    assert r.tier == "emergency"
