"""Stopping the window on a signal: SIGTERM, SIGINT (Ctrl+C) and SIGHUP close it as closing it does.

A log-out, a clinic's shutdown script, systemd stopping the session, ``kill`` or Ctrl+C in the
terminal send a signal. Python's default ends the process at once on SIGTERM and SIGHUP (no
closeEvent: a ``--demo`` run left its temporary folder of invented patients, typed intake work
was lost unless an autosave had run). Here (after qutebrowser's ``crashsignal.SignalHandler``):

* the Python-level handler only records the signal: it may run between any two bytecodes;
* Qt's event loop runs in C++ and gives Python no chance to run its handlers until some Python
  code runs, so ``signal.set_wakeup_fd`` writes each signal's number into a non-blocking
  ``os.pipe()`` whose read end a ``QSocketNotifier`` watches: its slot, on the GUI thread, lets
  Python run the handler, then calls ``on_stop(signum)`` (the start-up sequence: keep the drafts
  as the crash guard does, close the window without asking, quit; see ``ui/startup.py``);
* from the moment the stop begins, a second SIGTERM, SIGINT or SIGHUP ends the process at once
  (the signals' own default action): for a stop that hangs;
* where ``set_wakeup_fd`` cannot take a pipe (Windows: sockets only; no SIGHUP there either), a
  timer hands control to Python every ``POLL_MS`` instead.

Nothing here logs from the handler itself; the slot logs the signal's name only.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
from typing import Callable

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

log = logging.getLogger("radiculopathy_desktop.ui")

#: Where the wake-up pipe cannot be used: how often Python gets the chance to run its handlers.
POLL_MS = 500

#: The one SignalStop installed in this process (a handler and a wake-up fd are process-wide:
#: a second one, e.g. a second start-up sequence in the tests, installs nothing).
_active: "SignalStop | None" = None


def stop_signals() -> list[int]:
    """The signals that stop the window on this platform (SIGHUP does not exist on Windows)."""
    return [getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name)]


def signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


class SignalStop(QObject):
    """The handlers for :func:`stop_signals` (``install``/``uninstall``), acted on in the GUI thread."""

    def __init__(self, on_stop: Callable[[int], None], parent: QObject | None = None):
        super().__init__(parent)
        self._on_stop = on_stop
        self._previous: dict[int, object] = {}
        self._previous_wakeup: int | None = None
        self._pipe: tuple[int, int] | None = None
        self._notifier: QSocketNotifier | None = None
        self._timer: QTimer | None = None
        self.pending: int | None = None  # a signal received, not yet acted on
        self.stopping = False  # on_stop has been called
        self.installed = False

    # -- install / uninstall (main thread only: Python sets handlers there only)
    def install(self) -> bool:
        """True when installed; False (nothing changed) outside the main thread or while another is."""
        global _active
        if self.installed or _active is not None or threading.current_thread() is not threading.main_thread():
            return False
        _active = self
        for signum in stop_signals():
            self._previous[signum] = signal.signal(signum, self._handler)
        if not self._wake_through_pipe():
            self._timer = QTimer(self)
            self._timer.setInterval(POLL_MS)
            self._timer.timeout.connect(self._act)  # a Python slot: pending handlers run first
            self._timer.start()
        self.installed = True
        from radiculopathy_desktop import stopping  # a signal recorded during start-up (python -m ...)
        early = stopping.take_late()
        if early is not None:
            self.pending = early
            QTimer.singleShot(0, self._act)
        return True

    def _wake_through_pipe(self) -> bool:
        if os.name != "posix" or not hasattr(signal, "set_wakeup_fd"):
            return False
        read_fd, write_fd = os.pipe()
        try:
            os.set_blocking(read_fd, False)
            os.set_blocking(write_fd, False)
            self._previous_wakeup = signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
        except (OSError, ValueError) as exc:
            log.info("signals are polled (the wake-up pipe could not be used: %s)", type(exc).__name__)
            os.close(read_fd)
            os.close(write_fd)
            return False
        self._pipe = (read_fd, write_fd)
        self._notifier = QSocketNotifier(read_fd, QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._wakeup)
        return True

    def uninstall(self) -> None:
        global _active
        if not self.installed:
            return
        self.installed = False
        if _active is self:
            _active = None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._pipe is not None:
            with contextlib.suppress(ValueError, OSError):
                signal.set_wakeup_fd(self._previous_wakeup if self._previous_wakeup is not None else -1)
            for fd in self._pipe:
                with contextlib.suppress(OSError):
                    os.close(fd)
            self._pipe = None
        for signum, previous in self._previous.items():
            with contextlib.suppress(ValueError, TypeError, OSError):
                signal.signal(signum, previous if previous is not None else signal.SIG_DFL)
        self._previous.clear()

    # -- the Python-level handler: record only
    def _handler(self, signum, _frame) -> None:
        if self.stopping or self.pending is not None:  # a second signal while stopping: at once
            os._exit(128 + signum)
        self.pending = signum

    # -- the GUI thread
    def _wakeup(self, *_args) -> None:
        """The wake-up pipe is readable: Python has run the handler by now; empty the pipe and act."""
        notifier = self._notifier
        if notifier is not None:
            notifier.setEnabled(False)
        received = b""
        if self._pipe is not None:
            with contextlib.suppress(BlockingIOError, InterruptedError):
                while chunk := os.read(self._pipe[0], 64):
                    received += chunk
        if notifier is not None and self._notifier is notifier:
            notifier.setEnabled(True)
        if self.pending is None:  # the bytes are the signals' numbers: ours count even before the handler
            ours = [b for b in received if b in stop_signals()]
            if ours:
                self.pending = ours[0]
        self._act()

    def _act(self) -> None:
        signum = self.pending
        if signum is None or self.stopping:
            return
        self.stopping = True
        for each in stop_signals():  # from now on a second signal ends the process at once
            with contextlib.suppress(ValueError, OSError):
                signal.signal(each, signal.SIG_DFL)
        log.info("stopping on %s (sent from outside the app: a log-out, a shutdown, kill or Ctrl+C); "
                 "a second signal ends it at once", signal_name(signum))
        self._on_stop(signum)
