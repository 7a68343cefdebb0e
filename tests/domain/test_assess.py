"""assess_case: the whole assessment of one case, and the dates it refuses."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.assess import MAX_AGE_YEARS, ImpossibleAgeError, assess_case
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.resources import resource_path


@pytest.fixture(scope="module")
def case():
    # Born 1984-03-12 (resources/examples/routine_l5_acute.json).
    with open(resource_path("examples", "routine_l5_acute.json"), encoding="utf-8") as fh:
        return parse_case(json.load(fh))


def test_the_oldest_possible_age_is_still_assessed(case):
    as_of = dt.date(1984 + MAX_AGE_YEARS, 3, 12)  # 130th birthday
    result = assess_case(case, as_of)
    assert result.surgical_review is not None


def test_an_assessment_date_that_makes_the_patient_older_than_possible_is_refused(case):
    as_of = dt.date(1984 + MAX_AGE_YEARS + 1, 3, 12)  # 131st birthday
    with pytest.raises(ImpossibleAgeError) as info:
        assess_case(case, as_of)
    assert "131 years old" in str(info.value) and "--as-of" in str(info.value)
    assert info.value.exit_code == 2


def test_the_day_before_the_131st_birthday_is_still_130(case):
    assert assess_case(case, dt.date(1984 + MAX_AGE_YEARS + 1, 3, 11)).surgical_review is not None
