"""The surgical-review worklist in SQL: the engine's rule applied to stored facts.

:func:`radiculopathy_desktop.domain.followup.status_from_facts` is the rule. Each
case row keeps the :class:`~radiculopathy_desktop.domain.followup.ReviewFacts` the
engine computed as of the case's latest event (intake, visit or decision); those
facts hold for every ``as_of`` on or after that date, because nothing later is
ignored. The CASE expression below is ``status_from_facts`` written in SQL, with
``as_of`` and the window as parameters, so 100,000 cases are ranked in one query.

A case whose latest event is after ``as_of`` (a worklist "as of" a past date) is read
from its facts history (``case_fact_history``, m005): the row of the facts as of its
last event on or before ``as_of``, made by the same rule
(:func:`~radiculopathy_desktop.domain.stored_case.facts_timeline`) and written with the
case; the facts change only on event dates, so that row holds for the day. The same
CASE expression ranks it.

Cases neither covers take the exact path instead (facts recomputed for that ``as_of``
by the rule behind :func:`~radiculopathy_desktop.domain.followup.review_facts`, reading
the stored document through
:func:`~radiculopathy_desktop.domain.stored_case.stored_facts_as_of`, and put in a
temporary table that joins the same query):

* the facts (and the history) were computed with different improvement/resolution
  thresholds than the settings asked for;
* a case with events after ``as_of`` has no history row for that day under these
  settings (a database not yet upgraded, a row lost).

Cases whose intake is after ``as_of`` did not exist yet and are left out.
``tests/storage/test_worklist_property.py`` checks the result equals
``surgical_review(case, as_of).status`` for thousands of generated cases.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from typing import TYPE_CHECKING, Iterable, Sequence

from radiculopathy_desktop.domain.followup import (
    REASON_INPUTS,
    STATUS_ORDER,
    TERMINAL_DECISIONS,
    WORKLIST_STATUSES,
    ReviewFacts,
    ReviewStatus,
    review_facts,
    status_from_facts,
)
from radiculopathy_desktop.domain.settings import ReviewSettings
from radiculopathy_desktop.domain.build import collector_paused, direct_constructor
from radiculopathy_desktop.domain.vocabulary import DECISIONS
from radiculopathy_desktop.domain.vocab import wish_stands
from radiculopathy_desktop.storage.facts import facts_columns, facts_key

if TYPE_CHECKING:  # pragma: no cover
    from radiculopathy_desktop.storage.store import CaseStore

log = logging.getLogger(__name__)

_from_ord = dt.date.fromordinal
_from_iso = dt.date.fromisoformat
_RANK = {status: n for n, status in enumerate(STATUS_ORDER)}
_TERMINAL_SQL = ", ".join(f"'{k}'" for k in sorted(TERMINAL_DECISIONS))

# status_from_facts, in SQL, yielding the status's rank in STATUS_ORDER.
# days = :as_of - care_start_ord, so "days < start - lead" is "care_start_ord > :as_of - start + lead".
# The immediate column: 1 an unacknowledged red flag, 2 cauda equina questions unanswered.
# Improving (keep under review): improving = 1 (improved and not stalled) and the last
# follow-up visit holding a score (follow_up_ord, m008; a visit without one does not
# re-confirm it, fu16) on or after :improving_seen_ord.
_IMPROVING_NOW = "c.improving = 1 AND c.has_follow_up = 1 AND c.follow_up_ord >= :improving_seen_ord"
_NOT_IMPROVING_NOW = ("(c.improving IS NOT 1 OR c.has_follow_up = 0 OR c.follow_up_ord IS NULL "
                      "OR c.follow_up_ord < :improving_seen_ord)")
STATUS_RANK_SQL = f"""CASE
    WHEN c.immediate = 1 THEN {_RANK[ReviewStatus.IMMEDIATE]}
    WHEN c.last_decision_kind IN ({_TERMINAL_SQL}) THEN {_RANK[ReviewStatus.CLOSED]}
    WHEN c.immediate = 2 THEN {_RANK[ReviewStatus.ASK_RED_FLAGS]}
    WHEN c.last_decision_kind = 'continue_conservative_care' AND c.continue_until_ord IS NOT NULL
         AND :as_of < c.continue_until_ord THEN {_RANK[ReviewStatus.SNOOZED]}
    WHEN c.resolved = 1 THEN {_RANK[ReviewStatus.NOT_DUE]}
    WHEN c.care_start_ord > :not_due_after THEN {_RANK[ReviewStatus.NOT_DUE]}
    WHEN c.care_start_ord > :upcoming_after THEN {_RANK[ReviewStatus.UPCOMING]}
    WHEN {_IMPROVING_NOW} THEN {_RANK[ReviewStatus.IMPROVING]}
    WHEN c.care_start_ord >= :due_from THEN
         CASE WHEN c.has_follow_up = 0 THEN {_RANK[ReviewStatus.NEEDS_FOLLOW_UP]} ELSE {_RANK[ReviewStatus.DUE]} END
    ELSE {_RANK[ReviewStatus.OVERDUE]}
END"""
# Within a status: not improving, then unknown, then improving; then longest waiting.
TREND_RANK_SQL = "CASE c.improving WHEN 0 THEN 0 WHEN 1 THEN 2 ELSE 1 END"

ROW_COLUMNS = _ROW_COLUMNS = ("case_id", "patient_id", "side", "care_start_ord", "improving", "has_follow_up", "resolved",
                "immediate", "immediate_reason", "last_decision_kind", "last_decision_date", "continue_until",
                "latest_event_ord", "last_visit_date", "visit_count", "baseline_leg_nrs", "latest_leg_nrs",
                "patient_name", "follow_up_ord")
#: Where a query's row holds the status rank: after the columns of :data:`ROW_COLUMNS`.
RANK_AT = len(ROW_COLUMNS)
_FACT_COLUMNS = ("care_start_ord", "latest_event_ord", "has_follow_up", "improving", "trend_rank", "resolved",
                 "immediate",
                 "immediate_reason", "last_decision_kind", "last_decision_date", "continue_until",
                 "continue_until_ord", "follow_up_ord")


_FACT_FIELDS = ("care_start_date", "has_follow_up", "improving", "resolved", "immediate", "immediate_reason",
                "last_decision_kind", "last_decision_date", "continue_until", "latest_event_date",
                "ask_red_flags_reason", "last_follow_up_date")


def _facts_builder():
    """ReviewFacts from its values in :data:`_FACT_FIELDS` order: filled directly while the
    dataclass has exactly those fields (no per-field ``object.__setattr__``, a tenth of a
    worklist row's time), else through its own constructor by name."""
    if tuple(f.name for f in dataclasses.fields(ReviewFacts)) == _FACT_FIELDS:
        return direct_constructor(ReviewFacts)
    return lambda *values: ReviewFacts(**dict(zip(_FACT_FIELDS, values)))


# The query columns (indexes into the row) each ReviewFacts field is made from in
# WorklistRow.facts(): equal columns give equal fields.
_FIELD_COLUMNS = {"care_start_date": (3,), "improving": (4,), "has_follow_up": (5,), "resolved": (6,),
                  "immediate": (7,), "immediate_reason": (7, 8), "last_decision_kind": (9,),
                  "last_decision_date": (10,), "continue_until": (11,), "latest_event_date": (12,),
                  "ask_red_flags_reason": (7, 8), "last_follow_up_date": (5, 18)}


def _reason_keys() -> list:
    """Per status rank, the row's key for its sentence: the rank and the columns of the
    fields the domain declares the sentence reads (``REASON_INPUTS``), so rows whose
    sentence cannot differ share one ``status_from_facts`` call."""
    from operator import itemgetter

    keys = []
    for status in STATUS_ORDER:
        cols = sorted({c for name in REASON_INPUTS[status] for c in _FIELD_COLUMNS[name]})
        keys.append(itemgetter(RANK_AT, *cols))  # the status rank first, so the key is always a tuple
    return keys


_REASON_KEYS = _reason_keys()


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


#: what :meth:`WorklistRow.output_parts` says of a row's marks: none; only the patient's "would not
#: consider surgery" (its medicine and pregnancy cells are empty); a medicine-safety span, a
#: pregnancy or a differing pregnancy (the writers then take the row cell by cell)
MARKS_NONE, MARKS_WISH, MARKS_OTHER = 0, 1, 2


class WorklistRow:
    """One case on the worklist as of a date. ``reason`` is the engine's sentence.

    Built straight from the query's tuple (100,000 rows must load in well under a
    second), so dates and the reason are decoded on first access.
    """

    __slots__ = ("raw", "as_of", "settings", "status", "dose_alerts", "_reasons", "_spans", "_pregnancy",
                 "pregnancy_differs", "consider_no")

    def __init__(self, raw: tuple, as_of: dt.date, settings: ReviewSettings, reasons: dict | None = None):
        #: the query's row: the columns of :data:`ROW_COLUMNS` (in that order), then the status
        #: rank; kept as read (never replaced), and a slot, not a property: the batch writers and
        #: the window read it for every row (issue 17)
        self.raw = raw
        self.as_of = as_of
        self.settings = settings
        self.status: ReviewStatus = STATUS_ORDER[raw[RANK_AT]]
        # The engine's sentence depends only on the status and the facts the domain declares
        # it reads (REASON_INPUTS), as_of and the settings, which the rows of one query share:
        # rows with the same key share one computed sentence (``reasons``, per query).
        self._reasons = {} if reasons is None else reasons
        #: current doses above this patient's maximum ("Reduce dose"), filled by
        #: :func:`attach_dose_alerts`; () when none
        self.dose_alerts: tuple[str, ...] = ()
        self._spans = ()  # the stored medicine-safety spans (domain.worklist_marks), with the dose alerts
        self._pregnancy = None  # (weeks, date recorded) when a pregnancy is recorded
        #: ``domain.episodes.PregnancyDiffers`` while another case of the patient contradicts this
        #: one's pregnancy answer (:func:`attach_pregnancy_differs`); None otherwise
        self.pregnancy_differs = None
        #: path33: the patient would not consider surgery (the intake's answer "no", stored with the
        #: marks: ``"consider": "no"``); the worklist's status says it unless a red flag stands
        #: (:attr:`would_not_consider_surgery`, path34)
        self.consider_no = False

    def __repr__(self) -> str:
        return f"WorklistRow({self.case_id!r}, {self.status.value}, as_of={self.as_of.isoformat()})"

    case_id = property(lambda self: self.raw[0], doc="the case (episode) id")
    patient_id = property(lambda self: self.raw[1])
    side = property(lambda self: self.raw[2])
    care_start_date = property(lambda self: _from_ord(self.raw[3]), doc="conservative care started")
    improving = property(lambda self: None if self.raw[4] is None else bool(self.raw[4]),
                         doc="True, False, or None when there are no comparable follow-up scores")
    has_follow_up = property(lambda self: bool(self.raw[5]))
    resolved = property(lambda self: bool(self.raw[6]))
    immediate_reason = property(lambda self: self.raw[8] if self.raw[7] == 1 else None)
    ask_red_flags_reason = property(lambda self: self.raw[8] if self.raw[7] == 2 else None)
    last_decision_kind = property(lambda self: self.raw[9])
    last_decision_date = property(lambda self: _from_iso(self.raw[10]) if self.raw[10] else None)
    continue_until = property(lambda self: _from_iso(self.raw[11]) if self.raw[11] else None)
    latest_event_date = property(lambda self: _from_ord(self.raw[12]))
    last_visit_date = property(lambda self: _from_iso(self.raw[13]), doc="baseline or latest follow-up")
    visit_count = property(lambda self: self.raw[14], doc="visits including the baseline")
    baseline_leg_nrs = property(lambda self: self.raw[15])
    latest_leg_nrs = property(lambda self: self.raw[16])
    patient_name = property(lambda self: self.raw[17])

    @property
    def medicine_alerts(self):
        """The medicine-safety alerts of the medicines taken on ``as_of`` (worst first; () when
        none): :class:`~radiculopathy_desktop.domain.worklist_marks.AlertMark`, the case page's
        alerts (:func:`~radiculopathy_desktop.domain.worklist_marks.alert_marks`), stored with
        the case as spans of days and read for ``as_of``."""
        if not self._spans and self.pregnancy_differs is None:
            return ()  # the usual row: no marks module (it loads the case rules) before the first paint
        from radiculopathy_desktop.domain.worklist_marks import marks_from_json, with_pregnancy_differs

        marks = marks_from_json(self._spans, self.as_of) if self._spans else ()
        # the ratings her medicines would carry if pregnant as the other case records, in the
        # one strongest-first order with her own (rt21 F2/F7)
        return with_pregnancy_differs(marks, self.pregnancy_differs) if self.pregnancy_differs else marks

    @property
    def has_marks(self) -> bool:
        """Whether the row has stored medicine-safety spans, a pregnancy or a pregnancy differing
        from another case's (may mark it), or the patient would not consider surgery (path33)."""
        return (bool(self._spans) or self._pregnancy is not None or self.pregnancy_differs is not None
                or self.consider_no)

    @property
    def medicine_alert_words(self) -> str:
        """The alerts on one line ("Contraindicated: ibuprofen. Stop it and ..."); "" when none.
        While another case of the patient contradicts its pregnancy and no if-pregnant rating says
        so (the pregnant case's own row; gp19 F11), the line opens with "Pregnancy differs: case X
        records ...", the words the window's Why and the summary's page 1 give."""
        from radiculopathy_desktop.domain.worklist_marks import IF_PREGNANT, marks_words

        marks = self.medicine_alerts
        words = marks_words(marks)
        differs = self.pregnancy_differs
        if words and differs is not None and not any(m.label.endswith(IF_PREGNANT) for m in marks):
            words = f"{differs.mark_words()}. {words}"
        return words

    @property
    def pregnancy(self) -> tuple[str, str]:
        """A recorded pregnancy on ``as_of``: (short mark, sentence), ("", "") when none
        (:func:`~radiculopathy_desktop.domain.worklist_marks.pregnancy_mark`: weeks moved on to the
        date; past 42 weeks, ask whether she is still pregnant)."""
        if self._pregnancy is None and self.pregnancy_differs is None:
            return ("", "")  # the usual row: no marks module (it loads the case rules) before the first paint
        from radiculopathy_desktop.domain.worklist_marks import (pregnancy_differs_mark, pregnancy_mark,
                                                                 pregnancy_mark_from_records)

        if self._pregnancy is None:
            mark = ("", "")
        elif len(self._pregnancy) == 2 and not isinstance(self._pregnancy[0], list):
            weeks, recorded = self._pregnancy  # stored by round 13's first version: [weeks, date]
            mark = pregnancy_mark(weeks, _from_iso(recorded), self.as_of)
        else:
            # the answers recorded (intake, visits): the one standing on the date (rt17 F1)
            mark = pregnancy_mark_from_records(self._pregnancy, self.as_of)
        # another case of the patient contradicting it: said on both cases' rows (gp18 F1)
        return pregnancy_differs_mark(mark, self.pregnancy_differs)

    def take_stored_alerts(self, text: str) -> None:
        """Fill the marks from the row's stored medicine_alerts JSON (a list: the dose alerts as
        stored before wl17, until the upgrade rewrites it)."""
        stored = json.loads(text)
        if isinstance(stored, list):
            self.dose_alerts = tuple(stored)
            return
        self.dose_alerts = tuple(stored.get("dose", ()))
        self._spans = stored.get("spans", ())
        self._pregnancy = stored.get("pregnancy")
        self.consider_no = stored.get("consider") == "no"

    @property
    def would_not_consider_surgery(self) -> bool:
        """The intake's answer "no" (:attr:`consider_no`) as the row carries it (JSON, CSV, the
        table): not while a red flag stands or is unanswered (path34, ``vocab.wish_stands``: red
        flags override everything); the status line leaves it out on a closed case too."""
        return self.consider_no and wish_stands(self.status, True)

    @property
    def days_since_care_start(self) -> int:
        return self.as_of.toordinal() - self.raw[3]

    @property
    def weeks_since_care_start(self) -> int:
        return max(self.days_since_care_start, 0) // 7

    @property
    def trend(self) -> str:
        return {True: "improving", False: "not improving", None: "unknown"}[self.improving]

    def facts(self) -> ReviewFacts:
        """The engine's reduced facts for this case on ``as_of``."""
        (care_start, improving, has_follow_up, resolved, immediate, why, kind, decided, until, latest,
         _last_visit) = self.raw[3:14]
        follow_up = self.raw[18]
        return _new_facts(  # the fields of ReviewFacts, in _FACT_FIELDS order
            _from_ord(care_start), bool(has_follow_up), None if improving is None else bool(improving),
            bool(resolved), immediate == 1, why if immediate == 1 else None, kind,
            _from_iso(decided) if decided else None, _from_iso(until) if until else None, _from_ord(latest),
            why if immediate == 2 else None, _from_ord(follow_up) if has_follow_up and follow_up else None)

    @property
    def reason(self) -> str:
        """Why the case has its status, in the engine's words (computed on demand, once per
        distinct status and declared inputs of the sentence in the query)."""
        raw = self.raw
        key = _REASON_KEYS[raw[RANK_AT]](raw)
        text = self._reasons.get(key)
        if text is None:
            text = self._reasons[key] = status_from_facts(self.facts(), self.as_of, self.settings)[1]
        return text

    def output_parts(self) -> tuple:
        """``(self.raw, marks, self.reason)`` in one call: what the batch writers (``worklist
        --format json|csv``, ``export cases``) read of every row: one call instead of three
        properties saves 1.1-1.5 % of those paths' instructions at 10,000 rows (issue 17,
        callgrind); the sentence is the same cached one ``reason`` gives (a key not yet in the
        query's cache goes through ``reason`` itself). ``marks`` is truthy exactly when
        :attr:`has_marks` is: :data:`MARKS_NONE` (0), :data:`MARKS_WISH` (1: the patient's "would
        not consider surgery" only, no medicine-safety span, pregnancy or differing pregnancy, so
        the medicine and pregnancy cells are empty and only ``would_not_consider_surgery`` differs
        from an unmarked row: the writers keep such a row on their fast path, perfwl35) or
        :data:`MARKS_OTHER` (2)."""
        raw = self.raw
        text = self._reasons.get(_REASON_KEYS[raw[RANK_AT]](raw))
        if text is None:
            text = self.reason
        if self._spans or self._pregnancy is not None or self.pregnancy_differs is not None:
            return raw, MARKS_OTHER, text
        return raw, MARKS_WISH if self.consider_no else MARKS_NONE, text

    def to_dict(self) -> dict:
        return {
            "case_id": self.case_id,
            "patient_id": self.patient_id,
            "patient_name": self.patient_name,
            "status": self.status.value,
            "status_label": self.status.label,
            "as_of": self.as_of.isoformat(),
            "care_start_date": self.care_start_date.isoformat(),
            "days_since_care_start": self.days_since_care_start,
            "weeks_since_care_start": self.weeks_since_care_start,
            "improving": self.improving,
            "has_follow_up": self.has_follow_up,
            "last_visit_date": self.last_visit_date.isoformat(),
            "visit_count": self.visit_count,
            "baseline_leg_nrs": self.baseline_leg_nrs,
            "latest_leg_nrs": self.latest_leg_nrs,
            "last_decision": None if self.last_decision_kind is None else {
                "kind": self.last_decision_kind,
                "label": DECISIONS.get(self.last_decision_kind, str(self.last_decision_kind)),
                "date": self.last_decision_date.isoformat() if self.last_decision_date else None,
                "until": self.continue_until.isoformat() if self.continue_until else None},
            "reason": self.reason,
            "dose_alerts": list(self.dose_alerts),
            "medicine_alerts": [{"status_label": m.label, "medicines": list(m.medicines), "action": m.action,
                                 "opioid_total": _total_json(m.label, m.total),
                                 # avoidside: the medicine to keep, only where there is one (others unchanged)
                                 **({"keep": list(m.kept)} if getattr(m, "kept", ()) else {}),
                                 # mtxavoid: a pair reviewed with the prescriber, only where there is one
                                 **({"review_with_prescriber": list(m.medicines)} if getattr(m, "both", False)
                                    else {})}
                                for m in self.medicine_alerts],
            "pregnancy": self.pregnancy[1] or None,
            # path33: the patient's recorded wish (intake), which the status line says
            "would_not_consider_surgery": self.would_not_consider_surgery,
        }


def make_rows(raws: Iterable[tuple], as_of: dt.date, settings: ReviewSettings) -> list[WorklistRow]:
    """``[WorklistRow(r, as_of, settings, reasons) for r in raws]`` with one ``reasons`` cache for
    the query, each row's slots filled here as ``WorklistRow.__init__`` fills them, without a
    call of ``__init__`` per row (its call was 2 % of ``worklist --format json`` at 10,000
    rows; issue 17). ``tests/storage/test_worklist_make_rows.py`` checks every slot is the
    constructor's."""
    reasons: dict = {}
    new, cls, order = object.__new__, WorklistRow, STATUS_ORDER
    rows = []
    append = rows.append
    for raw in raws:
        row = new(cls)
        row.raw = raw
        row.as_of = as_of
        row.settings = settings
        row.status = order[raw[RANK_AT]]
        row._reasons = reasons
        row.dose_alerts = ()
        row._spans = ()
        row._pregnancy = None
        row.pregnancy_differs = None
        row.consider_no = False
        append(row)
    return rows


def _total_json(label: str, total: str) -> dict | None:
    """A mark's opioid total for JSON (worklist_marks.total_json: the one rule; mme23)."""
    if not total:
        return None
    from radiculopathy_desktop.domain.worklist_marks import total_json

    return total_json(label, total)


_new_facts = _facts_builder()


_ALERTS_SCAN_FROM = 2000  # rows in a query from which reading all of the profile's alerts is cheaper


def attach_dose_alerts(store: "CaseStore", rows: list[WorklistRow], profile: str) -> list[WorklistRow]:
    """Fill ``dose_alerts`` on ``rows`` (just made by :func:`query`, so with none yet) from
    the stored medicine alerts for ``profile`` (one primary-key lookup per page of rows;
    the status queries are untouched)."""
    found: dict[str, str] = {}
    ids = [] if len(rows) > _ALERTS_SCAN_FROM else [r.raw[0] for r in rows]  # raw[0]: the case id
    if len(rows) > _ALERTS_SCAN_FROM:
        # Most of the cases: one read of the profile's alerts (only cases with current
        # medicines or a pregnancy have a row) instead of a lookup per case.
        found = dict(store._db.conn.execute(
            "SELECT case_id, alerts_json FROM medicine_alerts WHERE profile = ?", (profile,)))
        ids = ()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        found.update(store._db.conn.execute(
            f"SELECT case_id, alerts_json FROM medicine_alerts WHERE profile = ? AND case_id IN ({marks})",
            (profile, *chunk)))
    take_stored_alerts(rows, found)
    return rows


#: The patients who may have a pregnancy differing between their cases: an ID of a case recording
#: a pregnancy (``cases.pregnancy``, m010: ``[[date, weeks or false, 0/1], ...]``; a record whose
#: weeks are not ``false``) whose patient key (``cases_patient_key`` index, m009) another case
#: shares, with a pregnancy answer or none (rt20 F2: a case never asked reads her not pregnant).
#: Two "not pregnant" never differ, so a patient whose answers are all "not pregnant" is never
#: loaded (rt20 F5). Both engines; no parameter. Rows: (patient ID, that case's ``pregnancy``),
#: read by :func:`pregnancy_candidates` for a pregnancy standing on the list's date.
PREGNANCY_CANDIDATES_SQL = (
    "SELECT c.patient_id, c.pregnancy FROM cases c WHERE c.pregnancy IS NOT NULL "
    "AND replace(replace(c.pregnancy, ' ', ''), '\",false', '') LIKE '%\",%' AND EXISTS "
    "(SELECT 1 FROM cases k WHERE k.patient_key = c.patient_key AND k.case_id <> c.case_id)")


#: :data:`PREGNANCY_CANDIDATES_SQL` for the patients of some cases only (SQLite: ``:ids``, a JSON list
#: of case IDs; by ``patient_key``, the key ``CaseStore.patient_cases`` reads a patient's cases by):
#: a page of the list needs the check for its own patients only (st20: the whole database's pregnant
#: patients were checked, and the medicine engine loaded for them, before the first paint).
PREGNANCY_CANDIDATES_ON_SQL = (PREGNANCY_CANDIDATES_SQL + " AND c.patient_key IN "
                               "(SELECT p.patient_key FROM cases p WHERE p.case_id IN (SELECT value FROM json_each(:ids)))")

#: From how many listed cases :func:`listed_pregnancy_candidates` reads the whole database's few
#: candidates instead of :data:`PREGNANCY_CANDIDATES_ON_SQL` (a page of the window: 200 cases).
PREGNANCY_SCAN_FROM = 2000
#: :data:`PREGNANCY_CANDIDATES_SQL` with each candidate's patient key (the same rows, the same order).
_CANDIDATES_KEYED_SQL = PREGNANCY_CANDIDATES_SQL.replace("SELECT c.patient_id, c.pregnancy FROM",
                                                          "SELECT c.patient_id, c.pregnancy, c.patient_key FROM", 1)
assert _CANDIDATES_KEYED_SQL != PREGNANCY_CANDIDATES_SQL


#: The (patient_key, case_id) rows of the cases of some patient keys (SQLite: a JSON list), by the
#: ``cases_patient_key`` index.
_CASES_OF_KEYS_SQL = "SELECT patient_key, case_id FROM cases WHERE patient_key IN (SELECT value FROM json_each(?))"


def listed_pregnancy_candidates(conn, on: "Sequence[str]", cases_of_keys=None) -> list[tuple[str, str]]:
    """The rows :data:`PREGNANCY_CANDIDATES_ON_SQL` gives for the listed cases ``on``, for a long
    list (the batch outputs: every case, issue 17): the whole database's candidates (a pregnant
    patient with another case: few), each kept when a listed case shares its patient key. The ON
    query looked up the key of every listed case by its ID (a JSON list of 100,000 IDs, then as many
    index searches: a sixth of ``worklist --format json``) to keep the same few rows.
    ``cases_of_keys(keys)``: the (patient_key, case_id) rows of those keys' cases, for an engine
    other than SQLite (the clinic server: ``= ANY(%s)``, which sent every listed ID before)."""
    rows = conn.execute(_CANDIDATES_KEYED_SQL).fetchall()
    if not rows:
        return []
    listed = set(on)
    keys = sorted({key for _pid, _text, key in rows})
    found = (cases_of_keys(keys) if cases_of_keys is not None
             else conn.execute(_CASES_OF_KEYS_SQL, (json.dumps(keys),)))
    kept = {key for key, cid in found if cid in listed}
    return [(pid, text) for pid, text, key in rows if key in kept]


def pregnancy_candidates(rows: Iterable[tuple[str, str]], as_of: dt.date) -> list[str]:
    """The patient IDs of :data:`PREGNANCY_CANDIDATES_SQL` rows whose case gives her pregnant on
    ``as_of`` (its standing answer on that day, recorded on or before it and not past its plausible
    end: ``domain.intake.pregnancy_status_from_records``, the case page's rule): only then can
    another case differ from it on that day (rt20 F5: two "not pregnant" were loaded and assessed
    for every woman asked at each episode)."""
    rows = list(rows)
    if not rows:  # the usual case: opening the worklist loads no case rules (test_startup_imports)
        return []
    from radiculopathy_desktop.domain.intake import pregnancy_status_from_records

    out = []
    for pid, text in rows:
        records = json.loads(text)
        if any(dt.date.fromisoformat(r[0]) > as_of for r in records if not r[2]):
            continue  # its intake is after the list's date: the case did not exist yet
        status = pregnancy_status_from_records(records, as_of)
        on = status.on_date
        if (status.answer == "yes" and status.recorded_on is not None and status.recorded_on <= as_of
                and on is not None and not on.beyond_plausible_end):
            out.append(pid)
    return list(dict.fromkeys(out))


def pregnancy_differs_cases(store, candidates: Iterable[str], as_of: dt.date, profile: str,
                            today: dt.date | None = None) -> dict:
    """Case ID -> ``domain.episodes.PregnancyDiffers`` for every case of the ``candidates``
    (patient IDs, :data:`PREGNANCY_CANDIDATES_SQL`) that another case of the patient contradicts
    on its pregnancy on ``as_of`` (only the cases whose intake is on or before it): the one
    domain rule (:func:`~radiculopathy_desktop.domain.episodes.pregnancy_differs`), both engines
    (``store.patient_cases``). ``today``: the date today when ``as_of`` may be a past one (its
    words then say "on DATE", never "today"; None: ``as_of`` is today)."""
    from radiculopathy_desktop.domain.episodes import pregnancy_differs

    out: dict = {}
    for pid in dict.fromkeys(candidates):
        cases = [c for c in store.patient_cases(pid) if c.intake.visit_date <= as_of]
        if len(cases) < 2:
            continue
        for case in cases:
            if case.case_id not in out:
                found = pregnancy_differs(case, cases, as_of, profile, today)
                if found is not None:
                    out[case.case_id] = found
    return out


def attach_pregnancy_differs(rows: list[WorklistRow], differs: dict) -> list[WorklistRow]:
    """Give each row its case's :func:`pregnancy_differs_cases` entry (both engines)."""
    if differs:
        for r in rows:
            r.pregnancy_differs = differs.get(r.raw[0])
    return rows


def listed_for_pregnancy(differs: dict) -> frozenset[str]:
    """The cases Medicine alerts lists because of a pregnancy contradiction: their medicines would
    carry an alert at the other case's weeks (``PregnancyDiffers.listed``)."""
    return frozenset(cid for cid, d in differs.items() if d.listed)


def alert_case_ids(stored: Iterable[tuple[str, str]], as_of: dt.date) -> frozenset[str]:
    """The cases whose stored medicine_alerts JSON (``stored``: (case id, text) rows of one
    profile) holds a medicine-safety alert on ``as_of`` (both engines)."""
    from radiculopathy_desktop.domain.worklist_marks import marks_from_json

    out = set()
    for cid, text in stored:
        entry = json.loads(text)
        if isinstance(entry, dict) and entry.get("spans") and marks_from_json(entry["spans"], as_of):
            out.add(cid)
    return frozenset(out)


#: The cases whose stored medicine_alerts row for ``:profile`` holds a span with a mark on
#: ``:as_of`` (a day number): a range of the narrow ``medicine_alert_spans`` index (m012, kept by
#: triggers on medicine_alerts from the stored spans, ``schema.ALERT_SPANS_FROM_ROW``), so the
#: count and the filter read the alert cases only (span19; wl18 walked every stored row's JSON:
#: 1.8 s at 100,000 cases). The same rule as :func:`alert_case_ids` and ``marks_from_json``.
ALERT_IDS_SQL = ("SELECT DISTINCT sp.case_id FROM main.medicine_alert_spans sp "
                 "WHERE sp.profile = :profile AND sp.from_ord <= :as_of "
                 "AND (sp.until_ord IS NULL OR :as_of < sp.until_ord)")
#: What the Medicine alerts filter lists: the alert cases and the cases given in ``:also`` (a JSON
#: list: a pregnancy differing between one patient's cases, :func:`listed_for_pregnancy`), distinct.
LISTED_IDS_SQL = f"{ALERT_IDS_SQL} UNION SELECT value FROM json_each(:also)"


def count_medicine_alerts(store: "CaseStore", as_of: dt.date, s: ReviewSettings, statuses, profile: str,
                          also_ids: Iterable[str] = ()) -> int:
    """How many cases with one of ``statuses`` on ``as_of`` carry a medicine-safety alert on
    that date under ``profile``: ``len(store.worklist(as_of, statuses, profile=profile,
    medicine_alerts_only=True))`` in one SQL count over the listed cases only (their ids from
    the span index, then each one's status by its primary key: no row built, no stored JSON
    read). ``also_ids``: cases listed besides (a pregnancy differing between cases:
    :func:`listed_for_pregnancy`)."""
    key = facts_key(s)
    exact = _prepare_exact(store, as_of, s, key)
    ranks = ", ".join(str(_RANK[w]) for w in _status_list(statuses)) or "-1"
    params = _params(as_of, s) | {"facts_key": key, "profile": profile, "also": json.dumps(sorted(also_ids))}
    sql = (f"SELECT count(*) FROM ({_source_sql(exact, only=LISTED_IDS_SQL)}) w "
           f"WHERE w.status_rank IN ({ranks})")
    return store._db.conn.execute(sql, params).fetchone()[0]


def case_ids(rows: Iterable[WorklistRow]) -> list[str]:
    """The rows' case IDs, in order: ``[r.case_id for r in rows]`` read from each row's tuple
    (not through the property: a Python call per row, 1 % of ``worklist --format json`` at
    10,000 rows; issue 17)."""
    return [r.raw[0] for r in rows]


#: The stored medicine_alerts JSON of a case marked only by the patient's "would not consider
#: surgery" (path33: no dose alert, span or pregnancy), as the store writes it (compact): a third
#: of the demo cohort. :func:`take_stored_alerts` sets ``consider_no`` for this exact text without
#: decoding it (3,355 ``json.loads`` were a third of the Python side of a 10,000-row query; issue
#: 17, perfwl35); any other text, this document written otherwise included, is decoded as before.
WISH_ONLY_ALERTS = json.dumps({"consider": "no"}, separators=(",", ":"))


def take_stored_alerts(rows: list[WorklistRow], found: dict[str, str]) -> None:
    """Fill each row's marks from its stored medicine_alerts JSON (``found``: case id -> text;
    both engines). A row is made with none; only the rows with a stored row are filled (the
    text :data:`WISH_ONLY_ALERTS` sets what ``WorklistRow.take_stored_alerts`` would: ``consider_no``)."""
    if found:
        get = found.get
        wish_only = WISH_ONLY_ALERTS
        for r in rows:
            text = get(r.raw[0])
            if text is not None:
                if text == wish_only:
                    r.consider_no = True
                else:
                    r.take_stored_alerts(text)


def _params(as_of: dt.date, s: ReviewSettings) -> dict:
    day = as_of.toordinal()
    return {
        "as_of": day,
        "not_due_after": day - s.window_start_day + s.upcoming_lead_days,
        "upcoming_after": day - s.window_start_day,
        "due_from": day - s.window_end_day,
        "improving_seen_ord": day - s.improving_recheck_days,
    }


def _status_list(statuses: Iterable[ReviewStatus | str] | None) -> list[ReviewStatus]:
    if statuses is None:
        return list(WORKLIST_STATUSES)
    out = []
    for item in statuses:
        out.append(item if isinstance(item, ReviewStatus) else ReviewStatus(str(item)))
    return out


# Rows whose stored facts do not hold on :as_of under :facts_key: facts made with other
# thresholds, or events after the date. Three range searches of cases_fresh (the sets
# are disjoint), never a scan of 100,000 rows.
_STALE_ROWIDS = ("SELECT rowid FROM main.cases INDEXED BY cases_fresh WHERE facts_key < :facts_key "
                 "UNION ALL SELECT rowid FROM main.cases INDEXED BY cases_fresh WHERE facts_key > :facts_key "
                 "UNION ALL SELECT rowid FROM main.cases INDEXED BY cases_fresh "
                 "WHERE facts_key = :facts_key AND latest_event_ord > :as_of")


# The facts history (m005, ``case_fact_history``): for a case whose latest event is after
# :as_of, the row holding on that day (from_ord <= :as_of < until_ord) made under
# :facts_key, as the columns the cases row has (the case's own columns from the cases row).
def history_source(schema: str = "") -> str:
    """The rows the facts history gives for :as_of, with the cases row's column names
    (``schema``: ``"main."`` in SQLite, ``""`` on the clinic server)."""
    own = ("case_id", "patient_id", "side", "baseline_leg_nrs", "patient_name", "intake_ord")
    held = [n for n in _FACT_COLUMNS if n not in own] + ["last_visit_date", "visit_count", "latest_leg_nrs"]
    cols = ", ".join([f"c.{n}" for n in own] + [f"h.{n}" for n in held])
    return (f"SELECT {cols} FROM {schema}case_fact_history h JOIN {schema}cases c ON c.case_id = h.case_id "
            f"WHERE {_HISTORY_HOLDS}")


# A history row holds for the case on :as_of (c: its cases row): it is the row of that day,
# made under these settings, for a case whose latest event is after that day (otherwise
# the cases row holds, or the exact path takes it).
_HISTORY_HOLDS = ("h.facts_key = :facts_key AND h.until_ord > :as_of AND h.from_ord <= :as_of "
                  "AND c.latest_event_ord > :as_of AND c.intake_ord <= :as_of")
_HISTORY_SQL = history_source("main.")
# The same test for one case c, by its primary key (case_id, from_ord): the unary + keeps
# SQLite from walking the span index instead (a range scan per case).
_COVERED = ("SELECT 1 FROM main.case_fact_history h WHERE h.case_id = c.case_id AND h.from_ord <= :as_of "
            "AND +h.until_ord > :as_of AND +h.facts_key = :facts_key AND c.latest_event_ord > :as_of "
            "AND c.intake_ord <= :as_of")


def _facts_as_of(store: "CaseStore", case_id: str, text: str, as_of: dt.date, s: ReviewSettings):
    """A stored case's review facts on ``as_of``, its follow-up visits up to that date and
    its intake: through the trusted reader, which builds only what the rule reads
    (:func:`~radiculopathy_desktop.domain.stored_case.stored_facts_as_of`); a document it
    cannot read goes through the store's checked reader, which names the damage."""
    from radiculopathy_desktop.domain.stored_case import stored_facts_as_of

    try:
        return stored_facts_as_of(json.loads(text), as_of, s)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        case = store._read_stored(case_id, text)
        return review_facts(case, as_of, s), case.visits_on_or_before(as_of), case.intake


def _prepare_exact(store: "CaseStore", as_of: dt.date, s: ReviewSettings, key: str) -> tuple[int, int]:
    """Fill ``temp.asof_cases`` with exact facts for cases neither the stored facts nor
    the facts history cover.

    Returns how many cases the facts history gives for the date and how many took the exact
    path; with none of the latter, the temporary table is left alone (and not read by the
    queries).
    """
    conn = store._db.conn
    day = as_of.toordinal()
    stamp = (day, key, conn.execute("PRAGMA data_version").fetchone()[0])
    cached = getattr(store, "_exact_cache", None)
    if cached is not None and cached[0] == stamp and cached[1] == conn.total_changes:
        return cached[2]  # nothing changed since the temp table was filled for this date
    params = {"as_of": day, "facts_key": key}
    from_history = conn.execute(f"SELECT count(*) FROM ({_HISTORY_SQL})", params).fetchone()[0]
    # The rest: streamed (never every document at once) and read through the trusted
    # reader: the stored cases were validated on the way in (issue 17).
    stale = conn.execute(
        "SELECT c.*, d.case_json FROM main.cases c JOIN main.case_documents d USING (case_id) "
        f"WHERE c.rowid IN ({_STALE_ROWIDS}) AND c.intake_ord <= :as_of AND NOT EXISTS ({_COVERED})", params)
    columns = [d[0] for d in stale.description][:-1]  # the cases row, then the document
    names = _FACT_COLUMNS + ("last_visit_date", "visit_count", "latest_leg_nrs", "baseline_leg_nrs")
    where = [columns.index(n) for n in names]
    id_at = columns.index("case_id")
    updates = []  # each case's row with the columns that hold on as_of replaced
    for row in stale:
        from radiculopathy_desktop.domain.intake import day_baseline  # only with a stale row (startup)

        facts, seen, intake = _facts_as_of(store, row[id_at], row[-1], as_of, s)
        cols = facts_columns(facts)
        leg = next((v.leg_nrs for v in reversed(seen) if v.leg_nrs is not None), intake.leg_nrs)
        cols |= {"last_visit_date": (seen[-1].date if seen else intake.visit_date).isoformat(),
                 "visit_count": 1 + len(seen), "latest_leg_nrs": leg,
                 # a row stored under another facts version may hold the intake's own (rt21 F5)
                 "baseline_leg_nrs": day_baseline(intake, seen).leg_nrs}
        values = list(row[:-1])
        for at, name in zip(where, names):
            values[at] = cols[name]
        updates.append(values)
    if updates:
        was_in_transaction = conn.in_transaction
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS asof_cases AS SELECT * FROM main.cases WHERE 0")
        conn.execute("CREATE INDEX IF NOT EXISTS temp.asof_cases_id ON asof_cases(case_id)")
        conn.execute("DELETE FROM temp.asof_cases")
        conn.executemany(f"INSERT INTO temp.asof_cases ({', '.join(columns)}) "
                         f"VALUES ({', '.join('?' * len(columns))})", updates)
        if not was_in_transaction and conn.in_transaction:
            conn.commit()  # only temp rows were written; release the read lock on main
    store._exact_cache = (stamp, conn.total_changes, (from_history, len(updates)))
    return from_history, len(updates)


def _source_sql(prepared: tuple[int, int], only: str | None = None) -> str:
    """The rows to rank: stored facts where valid, the facts history's rows for the date,
    and the exact ones. ``only``: SQL giving distinct case ids (:data:`ALERT_IDS_SQL`); each
    part then starts from those ids and finds each case by its key (a few thousand lookups
    instead of every case)."""
    from_history, exact_rows = prepared
    cols = ", ".join(f"c.{name}" for name in _ROW_COLUMNS)
    if only is None:
        sql = (f"SELECT {cols}, {STATUS_RANK_SQL} AS status_rank FROM main.cases c "
               "WHERE c.intake_ord <= :as_of AND c.latest_event_ord <= :as_of AND c.facts_key = :facts_key")
        if from_history:
            sql += f" UNION ALL SELECT {cols}, {STATUS_RANK_SQL} AS status_rank FROM ({_HISTORY_SQL}) c"
        if exact_rows:
            sql += f" UNION ALL SELECT {cols}, {STATUS_RANK_SQL} AS status_rank FROM temp.asof_cases c"
        return sql
    # CROSS JOIN: SQLite keeps the ids as the outer loop (the planner may otherwise scan cases).
    ids = f"({only}) ids"
    sql = (f"SELECT {cols}, {STATUS_RANK_SQL} AS status_rank FROM {ids} CROSS JOIN main.cases c "
           "WHERE c.case_id = ids.case_id AND c.intake_ord <= :as_of AND c.latest_event_ord <= :as_of "
           "AND c.facts_key = :facts_key")
    if from_history:
        sql += (f" UNION ALL SELECT {cols}, {STATUS_RANK_SQL} AS status_rank FROM {ids} CROSS JOIN "
                f"({_HISTORY_SQL}) c WHERE c.case_id = ids.case_id")
    if exact_rows:
        sql += (f" UNION ALL SELECT {cols}, {STATUS_RANK_SQL} AS status_rank FROM {ids} CROSS JOIN "
                "temp.asof_cases c WHERE c.case_id = ids.case_id")
    return sql


def query(store: "CaseStore", as_of: dt.date, s: ReviewSettings, *, statuses=None, search: str | None = None,
          limit: int | None = None, offset: int = 0, _force_sort: bool = False,
          case_ids: "frozenset[str] | None" = None, alerts_profile: str | None = None,
          also_ids: Iterable[str] = ()) -> list[WorklistRow]:
    """The worklist's rows on ``as_of`` (see :meth:`CaseStore.worklist`); ``case_ids``: only
    these cases; ``alerts_profile``: only the cases with a medicine-safety alert on ``as_of``
    under that profile (:data:`ALERT_IDS_SQL`). Built with the cyclic collector paused: a row and its tuple are in no cycle,
    but 100,000 of them set off young and full collections again and again (issue 17)."""
    if case_ids is not None and not case_ids:
        return []
    with collector_paused():
        return _query(store, as_of, s, statuses=statuses, search=search, limit=limit, offset=offset,
                      _force_sort=_force_sort, case_ids=case_ids, alerts_profile=alerts_profile,
                      also_ids=also_ids)


def _query(store: "CaseStore", as_of: dt.date, s: ReviewSettings, *, statuses, search, limit, offset,
           _force_sort, case_ids=None, alerts_profile=None, also_ids=None) -> list[WorklistRow]:
    key = facts_key(s)
    exact = _prepare_exact(store, as_of, s, key)
    wanted = _status_list(statuses)
    params = _params(as_of, s) | {"facts_key": key}
    searching = bool(search and search.strip())
    if not any(exact) and not searching and not _force_sort and case_ids is None and alerts_profile is None:
        if set(wanted) <= set(WORKLIST_STATUSES):
            return _query_by_index(store, as_of, s, wanted, params, limit, offset)
        return _query_by_walk(store, as_of, s, wanted, params, limit, offset)
    ranks = ", ".join(str(_RANK[w]) for w in wanted) or "-1"
    where = [f"w.status_rank IN ({ranks})"]
    if searching:
        params["q"] = "%" + escape_like(search.strip()) + "%"
        where.append("(w.case_id LIKE :q ESCAPE '\\' OR w.patient_id LIKE :q ESCAPE '\\' "
                     "OR w.patient_name LIKE :q ESCAPE '\\')")
    if case_ids is not None:
        params["ids"] = json.dumps(sorted(case_ids))
        where.append("w.case_id IN (SELECT value FROM json_each(:ids))")
    if alerts_profile is not None:
        params["profile"] = alerts_profile
        params["also"] = json.dumps(sorted(also_ids or ()))
    sql = (f"SELECT w.* FROM ({_source_sql(exact, only=LISTED_IDS_SQL if alerts_profile is not None else None)}) w "
           f"WHERE {' AND '.join(where)} "
           "ORDER BY w.status_rank, CASE w.improving WHEN 0 THEN 0 WHEN 1 THEN 2 ELSE 1 END, "
           "w.care_start_ord, w.case_id")
    if limit is not None:
        sql += " LIMIT :limit OFFSET :offset"
        params |= {"limit": int(limit), "offset": int(offset)}
    elif offset:
        sql += " LIMIT -1 OFFSET :offset"
        params["offset"] = int(offset)
    return make_rows(store._db.conn.execute(sql, params), as_of, s)


# The clock statuses are ranges of care_start_ord (older care start: further along);
# with the stored facts valid, each (status, trend) group is one walk of the
# cases_clock index in worklist order, so nothing has to be sorted.
_NOT_HELD = (f"c.immediate = 0 AND (c.last_decision_kind IS NULL OR c.last_decision_kind NOT IN ({_TERMINAL_SQL})) "
             "AND NOT (c.last_decision_kind = 'continue_conservative_care' AND c.continue_until_ord IS NOT NULL "
             "AND :as_of < c.continue_until_ord) AND c.resolved = 0")
_VALID = "c.intake_ord <= :as_of AND c.latest_event_ord <= :as_of AND c.facts_key = :facts_key"
_CLOCK_RANGES = {
    ReviewStatus.OVERDUE: f"c.care_start_ord < :due_from AND {_NOT_IMPROVING_NOW}",
    ReviewStatus.DUE: "c.care_start_ord >= :due_from AND c.care_start_ord <= :upcoming_after AND c.has_follow_up = 1 "
                      f"AND {_NOT_IMPROVING_NOW}",
    ReviewStatus.NEEDS_FOLLOW_UP: "c.care_start_ord >= :due_from AND c.care_start_ord <= :upcoming_after "
                                  "AND c.has_follow_up = 0",
    ReviewStatus.IMPROVING: f"c.care_start_ord <= :upcoming_after AND {_IMPROVING_NOW}",
    ReviewStatus.UPCOMING: "c.care_start_ord > :upcoming_after AND c.care_start_ord <= :not_due_after",
}


def _group_sql(status: ReviewStatus, trend: int | None) -> str:
    cols = ", ".join(f"c.{name}" for name in _ROW_COLUMNS)
    if status == ReviewStatus.IMMEDIATE:
        return (f"SELECT {cols}, {_RANK[status]} FROM main.cases c INDEXED BY cases_immediate "
                f"WHERE c.immediate = 1 AND {_VALID} ORDER BY c.trend_rank, c.care_start_ord, c.case_id")
    if status == ReviewStatus.ASK_RED_FLAGS:
        return (f"SELECT {cols}, {_RANK[status]} FROM main.cases c "
                f"WHERE c.immediate = 2 AND (c.last_decision_kind IS NULL OR c.last_decision_kind NOT IN "
                f"({_TERMINAL_SQL})) AND {_VALID} ORDER BY c.trend_rank, c.care_start_ord, c.case_id")
    return (f"SELECT {cols}, {_RANK[status]} FROM main.cases c INDEXED BY cases_clock "
            f"WHERE c.trend_rank = {int(trend)} AND {_CLOCK_RANGES[status]} AND {_NOT_HELD} AND {_VALID} "
            "ORDER BY c.care_start_ord, c.case_id")


def group_trends(status: ReviewStatus) -> tuple[int | None, ...]:
    """The trend groups a status is walked in, in worklist order (not improving, unknown,
    improving); the red-flag statuses are one group, and improving is trend_rank 2 by
    definition. Both engines walk the worklist by these groups."""
    if status in (ReviewStatus.IMMEDIATE, ReviewStatus.ASK_RED_FLAGS):
        return (None,)
    if status == ReviewStatus.IMPROVING:
        return (2,)
    return (0, 1, 2)


def _query_by_index(store, as_of, s, wanted, params, limit, offset) -> list[WorklistRow]:
    conn = store._db.conn
    rows: list[WorklistRow] = []
    reasons: dict = {}
    skip = max(int(offset or 0), 0)
    remaining = None if limit is None else max(int(limit), 0)
    for status in STATUS_ORDER:
        if status not in wanted:
            continue
        for trend in group_trends(status):
            if remaining == 0:
                return rows
            sql = _group_sql(status, trend)
            if skip:
                n = conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]
                if n <= skip:
                    skip -= n
                    continue
            if skip or remaining is not None:
                sql += f" LIMIT {-1 if remaining is None else remaining} OFFSET {skip}"
                skip = 0
            batch = [WorklistRow(r, as_of, s, reasons) for r in conn.execute(sql, params)]
            rows.extend(batch)
            if remaining is not None:
                remaining -= len(batch)
    return rows


# Every valid stored row, once, in cases_clock order (trend, care start, case id: the
# worklist order within a status), each with its status rank.
_WALK_SQL = (f"SELECT {', '.join(f'c.{name}' for name in _ROW_COLUMNS)}, {STATUS_RANK_SQL} "
             f"FROM main.cases c INDEXED BY cases_clock WHERE {_VALID} "
             "ORDER BY c.trend_rank, c.care_start_ord, c.case_id")


def _query_by_walk(store, as_of, s, wanted, params, limit, offset) -> list[WorklistRow]:
    """The sorted query's rows (status, trend, care start, case id) for any statuses, with
    the stored facts valid for every case: one walk of cases_clock, already in order within
    each status, dealt out by status (stable), so nothing is sorted (issue 17: the closed,
    snoozed and not-due cases make ``--status all`` a list of every case)."""
    keep = {_RANK[w] for w in wanted}
    groups: list[list] = [[] for _ in STATUS_ORDER]
    for r in store._db.conn.execute(_WALK_SQL, params):
        groups[r[RANK_AT]].append(r)
    ordered = [r for rank, group in enumerate(groups) if rank in keep for r in group]
    start = max(int(offset or 0), 0)  # SQL's LIMIT/OFFSET: a negative offset is 0, a negative limit none
    if start or limit is not None:
        ordered = ordered[start:None if limit is None or int(limit) < 0 else start + int(limit)]
    return make_rows(ordered, as_of, s)


def counts(store: "CaseStore", as_of: dt.date, s: ReviewSettings) -> dict[ReviewStatus, int]:
    key = facts_key(s)
    exact = _prepare_exact(store, as_of, s, key)
    params = _params(as_of, s) | {"facts_key": key}
    conn = store._db.conn
    tally = [0] * len(STATUS_ORDER)
    for rank, n in conn.execute(_COUNT_ALL_SQL, params):
        tally[rank] += n
    if sum(tally) != conn.execute("SELECT count(*) FROM main.cases").fetchone()[0]:
        # Values the partition below does not expect (it relies on 0/1 flags): count
        # the slow, plain way rather than miss a case.
        log.warning("status counts: the indexed partition did not cover every case; counted row by row")
        return _counts_row_by_row(store, params, exact)
    # Cases whose stored facts do not hold on this date were counted by them above:
    # take them out again, and count the exact facts instead (temp.asof_cases; cases
    # whose intake is after as_of are in neither).
    for rank, n in conn.execute(_COUNT_STALE_SQL, params):
        tally[rank] -= n
    from_history, exact_rows = exact
    if from_history:
        for rank, n in conn.execute(f"SELECT r, count(*) FROM (SELECT {STATUS_RANK_SQL} AS r "
                                    f"FROM ({_HISTORY_SQL}) c) GROUP BY r", params):
            tally[rank] += n
    if exact_rows:
        for rank, n in conn.execute(f"SELECT r, count(*) FROM (SELECT {STATUS_RANK_SQL} AS r "
                                    "FROM temp.asof_cases c) GROUP BY r", params):
            tally[rank] += n
    return dict(zip(STATUS_ORDER, tally))


def _counts_row_by_row(store: "CaseStore", params: dict, exact: tuple[int, int]) -> dict[ReviewStatus, int]:
    out = {status: 0 for status in STATUS_ORDER}
    for rank, n in store._db.conn.execute(
            f"SELECT w.status_rank, count(*) FROM ({_source_sql(exact)}) w GROUP BY w.status_rank", params):
        out[STATUS_ORDER[rank]] = n
    return out


_CONTINUE = "continue_conservative_care"


def count_all_sql(source: str = "FROM main.cases c INDEXED BY cases_status") -> str:
    """Every case's status by its stored facts, counted by ranges of cases_status
    (``source``: the FROM clause; the clinic server's store names the table only).

    The rule's order (immediate, closed, snoozed, resolved, then the clock) becomes a
    partition of the index (immediate, last_decision_kind, resolved, has_follow_up,
    care_start_ord, continue_until_ord): immediate cases; closed (a terminal
    decision); snoozed (continue until a later date); then, for the cases with no
    decision and those whose "continue until" has passed, resolved, and four clock
    bands of care_start_ord for each of has_follow_up 0 and 1. Each part is one walk
    of an index range, so 100,000 cases are counted without evaluating the rule on
    each of them. Decision kinds outside the vocabulary (none are written today) get
    the rule itself. The index holds improving and follow_up_ord too (m006, m008), so the
    bands with follow-up (improving, or not) read no table row either.
    """
    idx = source
    rank = _RANK
    parts = [
        f"SELECT {rank[ReviewStatus.IMMEDIATE]}, count(*) {idx} WHERE c.immediate = 1",
        f"SELECT {rank[ReviewStatus.CLOSED]}, count(*) {idx} "
        f"WHERE c.immediate = 0 AND c.last_decision_kind IN ({_TERMINAL_SQL})",
        f"SELECT {rank[ReviewStatus.CLOSED]}, count(*) {idx} "
        f"WHERE c.immediate = 2 AND c.last_decision_kind IN ({_TERMINAL_SQL})",
        f"SELECT {rank[ReviewStatus.ASK_RED_FLAGS]}, count(*) {idx} "
        f"WHERE c.immediate = 2 AND (c.last_decision_kind IS NULL OR c.last_decision_kind NOT IN ({_TERMINAL_SQL}))",
        f"SELECT {rank[ReviewStatus.SNOOZED]}, count(*) {idx} "
        f"WHERE c.immediate = 0 AND c.last_decision_kind = '{_CONTINUE}' AND :as_of < c.continue_until_ord",
    ]
    on_the_clock = (
        "c.immediate = 0 AND c.last_decision_kind IS NULL",
        f"c.immediate = 0 AND c.last_decision_kind = '{_CONTINUE}' "
        "AND (c.continue_until_ord IS NULL OR c.continue_until_ord <= :as_of)",
    )
    for held in on_the_clock:
        parts.append(f"SELECT {rank[ReviewStatus.NOT_DUE]}, count(*) {idx} WHERE {held} AND c.resolved = 1")
        for has_follow_up in (0, 1):
            in_window = ReviewStatus.DUE if has_follow_up else ReviewStatus.NEEDS_FOLLOW_UP
            where = f"{held} AND c.resolved = 0 AND c.has_follow_up = {has_follow_up}"
            # With follow-up, the window and overdue bands split into improving (keep under
            # review) and the rest; without, nothing is improving.
            later = f" AND {_NOT_IMPROVING_NOW}" if has_follow_up else ""
            bands = [
                (ReviewStatus.NOT_DUE, "c.care_start_ord > :not_due_after"),
                (ReviewStatus.UPCOMING, "c.care_start_ord > :upcoming_after AND c.care_start_ord <= :not_due_after"),
                (in_window, "c.care_start_ord >= :due_from AND c.care_start_ord <= :upcoming_after" + later),
                (ReviewStatus.OVERDUE, "c.care_start_ord < :due_from" + later),
            ]
            if has_follow_up:
                bands.append((ReviewStatus.IMPROVING, f"c.care_start_ord <= :upcoming_after AND {_IMPROVING_NOW}"))
            for status, band in bands:
                parts.append(f"SELECT {rank[status]}, count(*) {idx} WHERE {where} AND {band}")
    # Any other decision kind: the ranges of last_decision_kind between the known ones.
    known = sorted(TERMINAL_DECISIONS | {_CONTINUE})
    gaps = [f"c.last_decision_kind < '{known[0]}'"]
    gaps += [f"c.last_decision_kind > '{a}' AND c.last_decision_kind < '{b}'" for a, b in zip(known, known[1:])]
    gaps.append(f"c.last_decision_kind > '{known[-1]}'")
    for gap in gaps:
        parts.append(f"SELECT r, count(*) FROM (SELECT {STATUS_RANK_SQL} AS r {idx} "
                     f"WHERE c.immediate = 0 AND {gap}) g GROUP BY r")
    return " UNION ALL ".join(parts)


_COUNT_ALL_SQL = count_all_sql()
_COUNT_STALE_SQL = (f"SELECT r, count(*) FROM (SELECT {STATUS_RANK_SQL} AS r FROM main.cases c "
                    f"WHERE c.rowid IN ({_STALE_ROWIDS})) GROUP BY r")
