"""A decision typed while the clinic server could not be reached and saved later acknowledges
only what the clinician could see when typing it (red-team rt14 F8): a visit saved meanwhile by
another workstation (or the command line) that reports a red flag again was not seen, so the
decision is saved but the case stays Immediate, and the clinician is told which report they
have not seen. The same holds in the open decision dialog: a red flag reported again since the
case shown was read (the same day, so the flags read the same) saves nothing and says so.

The rule is the tracker's own (README, follow-up tracker; ``domain.followup``): a decision
"acknowledges the red flags it names, those standing when it was recorded, and not a flag
reported at a visit entered after it"; typed before it was saved, after it was typed.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from radiculopathy_desktop.domain.intake import FollowUpVisit, last_entry, parse_case
from radiculopathy_desktop.domain.vocab import ReviewStatus
from radiculopathy_desktop.storage.errors import StorageError
from radiculopathy_desktop.ui import dialogs, offline_drafts
from radiculopathy_desktop.ui.offline_replay import KeptWritesDialog, replay

from .conftest import TODAY, seed_cases

CASE = "P-RED-case"  # Rory Redflag: saddle anaesthesia at the intake, Immediate
CES = "saddle_anaesthesia"


def _reported_again(store, day=TODAY, user="Dr Ben"):
    """Another workstation saves a visit answering the cauda equina question yes again."""
    store.add_visit(CASE, FollowUpVisit(date=day, red_flags={CES: "yes"}, clinician=user), user=user)


def _type_declined(qtbot, dialog):
    """Choose 'patient declined', press Enter, and acknowledge the red flags when asked."""
    qtbot.mouseClick(dialog.kind.buttons["patient_declined"], Qt.LeftButton)
    qtbot.keyClick(dialog.kind.buttons["patient_declined"], Qt.Key_Return)
    qtbot.waitUntil(lambda: dialog.acknowledge_box is not None and dialog.acknowledge_box.isVisible())
    record = next(b for b in dialog.acknowledge_box.buttons() if "acknowledged" in b.text().replace("&", ""))
    qtbot.mouseClick(record, Qt.LeftButton)


def _open(qtbot, context, store) -> dialogs.DecisionDialog:
    dialog = dialogs.DecisionDialog(context, store.get_case(CASE))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_a_kept_decision_saved_after_an_unseen_report_leaves_the_case_immediate_and_says_so(
        qtbot, context, store, monkeypatch):
    shown = []
    monkeypatch.setattr(dialogs.ui_errors, "show_error", lambda parent, exc, kept_input=False: shown.append(str(exc)))
    from radiculopathy_desktop.storage.store import CaseStore

    original = CaseStore.record_decision

    def unreachable(self, *a, **kw):
        raise StorageError("unreachable", "The clinic server cannot be reached (connection lost).")

    monkeypatch.setattr(CaseStore, "record_decision", unreachable)
    dialog = _open(qtbot, context, store)
    _type_declined(qtbot, dialog)
    qtbot.waitUntil(lambda: len(offline_drafts.kept_writes(context.data_dir)) == 1)
    (kept,) = offline_drafts.kept_writes(context.data_dir)
    assert kept.data["typed_against"] == last_entry(store.get_case(CASE))  # what the clinician saw
    dialog.reject()
    monkeypatch.setattr(CaseStore, "record_decision", original)  # the server is back
    _reported_again(store)                                        # saved meanwhile elsewhere

    review = KeptWritesDialog(context)
    qtbot.addWidget(review)
    review.show()
    qtbot.mouseClick(review.save_button, Qt.LeftButton)  # the case changed: told first, nothing saved
    assert store.get_case(CASE).decisions == ()
    told = review.list.item(0).text()
    assert "Dr Ben" in told and "added a visit" in told and "still kept" in told
    qtbot.mouseClick(review.save_button, Qt.LeftButton)  # the user saves it as well
    (decision,) = store.get_case(CASE).decisions
    assert decision.kind == "patient_declined" and decision.acknowledged_red_flags == (CES,)
    assert store.review(CASE, TODAY).status == ReviewStatus.IMMEDIATE
    text = review.result.text()
    assert "Saved to the server: 1." in text
    assert f"case {CASE} stays Immediate" in text
    assert f"at the visit of {TODAY.isoformat()} (clinician Dr Ben): Saddle (perineal) numbness" in text
    assert "record a new decision" in text
    assert review.isVisible()  # kept open until the clinician has read it
    assert offline_drafts.kept_writes(context.data_dir) == [] and shown


def test_the_open_dialog_saves_nothing_over_a_same_day_report_it_has_not_shown(qtbot, context, store, monkeypatch):
    monkeypatch.setattr(dialogs.ui_errors, "show_error", lambda *a, **k: pytest.fail("an error was shown"))
    _reported_again(store, user="Dr Ann")  # seen: the dialog opens on it
    dialog = _open(qtbot, context, store)
    _reported_again(store)                 # the same flag again, the same day, not yet shown
    _type_declined(qtbot, dialog)
    qtbot.waitUntil(lambda: "reported again at a visit saved since this dialog opened" in
                    dialog.general_error.text())
    assert dialog.isVisible() and store.get_case(CASE).decisions == ()
    assert dialog.choice() == "patient_declined"  # nothing typed is lost
    # read now: Save records it, acknowledging what it has shown
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    (decision,) = store.get_case(CASE).decisions
    assert decision.acknowledged_red_flags == (CES,)
    assert store.review(CASE, TODAY).status == ReviewStatus.CLOSED


@pytest.fixture(params=["local", "server"])
def any_store(request, tmp_path):
    """The replay path on both engines: the local file and the clinic server."""
    if request.param == "server":
        import pg_server as pgs
        from radiculopathy_desktop.storage.pg.store import PgStore
        s = PgStore.open(request.getfixturevalue("pg_database")(pgs.CLINICIAN_LOGIN), timeout_s=3)
    else:
        from radiculopathy_desktop.storage.store import CaseStore
        s = CaseStore.open(tmp_path / "replay-data")
    s.import_cases([parse_case(c) for c in seed_cases()], user="test")
    yield s
    s.close()


def _kept_declined(store) -> offline_drafts.KeptWrite:
    from radiculopathy_desktop.domain.followup import standing_red_flags

    case = store.get_case(CASE)
    standing = standing_red_flags(case, TODAY)
    return offline_drafts.KeptWrite(
        key=offline_drafts.new_write_key(), kind="decision", case_id=CASE,
        data={"date": TODAY.isoformat(), "kind": "patient_declined", "acknowledged_red_flags": [CES],
              "typed_against": last_entry(case)},
        user="dr.a", typed_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        based_on=offline_drafts.case_digest(case), patient="Rory Redflag", acknowledged=standing.to_audit())


def test_replay_on_both_engines_names_the_report_not_seen(any_store):
    write = _kept_declined(any_store)
    _reported_again(any_store, day=TODAY - dt.timedelta(days=1))
    assert replay(any_store, write, TODAY).outcome == "changed"
    result = replay(any_store, write, TODAY, changed_ok=True)
    assert result.outcome == "saved" and result.done
    assert "stays Immediate" in result.message
    assert f"at the visit of {(TODAY - dt.timedelta(days=1)).isoformat()}" in result.message
    assert any_store.review(CASE, TODAY).status == ReviewStatus.IMMEDIATE
    assert replay(any_store, write, TODAY, changed_ok=True).outcome == "already"


def test_replay_of_a_decision_typed_after_the_report_closes_the_case(any_store):
    """The boundary: the report was on the case shown when the decision was typed."""
    _reported_again(any_store, day=TODAY - dt.timedelta(days=1))
    write = _kept_declined(any_store)
    result = replay(any_store, write, TODAY)
    assert result.outcome == "saved" and result.message == ""
    assert any_store.review(CASE, TODAY).status == ReviewStatus.CLOSED


def test_the_watch_refreshing_the_dialog_says_a_same_day_report_before_the_decision_stands_for_it(
        window, qtbot, context):
    """The window's watch reloads the open case after another program saves a visit reporting
    the cauda equina flag again on the day the dialog already shows it: the flags read the
    same, but the dialog now holds (and its decision is typed against) that visit, so it says
    so above the form before anything is saved; saved then, the decision stands for it."""
    from .test_local_live import WAIT_MS, _other, _ready
    from .window_steps import open_decision_dialog

    _reported_again(context.store, user="Dr Ann")  # seen: the dialog opens on it
    _ready(qtbot, window)
    dialog = open_decision_dialog(window, qtbot, CASE)
    qtbot.mouseClick(dialog.kind.buttons["patient_declined"], Qt.LeftButton)
    assert "reported again" not in dialog.red_flag_warning.text()
    with _other(context) as other:  # another program, the same day
        other.add_visit(CASE, FollowUpVisit(date=TODAY, red_flags={CES: "yes"}, clinician="Dr Cli"), user="Dr Cli")
    qtbot.waitUntil(lambda: "reported again for this patient since this dialog opened" in
                    dialog.red_flag_warning.text(), timeout=WAIT_MS)
    assert f"at the visit of {TODAY.isoformat()}: Saddle (perineal) numbness" in dialog.red_flag_warning.text()
    assert context.store.get_case(CASE).decisions == ()
    _type_declined(qtbot, dialog)  # told, the clinician records it acknowledging the flags
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert context.store.review(CASE, TODAY).status == ReviewStatus.CLOSED
