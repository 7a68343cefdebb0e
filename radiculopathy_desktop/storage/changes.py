"""What a write changed, so views know whether to refresh (Anki's ``OpChanges``).

Its own module so every storage module (and the second storage engine) can return it
without importing the SQLite store."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from radiculopathy_desktop.domain.intake import Case


@dataclass(frozen=True)
class Changes:
    """What a write changed, so views know whether to refresh."""

    case_ids: tuple[str, ...] = ()
    worklist: bool = False
    patients: bool = False
    assessments: bool = False
    settings: bool = False
    drafts: bool = False
    case: Case | None = field(default=None, compare=False)  # the case after the change, when one case changed
    #: a keyed save that found its record already on the case: nothing was written (the
    #: message says "Already saved" from this, the store's own answer, red-team rt6 F6)
    already_saved: bool = field(default=False, compare=False)
    #: with ``already_saved``: the visit or decision saved with the write key, as it is on the
    #: case (a decision retried after a red flag was raised names what it acknowledged then)
    saved_record: Any = field(default=None, compare=False)
    #: a decision that re-opened a closed case while the patient had another open case, made
    #: deliberately as a new episode: the audit's ``new_episode_while_open`` entries (rt16 F2)
    new_episode_while_open: tuple = field(default=(), compare=False)
