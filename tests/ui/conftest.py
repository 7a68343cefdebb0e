"""UI fixtures: a small seeded store in a temporary folder, a fixed "today", the
main window, and a napari-style check that no top-level widget outlives its test."""

from __future__ import annotations

import datetime as dt

import pytest

TODAY = dt.date(2026, 3, 2)
NO_FLAGS = {k: "no" for k in (
    "saddle_anaesthesia", "urinary_retention_or_incontinence", "faecal_incontinence_or_loss_of_rectal_sensation",
    "bilateral_leg_symptoms", "new_sexual_dysfunction", "progressive_neurological_deficit", "fever", "iv_drug_use",
    "immunosuppression", "recent_bacterial_infection", "history_of_cancer", "unexplained_weight_loss",
    "night_or_rest_pain", "significant_trauma", "minor_trauma", "prolonged_corticosteroid_use")}


def pytest_collection_modifyitems(items):
    # The offscreen platform plugin warns that it cannot propagate size hints; that is
    # the test platform talking, not the app.
    for item in items:
        if "tests/ui" in str(item.fspath).replace("\\", "/"):
            # (and that it has no window stacking to raise a dialog in)
            item.add_marker(pytest.mark.qt_log_ignore(r".*propagateSizeHints.*", r".*does not support raise\(\).*"))


def case_dict(pid: str, name: str, care_days_ago: int, *, leg: int = 7, visits=(), red_flags=None,
              decisions=()) -> dict:
    start = TODAY - dt.timedelta(days=care_days_ago)
    return {
        "format_version": 1,
        "case_id": f"{pid}-case",
        "patient": {"id": pid, "name": name, "age_years": 44, "sex": "female"},
        "onset_date": (start - dt.timedelta(days=7)).isoformat(),
        "visit_date": start.isoformat(),
        "care_start_date": start.isoformat(),
        "side": "left",
        "regions": ["buttock", "lateral_leg", "dorsum_foot"],
        "pain": {"leg_nrs": leg, "back_nrs": 4},
        "red_flags": dict(NO_FLAGS, **(red_flags or {})),
        "function": {"odi_percent": 44},
        "visits": list(visits),
        "decisions": list(decisions),
    }


def seed_cases() -> list[dict]:
    return [
        # day 70, followed up, not improving -> due
        case_dict("P-DUE", "Dana Due", 70, visits=[{"date": (TODAY - dt.timedelta(days=20)).isoformat(),
                                                    "leg_nrs": 7, "back_nrs": 4, "odi_percent": 42}]),
        # day 50, no follow-up -> needs follow-up
        case_dict("P-NFU", "Nico Nofollow", 50),
        # day 90 -> overdue
        case_dict("P-OVR", "Olga Overdue", 90, visits=[{"date": (TODAY - dt.timedelta(days=40)).isoformat(),
                                                       "leg_nrs": 7, "back_nrs": 4}]),
        # day 10 -> not due
        case_dict("P-NEW", "Nell New", 10),
        # red flag -> immediate
        case_dict("P-RED", "Rory Redflag", 20, red_flags={"saddle_anaesthesia": "yes"}),
    ]


@pytest.fixture
def store(tmp_path):
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.storage.store import CaseStore
    s = CaseStore.open(tmp_path / "data")
    s.import_cases([parse_case(c) for c in seed_cases()], user="test")
    yield s
    s.close()


@pytest.fixture
def context(store, tmp_path):
    from radiculopathy_desktop.ui.context import AppContext
    from radiculopathy_desktop.ui.events import EventHub
    return AppContext(store=store, hub=EventHub(), data_dir=tmp_path / "data", today=lambda: TODAY)


@pytest.fixture(autouse=True)
def no_modal_questions(monkeypatch):
    """A modal question in a test would wait forever: answer "discard" unless a test says otherwise;
    "Start over" must be answered by the test that presses it."""
    from radiculopathy_desktop.ui import wizard
    monkeypatch.setattr(wizard, "ask_keep_draft", lambda parent: "discard")
    monkeypatch.setattr(wizard, "ask_close_with_alarm", lambda parent, alarm: True, raising=False)  # kept emergency draft: close
    monkeypatch.setattr(wizard, "ask_start_over", lambda parent: pytest.fail("Start over asked unexpectedly"))
    from radiculopathy_desktop.ui import dialogs  # closing a visit or decision with typed text: discard
    monkeypatch.setattr(dialogs, "ask_discard", lambda parent, what: True)
    # the window closing over a typed visit or decision: discard (test_close_with_unsaved_dialog.py asks for real)
    monkeypatch.setattr(dialogs, "ask_unsaved_record", lambda parent, dialog: "discard")
    from radiculopathy_desktop.ui import settings_view  # closing with unsaved settings: discard them
    monkeypatch.setattr(settings_view, "ask_unsaved_settings", lambda parent: "discard")


@pytest.fixture
def window(qtbot, context):
    from radiculopathy_desktop.ui.main_window import MainWindow
    w = MainWindow(context)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    # Window shortcuts (Ctrl+3, Ctrl+L ...) reach only the active window; activation is an
    # event of its own, late on a loaded machine, so a test starts once it has arrived.
    from PySide6.QtWidgets import QApplication
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=10000)
    return w


@pytest.fixture
def empty_window(qtbot, tmp_path):
    """The main window on an empty store (a clinic's first run), today pinned to TODAY."""
    from radiculopathy_desktop.storage.store import CaseStore
    from radiculopathy_desktop.ui.context import AppContext
    from radiculopathy_desktop.ui.events import EventHub
    from radiculopathy_desktop.ui.main_window import MainWindow
    store = CaseStore.open(tmp_path / "empty")
    context = AppContext(store=store, hub=EventHub(), data_dir=tmp_path / "empty", today=lambda: TODAY)
    w = MainWindow(context)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    yield w
    w.close()
    store.close()


@pytest.fixture
def controllers():
    """``make(data_dir, exec_dialog=None)``: an AppController for ``data_dir`` as the app's
    start builds it; a start-up dialog fails the test unless ``exec_dialog`` plays it. Every
    controller made (``make.made``) is shut down after the test."""
    from PySide6.QtWidgets import QApplication

    from radiculopathy_desktop.ui import app as app_module
    made = []

    def no_dialog(dialog):
        raise AssertionError(f"unexpected start-up dialog: {dialog.windowTitle()}")

    def make(data_dir, exec_dialog=None):
        c = app_module.AppController(QApplication.instance(), data_dir,
                                     exec_dialog=no_dialog if exec_dialog is None else exec_dialog)
        made.append(c)
        return c

    make.made = made
    yield make
    for c in made:
        c.shutdown()


@pytest.fixture
def server_store(pg_database):
    """The seed cases in a test database on the clinic server, opened as a clinician."""
    import pg_server as pgs
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.storage.pg.store import PgStore
    store = PgStore.open(pg_database(pgs.CLINICIAN_LOGIN))
    store.import_cases([parse_case(c) for c in seed_cases()], user="test")
    yield store
    store.close()


@pytest.fixture(autouse=True)
def no_leaked_widgets(request):
    """Fail a test that leaves a top-level widget alive after its widgets were closed (napari)."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance()
    before = {id(w) for w in app.topLevelWidgets()} if app else set()
    yield
    app = QApplication.instance()
    if app is None:
        return
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
        app.processEvents()
    leaked = [w for w in app.topLevelWidgets() if id(w) not in before]
    if leaked:
        names = ", ".join(f"{type(w).__name__}({w.windowTitle()!r})" for w in leaked)
        for w in leaked:
            w.close()
            w.deleteLater()
        pytest.fail(f"top-level widgets leaked: {names}")
