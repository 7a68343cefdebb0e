"""A kept visit or decision saved by another user keeps the typist's claimed name in its audit entry
(ui19 not done, H-DATA-365), on both engines.

ui19: a visit kept on this computer as typed by Dr Ann and saved by Dr Ben under "Save under my name
(Dr Ben)" was audited as Dr Ben's alone: the kept file's typist was asked about on screen, then lost.
The store's ``add_visit`` and ``record_decision`` now take ``typed_as`` (the kept file's name) and keep
it in the entry's detail JSON as ``typed_as`` when it is not the saving user (spaces aside, as the
window compares). The entry's ``user`` stays the one who checked and saved it: the file's name is a
claim (rt8 F10), recorded as such, never as the author. The detail JSON is already there on both
engines, so no migration is needed. It is not part of the record: a retry of the same keyed write by
another user is still "already saved".
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.intake import Decision, FollowUpVisit
from radiculopathy_desktop.domain.vocab import DecisionKind
from radiculopathy_desktop.storage.engine_common import TYPED_AS
from tracker_support import ANCHOR, make_case

STORE_ENGINES = ("sqlite", "postgresql")
D = dt.timedelta


def _entry(store, action):
    [entry] = [e for e in store.audit("T1") if e.action == action]
    return entry


@pytest.mark.parametrize("typist, kept", [
    ("Dr Ann", "Dr Ann"),  # another user: kept
    ("  Dr Ann ", "Dr Ann"),  # trimmed as the window compares
    ("Dr Ben", None),  # the saver themself: nothing added
    (" Dr Ben  ", None),  # the saver, spaces aside
    ("", None),  # no name in the file: nothing claimed
    (None, None),  # not a kept copy (the visit dialog's own save)
])
def test_a_visit_keeps_the_typists_name_beside_the_saving_user(store, typist, kept):
    store.import_cases([make_case("T1", care_start=ANCHOR - D(days=50))])
    store.add_visit("T1", FollowUpVisit(date=ANCHOR, leg_nrs=4), user="Dr Ben", write_key="k" * 32,
                    typed_as=typist)
    entry = _entry(store, "visit_added")
    assert entry.user == "Dr Ben"
    assert entry.detail.get(TYPED_AS) == kept
    assert (TYPED_AS in entry.detail) is (kept is not None)


def test_a_decision_keeps_the_typists_name_beside_the_saving_user(store):
    store.import_cases([make_case("T1", care_start=ANCHOR - D(days=50))])
    store.record_decision("T1", Decision(ANCHOR, DecisionKind.CONTINUE_CONSERVATIVE_CARE, ANCHOR + D(days=30)),
                          user="Dr Ben", write_key="d" * 32, typed_as="Dr Ann", open_case_as_of=ANCHOR)
    entry = _entry(store, "decision_recorded")
    assert entry.user == "Dr Ben" and entry.detail[TYPED_AS] == "Dr Ann"


def test_a_retry_of_the_same_kept_visit_by_another_user_is_already_saved(store):
    """Saved by Dr Ann herself (nothing claimed), the answer lost, then saved again from the kept
    copy by Dr Ben: the same record, not a "different record with a used key"; nothing written."""
    store.import_cases([make_case("T1", care_start=ANCHOR - D(days=50))])
    visit = FollowUpVisit(date=ANCHOR, leg_nrs=4)
    store.add_visit("T1", visit, user="Dr Ann", write_key="r" * 32, typed_as="Dr Ann")
    again = store.add_visit("T1", visit, user="Dr Ben", write_key="r" * 32, typed_as="Dr Ann")
    assert again.already_saved
    assert len(store.get_case("T1").visits) == 1
    assert TYPED_AS not in _entry(store, "visit_added").detail
