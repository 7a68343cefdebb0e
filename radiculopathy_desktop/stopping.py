"""Stopping a CLI command on SIGTERM, SIGHUP or SIGINT (Ctrl+C) without ever raising inside Qt.

The handler (``install``) records the first signal. It raises :class:`StoppedBySignal` (a
``KeyboardInterrupt``; plain ``KeyboardInterrupt`` for Ctrl+C) at once only while that is safe:
plain Python code. An exception raised by a Python signal handler lands on whatever Python
bytecode runs next, and inside a PySide6 callback (a layout or paint callback, shiboken's
signature bootstrap while ``PySide6`` is imported) it cannot unwind through the C++ frames
below: the process aborted (SIGABRT, "Fatal Python error") or the exception came out as an
unrelated error logged as a crash (tryout36 F6; hazard H-ARCH-912). So from the moment
``PySide6`` is being imported (it is in ``sys.modules`` from the start of its import), inside
``deferred()``, once an output is in place and once the command has finished, the handler only records; the command acts
on it at its safe points, :func:`check`: between pages of a PDF, at every write of an output's
temporary file and just before its rename into place (``outputs.checked_output``), and at the
end of the command (``cli.main``). An output renamed into place before the signal is acted on is
complete and kept: the command says so and keeps its own exit code (H-ARCH-913).

From the first signal on, the three signals take their default action: a second one ends the
process at once (for a stop that hangs). Stdlib only: ``__main__`` installs it before any heavy
import, so a signal during start-up is a plain "stopped by SIGTERM" (no traceback).
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from typing import Iterator

NAMES = ("SIGTERM", "SIGHUP", "SIGINT")

#: The first signal received and not yet acted on (raised), or None.
pending: int | None = None
#: A signal was received (acted on or not): 128 + it is the exit code of a stopped command.
received: int | None = None
_defer_depth = 0
#: Set by ``cli.main`` once the command's work is done: a signal then is only recorded.
finished = False
#: The outputs renamed into place during this command (``outputs.checked_output``): complete files.
completed: list[str] = []


class StoppedBySignal(KeyboardInterrupt):
    """SIGTERM or SIGHUP during a command: unwinds like Ctrl+C, so every ``finally`` and rollback runs."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


def _signals() -> list[int]:
    return [getattr(signal, name) for name in NAMES if hasattr(signal, name)]


def _exception(signum: int) -> KeyboardInterrupt:
    if signum == getattr(signal, "SIGINT", None):
        return KeyboardInterrupt()
    return StoppedBySignal(signum)


def raising_is_safe() -> bool:
    """False while Qt may be on the stack (PySide6 imported or being imported), inside
    :func:`deferred`, once an output is in place (its command's work is done but for the words:
    a next output's write acts on the signal before its rename) or once the command has finished."""
    return _defer_depth == 0 and not finished and not completed and "PySide6" not in sys.modules


def _handler(signum, _frame) -> None:
    global pending, received
    for each in _signals():  # a second signal ends the process at once
        with contextlib.suppress(ValueError, OSError):
            signal.signal(each, signal.SIG_DFL)
    if received is not None:  # cannot happen after the reset above; never raise twice
        return
    received = signum
    pending = signum
    if raising_is_safe():
        pending = None
        raise _exception(signum)


def install() -> dict:
    """Set the handler on SIGTERM, SIGHUP, SIGINT (main thread only); the handlers replaced."""
    global pending, received, finished
    if threading.current_thread() is not threading.main_thread():
        return {}
    ours = any(signal.getsignal(s) is _handler for s in _signals())
    if not ours:  # a fresh start (``__main__`` installs first: a signal it recorded is kept)
        pending = received = None
    finished = False
    completed.clear()
    previous = {}
    for signum in _signals():
        with contextlib.suppress(ValueError, OSError):
            if received is None:
                previous[signum] = signal.signal(signum, _handler)
            else:  # already received: the default stays (a second signal ends it at once)
                previous[signum] = signal.getsignal(signum)
    return previous


def restore(previous: dict) -> None:
    for signum, handler in previous.items():
        if handler is _handler and received is not None:
            continue  # the default stays, as after any first signal
        with contextlib.suppress(ValueError, OSError, TypeError):
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


def check() -> None:
    """A safe point: act on a recorded signal (raise it) unless the command has finished."""
    global pending
    signum = pending
    if signum is not None and not finished and _defer_depth == 0:
        pending = None
        raise _exception(signum)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """A signal inside only records; it is acted on at the next :func:`check` after the block."""
    global _defer_depth
    _defer_depth += 1
    try:
        yield
    finally:
        _defer_depth -= 1


def take_late() -> int | None:
    """The signal that arrived too late to stop the command (its work was done), once."""
    global pending
    signum, pending = pending, None
    return signum


def _block_at_exit() -> None:
    """The command has returned its exit code: from here on a stop signal cannot change it. Python's
    finalization puts the default handlers back (a SIGTERM while Qt and the modules are torn down
    ended the process as killed, -15, after a complete "Wrote ..."): the signals are blocked, and a
    blocked signal still pending when the process ends is discarded. SIGKILL still ends it."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        return
    with contextlib.suppress(ValueError, OSError):
        signal.pthread_sigmask(signal.SIG_BLOCK, set(_signals()))


def console() -> int:
    """The entry of ``radiculopathy-desktop``, ``python -m radiculopathy_desktop`` and the packaged
    launcher: the handler first, before any heavy import; a signal during start-up is one line
    ("stopped by SIGTERM while starting: nothing was done", 128 + the signal), never a traceback."""
    install()
    try:
        from radiculopathy_desktop.cli import main, stopped_message

        check()
    except KeyboardInterrupt as exc:  # during the imports: nothing was done yet
        signum = getattr(exc, "signum", None) or int(getattr(signal, "SIGINT", 2))
        shown = signal_name(signum) + (" (Ctrl+C)" if signum == getattr(signal, "SIGINT", None) else "")
        print(f"stopped by {shown} while starting: nothing was done", file=sys.stderr)
        code = 128 + signum
    else:
        try:
            code = main()
        except KeyboardInterrupt as exc:  # while the command line was read (its modules imported)
            code = stopped_message(getattr(exc, "signum", None), starting=True)
    _block_at_exit()
    late = take_late()
    if late is not None:  # between the command's last word and here
        print(f"note: {signal_name(late)} arrived after the command had finished its work; nothing was undone",
              file=sys.stderr)
    return code
