"""``Store.stored_ids()``: every patient ID and case ID, on both engines, as stored (the
look-alike id check of ``import`` and the intake reads them)."""

from __future__ import annotations

from tracker_support import make_case

STORE_ENGINES = ("sqlite", "postgresql")


def test_every_patient_and_case_id_is_listed_as_stored(store):
    assert store.stored_ids() == ([], [])
    store.import_cases([make_case("EX-1", patient_id="PT-100"), make_case("EX-2", patient_id="PT-100"),
                              make_case("\u0416\u0423\u041a-1", patient_id="P \u00c9")], user="test")
    patients, cases = store.stored_ids()
    assert sorted(patients) == sorted(["PT-100", "P \u00c9"])  # one patient, two episodes: listed once
    assert sorted(cases) == sorted(["EX-1", "EX-2", "\u0416\u0423\u041a-1"])
