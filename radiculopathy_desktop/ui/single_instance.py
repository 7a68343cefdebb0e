"""One window per data folder: a second launch brings the first window forward.

The first instance listens on a local server (a Unix domain socket on Linux and
macOS, a named pipe on Windows; never a network socket) whose name is derived from
a hash of the user name and the resolved data folder, so the name is short, valid
everywhere, different per user and per folder, and does not reveal the folder.
On Linux the socket lives in the per-user ``XDG_RUNTIME_DIR`` when there is one,
else in the temporary folder; either way only its owner may connect.

A second launch connects, sends ``ACTIVATE``, waits briefly for ``OK`` and exits
without opening the database. A socket left behind by a crashed instance (nobody
answers) is removed and the new instance takes over.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger("radiculopathy_desktop.ui")

PREFIX = "radiculopathy-desktop-"
REQUEST = b"RADICULOPATHY-DESKTOP ACTIVATE 1\n"
REPLY = b"OK\n"
CONNECT_TIMEOUT_MS = 200
REPLY_TIMEOUT_MS = 2000
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
    digest = hashlib.sha256(f"{_user()}\0{resolved}".encode("utf-8", "surrogatepass")).hexdigest()
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


class SingleInstance(QObject):
    """Claim a data folder for this process, or hand over to the instance that has it.

    :meth:`start` returns ``"primary"`` (this process owns the folder: go on),
    ``"forwarded"`` (another instance was asked to come forward: exit 0) or
    ``"not_answering"`` (another instance holds the folder but did not answer).
    """

    activation_requested = Signal()

    def __init__(self, data_dir: str | os.PathLike, parent: QObject | None = None,
                 connect_timeout_ms: int = CONNECT_TIMEOUT_MS, reply_timeout_ms: int = REPLY_TIMEOUT_MS):
        super().__init__(parent)
        self.name = server_name(data_dir)
        self.connect_timeout_ms = connect_timeout_ms
        self.reply_timeout_ms = reply_timeout_ms
        self.server: QLocalServer | None = None
        self._clients: dict[QLocalSocket, bytes] = {}

    # -- second instance
    def _wait(self, socket: QLocalSocket, timeout_ms: int, done) -> bool:
        """Run a local event loop until ``done()`` or the timeout (lets an in-process server answer)."""
        if done():
            return True
        loop = QEventLoop()
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        for signal in (socket.connected, socket.readyRead, socket.disconnected, socket.errorOccurred):
            signal.connect(loop.quit)
        timer.start(timeout_ms)
        while not done() and timer.isActive() and socket.state() != QLocalSocket.UnconnectedState:
            loop.exec()
        timer.stop()
        return done()

    def notify_existing(self) -> str:
        """``"forwarded"``, ``"not_answering"`` or ``"none"`` (no instance listening)."""
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

    def start(self) -> str:
        """Hand over to a running instance, or become the one for this folder."""
        found = self.notify_existing()
        if found != "none":
            return found
        if self.listen():
            return "primary"
        # Lost a race with an instance starting at the same moment: ask it to come forward.
        found = self.notify_existing()
        return found if found != "none" else "primary"

    def _accept(self) -> None:
        while self.server is not None and self.server.hasPendingConnections():
            client = self.server.nextPendingConnection()
            self._clients[client] = b""
            client.readyRead.connect(lambda c=client: self._read(c))
            client.disconnected.connect(lambda c=client: self._drop(c))
            QTimer.singleShot(self.reply_timeout_ms, client, client.abort)  # a silent client cannot linger
            self._read(client)

    def _read(self, client: QLocalSocket) -> None:
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

    def _drop(self, client: QLocalSocket) -> None:
        if self._clients.pop(client, None) is not None:
            client.deleteLater()

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server.deleteLater()
            self.server = None
        clients = list(self._clients)
        self._clients.clear()
        for client in clients:
            client.abort()
            client.deleteLater()


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
