"""The one error type of the storage layer: a database the app cannot use safely.

A leaf module (it imports no other storage module, only the domain's vocabulary), so every storage module can raise
it at the top of its imports without an import cycle. ``storage.db`` re-exports it.
"""

from __future__ import annotations

from radiculopathy_desktop.domain.vocab import StorageErrorKind
from radiculopathy_desktop.errors import UserError


class StorageError(UserError):
    """A database the app cannot use safely; ``kind`` says what (a :class:`StorageErrorKind`:
    missing, locked, read_only, corrupt, not_a_database, newer_schema, disk_full, io,
    permission, replaced, restore_failed, invalid...)."""

    def __init__(self, kind: StorageErrorKind | str, message: str, exit_code: int = 3):
        super().__init__(message, exit_code=exit_code)
        self.kind = StorageErrorKind(kind)  # a misspelt kind fails here, where it is written
