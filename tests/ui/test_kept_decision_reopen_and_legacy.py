"""A decision kept on this computer while the clinic server could not be reached, saved later
from the window's offer (``ui.offline_replay``), goes through the same rules as the decision
dialog's own save (ep17, H-FU-251, H-FU-252):

1. one open case per patient (rt16 F2, H-FU-229): a kept "continue" on a discharged case,
   while the same patient has another open case, was saved by the replay with no question (it
   called ``record_decision`` without ``open_case_as_of``): a second open episode. Now the store
   refuses it (nothing saved) and the offer asks the decision dialog's question in its words;
   Go back (default, Esc) keeps it; "Re-open as a new episode" saves it, audited.
2. a decision kept by the previous version carries no ``typed_against`` (what the clinician saw
   when typing it, rt14 F8). The replay read that as "typed on the case as it is when saved",
   so a red flag reported at a visit saved meanwhile elsewhere was acknowledged unseen, and the
   case closed. Now: unchanged case -> typed against its records (exact); changed case -> not
   known, taken as typed before every numbered visit, and said so when saved.

The rule (README, follow-up tracker): a decision "acknowledges the red flags it names, those
standing when it was recorded, and not a flag reported at a visit entered after it"; typed
before it was saved, after it was typed.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.domain.followup import standing_red_flags
from radiculopathy_desktop.domain.intake import FollowUpVisit, parse_case
from radiculopathy_desktop.domain.vocab import ReviewStatus
from radiculopathy_desktop.storage.access import login_name
from radiculopathy_desktop.ui import dialogs, offline_drafts
from radiculopathy_desktop.ui.offline_replay import KeptWritesDialog, replay

from .conftest import NO_FLAGS, TODAY, case_dict

D = dt.timedelta
CES = "saddle_anaesthesia"


def _reopen_cases() -> list:
    old = case_dict("P-RO", "Rita Reopen", 200, red_flags=NO_FLAGS,
                    decisions=[{"date": (TODAY - D(days=100)).isoformat(), "kind": "resolved_discharged",
                                "acknowledged_red_flags": []}])
    old["case_id"] = "RO-OLD"
    new = case_dict("P-RO", "Rita Reopen", 5, red_flags=NO_FLAGS)
    new["case_id"] = "RO-NEW"
    new["onset_date"] = (TODAY - D(days=12)).isoformat()
    red = case_dict("P-RED", "Rory Redflag", 30, red_flags={CES: "yes"})
    return [parse_case(c) for c in (old, new, red)]


@pytest.fixture(params=["local", "server"])
def any_store(request, tmp_path):
    """The replay on both engines: the local file and the clinic server."""
    if request.param == "server":
        import pg_server as pgs
        from radiculopathy_desktop.storage.pg.store import PgStore
        s = PgStore.open(request.getfixturevalue("pg_database")(pgs.CLINICIAN_LOGIN), timeout_s=3)
    else:
        from radiculopathy_desktop.storage.store import CaseStore
        s = CaseStore.open(tmp_path / "replay-data")
    s.import_cases(_reopen_cases(), user="test")
    yield s
    s.close()


def _kept_continue(store) -> offline_drafts.KeptWrite:
    """What the decision dialog keeps for "continue conservative care" on RO-OLD, typed now."""
    from radiculopathy_desktop.domain.intake import last_entry

    case = store.get_case("RO-OLD")
    return offline_drafts.KeptWrite(
        key=offline_drafts.new_write_key(), kind="decision", case_id="RO-OLD",
        data={"date": TODAY.isoformat(), "kind": "continue_conservative_care",
              "until": (TODAY + D(days=28)).isoformat(), "acknowledged_red_flags": [],
              "typed_against": last_entry(case)},
        user=login_name(), typed_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        based_on=offline_drafts.case_digest(case), patient="Rita Reopen")


def _kept_declined_previous_version(store) -> offline_drafts.KeptWrite:
    """A "patient declined" on Rory Redflag's case (saddle anaesthesia at the intake), kept by the
    previous version: no ``typed_against`` in the kept file."""
    case = store.get_case("P-RED-case")
    standing = standing_red_flags(case, TODAY)
    return offline_drafts.KeptWrite(
        key=offline_drafts.new_write_key(), kind="decision", case_id="P-RED-case",
        data={"date": TODAY.isoformat(), "kind": "patient_declined", "acknowledged_red_flags": [CES]},
        user=login_name(), typed_at="2026-03-02T08:00:00+00:00",
        based_on=offline_drafts.case_digest(case), patient="Rory Redflag", acknowledged=standing.to_audit())


# ----------------------------------------------------------------- 1. the re-open rule on replay
def test_replay_of_a_kept_continue_on_the_closed_case_is_refused_in_the_dialogs_words(any_store):
    write = _kept_continue(any_store)
    result = replay(any_store, write, TODAY)
    assert result.outcome == "reopen" and not result.done
    assert [o.case_id for o in result.open_cases] == ["RO-NEW"]
    title, text, informative = dialogs.reopen_question("continue_conservative_care", "RO-OLD", "P-RO",
                                                       result.open_cases)
    assert result.question == (title, text, informative)
    assert "would re-open case RO-OLD, which is closed, while patient P-RO already has an open case: case RO-NEW" \
        in text
    assert result.message.startswith(text) and "Nothing was saved; it stays kept." in result.message
    assert len(any_store.get_case("RO-OLD").decisions) == 1  # nothing saved
    assert any_store.review("RO-OLD", TODAY).status == ReviewStatus.CLOSED


def test_replay_re_opens_only_beside_the_open_cases_the_user_was_shown(any_store):
    write = _kept_continue(any_store)
    assert replay(any_store, write, TODAY, new_episode=frozenset({"RO-OTHER"})).outcome == "reopen"
    result = replay(any_store, write, TODAY, new_episode=frozenset({"RO-NEW"}))
    assert result.outcome == "saved"
    assert any_store.review("RO-OLD", TODAY).status == ReviewStatus.SNOOZED
    entry = [e for e in any_store.audit("RO-OLD") if e.action == "decision_recorded"][-1]
    [item] = entry.detail["new_episode_while_open"]
    assert item["reopened"] is True and [o["case_id"] for o in item["open_cases"]] == ["RO-NEW"]


def test_replay_without_another_open_case_saves_without_a_question(any_store):
    """The boundary: the other episode was discharged meanwhile, so nothing stands in the way."""
    from radiculopathy_desktop.domain.intake import Decision
    from radiculopathy_desktop.domain.vocab import DecisionKind

    write = _kept_continue(any_store)
    any_store.record_decision("RO-NEW", Decision(TODAY - D(days=1), DecisionKind.RESOLVED_DISCHARGED,
                                                 acknowledged_red_flags=()), user="dr.b")
    assert replay(any_store, write, TODAY).outcome == "saved"
    assert any_store.review("RO-OLD", TODAY).status == ReviewStatus.SNOOZED


def _offer(qtbot, context, window) -> KeptWritesDialog:
    """The offer, opened over the window as the kept-writes bar's Review opens it."""
    review = KeptWritesDialog(context, window)
    review.show()
    qtbot.waitExposed(review)
    return review


def _question(qtbot, review):
    qtbot.waitUntil(lambda: review.reopen_box is not None and review.reopen_box.isVisible())
    box = review.reopen_box
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    return box


@pytest.fixture
def reopen_context(context):
    context.store.import_cases(_reopen_cases()[:2], user="test")  # (the seed holds P-RED-case)
    offline_drafts.keep_write(context.data_dir, _kept_continue(context.store))
    return context


def test_the_offer_asks_and_enter_goes_back_keeping_it(qtbot, window, reopen_context):
    context = reopen_context
    review = _offer(qtbot, context, window)
    qtbot.keyClick(review.save_button, Qt.Key_Space)
    box = _question(qtbot, review)
    assert box.windowTitle() == "This patient has an open case"
    found = context.store.open_cases("P-RO", TODAY, exclude="RO-OLD")
    _title, text, informative = dialogs.reopen_question("continue_conservative_care", "RO-OLD", "P-RO", found)
    assert box.text() == text and box.informativeText() == informative  # the decision dialog's words
    assert box.defaultButton().text() == "&Go back" and box.escapeButton() is box.defaultButton()
    qtbot.keyClick(box, Qt.Key_Return)  # the default: Go back
    qtbot.waitUntil(lambda: review.reopen_box is None)
    assert len(context.store.get_case("RO-OLD").decisions) == 1  # nothing saved
    assert len(offline_drafts.kept_writes(context.data_dir)) == 1  # still kept
    assert "would re-open case RO-OLD" in review.list.item(0).text() and "stays kept" in review.list.item(0).text()
    assert review.isVisible()


def test_the_offer_asks_and_escape_goes_back(qtbot, window, reopen_context):
    context = reopen_context
    review = _offer(qtbot, context, window)
    qtbot.mouseClick(review.save_button, Qt.LeftButton)
    box = _question(qtbot, review)
    qtbot.keyClick(box, Qt.Key_Escape)
    qtbot.waitUntil(lambda: review.reopen_box is None)
    assert len(context.store.get_case("RO-OLD").decisions) == 1
    assert len(offline_drafts.kept_writes(context.data_dir)) == 1


def test_re_opening_deliberately_from_the_offer_saves_and_audits(qtbot, window, reopen_context):
    context = reopen_context
    review = _offer(qtbot, context, window)
    qtbot.mouseClick(review.save_button, Qt.LeftButton)
    box = _question(qtbot, review)
    reopen = next(b for b in box.buttons() if b.text() == dialogs.REOPEN_BUTTON)
    qtbot.mouseClick(reopen, Qt.LeftButton)
    qtbot.waitUntil(lambda: offline_drafts.kept_writes(context.data_dir) == [])
    assert context.store.review("RO-OLD", TODAY).status == ReviewStatus.SNOOZED
    entry = [e for e in context.store.audit("RO-OLD") if e.action == "decision_recorded"][-1]
    assert entry.detail["new_episode_while_open"][0]["reopened"] is True
    assert "Saved to the server: 1." in review.result.text()


# ------------------------------------------------ 2. a decision kept by the previous version
def test_previous_version_decision_on_an_unchanged_case_is_typed_against_its_records(any_store):
    """The boundary: nothing entered since it was typed, so what it was typed against is known
    (the case as it is) and it acknowledges the intake's flag as the dialog would."""
    write = _kept_declined_previous_version(any_store)
    result = replay(any_store, write, TODAY)
    assert result.outcome == "saved" and result.message == ""
    assert any_store.review("P-RED-case", TODAY).status == ReviewStatus.CLOSED


def test_previous_version_decision_after_an_unseen_report_does_not_acknowledge_it(any_store):
    """The case changed after it was typed (another workstation saved a visit reporting the flag
    again): when it was typed is not known, so it does not stand for that report; saved, the
    case stays Immediate, and the clinician is told why."""
    write = _kept_declined_previous_version(any_store)
    any_store.add_visit("P-RED-case", FollowUpVisit(date=TODAY - D(days=1), red_flags={CES: "yes"},
                                                   clinician="Dr Ben"), user="Dr Ben")
    assert replay(any_store, write, TODAY).outcome == "changed"  # told first, nothing saved
    result = replay(any_store, write, TODAY, changed_ok=True)
    assert result.outcome == "saved"
    assert any_store.review("P-RED-case", TODAY).status == ReviewStatus.IMMEDIATE
    assert "kept by an earlier version of the app" in result.message
    assert "did not record which visits you had seen" in result.message
    assert f"at the visit of {(TODAY - D(days=1)).isoformat()} (clinician Dr Ben)" in result.message
    assert "record a new decision" in result.message
    (decision,) = any_store.get_case("P-RED-case").decisions
    assert decision.typed_against == 0


def test_previous_version_decision_on_a_changed_case_still_stands_for_the_intake_flag(any_store):
    """Just beside it: the case changed by a visit reporting no red flag; the intake's flag was
    shown whenever it was typed, so the decision stands for it and the case closes."""
    write = _kept_declined_previous_version(any_store)
    any_store.add_visit("P-RED-case", FollowUpVisit(date=TODAY - D(days=1), leg_nrs=5), user="Dr Ben")
    result = replay(any_store, write, TODAY, changed_ok=True)
    assert result.outcome == "saved" and result.message == ""
    assert any_store.review("P-RED-case", TODAY).status == ReviewStatus.CLOSED
