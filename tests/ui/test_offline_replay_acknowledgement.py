"""A decision kept on this computer while the clinic server was away is saved later with what
it acknowledged (red-team rt6 F1): the red flags standing in the case as it was shown when it
was typed, never more. A copy kept by the previous version (no field in what was typed) gets
the flags it audited as acknowledged, or none: never "absent", which would acknowledge by date.
"""

from __future__ import annotations

from radiculopathy_desktop.domain.followup import standing_red_flags, surgical_review
from radiculopathy_desktop.domain.vocab import ReviewStatus
from radiculopathy_desktop.ui import offline_drafts
from radiculopathy_desktop.ui.offline_replay import replay

from .conftest import TODAY

CASE = "P-RED-case"  # saddle anaesthesia at intake: Immediate


def _kept(store, data, acknowledged=None):
    case = store.get_case(CASE)
    return offline_drafts.KeptWrite(key=offline_drafts.new_write_key(), kind="decision", case_id=CASE, data=data,
                                    user="dr.a", typed_at="2026-03-02T09:00:00+00:00",
                                    based_on=offline_drafts.case_digest(case), patient="Rory Redflag",
                                    acknowledged=acknowledged)


def test_a_kept_decision_is_saved_with_the_flags_it_named(store):
    standing = standing_red_flags(store.get_case(CASE), TODAY)
    data = {"date": TODAY.isoformat(), "kind": "patient_declined", "acknowledged_red_flags": ["saddle_anaesthesia"]}
    assert replay(store, _kept(store, data, standing.to_audit()), TODAY).outcome == "saved"
    (decision,) = store.get_case(CASE).decisions
    assert decision.acknowledged_red_flags == ("saddle_anaesthesia",)
    assert surgical_review(store.get_case(CASE), TODAY).status == ReviewStatus.CLOSED


def test_a_copy_kept_by_the_previous_version_gets_the_flags_it_audited(store):
    standing = standing_red_flags(store.get_case(CASE), TODAY)
    data = {"date": TODAY.isoformat(), "kind": "patient_declined"}  # no acknowledged_red_flags then
    assert replay(store, _kept(store, data, standing.to_audit()), TODAY).outcome == "saved"
    (decision,) = store.get_case(CASE).decisions
    assert decision.acknowledged_red_flags == ("saddle_anaesthesia",)
    assert surgical_review(store.get_case(CASE), TODAY).status == ReviewStatus.CLOSED


def test_an_old_copy_that_acknowledged_nothing_does_not_clear_a_red_flag(store):
    """A referral kept by the previous version audited no acknowledgement: saved naming none, so
    the red flag stays Immediate until a decision names it (the safe side)."""
    data = {"date": TODAY.isoformat(), "kind": "referred_for_surgical_opinion"}
    assert replay(store, _kept(store, data), TODAY).outcome == "saved"
    (decision,) = store.get_case(CASE).decisions
    assert decision.acknowledged_red_flags == ()
    assert surgical_review(store.get_case(CASE), TODAY).status == ReviewStatus.IMMEDIATE
