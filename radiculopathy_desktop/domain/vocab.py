"""The closed vocabularies every layer shares: one ``StrEnum`` each, one label table each.

A member is its JSON string (``Tier.URGENT == "urgent"``, ``json.dumps`` writes
``"urgent"``), so the case format, the database and every JSON, CSV and text output keep
the same strings; code compares and looks up by member, never by a bare string. The words
a person reads come from the one label table of each vocabulary (``member.label``); how a
badge is coloured is the window's business (``ui/style.py`` keys its badges on these
members, and a test holds every member to a badge).

Adding a member is a format change (add, never rename) and needs its label here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple, TypeVar


E = TypeVar("E", bound=StrEnum)


class Vocabulary(StrEnum):
    """A closed vocabulary: each member is its JSON string; its words come from the one
    label table registered for it in :data:`VOCABULARIES`."""

    @property
    def label(self) -> str:
        return VOCABULARIES[type(self)][self]

    @property
    def rank(self) -> int:
        """Position in the order the members are declared (0 first)."""
        return type(self)._member_names_.index(self.name)


class Tier(Vocabulary):
    """The red-flag triage tier (domain/triage.py), most urgent first (rank 0); also the
    urgency of an imaging rule (domain/guideline.py)."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    ROUTINE = "routine"

    @property
    def label(self) -> str:
        """How the tier is printed on every screen and in the JSON ``tier_label``."""
        return TIER_LABELS[self].label

    @property
    def action_label(self) -> str:
        """The tier with what it asks of the clinician, for a heading ("URGENT - same day")."""
        return TIER_LABELS[self].action


class TierWords(NamedTuple):
    label: str
    action: str


TIER_LABELS: dict[Tier, TierWords] = {
    Tier.EMERGENCY: TierWords("EMERGENCY", "EMERGENCY - act now"),
    Tier.URGENT: TierWords("URGENT (same day)", "URGENT - same day"),
    Tier.ROUTINE: TierWords("Routine", "Routine"),
}


#: each tier's string -> (its rank, the member), made once from the vocabulary: what
#: :func:`most_urgent` reads instead of ``Tier(t)`` and ``.rank`` per call (issue 17: the
#: imaging advice of every assessment asks it; a member looks up as its string)
_TIER_RANKED = {t.value: (t.rank, t) for t in Tier}


def most_urgent(*tiers: str) -> Tier:
    """The most urgent of ``tiers`` (each a Tier or its string)."""
    try:
        return min(map(_TIER_RANKED.__getitem__, tiers))[1]  # ranks differ between members: no tie reaches [1]
    except (KeyError, TypeError):  # not a tier (or unhashable): Tier() says so, as it always has
        return min((Tier(t) for t in tiers), key=lambda t: t.rank)


def member(vocabulary: type[E], value: object) -> E | None:
    """The member of ``vocabulary`` whose string is ``value``, or None for anything else
    (a view shows what it does not know plainly rather than failing)."""
    try:
        return vocabulary(value)
    except ValueError:
        return None


class MedicineStatus(Vocabulary):
    """A medicine row's status (domain/medications.py), least to most serious (rank 0: ok)."""

    OK = "ok"
    NOT_FULLY_CHECKED = "not_fully_checked"
    CAUTION = "caution"
    REDUCE_DOSE = "reduce_dose"
    AVOID = "avoid"
    CONTRAINDICATED = "contraindicated"


MEDICINE_STATUS_LABELS: dict[MedicineStatus, str] = {
    MedicineStatus.OK: "OK",
    MedicineStatus.NOT_FULLY_CHECKED: "Not fully checked",
    MedicineStatus.CAUTION: "Caution",
    MedicineStatus.REDUCE_DOSE: "Reduce dose",
    MedicineStatus.AVOID: "Avoid",
    MedicineStatus.CONTRAINDICATED: "Contraindicated",
}
#: A reduce-dose rating that rests only on a dose to check (a likely slip, a regimen that cannot
#: be read, a name that disagrees with the dose: no maximum to reduce to) is labelled this. Here,
#: beside the other labels, so the worklist's marks read it without loading the medicine engine
#: before the first paint (``domain.medications`` re-exports it).
CHECK_DOSE_LABEL = "Check the dose"
#: unrec34 (H-MED-701): the worklist's mark of a current medicine whose name the medicine list does not know but is
#: close to one it knows ("naproxn 500mg bd": did you mean naproxen?): its interactions and dose were not checked, so
#: the Medicine alerts filter lists the case
#: (a GP's tryout: "naproxn" beside "apixban", a possible NSAID + anticoagulant, was in no filter). Weakest of the
#: labels: what it may be is unknown, never a rating; every rating known is said before it.
NOT_RECOGNISED_LABEL = "Not recognised"
#: The medicine-safety labels, strongest first (fxe19): Contraindicated > Avoid > Reduce dose >
#: Check the dose. The one order of the worklist's Medicines column, the CSV's ``medicine_alerts``
#: and the case page's, summary's and assessment's alerts (rt21 F10: the case page listed
#: "REDUCE DOSE" above "AVOID").
ALERT_LABEL_ORDER = (MEDICINE_STATUS_LABELS[MedicineStatus.CONTRAINDICATED], MEDICINE_STATUS_LABELS[MedicineStatus.AVOID],
                     MEDICINE_STATUS_LABELS[MedicineStatus.REDUCE_DOSE], CHECK_DOSE_LABEL)
_ALERT_LABEL_RANK = {label: n for n, label in enumerate(ALERT_LABEL_ORDER)}


def strongest_first(items, label=lambda item: item) -> list:
    """``items`` ordered by their medicine-safety label (``label(item)``), strongest first
    (:data:`ALERT_LABEL_ORDER`); items of one label keep their order, unknown labels go last."""
    return sorted(items, key=lambda item: _ALERT_LABEL_RANK.get(label(item), len(_ALERT_LABEL_RANK)))


class Direction(Vocabulary):
    """A guideline recommendation's strength (its direction): recommend / consider /
    do_not_offer are the guideline's own wording; not_recommended = the guideline does
    not recommend it (no explicit "do not offer"); disputed = the sources differ."""

    RECOMMEND = "recommend"
    CONSIDER = "consider"
    DO_NOT_OFFER = "do_not_offer"
    NOT_RECOMMENDED = "not_recommended"
    DISPUTED = "disputed"

    @property
    def offers(self) -> bool:
        """The recommendation puts the treatment forward."""
        return self in (Direction.RECOMMEND, Direction.CONSIDER)

    @property
    def rules_out(self) -> bool:
        """The guideline advises against the treatment (a medicine row becomes "avoid")."""
        return self in (Direction.DO_NOT_OFFER, Direction.NOT_RECOMMENDED)


DIRECTION_LABELS: dict[Direction, str] = {
    Direction.RECOMMEND: "Recommend",
    Direction.CONSIDER: "Consider",
    Direction.DO_NOT_OFFER: "Do not offer",
    Direction.NOT_RECOMMENDED: "Not recommended",
    Direction.DISPUTED: "Disputed",
}


class ImagingDecision(Vocabulary):
    """The imaging advice for this visit (domain/guideline.py ``advise_imaging``)."""

    NOT_INDICATED = "not_indicated"
    INDICATED_NOW = "indicated_now"
    CONSIDER_AFTER_6_WEEKS = "consider_after_6_weeks"


IMAGING_DECISION_LABELS: dict[ImagingDecision, str] = {
    ImagingDecision.NOT_INDICATED: "Not indicated",
    ImagingDecision.INDICATED_NOW: "Indicated now",
    ImagingDecision.CONSIDER_AFTER_6_WEEKS: "Consider after 6 weeks",
}


class DecisionKind(Vocabulary):
    """A recorded decision about a surgical opinion (the case format's ``decisions[].kind``)."""

    REFERRED_FOR_SURGICAL_OPINION = "referred_for_surgical_opinion"
    CONTINUE_CONSERVATIVE_CARE = "continue_conservative_care"
    PATIENT_DECLINED = "patient_declined"
    RESOLVED_DISCHARGED = "resolved_discharged"

    @property
    def closes_case(self) -> bool:
        """The decision ends the surgical-review clock (every kind but continue-until)."""
        return self is not DecisionKind.CONTINUE_CONSERVATIVE_CARE


DECISION_LABELS: dict[DecisionKind, str] = {
    DecisionKind.REFERRED_FOR_SURGICAL_OPINION: "Referred for surgical opinion",
    DecisionKind.CONTINUE_CONSERVATIVE_CARE: "Continue conservative care until a date",
    DecisionKind.PATIENT_DECLINED: "Patient declined surgical opinion",
    DecisionKind.RESOLVED_DISCHARGED: "Resolved or discharged",
}


class ReviewStatus(Vocabulary):
    """The surgical-review status of a case (domain/followup.py), in worklist order (rank)."""

    IMMEDIATE = "immediate"
    ASK_RED_FLAGS = "ask_red_flags"
    OVERDUE = "overdue"
    DUE = "due"
    NEEDS_FOLLOW_UP = "needs_follow_up"
    IMPROVING = "improving"
    UPCOMING = "upcoming"
    NOT_DUE = "not_due"
    SNOOZED = "snoozed"
    CLOSED = "closed"


REVIEW_STATUS_LABELS: dict[ReviewStatus, str] = {
    ReviewStatus.IMMEDIATE: "Immediate",
    ReviewStatus.ASK_RED_FLAGS: "Ask red-flag questions",
    ReviewStatus.OVERDUE: "Overdue",
    ReviewStatus.DUE: "Due",
    ReviewStatus.NEEDS_FOLLOW_UP: "Needs follow-up",
    ReviewStatus.IMPROVING: "Improving: keep under review",
    ReviewStatus.UPCOMING: "Upcoming",
    ReviewStatus.NOT_DUE: "Not due",
    ReviewStatus.SNOOZED: "Snoozed",
    ReviewStatus.CLOSED: "Closed",
}

#: path33: what a worklist row's status says beside its label when the patient would not consider
#: surgery (the intake's answer to "would consider an injection or surgery": no), so a clinician
#: scanning the list sees it before the review (window and ``worklist`` alike).
WOULD_NOT_CONSIDER_SURGERY = "would not consider surgery"
#: The whole sentence (a row's tooltip and what a screen reader says; the ``worklist`` table's note).
WOULD_NOT_CONSIDER_SURGERY_SENTENCE = (
    "The patient would not consider an injection or surgery (recorded at the intake): discuss a surgical opinion "
    "at the review; if that stands, record the decision \"patient declined\".")


#: path34: the statuses beside which the intake's "would not consider surgery" is never said: a
#: red flag standing (Immediate: emergency or urgent tier) or cauda equina questions unanswered (Ask
#: red-flag questions: a yes is an emergency). Red flags override everything: the intake's answer was
#: about elective care for sciatica, not emergency surgery, so no "would not consider" and no advice to
#: record "patient declined" beside them (tryout33 F5); not in the JSON flag either.
RED_FLAG_STATUSES = frozenset({ReviewStatus.IMMEDIATE, ReviewStatus.ASK_RED_FLAGS})


def wish_stands(status: "ReviewStatus | str", would_not_consider_surgery: bool) -> bool:
    """The intake's "would not consider surgery" as a worklist row carries it (JSON, CSV): the
    answer recorded, unless a red flag stands or is unanswered (:data:`RED_FLAG_STATUSES`, path34)."""
    return bool(would_not_consider_surgery) and ReviewStatus(status) not in RED_FLAG_STATUSES


def says_would_not_consider(status: "ReviewStatus | str", would_not_consider_surgery: bool) -> bool:
    """Whether a worklist row's status (window, ``worklist`` table, its note and the row's tooltip)
    says the patient would not consider surgery: :func:`wish_stands`, and not on a closed case, whose
    decision says what happened (a referral made since, or "patient declined")."""
    return wish_stands(status, would_not_consider_surgery) and ReviewStatus(status) != ReviewStatus.CLOSED


def status_line(status: "ReviewStatus", would_not_consider_surgery: bool) -> str:
    """A worklist row's status as read: "Due; would not consider surgery" (path33; a semicolon, as
    "Improving: keep under review" has a colon of its own). Never on a closed case, nor beside a
    red flag standing or unanswered (path34: :func:`says_would_not_consider`)."""
    if says_would_not_consider(status, would_not_consider_surgery):
        return f"{status.label}; {WOULD_NOT_CONSIDER_SURGERY}"
    return status.label


class StorageErrorKind(Vocabulary):
    """What went wrong with the database (storage/db.py ``StorageError.kind``); the
    domain never raises these, but the window and the CLI both name them. The label is
    the title of the message that explains it."""

    MISSING = "missing"
    LOCKED = "locked"
    READ_ONLY = "read_only"
    CORRUPT = "corrupt"
    NOT_A_DATABASE = "not_a_database"
    NEWER_SCHEMA = "newer_schema"
    DISK_FULL = "disk_full"
    IO = "io"
    PERMISSION = "permission"
    REPLACED = "replaced"
    RESTORE_FAILED = "restore_failed"
    INVALID = "invalid"  # a file that cannot be used for what was asked (restoring the database onto itself)
    CONFLICT = "conflict"  # clinic server: the case was changed by someone else since it was read
    UNREACHABLE = "unreachable"  # clinic server: no connection to the server


STORAGE_ERROR_LABELS: dict[StorageErrorKind, str] = {
    StorageErrorKind.MISSING: "There is no database yet",
    StorageErrorKind.LOCKED: "The database is busy",
    StorageErrorKind.READ_ONLY: "The database cannot be saved to",
    StorageErrorKind.CORRUPT: "The database is damaged",
    StorageErrorKind.NOT_A_DATABASE: "This is not a Radiculopathy Desktop database",
    StorageErrorKind.NEWER_SCHEMA: "The database is from a newer version",
    StorageErrorKind.DISK_FULL: "The disk is full",
    StorageErrorKind.IO: "The disk reported an error",
    StorageErrorKind.PERMISSION: "The database could not be opened",
    StorageErrorKind.REPLACED: "The database was replaced while open",
    StorageErrorKind.RESTORE_FAILED: "The backup could not be restored",
    StorageErrorKind.INVALID: "That file cannot be used",
    StorageErrorKind.CONFLICT: "Someone else changed this case",
    StorageErrorKind.UNREACHABLE: "The clinic server cannot be reached",
}

#: Every vocabulary with its label table (the tests hold each member to a label).
VOCABULARIES: dict[type[Vocabulary], dict] = {
    Tier: TIER_LABELS,
    MedicineStatus: MEDICINE_STATUS_LABELS,
    Direction: DIRECTION_LABELS,
    ImagingDecision: IMAGING_DECISION_LABELS,
    DecisionKind: DECISION_LABELS,
    ReviewStatus: REVIEW_STATUS_LABELS,
    StorageErrorKind: STORAGE_ERROR_LABELS,
}

__all__ = [
    "DECISION_LABELS", "DIRECTION_LABELS", "Vocabulary", "IMAGING_DECISION_LABELS", "MEDICINE_STATUS_LABELS", "REVIEW_STATUS_LABELS",
    "STORAGE_ERROR_LABELS", "TIER_LABELS", "VOCABULARIES", "DecisionKind", "Direction", "ImagingDecision",
    "MedicineStatus", "ReviewStatus", "StorageErrorKind", "Tier", "TierWords", "member", "most_urgent",
]
