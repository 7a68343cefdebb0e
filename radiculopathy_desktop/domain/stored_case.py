"""A trusted, fast reader for cases the app stored itself (issue 17).

Every case in the database went through :func:`~radiculopathy_desktop.domain.intake.parse_case`
on the way in and was stored as the canonical JSON of
:func:`~radiculopathy_desktop.domain.intake.case_to_dict`. Reading it back for the
past-date worklist, the outcomes audit and the exports does not need to validate it
again (that was 60-85 % of their time at 100,000 cases). :func:`case_from_stored`
builds the *same* frozen objects ``parse_case`` would (the same defaults, the same
normalisation, the same dict order) without the checks.

Never use it on a file from outside: ``import``, ``assess`` and ``visit --json`` keep
the full validation. Anything unexpected in a stored document (a missing key, a wrong
type) raises :class:`ValueError`/:class:`KeyError`/:class:`TypeError`/:class:`AttributeError`;
the store then falls back to ``parse_case``, which reports the damage in words.
``tests/domain/test_stored_case.py`` proves ``case_from_stored(stored) == parse_case(data)``
for a generated cohort and every example.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Mapping, NamedTuple

from radiculopathy_desktop.domain.build import direct_constructor
from radiculopathy_desktop.domain.care_facts import ImagingRecord, SelfManagementRecord
from radiculopathy_desktop.domain.intake import (
    FORMAT_VERSION,
    Case,
    Conditions,
    Decision,
    Examination,
    FollowUpVisit,
    FunctionScore,
    Intake,
    Medicine,
    Patient,
    PregnancyUpdate,
    StartBack,
    TreatmentTried,
    entry_key,
)
from radiculopathy_desktop.domain.vocab import DecisionKind
from radiculopathy_desktop.domain.vocabulary import (
    BOOLEAN_CONDITIONS,
    PAIN_CLASSIFICATIONS,
    RED_FLAG_QUESTIONS,
    SPECIAL_CONSIDERATIONS,
)

_date = dt.date.fromisoformat

if TYPE_CHECKING:  # pragma: no cover
    from radiculopathy_desktop.domain.followup import ReviewFacts


_new_visit = direct_constructor(FollowUpVisit)
_new_treatment = direct_constructor(TreatmentTried)
_new_decision = direct_constructor(Decision)
_new_patient = direct_constructor(Patient)
_new_intake = direct_constructor(Intake)
_new_case = direct_constructor(Case)
_CONDITION_KEYS = (*BOOLEAN_CONDITIONS, *SPECIAL_CONSIDERATIONS)
_ALL_UNKNOWN = {k: "unknown" for k in RED_FLAG_QUESTIONS}


def _d(value: Any) -> dt.date | None:
    return None if value is None else _date(value)


def _text(value: Any) -> str | None:
    # parse_case strips text and keeps "" as not recorded
    if value is None:
        return None
    return value.strip() or None


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _treatments(items: Any) -> tuple[TreatmentTried, ...]:
    if not items:
        return ()
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(TreatmentTried(item))
            continue
        out.append(_new_treatment(item["code"], _d(item.get("started")), _d(item.get("stopped")),
                                  item.get("response") or "unknown"))
    return tuple(out)


def _power(data: Mapping[str, Any] | None) -> dict[str, int]:
    if not data:
        return {}
    return {k: int(v) for k, v in data.items() if v is not None}


def _imaging(data: Mapping[str, Any] | None, record_date: dt.date) -> ImagingRecord | None:
    if data is None:
        return None
    if not data["requested"]:
        return ImagingRecord(False, note=_text(data.get("note")))
    return ImagingRecord(True, _d(data.get("date")) or record_date, data.get("modality"), data.get("by_specialist"),
                         data.get("reason"), _text(data.get("note")))


def _advice(data: Mapping[str, Any] | None, record_date: dt.date) -> SelfManagementRecord | None:
    if data is None:
        return None
    if not data["given"]:
        return SelfManagementRecord(False)
    return SelfManagementRecord(True, _d(data.get("date")) or record_date, data.get("printed_handout"))


def _examination(data: Mapping[str, Any] | None) -> Examination:
    if data is None:
        return Examination()
    g = data.get
    return Examination(g("slr") or "not_tested", _int(g("slr_angle_deg")), g("crossed_slr") or "not_tested",
                       g("femoral_stretch") or "not_tested", _power(g("power")), dict(g("reflexes") or {}),
                       g("sensation") or "not_tested", g("plantar") or "not_tested", g("clonus") or "not_tested")


def _start_back(data: Mapping[str, Any] | None) -> StartBack | None:
    if data is None:
        return None
    answers = data.get("answers")
    return StartBack(None if answers is None else tuple(answers), _int(data.get("total")), _int(data.get("distress")))


def _function(data: Mapping[str, Any] | None) -> FunctionScore:
    if data is None:
        return FunctionScore()
    answers = data.get("odi_answers")
    return FunctionScore(_float(data.get("odi_percent")), _int(data.get("rmdq")),
                         None if answers is None else tuple(None if a is None else int(a) for a in answers))


def _conditions(data: Mapping[str, Any] | None) -> Conditions:
    if data is None:
        return Conditions()
    flags = {k: data[k] for k in _CONDITION_KEYS if k in data}
    pain = data.get("pain_classification") or ()
    sc = data.get("serum_creatinine")
    value = unit = None
    if sc is not None:
        value, unit = float(sc["value"]), sc["unit"]
    return Conditions(flags, value, unit, _float(data.get("egfr")), data.get("alcohol_use") or "unknown",
                      tuple(k for k in PAIN_CLASSIFICATIONS if k in pain))


def _patient(data: Mapping[str, Any]) -> Patient:
    g = data.get
    weeks = _int(g("pregnancy_weeks"))
    return _new_patient(data["id"].strip(), _text(g("name")), _d(g("birth_date")), _int(g("age_years")),
                        g("sex") or "unknown", _float(g("weight_kg")), _float(g("height_cm")), weeks,
                        True if weeks is not None else (False if g("pregnant") is False else None))


def _visit(data: Mapping[str, Any]) -> FollowUpVisit:
    g = data.get
    day = _date(data["date"])
    return _new_visit(day, _int(g("leg_nrs")), _int(g("back_nrs")), _float(g("odi_percent")), _int(g("rmdq")),
                         _treatments(g("treatments_tried")), dict(g("red_flags") or {}), _power(g("power")),
                         _text(g("clinician")), _text(g("notes")), _imaging(g("imaging"), day),
                         _advice(g("self_management"), day), _entry(g("entry")), _pregnancy(g("pregnancy")))


def _pregnancy(data: Mapping[str, Any] | None) -> PregnancyUpdate | None:
    """A visit's stored pregnancy (``parse_case`` checked it when it was saved)."""
    if data is None:
        return None
    if data["pregnant"] is True:
        return PregnancyUpdate(True, int(data["weeks"]))
    return PregnancyUpdate(False, None, _d(data.get("ended_on")))


def _decision(data: Mapping[str, Any]) -> Decision:
    kind = DecisionKind(data["kind"])
    until = _d(data.get("until")) if kind == DecisionKind.CONTINUE_CONSERVATIVE_CARE else None
    return _new_decision(_date(data["date"]), kind, until, _text(data.get("by")), _text(data.get("note")),
                         _acknowledged(data), _entry(data.get("entry")), _typed_against(data))


def _entry(value: Any) -> int | None:
    """A record's stored entry order (``parse_case`` refuses anything but a whole number)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("entry is not a whole number")
    return value


def _typed_against(data: Mapping[str, Any]) -> int | None:
    """A decision's stored ``typed_against`` (``parse_case`` refuses anything but a whole number)."""
    value = data.get("typed_against")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("typed_against is not a whole number")
    return value


def _acknowledged(data: Mapping[str, Any]) -> tuple[str, ...] | None:
    """A decision's ``acknowledged_red_flags`` as ``parse_case`` gives it (absent: None; a
    stored null, which ``parse_case`` refuses, is not read as absent: ``ValueError``)."""
    if "acknowledged_red_flags" not in data:
        return None
    named = data["acknowledged_red_flags"]
    if not isinstance(named, list):
        raise ValueError("acknowledged_red_flags is not a list")
    return tuple(sorted(named))


def _by_date(item: Any) -> tuple:
    return entry_key(item)  # date, then the order entered (as parse_case sorts)


def _intake_red_flags(data: Mapping[str, Any], side: str) -> dict[str, str]:
    red_flags = dict(_ALL_UNKNOWN)
    red_flags.update(data["red_flags"])
    if side == "bilateral" and red_flags.get("bilateral_leg_symptoms") == "unknown":
        red_flags["bilateral_leg_symptoms"] = "yes"
    return red_flags


def _intake(data: Mapping[str, Any]) -> Intake:
    """The stored case's :class:`Intake`, as ``parse_case`` builds it."""
    if data.get("format_version", FORMAT_VERSION) != FORMAT_VERSION:
        raise ValueError("not this format version")
    g = data.get
    patient = _patient(data["patient"])
    onset = _date(data["onset_date"])
    visit = _date(data["visit_date"])
    care_start = _d(g("care_start_date")) or visit
    side = data["side"]
    regions = tuple(dict.fromkeys(g("regions") or ()))
    pain = data["pain"]
    red_flags = _intake_red_flags(data, side)
    return _new_intake(  # every Intake field, in field order
        patient, onset, visit, care_start, side, regions, int(pain["leg_nrs"]), _int(pain.get("back_nrs")),
        red_flags, _examination(g("examination")), _start_back(g("start_back")), _function(g("function")),
        _conditions(g("conditions")),
        tuple(Medicine(m["name"].strip().lower(), _float(m.get("daily_dose_mg"))) for m in g("medicines") or ()),
        _treatments(g("treatments_tried")), g("would_consider_intervention") or "unknown",
        g("prior_lumbar_surgery"), _text(g("clinician")), _text(g("notes")), _imaging(g("imaging"), visit),
        _advice(g("self_management"), visit), None)  # pregnancy_update: set only by Case.intake_as_of


def _case_id(data: Mapping[str, Any], intake: Intake) -> str:
    return _text(data.get("case_id")) or f"{intake.patient.id}-{intake.onset_date.isoformat()}"


def case_from_stored(data: Mapping[str, Any], through: dt.date | None = None) -> Case:
    """The :class:`Case` that ``parse_case(data)`` gives, for a document the app stored itself.

    With ``through``, the case as it stood on that date: the visits and decisions dated
    after it are left out (never built). Everything the engine computes *as of* that date
    (review facts, red flags standing, scores) reads only events on or before it, so it is
    the same for this case as for the whole one.
    """
    intake = _intake(data)
    g = data.get
    visit_data = g("visits") or ()
    decision_data = g("decisions") or ()
    if through is not None:  # left out before they are built
        visit_data = [v for v in visit_data if _date(v["date"]) <= through]
        decision_data = [x for x in decision_data if _date(x["date"]) <= through]
    visits = tuple(sorted(map(_visit, visit_data), key=_by_date))
    decisions = tuple(sorted(map(_decision, decision_data), key=_by_date))
    return _new_case(_case_id(data, intake), intake, visits, decisions)


class VisitEvent(NamedTuple):
    """What the review facts read of a follow-up visit (:func:`followup.facts_from_events`),
    with the values ``parse_case`` gives its :class:`FollowUpVisit`."""

    date: dt.date
    leg_nrs: int | None
    back_nrs: int | None
    odi_percent: float | None
    rmdq: int | None
    red_flags: dict
    power: dict
    entry: int | None


class DecisionEvent(NamedTuple):
    """What the review facts read of a decision, with the values of its :class:`Decision`."""

    date: dt.date
    kind: DecisionKind
    until: dt.date | None
    acknowledged_red_flags: tuple[str, ...] | None
    entry: int | None
    typed_against: int | None = None


class IntakeFacts(NamedTuple):
    """What the review facts read of the intake (:func:`followup.facts_from_events`), with
    the values ``parse_case`` gives its :class:`Intake` (the same field names)."""

    patient: Patient
    visit_date: dt.date
    care_start_date: dt.date
    regions: tuple[str, ...]
    leg_nrs: int
    back_nrs: int | None
    red_flags: dict
    examination: Examination
    function: FunctionScore
    conditions: Conditions


_new_intake_facts = IntakeFacts._make
_new_visit_event = VisitEvent._make
_new_decision_event = DecisionEvent._make
_CONTINUE = DecisionKind.CONTINUE_CONSERVATIVE_CARE


def _intake_facts(data: Mapping[str, Any]) -> IntakeFacts:
    """The fields of the stored case's :class:`Intake` the review facts read, each as
    :func:`_intake` builds it."""
    if data.get("format_version", FORMAT_VERSION) != FORMAT_VERSION:
        raise ValueError("not this format version")
    g = data.get
    visit = _date(data["visit_date"])
    pain = data["pain"]
    return _new_intake_facts((
        _patient(data["patient"]), visit, _d(g("care_start_date")) or visit, tuple(dict.fromkeys(g("regions") or ())),
        int(pain["leg_nrs"]), _int(pain.get("back_nrs")), _intake_red_flags(data, data["side"]),
        _examination(g("examination")), _function(g("function")), _conditions(g("conditions"))))


def stored_facts_as_of(data: Mapping[str, Any], as_of: dt.date,
                       settings) -> tuple["ReviewFacts", tuple[VisitEvent, ...], IntakeFacts]:
    """The review facts of a stored case on ``as_of`` (the past-date worklist, issue 17):
    ``review_facts(case_from_stored(data), as_of, settings)`` without building the visits
    and decisions whole (only their dates, scores, red-flag answers, MRC grades, decision
    kinds, dates and acknowledged red flags: what the rule reads), and none dated after ``as_of``.

    Returns the facts, the follow-up visits on or before ``as_of`` (date order) and what
    was read of the intake (:class:`IntakeFacts`). The rule itself is :func:`~radiculopathy_desktop.domain.followup.facts_from_events`,
    the same function ``review_facts`` runs on a whole case;
    ``tests/domain/test_stored_case.py`` holds the two equal for generated cases and dates.
    """
    from radiculopathy_desktop.domain.followup import facts_from_events

    intake = _intake_facts(data)
    g = data.get
    visits = []
    for v in g("visits") or ():
        day = _date(v["date"])
        if day <= as_of:
            h = v.get
            visits.append(_new_visit_event((day, _int(h("leg_nrs")), _int(h("back_nrs")), _float(h("odi_percent")),
                                            _int(h("rmdq")), dict(h("red_flags") or {}), _power(h("power")),
                                            _entry(h("entry")))))
    decisions = []
    for x in g("decisions") or ():
        day = _date(x["date"])
        if day <= as_of:
            kind = DecisionKind(x["kind"])
            decisions.append(_new_decision_event((day, kind, _d(x.get("until")) if kind == _CONTINUE else None,
                                                  _acknowledged(x), _entry(x.get("entry")),
                                                  _typed_against(x))))
    visits.sort(key=_by_date)  # stable, as the case's own sort
    decisions.sort(key=_by_date)
    facts, _imp = facts_from_events(intake, visits, decisions, as_of, settings)
    return facts, tuple(visits), intake


class FactsSpan(NamedTuple):
    """The review facts of a case on every day of ``[start, until)`` (``until`` None: from
    ``start`` on), and what the worklist row shows of its visits then."""

    start: dt.date
    until: dt.date | None
    facts: "ReviewFacts"
    last_visit_date: dt.date  # the newest visit (baseline or follow-up) on or before those days
    visit_count: int  # visits including the baseline
    latest_leg_nrs: int | None  # the newest leg pain score recorded (the baseline's if none since)


def facts_timeline(case: Case, settings) -> list[FactsSpan]:
    """The case's review facts as of each distinct date on or after its intake on which it
    has an event (intake, follow-up visit, decision), each holding until the next such date:
    what the store keeps per case (``case_fact_history``, issue 17) so a worklist as of a
    past date reads a row instead of re-running the rule on the whole case.

    Each span's facts are ``review_facts(case, start, settings)``: the one rule, never a copy.
    They hold for every day up to the next event because the rule reads ``as_of`` only to
    leave out visits and decisions dated after it (the triage of each record is made on that
    record's own date); the clock (``status_from_facts``) takes the day as its parameter.
    ``tests/domain/test_stored_case.py`` holds every day of every span equal to
    ``review_facts`` on that day for generated cases and every example.
    """
    from radiculopathy_desktop.domain.followup import review_facts

    intake = case.intake
    first = intake.visit_date
    days = sorted({first} | {v.date for v in case.visits if v.date > first}
                  | {d.date for d in case.decisions if d.date > first})
    out = []
    for n, day in enumerate(days):
        seen = case.visits_on_or_before(day)
        leg = next((v.leg_nrs for v in reversed(seen) if v.leg_nrs is not None), intake.leg_nrs)
        out.append(FactsSpan(day, days[n + 1] if n + 1 < len(days) else None, review_facts(case, day, settings),
                             seen[-1].date if seen else first, 1 + len(seen), leg))
    return out
