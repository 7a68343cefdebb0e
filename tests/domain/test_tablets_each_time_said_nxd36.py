"""nxd36 (H-MED-760): "paracetamol 500mg 2 qds" is 2 tablets of 500 mg four times a day (q.d.s., quater die sumendus,
four times a day: the BNF's Latin abbreviations, 'Guidance on prescribing'), 8 tablets a day, 4000 mg. It was read
out as "8 doses a day of 500 mg": the total was right, but "8 doses a day" reads as 8 times a day. A count of one each
time ("1 qds", "qds") keeps "4 doses a day of 500 mg"; a count with its unit word ("2 tablets qds") keeps its words."""
import pytest

from radiculopathy_desktop.domain.medications import read_recorded_dose


@pytest.mark.parametrize("name, said", [
    ("paracetamol 500mg 2 qds", "as 2 tablets of 500 mg 4 times a day, 8 tablets a day (acetaminophen 4000 mg a day)"),
    ("paracetamol 500mg 2 tds", "as 2 tablets of 500 mg 3 times a day, 6 tablets a day (acetaminophen 3000 mg a day)"),
    ("ibuprofen 200mg 2 bd", "as 2 tablets of 200 mg 2 times a day, 4 tablets a day (ibuprofen 800 mg a day)"),
])
def test_tablets_each_time_are_said_with_how_often(name, said):
    text = read_recorded_dose(name, (name.split()[0] if name.startswith("ibuprofen") else "acetaminophen",), None).text
    assert said in text and "doses a day" not in text


@pytest.mark.parametrize("name, said", [
    ("paracetamol 500mg qds", "as 4 doses a day of 500 mg (acetaminophen 2000 mg a day)"),
    ("paracetamol 500mg 1 qds", "as 4 doses a day of 500 mg (acetaminophen 2000 mg a day)"),
])
def test_one_each_time_keeps_doses_a_day(name, said):
    assert said in read_recorded_dose(name, ("acetaminophen",), None).text
