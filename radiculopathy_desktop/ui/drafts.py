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


def typed_records(window) -> list:
    """The visit and decision dialogs of ``window`` (shown, or hidden by the lock) holding typed
    values not saved: each keeps them on this computer with ``save_draft_now`` (the lock, the crash
    guard), like the intake. Empty when no such dialog was ever opened (its module not loaded)."""
    import sys
    module = sys.modules.get("radiculopathy_desktop.ui.dialogs")
    if module is None or window is None:
        return []
    return [d for d in window.findChildren(module._CaseDialog) if not d._finished and d.has_input()]


def draft_holders(window) -> list[DraftHolder]:
    """The views of ``window`` (built so far) that hold drafts."""
    views = getattr(window, "views", None) or {}
    return [view for view in views.values() if isinstance(view, DraftHolder)]
