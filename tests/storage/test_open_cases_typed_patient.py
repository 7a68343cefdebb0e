"""The open-case look for a new patient ID asks about its own person only (dup19 leftover, H-FU-363).

dup19's "not done": typing a NEW patient ID whose patient key joins it to a stored ID of a
different person (same key; another name, birth date or sex) still asked the open-case question
about that other person's case, because ``open_cases(new_id)`` kept every same-key case for an ID
it could not know the person of. The store now takes the patient as typed
(``open_cases(..., patient=)``, ``patient_cases(..., patient=)``) and keeps only the cases of that
person (``domain.identity.cases_of_person``; since rt22 F5 a question errs towards asking, so only
a patient ``clearly_someone_else`` is left out: unknown is not a difference), on both engines. Without the typed patient it keeps them all, as before (``import`` judges them).
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.identity import cases_of_person
from radiculopathy_desktop.domain.intake import Patient, parse_case
from tracker_support import ANCHOR, case_dict

STORE_ENGINES = ("sqlite", "postgresql")
START = ANCHOR - dt.timedelta(days=40)
ANN = {"name": "Ann Lee", "birth_date": "1980-02-03", "sex": "female"}


def _stored(store):
    data = case_dict("PREG-A-1", patient_id="PREG-A", care_start=START)
    data["patient"] = {**data["patient"], **ANN}
    data["patient"].pop("age_years", None)
    store.import_cases([parse_case(data)], user="dr.a")


@pytest.mark.parametrize("typed, asked", [
    (Patient("preg-a", "Ann Lee", dt.date(1980, 2, 3), sex="female"), True),  # the same person, other capitals
    (Patient("preg-a", "ANN LEE", None, sex="unknown"), True),  # unknown is not a difference
    (Patient("preg-a", None, None, sex="unknown"), True),  # nothing typed yet: not known to differ
    # rt22 F5 (changed on purpose): a question errs towards asking; these may be Ann typed another way
    (Patient("preg-a", "Bea Lee", dt.date(1980, 2, 3), sex="female"), True),  # a surname and the birth date shared
    (Patient("preg-a", "Ann Lee", dt.date(1980, 2, 4), sex="female"), True),  # a birth date a day apart
    (Patient("preg-a", "Ann Lee", dt.date(1980, 2, 2), sex="female"), True),  # ... either side
    (Patient("preg-a", "Ann Lee", dt.date(1980, 2, 3), sex="male"), True),  # another sex only
    (Patient("preg-a", "Bob Jones", dt.date(1980, 2, 3), sex="male"), True),  # another name, the same birth date
    # clearly someone else: another name and no birth date saying otherwise
    (Patient("preg-a", "Bob Jones", None, sex="male"), False),
    (Patient("preg-a", "Bob Jones", dt.date(1955, 7, 19), sex="female"), False),
])
def test_a_new_ids_open_cases_are_its_typed_persons_only(store, typed, asked):
    _stored(store)
    found = store.open_cases("preg-a", ANCHOR, patient=typed)
    assert [o.case_id for o in found] == (["PREG-A-1"] if asked else [])
    assert [c.case_id for c in store.patient_cases("preg-a", patient=typed)] == (["PREG-A-1"] if asked else [])


def test_without_the_typed_patient_a_new_id_keeps_every_same_key_case_and_a_stored_id_its_own(store):
    _stored(store)
    assert [o.case_id for o in store.open_cases("preg-a", ANCHOR)] == ["PREG-A-1"]
    # a stored ID is judged by its stored patient, whatever is typed (the identity check refuses a clash)
    other = Patient("PREG-A", "Bea Lee", None, sex="male")
    assert [o.case_id for o in store.open_cases("PREG-A", ANCHOR, patient=other)] == ["PREG-A-1"]


def test_cases_of_person_takes_the_typed_patients_id_as_given():
    data = case_dict("PREG-A-1", patient_id="PREG-A", care_start=START)
    data["patient"] = {**data["patient"], **ANN}
    stored = parse_case(data)
    # a typed patient carrying another spelling of the ID is judged under the ID asked about
    assert cases_of_person([stored], "preg-a", Patient("PREG-a", "Ann Lee")) == [stored]
    assert cases_of_person([stored], "preg-a", Patient("preg-a", "Bob Jones")) == []
