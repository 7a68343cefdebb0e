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
from .window_steps import worklist_status as _status

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
        # as the other window's decision dialog records it: naming the red flag it acts on (rt6 F1)
        other.record_decision("P-RED-case", Decision(date=TODAY, kind=DecisionKind.REFERRED_FOR_SURGICAL_OPINION,
                                                     by="Dr Ben", acknowledged_red_flags=("saddle_anaesthesia",)),
                              user="Dr Ben")
        qtbot.waitUntil(lambda: _status(window, "P-RED-case") is None, timeout=WAIT_MS)  # closed elsewhere
    assert not window.server_banner.isVisible()


def _shown_status(window, case_id):
    """The status the worklist shows now (no reload, unlike _status)."""
    model = window.views["worklist"].model
    for r in range(model.rowCount()):
        if model.rows[r].case_id == case_id:
            return model.data(model.index(r, 0))
    return None


def test_a_change_made_elsewhere_before_the_watch_listens_still_reaches_the_window(
        qtbot, server_store, pg_database, tmp_path):
    """The window reads its first page, then its watch starts listening only after the first
    paint: a change committed in between sends a notice nobody hears. The watch asks the
    audit for what was written since the store opened, and the worklist shows it."""
    from radiculopathy_desktop.ui.context import AppContext
    from radiculopathy_desktop.ui.events import EventHub
    context = AppContext(store=server_store, hub=EventHub(), data_dir=tmp_path / "local", today=lambda: TODAY)
    w = main_window.MainWindow(context)  # first page read; the watch not started (no paint yet)
    qtbot.addWidget(w)
    try:
        assert not w.server_watch.listening.is_set()
        assert _shown_status(w, "P-NFU-case") == "Needs follow-up"
        with PgStore.open(pg_database(pgs.OTHER_CLINICIAN_LOGIN)) as other:
            other.add_visit("P-NFU-case", FollowUpVisit(date=TODAY, leg_nrs=3, back_nrs=2), user="Dr Ben")
        w.show()
        qtbot.waitExposed(w)
        qtbot.waitUntil(lambda: w.server_watch.listening.is_set(), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: _shown_status(w, "P-NFU-case") == "Improving: keep under review", timeout=WAIT_MS)
    finally:
        w.stop_server_watch()


def test_nothing_written_meanwhile_sends_no_refresh_at_the_first_listen(qtbot, server_store, tmp_path):
    from radiculopathy_desktop.ui.context import AppContext
    from radiculopathy_desktop.ui.events import EventHub
    context = AppContext(store=server_store, hub=EventHub(), data_dir=tmp_path / "local", today=lambda: TODAY)
    server_store.audit_mark = server_store.latest_audit_id()  # as at open, after the fixture's import
    w = main_window.MainWindow(context)
    qtbot.addWidget(w)
    heard = []
    w.server_watch.notified.connect(heard.append)
    try:
        w.show()
        qtbot.waitExposed(w)
        qtbot.waitUntil(lambda: w.server_watch.listening.is_set(), timeout=WAIT_MS)
        qtbot.wait(200)  # a queued notice would have arrived by now (the catch-up runs before listening is set)
        assert heard == []
    finally:
        w.stop_server_watch()


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
    qtbot.keyClicks(dialog.leg, "5")  # a visit must record something (rt13 F7) to reach the server
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


# --------------------------------------------------------------------------- kept offline, saved once when back
def _visit_rows(pg_database, case_id):
    """The visits and the visit_added audit entries of a case, read on a connection of the test's own."""
    with PgStore.open(pg_database(pgs.ADMIN_LOGIN)) as admin:
        visits = admin.get_case(case_id).visits
        audit = [e for e in admin.audit(case_id) if e.action == "visit_added"]
    return visits, audit


def _kept(window):
    from radiculopathy_desktop.ui import offline_drafts
    return offline_drafts.kept_writes(window.context.data_dir)


def _type_visit(qtbot, window, case_id, day, leg):
    window.show_view("worklist")
    window.open_case(case_id)
    dialog = window.patient_view.add_visit()
    qtbot.waitExposed(dialog)
    dialog.date.set_day(day)
    dialog.leg.setFocus()
    dialog.leg.selectAll()
    qtbot.keyClicks(dialog.leg.lineEdit(), str(leg))
    return dialog


# The watch and the store log (kind only) that the server went away.
@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui", level=logging.WARNING)
def test_a_visit_typed_while_the_server_is_away_is_offered_when_it_is_back_and_saved_once(
        server_window, qtbot, pg_server, pg_database, monkeypatch):
    window = server_window
    shown = []
    monkeypatch.setattr(dialogs.ui_errors, "show_error",
                        lambda parent, exc, kept_input=False: shown.append(getattr(exc, "kind", None)))
    day = TODAY - dt.timedelta(days=1)
    before, _ = _visit_rows(pg_database, "P-NFU-case")
    dialog = _type_visit(qtbot, window, "P-NFU-case", day, 5)
    pg_server.stop()
    try:
        qtbot.waitUntil(window.server_banner.isVisible, timeout=WAIT_MS)
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
        assert shown == ["unreachable"]
        assert "kept on this computer" in dialog.general_error.text()
        kept = _kept(window)
        assert [(k.kind, k.case_id, k.data["leg_nrs"], k.data["date"]) for k in kept] == [
            ("visit", "P-NFU-case", 5, day.isoformat())]
        path = window.context.data_dir / "offline-drafts" / "writes" / f"{kept[0].key}.json"
        assert (path.stat().st_mode & 0o777) == 0o600
        # the user gives up on the dialog: the visit is still kept, and the bar says so
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Cancel), Qt.LeftButton)
        assert window.kept_bar.isVisible() and "cannot be reached" in window.kept_bar.label.text()
        assert not window.kept_bar.review_button.isEnabled()
    finally:
        pg_server.start_again()
    # back: the offer, a clear list, saved only once the user confirms
    qtbot.waitUntil(lambda: window.kept_bar.review_button.isEnabled(), timeout=WAIT_MS)
    assert "can be reached now" in window.kept_bar.label.text()
    assert len(_visit_rows(pg_database, "P-NFU-case")[0]) == len(before)  # nothing saved without confirmation
    qtbot.mouseClick(window.kept_bar.review_button, Qt.LeftButton)
    review = window.kept_bar.dialog
    qtbot.waitExposed(review)
    assert review.list.count() == 1
    text = review.list.item(0).text()
    assert f"Visit of {day.isoformat()} (leg pain 5" in text and "Nico Nofollow" in text and "P-NFU-case" in text
    qtbot.mouseClick(review.save_button, Qt.LeftButton)
    assert shown == ["unreachable"]  # no other error
    qtbot.waitUntil(lambda: not window.kept_bar.isVisible(), timeout=WAIT_MS)
    assert _kept(window) == []
    visits, audit = _visit_rows(pg_database, "P-NFU-case")
    assert [v.leg_nrs for v in visits if v.date == day] == [5]
    assert len(visits) == len(before) + 1
    mine = [e for e in audit if e.detail.get("date") == day.isoformat()]
    assert len(mine) == 1 and mine[0].role == pgs.CLINICIAN_LOGIN and mine[0].detail["write_key"] == kept[0].key
    # the open patient view follows the save
    qtbot.waitUntil(lambda: len(window.patient_view.case.visits) == len(before) + 1, timeout=WAIT_MS)


@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui", level=logging.WARNING)
def test_the_dialog_and_the_offer_both_saving_the_same_visit_store_it_once(
        server_window, qtbot, pg_server, pg_database, monkeypatch):
    window = server_window
    monkeypatch.setattr(dialogs.ui_errors, "show_error", lambda *a, **k: None)
    day = TODAY - dt.timedelta(days=2)
    dialog = _type_visit(qtbot, window, "P-DUE-case", day, 6)
    pg_server.stop()
    try:
        qtbot.waitUntil(window.server_banner.isVisible, timeout=WAIT_MS)
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
        assert len(_kept(window)) == 1 and dialog.isVisible()
    finally:
        pg_server.start_again()
    qtbot.waitUntil(lambda: window.kept_bar.review_button.isEnabled(), timeout=WAIT_MS)
    review = window.kept_bar.review()
    qtbot.mouseClick(review.save_button, Qt.LeftButton)  # the offer saves it...
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)  # ...and so does the dialog
    assert not dialog.isVisible()
    visits, audit = _visit_rows(pg_database, "P-DUE-case")
    assert [v.leg_nrs for v in visits if v.date == day] == [6]
    assert len([e for e in audit if e.detail.get("date") == day.isoformat()]) == 1
    assert _kept(window) == []


def _keep_visit(window, store, case_id, day, leg, user=None):
    """A kept visit typed by the window's own user (one typed by another is asked about first: gp17 F14)."""
    from radiculopathy_desktop.ui import offline_drafts
    user = window.context.user if user is None else user
    case = store.get_case(case_id)
    write = offline_drafts.KeptWrite(
        key=offline_drafts.new_write_key(), kind="visit", case_id=case_id,
        data={"date": day.isoformat(), "leg_nrs": leg, "back_nrs": 1}, user=user,
        typed_at=f"2026-03-02T09:{leg:02d}:00+00:00", based_on=offline_drafts.case_digest(case),
        patient=case.patient.name)
    assert offline_drafts.keep_write(window.context.data_dir, write)
    return write


@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui", level=logging.WARNING)
def test_a_connection_dropped_in_the_middle_of_the_replay_saves_each_kept_visit_once(
        server_window, qtbot, pg_server, pg_database, monkeypatch):
    """Three kept visits. First replay: the first is committed but the answer is lost (the
    connection dropped after the commit), so it stays kept. Second replay: the first is found
    already saved, the second saved, and the server stops before the third. Third replay, once
    it is back: the third. Each is on the server once, with one audit entry."""
    from radiculopathy_desktop.domain.vocab import StorageErrorKind
    from radiculopathy_desktop.storage.db import StorageError
    window = server_window
    store = window.context.store
    writes = [_keep_visit(window, store, cid, TODAY - dt.timedelta(days=n + 3), n + 2)
              for n, cid in enumerate(("P-NEW-case", "P-DUE-case", "P-NFU-case"))]
    window.kept_bar.refresh()
    assert window.kept_bar.isVisible()
    real_add = type(store).add_visit
    calls = []

    def flaky_add(self, case_id, visit, user, **kw):
        calls.append(case_id)
        if case_id == "P-NFU-case" and calls.count("P-NFU-case") == 1:
            pg_server.stop()  # the server goes away just before the third is sent
        result = real_add(self, case_id, visit, user, **kw)
        if len(calls) == 1:
            raise StorageError(StorageErrorKind.UNREACHABLE, "The clinic server cannot be reached.")  # answer lost
        return result

    monkeypatch.setattr(type(store), "add_visit", flaky_add)
    review = window.kept_bar.review()
    try:
        qtbot.mouseClick(review.save_button, Qt.LeftButton)
        assert "could not be reached again" in review.result.text()
        assert [w.key for w in _kept(window)] == [w.key for w in sorted(writes, key=lambda w: w.typed_at)]
        qtbot.mouseClick(review.save_button, Qt.LeftButton)  # the user tries again at once
        assert "Already on the server, not saved again: 1" in review.result.text()
        assert "could not be reached again" in review.result.text()
        assert [w.case_id for w in _kept(window)] == ["P-NFU-case"]
    finally:
        pg_server.start_again()
    qtbot.waitUntil(lambda: window.kept_bar.review_button.isEnabled(), timeout=WAIT_MS)
    qtbot.mouseClick(review.save_button, Qt.LeftButton)
    assert _kept(window) == [] and not window.kept_bar.isVisible()
    for write in writes:
        visits, audit = _visit_rows(pg_database, write.case_id)
        assert [v.leg_nrs for v in visits if v.date.isoformat() == write.data["date"]] == [write.data["leg_nrs"]]
        assert [e.detail["write_key"] for e in audit if e.detail.get("date") == write.data["date"]] == [write.key]


def test_a_kept_visit_whose_case_changed_meanwhile_is_not_added_until_the_user_chooses(
        server_window, qtbot, pg_database, monkeypatch):
    window = server_window
    monkeypatch.setattr(dialogs.ui_errors, "show_error", lambda *a, **k: pytest.fail("an error was shown"))
    day = TODAY - dt.timedelta(days=4)
    write = _keep_visit(window, window.context.store, "P-DUE-case", day, 3)
    with PgStore.open(pg_database(pgs.OTHER_CLINICIAN_LOGIN)) as other:  # meanwhile, on another workstation
        other.record_decision("P-DUE-case", Decision(date=TODAY, kind=DecisionKind.REFERRED_FOR_SURGICAL_OPINION,
                                                     by="Dr Ben"), user="Dr Ben")
    window.kept_bar.refresh()
    review = window.kept_bar.review()
    qtbot.mouseClick(review.save_button, Qt.LeftButton)
    # refused in words, with who changed the case; nothing saved, the visit still kept
    text = review.list.item(0).text()
    assert "was changed on the server by Dr Ben (login rad_test_clinician2)" in text and "still kept" in text
    assert [k.key for k in _kept(window)] == [write.key]
    assert [v for v in _visit_rows(pg_database, "P-DUE-case")[0] if v.date == day] == []
    # compare: the case opens in the window, the kept visit stays
    qtbot.mouseClick(review.open_button, Qt.LeftButton)
    assert window.patient_view.case_id == "P-DUE-case" and window.stack.currentWidget() is window.patient_view
    assert len(window.patient_view.case.decisions) == 1
    # saving again, having been told: added as well, once
    qtbot.mouseClick(review.save_button, Qt.LeftButton)
    assert _kept(window) == []
    visits, audit = _visit_rows(pg_database, "P-DUE-case")
    assert [v.leg_nrs for v in visits if v.date == day] == [3]
    assert len([e for e in audit if e.detail.get("date") == day.isoformat()]) == 1


def test_kept_items_can_be_discarded_after_a_confirmation(server_window, qtbot, pg_database):
    window = server_window
    write = _keep_visit(window, window.context.store, "P-NEW-case", TODAY - dt.timedelta(days=5), 2)
    window.kept_bar.refresh()
    review = window.kept_bar.review()
    qtbot.mouseClick(review.discard_button, Qt.LeftButton)
    box = review.confirm_box
    assert "P-NEW-case" in box.text() and box.defaultButton().text() == "&Keep them"
    box.defaultButton().click()  # the safe answer keeps them
    assert [k.key for k in _kept(window)] == [write.key]
    qtbot.mouseClick(review.discard_button, Qt.LeftButton)
    [discard] = [b for b in review.confirm_box.buttons() if b.text() == "&Discard them"]
    discard.click()
    assert _kept(window) == [] and review.list.count() == 0
    assert [v for v in _visit_rows(pg_database, "P-NEW-case")[0] if v.date == TODAY - dt.timedelta(days=5)] == []


def test_the_windows_own_save_refreshes_once_not_again_from_its_echo(server_window, qtbot, pg_database, monkeypatch):
    """The runner announces the window's own save; the server's notification of that same save
    (its echo, sent by this window's own store connection) is not announced a second time.
    A later save from another workstation is announced, and since notifications arrive in
    commit order, by then the echo would have come: no waiting on a clock."""
    window = server_window
    window.open_case("P-NFU-case")
    patient = window.patient_view
    announced = []
    window.context.hub.changed.connect(lambda changes, _initiator=None: announced.append(changes.case_ids))
    loads = []
    real_load = patient.load
    monkeypatch.setattr(patient, "load", lambda case_id: loads.append(case_id) or real_load(case_id))
    dialog = _type_visit(qtbot, window, "P-NFU-case", TODAY - dt.timedelta(days=1), 2)
    loads.clear()
    announced.clear()  # opening the case recorded a view
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert not dialog.isVisible()
    with PgStore.open(pg_database(pgs.OTHER_CLINICIAN_LOGIN)) as other:
        other.add_visit("P-DUE-case", FollowUpVisit(date=TODAY, leg_nrs=2, back_nrs=1), user="Dr Ben")
    qtbot.waitUntil(lambda: ("P-DUE-case",) in announced, timeout=WAIT_MS)
    assert [ids for ids in announced if "P-NFU-case" in ids] == [("P-NFU-case",)]
    assert loads == ["P-NFU-case"]  # the open patient: reloaded once
    # the other workstation's save of the open case still refreshes it
    with PgStore.open(pg_database(pgs.OTHER_CLINICIAN_LOGIN)) as other:
        other.add_visit("P-NFU-case", FollowUpVisit(date=TODAY, leg_nrs=1, back_nrs=1), user="Dr Ben")
    qtbot.waitUntil(lambda: loads == ["P-NFU-case", "P-NFU-case"], timeout=WAIT_MS)


# --------------------------------------------------------------------------- two windows, one server
def _window(qtbot, store, data_dir, user):
    from radiculopathy_desktop.ui.context import AppContext
    from radiculopathy_desktop.ui.events import EventHub
    context = AppContext(store=store, hub=EventHub(), data_dir=data_dir, today=lambda: TODAY,
                         identified_user=user)
    w = main_window.MainWindow(context)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.server_watch.listening.is_set(), timeout=WAIT_MS)
    return w


def _save_until_saved(qtbot, window, dialog):
    """Press Save as a clinician would: once more after "cannot be reached", when the server is back."""
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    while dialog.isVisible():
        assert _kept(window), "a save failed without keeping what was typed"
        qtbot.waitUntil(lambda: window.server_watch.state is True and window.server_watch.listening.is_set(),
                        timeout=WAIT_MS)
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    return dialog.write_key


def _decision_dialog(qtbot, window, case_id, day, kind="continue_conservative_care"):
    window.show_view("worklist")
    window.open_case(case_id)
    dialog = window.patient_view.record_decision()
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(dialog.kind.buttons[kind], Qt.LeftButton)
    dialog.date.set_day(day)
    return dialog


@pytest.mark.slow
@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui", level=logging.WARNING)
def test_two_windows_on_one_server_through_a_restart_and_dropped_connections_lose_nothing(
        qtbot, pg_server, pg_database, tmp_path, monkeypatch):
    """Two offscreen windows, each with its own store and login: visits and a decision on the
    same case (dialogs open on the same copy at once) and on different cases, a server
    restart (pg_ctl restart) in the middle and every connection dropped (pg_terminate_backend).
    Each window follows the other's saves live; every save a window reported (its dialog
    closed) is on the server once, with the right login in the audit."""
    monkeypatch.setattr(dialogs.ui_errors, "show_error", lambda *a, **k: None)  # "cannot be reached": kept, retried
    logins = {"A": pgs.CLINICIAN_LOGIN, "B": pgs.OTHER_CLINICIAN_LOGIN}
    stores = {n: PgStore.open(pg_database(login), timeout_s=10) for n, login in logins.items()}
    try:
        stores["A"].import_cases([parse_case(c) for c in seed_cases()], user="setup")
        windows = {n: _window(qtbot, stores[n], tmp_path / n, f"Dr {n}") for n in logins}
        a, b = windows["A"], windows["B"]
        saved: dict[str, tuple[str, str]] = {}  # write key -> (window, case)

        # the same case, both dialogs opened on the same copy before either saves: both land
        da = _type_visit(qtbot, a, "P-DUE-case", TODAY - dt.timedelta(days=3), 3)
        db = _type_visit(qtbot, b, "P-DUE-case", TODAY - dt.timedelta(days=2), 4)
        saved[_save_until_saved(qtbot, a, da)] = ("A", "P-DUE-case")
        saved[_save_until_saved(qtbot, b, db)] = ("B", "P-DUE-case")
        qtbot.waitUntil(lambda: {v.leg_nrs for v in a.patient_view.case.visits} >= {3, 4}, timeout=WAIT_MS)
        # different cases at once
        da = _type_visit(qtbot, a, "P-NFU-case", TODAY - dt.timedelta(days=2), 5)
        db = _type_visit(qtbot, b, "P-NEW-case", TODAY - dt.timedelta(days=2), 6)
        saved[_save_until_saved(qtbot, b, db)] = ("B", "P-NEW-case")
        saved[_save_until_saved(qtbot, a, da)] = ("A", "P-NFU-case")

        # a restart in the middle: B's dialog is open with its text while the server restarts
        db = _type_visit(qtbot, b, "P-NFU-case", TODAY - dt.timedelta(days=1), 2)
        pg_server.restart()
        saved[_save_until_saved(qtbot, b, db)] = ("B", "P-NFU-case")
        for w in (a, b):  # the watches are back (after a reconnection, everything shown is reloaded)
            qtbot.waitUntil(lambda w=w: w.server_watch.state is True and w.server_watch.listening.is_set(),
                            timeout=WAIT_MS)

        # every connection dropped (the watches' and the pools'): the next saves still land once
        da = _decision_dialog(qtbot, a, "P-DUE-case", TODAY - dt.timedelta(days=1))
        db = _type_visit(qtbot, b, "P-DUE-case", TODAY - dt.timedelta(days=1), 1)
        assert sum(pgs.terminate_backends(pg_server, pg_database.dbname, login) for login in logins.values()) >= 2
        saved[_save_until_saved(qtbot, a, da)] = ("A", "P-DUE-case")
        saved[_save_until_saved(qtbot, b, db)] = ("B", "P-DUE-case")

        # live, after the drop: A's open patient view follows B's save (A's watch reconnected)
        assert a.patient_view.case_id == "P-DUE-case" and a.stack.currentWidget() is a.patient_view
        qtbot.waitUntil(lambda: any(v.leg_nrs == 1 for v in a.patient_view.case.visits), timeout=WAIT_MS)
        assert len(b.patient_view.case.decisions) == 1

        with PgStore.open(pg_database(pgs.ADMIN_LOGIN)) as admin:
            entries = [e for e in admin.audit() if e.detail.get("write_key")]
            cases = {cid: admin.get_case(cid) for cid in ("P-DUE-case", "P-NFU-case", "P-NEW-case")}
        assert sorted(e.detail["write_key"] for e in entries) == sorted(saved)  # each once, none unreported
        for e in entries:
            name, case_id = saved[e.detail["write_key"]]
            assert (e.case_id, e.role, e.user) == (case_id, logins[name], f"Dr {name}")
        assert sorted(v.leg_nrs for v in cases["P-DUE-case"].visits if v.date >= TODAY - dt.timedelta(days=3)) \
            == [1, 3, 4]
        assert len(cases["P-DUE-case"].decisions) == 1
        assert sorted(v.leg_nrs for v in cases["P-NFU-case"].visits) == [2, 5]
        assert [v.leg_nrs for v in cases["P-NEW-case"].visits] == [6]
        assert all(_kept(w) == [] for w in (a, b))
    finally:
        for w in list(locals().get("windows", {}).values()):
            w.stop_server_watch()
        for s in stores.values():
            s.close()


@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui", level=logging.WARNING)
def test_a_decision_kept_when_the_window_closed_is_offered_at_the_next_start_and_saved_once(
        qtbot, server_store, pg_server, pg_database, tmp_path, monkeypatch):
    from radiculopathy_desktop.ui.context import AppContext
    from radiculopathy_desktop.ui.events import EventHub
    monkeypatch.setattr(dialogs.ui_errors, "show_error", lambda *a, **k: None)
    local = tmp_path / "local"
    first = _window(qtbot, server_store, local, "Dr Kay")
    try:
        dialog = _decision_dialog(qtbot, first, "P-NEW-case", TODAY - dt.timedelta(days=1))
        pg_server.stop()
        try:
            qtbot.waitUntil(first.server_banner.isVisible, timeout=WAIT_MS)
            qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
            assert dialog.isVisible() and [k.kind for k in _kept(first)] == ["decision"]
        finally:
            first.stop_server_watch()
            first.close()  # the window closes before the server is back
            pg_server.start_again()
    finally:
        first.stop_server_watch()
    context = AppContext(store=server_store, hub=EventHub(), data_dir=local, today=lambda: TODAY)
    context.set_user("Dr Lee")  # whoever starts the window next saves it (the kept file's user is not trusted)
    second = main_window.MainWindow(context)
    qtbot.addWidget(second)
    try:
        second.show()
        qtbot.waitUntil(lambda: second.kept_bar is not None  # built once the window is on screen
                        and second.kept_bar.isVisible() and second.kept_bar.review_button.isEnabled(),
                        timeout=WAIT_MS)
        review = second.kept_bar.review()
        assert "Decision of 2026-03-01: Continue conservative care" in review.list.item(0).text()
        assert "typed as Dr Kay (from the kept file)" in review.list.item(0).text()
        assert "saved as Dr Lee" in review.list.item(0).text()
        qtbot.mouseClick(review.save_button, Qt.LeftButton)  # typed as Dr Kay: asked first (gp17 F14)
        assert "typed as Dr Kay, and you are Dr Lee" in review.result.text() and len(_kept(second)) == 1
        qtbot.mouseClick(review.save_button, Qt.LeftButton)  # "Save under my name (Dr Lee)"
        assert _kept(second) == [] and not second.kept_bar.isVisible()
    finally:
        second.stop_server_watch()
    with PgStore.open(pg_database(pgs.ADMIN_LOGIN)) as admin:
        decisions = admin.get_case("P-NEW-case").decisions
        audit = [e for e in admin.audit("P-NEW-case") if e.action == "decision_recorded"]
    assert [(d.kind, d.date) for d in decisions] == [("continue_conservative_care", TODAY - dt.timedelta(days=1))]
    assert [(e.user, e.role) for e in audit] == [("Dr Lee", pgs.CLINICIAN_LOGIN)]  # rt8 F10: who saved it
    assert [e.detail.get("typed_as") for e in audit] == ["Dr Kay"]  # and whom the kept copy names (misc20)


@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui", level=logging.WARNING)
def test_a_visit_changed_in_its_dialog_after_its_kept_copy_was_saved_is_not_dropped_silently(
        server_window, qtbot, pg_server, pg_database, monkeypatch):
    window = server_window
    shown = []
    monkeypatch.setattr(dialogs.ui_errors, "show_error", lambda parent, exc, kept_input=False: shown.append(str(exc)))
    day = TODAY - dt.timedelta(days=6)
    dialog = _type_visit(qtbot, window, "P-NFU-case", day, 4)
    pg_server.stop()
    try:
        qtbot.waitUntil(window.server_banner.isVisible, timeout=WAIT_MS)
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
        assert len(_kept(window)) == 1
    finally:
        pg_server.start_again()
    qtbot.waitUntil(lambda: window.kept_bar.review_button.isEnabled(), timeout=WAIT_MS)
    qtbot.mouseClick(window.kept_bar.review().save_button, Qt.LeftButton)  # the kept copy (leg 4) is saved
    dialog.leg.setFocus()
    dialog.leg.selectAll()
    qtbot.keyClicks(dialog.leg.lineEdit(), "5")  # then the clinician corrects the still-open dialog
    shown.clear()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert dialog.isVisible() and dialog.leg.value() == 5  # not a silent "saved"
    assert len(shown) == 1 and "already on the clinic server" in shown[0] and "press Save again" in shown[0]
    assert [v.leg_nrs for v in _visit_rows(pg_database, "P-NFU-case")[0] if v.date == day] == [4]
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)  # the clinician's choice
    assert not dialog.isVisible()
    assert sorted(v.leg_nrs for v in _visit_rows(pg_database, "P-NFU-case")[0] if v.date == day) == [4, 5]
