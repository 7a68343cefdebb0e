"""nxd36 (H-MED-761): a combination product above its own label maximum in tablets (Zaldiar/Ultracet: 8 tablets a day;
tramadol/paracetamol 37.5/325 label) whose count is read from the name is named once: "Reduce dose: zaldiar 9 tablets a
day (zaldiar 9 tablets a day: ...)", never "zaldiar 9 tablets a day 9 tablets a day". A recorded daily dose (no count in
the name) still says the tablets it was read as. Boundary: 8 tablets a day is at the maximum (no such alert)."""
import pytest

from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts

from helpers.medicines import example_report


def _own_max(name, daily=None):
    report = example_report([(name, daily)])
    return [a.text for a in medicine_alerts(report) if "own label maximum of 8 tablets" in a.text]


@pytest.mark.parametrize("name", ["zaldiar 9 tablets a day", "zaldiar 3 tablets 4 times a day"])
def test_a_count_in_the_name_is_said_once(name):
    (text,) = _own_max(name)
    assert f"Reduce dose: {name} ({name}: no daily dose recorded" in text
    assert "tablets a day 9 tablets a day" not in text and "a day 12 tablets a day" not in text


def test_a_recorded_daily_dose_says_the_tablets_it_is():
    # 375 mg of tramadol a day = 10 tablets of 37.5 mg
    (text,) = _own_max("zaldiar", 375)
    assert "Reduce dose: zaldiar 10 tablets a day (" in text


def test_eight_tablets_is_at_the_maximum():
    assert _own_max("zaldiar 8 tablets a day") == []
