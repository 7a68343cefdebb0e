"""One rule for "this case already exists" (gp18 F5, H-FU-311), on both engines.

gp18 F5: the window's "Start a new episode" saved Preg-A-2026-10-20 beside PREG-A-2026-10-26,
both with onset 2026-10-20, while ``import`` refused such a case "(as the window's intake
refuses a second one)". Import compared patient IDs exactly, so ``Preg-A`` beside ``PREG-A``
passed it too. The rule is now ``domain.identity.same_episode``: the same person (one patient
ID, or IDs sharing the patient key whose name, birth date and sex agree:
``domain.identity.same_person``, fxc18) with the same onset date. The side is not compared
(the import rule never compared it). The window, ``import`` and the store apply this one rule.
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.identity import EPISODE_EXISTS, EpisodeExists, episode_duplicates, same_episode
from radiculopathy_desktop.domain.intake import parse_case
from tracker_support import ANCHOR, case_dict

STORE_ENGINES = ("sqlite", "postgresql")
D = dt.timedelta
START = ANCHOR - D(days=40)  # onset = START - 7 days (tracker_support.case_dict)
ONSET = START - D(days=7)
ANN = {"name": "Ann Lee", "birth_date": "1980-02-03", "sex": "female"}


def _case(case_id: str, pid: str, *, onset: dt.date = ONSET, side: str = "left", **patient):
    data = case_dict(case_id, patient_id=pid, care_start=START, side=side)
    data["onset_date"] = onset.isoformat()
    data["patient"] = {**data["patient"], **ANN, **patient}
    data["patient"].pop("age_years", None)
    return parse_case(data)


@pytest.mark.parametrize("other, same", [
    (_case("B", "PREG-A"), True),  # one ID, one onset
    (_case("B", "preg-a"), True),  # IDs one patient key joins, the patients agree (gp18 F5)
    (_case("B", "Preg-A", name="ANN LEE"), True),  # a name in other capitals is the same name
    (_case("B", "Preg-A", side="right"), True),  # the side is not part of the rule
    (_case("B", "Preg-A", onset=ONSET - D(days=1)), False),  # a day before: another episode
    (_case("B", "Preg-A", onset=ONSET + D(days=1)), False),  # a day after: another episode
    (_case("B", "preg-a", name="Bea Lee"), False),  # another name under a joined key: another person
    (_case("B", "preg-a", birth_date="1980-02-04"), False),  # a birth date a day apart
    (_case("B", "preg-a", sex="male"), False),
    (_case("B", "PREG-B"), False),  # another key
])
def test_same_episode_boundaries(other, same):
    mine = _case("A", "Preg-A")
    assert same_episode(mine, other) is same and same_episode(other, mine) is same
    assert [c.case_id for c in episode_duplicates(mine, [other, mine])] == (["B"] if same else [])


def test_a_capitals_variant_id_with_the_same_onset_is_refused_naming_the_stored_case(store):
    store.import_cases([_case("PREG-A-1", "PREG-A")], user="dr.a")
    for pid in ("PREG-A", "Preg-A", "preg-a"):
        with pytest.raises(EpisodeExists) as caught:
            store.import_cases([_case("PREG-A-2", pid)], user="dr.a", one_case_per_episode=True)
        text = str(caught.value)
        assert text.startswith(EPISODE_EXISTS) and "nothing was imported" in text
        assert f"case PREG-A-2: patient {pid}, onset date {ONSET.isoformat()}, is already case PREG-A-1 in the tracker" \
            in text
        assert caught.value.existing == ("PREG-A-1",)
        assert not store.has_case("PREG-A-2")
    # the window's path is refused the same way, beside its own open-case rule and new episode choice
    with pytest.raises(EpisodeExists):
        store.import_cases([_case("PREG-A-2", "Preg-A")], user="dr.a", one_case_per_episode=True,
                           open_case_as_of=ANCHOR, new_episode=True)
    assert not store.has_case("PREG-A-2")


def test_another_onset_or_another_person_under_the_key_is_not_the_same_case(store):
    store.import_cases([_case("PREG-A-1", "PREG-A")], user="dr.a")
    # a day later: another episode (the open-case rule is another question: new_episode given)
    store.import_cases([_case("PREG-A-2", "Preg-A", onset=ONSET + D(days=1))], user="dr.a",
                       one_case_per_episode=True)
    # another person whose ID one key joins (name, birth date, sex differ): not this case
    store.import_cases([_case("PREG-A-3", "preg-a", name="Bob Jones", birth_date="1950-05-05", sex="male")],
                       user="dr.a", one_case_per_episode=True)
    assert store.has_case("PREG-A-2") and store.has_case("PREG-A-3")


def test_two_cases_of_one_episode_in_one_file_by_capitals_are_refused(store):
    with pytest.raises(EpisodeExists) as caught:
        store.import_cases([_case("X-1", "P-9"), _case("X-2", "p-9")], user="dr.a", one_case_per_episode=True)
    assert "case X-2: patient p-9, onset date" in str(caught.value)
    assert "is already case X-1 earlier in this file" in str(caught.value)
    assert not store.has_case("X-1")


def test_a_new_id_of_another_person_under_a_used_key_is_in_the_result_and_the_audit(store):
    """fxc18: the import's result and its audit entry (JSON) carry the new ID kept apart from the
    stored ID of another person that shares its patient key; IDs only, never a name."""
    store.import_cases([_case("TA", "PİD-9", name="Ayşe Yılmaz", birth_date="1990-01-01")], user="dr.a")
    result = store.import_cases([_case("TB", "pid-9", name="Bob Jones", birth_date="1950-05-05", sex="male")],
                                user="dr.a", open_case_as_of=ANCHOR, one_case_per_episode=True)
    assert result.added == ("TB",)
    expected = [{"case_id": "TB", "patient_id": "pid-9", "other_patient_ids": ["PİD-9"]}]
    assert list(result.kept_apart) == expected
    entry = [e for e in store.audit() if e.action == "import"][-1]
    assert entry.detail["patient_ids_kept_apart"] == expected
    assert "Bob" not in str(entry.detail) and "Ay" not in str(entry.detail)
    # Ayşe under a third joined ID: one person with PİD-9, so only Bob's pid-9 is named
    result = store.import_cases([_case("TC", "Pid-9", name="Ayşe Yılmaz", birth_date="1990-01-01",
                                       onset=ONSET + D(days=1))],
                                user="dr.a", open_case_as_of=ANCHOR, new_episode=True, one_case_per_episode=True)
    assert result.added == ("TC",)
    assert list(result.kept_apart) == [{"case_id": "TC", "patient_id": "Pid-9", "other_patient_ids": ["pid-9"]}]


def test_the_same_person_under_a_joined_id_is_not_named(store):
    store.import_cases([_case("TA", "PREG-A")], user="dr.a")
    result = store.import_cases([_case("TB", "preg-a", onset=ONSET + D(days=1))], user="dr.a",
                                open_case_as_of=ANCHOR, new_episode=True, one_case_per_episode=True)
    assert result.added == ("TB",) and result.kept_apart == ()
    entry = [e for e in store.audit() if e.action == "import"][-1]
    assert "patient_ids_kept_apart" not in entry.detail


def test_latest_audit_reads_the_newest_entry_of_an_action_not_about_one_case(store):
    """What the window reads at each open for the IDs an upgrade kept apart (H-FU-313), both engines."""
    assert store.latest_audit("patient_ids_kept_apart") is None
    store.import_cases([_case("TA", "P-1")], user="dr.a")
    store.import_cases([_case("TB", "P-2")], user="dr.b")
    entry = store.latest_audit("import")
    assert entry is not None and entry.user == "dr.b" and entry.case_id is None and entry.detail["added"] == 1
    assert store.latest_audit("case_added") is None  # entries about one case are not read
