"""What both storage engines (the local SQLite store and the clinic server's) decide the
same way, written once: the batching and duplicate check of an import, the patient
identity check, and reading the stored review settings. Each engine brings only its own
SQL (a function that looks a row up); the rule is here.

A leaf of storage/: it imports the domain (and the tiny ``settings_notes``) only, never a store.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence

from radiculopathy_desktop.domain.characters import name_difference, same_name, visible
from radiculopathy_desktop.domain.settings import (ReviewSettings, StoredSettingsProblem, decode_stored_json,
                                                   settings_from_stored,
                                                   unreadable_settings)
from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.storage.access import typist_name_problem
from radiculopathy_desktop.storage import settings_notes, upgrade_progress

if TYPE_CHECKING:  # pragma: no cover
    from radiculopathy_desktop.domain.intake import Case

log = logging.getLogger("radiculopathy_desktop.storage")

#: The other stored case of a patient ID: (name, birth date as text or None, sex, other case_id),
#: or None when the patient has no other case (re-importing a patient's only case may correct it).
OtherCase = Callable[[str, str], "tuple[str, str | None, str | None, str] | None"]


def import_batches(cases: Iterable["Case"], batch_size: int) -> Iterator[list["Case"]]:
    """The cases of one import in batches (the last may be empty); a case_id given twice
    stops the import with the positions of both, before anything of that batch is written."""
    seen: dict[str, int] = {}
    batch: list[Case] = []
    for n, case in enumerate(cases):
        if case.case_id in seen:
            raise UserError(f"case {n + 1} (case_id {case.case_id}): the same case_id appears twice in "
                            f"the import (also case {seen[case.case_id] + 1}); nothing was imported.", exit_code=2)
        seen[case.case_id] = n
        batch.append(case)
        if len(batch) >= batch_size:
            yield batch
            batch = []
    yield batch


#: Stored cases read per chunk when every case is rewritten (the one-time upgrade, a
#: settings change): enough to keep the per-statement cost small, small enough that
#: memory stays flat at any clinic size.
REWRITE_CHUNK = 500


def in_chunks(fetch: Callable[[Any, int], Sequence[Sequence[Any]]],
              size: int | None = None) -> Iterator[Sequence[Sequence[Any]]]:
    """Rows read ``size`` at a time by key (keyset pagination): ``fetch(last, size)``
    returns up to ``size`` rows whose first column (a unique key, ascending) is after
    ``last`` (``None`` for the first chunk); ``size`` defaults to :data:`REWRITE_CHUNK`.
    Rows written between chunks are safe to the read: a chunk is read after the
    previous one's writes, by key."""
    size = size or REWRITE_CHUNK
    last = None
    while True:
        rows = fetch(last, size)
        if not rows:
            return
        yield rows
        if len(rows) < size:
            return
        last = rows[-1][0]


def stored_document_chunks(fetchall: Callable[[str, Sequence[Any]], Sequence[Sequence[Any]]], mark: str,
                           stale_key: str | None = None) -> Iterator[Sequence[Sequence[Any]]]:
    """Every stored case document (or, with ``stale_key``, those whose review facts were
    not made under it) as (case_id, case_json) rows, a chunk at a time in case_id order
    (:func:`in_chunks`), so that rewriting every case never holds every document; both
    engines (``mark``: the driver's placeholder; ``fetchall(sql, params)`` runs one read
    on the connection of the write being made)."""
    def fetch(last, size):
        where, args = [], []
        if stale_key is not None:
            where.append(f"c.facts_key <> {mark}")
            args.append(stale_key)
        if last is not None:
            where.append(f"d.case_id > {mark}")
            args.append(last)
        sql = ("SELECT d.case_id, d.case_json FROM case_documents d"
               + (" JOIN cases c ON c.case_id = d.case_id" if stale_key is not None else "")
               + (" WHERE " + " AND ".join(where) if where else "") + f" ORDER BY d.case_id LIMIT {mark}")
        return fetchall(sql, (*args, size))

    return in_chunks(fetch)


#: The parts of the derived version (``CaseStore.derived_version``) that only the stored medicine
#: alerts depend on: ``DOSE_ALERTS_VERSION`` and the digest of the medicine data files that can
#: change an alert. The review facts, their history and the outcome facts read no medicine data.
ALERT_ONLY_PARTS = ("alerts", "medicines")


def _version_parts(version) -> dict[str, str] | None:
    if not isinstance(version, str):
        return None
    parts = {}
    for piece in version.split("; "):
        name, _, value = piece.partition(" ")
        if not name or name in parts:
            return None
        parts[name] = value
    return parts


#: The audit action of the one entry a derived-data recompute writes, on either engine (the
#: clinic server's m013 trigger writes the same string, ``pg.schema.DERIVED_RECOMPUTED_ACTION``).
DERIVED_RECOMPUTED_ACTION = "derived_data_recomputed"

#: The derived version's parts in words (the derived-data recompute's audit entry, pg21).
DERIVED_PART_WORDS = {"facts": "review facts", "alerts": "medicine alerts", "medicines": "medicine alerts",
                      "outcomes": "outcome facts", "history": "facts history"}


def recompute_audit_detail(stored, current: str, cases: int, **counts: int) -> dict[str, Any]:
    """The detail of the one audit entry a derived-data recompute writes (the clinic server's
    ``derived_data_recomputed``, m013): what was recomputed, in words, in the derived version's
    order (every part when the stored version is unset or unreadable), and how many cases."""
    old, new = _version_parts(stored), _version_parts(current) or {}
    names = list(new) if old is None else [k for k in new if old.get(k) != new[k]] + [k for k in old if k not in new]
    words: list[str] = []
    for name in names:
        word = DERIVED_PART_WORDS.get(name, name)
        if word not in words:
            words.append(word)
    return {"recomputed": words, "cases": cases, **counts}


def alerts_only_change(stored, current: str) -> bool:
    """Whether the stored derived version differs from ``current`` in the medicine alerts' parts
    only (:data:`ALERT_ONLY_PARTS`): the one-time rewrite then rewrites the alerts (and, by their
    triggers, the Medicine alerts index) and leaves the review facts, their history and the
    outcome facts as they are (span19: about 40 % of the rewrite at 100,000 cases). Anything
    else (unset, damaged, another facts, outcomes or history version, a part added or gone)
    is a full rewrite."""
    old, new = _version_parts(stored), _version_parts(current)
    if old is None or new is None or old.keys() != new.keys() or old == new:
        return False
    return all(old[k] == new[k] for k in new if k not in ALERT_ONLY_PARTS)


def alert_document_chunks(fetchall: Callable[[str, Sequence[Any]], Sequence[Sequence[Any]]], mark: str,
                          medicines_sql: str) -> Iterator[Sequence[Sequence[Any]]]:
    """The stored case documents that can have a medicine_alerts row (``store._alert_rows``: a
    current medicine on the intake, a recorded pregnancy answer, ``cases.pregnancy``, or the answer
    "no" to would consider an injection or surgery: the engine's ``medicines_sql`` tests both), as
    :func:`stored_document_chunks` gives them; ``medicines_sql``: the engine's test that the
    document ``d.case_json`` lists a medicine."""
    def fetch(last, size):
        where = [f"(c.pregnancy IS NOT NULL OR {medicines_sql})"]
        args: list = []
        if last is not None:
            where.append(f"d.case_id > {mark}")
            args.append(last)
        sql = ("SELECT d.case_id, d.case_json FROM case_documents d JOIN cases c ON c.case_id = d.case_id "
               f"WHERE {' AND '.join(where)} ORDER BY d.case_id LIMIT {mark}")
        return fetchall(sql, (*args, size))

    return in_chunks(fetch)


def rewrite_alerts_only(fetchall: Callable[[str, Sequence[Any]], Sequence[Sequence[Any]]], execute: Callable[[str], Any],
                        insert_rows: Callable[[list], None], mark: str, medicines_sql: str,
                        alert_rows: Callable[[str, str], list], tell: Callable[[int, int], None]) -> int:
    """The one-time rewrite when only the medicine alerts' rules or data changed
    (:func:`alerts_only_change`), for either engine inside its write transaction: every
    medicine_alerts row made again (the Medicine alerts index, m012, follows by its triggers) from
    the cases that can have one (:func:`alert_document_chunks`); the review facts, their history
    and the outcome facts are left as they are. ``alert_rows(case_id, case_json)`` makes one
    stored case's rows; ``tell(done, total)`` hears the progress. Returns the cases with an alert."""
    total = fetchall("SELECT count(*) FROM case_documents d JOIN cases c ON c.case_id = d.case_id "
                     f"WHERE c.pregnancy IS NOT NULL OR {medicines_sql}", ())[0][0]
    tell(0, total)
    execute("DELETE FROM medicine_alerts")
    done = alerted = 0
    for chunk in alert_document_chunks(fetchall, mark, medicines_sql):
        rows: list = []
        for cid, text in chunk:
            done += 1
            if done % upgrade_progress.STEP == 0 and done < total:
                tell(done, total)
            case_alerts = alert_rows(cid, text)
            rows.extend(case_alerts)
            alerted += bool(case_alerts)
        insert_rows(rows)
    tell(total, total)
    log.info("upgrade: medicine alerts rewritten (%d cases with an alert); review facts unchanged", alerted)
    return alerted


def rederive_stored_cases(chunks: Iterable[Sequence[tuple[str, str]]], parse: Callable[[str, str], "Case"],
                          build: Callable[["Case"], tuple[list, Any, list]], write: Callable[[list, list, list], None],
                          tell: Callable[[int, int], None], done: int, total: int) -> int:
    """The full one-time rewrite's pass over every stored case, for either engine inside its write
    transaction (after it emptied medicine_alerts, case_fact_history and outcome_facts): each
    ``(case_id, case_json)`` of ``chunks`` parsed by ``parse``, then ``build(case)``: its medicine alert rows, its
    outcome-facts row and its review facts rows (the SQLite store's :func:`.store.derived_rows_builder`, passed
    in so this module never imports the store that imports it), handed to
    ``write(alert_rows, outcome_rows, history_rows)`` once per chunk. ``tell(done, total)`` hears
    every :data:`.upgrade_progress.STEP` cases, counting on from ``done`` (the end is the caller's).
    Returns the cases with an alert (was written twice, once per store: issue 17's lever 4)."""
    alerted = 0
    for chunk in chunks:  # a chunk at a time: memory stays flat at any size
        rows: list = []
        outcomes: list = []
        history: list = []
        for cid, text in chunk:
            done += 1
            if done % upgrade_progress.STEP == 0 and done < total:  # the end is told once, by the caller
                tell(done, total)
            case_alerts, outcome, case_history = build(parse(cid, text))
            rows.extend(case_alerts)
            alerted += bool(case_alerts)
            outcomes.append(outcome)
            history.extend(case_history)
        write(rows, outcomes, history)
    return alerted


def identity_error(conflicts: Sequence[str]) -> UserError:
    """Nothing imported: one patient ID would hold different people."""
    return UserError("One patient ID would hold different people (a mistyped patient ID?); nothing was imported. "
                     "Correct the patient ID or the details:\n  " + "\n  ".join(conflicts), exit_code=2)


def patient_conflicts(cases: Sequence["Case"], seen: dict, other_case: OtherCase) -> list[str]:
    """Cases whose patient ID already belongs to a different person (``domain.identity``), in words:
    compared with earlier cases of this import (``seen``: patient ID -> (case_id, Patient),
    filled in here) and with the stored patient when it has another case (``other_case``)."""
    # late: the identity rules import the case format, which opening a database never needs
    from radiculopathy_desktop.domain.identity import StoredIdentity, describe_conflict, identity_conflicts

    out: list[str] = []
    for case in cases:
        p = case.patient
        earlier = seen.get(p.id)
        if earlier is not None and earlier[0] != case.case_id:
            other = earlier[1]
            diffs = identity_conflicts(StoredIdentity(p.id, other.name, other.birth_date, other.sex), p)
            if diffs:
                out.append(describe_conflict(case.case_id, p.id, diffs, f"case {earlier[0]} of this import"))
                continue
        seen.setdefault(p.id, (case.case_id, p))
        row = other_case(case.case_id, p.id)
        if row is None:
            continue
        name, birth, sex, other_id = row
        stored = StoredIdentity(p.id, name, dt.date.fromisoformat(birth) if birth else None, sex)
        diffs = identity_conflicts(stored, p)
        if diffs:
            out.append(describe_conflict(case.case_id, p.id, diffs, f"the patient of case {other_id}"))
    return out


def episode_conflicts(cases: Sequence["Case"], existing: Mapping[str, Any], seen: dict,
                      patients_cases: "PatientsCases") -> list[tuple]:
    """New cases (not in ``existing``) that are the same episode as another case
    (``domain.identity.same_episode``: the same person, by patient key and then name, birth date
    and sex, with the same onset date), stored (``patients_cases``) or earlier in this import
    (``seen``: patient key -> new cases so far, filled in here): each as (case id, patient id,
    onset date, the other case's id, " in the tracker" or " earlier in this file") for
    ``domain.identity.EpisodeExists`` (red-team rt11 F8, gp18 F5).

    The window's intake refuses the same (one rule, gp18 F5). An import took one under a
    look-alike id (``ex-1`` for ``EX-1``) or a capitals variant (``Preg-A`` for ``PREG-A``) as
    a new case, so one episode stood twice on the worklist, the copy without its red flags."""
    from radiculopathy_desktop.domain.episodes import patient_key
    from radiculopathy_desktop.domain.identity import IN_TRACKER, episode_duplicates

    new = [c for c in cases if c.case_id not in existing]
    if not new:
        return []
    stored: dict[str, list["Case"]] = {}
    for case in patients_cases(sorted({c.patient.id for c in new})):
        stored.setdefault(patient_key(case.patient.id), []).append(case)
    out: list[tuple] = []
    for case in new:
        key = patient_key(case.patient.id)
        onset = case.intake.onset_date
        earlier = episode_duplicates(case, seen.get(key, []))
        if earlier:
            out.append((case.case_id, case.patient.id, onset, earlier[0].case_id, " earlier in this file"))
        else:
            found = episode_duplicates(case, stored.get(key, []))
            if found:
                out.append((case.case_id, case.patient.id, onset, found[0].case_id, IN_TRACKER))
        seen.setdefault(key, []).append(case)
    return out


class EpisodeCheck:
    """:func:`episode_conflicts` over the batches of one import: what was found, and the
    new cases of the import seen so far, by patient key."""

    def __init__(self) -> None:
        self.found: list[tuple] = []
        self.seen: dict[str, list["Case"]] = {}

    def check(self, cases: Sequence["Case"], existing: Mapping[str, Any], patients_cases: "PatientsCases") -> None:
        self.found.extend(episode_conflicts(cases, existing, self.seen, patients_cases))


#: ``patients_cases(patient_ids)``: each stored case of those patients (any order).
PatientsCases = Callable[[Sequence[str]], Iterable["Case"]]


class OpenCaseCheck:
    """One open case per patient (``domain.episodes``, gp14 G10) over the batches of one
    import: a new case (not in the tracker) whose patient has an open case on ``as_of``,
    stored or new earlier in this import, is found; without ``new_episode`` the import is
    refused (:meth:`refusal`), with it each such case is named in the import's audit entry
    (:meth:`audit`) as a new episode started deliberately while those cases were open."""

    def __init__(self, as_of: dt.date, new_episode: "bool | Iterable[str]" = False) -> None:
        self.as_of = as_of
        # True: beside any open case; a set of case ids: beside those only (the window passes the
        # open cases the clinician was shown, so one opened since is asked about, not passed)
        self.new_episode = new_episode if isinstance(new_episode, bool) else frozenset(new_episode)
        self.settings: ReviewSettings | None = None
        self.found: list[tuple[str, str, list]] = []  # (new case id, patient id, its patient's open cases)
        self.reopened: list[tuple[str, str, list]] = []  # (closed case re-opened, patient id, the open cases)
        # pregnancy answers contradicted between the patient's cases (gp17 F5), new with this import
        self.pregnancy: list[dict[str, Any]] = []
        # new patient IDs whose key other IDs already hold for different people (fxc18): named
        self.kept_apart: list[dict[str, Any]] = []

    def check(self, cases: Sequence["Case"], existing: Mapping[str, Any], patients_cases: PatientsCases) -> None:
        """One batch, before its rows are written (the new cases of earlier batches are stored
        by then, in the same transaction). Only a new case whose patient has another case, or
        a stored case whose update re-opens it (a "continue conservative care" added after its
        discharge, rt16 F2), is judged: an import of new patients costs one look-up per batch.
        Patients are compared by ``domain.episodes.patient_key`` (``p-1`` is ``P-1``)."""
        from radiculopathy_desktop.domain.episodes import may_reopen, open_cases, patient_key, reopens
        from radiculopathy_desktop.domain.identity import cases_of_person, same_person

        new = [c for c in cases if c.case_id not in existing]
        reopening = [c for c in cases if c.case_id in existing and may_reopen(c, self.as_of)]
        self._pregnancy(cases, existing, patients_cases)
        if not new and not reopening:
            return
        in_batch = {c.case_id: c for c in cases}  # an update in this batch counts as it will be stored
        stored: dict[str, dict[str, "Case"]] = {}
        as_stored: dict[str, "Case"] = {}
        for case in patients_cases(sorted({c.patient.id for c in new + reopening})):
            as_stored[case.case_id] = case
            stored.setdefault(patient_key(case.patient.id), {})[case.case_id] = in_batch.get(case.case_id, case)
        for case in reopening:
            before = as_stored.get(case.case_id)
            if before is not None and reopens(before, case, self.as_of, self.settings):
                others = [c for c in stored.get(patient_key(case.patient.id), {}).values()
                          if c.case_id != case.case_id and same_person(c.patient, case.patient)]
                opens = open_cases(others, self.as_of, self.settings, exclude=case.case_id)
                if opens:
                    self.reopened.append((case.case_id, case.patient.id, opens))
        earlier: dict[str, list["Case"]] = {}  # new cases of this batch so far, by patient
        for case in new:
            p_key = patient_key(case.patient.id)
            self._note_kept_apart(case, list(stored.get(p_key, {}).values()) + earlier.get(p_key, []))
            # the open-case question's own rule (sav21): a stored ID is judged by its stored patient,
            # a new ID by the patient as typed, leaving out only a person clearly someone else
            # (``domain.identity.cases_of_person``), so what the window asked about is what is
            # refused or audited here, and no person the question passed by is joined
            others = cases_of_person(list(stored.get(p_key, {}).values()) + earlier.get(p_key, []),
                                     case.patient.id, case.patient)
            if others:
                opens = open_cases(others, self.as_of, self.settings, exclude=case.case_id)
                if opens:
                    self.found.append((case.case_id, case.patient.id, opens))
            earlier.setdefault(p_key, []).append(case)

    def _note_kept_apart(self, case: "Case", same_key: Sequence["Case"]) -> None:
        """A new case whose patient ID is new (held by no case stored or earlier in this import)
        while other IDs sharing its patient key belong to different people (name, birth date or
        sex differ: ``domain.identity.same_person``): they are kept apart, as the rule says, and
        named (:meth:`kept_apart_audit`: patient IDs and case IDs only, never a name; fxc18)."""
        from radiculopathy_desktop.domain.identity import same_person

        pid = case.patient.id
        if any(c.patient.id == pid for c in same_key) or any(item["patient_id"] == pid for item in self.kept_apart):
            return
        apart = sorted({c.patient.id for c in same_key if not same_person(c.patient, case.patient)})
        if apart:
            self.kept_apart.append({"case_id": case.case_id, "patient_id": pid, "other_patient_ids": apart})

    def kept_apart_audit(self) -> list[dict[str, Any]]:
        """The new patient IDs kept apart from same-key IDs of other people (:meth:`_note_kept_apart`)."""
        return [dict(item) for item in self.kept_apart]

    def _pregnancy(self, cases: Sequence["Case"], existing: Mapping[str, Any], patients_cases: PatientsCases) -> None:
        """The pregnancy answers of a case of this batch recording one that another case of its
        patient contradicts (``domain.episodes.pregnancy_contradictions``), stored or earlier in
        this import: named in the import's audit entry and result, not refused (which of them is
        wrong is for the clinician to find). One the stored case already had is not named again."""
        from radiculopathy_desktop.domain.episodes import patient_key, pregnancy_differs_made
        from radiculopathy_desktop.domain.identity import same_person
        from radiculopathy_desktop.domain.intake import pregnancy_records

        # a case recording an answer, and a new case that never asked (the worklist marks it beside
        # a case recording her pregnant, rt20 F2; new cases are looked up by :meth:`check` anyway)
        recording = [c for c in cases if pregnancy_records(c) is not None or c.case_id not in existing]
        if not recording:
            return
        in_batch = {c.case_id: c for c in cases}
        stored: dict[str, dict[str, "Case"]] = {}
        as_stored: dict[str, "Case"] = {}
        for case in patients_cases(sorted({c.patient.id for c in recording})):
            as_stored[case.case_id] = case
            stored.setdefault(patient_key(case.patient.id), {})[case.case_id] = in_batch.get(case.case_id, case)
        named = {_contradiction_key(item) for item in self.pregnancy}
        batch: dict[str, dict[str, "Case"]] = {}  # this batch's cases by patient (earlier batches are stored)
        for case in cases:
            batch.setdefault(patient_key(case.patient.id), {})[case.case_id] = case
        for case in recording:
            p_key = patient_key(case.patient.id)
            others = dict(stored.get(p_key, {}))
            others.update(batch.get(p_key, {}))
            others.pop(case.case_id, None)
            others = {k: c for k, c in others.items() if same_person(c.patient, case.patient)}
            if not others:
                continue
            # the worklist's rule on the import's date (sav21: a closed case's old answer is history),
            # only the contradictions this import makes (rt18 F3: not by pair)
            before = as_stored.get(case.case_id) if case.case_id in existing else None
            found = pregnancy_differs_made(case, others.values(), self.as_of, before=before)
            for item in found:
                entry = {**item.to_audit(), "cases": sorted(item.cases), "text": item.text()}
                if _contradiction_key(entry) in named:  # the same one, found from the other case
                    continue
                named.add(_contradiction_key(entry))
                self.pregnancy.append(entry)

    def pregnancy_audit(self) -> list[dict[str, Any]]:
        """The contradictions named (:meth:`_pregnancy`), for the audit entry and the result."""
        return list(self.pregnancy)

    def _allowed(self, opens) -> bool:
        if isinstance(self.new_episode, bool):
            return self.new_episode
        return all(o.case_id in self.new_episode for o in opens)

    def refusal(self) -> UserError | None:
        from radiculopathy_desktop.domain.episodes import OpenCaseExists, ReopenRefused

        refused = [item for item in self.found if not self._allowed(item[2])]
        if refused:
            return OpenCaseExists(refused)
        reopened = [item for item in self.reopened if not self._allowed(item[2])]
        if reopened:
            return ReopenRefused(reopened, where="import")
        return None

    def audit(self) -> list[dict[str, Any]]:
        """What the import's audit entry keeps of the new episodes started while a case was
        open (a closed case re-opened so is marked ``"reopened": true``)."""
        return ([{"case_id": cid, "patient_id": pid, "open_cases": [o.to_audit() for o in opens]}
                 for cid, pid, opens in self.found if self._allowed(opens)]
                + [{"case_id": cid, "patient_id": pid, "reopened": True, "open_cases": [o.to_audit() for o in opens]}
                   for cid, pid, opens in self.reopened if self._allowed(opens)])


def patient_id_variants(store, patient_id: str, apart: Iterable[str] = ()) -> str | None:
    """The warning (``domain.episodes.patient_id_variants_warning``) when stored patients'
    IDs differ from ``patient_id`` only in capitals; one patient search per query of
    ``domain.characters.capitals_queries`` (both engines, the window and ``import``).
    ``apart``: stored IDs of other people kept apart from it (:func:`kept_apart_warning` names
    them as different people; rt20 F9: "these are one patient" was printed for them too)."""
    from radiculopathy_desktop.domain.characters import capitals_queries
    from radiculopathy_desktop.domain.episodes import patient_id_variants_warning

    found = {m.patient_id for query in capitals_queries(patient_id)
             for m in store.search_patients(query, limit=50)} - set(apart)
    return patient_id_variants_warning(patient_id, sorted(found))


def reopen_check(before: "Case", after: "Case", as_of: dt.date, settings: ReviewSettings | None,
                 patients_cases: PatientsCases, new_episode: "bool | Iterable[str]" = False,
                 where: str = "decide") -> list[dict[str, Any]]:
    """One open case per patient for a decision added to a stored case (rt16 F2), the same on
    both engines, under the case's lock: when the decision re-opens ``before`` (closed on
    ``as_of``) while another case of the patient (``domain.episodes.patient_key``) is open,
    ``domain.episodes.ReopenRefused`` is raised naming the open cases, unless ``new_episode``
    (True, or the ids of the open cases shown to the clinician) allows it; then the audit
    entry's ``new_episode_while_open`` value is returned (empty when nothing was re-opened)."""
    from radiculopathy_desktop.domain.episodes import ReopenRefused, may_reopen, open_cases, reopens

    if not may_reopen(after, as_of) or not reopens(before, after, as_of, settings):
        return []
    others = [c for c in patients_cases([after.patient.id]) if c.case_id != after.case_id]
    opens = open_cases(others, as_of, settings, exclude=after.case_id)
    if not opens:
        return []
    allowed = new_episode if isinstance(new_episode, bool) else all(o.case_id in set(new_episode) for o in opens)
    if not allowed:
        raise ReopenRefused([(after.case_id, after.patient.id, opens)], where=where)
    return [{"case_id": after.case_id, "patient_id": after.patient.id, "reopened": True,
             "open_cases": [o.to_audit() for o in opens]}]


def episode_error(found: Sequence[tuple]) -> UserError:
    """Nothing imported: a new case repeats the episode of another (``domain.identity.EpisodeExists``)."""
    from radiculopathy_desktop.domain.identity import EpisodeExists

    return EpisodeExists(found)


NOT_JSON = "it is not valid JSON (damaged, for example by a hand edit)"


def read_review_settings(text: str | None, names: Iterable[str]) -> tuple[ReviewSettings, tuple[StoredSettingsProblem, ...]]:
    """The packaged defaults with the stored changes (``text``: the stored row's JSON, None
    when unset; ``names``: the review-setting keys, kept for the callers: the domain rule knows
    them and names any other stored key), and what of the stored row could not be
    used. A stored value that is no longer valid gives that setting's default, alone (the
    others are kept); a row that cannot be read at all (not JSON, not named values) gives
    every default; a stored name that is not a review setting is named and ignored
    (``domain.settings.settings_from_stored``). Never raises for what is stored."""
    from radiculopathy_desktop.domain.settings import default_review_settings

    if text is None:  # no row: the clinic changed nothing
        return default_review_settings(), ()
    try:
        stored = decode_stored_json(text)  # a name written twice is kept to be said (rt10 F9)
    except (ValueError, RecursionError):
        return default_review_settings(), (unreadable_settings(NOT_JSON),)
    return settings_from_stored(stored)


def review_settings_from_text(text: str | None, names: Iterable[str]) -> ReviewSettings:
    """:func:`read_review_settings` for a store's ``get_settings``: what could not be used
    is logged (setting names only) and told to :data:`.settings_notes.listener`."""
    settings, problems = read_review_settings(text, names)
    if problems:
        log.warning("stored review settings not all usable, their defaults used: %s",
                    "; ".join(",".join(p.keys) or "the whole review row" for p in problems))
        settings_notes.tell(problems)
    return settings


def review_settings_problems(store) -> tuple[StoredSettingsProblem, ...]:
    """What of the clinic's stored review settings cannot be used (each set back to its
    default), in words for ``settings get``, ``check`` and the window; () when all are valid."""
    absent = object()
    try:
        stored = store.setting("review", absent)
    except (ValueError, RecursionError):  # not JSON
        return (unreadable_settings(NOT_JSON),)
    if stored is absent:  # no row: the clinic changed nothing (a row holding null is said)
        return ()
    return settings_from_stored(stored)[1]


def _review_names() -> tuple[str, ...]:
    return tuple(name for name in ReviewSettings._fields if name != "content_version")


class ClinicNameFromSettings:
    """The clinic name as one field of the clinic settings, for both engines: an engine
    that has ``clinic_settings()`` and ``set_clinic_settings()`` gets these two by inheriting."""

    def get_clinic_name(self) -> str:
        """The clinic's name ("" when unset): ``clinic_settings().name``."""
        return self.clinic_settings().name

    def set_clinic_name(self, name: str, user: str):
        """Change only the clinic's name (``set_clinic_settings``); too long: :class:`UserError`."""
        from radiculopathy_desktop.domain import clinic

        try:
            return self.set_clinic_settings(self.clinic_settings().updated(name=name or ""), user)
        except clinic.ClinicSettingsError as exc:
            if len((name or "").strip()) > clinic.MAX_NAME:
                raise UserError(f"The clinic name is longer than {clinic.MAX_NAME} characters.") from None
            raise UserError(str(exc)) from None


# --------------------------------------------------------------------------- derived data
#: The settings row holding the version of the rules behind the stored derived data.
DERIVED_VERSION_KEY = "derived_version"


class DerivedVersion:
    """Whether the stored derived data is from another version of the app, for both engines:
    an engine with ``_raw_setting(key)`` (the decoded settings row, ``ValueError`` when it is
    not JSON) and ``derived_version()`` gets these two by inheriting (was written twice: D1)."""

    def _stored_derived_version(self):
        """The stored derived-data version; None when unset or damaged (not JSON, a hand edit):
        the upgrade then runs and writes it again, rather than every command stopping."""
        try:
            return self._raw_setting(DERIVED_VERSION_KEY)
        except ValueError:
            log.warning("the stored derived-data version could not be read; the derived data is rewritten")
            return None

    @property
    def upgrade_pending(self) -> bool:
        """Whether the stored derived data is from another version of the app (one settings read)."""
        return self._stored_derived_version() != self.derived_version()


# --------------------------------------------------------------------------- write keys
#: The audit detail field that carries a visit's or decision's write key (``Store.add_visit``).
WRITE_KEY = "write_key"
#: The audited actions a write key is looked for in.
KEYED_ACTIONS = ("visit_added", "decision_recorded")


def checked_write_key(key: str) -> str:
    """A write key as made by the window (a UUID's hex): 8 to 64 letters, digits or dashes;
    anything else is a programming error (``ValueError``), refused before anything is written.
    Keys are compared without case (red-team rt6 F5: ``uuidgen`` on macOS prints a UUID in
    upper case, Python and PowerShell in lower case): the key is kept in lower case."""
    if not isinstance(key, str) or not 8 <= len(key) <= 64 or not key.replace("-", "").isalnum() \
            or not key.isascii():
        raise ValueError("a write key is 8 to 64 letters, digits or dashes")
    return key.lower()


class KeyedRecordMismatch(ValueError):
    """A write key already on the case for a different record; ``fields``: the audited
    fields that differ (empty when only a field the audit does not show, such as a note, does)."""

    def __init__(self, message: str, fields: tuple[str, ...] = (), same_kind: bool = True):
        super().__init__(message)
        self.fields = fields
        self.same_kind = same_kind  # False: the key was used for the other kind of record


class KeyedRecordGone(ValueError):
    """The record saved with this write key is no longer on the case (``import
    --replace-records`` replaced the case's records since): nothing is written, and it is
    not reported as saved (red-team rt6 F4)."""


#: The audit detail field holding a digest of the whole keyed record (every field, notes and
#: treatments too), so "the same record sent again" means the same record, not only the same
#: scores shown in the audit.
RECORD_DIGEST = "record_sha256"
#: The audit detail field holding a digest of a decision as it was entered (date, kind, until,
#: by, note): without what it acknowledged, which is not typed but derived from the red flags
#: standing on the case when it is saved. A retry after a red flag was raised derives another
#: list from the same typed decision (red-team rt7 R4, R5); it is compared on this digest.
ENTERED_DIGEST = "entered_sha256"
#: The fields of a record that are derived from the case when it is saved, not entered: left
#: out of :data:`ENTERED_DIGEST`. A decision stored before the field existed had exactly the
#: other fields, so its :data:`RECORD_DIGEST` has the entered form (a retry across the upgrade).
DERIVED_FIELDS = ("acknowledged_red_flags", "closed_with_unanswered_red_flags")

#: The audit detail's key for the unanswered cauda equina questions a clinician confirmed
#: when closing a case over them (``domain.visits.unanswered_to_confirm``, rt13 F3).
UNANSWERED_CONFIRMED = "closed_with_unanswered_red_flags"


def unanswered_detail(codes) -> dict:
    """The audit detail part for the confirmed unanswered questions ({} when none)."""
    return {UNANSWERED_CONFIRMED: sorted(codes)} if codes else {}


def _canonical(value: Any) -> Any:
    import dataclasses

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # a field left out of equality (a record's entry order, given when it is saved) is not
        # part of what was recorded: the digest of a record is the same before and after saving
        # a field added later is left out while unset (``digest_omit_none``: a visit's pregnancy),
        # so the digest of a record saved before it existed stays the same
        return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value) if f.compare
                and not (f.metadata.get("digest_omit_none") and getattr(value, f.name) is None)}
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def visit_pregnancy_detail(visit: Any) -> dict[str, Any]:
    """The audit detail of a visit's pregnancy answer (preg17): ``{"pregnancy": {...}}`` as the
    case format writes it, or nothing when the visit records none (the entry is as before)."""
    from radiculopathy_desktop.domain.intake import pregnancy_update_to_dict

    found = getattr(visit, "pregnancy", None)
    return {} if found is None else {"pregnancy": pregnancy_update_to_dict(found)}


def _digest(canonical: Any) -> str:
    import hashlib

    text = json.dumps(canonical, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _has_derived(record: Any) -> bool:
    return any(hasattr(record, name) for name in DERIVED_FIELDS)


def record_digest(record: Any) -> str:
    """The digest of the whole record (:data:`RECORD_DIGEST`)."""
    return _digest(_canonical(record))


def entered_digest(record: Any) -> str:
    """The digest of the record without its derived fields (:data:`ENTERED_DIGEST`); for a
    decision, the same text as the whole-record digest of a decision stored before
    ``acknowledged_red_flags`` existed."""
    return _digest({k: v for k, v in _canonical(record).items() if k not in DERIVED_FIELDS})


def decision_to_record(decision: Any, acknowledged_red_flags: Mapping[str, Any] | None) -> Any:
    """The decision as it is written: a new record always says what it acknowledged
    (``Decision.acknowledged_red_flags``; absent is kept for decisions stored before the
    field). A caller that did not set it (a draft kept before it existed) gets the flags it
    audited as acknowledged, or none: never "absent", which would acknowledge by date alone
    (red-team rt6 F1)."""
    import dataclasses

    if decision.acknowledged_red_flags is not None:
        return decision
    named = (acknowledged_red_flags or {}).get("flags") or ()
    return dataclasses.replace(decision, acknowledged_red_flags=tuple(sorted(str(f) for f in named)))


def typed_against_kept(decision: Any, case: Any) -> Any:
    """``decision`` as it is added to ``case`` (both engines, in the write's transaction):
    its ``typed_against`` (the last entry of the case as shown when it was typed) is kept only
    when a record of the case was entered after that, so the decision does not stand for a red
    flag that record reports (red-team rt14 F8); otherwise it says nothing the entry order does
    not say already and is left out."""
    import dataclasses

    from radiculopathy_desktop.domain.intake import last_entry

    typed = getattr(decision, "typed_against", None)
    if typed is None or last_entry(case) > typed:
        return decision
    return dataclasses.replace(decision, typed_against=None)


def decision_to_write(decision: Any, acknowledged_red_flags: Mapping[str, Any] | None,
                      unanswered_confirmed: Sequence[str] = ()) -> tuple[Any, dict[str, Any]]:
    """What both engines' ``record_decision`` writes: the decision as it is recorded
    (:func:`decision_to_record`) and its ``decision_recorded`` audit detail (date, kind, until,
    by, the red flags the clinician acknowledged and the unanswered cauda equina questions
    confirmed, when any), before the write key's fields (:func:`keyed_detail`)."""
    decision = decision_to_record(decision, acknowledged_red_flags)
    detail = {"date": decision.date.isoformat(), "kind": decision.kind,
              "until": decision.until.isoformat() if decision.until else None, "by": decision.by,
              **({"acknowledged_red_flags": dict(acknowledged_red_flags)} if acknowledged_red_flags else {}),
              **unanswered_detail(unanswered_confirmed)}
    return decision, detail


def refuse_broken_text(record: Any, what: str) -> None:
    """Raise ``ValidationError`` naming the field when a visit or decision to be saved (a
    dataclass) holds text with a lone surrogate (half of a UTF-16 pair, no character: a paste
    from a damaged source, a kept copy edited by hand). Neither engine can store it (UTF-8),
    and the write failed part way with an "unexpected error" naming nothing (red team rt17
    F13); now nothing is written and the clinician is told which field (both engines, before
    any digest or write)."""
    import dataclasses

    from radiculopathy_desktop.domain.intake import FieldError, ValidationError

    problems: list[FieldError] = []
    stack: list[tuple[Any, str]] = [(getattr(record, f.name), f"{what}.{f.name}") for f in dataclasses.fields(record)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                problems.append(FieldError(where, (
                    f"{where} holds U+{ord(value[exc.start]):04X} (character {exc.start + 1}), half of a UTF-16 "
                    "surrogate pair and not a character: it cannot be stored, so nothing was saved; delete it "
                    "and type the text again")))
        elif isinstance(value, dict):
            stack.extend((v, f"{where}.{k}") for k, v in value.items())
            stack.extend((k, where) for k in value if isinstance(k, str))
        elif isinstance(value, (list, tuple, frozenset, set)):
            stack.extend((v, f"{where}[{n}]") for n, v in enumerate(value))
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            stack.extend((getattr(value, f.name), f"{where}.{f.name}") for f in dataclasses.fields(value))
    if problems:
        raise ValidationError(sorted(problems, key=lambda e: e.field))


#: The audit detail field naming who a visit or decision kept on this computer says typed it,
#: when that is not the user saving it (ui19: "Save under my name (X)"). A claim read from the
#: kept file, never an identity (anyone who can write the data folder can change it, rt8 F10):
#: the entry's ``user`` stays the one who checked and saved it. Not part of the record, so a
#: retry with the same write key by another user is still the same record.
TYPED_AS = "typed_as"


def typed_as_detail(typed_as: str | None, user: str) -> dict[str, Any]:
    """``{TYPED_AS: name}`` when ``typed_as`` (the kept file's name) is given and is not ``user``
    (surrounding spaces aside, as the window compares them); ``{}`` otherwise. A name the record
    may not keep (``storage.access.typist_name_problem``: over 40 characters, a line break, a
    right-to-left override or another control character) is refused, naming why, and nothing is
    saved: never cut or cleaned silently (sav21; the window sets such a kept file aside first)."""
    if typed_as is None or (isinstance(typed_as, str) and not typed_as.strip()):
        return {}
    problem = typist_name_problem(typed_as)
    if problem is not None:
        raise UserError(f"The name the kept copy says typed it cannot be recorded: {problem}. Nothing was saved.")
    if typed_as.strip() == (user or "").strip():
        return {}
    return {TYPED_AS: typed_as.strip()}


def keyed_detail(write_key: str | None, record: Any) -> dict[str, Any]:
    """The audit detail fields a keyed save adds: the checked key, a digest of the whole
    record (a visit or decision) and, for a decision, of what was entered; nothing without a key."""
    if write_key is None:
        return {}
    detail = {WRITE_KEY: checked_write_key(write_key), RECORD_DIGEST: record_digest(record)}
    if _has_derived(record):
        detail[ENTERED_DIGEST] = entered_digest(record)
    return detail


#: The audited fields of each keyed action (an entry saved before any digest was kept is
#: matched on these alone).
_AUDITED = {"visit_added": ("date", "leg_nrs", "back_nrs", "odi_percent", "rmdq"),
            "decision_recorded": ("date", "kind", "until", "by")}


def _stored_detail(stored_detail_json: str) -> dict | None:
    try:
        stored = json.loads(stored_detail_json)
    except (TypeError, ValueError):
        return None
    return stored if isinstance(stored, dict) else None


def saved_on_case(stored_action: str, stored_detail_json: str, held: Sequence[Any]) -> Any:
    """The record saved with a write key, as it is on the case now (``held``: the case's
    visits or decisions), or None when it is no longer there (its records were replaced since,
    ``import --replace-records``). Found by its digest: the whole record, or (a decision stored
    before it named its red flags) the same record without the field. An entry saved before
    any digest was kept is found by its audited fields."""
    stored = _stored_detail(stored_detail_json)
    if stored is None:
        return None
    digest = stored.get(RECORD_DIGEST)
    if isinstance(digest, str):
        for record in held:
            if record_digest(record) == digest:
                return record
            if _has_derived(record) and all(getattr(record, n, None) is None for n in DERIVED_FIELDS) \
                    and entered_digest(record) == digest:
                return record
        entered = stored.get(ENTERED_DIGEST)
        if isinstance(entered, str):  # what was entered is on the case, its derived fields rewritten since
            return next((r for r in held if _has_derived(r) and entered_digest(r) == entered), None)
        return None
    fields = _AUDITED.get(stored_action, ())
    for record in held:
        audited = _canonical({name: getattr(record, name, None) for name in fields})
        if all(stored.get(name) == audited[name] for name in fields):
            return record
    return None


def check_same_keyed_record(stored_action: str, stored_detail_json: str, action: str, detail: Mapping[str, Any],
                            on_case: bool = True, record: Any = None, held: Sequence[Any] | None = None) -> Any:
    """A save whose write key is already on the case must be the same record sent again (a
    retry, a second click, a replayed draft): then nothing is written and it succeeds. A
    different record, or a visit sent with a decision's key, is a caller's error
    (:class:`KeyedRecordMismatch`, a ``ValueError``), never dropped while reported saved
    (red-team rt5 F4). The same record that is no longer on the case (``on_case`` false:
    replaced by ``import --replace-records``) is :class:`KeyedRecordGone`: refused, not
    reported as still saved (rt6 F4).

    With ``record`` (what is sent) and ``held`` (the case's records of that kind), the store's
    way: "the same" is what was entered, compared without the derived fields (a decision's
    acknowledged red flags are derived from the case when it is saved, so a retry after a red
    flag was raised is still the decision saved, rt7 R4/R5), and a decision saved by the
    version before the field existed is recognised too (its digest has the entered form);
    whether it is still on the case is found in ``held`` (``on_case`` is then not used).
    Returns the record saved with the key as it is on the case (or None without ``held``)."""
    stored = _stored_detail(stored_detail_json)
    # An entry saved before the digest was kept has none: its audited fields alone decide.
    sent = {k: v for k, v in detail.items()
            if k not in (WRITE_KEY, ENTERED_DIGEST, TYPED_AS) and k not in DERIVED_FIELDS
            and not (k == RECORD_DIGEST and isinstance(stored, dict) and k not in stored)}
    sent_json = json.loads(json.dumps(sent))
    if stored_action != action or stored is None:
        raise KeyedRecordMismatch(f"this write key was already used on the case for a different record "
                                  f"({stored_action}); a new record needs a new key", (),
                                  same_kind=stored_action == action)
    saved = None
    if held is not None:  # the keyed record itself (by its digest), else one equal to what is sent
        saved = saved_on_case(stored_action, stored_detail_json, held)
        if saved is None and record is not None:
            saved = next((r for r in held if r == record), None)
    same = {k: stored.get(k) for k in sent_json if k != RECORD_DIGEST} == \
        {k: v for k, v in sent_json.items() if k != RECORD_DIGEST}
    if same and RECORD_DIGEST in sent_json:
        if record is not None and _has_derived(record):
            entered = entered_digest(record)
            if isinstance(stored.get(ENTERED_DIGEST), str):
                same = stored[ENTERED_DIGEST] == entered
            else:  # saved before the entered digest: the whole record, the old form, or as it is on the case
                same = stored.get(RECORD_DIGEST) in (sent_json[RECORD_DIGEST], entered) or (
                    saved is not None and entered_digest(saved) == entered)
        else:
            same = stored.get(RECORD_DIGEST) == sent_json[RECORD_DIGEST]
    if not same:
        differ = tuple(k for k in sent_json if k != RECORD_DIGEST and stored.get(k) != sent_json[k])
        raise KeyedRecordMismatch(f"this write key was already used on the case for a different record "
                                  f"({stored_action}); a new record needs a new key", differ,
                                  same_kind=True)
    if (saved is None) if held is not None else not on_case:
        raise KeyedRecordGone("the record saved with this write key is no longer on the case (its records were "
                              "replaced since); nothing was written; a new key adds it again")
    return saved


def keyed_record_state(stored_action: str, stored_detail_json: str, case: Any) -> str:
    """"on_case" when the record saved with a write key (its audit entry's action and detail)
    is still on ``case``, else "replaced" (``Store.keyed_record_state``)."""
    held = case.visits if stored_action == "visit_added" else case.decisions
    return "on_case" if saved_on_case(stored_action, stored_detail_json, held) is not None else "replaced"


def keep_recorded_acknowledgements(case, stored_json: str | None):
    """``case`` (being imported over a stored one) with each decision that names no red
    flags because its file left the field out (``acknowledged_red_flags`` None) given the
    list the tracker recorded for that same decision (same date, kind, until, by, note).

    Without this, re-importing a case file written without the field turned a decision
    recorded by this version into one of the earlier kind, which acknowledges by its date
    alone and so hid a red flag raised the same day (red-team rt7 R1). A decision the
    tracker holds with no list, or one that differs in any other field, is left as the
    file has it."""
    if stored_json is None or not any(d.acknowledged_red_flags is None for d in case.decisions):
        return case
    import dataclasses
    import json

    from radiculopathy_desktop.domain.intake import _decision_dict

    recorded: dict[str, list] = {}
    for item in json.loads(stored_json).get("decisions") or []:
        named = item.get("acknowledged_red_flags")
        if named is not None:
            rest = {k: v for k, v in item.items() if k not in ("acknowledged_red_flags", "entry")}
            recorded.setdefault(json.dumps(rest, sort_keys=True), named)
    if not recorded:
        return case
    decisions = []
    for d in case.decisions:
        if d.acknowledged_red_flags is None:
            named = recorded.get(_without_entry(_decision_dict(d)))
            if named is not None:
                d = dataclasses.replace(d, acknowledged_red_flags=tuple(named))
        decisions.append(d)
    return dataclasses.replace(case, decisions=tuple(decisions))


def acknowledge_left_out(case, stored_json: str | None):
    """``case`` (being imported, after :func:`keep_recorded_acknowledgements`) with each
    decision that leaves ``acknowledged_red_flags`` out and that the tracker does not hold
    as it is (a decision new to it) naming the red flags standing on its date, as ``decide``
    records a decision (``followup.acknowledgement`` of ``followup.standing_red_flags``):
    ``[]`` when none stand. Returns ``(case, left_out)``: ``left_out`` holds the indexes of
    those decisions in ``case.decisions``, for :func:`imported_acknowledgements`.

    Read as one recorded before the field existed, such a decision acknowledged every red
    flag raised before its date, so a hand-written or scripted file closed or paused a cauda
    equina case with no word (red-team rt9 F7). A decision the tracker holds without the
    field (the same date, kind, until, by and note) is left as it is."""
    if not any(d.acknowledged_red_flags is None for d in case.decisions):
        return case, frozenset()
    import dataclasses
    from collections import Counter

    from radiculopathy_desktop.domain.followup import acknowledgement, standing_red_flags
    from radiculopathy_desktop.domain.intake import _decision_dict

    held: Counter = Counter()
    if stored_json is not None:
        held.update(_without_entry(item) for item in json.loads(stored_json).get("decisions") or []
                    if isinstance(item, dict) and "acknowledged_red_flags" not in item)
    decisions, left_out = [], set()
    for i, d in enumerate(case.decisions):
        if d.acknowledged_red_flags is None:
            text = _without_entry(_decision_dict(d))
            if held[text] > 0:  # held by the tracker as it is: recorded before the field existed
                held[text] -= 1
            else:
                d = acknowledgement(d, standing_red_flags(case, d.date))
                left_out.add(i)
        decisions.append(d)
    if not left_out:
        return case, frozenset()
    return dataclasses.replace(case, decisions=tuple(decisions)), frozenset(left_out)


def imported_acknowledgements(case, stored_json: str | None,
                              left_out: frozenset[int] = frozenset()) -> list[dict[str, Any]]:
    """The decisions of ``case`` (being imported) that close or pause it while naming red
    flags as acknowledged (``acknowledged_red_flags`` not empty; resolved, continue, declined)
    and that the tracker does not already hold as they are: what ``decide`` records only with
    ``--acknowledge-red-flags``. One entry per decision, for the import's audit entry and its
    summary (red-team rt7 R6): ``{"case_id", "date", "kind", "flags"}``, with
    ``"field_left_out": True`` for a decision given the flags standing on its date by
    :func:`acknowledge_left_out` (its indexes in ``left_out``; rt9 F7)."""
    from radiculopathy_desktop.domain.followup import DECISIONS_NEEDING_ACKNOWLEDGEMENT

    candidates = [(i, d) for i, d in enumerate(case.decisions)
                  if d.acknowledged_red_flags and d.kind in DECISIONS_NEEDING_ACKNOWLEDGEMENT]
    # those recorded in the tracker already (a re-import of its own export) are left out
    return [{"case_id": case.case_id, "date": d.date.isoformat(), "kind": str(d.kind),
             "flags": list(d.acknowledged_red_flags), **({"field_left_out": True} if i in left_out else {})}
            for i, d in _not_held(candidates, stored_json)]


def _not_held(candidates: Sequence[tuple[int, Any]], stored_json: str | None) -> list[tuple[int, Any]]:
    """``candidates`` (``(index, decision)`` of a case being imported) but those the tracker
    holds as they are (``stored_json``; compared without ``entry``, each stored one once)."""
    if not candidates or stored_json is None:
        return list(candidates)
    from collections import Counter

    from radiculopathy_desktop.domain.intake import _decision_dict

    held: Counter = Counter(_without_entry(item) for item in json.loads(stored_json).get("decisions") or [])
    out = []
    for i, d in candidates:
        text = _without_entry(_decision_dict(d))
        if held[text] > 0:
            held[text] -= 1
            continue
        out.append((i, d))
    return out


def imported_closings_unanswered(case, stored_json: str | None) -> list[dict[str, Any]]:
    """The decisions of ``case`` (being imported) that discharge it or record that the patient
    declined while cauda equina questions stand unanswered on their date, and that the
    tracker does not already hold: what ``decide`` records only with
    ``--close-with-unanswered-red-flags`` (the same domain rule,
    ``domain.visits.unanswered_to_confirm``; rt13 F3 by import, red-team rt14 F7). One entry
    per decision: ``{"case_id", "date", "kind", "questions"}`` (question codes)."""
    from radiculopathy_desktop.domain.visits import CLOSING_NEEDING_ANSWERS, unanswered_to_confirm

    candidates = [(i, d) for i, d in enumerate(case.decisions) if d.kind in CLOSING_NEEDING_ANSWERS]
    out = []
    for _, d in _not_held(candidates, stored_json):  # one the tracker holds was confirmed there (or before the rule)
        questions = unanswered_to_confirm(case, d.kind, d.date)
        if questions:
            out.append({"case_id": case.case_id, "date": d.date.isoformat(), "kind": str(d.kind),
                        "questions": list(questions)})
    return out


def closings_unanswered_summary(closings: Sequence[Mapping[str, Any]], limit: int = 20) -> str:
    """In words, the imported decisions that close a case over unanswered cauda equina questions."""
    from radiculopathy_desktop.domain.characters import visible_id
    from radiculopathy_desktop.domain.visits import question_labels
    from radiculopathy_desktop.domain.vocabulary import DECISIONS

    return _listed([f"case {visible_id(c['case_id'])}: {DECISIONS.get(c['kind'], c['kind'])} ({c['date']}) with "
                    f"unanswered: {'; '.join(question_labels(c['questions']))}" for c in closings], limit)


def closing_unanswered_refusal(closings: Sequence[Mapping[str, Any]]) -> UserError:
    """Nothing imported: decisions in the file close cases over unanswered cauda equina
    questions, and the import was not told to record that (``import
    --close-with-unanswered-red-flags``, as ``decide`` asks)."""
    return UserError("import: nothing was imported: the file closes a case whose cauda equina questions are "
                     "unanswered on the decision's date (unknown is not no):\n  " + closings_unanswered_summary(closings)
                     + "\nAsk them and record the answers at a visit (if any is yes, this is an emergency), or "
                     "import knowingly with --close-with-unanswered-red-flags (as `decide` asks; kept in the "
                     "import's audit entry).", exit_code=2)


def acknowledgement_refusal(acknowledged: Sequence[Mapping[str, Any]]) -> UserError:
    """Nothing imported: decisions in the file acknowledge red flags, and the import was not
    told to record that (``import --acknowledge-red-flags``, as ``decide`` asks)."""
    return UserError("import: nothing was imported: " + acknowledged_summary(acknowledged) + "\n`decide` records "
                     "such a decision only with --acknowledge-red-flags. Check that each was made knowingly (act on "
                     "the red flag otherwise), then import again with --acknowledge-red-flags: the acknowledgement is "
                     "kept in the audit.", exit_code=2)


def acknowledged_summary(acknowledged: Sequence[Mapping[str, Any]], limit: int = 20) -> str:
    """In words, the imported decisions that acknowledge red flags (at most ``limit`` listed)."""
    from radiculopathy_desktop.domain.followup import red_flag_labels
    from radiculopathy_desktop.domain.vocabulary import DECISIONS

    n = len(acknowledged)
    lines = [f"{n} decision{'s' if n != 1 else ''} in the file {'close' if n != 1 else 'closes'} or pause"
             f"{'' if n != 1 else 's'} a case while acknowledging red flags:"]
    for item in acknowledged[:limit]:
        lines.append(f"  case {item['case_id']}, {item['date']}, {DECISIONS.get(item['kind'], item['kind'])}: "
                     + "; ".join(red_flag_labels(item["flags"]))
                     + (" (the file leaves acknowledged_red_flags out: these red flags stand on its date)"
                        if item.get("field_left_out") else ""))
    if n > limit:
        lines.append(f"  ... and {n - limit} more")
    return "\n".join(lines)


# --------------------------------------------------------------------------- what an import may not rewrite silently
def patient_details_changed(stored: Mapping[str, Any], new: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    """(field, stored, file) for each of the patient's name, birth date and sex the tracker
    holds and the file changes or leaves out, and a pregnancy it holds that the file leaves out
    or nulls (decoded canonical ``patient`` objects). Filling
    in what the tracker does not know (no birth date, sex "unknown") and a name differing
    only in capitals or spaces are not changes of the person."""
    out: list[tuple[str, Any, Any]] = []
    name, new_name = stored.get("name"), new.get("name")
    if name and not (new_name and same_name(name, new_name)):  # NFC too (rt11 F14)
        out.append(("name", name, new_name))
    if stored.get("birth_date") and stored.get("birth_date") != new.get("birth_date"):
        out.append(("birth_date", stored.get("birth_date"), new.get("birth_date")))
    sex = stored.get("sex")
    if sex and sex != "unknown" and sex != new.get("sex"):
        out.append(("sex", sex, new.get("sex")))
    # a pregnancy left out (or null, or answered "not pregnant") reads "not pregnant": the
    # medicine rules and the handouts lose its warnings (red-team rt14 F5); other weeks are
    # checked by what they move
    if stored.get("pregnancy_weeks") is not None and new.get("pregnancy_weeks") is None:
        out.append(("pregnancy_weeks", stored.get("pregnancy_weeks"), False if new.get("pregnant") is False else None))
    # an answer "not pregnant" left out would read "not asked" (preg16): the answer is not lost silently
    elif stored.get("pregnant") is False and new.get("pregnant") is None and new.get("pregnancy_weeks") is None:
        out.append(("pregnant", False, None))
    return out


def intake_red_flags_changed(stored: Mapping[str, Any], new: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(flag, file's answer or None) for each red flag the tracker holds answered "yes" at the
    intake (decoded canonical case JSON) that the file answers otherwise or leaves out."""
    before = stored.get("red_flags") or {}
    after = new.get("red_flags") or {}
    return [(flag, after.get(flag)) for flag, answer in before.items()
            if answer == "yes" and after.get(flag) != "yes"]


#: The intake's dates that place a case on the surgical-review clock (docs/case-format.md):
#: the onset (the phase counts from it), the intake visit (the care start when none is
#: given; red flags of the intake stand from it) and the care start (the 6-12 week clock
#: counts from it). Each with what a clinician is told it drives.
CLOCK_DATES = (("onset_date", "the phase counts from it"),
               ("visit_date", "the intake: its red flags stand from it"),
               ("care_start_date", "the surgical-review clock counts from it"))


def clock_dates_changed(stored: Mapping[str, Any], new: Mapping[str, Any]) -> list[tuple[str, Any, Any, str]]:
    """(field, stored, file, what it drives) for each of the intake's clock dates
    (:data:`CLOCK_DATES`) the file changes (decoded canonical case JSON; a care start left
    out is the intake visit date, as the case format says)."""
    def dated(case: Mapping[str, Any]) -> dict[str, Any]:
        return {"onset_date": case.get("onset_date"), "visit_date": case.get("visit_date"),
                "care_start_date": case.get("care_start_date") or case.get("visit_date")}
    before, after = dated(stored), dated(new)
    return [(field, before[field], after[field], drives) for field, drives in CLOCK_DATES
            if before[field] != after[field]]


def _quoted(value: Any) -> str:
    return "no value" if value is None else repr(value)


#: the intake's scores: improvement, and so the surgical-review status, is judged against them
BASELINE_SCORES = (("pain", "leg_nrs"), ("pain", "back_nrs"), ("function", "odi_percent"), ("function", "rmdq"))


def baseline_scores_changed(stored: Mapping[str, Any], new: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    """(field, stored, file) for each intake score the tracker holds that the file changes or
    leaves out (decoded canonical case JSON): a higher baseline turns a case that is not
    improving into "Improving" and takes it out of the surgical-review group (red-team rt12
    F4). Filling in a score the tracker does not hold is a change too once a follow-up visit
    (stored or in the file) holds that score: the new baseline is what the visit's value is
    judged against (rt13 F1: RMDQ 22 filled in at the intake turned "Due, 14 -> 13" into
    "Improving"). With no follow-up value of it yet, filling it in judges nothing already
    recorded and is allowed."""
    followed = {key for visits in (stored.get("visits") or (), new.get("visits") or ())
                for v in visits for _, key in BASELINE_SCORES if isinstance(v, Mapping) and v.get(key) is not None}
    out = []
    for group, key in BASELINE_SCORES:
        was = (stored.get(group) or {}).get(key)
        now = (new.get(group) or {}).get(key)
        if now != was and (was is not None or key in followed):
            out.append((f"{group}.{key}", was, now))
    return out


def red_flags_lost(before, after) -> list[tuple[str, str, str | None]]:
    """(date, what the engine raised, None or how it is lowered) for each red flag that the
    stored case ``before`` raises and the imported case ``after`` would no longer raise, or
    would raise at a lower tier (an emergency made urgent: rt12 F1), on the intake's date and
    on each stored visit's date (parsed :class:`~radiculopathy_desktop.domain.intake.Case`).

    A red flag is not only a "yes" answer: the examination (upper motor neurone signs, a
    muscle graded MRC 3 or less), the age (minor trauma over 50) and the conditions raise
    them too (red-team rt11 F1). The comparison reads the imported intake with the stored
    visits, so a visit the file adds cannot hide what changed at the intake (visits the file
    leaves out are refused, or listed with ``--replace-records``, on their own)."""
    from radiculopathy_desktop.domain.triage import Tier, triage_case

    import dataclasses

    hybrid = dataclasses.replace(before, intake=after.intake)
    days = sorted({before.intake.visit_date, *(v.date for v in before.visits)})
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for day in days:
        raised = {h.rule_id: h for h in triage_case(before, day).hits if h.tier != Tier.ROUTINE}
        if not raised:
            continue
        kept = {h.rule_id: h for h in triage_case(hybrid, day).hits if h.tier != Tier.ROUTINE}
        for rule_id, hit in raised.items():
            now = kept.get(rule_id)
            if rule_id in seen or (now is not None and Tier(now.tier).rank <= Tier(hit.tier).rank):
                continue
            seen.add(rule_id)
            # gone, or still raised at a lower tier: an emergency would become urgent (red-team rt12 F1)
            out.append((day.isoformat(), hit.headline, None if now is None else
                        f"{Tier(hit.tier).label} -> {Tier(now.tier).label}: '{now.headline}'"))
    return out


def records_removed_in_detail(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The visits and decisions of the stored case ``before`` that ``after`` (decoded
    canonical case JSON) does not hold: ``{"record", "date", ...}`` each, with the red flags a
    visit answered "yes" and a decision's kind (red-team rt11 F13: what ``--replace-records``
    removed is named, not only counted)."""
    out: list[dict[str, Any]] = []
    for key, record in (("visits", "visit"), ("decisions", "decision")):
        kept = after.get(key) or []
        for item in before.get(key) or []:
            if item in kept:
                continue
            entry: dict[str, Any] = {"record": record, "date": item.get("date")}
            if record == "visit":
                flags = sorted(k for k, v in (item.get("red_flags") or {}).items() if v == "yes")
                if flags:
                    entry["red_flags"] = flags
                if item.get("pregnancy") is not None:  # what the medicine rules read from its date on
                    entry["pregnancy"] = item["pregnancy"]
            else:
                entry["kind"] = item.get("kind")
            out.append(entry)
    return out


# --------------------------------------------------------------------------- what an import changes, said
def _yes_no(value: Any) -> str:
    return "not recorded" if value is None else ("yes" if value else "no")


def _mg_words(doses: Sequence[float | None]) -> str:
    return " + ".join("not recorded" if d is None else f"{d:g} mg/day" for d in doses) or "none"


def medicines_changed(old_intake, new_intake) -> list[str]:
    """In words, how the file's intake medicines differ from the stored ones (parsed
    :class:`~radiculopathy_desktop.domain.intake.Intake`): ``added X``, ``removed Y``,
    ``dose of Z 300 -> 600 mg/day``. They move the medicine alerts (REDUCE DOSE, AVOID) the
    clinician relies on, so an import names them (closing note 9)."""
    def doses(intake) -> dict[str, list]:
        out: dict[str, list] = {}
        for m in intake.medicines:
            out.setdefault(m.name, []).append(m.daily_dose_mg)
        return out

    def key(d):
        return (d is None, d or 0)

    before, after = doses(old_intake), doses(new_intake)
    out = [f"added {visible(n)}" + ("" if after[n] == [None] else f" {_mg_words(after[n])}")
           for n in after if n not in before]
    out += [f"removed {visible(n)}" for n in before if n not in after]
    for name, was in before.items():
        now = after.get(name)
        if now is None or sorted(was, key=key) == sorted(now, key=key):
            continue
        if len(was) == len(now) == 1 and None not in (was[0], now[0]):
            out.append(f"dose of {visible(name)} {was[0]:g} -> {now[0]:g} mg/day")
        else:
            out.append(f"dose of {visible(name)} {_mg_words(was)} -> {_mg_words(now)}")
    return out


def conditions_changed(old_intake, new_intake) -> list[str]:
    """In words, how the file's intake conditions differ from the stored ones (the
    conditions, the kidney tests, alcohol use, the pain classification, pregnancy and the
    weight Cockcroft-Gault uses): ``Chronic kidney disease no -> yes``. Each can move a
    medicine alert."""
    from radiculopathy_desktop.domain.vocabulary import BOOLEAN_CONDITIONS

    a, b = old_intake.conditions, new_intake.conditions
    out = []
    names = list(BOOLEAN_CONDITIONS) + sorted((set(a.flags) | set(b.flags)) - set(BOOLEAN_CONDITIONS))
    for name in names:
        if a.flags.get(name) != b.flags.get(name):
            out.append(f"{BOOLEAN_CONDITIONS.get(name, name)} {_yes_no(a.flags.get(name))} -> "
                       f"{_yes_no(b.flags.get(name))}")

    def creatinine(c) -> str:
        return "not recorded" if c.creatinine_value is None else f"{c.creatinine_value:g} {c.creatinine_unit}"

    def number(value, unit: str = "") -> str:
        return "not recorded" if value is None else f"{value:g}{unit}"

    pa, pb = old_intake.patient, new_intake.patient
    for label, was, now in (
            ("serum creatinine", creatinine(a), creatinine(b)),
            ("eGFR", number(a.egfr), number(b.egfr)),
            ("alcohol use", a.alcohol_use, b.alcohol_use),
            ("pain classification", ", ".join(a.pain_classification) or "not recorded",
             ", ".join(b.pain_classification) or "not recorded"),
            ("pregnancy", _pregnancy_words(pa), _pregnancy_words(pb)),
            ("weight", number(pa.weight_kg, " kg"), number(pb.weight_kg, " kg"))):
        if was != now:
            out.append(f"{label} {was} -> {now}")
    return out


def pregnancy_recorded_at_added_visits(before, after) -> list[str]:
    """Each pregnancy answer recorded at a visit the file adds to the stored case (parsed
    cases), in words with the answer standing before it ("pregnancy at the visit of D: not
    pregnant (ended E); was 24 weeks"): allowed (a visit is where a pregnancy that ended or
    began is recorded), but named, as the medicine warnings move with it (preg17)."""
    stored = list(before.visits)
    out = []
    for v in after.visits:
        if v in stored:
            stored.remove(v)
            continue
        if v.pregnancy is None:
            continue
        was = before.pregnancy_status(v.date)
        was_words = (f"{was.on_date.weeks} weeks" if was.on_date is not None
                     else {"no": "not pregnant", "unknown": "not recorded"}[was.answer])
        u = v.pregnancy
        now = (f"{u.weeks} weeks" if u.pregnant
               else "not pregnant" + (f" (ended {u.ended_on.isoformat()})" if u.ended_on else ""))
        out.append(f"pregnancy at the visit of {v.date.isoformat()}: {now}; was {was_words}")
    return out


def _pregnancy_words(patient) -> str:
    """A patient's recorded pregnancy as an import names a change of it ("24 weeks")."""
    if patient.pregnancy_weeks is not None:
        return f"{patient.pregnancy_weeks} weeks"
    return "not pregnant" if patient.pregnant is False else "not recorded"


#: The parts of an intake the medicine engine reads (``medications.assess_medications``;
#: tests/storage/test_import_changes_named.py checks the engine reads no other).
#: ``visit_date``: the pregnancy's weeks are recorded on it and move on from it (Intake.pregnancy_on).
#: ``pregnancy_update``: a visit's pregnancy (Case.intake_as_of sets it; a parsed intake holds none).
MEDICINE_RULE_INPUTS = ("medicines", "conditions", "patient", "onset_date", "red_flags", "visit_date",
                        "pregnancy_update")


def medicine_alerts_lost(before, after) -> list[tuple[str, str, str | None, tuple[str, ...]]]:
    """(date, the alert, None or how it is lowered, profiles) for each medicine alert
    (contraindicated, avoid, reduce dose: ``domain.medicine_alerts``, what the worklist,
    the window's banner and the summary show) that the stored case ``before`` raises on its
    latest record's date and the file's intake would no longer raise there, or would raise at
    a milder rating (parsed cases). The file's intake is read with the stored visits, as
    :func:`red_flags_lost` does; both guideline profiles are checked (their maxima differ).
    An alert is the same alert when it is of the same kind about the same drugs
    (:func:`_alert_drugs`): a medicine renamed brand <-> generic ("Nurofen" -> "ibuprofen")
    whose alert stands is not lost; one removed, or renamed to another drug, is."""
    if not before.intake.medicines or all(getattr(before.intake, f) == getattr(after.intake, f)
                                          for f in MEDICINE_RULE_INPUTS):
        return []  # nothing the medicine rules read differs: no alert can move (a note, a score...)
    import dataclasses

    return _alerts_lost(before, dataclasses.replace(before, intake=after.intake))


def _alerts_lost(before, after) -> list[tuple[str, str, str | None, tuple[str, ...]]]:
    """:func:`medicine_alerts_lost`'s comparison of two cases' medicine alerts on ``before``'s
    latest record's date, in both guideline profiles."""
    from radiculopathy_desktop.domain.guideline import available_profiles
    from radiculopathy_desktop.domain.medicine_alerts import ALERT_STATUSES, medicine_alerts
    from radiculopathy_desktop.domain.medications import assess_medications

    rank = {s: i for i, s in enumerate(ALERT_STATUSES)}  # 0: the worst
    drugs = _alert_drugs()
    day = max([before.intake.visit_date, *(v.date for v in before.visits), *(d.date for d in before.decisions)])
    lost: dict[tuple, list] = {}
    for profile in available_profiles():
        def alerts(case) -> dict[tuple, Any]:
            return {(a.kind, drugs(a.medicines)): a
                    for a in medicine_alerts(assess_medications(case.intake_as_of(day), day, profile=profile))}
        was = alerts(before)
        if not was:
            continue
        now = alerts(after)
        for key, alert in was.items():
            kept = now.get(key)
            if kept is not None and rank[kept.status] <= rank[alert.status]:
                continue
            # avoid2 (H-FMT-901): an alert keeping a medicine (an anticoagulant beside an NSAID) is named as the
            # worklist names it, "naproxen (with apixaban 5mg bd: keep it)", never as three medicines alike
            words = f"{alert.status_label.upper()}: {_alert_named(alert)}"
            lowered = None if kept is None else f"{alert.status_label.upper()} -> {kept.status_label.upper()}"
            entry = lost.setdefault((words, lowered), [day.isoformat(), words, lowered, []])
            entry[3].append(profile)
    return [(on, words, lowered, tuple(profiles)) for on, words, lowered, profiles in lost.values()]


def _alert_named(alert) -> str:
    """The medicines of a lost alert as the audit names them (each :func:`visible`): "ibuprofen, naproxen"; with a
    medicine to keep, the ones to review and the kept one said so (``MedicineAlert.named``)."""
    from radiculopathy_desktop.domain.worklist_marks import AlertMark

    # mtxavoid (H-FMT-902): a pair reviewed with the prescriber is named as the combination, as the worklist names it
    return AlertMark(alert.status_label, tuple(visible(n) for n in alert.medicines), "", "",
                     tuple(visible(n) for n in alert.kept), alert.both).named()


def visit_pregnancies_replaced(before, after) -> list:
    """The stored visits recording a pregnancy (``visits[].pregnancy``, preg17) that the file
    (parsed cases) does not hold as they are: left out or changed (other weeks, or "not
    pregnant"), which only ``replace_records`` allows; oldest first."""
    left = list(after.visits)
    gone = []
    for v in before.visits:
        if v in left:
            left.remove(v)
        elif v.pregnancy is not None:
            gone.append(v)
    return sorted(gone, key=lambda v: v.date)


def medicine_alerts_lost_at_visits(before, after) -> list[tuple[str, str, str | None, tuple[str, ...], tuple]]:
    """(date, the alert, None or how it is lowered, profiles, the stored visits replaced) for
    each medicine alert that the stored case raises on its latest record's date because of a
    pregnancy recorded at a visit, and that the file no longer raises there, or rates milder,
    because the file leaves that visit out or records other weeks at it (red-team rt17 F12:
    25 -> 15 weeks lost "AVOID: ibuprofen" (NSAIDs from 20 weeks), unnamed). Compared with the
    file's intake on both sides, so what :func:`medicine_alerts_lost` names for the intake is
    not named twice; a visit the file only adds never counts here (a pregnancy recorded at a
    new visit is named under ``changed``, not refused)."""
    gone = visit_pregnancies_replaced(before, after)
    if not gone or not (before.intake.medicines or after.intake.medicines):
        return []
    import dataclasses

    base = dataclasses.replace(before, intake=after.intake)
    lost = _alerts_lost(base, dataclasses.replace(base, visits=after.visits))
    return [(on, words, lowered, profiles, tuple(gone)) for on, words, lowered, profiles in lost]


def _visit_pregnancy_words(visit) -> str:
    p = visit.pregnancy
    return (f"the visit of {visit.date.isoformat()} ("
            + (f"pregnant, {p.weeks} weeks" if p.pregnant and p.weeks is not None else "pregnant" if p.pregnant
               else "not pregnant") + ")")


def _alert_drugs() -> Callable[[Iterable[str]], frozenset[str]]:
    """What identifies the medicines of an alert across a re-import: each name as the medicine
    engine resolves it (``MedicineData.resolve``, the names the assessment itself matches:
    "Nurofen", "ibuprofen 400 mg tablets" and "ibuprofen" are ibuprofen; "co-codamol" is
    codeine and paracetamol), and a name it does not recognise as recorded, without case."""
    from radiculopathy_desktop.domain.medications import load_medicine_data

    data = load_medicine_data()

    def drugs(names: Iterable[str]) -> frozenset[str]:
        out: set[str] = set()
        for name in names:
            generics = data.resolve(name)[0]
            out.update(generics if generics else (name.casefold(),))
        return frozenset(out)
    return drugs


def red_flags_answered_no(before, after) -> list[tuple[str, tuple[str, ...], str, bool]]:
    """(date of the visit, flags, date of the "yes", same day) for each visit the file adds
    to a stored case (parsed cases) that answers "no" a red flag the tracker's records
    answer "yes" on or before its date: a re-screen clears a red flag (by design), so an
    import names it (red-team rt12 F14). ``same day`` when the "yes" was recorded on the
    visit's own date (the intake or a stored visit): the order of the two records is then
    not known, and :class:`ImportGuard` refuses the "no" without ``replace_records``, as a
    red flag typed after a same-day decision is not taken as seen by it
    (``followup.acknowledges``)."""
    stored = list(before.visits)
    added = []
    for v in after.visits:
        if v in stored:
            stored.remove(v)
        else:
            added.append(v)
    # the one rule of every path adding a visit (domain.followup, tryout36 F1)
    from radiculopathy_desktop.domain.followup import red_flag_noes_against_yes

    out = []
    for visit in added:
        for flags, day in red_flag_noes_against_yes(before, visit):
            out.append((visit.date.isoformat(), flags, day.isoformat(), day == visit.date))
    return out


def pregnancy_warnings_lost(before, after) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(date, the warning, its reason, profiles) for each medicine the patient takes now, or
    of a class she was given (``treatments_tried``: the handout prints its sheet), whose
    warning for the stored pregnancy (a reason of caution or worse that the rules give only
    because she is pregnant) the file's pregnancy (both record one, in other weeks) no longer
    gives, or gives milder (parsed cases; red-team rt14 F5: a pregnancy warning on codeine
    taken now, or "avoid NSAIDs from 20 weeks" on the NSAID she was given, is not a medicine
    alert of :func:`medicine_alerts_lost`, yet the handout and the banner change with it).
    Only the pregnancy is changed in the comparison, so what is named is what the weeks
    moved; a pregnancy the file leaves out is refused on its own
    (:func:`patient_details_changed`)."""
    was, now = before.intake.patient.pregnancy_weeks, after.intake.patient.pregnancy_weeks
    if was is None or now is None or was == now:
        return []
    import dataclasses

    from radiculopathy_desktop.domain.guideline import available_profiles
    from radiculopathy_desktop.domain.medications import SEVERITIES, assess_medications

    intake = before.intake

    def weeks(n):
        return dataclasses.replace(before, intake=dataclasses.replace(
            intake, patient=dataclasses.replace(intake.patient, pregnancy_weeks=n)))

    given = {t.code for t in intake.treatments_tried}
    day = max([intake.visit_date, *(v.date for v in before.visits), *(d.date for d in before.decisions)])
    lost: dict[tuple, list] = {}
    for profile in available_profiles():
        def rows(case) -> dict[str, Any]:
            return {row.drug: row for row in assess_medications(case.intake_as_of(day), day, profile=profile).rows
                    if row.currently_taking or row.treatment_code in given}

        not_pregnant = {drug: {r.rule for r in row.reasons} for drug, row in rows(weeks(None)).items()}

        def worst(row) -> tuple[int, Any]:
            """The pregnancy's own reasons of caution or worse: the worst, ranked."""
            own = [r for r in row.reasons_at_least("caution") if r.rule not in not_pregnant.get(row.drug, ())]
            top = max(own, key=lambda r: SEVERITIES.index(r.severity), default=None)
            return (-1 if top is None else SEVERITIES.index(top.severity)), top

        moved = rows(weeks(now))
        for drug, row in rows(before).items():
            rank, reason = worst(row)
            if reason is None or (drug in moved and worst(moved[drug])[0] >= rank):
                continue
            what = (f"{reason.severity.replace('_', ' ').upper()}: "
                    + (", ".join(visible(n) for n in row.current_medicines) + " (taken now)" if row.currently_taking
                       else f"{row.label} ({row.class_label}, given)"))
            entry = lost.setdefault((what, reason.text), [day.isoformat(), what, reason.text, []])
            if profile not in entry[3]:
                entry[3].append(profile)
    return [(on, what, why, tuple(profiles)) for on, what, why, profiles in lost.values()]


def muscles_graded_higher(before, after) -> list[tuple[str, str, int, int, str, bool]]:
    """(date of the visit, muscle, stored grade, file's grade, date of the stored grade, same
    day) for each muscle a visit the file adds to a stored case (parsed cases) grades higher
    than the MRC 3/5 or less (a severe motor deficit, ``triage.SEVERE_MRC_MAX``) the tracker's
    records grade it on or before the visit's date (the intake's examination, then the stored
    visits). A higher grade clears that red flag, as a re-screen "no" clears an answer, so an
    import names it; ``same day`` when the weak grade was recorded on the visit's own date:
    the order of the two records is then not known, and :class:`ImportGuard` refuses it
    without ``replace_records``, as it refuses a same-day "no" (red-team rt14 F8)."""
    from radiculopathy_desktop.domain.triage import SEVERE_MRC_MAX

    stored = list(before.visits)
    added = []
    for v in after.visits:
        if v in stored:
            stored.remove(v)
        elif v.power:
            added.append(v)
    out = []
    for visit in added:
        standing = {m: (g, before.intake.visit_date) for m, g in before.intake.examination.power.items()}
        for v in before.visits:
            if v.date <= visit.date:
                standing.update((m, (g, v.date)) for m, g in v.power.items())
        for muscle, grade in visit.power.items():
            was, on = standing.get(muscle, (None, None))
            if was is not None and was <= SEVERE_MRC_MAX and grade > was:
                out.append((visit.date.isoformat(), muscle, was, grade, on.isoformat(), on == visit.date))
    return out


def _regraded_words(regrades) -> list[str]:
    from radiculopathy_desktop.domain.vocabulary import MUSCLE_GROUPS

    return [f"{MUSCLE_GROUPS.get(m, m).lower()} {was} -> {now} at a visit on {on} (MRC {was} on {since})"
            for on, m, was, now, since, _ in regrades]


class ImportGuard:
    """What an import may not change in a case the tracker holds (red-team rt10 F1, F5):

    - the patient ID: a case belongs to one patient, so a file giving a stored case to
      another patient ID (a case ID used on two workstations, a mistyped patient ID) is
      always refused (``moved``);
    - a red flag answered "yes" at the intake, a red flag the intake's examination, age or
      conditions raised (compared by the engine's triage, :func:`red_flags_lost`; rt11 F1), the
      intake's clock dates (onset, intake visit, care start: moving them moves the case in or
      out of the review window), and the patient's name, birth date, sex and age at the
      intake: like a recorded visit or decision, refused (``protected``) unless
      ``replace_records``; with it they are replaced and listed (``replaced``: the import's
      audit entry and summary);
    - with ``replace_records``, the visits and decisions the file leaves out are listed
      (``removed``, rt11 F13), as the audit entry keeps them;
    - a medicine alert (contraindicated, avoid, reduce dose) the stored intake raises that the
      file's intake no longer raises, or rates milder (:func:`medicine_alerts_lost`), and a
      visit the file adds answering "no" a red flag answered "yes" on the same date (the order
      of the two is not known: :func:`red_flags_answered_no`), or grading a muscle higher than
      the MRC 3/5 or less recorded on its date (:func:`muscles_graded_higher`, rt14 F8):
      refused like the above;
    - what is allowed but moves what the clinician relies on is named (``changed``: the
      import's summary and audit entry): the intake's medicines and conditions
      (:func:`medicines_changed`, :func:`conditions_changed`), a red flag cleared by a
      re-screen at a visit the file adds, and a case that leaves Immediate (rt12 F14).

    ``settings`` (the tracker's review settings, set by the engine once read) name the status
    a case leaving Immediate is in; ``today`` is the date that status is taken on.
    """

    def __init__(self, replace_records: bool, settings: ReviewSettings | None = None,
                 today: dt.date | None = None):
        self.replace_records = replace_records
        self.settings = settings
        self.today = today
        #: what an update changed that the clinician relies on, allowed and named
        #: (``{"case_id", "field", "changes": [words]}``)
        self.changed: list[dict[str, Any]] = []
        self.moved: list[str] = []
        self.protected: list[str] = []
        self.replaced: list[dict[str, Any]] = []
        #: visits and decisions ``replace_records`` removed (``records_removed_in_detail``)
        self.removed: list[dict[str, Any]] = []
        #: decisions new to the tracker closing a case over unanswered cauda equina questions
        #: (:func:`imported_closings_unanswered`; red-team rt14 F7)
        self.closed_unanswered: list[dict[str, Any]] = []

    def note_closings(self, case, stored_json: str | None) -> None:
        """Keep the decisions of ``case`` (written) that close it over unanswered cauda
        equina questions (:func:`imported_closings_unanswered`)."""
        self.closed_unanswered.extend(imported_closings_unanswered(case, stored_json))

    def allows(self, case_id: str, stored_json: str | None, canonical: str) -> bool:
        """True when ``case_id`` may be written over ``stored_json`` (None: a new case) as
        ``canonical``; otherwise the reason is kept for :meth:`refusal`."""
        if stored_json is None:
            return True
        before, after = json.loads(stored_json), json.loads(canonical)
        old_p, new_p = before.get("patient") or {}, after.get("patient") or {}
        if old_p.get("id") != new_p.get("id"):
            self.moved.append(f"case {case_id}: the tracker holds it for patient {old_p.get('id')} "
                              f"({old_p.get('name') or 'no name'}), the file gives it to patient {new_p.get('id')} "
                              f"({new_p.get('name') or 'no name'})")
            return False
        intake = before.get("visit_date") or "?"
        changes: list[tuple[str, dict[str, Any]]] = []
        for flag, answer in intake_red_flags_changed(before, after):
            words = (f"the file answers {flag} {_quoted(answer)}" if answer is not None
                     else f"the file leaves {flag} out")
            changes.append((f"case {case_id}: {words} where the tracker holds 'yes' (recorded at the intake of "
                            f"{intake})", {"case_id": case_id, "field": f"red_flags.{flag}", "stored": "yes",
                                           "file": answer, "intake_date": intake}))
        for field, stored, new, drives in clock_dates_changed(before, after):
            changes.append((f"case {case_id}: the file gives {field} {_quoted(new)} where the tracker holds "
                            f"{_quoted(stored)} ({drives})",
                            {"case_id": case_id, "field": field, "stored": stored, "file": new}))
        for field, stored, new in baseline_scores_changed(before, after):
            changes.append((f"case {case_id}: the file gives the intake's {field} {_quoted(new)} where the tracker "
                            f"holds {_quoted(stored)} (improvement is judged against it)",
                            {"case_id": case_id, "field": field, "stored": stored, "file": new,
                             "intake_date": intake}))
        for field, stored, new in patient_details_changed(old_p, new_p):
            if field == "pregnancy_weeks":
                what = ("records patient {} as not pregnant" if new is False
                        else "leaves out the pregnancy of patient {}").format(new_p.get("id"))
                changes.append((f"case {case_id}: the file {what} "
                                f"({stored} weeks where the tracker holds it: the medicine warnings and the handouts "
                                "read it; a pregnancy that ended is recorded with --replace-records)",
                                {"case_id": case_id, "field": "patient.pregnancy_weeks", "stored": stored,
                                 "file": None}))
                continue
            if field == "pregnant":
                changes.append((f"case {case_id}: the file leaves out the answer 'not pregnant' the tracker holds for "
                                f"patient {new_p.get('id')} (it would read 'not asked'; a changed answer is recorded "
                                "with --replace-records)",
                                {"case_id": case_id, "field": "patient.pregnant", "stored": False, "file": None}))
                continue
            changes.append((f"case {case_id}: the file gives patient {new_p.get('id')} the {field.replace('_', ' ')} "
                            f"{_quoted(new)} where the tracker holds {_quoted(stored)}"
                            + (name_difference(stored, new) if field == "name" and stored and new else ""),
                            {"case_id": case_id, "field": f"patient.{field}", "stored": stored, "file": new}))
        from radiculopathy_desktop.domain.intake import parse_case

        old_case, new_case = parse_case(before), parse_case(after)
        day = old_case.intake.visit_date
        old_age, new_age = old_case.patient.age_on(day), new_case.patient.age_on(day)
        birth_date_changed = any(entry["field"] == "patient.birth_date" for _, entry in changes)
        if old_age is not None and new_age != old_age and not birth_date_changed:
            # a typed age changed, or a birth date filled in that contradicts it (rt11 F1)
            changes.append((f"case {case_id}: the file gives patient {new_p.get('id')} the age {_quoted(new_age)} at "
                            f"the intake of {intake} where the tracker holds {old_age}",
                            {"case_id": case_id, "field": "patient.age_at_intake", "stored": old_age,
                             "file": new_age, "intake_date": intake}))
        for on, headline, lowered in red_flags_lost(old_case, new_case):
            what = "no longer raises" if lowered is None else f"lowers ({lowered})"
            changes.append((f"case {case_id}: the file's intake {what} the red flag '{headline}' that the "
                            f"tracker's record raises on {on} (a changed examination, age or condition?)",
                            {"case_id": case_id, "field": "red_flag_raised", "stored": headline, "file": lowered,
                             "intake_date": intake, "on": on}))
        for on, words, lowered, profiles in medicine_alerts_lost(old_case, new_case):
            what = "no longer raises" if lowered is None else f"lowers ({lowered})"
            changes.append((f"case {case_id}: the file's intake {what} the medicine alert '{words}' that the "
                            f"tracker's record raises on {on} ({'/'.join(profiles)} profile; a changed medicine, "
                            "dose or condition?)",
                            {"case_id": case_id, "field": "medicine_alert", "stored": words, "file": lowered,
                             "on": on, "profiles": list(profiles)}))
        for on, words, lowered, profiles, visits in medicine_alerts_lost_at_visits(old_case, new_case):
            what = "no longer raise" if lowered is None else f"lower ({lowered})"
            recorded = "; ".join(_visit_pregnancy_words(v) for v in visits)
            changes.append((f"case {case_id}: the file's visits {what} the medicine alert '{words}' that the "
                            f"tracker's record raises on {on} ({'/'.join(profiles)} profile): the file leaves out "
                            f"or changes the pregnancy recorded at {recorded}",
                            {"case_id": case_id, "field": "medicine_alert", "stored": words, "file": lowered,
                             "on": on, "profiles": list(profiles),
                             "visits": [v.date.isoformat() for v in visits]}))
        for on, what, why, profiles in pregnancy_warnings_lost(old_case, new_case):
            changes.append((f"case {case_id}: the file's pregnancy ({new_case.patient.pregnancy_weeks} weeks where the "
                            f"tracker holds {old_case.patient.pregnancy_weeks}) no longer gives the warning '{what}: "
                            f"{why}' ({'/'.join(profiles)} profile, on {on})",
                            {"case_id": case_id, "field": "pregnancy_warning", "stored": f"{what}: {why}",
                             "file": None, "on": on, "profiles": list(profiles)}))
        rescreens = red_flags_answered_no(old_case, new_case)
        for on, flags, since, same_day in rescreens:
            if not same_day:
                continue
            from radiculopathy_desktop.domain.followup import red_flag_labels

            changes.append((f"case {case_id}: a visit the file adds on {on} answers no to the red flag(s) "
                            f"{'; '.join(red_flag_labels(flags))} that the tracker's record answers yes on the same "
                            "date (the order of the two is not known, so the yes stands)",
                            {"case_id": case_id, "field": "red_flags", "stored": f"yes on {since}",
                             "file": f"no at a visit of {on}", "flags": list(flags)}))
        regrades = muscles_graded_higher(old_case, new_case)
        for on, muscle, was, now, since, same_day in regrades:
            if not same_day:
                continue
            from radiculopathy_desktop.domain.vocabulary import MUSCLE_GROUPS

            changes.append((f"case {case_id}: a visit the file adds on {on} grades {MUSCLE_GROUPS.get(muscle, muscle).lower()} "
                            f"MRC {now} where the tracker's record of the same date grades it {was} (a severe motor "
                            "deficit, MRC 3/5 or less: the order of the two is not known, so the weaker grade stands)",
                            {"case_id": case_id, "field": f"power.{muscle}", "stored": was, "file": now, "on": on}))
        self._note(case_id, old_case, new_case, rescreens, regrades)
        if self.replace_records:
            self.removed.extend({"case_id": case_id, **r} for r in records_removed_in_detail(before, after))
        if not changes:
            return True
        if self.replace_records:
            self.replaced.extend(entry for _, entry in changes)
            return True
        self.protected.extend(words for words, _ in changes)
        return False

    def _note(self, case_id: str, old_case, new_case, rescreens, regrades=()) -> None:
        """Keep in ``changed`` what the update changes that moves what the clinician relies
        on: a case leaving Immediate (first), a red flag cleared by an added visit (an answer
        "no", or a muscle graded above MRC 3: ``regrades``), the intake's medicines and
        conditions."""
        from radiculopathy_desktop.domain.followup import red_flag_labels, surgical_review
        from radiculopathy_desktop.domain.vocab import ReviewStatus

        found: list[dict[str, Any]] = []
        cleared = [f"{'; '.join(red_flag_labels(flags))} (yes on {since}) answered no at a visit on {on}"
                   for on, flags, since, _ in rescreens]
        regraded = _regraded_words(regrades)
        latest = max([new_case.intake.visit_date, *(v.date for v in new_case.visits),
                      *(d.date for d in new_case.decisions)])
        day = max(self.today or dt.date.today(), latest)
        was = surgical_review(old_case, day, self.settings).status
        if was == ReviewStatus.IMMEDIATE:
            now = surgical_review(new_case, day, self.settings).status
            if now != ReviewStatus.IMMEDIATE:
                why = (["the red flag(s) " + "; ".join(cleared)] if cleared else []) + (
                    ["severe motor deficit (MRC 3/5 or less) graded higher: " + "; ".join(regraded)] if regraded else [])
                found.append({"case_id": case_id, "field": "status", "stored": was.value, "file": now.value,
                              "on": day.isoformat(),
                              "changes": [f"no longer Immediate on {day.isoformat()} (now {now.label})"
                                          + (": " + "; ".join(why) if why else "")]})
                cleared = regraded = []
        if cleared:
            found.append({"case_id": case_id, "field": "red_flags_cleared", "changes": cleared})
        if regraded:
            found.append({"case_id": case_id, "field": "muscles_graded_higher", "changes": regraded})
        for field, words in (("medicines", medicines_changed(old_case.intake, new_case.intake)),
                             ("conditions", conditions_changed(old_case.intake, new_case.intake)),
                             ("pregnancy", pregnancy_recorded_at_added_visits(old_case, new_case))):
            if words:
                found.append({"case_id": case_id, "field": field, "changes": words})
        self.changed.extend(found)

    def refusal(self) -> UserError | None:
        """The error to raise (nothing imported), or None."""
        if self.moved:
            return UserError(
                "import: nothing was imported: a case belongs to one patient, and the file gives a case the tracker "
                "holds to another patient ID (a case ID used on two workstations, or a mistyped patient ID?):\n  "
                + _listed(self.moved) + "\nTo record the other patient's episode, give it a case ID of its own; to "
                "correct this patient's name, birth date or sex, keep the patient ID the tracker holds and import "
                "with --replace-records.", exit_code=2)
        if self.protected:
            return UserError(
                "import: nothing was imported: the file would change what the tracker recorded at the intake "
                "(a red flag answered yes or raised by the examination, age or conditions; the onset, intake or "
                "care start date; a baseline pain or function score; the patient's name, birth date, sex or "
                "age; the patient's pregnancy, or a pregnancy warning on a medicine taken now or a class "
                "given; a medicine alert the intake's medicines and conditions, or a pregnancy recorded at a visit, raise; a red flag answered yes, "
                "answered no by an added visit of the same date; a muscle graded MRC 3/5 or less, graded higher "
                "by an added visit of the same date):\n  " + _listed(self.protected)
                + "\nExport the cases again to get a current file; if the tracker's record is wrong, import with "
                "--replace-records to replace it on purpose (it is named in the import's audit entry).", exit_code=2)
        return None


def records_removed(case_id: str, stored_json: str, canonical: str) -> str | None:
    """What re-importing ``case_id`` would take away: the visits and decisions recorded in
    the tracker (``stored_json``, its canonical JSON) that the imported case
    (``canonical``) does not hold, in words; None when it removes none. A visit or decision
    another clinician added since the file was made must never vanish by an import."""
    before, after = json.loads(stored_json), json.loads(canonical)
    lost = []
    for key, words in (("visits", "visit"), ("decisions", "decision")):
        kept = after.get(key) or []
        gone = [item for item in (before.get(key) or []) if item not in kept]
        if gone:
            dates = ", ".join(sorted({str(item.get("date", "?")) for item in gone}))
            lost.append(f"{len(gone)} {words}{'s' if len(gone) != 1 else ''} ({dates})")
    if not lost:
        return None
    return f"case {case_id}: the file lacks {' and '.join(lost)} recorded in the tracker"


def import_case_checked(case: "Case", before: str | None, rows: Callable[["Case"], tuple],
                        allocate: Callable[[int], Sequence[int]], legacy_decisions: bool, unchanged: list[str],
                        guard: ImportGuard | None = None, removals: list[str] | None = None,
                        acknowledged: list[dict] | None = None) -> "tuple[Case, str | None, tuple] | None":
    """One case of an import batch made ready to write, the same on both engines (what it may
    change is checked here; what refuses the import is said by :func:`import_refusal`):
    ``before`` is the stored canonical JSON (None: a new case), ``rows(case)`` the engine's
    rows of it (the canonical JSON last), ``allocate(n)`` n new entry numbers
    (:func:`enter_records`). Returns (the case as written, the stored JSON it replaces, its
    rows), or None when it is not written: unchanged (named in ``unchanged``), or held back
    by ``guard`` or a visit or decision it would remove (in ``removals``; None with
    ``replace_records``). The decisions it adds that acknowledge red flags go to
    ``acknowledged`` and its closings over unanswered cauda equina questions to ``guard``."""
    case = keep_recorded_acknowledgements(case, before)
    left_out: frozenset[int] = frozenset()
    if not legacy_decisions:
        case, left_out = acknowledge_left_out(case, before)
    # records new to the tracker are entered now, in order (rt12 F2)
    case = enter_records(case, before, allocate, tracker_copy=legacy_decisions)
    made = rows(case)
    if before == made[-1]:
        unchanged.append(case.case_id)
        return None
    frozen = frozen_legacy_decisions(before)
    if frozen is not None:  # old decisions name what they acknowledged before the case changes (rt10 F11)
        before = frozen
        case = keep_recorded_acknowledgements(case, before)
        made = rows(case)
    canonical = made[-1]
    if guard is not None and not guard.allows(case.case_id, before, canonical):
        return None
    if before is not None and removals is not None:
        lost = records_removed(case.case_id, before, canonical)
        if lost:
            removals.append(lost)
            return None
    if acknowledged is not None:
        acknowledged.extend(imported_acknowledgements(case, before, left_out))
    if guard is not None:  # a closing over unanswered cauda equina questions (rt14 F7)
        guard.note_closings(case, before)
    return case, before, made


def removal_error(removals: Sequence[str]) -> UserError:
    """Nothing imported: the file would take recorded visits or decisions away."""
    return UserError("Nothing was imported: the file would remove visits or decisions already recorded in the tracker "
                     "(added since the file was made, perhaps by a colleague):\n  " + "\n  ".join(removals[:20])
                     + (f"\n  ... and {len(removals) - 20} more" if len(removals) > 20 else "")
                     + "\nExport the cases again to get a current file, or import with --replace-records to "
                     "replace the recorded ones on purpose.", exit_code=2)


def import_refusal(guard: ImportGuard, removals: Sequence[str] | None, conflicts: Sequence[str],
                   episodes: EpisodeCheck | None, opened: OpenCaseCheck | None,
                   acknowledged: Sequence[Mapping[str, Any]], acknowledge_red_flags: bool,
                   close_with_unanswered_red_flags: bool) -> UserError | None:
    """The error refusing a whole import (nothing imported), or None, once every batch was
    checked; the one order on both engines, so one file is refused for one reason in one
    message whichever engine holds the tracker: a stored case given to another patient ID
    (``guard.moved``), recorded visits or decisions the file leaves out (``removals``; None
    with ``replace_records``), what the intake recorded changed (``guard.protected``), one
    patient ID holding different people (``conflicts``), a new case repeating an episode
    (``episodes``; after the identity check: another person under the ID says more), a second
    open episode (``opened``, gp14 G10), decisions acknowledging red flags without
    ``acknowledge_red_flags``, and closings over unanswered cauda equina questions without
    ``close_with_unanswered_red_flags`` (rt14 F7)."""
    if guard.moved:
        return guard.refusal()
    if removals:
        return removal_error(removals)
    if guard.protected:
        return guard.refusal()
    if conflicts:
        return identity_error(conflicts)
    if episodes is not None and episodes.found:
        return episode_error(episodes.found)
    refused = opened.refusal() if opened is not None else None
    if refused is not None:
        return refused
    if acknowledged and not acknowledge_red_flags:
        return acknowledgement_refusal(acknowledged)
    if guard.closed_unanswered and not close_with_unanswered_red_flags:
        return closing_unanswered_refusal(guard.closed_unanswered)
    return None


#: The key under which the import's audit entry (the window's intake save is one) lists the
#: pregnancy answers contradicted between one patient's cases (gp17 F5).
PREGNANCY_AUDIT_KEY = "pregnancy_differs_between_cases"


def _contradiction_key(entry: Mapping[str, Any]) -> tuple:
    """One contradiction as named in an audit entry (its cases, day and what each records)."""
    return (entry["day"], entry["pregnant_case"], entry["weeks"], entry["other_case"], entry["other_weeks"])


def visit_pregnancy_differs(before: "Case", after: "Case", patient_cases: Iterable["Case"],
                            day: dt.date) -> dict[str, Any]:
    """What a visit's audit entry adds when the pregnancy answer it records makes the patient's
    cases contradict each other (``domain.episodes.pregnancy_differs_made`` on ``day``, the
    visit's date: the window's question's rule; only those it makes, gp17 F5):
    ``{PREGNANCY_AUDIT_KEY: [...]}``, else ``{}``. The same on both engines."""
    from radiculopathy_desktop.domain.episodes import pregnancy_differs_made
    from radiculopathy_desktop.domain.intake import pregnancy_records

    if pregnancy_records(after) == pregnancy_records(before):
        return {}
    others = [c for c in patient_cases if c.case_id != after.case_id]
    if not others:
        return {}
    found = [{**c.to_audit(), "cases": sorted(c.cases)}
             for c in pregnancy_differs_made(after, others, day, before=before)]
    return {PREGNANCY_AUDIT_KEY: found} if found else {}


def import_audit_detail(added: Sequence[str], updated: Sequence[str], unchanged: Sequence[str],
                        acknowledged: Sequence[Mapping[str, Any]], guard: ImportGuard,
                        opened: OpenCaseCheck | None = None) -> dict[str, Any]:
    """The import's audit entry detail, the same on both engines: the counts, and the
    acknowledgements, intake replacements, removed records and new episodes started while
    the patient had an open case (``new_episode_while_open``) when there are any."""
    from radiculopathy_desktop.domain.episodes import NEW_EPISODE_AUDIT_KEY

    detail: dict[str, Any] = {"added": len(added), "updated": len(updated), "unchanged": len(unchanged)}
    for key, value in (("acknowledged_red_flags", list(acknowledged)), ("replaced_at_intake", guard.replaced),
                       ("removed_records", guard.removed), ("changed", guard.changed),
                       (UNANSWERED_CONFIRMED, guard.closed_unanswered),
                       (NEW_EPISODE_AUDIT_KEY, opened.audit() if opened is not None else []),
                       (PREGNANCY_AUDIT_KEY, [{k: v for k, v in item.items() if k != "text"}
                                              for item in (opened.pregnancy_audit() if opened is not None else [])]),
                       (KEPT_APART_AUDIT_KEY, opened.kept_apart_audit() if opened is not None else [])):
        if value:
            detail[key] = value
    return detail


#: The import's audit entry key (and ``ImportResult.kept_apart``) naming the new patient IDs
#: kept apart from same-key IDs of different people (fxc18): IDs only, never names.
KEPT_APART_AUDIT_KEY = "patient_ids_kept_apart"


def kept_apart_warning(item: Mapping[str, Any]) -> str:
    """The ``warning:`` line for one :attr:`OpenCaseCheck.kept_apart` item (patient and case
    IDs, no names: it may reach a log)."""
    from radiculopathy_desktop.domain.characters import visible_id

    others = ", ".join(visible_id(p) for p in item["other_patient_ids"])
    return (f"warning: new patient ID {visible_id(item['patient_id'])} (case {visible_id(item['case_id'])}) shares "
            f"its patient key with patient ID {others} already in the tracker, whose name, birth date or sex "
            "differ: they are kept apart as different people. If they are one person, correct the details; if "
            "not, give one a distinct patient ID (check --full lists such IDs).")


def _listed(lines: Sequence[str], limit: int = 20) -> str:
    return "\n  ".join(lines[:limit]) + (f"\n  ... and {len(lines) - limit} more" if len(lines) > limit else "")


def removed_summary(removed: Sequence[Mapping[str, Any]], limit: int = 20) -> str:
    """In words, the visits and decisions ``import --replace-records`` removed (those that
    raised a red flag first)."""
    from radiculopathy_desktop.domain.followup import red_flag_labels
    from radiculopathy_desktop.domain.vocabulary import DECISIONS

    def words(r: Mapping[str, Any]) -> str:
        if r["record"] == "visit":
            flags = r.get("red_flags")
            return (f"case {r['case_id']}: the visit of {r.get('date')}"
                    + (" (red flags: " + "; ".join(red_flag_labels(flags)) + ")" if flags else ""))
        return f"case {r['case_id']}: the decision of {r.get('date')} ({DECISIONS.get(r.get('kind'), r.get('kind'))})"

    ordered = sorted(removed, key=lambda r: not r.get("red_flags"))
    return _listed([words(r) for r in ordered], limit)


def changed_summary(changed: Sequence[Mapping[str, Any]], limit: int = 20) -> str:
    """In words, what an import changed that moves what the clinician relies on
    (:class:`ImportGuard` ``changed``): the cases that left Immediate first, then red flags
    cleared by an added visit, then medicines and conditions, one line per case and kind."""
    from radiculopathy_desktop.domain.characters import visible_id

    order = {"status": 0, "red_flags_cleared": 1, "muscles_graded_higher": 1, "medicines": 2, "conditions": 3}
    label = {"status": "", "red_flags_cleared": "red flags cleared: ", "medicines": "medicines: ",
             "conditions": "conditions: ",
             "muscles_graded_higher": "severe motor deficit (MRC 3/5 or less) graded higher: "}
    ordered = sorted(changed, key=lambda c: order.get(c["field"], 9))
    return _listed([f"case {visible_id(c['case_id'])}: {label.get(c['field'], '')}" + "; ".join(c["changes"])
                    for c in ordered], limit)


def replaced_summary(replaced: Sequence[Mapping[str, Any]], limit: int = 20) -> str:
    """In words, what ``import --replace-records`` replaced at the intake (:class:`ImportGuard`)."""
    lines = [f"case {r['case_id']}: {r['field']} {_quoted(r['stored'])} -> {_quoted(r['file'])}"
             + (f" (intake of {r['intake_date']})" if r.get("intake_date") else "")
             + (f" (the pregnancy recorded at the visit of {', '.join(r['visits'])} changed or left out)"
                if r.get("visits") else "") for r in replaced]
    return _listed(lines, limit)


def frozen_legacy_decisions(stored_json: str | None) -> str | None:
    """The stored case ``stored_json`` with each decision recorded before decisions named
    their red flags made to name what it acknowledged among the records the tracker holds
    (``followup.freeze_legacy_acknowledgements``), as JSON; None when it holds no such
    decision (or no case). An import that changes the case is checked and written against
    this, so the file's copy of such a decision keeps what it acknowledged and a red-flag
    visit the file adds with an earlier date is not taken as acknowledged by it (red-team
    rt10 F11, as ``add_visit`` does)."""
    if stored_json is None or '"decisions"' not in stored_json:
        return None
    data = json.loads(stored_json)
    if all(isinstance(d, dict) and "acknowledged_red_flags" in d for d in data.get("decisions") or []):
        return None
    from radiculopathy_desktop.domain.followup import freeze_legacy_acknowledgements
    from radiculopathy_desktop.domain.intake import case_to_dict, parse_case

    return json.dumps(case_to_dict(freeze_legacy_acknowledgements(parse_case(data))), sort_keys=True)


# --------------------------------------------------------------------------- entry order
def _without_entry(item: Mapping[str, Any]) -> str:
    return json.dumps({k: v for k, v in item.items() if k != "entry"}, sort_keys=True)


def enter_records(case, stored_json: str | None, allocate: Callable[[int], Sequence[int]],
                  tracker_copy: bool = False):
    """``case`` (being imported over ``stored_json``, None for a new case) with every visit
    and decision given its entry order (``FollowUpVisit.entry``, ``Decision.entry``; red-team
    rt12 F2):

    - a record the tracker holds (the same record, whatever order the file gives it) keeps
      the tracker's order;
    - records new to the tracker are entered now, after every record it holds: those the file
      gives one (``entry``, as ``case --format json`` writes it) in that order (two new records
      of a case with one number are refused: the tracker never writes that, so the order is
      unknown); those it gives none by date with, on one date, the decisions before the
      visits (a visit and a decision of one date whose order the file does not say are read
      the way that never hides a red flag the visit reports: it needs a decision recorded
      after the import). Between a record with a number and one without, the order is not
      known either (a hand edit or another system adds a record to an exported file: red-team
      rt14 F1), and is read the same way: a decision without one goes before every numbered
      visit of its date or later, a visit without one after every numbered record of its date
      or earlier (:func:`_mixed_order`);
    - ``tracker_copy`` (``server migrate-from``: the tracker's own records): a record without a
      number was entered before the tracker kept the order, so before every numbered record,
      as the tracker that holds it reads it (``intake.entered_after``);
    - ``allocate(n)``: n new increasing numbers from the tracker's entry sequence.

    A new decision is also checked as ``decide`` checks one (:func:`check_new_decision`):
    ``UserError`` when refused.
    """
    import dataclasses

    from radiculopathy_desktop.domain.intake import case_to_dict, entry_key

    if not case.visits and not case.decisions:
        return case
    held: dict[str, list[int | None]] = {}
    if stored_json is not None:
        stored = json.loads(stored_json)
        for key in ("visits", "decisions"):
            for item in stored.get(key) or ():
                held.setdefault(key + _without_entry(item), []).append(item.get("entry"))
    # the records as the tracker writes them, to find those it holds (a new case holds none)
    data = case_to_dict(case) if held else {"visits": case.visits, "decisions": case.decisions}
    records: dict[str, list] = {"visits": list(case.visits), "decisions": list(case.decisions)}
    new: list[tuple[str, int]] = []
    for key in ("visits", "decisions"):
        for n, item in enumerate(data.get(key) or ()):
            same = held.get(key + _without_entry(item)) if held else None
            if same:
                records[key][n] = dataclasses.replace(records[key][n], entry=same.pop(0))
            else:
                new.append((key, n))
                if key == "decisions":
                    check_new_decision(case.case_id, records[key][n])
    if new and not tracker_copy:
        _refuse_unordered_same_day(case.case_id, [records[k][n] for k, n in new if k == "visits"])
    if new:
        # the entry order the file gives each record (held ones already carry the tracker's)
        given = {(key, n): r.entry for key in ("visits", "decisions") for n, r in enumerate(getattr(case, key))}
        new = _mixed_order(case, records, new, tracker_copy)
        for (key, n), number in zip(new, allocate(len(new))):
            records[key][n] = dataclasses.replace(records[key][n], entry=number)
        for key, n in new:
            if key == "decisions" and records[key][n].typed_against is not None:
                records[key][n] = _typed_against_renumbered(records, given, n)
    return dataclasses.replace(case, visits=tuple(sorted(records["visits"], key=entry_key)),
                               decisions=tuple(sorted(records["decisions"], key=entry_key)))


def _typed_against_renumbered(records: Mapping[str, list], given: Mapping[tuple[str, int], int | None], n: int):
    """The new decision ``records["decisions"][n]`` with its ``typed_against`` (a number of the
    file's entry order) in the tracker's order, as the records were just numbered (rt14 F8):
    the records the file numbers at or below it were seen when it was typed; any other (numbered
    above it, or not numbered) was not, and stays after it. On the safe side when the two
    orders disagree: a record not seen is never counted as seen."""
    import dataclasses

    decision = records["decisions"][n]
    typed = decision.typed_against
    seen, unseen = [], []
    for (key, i), number in given.items():
        if (key, i) == ("decisions", n) or records[key][i].entry is None:
            continue
        (seen if number is not None and number <= typed else unseen).append(records[key][i].entry)
    renumbered = max(seen, default=0)
    if unseen:
        renumbered = min(renumbered, min(unseen) - 1)
    renumbered = max(0, min(renumbered, decision.entry - 1))
    return dataclasses.replace(decision, typed_against=renumbered)


def _refuse_unordered_same_day(case_id: str, visits: Sequence[Any]) -> None:
    """Refuse a file adding two visits of one date, neither with an ``entry``, that answer one
    red-flag question "yes" and "no", grade one muscle MRC 3 or less and higher, or record two
    different pregnancy answers (preg17: the last entered stands from that date on): which came
    last (which answer or grade stands) is not known, and the file's listing order is no
    evidence of it (red-team rt14 F4: a cauda equina "yes" listed before a "no" imported a new
    case as Not due). The stored-case guard refuses a same-day "no" against a stored "yes" for
    the same reason."""
    from radiculopathy_desktop.domain.vocabulary import MUSCLE_GROUPS, RED_FLAG_QUESTIONS

    by_day: dict[Any, list[Any]] = {}
    for visit in visits:
        if visit.entry is None:
            by_day.setdefault(visit.date, []).append(visit)
    for day, same in sorted(by_day.items()):
        if len(same) < 2:
            continue
        clashes = [RED_FLAG_QUESTIONS.get(q, q) + " (yes and no)"
                   for q in dict.fromkeys(q for v in same for q in v.red_flags)
                   if {"yes", "no"} <= {v.red_flags.get(q) for v in same}]
        for muscle in dict.fromkeys(m for v in same for m in v.power):
            grades = {v.power[muscle] for v in same if muscle in v.power}
            if min(grades) <= 3 < max(grades):
                clashes.append(f"{MUSCLE_GROUPS.get(muscle, muscle).lower()} "
                               f"(MRC {' and '.join(str(g) for g in sorted(grades))})")
        # two pregnancy answers (preg17): the one entered last stands from that date on
        answers = {v.pregnancy for v in same if getattr(v, "pregnancy", None) is not None}
        if len(answers) > 1:
            clashes.append("the pregnancy (" + " and ".join(sorted(
                f"{a.weeks} weeks" if a.pregnant else "not pregnant" for a in answers)) + ")")
        if clashes:
            raise UserError(
                f"import: nothing was imported: case {case_id}: the file adds {len(same)} visits of "
                f"{day.isoformat()} without an entry order that disagree: {'; '.join(clashes)}. Which came "
                "last is not known, so neither can be taken to clear the other. Give each visit its `entry` "
                "(larger = entered later), or record them as one visit.", exit_code=2)


def _refuse_equal_entries(case_id: str, numbered: Sequence[tuple[str, Any]]) -> None:
    """Refuse a file giving two records new to the tracker (``(key, record)``) one ``entry``:
    the tracker numbers every record from one sequence, so two with one number say nothing of
    their order (red-team rt14 F1: a decision and a same-day visit re-reporting a flag, both
    5). A record the tracker holds keeps its own order, whatever number the file gives it."""
    seen: dict[int, str] = {}
    for key, record in numbered:
        here = f"the {key[:-1]} of {record.date.isoformat()}"
        if record.entry in seen:
            raise UserError(
                f"import: nothing was imported: case {case_id}: the file gives {seen[record.entry]} and "
                f"{here} the same entry order ({record.entry}), so the order in which they were entered is "
                "not known. Give each record its own number (larger = entered later), or leave `entry` out "
                "of both to have them read by date, a date's decisions before its visits.", exit_code=2)
        seen[record.entry] = here


def _mixed_order(case, records: Mapping[str, list], new: list[tuple[str, int]],
                 tracker_copy: bool) -> list[tuple[str, int]]:
    """``new`` ((key, index) of the records new to the tracker) in the order they are entered
    (:func:`enter_records`). The numbered ones keep the file's order; each record without a
    number is put in a gap between them: a decision before the first numbered visit of its
    date or later (or numbered record of a later date), a visit after the last numbered
    record of its date or earlier, so neither reads a visit as entered before a decision of
    its date that the file does not order it against (red-team rt14 F1). In one gap: by date,
    a date's decisions before its visits, but for a decision naming a flag only a visit of its
    date raised (it was made knowing that visit: after it)."""
    numbered = sorted((kn for kn in new if records[kn[0]][kn[1]].entry is not None),
                      key=lambda kn: records[kn[0]][kn[1]].entry)
    _refuse_equal_entries(case.case_id, [(kn[0], records[kn[0]][kn[1]]) for kn in numbered])
    rest = [kn for kn in new if records[kn[0]][kn[1]].entry is None]
    if not rest:
        return numbered
    saw_visit = _decisions_naming_a_same_day_flag(case)
    chain = [(kn[0], records[kn[0]][kn[1]].date) for kn in numbered]

    def gap(kn: tuple[str, int]) -> int:
        if tracker_copy or not chain:
            return 0  # entered before the tracker kept the order: before every numbered record
        day = records[kn[0]][kn[1]].date
        if kn[0] == "decisions" and kn[1] not in saw_visit:
            return next((i for i, (key, d) in enumerate(chain) if d > day or (key == "visits" and d == day)),
                        len(chain))
        return next((i + 1 for i in range(len(chain) - 1, -1, -1) if chain[i][1] <= day), 0)

    def order(kn: tuple[str, int]) -> tuple:
        rank = 0 if kn[0] == "decisions" and kn[1] not in saw_visit else 1 if kn[0] == "visits" else 2
        return (gap(kn), records[kn[0]][kn[1]].date.toordinal(), rank, kn[1])

    placed = sorted(rest, key=order)
    out: list[tuple[str, int]] = []
    at = 0
    for i, kn in enumerate(numbered + [None]):
        while at < len(placed) and order(placed[at])[0] <= i:
            out.append(placed[at])
            at += 1
        if kn is not None:
            out.append(kn)
    return out


def _decisions_naming_a_same_day_flag(case) -> set[int]:
    """The indexes of ``case``'s decisions that name a red flag not standing before the visits
    of their own date (raised by one of them): such a decision was recorded after that visit."""
    from radiculopathy_desktop.domain.followup import _fired_flags_of

    out = set()
    for n, d in enumerate(case.decisions):
        if not d.acknowledged_red_flags or not any(v.date == d.date for v in case.visits):
            continue
        before, _result, _since = _fired_flags_of(case.intake, [v for v in case.visits if v.date < d.date], d.date)
        if set(d.acknowledged_red_flags) - set(before):
            out.add(n)
    return out


def check_new_decision(case_id: str, decision) -> None:
    """Refuse a decision new to the tracker that ``decide`` would refuse: a review date
    (``until``) more than a year after it (``domain.intake.until_limit_error``)."""
    from radiculopathy_desktop.domain.intake import until_limit_error

    why = until_limit_error(decision.until, decision.date)
    if why:
        raise UserError(f"import: nothing was imported: case {case_id}: the decision of {decision.date.isoformat()} "
                        f"continues conservative care until {decision.until.isoformat()}: {why}.", exit_code=2)
