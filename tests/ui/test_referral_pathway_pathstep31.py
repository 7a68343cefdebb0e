"""pathstep31 (tryout31 D5c, H-PATH-905): on the case page, after a referral for a surgical opinion
is recorded by keys, the pathway's steps follow the referral: the surgical step says the referral
and its date, no other step is "Now", the steps that were Now say they are on hold while the
referral is pending (the clinician may continue them)."""

from __future__ import annotations

import re

from .conftest import TODAY
from .window_steps import record_referral_by_keys


def _pathway(window) -> str:
    return re.sub(r"\s+", " ", window.patient_view.pathway.toPlainText())


#: a step row of the page's stepped-care table in the state "Now" ("1. Self-care and staying active Now")
NOW_ROW = re.compile(r"\b\d\. [A-Za-z -]+? Now\b")


def test_after_a_referral_no_other_step_is_now(window, qtbot, context):
    window.open_case("P-DUE-case")
    assert NOW_ROW.findall(_pathway(window))  # due: a step is Now before the referral
    record_referral_by_keys(window, qtbot, "P-DUE-case")
    qtbot.waitUntil(lambda: "closed" in window.patient_view.status.text().lower())
    text = _pathway(window)
    assert f"Referred for a surgical opinion on {TODAY.isoformat()} (decision recorded)" in text
    assert NOW_ROW.findall(text) == []
    assert "6. Surgical opinion Tried" in text
    assert "this step is not Now while the referral is pending; continue it only if you decide to" in text
