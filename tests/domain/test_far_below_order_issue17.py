"""The far-below dose questions (grams, H-MED-510) come in the data's order, whatever order the
medicines were typed in, and only for the medicines dosed below their bound (issue 17, H-ARCH-907).

``_far_below_checks`` now looks only at the medicines with a recorded dose, put in the order of
drugs.toml ``[dose_check_far_below]`` (it used to walk every bound). A clinician reads the same
questions in the same order as before: these tests hold it to the data's order and to one question
per medicine asked about, with medicines whose dose is not far below beside them.
"""

from __future__ import annotations

import pytest

from helpers.medicines import example_report
from radiculopathy_desktop.domain.medications import load_medicine_data

#: generic as typed, a daily "dose" in grams (far below every bound here), the row's generic
GRAMS = [("ibuprofen", 1.2, "ibuprofen"), ("naproxen", 1, "naproxen"), ("paracetamol", 4, "acetaminophen"),
         ("gabapentin", 1.8, "gabapentin"), ("tramadol", 0.4, "tramadol")]


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("typed", [GRAMS, GRAMS[::-1], [GRAMS[3], GRAMS[0], GRAMS[4], GRAMS[2], GRAMS[1]]])
def test_questions_follow_the_data_order_not_the_typing_order(typed, profile):
    order = list(load_medicine_data().far_below)
    report = example_report([(name, dose) for name, dose, _g in typed], profile=profile)
    asked = [c.generic for c in report.dose_checks if c.generic in order and c.daily_mg < 10]
    expected = sorted({g for _n, _d, g in typed}, key=order.index)
    assert asked == expected  # each medicine asked about once, in the data's order


def test_a_usual_dose_beside_grams_is_not_asked_about():
    order = list(load_medicine_data().far_below)
    report = example_report([("gabapentin", 900), ("paracetamol", 4), ("ibuprofen", 1200), ("naproxen", 1)])
    asked = [c.generic for c in report.dose_checks if c.generic in order and c.daily_mg < 10]
    assert asked == sorted(["acetaminophen", "naproxen"], key=order.index)
    assert not [c for c in report.dose_checks if c.generic in ("gabapentin", "ibuprofen")]
