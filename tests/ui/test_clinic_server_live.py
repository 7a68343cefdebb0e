"""The window on the clinic server when other workstations write and when the network
fails (issue 15): changes made elsewhere appear without a click (LISTEN/NOTIFY on the
watch's own connection), and a server that goes away is said at once, with nothing typed
lost and nothing saved twice. Waits are qtbot.waitUntil: no timing is asserted."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

import pg_server as pgs
from radiculopathy_desktop.domain.intake import Decision, FollowUpVisit
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.vocab import DecisionKind
from radiculopathy_desktop.storage.pg.store import PgStore
from radiculopathy_desktop.ui import dialogs, main_window
from radiculopathy_desktop.ui import wizard as wizard_module

from .conftest import NO_FLAGS, TODAY, case_dict, seed_cases

WAIT_MS = 30000  # an upper bound for a loaded machine, never a figure that is checked


@pytest.fixture
def server_store(pg_database):
    store = PgStore.open(pg_database(pgs.CLINICIAN_LOGIN), timeout_s=3)
    store.import_cases([parse_case(c) for c in seed_cases()], user="test")
    yield store
    store.close()


@pytest.fixture
def server_window(qtbot, server_store, tmp_path):
    from radiculopathy_desktop.ui.context import AppContext
    from radiculopathy_desktop.ui.events import EventHub
    context = AppContext(store=server_store, hub=EventHub(), data_dir=tmp_path / "local", today=lambda: TODAY)
    w = main_window.MainWindow(context)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.server_watch.listening.is_set(), timeout=WAIT_MS)
    yield w
    w.stop_server_watch()


def _status(window, case_id):
    view = window.views["worklist"]
    view.set_status_filter("worklist")
    for r in range(view.model.rowCount()):
        if view.model.rows[r].case_id == case_id:
            return view.model.data(view.model.index(r, 0))
    return None


def test_a_change_made_on_another_workstation_refreshes_the_worklist_and_the_open_patient(
        server_window, qtbot, pg_database):
    window = server_window
    assert _status(window, "P-NFU-case") == "Needs follow-up"
    window.open_case("P-DUE-case")
    patient = window.patient_view
    visits_before = len(patient.case.visits)
    with PgStore.open(pg_database(pgs.OTHER_CLINICIAN_LOGIN)) as other:
        other.add_visit("P-NFU-case", FollowUpVisit(date=TODAY, leg_nrs=3, back_nrs=2), user="Dr Ben")
        qtbot.waitUntil(lambda: _status(window, "P-NFU-case") == "Improving: keep under review", timeout=WAIT_MS)
        other.add_visit("P-DUE-case", FollowUpVisit(date=TODAY, leg_nrs=2, back_nrs=1), user="Dr Ben")
        qtbot.waitUntil(lambda: patient.case is not None and len(patient.case.visits) == visits_before + 1,
                        timeout=WAIT_MS)
        assert patient.case_id == "P-DUE-case" and window.stack.currentWidget() is patient
        other.record_decision("P-RED-case", Decision(date=TODAY, kind=DecisionKind.REFERRED_FOR_SURGICAL_OPINION,
                                                     by="Dr Ben"), user="Dr Ben")
        qtbot.waitUntil(lambda: _status(window, "P-RED-case") is None, timeout=WAIT_MS)  # closed elsewhere
    assert not window.server_banner.isVisible()


# The watch and the store log (kind only) that the server went away; the wizard that its draft went local.
@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui", level=logging.WARNING)
def test_the_server_going_away_is_said_at_once_and_nothing_typed_is_lost_or_saved_twice(
        server_window, qtbot, pg_server, pg_database, monkeypatch):
    window = server_window
    shown = []
    monkeypatch.setattr(dialogs.ui_errors, "show_error",
                        lambda parent, exc, kept_input=False: shown.append((getattr(exc, "kind", None), kept_input)))
    window.open_case("P-DUE-case")
    before = len(window.patient_view.case.visits)
    dialog = window.patient_view.add_visit()
    qtbot.waitExposed(dialog)
    dialog.date.set_day(TODAY)
    dialog.leg.setFocus()
    dialog.leg.selectAll()
    qtbot.keyClicks(dialog.leg.lineEdit(), "4")

    pg_server.stop()
    try:
        # said at once, before anyone tries to save
        qtbot.waitUntil(window.server_banner.isVisible, timeout=WAIT_MS)
        text = window.server_banner.text()
        assert "cannot be reached" in text and "out of date" in text and "kept" in text
        # the visit: refused in words, the dialog stays open with what was typed
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
        assert shown == [("unreachable", True)]
        assert dialog.isVisible() and dialog.leg.value() == 4
        # an intake being typed: its draft is kept on this computer, owner-only
        window.show_view("intake")
        wiz = window.views["intake"]
        intake = case_dict("P-OFF", "Olive Offline", 0, red_flags=NO_FLAGS)
        for key in ("case_id", "visits", "decisions"):
            intake.pop(key)
        wiz.load(intake)
        wiz._unsaved = True
        wiz._autosave()
        kept = window.context.data_dir / "offline-drafts" / f"{wizard_module.DRAFT_KEY}.json"
        assert kept.is_file() and (kept.stat().st_mode & 0o777) == 0o600
        assert (kept.parent.stat().st_mode & 0o777) == 0o700
        assert "kept on this computer" in wiz.draft_status.text()
    finally:
        pg_server.start_again()

    # back: the banner goes, and the same dialog saves the visit once
    qtbot.waitUntil(lambda: not window.server_banner.isVisible(), timeout=WAIT_MS)
    window.show_view("worklist")
    window.open_case("P-DUE-case")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert not dialog.isVisible()
    with PgStore.open(pg_database(pgs.OTHER_CLINICIAN_LOGIN)) as other:
        visits = other.get_case("P-DUE-case").visits
    assert len(visits) == before + 1 and [v.leg_nrs for v in visits if v.date == TODAY] == [4]
    # the intake draft reopens from this computer; once saved to the server the local copy goes
    wiz = window.views["intake"]
    assert wiz.restore_draft() and wiz.pages[0].pid.text() == "P-OFF"
    wiz._unsaved = True
    wiz._autosave()
    assert not kept.exists()
    assert window.context.store.load_draft(wizard_module.DRAFT_KEY)["data"]["patient"]["id"] == "P-OFF"


def test_a_save_that_cannot_reach_the_server_turns_the_banner_on(server_window, qtbot, monkeypatch):
    """Even before the watch notices (a firewall dropping packets), a failed save says so."""
    from radiculopathy_desktop.domain.vocab import StorageErrorKind
    from radiculopathy_desktop.storage.db import StorageError
    window = server_window
    monkeypatch.setattr(dialogs.ui_errors, "show_error", lambda *a, **k: None)

    def unreachable(*_a, **_k):
        raise StorageError(StorageErrorKind.UNREACHABLE, "The clinic server cannot be reached. Nothing was saved.")

    window.open_case("P-NEW-case")
    dialog = window.patient_view.add_visit()
    monkeypatch.setattr(window.context.store, "add_visit", unreachable)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert window.server_banner.isVisible() and dialog.isVisible()
    monkeypatch.undo()
    monkeypatch.setattr(dialogs.ui_errors, "show_error", lambda *a, **k: pytest.fail("save refused"))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert not dialog.isVisible() and not window.server_banner.isVisible()
    assert main_window.SERVER_BACK in window.statusBar().currentMessage()


def test_an_intake_kept_on_this_computer_is_offered_at_the_next_start(qtbot, server_store, tmp_path):
    from radiculopathy_desktop.ui import offline_drafts
    from radiculopathy_desktop.ui.context import AppContext
    from radiculopathy_desktop.ui.events import EventHub
    local = tmp_path / "local"
    intake = case_dict("P-KEPT", "Kit Kept", 0, red_flags=NO_FLAGS)
    assert offline_drafts.keep(local, wizard_module.DRAFT_KEY,
                               {"page": 2, "data": intake, "saved_at": "2026-03-02T09:15:00+00:00"})
    context = AppContext(store=server_store, hub=EventHub(), data_dir=local, today=lambda: TODAY)
    w = main_window.MainWindow(context)
    qtbot.addWidget(w)
    try:
        w.show()
        qtbot.waitUntil(w.draft_bar.isVisible, timeout=WAIT_MS)
        assert "step 3 of" in w.draft_label.text() and "Kit" not in w.draft_label.text()
        qtbot.mouseClick(w.draft_open_button, Qt.LeftButton)
        assert w.views["intake"].pages[0].pid.text() == "P-KEPT"
    finally:
        w.stop_server_watch()


def test_an_import_of_many_cases_elsewhere_reloads_the_views_once(server_window, qtbot, pg_database):
    window = server_window
    window.open_case("P-DUE-case")
    patient = window.patient_view
    many = main_window.MANY_CASES + 10
    seen = []
    window.context.hub.case_changed.connect(seen.append)
    cases = [parse_case(case_dict(f"P-IMP{n:03d}", "Ivy Import", 50)) for n in range(many)]
    due = case_dict("P-DUE", "Dana Due", 70, visits=[
        {"date": str(TODAY - dt.timedelta(days=20)), "leg_nrs": 7, "back_nrs": 4, "odi_percent": 42},
        {"date": str(TODAY), "leg_nrs": 1, "back_nrs": 1}])
    with PgStore.open(pg_database(pgs.OTHER_CLINICIAN_LOGIN)) as other:
        other.import_cases(cases + [parse_case(due)], user="Dr Ben")

    def listed():
        view = window.views["worklist"]
        view.set_status_filter("worklist")
        return sum(view.model.rows[r].case_id.startswith("P-IMP") for r in range(view.model.rowCount()))

    qtbot.waitUntil(lambda: listed() == many, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(patient.case.visits) == 2, timeout=WAIT_MS)  # the open case still follows
    assert set(seen) <= {"P-DUE-case"}  # no signal per imported case
