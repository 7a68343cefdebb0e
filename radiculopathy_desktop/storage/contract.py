"""The store contract: everything the window, the commands and the reports may ask of a store.

Two engines implement it: :class:`~radiculopathy_desktop.storage.store.CaseStore` (one
SQLite file in the data folder) and the clinic server's PostgreSQL store. Code outside
``storage/`` uses a store only through the members listed here (a test scans the
package for any other attribute: ``tests/storage/test_contract.py``), so a second
engine that implements exactly this is a drop-in.

Common guarantees of every member, unless its docstring says otherwise:

* Failures the user can act on raise
  :class:`~radiculopathy_desktop.storage.db.StorageError` (a ``UserError``, exit code 3)
  with ``kind`` one of ``locked`` (another writer held the lock longer than the busy
  timeout), ``read_only``, ``disk_full``, ``io``, ``permission``, ``corrupt``,
  ``not_a_database``, ``newer_schema``, ``missing``, ``replaced`` (the database was
  replaced under an open store: nothing more is written). Anything else is a bug.
* A write is one transaction: it is wholly saved or not at all, and a failed write
  leaves the data as it was.
* Every change of clinical data or of a setting writes its audit entry in the same
  transaction (the action named in its docstring); reads are not audited except
  through :meth:`Store.record_audit`.
* Writes return :class:`~radiculopathy_desktop.storage.changes.Changes`, what a view
  must refresh.
* A store is used from one thread at a time (open one per worker thread).
"""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Protocol, Sequence, runtime_checkable

if TYPE_CHECKING:  # pragma: no cover - names for the annotations only
    from radiculopathy_desktop.domain.clinic import ClinicSettings
    from radiculopathy_desktop.domain.followup import ReviewStatus, SurgicalReview
    from radiculopathy_desktop.domain.intake import Case, Decision, FollowUpVisit, Medicine, Patient
    from radiculopathy_desktop.domain.settings import ReviewSettings
    from radiculopathy_desktop.storage.changes import Changes
    from radiculopathy_desktop.storage.store import AuditEntry, ImportResult, PatientMatch, StoredAssessment
    from radiculopathy_desktop.storage.worklist import WorklistRow


@runtime_checkable
class Store(Protocol):
    """The public face of a case store (see the module docstring for what every member guarantees)."""

    # ---- what it is and where
    #: "sqlite" or "postgresql".
    engine: str

    @property
    def path(self) -> Path | None:
        """The SQLite database file; None for a server engine."""
        ...

    @property
    def data_dir(self) -> Path:
        """The local data folder (backups, notes, the single-instance lock)."""
        ...

    def location_label(self) -> str:
        """Where the data is, in words: "Local file <path>" or "Clinic server <host>/<database>"."""
        ...

    def close(self) -> None:
        """Release the connection (and the shared in-use lock). Idempotent."""
        ...

    @property
    def upgrade_pending(self) -> bool:
        """Whether the stored derived data (review facts, their history, dose alerts, outcome
        facts) is from another version of the app: the first open after an upgrade."""
        ...

    def upgrade_derived_data_if_needed(self, progress: Callable[[int, int], None] | None = None) -> None:
        """Rewrite the derived data once when :attr:`upgrade_pending` (``open`` does it unless
        told not to); ``progress(done, total)`` hears how far it is. A store that cannot do it
        now (busy, read-only, a login without the right) leaves it for the next open."""
        ...

    def upgrade_derived_data(self, progress: Callable[[int, int], None] | None = None) -> tuple[int, int]:
        """The one-time rewrite itself, raising ``StorageError`` when it cannot run (``server
        init`` runs it so that IT sees a failure): (cases whose review facts were rewritten,
        cases with a medicine alert); nothing to do is (0, 0)."""
        ...

    def __enter__(self) -> "Store": ...

    def __exit__(self, *exc: Any) -> None: ...

    # ---- transactions and the audit
    def transaction(self) -> AbstractContextManager["Store"]:
        """One write transaction around several store writes: all are saved or none.
        Nested use joins the outer transaction. The write lock is taken on entry
        (``locked`` after the busy timeout)."""
        ...

    def record_audit(self, user: str, action: str, case_id: str | None,
                     detail: Mapping[str, Any] | None = None) -> "Changes":
        """Append one access event (``case_viewed``, ``handout_printed``, ``handout_saved``,
        ``summary_pdf_exported``, ``fhir_exported``, ``cases_csv_exported``,
        ``worklist_csv_exported``, ``worklist_listed``; the lock's ``unlocked``,
        ``unlock_failed``, ``locked``, ``user_identified``) to the append-only audit.
        Any other action: ``ValueError``. Returns ``Changes(case_ids=(case_id,))``."""
        ...

    def audit(self, case_id: str | None = None, limit: int | None = None,
              newest_first: bool = False) -> list["AuditEntry"]:
        """Audit entries (for one case, or all), oldest first unless ``newest_first``;
        a damaged detail reads as ``{}``."""
        ...

    def latest_audit(self, action: str) -> "AuditEntry | None":
        """The newest audit entry of ``action`` not about one case (an upgrade's), or None."""
        ...

    def audit_count(self, case_id: str | None = None) -> int:
        """How many audit entries there are (for one case, or all)."""
        ...

    # ---- maintenance
    def journal_mode(self) -> str:
        """The engine's journal mode, lower-case ("wal", "delete"; a server engine: "server")."""
        ...

    def set_read_only(self, on: bool) -> None:
        """Refuse every later write on this store (``on``), or allow writes again: a damaged
        database is kept from further harm while the user chooses what to do."""
        ...

    def quick_check(self) -> list[str]:
        """A fast consistency check: ``["ok"]``, or the problems found."""
        ...

    def integrity_check(self) -> list[str]:
        """The full consistency check: ``["ok"]``, or the problems found."""
        ...

    def wait_for_write_lock(self) -> None:
        """Block (in a worker thread, never the GUI thread) until a write could start without
        waiting on another program's lock, so the write itself does not hold a connection the
        window reads through; a ``locked`` StorageError when the busy timeout runs out. An
        engine whose writes never hold the window's reads (a server) returns at once."""
        ...

    # ---- cases
    def import_cases(self, cases: Iterable["Case"], user: str = "import",
                     batch_size: int = 2000, replace_records: bool = False,
                     acknowledge_red_flags: bool = True, legacy_decisions: bool = True,
                     one_case_per_episode: bool = False,
                     close_with_unanswered_red_flags: bool = True, open_case_as_of: dt.date | None = None,
                     new_episode: "bool | Iterable[str]" = False) -> "ImportResult":
        """Add or update whole cases, all or nothing. Audited ``case_added`` / ``case_updated``
        per case and one ``import``; an identical case is left alone (``unchanged``). A
        repeated case_id, a patient ID holding different people, (unless
        ``replace_records``) an update that would remove a visit or decision recorded in the
        tracker, or (unless ``acknowledge_red_flags``) a new decision that closes or pauses a
        case while naming red flags as acknowledged: ``UserError``, nothing imported. Such
        decisions are listed in the ``import`` audit entry and ``ImportResult.acknowledged``.
        Without ``legacy_decisions`` a new decision that leaves ``acknowledged_red_flags`` out
        names the red flags standing on its date (as ``decide`` records it) instead of being
        read as one recorded before the field existed (red-team rt9 F7). With
        ``one_case_per_episode`` a new case that is the same episode as another, stored or
        earlier in the import (``domain.identity.same_episode``: the same person by patient key,
        name, birth date and sex, and the same onset date), is refused:
        ``domain.identity.EpisodeExists``, nothing imported (rt11 F8, gp18 F5).
        Without ``close_with_unanswered_red_flags`` a new discharge or "patient declined" over
        unanswered cauda equina questions is refused the same way (rt14 F7); with it, such
        decisions are in ``ImportResult.closed_unanswered`` and the ``import`` audit entry.
        With ``open_case_as_of`` a new case whose patient has an open case on that date
        (``domain.episodes``: stored, or new earlier in the import) is refused:
        ``domain.episodes.OpenCaseExists`` (a ``UserError`` naming each open case), nothing
        imported; with ``new_episode`` (True, or the ids of the open cases it may stand beside:
        another open case is still refused) it is added and named in the ``import`` audit entry
        (``new_episode_while_open``: the open cases, their intake date and status) (gp14 G10).
        ``ImportResult.changes`` says what to refresh."""
        ...

    def open_cases(self, patient_id: str, as_of: dt.date, exclude: str | None = None,
                   patient: "Patient | None" = None) -> list:
        """The patient's open cases on ``as_of`` but ``exclude``, newest intake first
        (``domain.episodes.OpenCase``: case id, intake and care start dates, status). For an ID
        not stored, ``patient`` (as typed: name, birth date, sex) decides which same-key cases
        are this person's (``domain.identity.cases_of_person``); without it all are kept."""
        ...

    def patient_cases(self, patient_id: str, exclude: str | None = None,
                      patient: "Patient | None" = None) -> list["Case"]:
        """Every stored case of the patient (the open-case rule's identity,
        ``domain.episodes.patient_key``), but ``exclude``, by case ID; ``patient`` as in
        :meth:`open_cases`."""
        ...

    def patient_conflicts(self, cases: Sequence["Case"], seen: dict | None = None) -> list[str]:
        """In words, the cases whose patient ID already belongs to a different person."""
        ...

    def get_case(self, case_id: str) -> "Case":
        """The case with its visits and decisions; :class:`~radiculopathy_desktop.storage.store.CaseNotFound`."""
        ...

    def has_case(self, case_id: str) -> bool: ...

    def stored_ids(self) -> tuple[list[str], list[str]]:
        """Every patient ID and every case ID stored (for the look-alike check of a new id,
        ``domain.characters.LookalikeIds``)."""
        ...

    def case_count(self, intake_from: dt.date | None = None, intake_to: dt.date | None = None) -> int:
        """How many cases (with both dates: whose intake visit is in that period)."""
        ...

    def real_case_count(self) -> int:
        """How many cases are real patients' (not the demo cohort's, IDs ``DEMO-...``)."""
        ...

    def pregnancy_records(self) -> dict[str, list]:
        """case_id -> the pregnancy answers the case records (``domain.intake.pregnancy_records``)
        for every case recording one (what the cases CSV reads on its date; m009)."""
        ...

    def iter_cases(self, batch: int = 1000, intake_from: dt.date | None = None,
                   intake_to: dt.date | None = None, validate: bool = False) -> Iterator["Case"]:
        """Every case (or those with intake in the period), in case_id order, read in batches."""
        ...

    def outcome_counts(self, intake_from: dt.date, intake_to: dt.date, as_of: dt.date,
                       settings: "ReviewSettings") -> tuple[Any, list[str]]:
        """The period's outcome numbers counted over the stored facts that hold for ``as_of``
        (``domain.outcomes.OutcomeCounts``) and the ids of the period's other cases."""
        ...

    def outcome_facts(self, intake_from: dt.date, intake_to: dt.date) -> list[tuple[str, Any]]:
        """Every case whose intake visit is in the period, in case_id order, with its stored
        ``domain.outcomes.OutcomeFacts`` (None when it has no row): the Outcomes view's input."""
        ...

    def review(self, case_id: str, as_of: dt.date, settings: "ReviewSettings | None" = None) -> "SurgicalReview":
        """The engine's exact surgical review of one case on ``as_of``."""
        ...

    def add_visit(self, case_id: str, visit: "FollowUpVisit", user: str, *,
                  write_key: str | None = None, typed_as: str | None = None) -> "Changes":
        """Add a follow-up visit (validated as the importer would: ``ValidationError``).
        Audited ``visit_added``. ``Changes(case_ids=(id,), worklist=True, case=updated)``.

        ``write_key``: made once by the window (or a script: ``visit --write-key``) for one
        record and kept in the audit entry with a digest of the whole record; the same
        record sent again with its key writes nothing and succeeds (the case as stored), so
        a retry after a dropped connection, a second click or the replay of a copy kept
        offline saves it exactly once. A different record with a used key is a
        ``ValueError`` and writes nothing.

        ``typed_as``: the name a copy kept on this computer says typed it (the kept file's
        ``user``). When it is not ``user`` (spaces aside), the audit entry keeps it as
        ``typed_as`` beside ``user``, the one who checked and saved it (ui19); a claim from the
        file, not an identity, and not part of the record (a retry is the same record)."""
        ...

    def record_decision(self, case_id: str, decision: "Decision", user: str,
                        acknowledged_red_flags: Mapping[str, Any] | None = None, *,
                        write_key: str | None = None, unanswered_confirmed: Sequence[str] = (),
                        open_case_as_of: dt.date | None = None,
                        new_episode: "bool | Iterable[str]" = False, typed_as: str | None = None) -> "Changes":
        """Record a clinician decision; ``typed_as`` as for :meth:`add_visit`; audited ``decision_recorded`` (with the acknowledged
        red flags, and ``closed_with_unanswered_red_flags``: the unanswered cauda equina
        questions the clinician confirmed closing over, ``unanswered_confirmed``).
        ``Changes(case_ids=(id,), worklist=True, case=updated)``. ``write_key`` as for
        :meth:`add_visit`. With ``open_case_as_of``: a decision that would re-open the case
        (closed on that date) while the same patient (IDs compared with capitals aside) has
        another open case raises ``domain.episodes.ReopenRefused`` naming it, nothing saved,
        unless ``new_episode`` (True, or the open cases' ids the clinician was shown) allows
        it; the audit entry then keeps ``new_episode_while_open`` and ``Changes`` says it
        (``new_episode_while_open``) (rt16 F2)."""
        ...

    def set_medicines(self, case_id: str, medicines: Sequence["Medicine"], user: str, *,
                      shown: Sequence["Medicine"]) -> "Changes":
        """Replace the case's current medicines (the window's "Edit medicines", medfix): refused with
        ``domain.medicine_edit.MedicinesChangedMeanwhile`` (nothing written) when the stored list
        is not ``shown``, the list the editor opened with (another workstation changed it);
        validated as new input (``ValidationError``). Audited ``medicines_changed`` with the lists
        before and after and what was added, removed or changed; the stored dose alerts are
        derived again. ``Changes(case_ids=(id,), worklist=True, case=updated)``; a list equal to
        the stored one writes nothing (``worklist`` False)."""
        ...

    def set_conditions(self, case_id: str, conditions: Mapping[str, Any], user: str, *,
                       shown: "Case") -> "Changes":
        """Replace the case's conditions (creatinine, eGFR, CKD, GI bleed...; the window's "Edit
        conditions", medfix2) with ``conditions`` in the case file's form: refused with
        ``domain.conditions_edit.ConditionsChangedMeanwhile`` (nothing written) when the stored
        conditions are not those of ``shown``, the case the editor opened with; validated as a
        case (``ValidationError``). Audited ``conditions_changed`` with the conditions before and
        after; the stored dose alerts are derived again in the same write. A change equal to the
        stored conditions writes nothing (``worklist`` False)."""
        ...

    def written(self, case_id: str, write_key: str) -> bool:
        """True when a visit or decision carrying ``write_key`` is saved on the case."""
        ...

    def keyed_record_state(self, case_id: str, write_key: str) -> str:
        """Where the visit or decision saved with ``write_key`` is now: "none" (no save carried
        the key), "on_case" (saved and still on the case) or "replaced" (saved, but no longer on
        the case: its records were replaced since, e.g. by ``import --replace-records``). Unlike
        :meth:`written` (the audit trail alone), "on_case" means the record is there now."""
        ...

    def save_assessment(self, case_id: str, assessment: Mapping[str, Any], *, visit_date: dt.date,
                        content_version: str, user: str) -> "Changes":
        """Keep the assessment shown at a visit; audited ``assessment_saved``.
        ``Changes(case_ids=(id,), assessments=True)``."""
        ...

    def assessments(self, case_id: str) -> list["StoredAssessment"]:
        """The case's stored assessments, by visit date."""
        ...

    # ---- worklist and patients
    def worklist(self, as_of: dt.date, statuses: "Iterable[ReviewStatus | str] | None" = None,
                 search: str | None = None, settings: "ReviewSettings | None" = None,
                 limit: int | None = None, offset: int = 0, profile: str = "us",
                 medicine_alerts_only: bool = False, today: dt.date | None = None) -> list["WorklistRow"]:
        """Cases needing attention on ``as_of``, in worklist order, equal to the engine's
        surgical review of each case; paged with ``limit``/``offset``. Each row carries its
        ``medicine_alerts`` and ``pregnancy`` on ``as_of`` under ``profile``;
        ``medicine_alerts_only``: only the cases with a medicine-safety alert then. ``today``:
        the date today when ``as_of`` may be a past one (its words say "on DATE"; None: today)."""
        ...

    def medicine_alert_count(self, as_of: dt.date, statuses: "Iterable[ReviewStatus | str] | None" = None,
                             profile: str = "us", settings: "ReviewSettings | None" = None) -> int:
        """``len(worklist(as_of, statuses, profile=profile, medicine_alerts_only=True))``, without
        building the rows (the window's "Medicine alerts (N)", after every reload)."""
        ...

    def reader(self) -> AbstractContextManager["Store"]:
        """``with store.reader() as r:`` a store that only reads, for one worker thread while the
        window goes on using this one (the window's "Medicine alerts (N)" is counted on it, st20):
        SQLite, a read-only connection of its own on the same file, closed at the end (the
        window's connection is shared with the writes its runner makes; a read in another thread
        on it could see, or commit, half a write); the clinic server, this store, whose pool gives
        the thread a connection of its own, in read-only transactions."""
        ...

    def interrupt(self) -> None:
        """From any thread: stop the statement this store's connection is running (a reader's
        count nobody waits for any more: the window closing), which then raises. SQLite's
        ``sqlite3_interrupt``, and a reader waiting for another program's lock stops within one
        slice of its busy wait; the clinic server cancels the reader threads' running statements
        (one waiting for another session's lock too) and fails their next (sav21)."""
        ...

    def status_counts(self, as_of: dt.date, settings: "ReviewSettings | None" = None) -> dict["ReviewStatus", int]:
        """How many cases have each status on ``as_of`` (every status, zeros included)."""
        ...

    def search_patients(self, text: str, limit: int = 50) -> list["PatientMatch"]:
        """Patients whose name, id or case id contains ``text`` (case-insensitive)."""
        ...

    # ---- settings
    def get_settings(self) -> "ReviewSettings":
        """The clinic's review settings: the packaged defaults with the stored changes."""
        ...

    def set_settings(self, values: Mapping[str, Any], user: str) -> "Changes":
        """Change review settings (``SettingsError`` when invalid); audited
        ``settings_changed`` with old and new values; the stored review facts follow in the
        same transaction. ``Changes(settings=True, worklist=<anything changed>)``."""
        ...

    def clinic_settings(self) -> "ClinicSettings":
        """The clinic's name, address, country and default guideline profile (defaults when unset)."""
        ...

    def set_clinic_settings(self, settings: "ClinicSettings", user: str) -> "Changes":
        """Store the clinic's details (``ClinicSettingsError``, a ``ValueError`` naming the
        field, when invalid); audited ``settings_changed`` with each changed field's old
        and new value; nothing written when nothing changed. ``Changes(settings=True,
        worklist=<the profile changed>)``, or ``Changes()`` when nothing changed."""
        ...

    def get_clinic_name(self) -> str:
        """``clinic_settings().name``."""
        ...

    def set_clinic_name(self, name: str, user: str) -> "Changes":
        """Change only the clinic's name (as :meth:`set_clinic_settings`; too long: ``UserError``)."""
        ...

    def setting(self, key: str, default: Any = None) -> Any:
        """One stored setting of a storage helper (the access lock, the number of backups to
        keep); ``default`` when unset; ``ValueError`` when the stored value is damaged."""
        ...

    def put_setting(self, key: str, value: Any, *, user: str, detail: Mapping[str, Any]) -> "Changes":
        """Store one helper setting, audited ``settings_changed`` with ``detail``
        (``ValueError`` for a key with its own method: review, clinic). ``Changes(settings=True)``."""
        ...

    def delete_setting(self, key: str, *, user: str, detail: Mapping[str, Any]) -> bool:
        """Remove one helper setting, audited ``settings_changed`` with ``detail``; False when unset."""
        ...

    # ---- the intake wizard's drafts (not audited: not yet clinical records)
    def save_draft(self, key: str, value: Any) -> "Changes":
        """Keep a half-finished form. ``Changes(drafts=True)``."""
        ...

    def load_draft(self, key: str) -> Any | None: ...

    def delete_draft(self, key: str) -> "Changes":
        """``Changes(drafts=True)``."""
        ...

    def list_drafts(self) -> list[tuple[str, str]]:
        """(key, updated_at) of every draft, newest first."""
        ...


#: The names of every member of the contract (what code outside storage/ may use on a store).
def contract_members() -> frozenset[str]:
    names = {n for n in Store.__dict__ if not n.startswith("_")} | set(Store.__annotations__)
    return frozenset(names | {"__enter__", "__exit__"})
