"""What a write changed, so views know whether to refresh (Anki's ``OpChanges``).

Its own module so every storage module (and the second storage engine) can return it
without importing the SQLite store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from radiculopathy_desktop.domain.frozen import FrozenRecord

if TYPE_CHECKING:  # pragma: no cover
    from radiculopathy_desktop.domain.intake import Case


class Changes(FrozenRecord):
    """What a write changed, so views know whether to refresh.

    A hand-written frozen record (:mod:`radiculopathy_desktop.domain.frozen`, issue 17): the
    same fields, order, defaults, equality, hash and repr as the dataclass it was; equality and
    hash compare the first six fields (``case_ids`` to ``drafts``), not the rest."""

    _fields = ("case_ids", "worklist", "patients", "assessments", "settings", "drafts", "case", "already_saved",
               "saved_record", "new_episode_while_open")
    _compared = _fields[:6]

    case_ids: tuple[str, ...]
    worklist: bool
    patients: bool
    assessments: bool
    settings: bool
    drafts: bool
    case: Case | None  # the case after the change, when one case changed
    #: a keyed save that found its record already on the case: nothing was written (the
    #: message says "Already saved" from this, the store's own answer, red-team rt6 F6)
    already_saved: bool
    #: with ``already_saved``: the visit or decision saved with the write key, as it is on the
    #: case (a decision retried after a red flag was raised names what it acknowledged then)
    saved_record: Any
    #: a decision that re-opened a closed case while the patient had another open case, made
    #: deliberately as a new episode: the audit's ``new_episode_while_open`` entries (rt16 F2)
    new_episode_while_open: tuple

    def __init__(self, case_ids: tuple[str, ...] = (), worklist: bool = False, patients: bool = False,
                 assessments: bool = False, settings: bool = False, drafts: bool = False, case: Case | None = None,
                 already_saved: bool = False, saved_record: Any = None, new_episode_while_open: tuple = ()):
        self._set_fields(case_ids, worklist, patients, assessments, settings, drafts, case, already_saved,
                         saved_record, new_episode_while_open)
