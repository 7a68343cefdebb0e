"""The storage layer: the store contract (:mod:`.contract`), the SQLite store (:mod:`.store`)
and what they build on. ``Changes`` (what a write changed) is importable from here."""

from radiculopathy_desktop.storage.changes import Changes

__all__ = ["Changes"]
