"""rx23 (rcg22 leftover): lidocaine and capsaicin patches and plasters are not opioid patches.

From their labels (sources.toml): Versatis and Ralvo are "700 mg medicated plaster[s]" of lidocaine
(versatis-uk, ralvo-uk), Lidoderm a "lidocaine patch 5%" whose label says "Avoid the use of external
heat sources ... may increase plasma lidocaine levels" (lidoderm-label); Qutenza a "179 mg cutaneous
patch" of capsaicin 8% that "should be applied by a physician or by a health care professional"
(qutenza-uk). On main "capsaicin 8% patch" and "Qutenza patch" were treated as possible opioid
patches (the clinician told "possible opioid patch", the sheets' patch wording); none of them is
fentanyl or buprenorphine, none is counted in MME. A lidocaine plaster keeps the heat advice off
(its label), so it is still withheld; what it is, is read (topical_patch)."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import CurrentMedicine, assess_medications, load_medicine_data
from radiculopathy_desktop.resources import resource_path

DATA = load_medicine_data()
BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))
AS_OF = dt.date(2026, 11, 29)
CAPSAICIN = ["Qutenza", "Qutenza patch", "Qutenza 179mg cutaneous patch", "capsaicin 8% patch", "Capsaicin patch"]
LIDOCAINE = ["Versatis", "Versatis 5% medicated plaster", "Ralvo 700mg plaster", "Lidoderm", "Lidoderm patch",
             "lidocaine 5% plaster", "lidocaine patch", "lignocaine plaster"]


def _medicine(name):
    return CurrentMedicine(name, DATA.resolve(name)[0], None, (), None)


@pytest.mark.parametrize("name", CAPSAICIN)
def test_a_capsaicin_patch_is_no_possible_opioid_patch(name):
    from radiculopathy_desktop.reports.handouts import unrecognised_note

    assert DATA.resolve(name)[0] == ()
    assert DATA.non_opioid_written_as_patch(name) == "capsaicin"
    assert not DATA.unrecognised_patch(_medicine(name))
    note = unrecognised_note([(name, None)])
    # sht24: said as what it is (a capsaicin patch, put on in the clinic), never a possible opioid patch
    assert "capsaicin patch, put on in the clinic" in note and "possible opioid patch" not in note


@pytest.mark.parametrize("name", CAPSAICIN + LIDOCAINE)
def test_a_topical_patch_is_never_counted_or_read_as_an_opioid(name):
    d = copy.deepcopy(BASE)
    d["medicines"] = [{"name": name}, {"name": "diazepam 5mg"}]
    report = assess_medications(parse_case(d).intake, AS_OF, profile="us")
    assert not report.current_daily_mme  # no opioid counted (0 or none)
    assert not any(i[0] == "ix-opioid-benzodiazepine" for i in report.interactions)


@pytest.mark.parametrize("name, substance", [*((n, "capsaicin") for n in CAPSAICIN), *((n, "lidocaine") for n in LIDOCAINE)])
def test_what_the_patch_is_is_read(name, substance):
    assert DATA.topical_patch(name) == substance


@pytest.mark.parametrize("name", ["lidocaine cream", "capsaicin cream", "lidocaine 2% gel", "fentanyl 25mcg/h patch",
                                  "Fentalis 25", "zzz patch", "diclofenac patch"])
def test_other_names_are_no_topical_patch(name):
    assert DATA.topical_patch(name) is None


@pytest.mark.parametrize("name", ["Versatis 5% medicated plaster", "lidocaine 5% plaster", "Lidoderm patch"])
def test_a_lidocaine_plaster_keeps_the_heat_advice_off(name):
    # Lidoderm's label: avoid external heat sources over the patch; the sheets' no-heat wording stays
    assert DATA.unrecognised_patch(_medicine(name))
    assert "lidocaine" in DATA.patch_forms.topical_patch_heat
