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

from radiculopathy_desktop.domain.settings import (ReviewSettings, StoredSettingsProblem, settings_from_stored,
                                                   unreadable_settings)
from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.storage import settings_notes

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


NOT_JSON = "it is not valid JSON (damaged, for example by a hand edit)"


def read_review_settings(text: str | None, names: Iterable[str]) -> tuple[ReviewSettings, tuple[StoredSettingsProblem, ...]]:
    """The packaged defaults with the stored changes (``text``: the stored row's JSON, None
    when unset; ``names``: the review-setting keys), and what of the stored row could not be
    used. A stored value that is no longer valid gives that setting's default, alone (the
    others are kept); a row that cannot be read at all (not JSON, not named values) gives
    every default. Never raises for what is stored."""
    if text is None:
        return settings_from_stored(None)
    try:
        stored = json.loads(text)
    except (ValueError, RecursionError):
        return settings_from_stored(None)[0], (unreadable_settings(NOT_JSON),)
    if isinstance(stored, Mapping):
        allowed = set(names)
        stored = {k: v for k, v in stored.items() if k in allowed}
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
    try:
        stored = store.setting("review", None)
    except ValueError:  # not JSON
        return (unreadable_settings(NOT_JSON),)
    if isinstance(stored, Mapping):
        names = set(_review_names())
        stored = {k: v for k, v in stored.items() if k in names}
    return settings_from_stored(stored)[1]


def _review_names() -> tuple[str, ...]:
    import dataclasses

    return tuple(f.name for f in dataclasses.fields(ReviewSettings) if f.name != "content_version")


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


def _canonical(value: Any) -> Any:
    import dataclasses

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


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


def keyed_detail(write_key: str | None, record: Any) -> dict[str, Any]:
    """The audit detail fields a keyed save adds: the checked key and a digest of the whole
    record (a visit or decision); nothing without a key."""
    import hashlib

    if write_key is None:
        return {}
    text = json.dumps(_canonical(record), sort_keys=True, ensure_ascii=True, default=str)
    return {WRITE_KEY: checked_write_key(write_key), RECORD_DIGEST: hashlib.sha256(text.encode()).hexdigest()}


def check_same_keyed_record(stored_action: str, stored_detail_json: str, action: str, detail: Mapping[str, Any],
                            on_case: bool = True) -> None:
    """A save whose write key is already on the case must be the same record sent again (a
    retry, a second click, a replayed draft): then nothing is written and it succeeds. A
    different record, or a visit sent with a decision's key, is a caller's error
    (:class:`KeyedRecordMismatch`, a ``ValueError``), never dropped while reported saved
    (red-team rt5 F4). The same record that is no longer on the case (``on_case`` false:
    replaced by ``import --replace-records``) is :class:`KeyedRecordGone`: refused, not
    reported as still saved (rt6 F4)."""
    try:
        stored = json.loads(stored_detail_json)
    except ValueError:
        stored = None
    # An entry saved before the digest was kept has none: its audited fields alone decide.
    sent = {k: v for k, v in detail.items()
            if k != WRITE_KEY and not (k == RECORD_DIGEST and isinstance(stored, dict) and k not in stored)}
    sent_json = json.loads(json.dumps(sent))
    if stored_action != action or not isinstance(stored, dict) \
            or {k: stored.get(k) for k in sent} != sent_json:
        differ = () if stored_action != action or not isinstance(stored, dict) else tuple(
            k for k in sent_json if k != RECORD_DIGEST and stored.get(k) != sent_json[k])
        raise KeyedRecordMismatch(f"this write key was already used on the case for a different record "
                                  f"({stored_action}); a new record needs a new key", differ,
                                  same_kind=stored_action == action)
    if not on_case:
        raise KeyedRecordGone("the record saved with this write key is no longer on the case (its records were "
                              "replaced since); nothing was written; a new key adds it again")


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
            rest = {k: v for k, v in item.items() if k != "acknowledged_red_flags"}
            recorded.setdefault(json.dumps(rest, sort_keys=True), named)
    if not recorded:
        return case
    decisions = []
    for d in case.decisions:
        if d.acknowledged_red_flags is None:
            named = recorded.get(json.dumps(_decision_dict(d), sort_keys=True))
            if named is not None:
                d = dataclasses.replace(d, acknowledged_red_flags=tuple(named))
        decisions.append(d)
    return dataclasses.replace(case, decisions=tuple(decisions))
