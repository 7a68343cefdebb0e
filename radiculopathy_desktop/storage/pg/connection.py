"""Where the clinic server is, how to reach it safely, and its failures in plain words.

The server is named by a libpq connection string or ``postgresql://`` URL, taken from
(first found wins):

1. ``--server URL`` on the command line;
2. the environment variable ``RADICULOPATHY_SERVER``;
3. a config file IT deploys: ``server.conf`` in the user config folder
   (``~/.config/radiculopathy-desktop/server.conf`` on Linux), then in the site
   config folder (``/etc/xdg/radiculopathy-desktop/server.conf``), both from
   platformdirs. The file holds one line, the URL; ``#`` starts a comment.

Rules, checked before any connection is made:

* No password in the URL (it would sit in shell history, process lists and config
  files). libpq finds it in ``~/.pgpass`` / ``PGPASSFILE`` or a service file
  (``PGSERVICEFILE``), or the command asks for it at a prompt.
* TLS unless the server is on this machine: when every ``host`` and every ``hostaddr``
  (libpq connects to ``hostaddr`` when given) is a Unix-socket folder, ``localhost`` or a
  loopback address, it may go without; any other target needs
  ``sslmode`` ``require``, ``verify-ca`` or ``verify-full``, and gets
  ``verify-full`` (certificate and host name checked) when the URL names none.

Nothing here logs the URL's query, user or database name: only "the clinic server".
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from radiculopathy_desktop.domain.vocab import StorageErrorKind
from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.storage.db import StorageError

log = logging.getLogger(__name__)

ENV_VAR = "RADICULOPATHY_SERVER"
CONFIG_NAME = "server.conf"
APP_ID = "radiculopathy-desktop"
_SAFE_SSLMODES = ("require", "verify-ca", "verify-full")


def config_files() -> list[Path]:
    """The config files read, in order: the user's, then the site-wide one IT deploys."""
    import platformdirs

    return [Path(platformdirs.user_config_dir(APP_ID, appauthor=False)) / CONFIG_NAME,
            Path(platformdirs.site_config_dir(APP_ID, appauthor=False)) / CONFIG_NAME]


def read_config_file(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UserError(f"The clinic-server config file {path} cannot be read ({exc.strerror}).") from None
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            return line
    return None


def configured_server(option: str | None = None) -> tuple[str, str] | None:
    """(URL, where it came from) by the order above, or None for the local file mode."""
    if option:
        return option, "--server"
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return env, ENV_VAR
    for path in config_files():
        found = read_config_file(path)
        if found:
            return found, str(path)
    return None


def is_local_host(host: str | None) -> bool:
    """True when every entry of a libpq ``host`` or ``hostaddr`` list (comma-separated) is on
    this machine: a Unix-socket folder (absolute path or ``@abstract``), ``localhost``, a
    loopback address, or empty (libpq's default socket; for ``hostaddr``, "use the host")."""
    if not host:
        return True
    for h in (part.strip() for part in host.split(",")):
        if not h or h.startswith("/") or h.startswith("@") or h.lower() in ("localhost", "localhost."):
            continue
        try:
            if ipaddress.ip_address(h.strip("[]")).is_loopback:
                continue
        except ValueError:
            pass
        return False
    return True


def _where(params: dict) -> tuple[bool, str]:
    """(local, what to call the server) from every place libpq takes the address from.

    libpq connects to ``hostaddr`` when given (``host`` then only names the server for
    ``.pgpass`` and TLS), so a target is local only when every host AND every hostaddr is:
    ``host=localhost hostaddr=192.0.2.2`` goes to another machine, with the localhost
    password. A ``service`` without a host in the URL takes the address from the service
    file, which this check cannot see: treated as another machine (TLS required)."""
    host = params.get("host") if "host" in params else os.environ.get("PGHOST")
    hostaddr = params.get("hostaddr") if "hostaddr" in params else os.environ.get("PGHOSTADDR")
    from_service = (params.get("service") or os.environ.get("PGSERVICE")) and not host and not hostaddr
    local = not from_service and is_local_host(host) and is_local_host(hostaddr)
    names = [h.strip() for h in (host or "").split(",") if h.strip()]
    addrs = [h.strip() for h in (hostaddr or "").split(",") if h.strip()]
    if from_service:
        shown = "the service " + str(params.get("service") or os.environ.get("PGSERVICE"))
    elif not names and not addrs:
        shown = "local socket"
    elif all(n.startswith(("/", "@")) for n in names) and not addrs:
        shown = "local socket"
    else:
        shown = ",".join(addrs or names)  # where libpq actually connects
    return local, shown


@dataclass(frozen=True)
class ServerTarget:
    """A checked connection string and what to call it on screen."""

    conninfo: str
    host: str  # "local socket" or the host name
    dbname: str
    local: bool
    login: str = ""  # the login named in the URL (or PGUSER / the OS user): said on screen, never logged
    port: str = ""

    @property
    def label(self) -> str:
        return f"Clinic server {self.host}/{self.dbname}"


SERVER_EXTRA = "pip install 'radiculopathy-desktop[server]'"


def require_driver() -> None:
    """Clinic-server mode needs the PostgreSQL driver (psycopg and psycopg-pool), an optional
    extra: without it every server command would stop with an ImportError (exit 70). Say in
    words what is missing and how to get it (exit 2)."""
    try:
        import psycopg  # noqa: F401
        import psycopg_pool  # noqa: F401
    except ImportError:
        if getattr(sys, "frozen", False):
            how = ("This packaged build of the app has no clinic-server support; the clinic's IT installs the "
                   f"Python package with its server extra instead: {SERVER_EXTRA}.")
        else:
            how = f"Install it with: {SERVER_EXTRA}."
        raise UserError("Clinic-server support is not installed (the PostgreSQL driver psycopg is missing or "
                        f"cannot load), so nothing was done. {how}", exit_code=2) from None


def check_target(url: str) -> ServerTarget:
    """Parse and check a server URL (no password, TLS unless local); no connection is made."""
    require_driver()
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    try:
        params = conninfo_to_dict(url)
    except Exception:
        raise UserError("The clinic-server address is not a valid PostgreSQL URL or connection string "
                        "(expected for example postgresql://USER@HOST/DATABASE?sslmode=verify-full).") from None
    if params.get("password"):
        raise UserError("The clinic-server address contains a password. Remove it: put the password in the "
                        "user's ~/.pgpass file (or PGPASSFILE), or let the command ask for it.")
    local, shown = _where(params)
    sslmode = params.get("sslmode") or os.environ.get("PGSSLMODE")
    if not local:
        if sslmode is None:
            params["sslmode"] = "verify-full"
        elif sslmode not in _SAFE_SSLMODES:
            raise UserError(f"The clinic server {shown} is on another machine, so the connection must be encrypted: "
                            f"sslmode={sslmode} is not allowed. Use sslmode=verify-full (or require).")
    dbname = params.get("dbname") or os.environ.get("PGDATABASE") or params.get("user") or "postgres"
    params.setdefault("application_name", APP_ID)
    params.setdefault("connect_timeout", "10")
    import getpass

    try:
        login = params.get("user") or os.environ.get("PGUSER") or getpass.getuser()
    except Exception:  # noqa: BLE001 - no OS user name: only the messages lose it
        login = ""
    port = str(params.get("port") or os.environ.get("PGPORT") or "5432")
    return ServerTarget(make_conninfo(**params), shown, dbname, local, login, port)


# --------------------------------------------------------------------------- errors
def unreachable_error(target: ServerTarget) -> StorageError:
    """The connection was lost in the middle of a step (the start of a command is
    :func:`connect_failure`, which names the cause)."""
    return StorageError(StorageErrorKind.UNREACHABLE, (
        f"The clinic server ({target.host}/{target.dbname}) cannot be reached: the connection was lost or "
        "refused. The step did not complete: nothing was saved, and nothing read was shown. Check the network and "
        "that the server is running, then try again."))


def connect_failure(target: ServerTarget, exc: BaseException) -> StorageError:
    """Why a new connection failed, in words, from libpq's message (it carries no SQLSTATE
    for connection failures): a wrong or missing password, a database that does not exist,
    a login the server refuses, or no answer at all. Nothing has been read or changed yet.

    Only the kind is logged (the driver's text names the login and the database)."""
    text = str(exc)
    where = f"{target.host}/{target.dbname}"
    login = f" {target.login}" if target.login else ""
    if "password authentication failed" in text:
        kind, why = StorageErrorKind.PERMISSION, (
            f"The clinic server ({where}) rejected the password of the login{login}. Nothing was read or changed. "
            "Update the password in ~/.pgpass (or PGPASSFILE); the clinic's IT can reset it.")
    elif "no password supplied" in text:
        kind, why = StorageErrorKind.PERMISSION, (
            f"The clinic server ({where}) needs a password for the login{login} and none was found. Nothing was "
            "read or changed. Put it in ~/.pgpass (chmod 600) or PGPASSFILE.")
    elif "does not exist" in text and "database" in text:
        kind, why = StorageErrorKind.MISSING, (
            f"The clinic server at {target.host} has no database named {target.dbname}. Nothing was read or "
            "changed. Check the database name in the server URL (IT creates it, then runs `server init`).")
    elif "pg_hba.conf" in text or ("role" in text and "does not exist" in text):
        kind, why = StorageErrorKind.PERMISSION, (
            f"The clinic server ({where}) refused the login{login} from this workstation (an unknown login, or "
            "the server's pg_hba.conf does not allow it). Nothing was read or changed. Ask the clinic's IT.")
    elif "starting up" in text or "shutting down" in text or "too many" in text or "recovery" in text:
        kind, why = StorageErrorKind.UNREACHABLE, (
            f"The clinic server ({where}) cannot be reached now: it is starting, stopping or full. Nothing was "
            "read or changed. Try again in a minute.")
    else:
        address = "its local socket" if target.host == "local socket" else f"{target.host} port {target.port}"
        kind, why = StorageErrorKind.UNREACHABLE, (
            f"The clinic server ({where}) cannot be reached: no answer at {address} (the server is not running, "
            "or the address or the network is wrong). Nothing was read or changed. Check that the server is "
            "running and reachable from this workstation.")
    log.info("clinic server connection failed (%s)", kind.value)
    return StorageError(kind, why)


@contextlib.contextmanager
def pg_errors(target: ServerTarget) -> Iterator[None]:
    """Turn PostgreSQL failures the user can act on into :class:`StorageError`.

    The server's own message is left out of what is shown and logged: it can quote
    row values (a patient's case ID in a key violation)."""
    import psycopg
    from psycopg import errors as e

    try:
        yield
    except StorageError:
        raise
    except e.InsufficientPrivilege:
        raise StorageError(StorageErrorKind.PERMISSION, (
            f"Your clinic-server login is not allowed to do this ({target.label}). Nothing was changed. "
            "Settings, roles and maintenance need an admin login; ask the clinic's IT.")) from None
    except e.ReadOnlySqlTransaction:
        raise StorageError(StorageErrorKind.READ_ONLY, (
            f"The clinic server is open read-only here ({target.label}). Nothing was saved.")) from None
    except (e.SerializationFailure, e.DeadlockDetected, e.LockNotAvailable, e.QueryCanceled):
        raise StorageError(StorageErrorKind.LOCKED, (
            "Another workstation was saving the same data at the same moment and the server stopped this "
            "save. Nothing was changed. Try again.")) from None
    except e.UndefinedTable:
        raise StorageError(StorageErrorKind.NOT_A_DATABASE, (
            f"The database {target.dbname} on the clinic server has no Radiculopathy Desktop tables. Nothing was "
            "changed. IT sets it up with `radiculopathy-desktop server init`.")) from None
    except e.DiskFull:
        raise StorageError(StorageErrorKind.DISK_FULL, "The clinic server's disk is full. Nothing was saved. Tell the clinic's IT.") \
            from None
    except psycopg.OperationalError:
        log.info("clinic server unreachable")
        raise unreachable_error(target) from None  # includes psycopg_pool.PoolTimeout
