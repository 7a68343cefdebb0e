"""Opening a local tracker whose stored derived data is from an older version of the app.

The first open after an upgrade rewrites every case's derived rows (review facts,
their history, dose alerts, outcome facts; ``CaseStore.upgrade_derived_data``): about
a second per thousand cases, so minutes for a large clinic tracker. Run in the GUI
thread it would leave the person at the workstation looking at nothing, and a
program that seems hung gets killed, which rolls the upgrade back so it starts over
next time. Here it runs in a thread, on its own connection, under a small window that
says what is happening and how far it is; the window's own store is opened without
the upgrade and used once the thread has finished. The dialog cannot be closed part
way: stopping would lose the work done so far, never any record.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

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


def open_local_store(data_dir, parent=None):
    """The local store for ``data_dir``, its one-time upgrade (if any) run with a progress window."""
    from radiculopathy_desktop.storage.store import CaseStore

    store = CaseStore.open(data_dir, upgrade=False)
    try:
        if not store.upgrade_pending:
            return store
        total = store.case_count()
        if total < IN_PLACE_BELOW:
            store.upgrade_derived_data_if_needed()
            return store
        _run_with_progress(store.data_dir, total, parent)
        # Done by the thread (then this reads one setting), or not done (busy, read-only:
        # tried again here, as every open does, and left for the next start if it cannot).
        store.upgrade_derived_data_if_needed()
        return store
    except BaseException:
        store.close()
        raise


def _run_with_progress(data_dir: Path, total: int, parent) -> None:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QVBoxLayout

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

    class UpgradeDialog(QDialog):
        def reject(self) -> None:  # Esc and the close button: it cannot be stopped part way
            state["stop_asked"] = True
            show()

    dialog = UpgradeDialog(parent)
    dialog.setWindowTitle(TITLE)
    dialog.setModal(True)
    label = QLabel(text_for(total))
    label.setWordWrap(True)
    label.setMinimumWidth(420)
    bar = QProgressBar()
    bar.setRange(0, max(total, 1))
    bar.setAccessibleName("Update progress")
    layout = QVBoxLayout(dialog)
    layout.addWidget(label)
    layout.addWidget(bar)

    thread = threading.Thread(target=work, name="derived-data-upgrade", daemon=True)
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(POLL_MS)

    def show() -> None:
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
    thread.start()
    timer.start()
    dialog.show()
    loop.exec()
    dialog.hide()
    dialog.deleteLater()
    if state["error"] is not None:
        log.info("the upgrade in a thread did not finish (%s); tried again on the window's own connection",
                 type(state["error"]).__name__)
