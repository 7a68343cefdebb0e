"""Opening a local tracker written by an older version of the app: its schema update and
the rewrite of its stored derived data, each under a progress window.

The schema update (``storage.opening``: a checked backup of the whole file, then the
migrations, such as m006's index) comes first. At 100,000 cases the backup copies
~600 MB: one to two minutes with no window would look hung. It runs in a thread, under a
window that names the step ("Making a safety copy ... (1 of 2)", "Updating the tracker
(2 of 2)"), counts the backup's pages and asks before stopping: a stop abandons the copy or
rolls the migration back, so the tracker is left as it was (a finished copy is kept).

The first open after an upgrade rewrites every case's derived rows (review facts,
their history, dose alerts, outcome facts; ``CaseStore.upgrade_derived_data``): about
a second per thousand cases, so minutes for a large clinic tracker. Run in the GUI
thread it would leave the person at the workstation looking at nothing, and a
program that seems hung gets killed, which rolls the upgrade back so it starts over
next time. Here it runs in a thread, on its own connection, under a small window that
says what is happening and how far it is; the window's own store is opened without
the upgrade and used once the thread has finished. The dialog cannot be closed part
way: stopping would lose the work done so far, never any record.

When a first open needs both (a tracker two versions old), one window shows the three
steps ("... (1 of 3)", "(2 of 3)", "Updating the stored worklist data (3 of 3)") and
closes once, rather than two "Updating the tracker" windows one after the other.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

# The steps of the update window, in order; each is said as "<name> (n of N)…" (N: the steps this
# open has). Their words are ``storage.upgrade_progress``'s, which the command line's lines use too.
from radiculopathy_desktop.storage.upgrade_progress import STEPS, step_title

log = logging.getLogger(__name__)

TITLE = "Updating the tracker"
#: Below this many cases the upgrade takes about a second: done in place, no window.
IN_PLACE_BELOW = 2000
POLL_MS = 100
STOP_REFUSED = "\n\nIt cannot be stopped part way; it will close by itself when it is done."


#: While another window or command does the update (the marker of ``storage.upgrade_progress``).
ELSEWHERE = ("Another Radiculopathy Desktop (a window or a command) is doing the one-time update of the tracker after "
             "an upgrade (this can take a few minutes at large clinics). This window waits for it to finish and then "
             "opens by itself. Nothing is changed meanwhile.")


def text_for(cases: int) -> str:
    return (f"Radiculopathy Desktop is updating the stored worklist data of {cases:,} cases for this version. "
            "This happens once, after an upgrade, and can take a few minutes.\n\n"
            "Please let it finish: the clinical records are not changed, and if the program is stopped it starts "
            "again next time.")


# --------------------------------------------------------------------------- the schema update
SCHEMA_TITLE = "Updating the tracker"
def step_text(name: str, steps: int) -> str:
    """What the window's step line says for step ``name`` of an update of ``steps`` steps."""
    return f"{step_title(name, steps)}…"


STEP_TEXTS = {"backup": step_text("backup", 2), "migrate": step_text("migrate", 2)}
SCHEMA_TEXT = ("Radiculopathy Desktop is updating the tracker ({size}) for this version. This happens once, after "
               "an upgrade, and can take a few minutes at a large clinic; the main window opens by itself when it "
               "is done.\n\nPlease do not close this window. If the update is stopped, it is undone and the "
               "tracker is left as it was (a safety copy already made is kept); it runs again the next time "
               "Radiculopathy Desktop is opened.")
STOP_TITLE = "Stop the update?"
STOP_TEXT = ("If you stop now, the update is undone and the tracker is left as it was; a safety copy already made "
             "is kept. Radiculopathy Desktop then closes, and the update runs again the next time it is opened.")
STOP_BUTTON = "Stop and close"
KEEP_BUTTON = "Keep updating"
STOPPING = "Stopping: undoing the update…"
#: Called once the update's window is on screen (the start-up sequence sets it: a second
#: launch on this folder then brings this window forward instead of being told "not answering").
on_shown = None


def _size_text(size: int) -> str:
    return f"{size / 1e9:.1f} GB" if size >= 1e9 else f"{max(1, round(size / 1e6))} MB"


def open_local_store(data_dir, parent=None):
    """The local store for ``data_dir``, its one-time updates (if any) run with a progress window.

    Raises :class:`~radiculopathy_desktop.storage.upgrade_progress.UpdateStopped` when the
    person stopped the schema update (nothing was changed), and the update's own error
    (a full disk, a locked file) when it failed (then nothing was changed either)."""
    from radiculopathy_desktop.storage import opening, upgrade_progress
    from radiculopathy_desktop.storage.paths import database_path
    from radiculopathy_desktop.storage.store import CaseStore

    path = database_path(data_dir)
    pending, size = opening.pending_schema_update(path)
    window = None
    try:
        if pending and size >= upgrade_progress.SAY_FROM_BYTES:  # a small file is updated in place, by the open below
            # The derived-data rewrite that follows (if any) is step 3 of the same window.
            steps = 3 if opening.pending_derived_rewrite(path, CaseStore.derived_version()) else 2
            window = _update_window(parent, steps)
            _update_schema_with_progress(path, size, parent, window)
        store = CaseStore.open(data_dir, upgrade=False)
        try:
            if not store.upgrade_pending:
                return store
            total = store.case_count()
            if total < IN_PLACE_BELOW and window is None:
                store.upgrade_derived_data_if_needed()
                return store
            if window is not None and window.steps < 3:  # not foreseen (the peek could not tell): said as a step
                window.steps = 3
            _run_with_progress(store.data_dir, total, parent, window)
            # Done by the thread (then this reads one setting), or not done (busy, read-only:
            # tried again here, as every open does, and left for the next start if it cannot).
            store.upgrade_derived_data_if_needed()
            return store
        except BaseException:
            store.close()
            raise
    finally:
        if window is not None:  # one window for every step, closed once
            window.hide()
            window.deleteLater()


def _update_window(parent, steps: int = 0):
    """The "Updating the tracker" window: a step line (hidden when there is one step only),
    the text and a progress bar. ``on_reject`` answers Esc and the close button (each step
    sets it: the schema update asks before stopping, the derived rewrite cannot stop)."""
    from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QVBoxLayout

    class UpdateWindow(QDialog):
        on_reject = None

        def reject(self) -> None:  # never closed silently
            if self.on_reject is not None:
                self.on_reject()

    window = UpdateWindow(parent)
    window.steps = steps
    window.setWindowTitle(TITLE)
    window.setModal(True)
    window.label = QLabel(window)  # the first label child is the text (what the tests read)
    window.label.setWordWrap(True)
    window.label.setMinimumWidth(460)
    window.step = QLabel(window)
    window.step.setAccessibleName("Update step")
    window.step.setVisible(steps > 0)
    window.bar = QProgressBar()
    window.bar.setAccessibleName("Update progress")
    layout = QVBoxLayout(window)
    layout.addWidget(window.step)
    layout.addWidget(window.label)
    layout.addWidget(window.bar)
    return window


def _run_with_progress(data_dir: Path, total: int, parent, window=None) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    from radiculopathy_desktop.storage.store import CaseStore

    state = {"done": 0, "total": total, "error": None, "stop_asked": False, "elsewhere": False}

    def progress(done: int, of: int) -> None:
        state["done"], state["total"] = done, of

    def work() -> None:
        from radiculopathy_desktop.storage import upgrade_progress
        from radiculopathy_desktop.storage.paths import DB_FILENAME

        # Another window or command already doing it (rt7 R7): wait for it, saying so, rather
        # than wait out the busy timeout twice and open with the update still to do.
        while upgrade_progress.upgrade_running_elsewhere(data_dir / DB_FILENAME):
            state["elsewhere"] = True
            time.sleep(POLL_MS / 1000)
        state["elsewhere"] = False  # done there (then the open below finds nothing to do), or left to this one
        try:
            with CaseStore.open(data_dir, create=False, progress=progress):
                pass
        except BaseException as exc:  # the window's own open tries again and explains any error
            state["error"] = exc

    own = window is None  # else the schema update's window goes on with this step, and is closed by the caller
    dialog = _update_window(parent) if own else window

    def refuse() -> None:  # Esc and the close button: it cannot be stopped part way
        state["stop_asked"] = True
        show()

    dialog.on_reject = refuse
    label, bar = dialog.label, dialog.bar
    bar.setRange(0, max(total, 1))

    thread = threading.Thread(target=work, name="derived-data-upgrade", daemon=True)
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(POLL_MS)

    def show() -> None:
        dialog.step.setText(step_text("derived", dialog.steps))
        label.setText((ELSEWHERE if state["elsewhere"] else text_for(total))
                      + (STOP_REFUSED if state["stop_asked"] else ""))
        bar.setMaximum(0 if state["elsewhere"] else max(state["total"], 1))  # 0: "busy", no count known
        bar.setValue(state["done"])

    def poll() -> None:
        show()
        if not thread.is_alive():
            timer.stop()
            loop.quit()

    timer.timeout.connect(poll)
    log.info("upgrade of the stored derived data started with a progress window")
    show()
    thread.start()
    timer.start()
    dialog.show()
    loop.exec()
    dialog.on_reject = None
    if own:
        dialog.hide()
        dialog.deleteLater()
    if state["error"] is not None:
        log.info("the upgrade in a thread did not finish (%s); tried again on the window's own connection",
                 type(state["error"]).__name__)


def _update_schema_with_progress(path: Path, size: int, parent, window=None) -> None:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QMessageBox

    from radiculopathy_desktop.storage import opening, upgrade_progress

    state = {"step": upgrade_progress.BACKUP, "done": 0, "total": 0, "error": None, "stop": False,
             "elsewhere": False}

    class Watcher(upgrade_progress.SchemaWatcher):
        def step(self, name: str, done: int, total: int) -> None:
            state["step"], state["done"], state["total"] = name, done, total

        def stop_requested(self) -> bool:
            return state["stop"]

    def work() -> None:
        # Another window or command already updating it: wait for it, saying so (rt7 R7).
        while upgrade_progress.upgrade_running_elsewhere(path) and not state["stop"]:
            state["elsewhere"] = True
            time.sleep(POLL_MS / 1000)
        state["elsewhere"] = False
        if state["stop"]:
            state["error"] = upgrade_progress.UpdateStopped()
            return
        try:
            opening.open_database(path, create=False, progress=Watcher()).close()
        except BaseException as exc:  # raised in the GUI thread below: the start-up explains it
            state["error"] = exc

    own = window is None  # else the caller's window, which goes on with the next step and is closed by the caller
    dialog = _update_window(parent, 2) if own else window
    dialog.on_reject = lambda: ask()  # Esc and the close button: asked, never closed silently
    step, label, bar = dialog.step, dialog.label, dialog.bar
    label.setText(SCHEMA_TEXT.format(size=_size_text(size)))
    question: list[QMessageBox] = []

    def ask() -> None:
        if question or state["stop"]:
            return
        box = QMessageBox(QMessageBox.Icon.Warning, STOP_TITLE, STOP_TEXT, QMessageBox.StandardButton.NoButton, dialog)
        stop = box.addButton(STOP_BUTTON, QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(KEEP_BUTTON, QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)  # Enter keeps it going
        box.setEscapeButton(keep)

        def answered(_result: int) -> None:
            if box.clickedButton() is stop:
                state["stop"] = True
                log.info("the person at the window stopped the schema update")
            question.clear()
            box.deleteLater()

        box.finished.connect(answered)
        question.append(box)
        box.open()

    thread = threading.Thread(target=work, name="schema-update", daemon=True)
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(POLL_MS)

    def show() -> None:
        if state["stop"]:
            step.setText(STOPPING)
        elif state["elsewhere"]:
            step.setText("Waiting for another Radiculopathy Desktop…")
        else:
            step.setText(step_text(state["step"] if state["step"] in STEPS else "migrate", dialog.steps))
        label.setText(ELSEWHERE if state["elsewhere"] else SCHEMA_TEXT.format(size=_size_text(size)))
        counted = state["step"] == upgrade_progress.BACKUP and state["total"] > 0 and not state["elsewhere"]
        bar.setMaximum(state["total"] if counted else 0)  # 0: busy (the index build reports no count)
        bar.setValue(state["done"] if counted else 0)

    def poll() -> None:
        show()
        if not thread.is_alive():
            timer.stop()
            for box in list(question):  # done meanwhile: nothing left to stop
                box.done(0)
            loop.quit()

    timer.timeout.connect(poll)
    log.info("schema update started with a progress window")
    show()
    thread.start()
    timer.start()
    dialog.show()
    if on_shown is not None:
        on_shown()
    loop.exec()
    dialog.on_reject = None
    if own:
        dialog.hide()
        dialog.deleteLater()
    error = state["error"]
    if error is not None:
        log.info("the schema update did not finish (%s)", type(error).__name__)
        raise error
