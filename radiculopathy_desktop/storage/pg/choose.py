"""Which tracker a command uses: the clinic server or the local file.

Order: ``--server URL``; else an explicit ``--data-dir`` (the local file there); else
``RADICULOPATHY_SERVER`` or a deployed ``server.conf`` (see :mod:`.connection`);
else the local file in the user data folder. Only the commands in
:data:`SERVER_COMMANDS` work on a server so far; the others say so instead of quietly
using a local file the clinic does not look at.
"""

from __future__ import annotations

import os

from radiculopathy_desktop.errors import UserError

#: Commands that work against the clinic server (the rest use the local file only, for now).
SERVER_COMMANDS = frozenset({"import", "worklist", "case", "visit", "decide", "export", "handout", "outcomes",
                             "settings"})


def server_url(data_dir: str | os.PathLike | None, server: str | None) -> str | None:
    """The server URL to use, or None for the local file."""
    from radiculopathy_desktop.storage.pg.connection import configured_server

    if server:
        return server
    if data_dir is not None:
        return None
    found = configured_server(None)
    return found[0] if found else None


def open_store(data_dir: str | os.PathLike | None = None, server: str | None = None, *, create: bool = True,
               command: str | None = None):
    """The store for a command: a :class:`PgStore` when a server is configured, else the
    local :class:`CaseStore` (``create`` as for ``CaseStore.open``)."""
    url = server_url(data_dir, server)
    if url is None:
        from radiculopathy_desktop.storage.store import CaseStore

        return CaseStore.open(data_dir, create=create)
    if command is not None and command not in SERVER_COMMANDS:
        raise UserError(f"`{command}` does not work with a clinic server yet; it uses the local file only. Nothing "
                        "was changed. Run it with --data-dir DIR for a local tracker.", exit_code=2)
    from radiculopathy_desktop.storage.pg.store import PgStore

    return PgStore.open(url)
