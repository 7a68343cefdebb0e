"""A medicine recorded under both its names is read as that one medicine (rt18 F10).

"Acetaminophen (Paracetamol)" is how the app itself labels the class (classes.toml:
"Acetaminophen (paracetamol)"); recorded so, 5000 mg a day got only "not recognised", no
above-maximum alert. Paracetamol and acetaminophen are one substance (FDA substance record
UNII 362O9ITL9D, acetaminophen, with WHO ATC N02BE01 "paracetamol"), so every both-names
spelling is acetaminophen, and its daily dose is checked against the one label maximum:
"under no circumstances must the daily dose of paracetamol exceed four grams in 24 hours"
(UK SmPC, Paracetamol Tablets B.P. 500mg, section 4.2; the US OTC label's 4000 mg likewise).
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medications import load_medicine_data

from tests.domain.test_medications import assess, intake

BOTH_NAMES = ["Acetaminophen (Paracetamol)", "acetaminophen (paracetamol)", "Paracetamol (Acetaminophen)",
              "paracetamol/acetaminophen", "Acetaminophen / Paracetamol", "Acetaminophen (Paracetamol) 500 mg tablets"]


@pytest.mark.parametrize("typed", BOTH_NAMES)
def test_both_names_are_the_one_medicine(typed):
    assert load_medicine_data().resolve(typed)[0] == ("acetaminophen",)


@pytest.mark.parametrize("typed", ["acetaminophen", *BOTH_NAMES])
@pytest.mark.parametrize("dose, above", [(3999, False), (4000, False), (4001, True)])
def test_above_the_daily_maximum_is_named_whatever_the_spelling(typed, dose, above):
    report = assess(intake(meds=[(typed, dose)]))
    assert report.unrecognised_medicines == ()
    row = report.row("acetaminophen")
    named = [r for r in row.reasons if "4000" in r.text and "maximum" in r.text]
    assert bool(named) is above, [r.text for r in row.reasons]
    if above:
        assert row.status == "reduce_dose"  # above a label maximum: "Reduce dose" (gp18 F9)


def test_the_both_names_reading_does_not_swallow_another_medicine():
    """A real combination with paracetamol keeps its other component."""
    assert set(load_medicine_data().resolve("codeine/paracetamol")[0]) == {"codeine", "acetaminophen"}
    assert load_medicine_data().resolve("paracetamol (codeine)")[0] != ("acetaminophen",)
