"""Who hears how far the one-time derived-data upgrade is (``CaseStore.upgrade_derived_data``).

The first open of a database after an upgrade of the app rewrites every case's
derived rows (review facts, their history, dose alerts, outcome facts): a few seconds
at 10,000 cases, minutes at 100,000. A front end sets :data:`listener` so the person
waiting sees why (the command line: a line on the terminal); the window runs the
upgrade in a thread with its own dialog instead (``ui/upgrading.py``). Kept in this
tiny module so setting it imports no storage code. Only counts pass through it.
"""

from __future__ import annotations

from typing import Callable

#: ``listener(cases_done, cases_total)``: at the start (0), every :data:`STEP` cases and at the end.
listener: Callable[[int, int], None] | None = None
STEP = 1000
#: Below this many cases the upgrade takes about a second: nothing is said.
SAY_FROM = 2000
