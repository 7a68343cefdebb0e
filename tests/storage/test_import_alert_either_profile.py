"""A re-import that takes away a medicine alert standing under EITHER guideline profile is
refused (README, import: "on the date of the case's latest record under either guideline
profile ... naming the alert and the profile"; fu14). The earlier tests used an alert both
profiles raise or only the us one; here the alert stands under the uk profile alone.

The alert: ibuprofen over its maximum daily dose. The uk profile uses the UK maximum, "The
total daily dose must not exceed 2400mg in divided doses" (ibuprofen 400 mg tablets, UK
summary of product characteristics, MHRA, section 4.2; BNF adult maximum 2.4 g daily); the us
profile uses the US prescription label's 3200 mg/day. So 3000 mg/day raises the alert under
uk only. Lowered to 2400 (the limit) or less the uk alert is gone: refused, naming the uk
profile; lowered to 2401 it still stands: an update. Both engines (the ``store`` fixture).
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.intake import parse_case

from tracker_support import ANCHOR, case_dict, import_file, refused_import

STORE_ENGINES = ("sqlite", "postgresql")


def _ibuprofen_case(dose: float) -> dict:
    data = case_dict("IBU-1")
    data["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": dose}]
    return data


def _alerts(dose: float, profile: str) -> list[str]:
    case = parse_case(_ibuprofen_case(dose))
    return [a.kind for a in assess_case(case, ANCHOR, profile=profile).medicine_alerts]


def test_the_alert_stands_under_the_uk_profile_only():
    """The premise, from the medicine engine itself: 3000 mg/day is over the UK maximum and
    under the US one; 2400 is over neither."""
    assert _alerts(3000, "uk") and not _alerts(3000, "us")
    assert not _alerts(2400, "uk") and _alerts(2401, "uk")


@pytest.mark.parametrize("new_dose", [2400, 1200])
def test_lowering_a_dose_under_the_uk_maximum_is_refused_naming_the_uk_profile(store, new_dose):
    store.import_cases([parse_case(_ibuprofen_case(3000))], user="dr.a")
    message = refused_import(store, _ibuprofen_case(new_dose))
    assert "case IBU-1: the file's intake no longer raises the medicine alert" in message
    assert "ibuprofen" in message and "(uk profile;" in message and "us profile" not in message


def test_a_dose_still_over_the_uk_maximum_is_an_update(store):
    """The boundary: 2401 mg/day is still over 2400, so the uk alert stands."""
    store.import_cases([parse_case(_ibuprofen_case(3000))], user="dr.a")
    result = import_file(store, _ibuprofen_case(2401))
    assert result.updated == ("IBU-1",) and result.replaced == ()


def test_with_replace_records_the_uk_alert_is_listed_with_its_profile(store):
    store.import_cases([parse_case(_ibuprofen_case(3000))], user="dr.a")
    result = import_file(store, _ibuprofen_case(2400), replace_records=True)
    lost = [r for r in result.replaced if r["field"] == "medicine_alert"]
    assert len(lost) == 1 and lost[0]["profiles"] == ["uk"] and "ibuprofen" in lost[0]["stored"]


def test_an_alert_under_both_profiles_names_both(store):
    """3300 mg/day is over both maxima (3200 us, 2400 uk): lowered to 2000 both are lost."""
    store.import_cases([parse_case(_ibuprofen_case(3300))], user="dr.a")
    message = refused_import(store, _ibuprofen_case(2000))
    assert "(us/uk profile;" in message
