"""Who hears that the stored review settings could not all be used (red-team rt7 R3).

A damaged or hand-edited settings row never stops the app: the store uses the default
of whatever it cannot read (``engine_common.review_settings_from_text``) and says so here,
so the person using it is told which setting and how to repair it, never left unaware
that the defaults are in use. A front end sets :data:`listener` (the command line prints
each note once on stderr); the window reads the same notes itself
(``engine_common.review_settings_problems``). Kept in this tiny module so setting it
imports no storage code. Only setting names and values pass through it, never patient data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # pragma: no cover
    from radiculopathy_desktop.domain.settings import StoredSettingsProblem

#: ``listener(problems)``: each time a store reads stored review settings that are not all usable.
listener: "Callable[[tuple[StoredSettingsProblem, ...]], None] | None" = None


def tell(problems: "tuple[StoredSettingsProblem, ...]") -> None:
    if problems and listener is not None:
        listener(problems)
