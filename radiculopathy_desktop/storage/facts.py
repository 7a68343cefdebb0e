"""The review facts stored with each case (the worklist's precomputed columns) and the
fingerprint of the settings they were computed under.

Below :mod:`~radiculopathy_desktop.storage.store` (which writes them) and
:mod:`~radiculopathy_desktop.storage.worklist` (which reads them, and computes them for
the cases it takes the exact path for): one definition of the columns for both.
"""

from __future__ import annotations

import json
from typing import Any

from radiculopathy_desktop.digests import sha256

from radiculopathy_desktop.domain.followup import REVIEW_FACTS_VERSION, ReviewFacts
from radiculopathy_desktop.domain.settings import ReviewSettings

# Settings that change the stored review facts (improvement and resolution); the
# window and lead only change the clock, which the worklist applies at query time.
FACT_SETTINGS = ("mcid_leg_nrs_points", "mcid_nrs_percent", "mcid_odi_points", "mcid_rmdq_points",
                 "resolved_leg_nrs_max", "resolved_odi_max", "resolved_rmdq_max")
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode


def _json(value: Any) -> str:
    """Compact, key-sorted JSON (canonical: equal data gives equal text)."""
    if not value and isinstance(value, (dict, list, tuple)):
        return "{}" if isinstance(value, dict) else "[]"
    return _ENCODE(value)


def facts_key(s: ReviewSettings) -> str:
    """A short fingerprint of the settings the stored review facts depend on."""
    values = {k: getattr(s, k) for k in FACT_SETTINGS} | {"facts_version": REVIEW_FACTS_VERSION}
    return sha256(_json(values).encode()).hexdigest()[:16]


def _bool_or_none(value: bool | None) -> int | None:
    return None if value is None else int(value)


def facts_columns(facts: ReviewFacts) -> dict:
    return {
        "care_start_ord": facts.care_start_date.toordinal(),
        "latest_event_ord": facts.latest_event_date.toordinal(),
        "has_follow_up": int(facts.has_follow_up),
        "improving": _bool_or_none(facts.improving),
        "trend_rank": {False: 0, None: 1, True: 2}[facts.improving],
        "resolved": int(facts.resolved),
        # immediate: 1 an unacknowledged red flag, 2 cauda equina questions unanswered, 0 neither
        "immediate": 1 if facts.immediate else (2 if facts.ask_red_flags_reason else 0),
        "immediate_reason": facts.immediate_reason if facts.immediate else facts.ask_red_flags_reason,
        "last_decision_kind": facts.last_decision_kind,
        "last_decision_date": facts.last_decision_date.isoformat() if facts.last_decision_date else None,
        "continue_until": facts.continue_until.isoformat() if facts.continue_until else None,
        "continue_until_ord": facts.continue_until.toordinal() if facts.continue_until else None,
        # the newest follow-up visit holding a score (None: none): what re-confirms
        # "Improving" (a visit without a score does not, fu16; m008)
        "follow_up_ord": facts.last_follow_up_date.toordinal() if facts.last_follow_up_date else None,
    }


FACT_COLUMNS = ("care_start_ord", "latest_event_ord", "has_follow_up", "improving", "trend_rank", "resolved", "immediate",
                "immediate_reason", "last_decision_kind", "last_decision_date", "continue_until",
                "continue_until_ord", "follow_up_ord")


# ---------------------------------------------------------------- facts history (m005)
#: Bumped when what case_fact_history holds changes: the one-time upgrade (``derived_version``)
#: then rewrites every case's rows.
HISTORY_VERSION = 1
#: The columns of ``case_fact_history`` (both engines), in the order of :func:`history_rows`.
HISTORY_COLUMNS = ("case_id", "from_ord", "until_ord", "facts_key", *FACT_COLUMNS, "last_visit_date", "visit_count",
                   "latest_leg_nrs")


def history_rows(case, s: ReviewSettings, key: str) -> list[tuple]:
    """The ``case_fact_history`` rows of one case: its review facts as of each date it has an
    event (:func:`~radiculopathy_desktop.domain.stored_case.facts_timeline`, the one rule),
    as the columns the cases row holds, with the span of days they hold for
    (``from_ord`` <= day < ``until_ord``; ``until_ord`` NULL on the latest row)."""
    from radiculopathy_desktop.domain.stored_case import facts_timeline

    out = []
    for span in facts_timeline(case, s):
        cols = facts_columns(span.facts)
        out.append((case.case_id, span.start.toordinal(), None if span.until is None else span.until.toordinal(),
                    key, *(cols[n] for n in FACT_COLUMNS), span.last_visit_date.isoformat(), span.visit_count,
                    span.latest_leg_nrs))
    return out


def history_insert_sql(mark: str) -> str:
    """Insert one case_fact_history row (``mark``: the driver's placeholder)."""
    return (f"INSERT INTO case_fact_history ({', '.join(HISTORY_COLUMNS)}) "
            f"VALUES ({', '.join([mark] * len(HISTORY_COLUMNS))})")
