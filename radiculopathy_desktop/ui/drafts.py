"""The draft-holder protocol: a view holding unfinished input that must not be lost.

The window asks every view that is a :class:`DraftHolder` (today the intake wizard) the
same two things, wherever the question comes from: keep the input as a draft now (the
crash guard, the lock), and whether the window may close (keep the draft, discard it,
or stay). Nothing probes a view's other methods to find out.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class DraftHolder(Protocol):
    def save_draft_now(self) -> bool:
        """Write any unsaved input to the draft at once; True when the input is kept as a draft.
        Never raises and never opens a dialog (it may run from a crash handler)."""

    def confirm_leave(self) -> bool:
        """The window is closing: keep a draft, discard it, or stay (False)."""


def draft_holders(window) -> list[DraftHolder]:
    """The views of ``window`` (built so far) that hold drafts."""
    views = getattr(window, "views", None) or {}
    return [view for view in views.values() if isinstance(view, DraftHolder)]
