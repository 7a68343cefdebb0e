"""Clinician-facing checks for common pitfalls in the care of sciatica.

Seed summary 2 lists five pitfalls (overreliance on passive treatments and prolonged rest,
premature opioids, delayed activation, overlooked psychosocial factors, single-modality
care). This module decides, from the record, when one of them is suggested; the words and
sources of each check are reviewed content in the guideline profile (``[[check]]`` in
``resources/guidelines/us.toml`` and ``uk.toml``), so both profiles cite their own sources.

A check is a prompt to the clinician, never a rule the patient sees: it says what in the
record raised it. Red flags come first: when the triage tier is not routine, no check is
raised (the red-flag route is the only thing to act on).

Pure Python: no Qt, no clock ("as of" is passed in).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable

from radiculopathy_desktop.domain.build import fast_init
from radiculopathy_desktop.domain.guideline import Check, Guideline, Source, cited_dict
from radiculopathy_desktop.domain.intake import TreatmentTried
from radiculopathy_desktop.domain.vocab import Tier
from radiculopathy_desktop.domain.vocabulary import TREATMENTS, clinic_date

#: Week 6 of conservative care (day 42): the app's review point (ACR Variant 3; Manchester).
ACTIVATION_DAY = 42

#: Treatments in which the patient is active: exercise, activity, mind-body practice, a
#: combined physical and psychological programme.
ACTIVE_TREATMENTS = frozenset({"stay_active", "exercise_therapy", "mind_body", "combined_physical_psychological"})
#: A psychological component (STarT Back high risk: psychologically informed care).
PSYCHOLOGICAL_TREATMENTS = frozenset({"psychological_therapy", "combined_physical_psychological"})

#: Kinds of treatment for the single-modality check. Advice, imaging, a surgical opinion and
#: bed rest are not treatment modalities; a combined programme counts as physical and psychological.
MODALITIES: dict[str, frozenset[str]] = {
    "physical": frozenset({"stay_active", "heat", "exercise_therapy", "manual_therapy", "massage", "acupuncture",
                           "mind_body", "combined_physical_psychological"}),
    "psychological": frozenset({"psychological_therapy", "combined_physical_psychological"}),
    "medicines": frozenset({"nsaid", "acetaminophen", "muscle_relaxant", "gabapentinoid", "oral_corticosteroid",
                            "opioid"}),
    "procedures": frozenset({"epidural_steroid_injection", "surgery"}),
}
MODALITY_WORDS = {"physical": "physical or passive care", "psychological": "psychological therapy",
                  "medicines": "medicines", "procedures": "procedures"}


@fast_init
@dataclass(frozen=True)
class RaisedCheck:
    """A check raised for this patient: the profile's words, and what in the record raised it."""

    id: str
    title: str
    text: str
    why: str
    sources: tuple[Source, ...]
    evidence_note: str = ""
    verified: bool = True

    def to_dict(self) -> dict[str, Any]:
        return cited_dict(self)


def _raise(check: Check, why: str) -> RaisedCheck:
    return RaisedCheck(check.id, check.title, check.text, why, check.sources, check.evidence_note, check.verified)


def _names(codes: Iterable[str]) -> str:
    return ", ".join(TREATMENTS[c] for c in sorted(codes))


def _first_start(items: Iterable[TreatmentTried], code: str) -> tuple[bool, dt.date | None]:
    """Whether ``code`` was tried, and its earliest recorded start date (None if undated)."""
    dates = [t.started for t in items if t.code == code]
    if not dates:
        return False, None
    known = [d for d in dates if d is not None]
    return True, (min(known) if known else None)


def find_pitfalls(
    guideline: Guideline,
    *,
    treatments: Iterable[TreatmentTried],
    days_since_care_start: int,
    start_back_risk: str | None,
    improving: bool | None,
    tier: Tier = Tier.ROUTINE,
    current: Iterable[str] = (),
) -> tuple[RaisedCheck, ...]:
    """The checks the record suggests, in the profile's order.

    ``treatments`` are everything recorded as tried up to the assessment date (intake and
    visits); ``current`` the treatment codes of the medicines the patient takes now (the
    medicine table's recognition, ``assess.treatments_taken_now``), undated, so a patient on
    ibuprofen is on an NSAID here as on the pathway; ``improving`` is None when there is no
    follow-up yet.
    """
    if tier != Tier.ROUTINE:
        return ()
    items = tuple(treatments)
    current = frozenset(current)
    tried = frozenset(t.code for t in items) | current
    raised: list[RaisedCheck] = []

    # 1. Delayed activation / passive care only, by week 6.
    if days_since_care_start >= ACTIVATION_DAY and not (tried & ACTIVE_TREATMENTS):
        passive = tried - {"advice_self_management", "imaging_mri", "surgical_opinion"}
        why = (f"Day {days_since_care_start} of conservative care (week {days_since_care_start // 7}): "
               + (f"recorded so far only {_names(passive)}" if passive else "no treatment recorded beyond advice")
               + "; no exercise, activity or combined programme.")
        raised.append(_raise(guideline.check("passive_only_by_week_6"), why))

    # 2. Opioid before an NSAID was tried.
    had_opioid, opioid_start = _first_start(items, "opioid")
    if had_opioid or "opioid" in current:
        had_nsaid, nsaid_start = _first_start(items, "nsaid")
        had_nsaid = had_nsaid or "nsaid" in current
        if not had_nsaid:
            why = "An opioid is recorded and no NSAID has been tried."
        elif opioid_start is not None and nsaid_start is not None and opioid_start < nsaid_start:
            why = (f"The opioid was started on {clinic_date(opioid_start)}, before the first NSAID "
                   f"({clinic_date(nsaid_start)}).")
        else:
            why = ""
        if why:
            raised.append(_raise(guideline.check("opioid_before_nsaid"), why))

    # 3. High STarT Back risk without a psychological component.
    if start_back_risk == "high" and not (tried & PSYCHOLOGICAL_TREATMENTS):
        raised.append(_raise(guideline.check("high_risk_without_psychological"),
                             "STarT Back: high risk; no psychological therapy or combined programme recorded."))

    # 4. Prolonged rest.
    if "bed_rest" in tried:
        raised.append(_raise(guideline.check("prolonged_rest"), "Bed rest is recorded among the treatments tried."))

    # 5. Single-modality care, at week 6 or later and not improving.
    if days_since_care_start >= ACTIVATION_DAY and improving is not True:
        kinds = [m for m, codes in MODALITIES.items() if tried & codes]
        if len(kinds) == 1:
            state = "no follow-up yet" if improving is None else "not improving"
            why = (f"Day {days_since_care_start}, {state}; every treatment tried is {MODALITY_WORDS[kinds[0]]} "
                   f"({_names(tried & MODALITIES[kinds[0]])}).")
            raised.append(_raise(guideline.check("single_modality"), why))

    order = {c.id: i for i, c in enumerate(guideline.checks)}
    return tuple(sorted(raised, key=lambda r: order[r.id]))
