"""One window per data folder: a second launch brings the first window forward.

Two parts, both named after a hash of the user name and the resolved data folder (short,
valid everywhere, different per user and per folder, not revealing the folder):

* **The claim**: an exclusive OS lock (``flock``; ``msvcrt.locking`` on Windows) on a lock
  file beside the local server's socket. The first launch takes it without waiting and
  holds it until it exits; the operating system releases it when the process ends, however
  it ends, so a crash leaves nothing that blocks the next start. A second launch that finds
  it held knows at once that the folder is open, without opening the database.
* **The hand-over**: the first instance listens on a local server (a Unix domain socket on
  Linux and macOS, a named pipe on Windows; never a network socket). On Linux the socket
  lives in the per-user ``XDG_RUNTIME_DIR`` when there is one, else in the temporary
  folder; either way only its owner may connect. A second launch connects, sends
  ``ACTIVATE``, waits briefly for ``OK`` and exits.

The window's start-up (ui/startup.py) claims the folder first and starts listening only
after the window has painted (or before any start-up dialog), so QtNetwork is not loaded
before the first paint. A second launch meanwhile waits for the listener (up to
``STARTING_WAIT_MS``) and then hands over; if the first window never listens, it is "not
answering". Where the lock file cannot be used (a temporary folder another user owns the
file in, no locking on the platform), the hand-over alone decides, as before: an answer
means "open", and a socket left behind by a crashed instance (nobody answers) is removed.
"""

from __future__ import annotations

import getpass
import logging
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from radiculopathy_desktop.digests import sha256

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
try:  # Windows
    import msvcrt
except ImportError:
    msvcrt = None  # type: ignore[assignment]

log = logging.getLogger("radiculopathy_desktop.ui")

PREFIX = "radiculopathy-desktop-"
#: The claim's twin inside the data folder (see :class:`SingleInstance`).
FOLDER_LOCK_NAME = ".radiculopathy-window.lock"
REQUEST = b"RADICULOPATHY-DESKTOP ACTIVATE 1\n"
REPLY = b"OK\n"
CONNECT_TIMEOUT_MS = 200
REPLY_TIMEOUT_MS = 2000
#: How long a second launch waits for a first instance that holds the folder but is not yet
#: listening (it is still starting: it listens once its window has painted).
STARTING_WAIT_MS = 15000
RETRY_MS = 50
_MAX_UNIX_PATH = 103 if sys.platform == "darwin" else 107  # sockaddr_un.sun_path (104 / 108 bytes with NUL)

ALREADY_OPEN = ("Radiculopathy Desktop is already open for this data folder; the open window has been "
                "brought forward.")
NOT_ANSWERING = ("Radiculopathy Desktop is already open for this data folder on this computer, but that window "
                 "is not answering (it may be busy or showing a message). The database was not opened a second "
                 "time, to keep it safe. Switch to the open window, or wait a moment and try again; if that window "
                 "has frozen, close it first.")


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (service accounts): fall back to the uid
        return str(getattr(os, "getuid", lambda: "user")())


def folder_key(data_dir: str | os.PathLike) -> str:
    """A hash of the user and the resolved, case-normalised folder (the folder name is not revealed)."""
    resolved = os.path.normcase(str(Path(data_dir).expanduser().resolve()))
    digest = sha256(f"{_user()}\0{resolved}".encode("utf-8", "surrogatepass")).hexdigest()
    return digest[:32]


def server_name(data_dir: str | os.PathLike) -> str:
    """The local server's name for ``data_dir`` (an absolute socket path in XDG_RUNTIME_DIR on Linux)."""
    name = PREFIX + folder_key(data_dir)
    if sys.platform.startswith("win"):
        return name  # a named pipe \\.\pipe\<name>
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isabs(runtime) and os.path.isdir(runtime):
        candidate = os.path.join(runtime, name)
        if len(candidate.encode("utf-8", "surrogatepass")) <= _MAX_UNIX_PATH:
            return candidate
    return name  # Qt puts it in the temporary folder


def lock_file_path(name: str) -> str:
    """The claim's lock file: beside the socket, or in the temporary folder for a plain name."""
    if os.path.isabs(name):
        return name + ".lock"
    return os.path.join(tempfile.gettempdir(), name + ".lock")


def _network():
    """QtNetwork, loaded only to hand over or to listen (not before the first paint)."""
    from PySide6 import QtNetwork
    return QtNetwork


class SingleInstance(QObject):
    """Claim a data folder for this process, or hand over to the instance that has it.

    :meth:`start` returns ``"primary"`` (this process owns the folder: go on),
    ``"forwarded"`` (another instance was asked to come forward: exit 0) or
    ``"not_answering"`` (another instance holds the folder but did not answer).
    ``start(listen=False)`` claims the folder without listening yet; :meth:`serve` then
    starts the hand-over (the window calls it once it has painted).
    """

    activation_requested = Signal()

    def __init__(self, data_dir: str | os.PathLike, parent: QObject | None = None,
                 connect_timeout_ms: int = CONNECT_TIMEOUT_MS, reply_timeout_ms: int = REPLY_TIMEOUT_MS,
                 starting_wait_ms: int = STARTING_WAIT_MS):
        super().__init__(parent)
        self.name = server_name(data_dir)
        self.lock_path = lock_file_path(self.name)
        # The same claim in the data folder itself (owner-only), when it exists: the lock
        # beside the socket differs between sessions with another XDG_RUNTIME_DIR or
        # temporary folder, for the same folder reached by two paths (a bind mount), or
        # after a temporary-folder cleaner removed it; the folder's own file does not.
        folder = Path(data_dir).expanduser()
        self.folder_lock_path = str(folder / FOLDER_LOCK_NAME) if folder.is_dir() else None
        self.connect_timeout_ms = connect_timeout_ms
        self.reply_timeout_ms = reply_timeout_ms
        self.starting_wait_ms = starting_wait_ms
        self.server = None  # QLocalServer while listening
        self._clients: dict = {}  # QLocalSocket -> bytes read so far
        self._lock_fd: int | None = None  # the claim, held until close()
        self._folder_lock_fd: int | None = None  # its twin in the data folder, when both are held
        self._serve_pending = False  # primary by the claim, not listening yet

    # -- the claim
    def _claim(self) -> bool | None:
        """Take the folder's locks (beside the socket, and in the data folder when it exists):
        True (taken, held until close), False (another process holds one of them), None (no
        usable lock file: the hand-over alone decides)."""
        beside_ok, beside_fd = self._take(self.lock_path)
        if beside_ok is False:
            return False
        folder_ok, folder_fd = self._take(self.folder_lock_path) if self.folder_lock_path else (None, None)
        if folder_ok is False:
            if beside_fd is not None:
                os.close(beside_fd)
            return False
        fds = [fd for fd in (beside_fd, folder_fd) if fd is not None]
        if not fds:
            return None
        self._lock_fd = fds[0]
        self._folder_lock_fd = fds[1] if len(fds) > 1 else None
        return True

    def _take(self, path: str) -> tuple[bool | None, int | None]:
        """One lock file: (True, fd) taken, (False, None) held by another process, (None, None)
        not usable here."""
        if fcntl is None and msvcrt is None:  # pragma: no cover - neither POSIX nor Windows
            return None, None
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
        try:
            fd = os.open(path, flags, 0o600)
        except OSError as exc:
            log.info("the single-instance lock file could not be opened (%s): the hand-over decides",
                     type(exc).__name__)
            return None, None
        try:
            if hasattr(os, "getuid") and os.fstat(fd).st_uid != os.getuid():
                log.info("the single-instance lock file belongs to another user: the hand-over decides")
                os.close(fd)
                return None, None
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            else:  # pragma: no cover - Windows
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:  # held by another process (EWOULDBLOCK; EACCES on Windows)
            os.close(fd)
            return False, None
        return True, fd

    def _release(self) -> None:
        for attr in ("_lock_fd", "_folder_lock_fd"):
            fd = getattr(self, attr, None)
            setattr(self, attr, None)
            if fd is not None:
                try:
                    os.close(fd)  # closing releases the lock
                except OSError:
                    pass

    def _pause(self, ms: int) -> None:
        """Wait ``ms`` with the event loop running (an instance in this process can answer)."""
        from PySide6.QtCore import QEventLoop  # here: see _wait
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def _ask_holder(self) -> str:
        """The folder is claimed: ask its window to come forward, waiting while it is still starting.

        ``"forwarded"``, ``"not_answering"``, or ``"claimed"`` when the holder went away
        meanwhile and this launch took the claim (it is the first now).
        """
        import time
        deadline = time.monotonic() + self.starting_wait_ms / 1000
        while True:
            found = self.notify_existing()
            if found != "none":
                return found
            if self._claim():  # the holder has gone meanwhile: this launch is the first now
                return "claimed"
            if time.monotonic() >= deadline:
                log.info("the data folder is claimed but its window has not started listening")
                return "not_answering"
            self._pause(RETRY_MS)

    # -- second instance
    def _wait(self, socket, timeout_ms: int, done) -> bool:
        """Run a local event loop until ``done()`` or the timeout (lets an in-process server answer)."""
        if done():
            return True
        # imported where it is used: its first import makes PySide6 build its enum (~1.4 M
        # instructions), and a first launch, which never waits, is on the way to its first paint
        from PySide6.QtCore import QEventLoop
        loop = QEventLoop()
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        for signal in (socket.connected, socket.readyRead, socket.disconnected, socket.errorOccurred):
            signal.connect(loop.quit)
        timer.start(timeout_ms)
        unconnected = _network().QLocalSocket.UnconnectedState
        while not done() and timer.isActive() and socket.state() != unconnected:
            loop.exec()
        timer.stop()
        return done()

    def notify_existing(self) -> str:
        """``"forwarded"``, ``"not_answering"`` or ``"none"`` (no instance listening)."""
        QLocalSocket = _network().QLocalSocket  # noqa: N806 (Qt's class)
        socket = QLocalSocket()
        try:
            socket.connectToServer(self.name)
            if not self._wait(socket, self.connect_timeout_ms,
                              lambda: socket.state() == QLocalSocket.ConnectedState):
                return "none"
            socket.write(REQUEST)
            socket.flush()
            reply = bytearray()

            def answered() -> bool:
                reply.extend(bytes(socket.readAll()))
                return REPLY in reply

            if self._wait(socket, self.reply_timeout_ms, answered):
                return "forwarded"
            return "not_answering"
        finally:
            socket.abort()
            socket.deleteLater()

    # -- first instance
    def listen(self) -> bool:
        QLocalServer, QLocalSocket = _network().QLocalServer, _network().QLocalSocket  # noqa: N806
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.UserAccessOption)
        if not server.listen(self.name):
            if server.serverError() != QLocalSocket.AddressInUseError:
                log.warning("the single-instance check could not start (%s); continuing without it",
                            server.serverError().name)
                server.deleteLater()
                return False
            # Someone has the name. Alive (it answers) or left behind by a crash?
            if self.notify_existing() != "none":
                server.deleteLater()
                return False
            QLocalServer.removeServer(self.name)
            log.info("removed a stale single-instance socket left by an earlier run")
            if not server.listen(self.name):
                log.warning("the single-instance check could not start (%s); continuing without it",
                            server.serverError().name)
                server.deleteLater()
                return False
        server.newConnection.connect(self._accept)
        self.server = server
        return True

    def start(self, listen: bool = True) -> str:
        """Hand over to a running instance, or become the one for this folder.

        With ``listen=False`` a first instance that holds the claim listens only when
        :meth:`serve` is called (the window: after its first paint).
        """
        claimed = self._claim()
        if claimed is False:
            found = self._ask_holder()
            if found != "claimed":
                return found
            claimed = True
        if claimed is None:
            return self._start_by_socket()
        self._serve_pending = True
        if listen:
            self.serve()
        return "primary"

    def _start_by_socket(self) -> str:
        """Without a lock file: the hand-over alone decides (an answer means "open")."""
        found = self.notify_existing()
        if found != "none":
            return found
        if self.listen():
            return "primary"
        # Lost a race with an instance starting at the same moment: ask it to come forward.
        found = self.notify_existing()
        return found if found != "none" else "primary"

    def serve(self) -> None:
        """Start answering later launches (once; a first instance by the claim that is not yet listening)."""
        if not self._serve_pending:
            return
        self._serve_pending = False
        if not self.listen():
            # The claim still keeps the folder to this window; later launches find it held and,
            # with no answer, say the window is not answering (nothing is opened twice).
            log.info("the single-instance hand-over is not available; the folder stays claimed")

    def _accept(self) -> None:
        while self.server is not None and self.server.hasPendingConnections():
            client = self.server.nextPendingConnection()
            self._clients[client] = b""
            client.readyRead.connect(lambda c=client: self._read(c))
            client.disconnected.connect(lambda c=client: self._drop(c))
            QTimer.singleShot(self.reply_timeout_ms, client, client.abort)  # a silent client cannot linger
            self._read(client)

    def _read(self, client) -> None:
        if client not in self._clients:
            return
        data = (self._clients[client] + bytes(client.readAll()))[-256:]
        self._clients[client] = data
        if REQUEST in data:
            self._clients[client] = b""
            log.info("another launch for this data folder was redirected to this window")
            self.activation_requested.emit()
            client.write(REPLY)
            client.flush()
            client.disconnectFromServer()

    def _drop(self, client) -> None:
        if self._clients.pop(client, None) is not None:
            client.deleteLater()

    def close(self) -> None:
        self._serve_pending = False
        if self.server is not None:
            self.server.close()
            self.server.deleteLater()
            self.server = None
        clients = list(self._clients)
        self._clients.clear()
        for client in clients:
            client.abort()
            client.deleteLater()
        self._release()


def raise_window(widget) -> None:
    """Raise ``widget`` and ask for focus (window-less platforms, as in tests, have nothing to raise)."""
    from PySide6.QtGui import QGuiApplication
    if QGuiApplication.platformName() not in ("offscreen", "minimal"):
        widget.raise_()
    widget.activateWindow()


def bring_forward(window) -> None:
    """Show ``window`` (restoring it if minimised), raise it and ask for focus."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication
    if window is None:
        return
    if window.isMinimized():
        window.setWindowState((window.windowState() & ~Qt.WindowMinimized) | Qt.WindowActive)
    window.show()
    raise_window(window)
    QApplication.alert(window)  # flashes the task bar where the system will not hand over focus
