"""Small hand-built cohorts for the outcomes tests (issue 16), shared by the domain, CLI,
report and window tests. The numbers each cohort gives are worked out by hand in
tests/domain/test_outcomes.py."""

from __future__ import annotations

import datetime as dt

from radiculopathy_desktop.domain import vocabulary as V
from radiculopathy_desktop.domain.intake import parse_case

START = dt.date(2026, 1, 5)  # care start (and intake) of the outcome cohorts
AS_OF = dt.date(2026, 6, 30)
PERIOD = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
LOW = {"total": 2, "distress": 1}  # STarT Back total <= 3: low risk
HIGH = {"total": 8, "distress": 5}  # distress >= 4: high risk


def day(n: int) -> str:
    return (START + dt.timedelta(days=n)).isoformat()


def case(cid: str, *, intake: dt.date = START, leg: int = 7, start_back=None, imaging=None, advice=None,
         visits=(), decisions=(), red_flags=None, odi=None) -> object:
    data = {
        "case_id": cid,
        "patient": {"id": f"P-{cid}", "name": f"Patient {cid}", "age_years": 50, "sex": "female"},
        "onset_date": (intake - dt.timedelta(days=10)).isoformat(), "visit_date": intake.isoformat(),
        "side": "left", "regions": ["lateral_leg"], "pain": {"leg_nrs": leg, "back_nrs": 3},
        "red_flags": dict({k: "no" for k in V.RED_FLAG_QUESTIONS}, **(red_flags or {})),
        "visits": list(visits), "decisions": list(decisions),
    }
    if odi is not None:
        data["function"] = {"odi_percent": odi}
    if start_back is not None:
        data["start_back"] = start_back
    if imaging is not None:
        data["imaging"] = imaging
    if advice is not None:
        data["self_management"] = advice
    return parse_case(data)


def qs_cohort():
    jan, feb, mar = dt.date(2026, 1, 12), dt.date(2026, 2, 9), dt.date(2026, 3, 9)
    non_spec = {"requested": True, "modality": "mri", "by_specialist": False, "reason": "other"}
    return [
        # A: STarT Back; MRI by a non-specialist, reason other, no red flag -> inappropriate; advice given
        case("A", intake=jan, start_back=LOW, imaging=non_spec, advice={"given": True}),
        # B: STarT Back; non-specialist, reason suspected serious pathology -> fine; advice at a visit
        case("B", intake=jan, start_back=HIGH,
             imaging=dict(non_spec, reason="suspected_serious_pathology"),
             visits=[{"date": "2026-02-01", "leg_nrs": 5, "self_management": {"given": True, "printed_handout": True}}]),
        # C: STarT Back; non-specialist, reason other, but history of cancer = yes -> fine; advice not given
        case("C", intake=feb, start_back=LOW, imaging=non_spec, red_flags={"history_of_cancer": "yes"},
             advice={"given": False}),
        # D: STarT Back; requested by a specialist -> fine; not given at intake, given at a visit -> given
        case("D", intake=feb, start_back=LOW, imaging=dict(non_spec, by_specialist=True), advice={"given": False},
             visits=[{"date": "2026-03-01", "leg_nrs": 5, "self_management": {"given": True}}]),
        # E: no STarT Back; recorded "no imaging requested"; advice not recorded
        case("E", intake=mar, imaging={"requested": False}),
        # F: nothing recorded (a case written before these fields existed)
        case("F", intake=mar),
        # G: imaging requested, requester not recorded -> imaging counted as not recorded
        case("G", intake=mar, imaging={"requested": True, "modality": "x_ray"}),
        # outside the period (December): never counted
        case("OUT", intake=dt.date(2025, 12, 20), imaging=non_spec),
    ]


def pathway_cohort():
    nothing = {"date": day(20), "leg_nrs": 6, "odi_percent": 40}
    return [
        # decisions at days 42, 56, 70, 84, 98 -> weeks 6, 8, 10, 12, 14
        case("P1", visits=[{"date": day(42), "leg_nrs": 6}],
             decisions=[{"date": day(42), "kind": "referred_for_surgical_opinion"}]),
        case("P2", visits=[nothing], decisions=[{"date": day(56), "kind": "continue_conservative_care",
                                                 "until": day(200)}]),
        case("P3", decisions=[{"date": day(70), "kind": "resolved_discharged"}]),
        case("P4", visits=[{"date": day(84), "leg_nrs": 3}], decisions=[{"date": day(84), "kind": "patient_declined"}]),
        case("P5", visits=[nothing], decisions=[{"date": day(98), "kind": "referred_for_surgical_opinion"}]),
        # P6: no decision; resolved at day 60 (leg 1, ODI 10), last seen day 60
        case("P6", odi=40, visits=[{"date": day(60), "leg_nrs": 1, "odi_percent": 10}]),
        # P7: no decision, not resolved, last seen day 20 -> lost (as of day 176: 156 days > 84)
        case("P7", visits=[nothing]),
        # P8: intake 2026-03-30: reached day 84 only on 2026-06-22 <= as of; seen only at intake (92 days before)
        case("P8", intake=dt.date(2026, 3, 30)),
    ]


def outcome_cohort():
    return [
        # leg pain at 6 weeks (days 28-56, nearest day 42): changes -4, -1, 0, -6, +2
        case("O1", leg=8, start_back=LOW, visits=[{"date": day(42), "leg_nrs": 4}]),
        # two visits in range: day 40 (|40-42| = 2) beats day 56 (14): change 6 - 7 = -1
        case("O2", leg=7, start_back=LOW, visits=[{"date": day(40), "leg_nrs": 6}, {"date": day(56), "leg_nrs": 2}]),
        case("O3", leg=6, start_back=HIGH, visits=[{"date": day(45), "leg_nrs": 6}]),
        case("O4", leg=9, start_back=HIGH, visits=[{"date": day(50), "leg_nrs": 3}]),
        case("O5", leg=5, visits=[{"date": day(30), "leg_nrs": 7}]),
        # O6: only a visit on day 20, outside 28-56: not in the 6-week numbers
        case("O6", leg=8, visits=[{"date": day(20), "leg_nrs": 2}]),
    ]
