"""Settings > Data on a clinic server: which tracker is in use and what replaces the file features.

On a clinic server there is no database file on this computer, so the local
"Data and backups" section (:mod:`radiculopathy_desktop.ui.backups_view`: back up now,
restore, undo a restore, the quick check) would copy or check the wrong thing. This
section says instead, in words, what to do: IT backs the server up with PostgreSQL's own
tools (``docs/clinic-server/backup.sh``: pg_dump custom format, checked with
``pg_restore --list``), restores with ``pg_restore``, and checks it with
``radiculopathy-desktop server check``.

It keeps the interface the Settings view uses from the local section (``data_folder``,
``load_keep``, ``keep_changed``, ``refresh``): the number of backups to keep is a local
file setting and is not shown here.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QVBoxLayout

SERVER_DATA_TEXT = (
    "This window uses the clinic's shared tracker on a PostgreSQL server: every workstation sees the same cases, "
    "and each save is made on the server at once. There is no database file on this computer to back up, "
    "restore or check here.\n\n"
    "Backups: IT backs the server up with PostgreSQL's own tools, for example every night with the ready script "
    "docs/clinic-server/backup.sh (a pg_dump custom-format dump, checked with pg_restore --list before it is kept, "
    "owner-only). A restore is made on the server with pg_restore by IT, never from a workstation.\n\n"
    "Checking: `radiculopathy-desktop server check` reports the server's version, the connection's security, the "
    "schema version and the row counts (README, \"Clinic server\").\n\n"
    "While the server cannot be reached, the window says so in the status bar, keeps what it shows marked as "
    "possibly out of date, and keeps what you type (an unfinished intake is kept on this computer) until it can "
    "be saved.")


class ServerDataView(QGroupBox):
    """The "Data: clinic server" section of the Settings view (see the module docstring)."""

    def __init__(self, context, parent=None):
        super().__init__("Data: clinic server", parent)
        self.context = context
        self.setAccessibleName("Data: clinic server")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.tracker = QLineEdit()
        self.tracker.setReadOnly(True)
        self.tracker.setAccessibleName("Tracker in use (read-only)")
        form.addRow("Tracker in use:", self.tracker)
        self.data_folder = QLineEdit()
        self.data_folder.setReadOnly(True)
        self.data_folder.setAccessibleName("This computer's folder for kept drafts (read-only)")
        form.addRow("This computer's folder:", self.data_folder)
        layout.addLayout(form)
        self.explanation = QLabel(SERVER_DATA_TEXT)
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.PlainText)
        self.explanation.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.explanation.setAccessibleName("Backups and checks on a clinic server")
        layout.addWidget(self.explanation)
        self.refresh()

    def refresh(self) -> None:
        self.tracker.setText(self.context.store.location_label())
        self.data_folder.setText(str(self.context.data_dir or ""))

    def load_keep(self) -> None:
        """No local backups on a server: nothing to load."""

    def keep_changed(self) -> bool:
        return False


def on_server(store) -> bool:
    """True for a store without a local database file (the clinic server)."""
    return getattr(store, "path", "") is None


# --------------------------------------------------------------------------- connecting (Settings > Data)
CONNECT_HELP = (
    "To use the clinic's shared tracker, enter the server's address as IT gave it: "
    "postgresql://LOGIN@HOST/DATABASE (a server on another computer is always reached over TLS; "
    "sslmode=verify-full is added when none is given). Never put the password in the address: keep it in "
    "your ~/.pgpass file (owner-only), in the file PGPASSFILE names, or in a PostgreSQL service file "
    "(service=NAME). The address is saved for you only, in your server.conf; the app uses it from the next "
    "start. The --server option and the RADICULOPATHY_SERVER variable, when given, come first.")


def strip_password(url: str) -> str:
    """The address as it may be shown: any password removed (it never should be there)."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo
    try:
        params = conninfo_to_dict(url)
    except Exception:  # noqa: BLE001 - not an address: shown as nothing
        return ""
    if "password" not in params:
        return url
    params.pop("password")
    return make_conninfo(**params)


def user_config_file():
    """This user's server.conf (platformdirs' user config folder)."""
    from radiculopathy_desktop.storage.pg.connection import config_files
    return config_files()[0]


def write_user_server(url: str | None) -> str:
    """Save ``url`` in this user's server.conf (checked first: no password, TLS off this
    machine), or remove the file for the local file (``None``). Returns what was done, in words.
    Raises ``UserError`` for an address that is refused."""
    import os

    from radiculopathy_desktop.storage.pg.connection import check_target
    path = user_config_file()
    if url is None:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        return (f"{path} removed: from the next start this computer uses its local file, unless IT set a server "
                "for every user or RADICULOPATHY_SERVER is set.")
    url = url.strip()
    check_target(url)  # refuses a password or an unencrypted remote address, in words
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("# The clinic server this user's Radiculopathy Desktop uses (Settings > Data).\n"
                   "# The password is never kept here: see ~/.pgpass or PGPASSFILE.\n" + url + "\n",
                   encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return f"Saved in {path}. Start Radiculopathy Desktop again to use the clinic server."


class ServerConnectBox(QGroupBox):
    """Settings > Data: the tracker in use and how to connect to a clinic server (writes server.conf)."""

    def __init__(self, context, parent=None):
        from PySide6.QtWidgets import QHBoxLayout, QPushButton
        super().__init__("Clinic server", parent)
        self.context = context
        self.setAccessibleName("Clinic server")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.in_use = QLineEdit()
        self.in_use.setReadOnly(True)
        self.in_use.setAccessibleName("Tracker in use (read-only)")
        form.addRow("Tracker in use:", self.in_use)
        self.url = QLineEdit()
        self.url.setAccessibleName("Clinic server address")
        self.url.setPlaceholderText("postgresql://LOGIN@HOST/DATABASE")
        url_label = QLabel("Server addr&ess:")
        url_label.setBuddy(self.url)
        form.addRow(url_label, self.url)
        layout.addLayout(form)
        help_label = QLabel(CONNECT_HELP)
        help_label.setWordWrap(True)
        help_label.setTextFormat(Qt.PlainText)
        layout.addWidget(help_label)
        row = QHBoxLayout()
        self.use_button = QPushButton("Use this ser&ver from the next start")
        self.use_button.setAccessibleName("Use this clinic server from the next start")
        self.use_button.setAutoDefault(False)
        self.local_button = QPushButton("Use the local f&ile from the next start")
        self.local_button.setAccessibleName("Use the local file from the next start")
        self.local_button.setAutoDefault(False)
        row.addWidget(self.use_button)
        row.addWidget(self.local_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.PlainText)
        self.result.setAccessibleName("Clinic server setting result")
        layout.addWidget(self.result)
        self.use_button.clicked.connect(lambda: self._save(self.url.text()))
        self.local_button.clicked.connect(lambda: self._save(None))
        self.refresh()

    def refresh(self) -> None:
        from radiculopathy_desktop.errors import UserError
        from radiculopathy_desktop.storage.pg.connection import configured_server
        self.in_use.setText(self.context.store.location_label())
        try:
            found = configured_server(None)
        except UserError:
            found = None
        if found and not self.url.text():
            self.url.setText(strip_password(found[0]))

    def _save(self, url: str | None) -> None:
        from radiculopathy_desktop.errors import UserError
        if url is not None and not url.strip():
            self.result.setText("Enter the server's address first (postgresql://LOGIN@HOST/DATABASE).")
            return
        try:
            self.result.setText(write_user_server(url))
        except UserError as exc:
            self.result.setText(f"Not saved: {exc}")
        except OSError as exc:
            self.result.setText(f"Not saved: the file could not be written ({exc.strerror}).")
