"""Both engines (the ``store`` fixture): a re-import that renames a medicine brand <-> generic
keeps the medicine alert it raised (the same drug for the medicine engine: Nurofen, Advil and
Brufen are ibuprofen, Coumadin is warfarin, in resources/medicines/classes.toml), so it is not
refused as a lost alert; the rename is still named as a change of the intake's medicines.
A real removal, or a rename to another drug, is still refused (README, import: "An update
after which the intake no longer raises a medicine alert ... is refused with exit 2")."""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.intake import parse_case

from tracker_support import case_dict, import_file, refused_import

STORE_ENGINES = ("sqlite", "postgresql")


def _case(medicines, case_id: str = "RN-1") -> dict:
    data = case_dict(case_id)
    data["medicines"] = medicines
    return data


_import, _refused = import_file, refused_import


@pytest.mark.parametrize("stored, renamed", [
    ("Nurofen", "ibuprofen"),             # brand -> generic
    ("ibuprofen", "Brufen"),              # generic -> brand
    ("Advil", "ibuprofen 400 mg tablets"),  # brand -> generic with strength and form words
])
def test_an_nsaid_renamed_beside_warfarin_keeps_its_alert_and_is_imported(store, stored, renamed):
    _import(store, _case([{"name": stored, "daily_dose_mg": 1200}, {"name": "warfarin"}]))
    result = _import(store, _case([{"name": renamed, "daily_dose_mg": 1200}, {"name": "Coumadin"}]))
    assert result.updated == ("RN-1",) and result.replaced == ()
    [changed] = result.changed
    # the rename is still said: what the clinician recorded changed (names are kept in lower case)
    assert changed["field"] == "medicines"
    assert changed["changes"] == [f"added {renamed.lower()} 1200 mg/day", "added coumadin",
                                  f"removed {stored.lower()}", "removed warfarin"]
    assert [m.name for m in store.get_case("RN-1").intake.medicines] == [renamed.lower(), "coumadin"]


def test_removing_the_renamed_medicine_is_still_a_lost_alert(store):
    _import(store, _case([{"name": "Nurofen", "daily_dose_mg": 1200}, {"name": "warfarin"}]))
    message = _refused(store, _case([{"name": "warfarin"}]))
    assert "no longer raises the medicine alert 'AVOID: nurofen (with warfarin: keep it)'" in message


def test_a_switch_to_another_nsaid_is_another_alert(store):
    # naproxen beside warfarin raises its own AVOID; the one about the stored ibuprofen is lost
    _import(store, _case([{"name": "Nurofen", "daily_dose_mg": 1200}, {"name": "warfarin"}]))
    message = _refused(store, _case([{"name": "naproxen", "daily_dose_mg": 500}, {"name": "warfarin"}]))
    assert "'AVOID: nurofen (with warfarin: keep it)'" in message


def test_the_nsaid_replaced_by_paracetamol_is_still_a_lost_alert(store):
    # paracetamol in place of the NSAID: another drug, the AVOID beside warfarin is gone
    _import(store, _case([{"name": "Nurofen", "daily_dose_mg": 1200}, {"name": "warfarin"}]))
    message = _refused(store, _case([{"name": "paracetamol", "daily_dose_mg": 2000}, {"name": "warfarin"}]))
    assert "'AVOID: nurofen (with warfarin: keep it)'" in message
    result = _import(store, _case([{"name": "paracetamol", "daily_dose_mg": 2000}, {"name": "warfarin"}]),
                     replace_records=True)
    assert any(r["field"] == "medicine_alert" and r["stored"] == "AVOID: nurofen (with warfarin: keep it)" for r in result.replaced)


def test_a_renamed_medicine_whose_dose_is_lowered_below_its_limit_is_still_lost(store):
    # the same drug, renamed and with the dose lowered below the label's maximum (3200 mg/day):
    # the alert on the dose is lost
    data = _case([{"name": "Nurofen", "daily_dose_mg": 4000}])
    _import(store, data)
    message = _refused(store, _case([{"name": "ibuprofen", "daily_dose_mg": 1200}]))
    # over the label maximum alone is Reduce dose (dose19, gp18 F9: one label above a maximum)
    assert "'REDUCE DOSE: nurofen'" in message
    # renamed with the dose kept over the maximum: the same alert stands, imported
    assert _import(store, _case([{"name": "ibuprofen", "daily_dose_mg": 4000}])).updated == ("RN-1",)
