"""A synthetic cohort for demo mode and benchmarks: invented patients only.

Every name is made from an invented-surname generator and every id starts with
``DEMO-``; notes say "synthetic". Nothing is drawn from real records.

The cohort is deterministic for a given ``seed`` and reference date (``as_of``),
and spread over every surgical-review status on that date:

* care start spread over the last ~8 months (some not yet in the window, some in it,
  many past it);
* follow-up visits every 2-3 weeks (about five visits per case on average,
  baseline included), with leg-pain trajectories that improve (about half,
  typical of sciatica), persist or worsen; some patients are lost to follow-up;
* decisions after the window for about half of the older cases (referred,
  continue until a date, declined, resolved/discharged);
* a few red flags (new bladder symptoms, a drop in power) raised at a visit and
  not yet acknowledged; a case decided after such a visit was referred for a surgical
  opinion (never "continue conservative care" over it).

``generate_case_dicts`` yields JSON-ready dicts in the documented case format, so a
cohort written with ``demo --json`` is an ordinary import file. Each decision names the
red flags standing on its date in ``acknowledged_red_flags``, as ``decide`` records them
(``[]`` when none stand), so a demo tracker never holds a decision of the old style that
would clear a red flag typed in later with an earlier date (red-team rt10 F1). A few
decisions pause a case while a red flag stands, so ``import`` takes the file with
``--acknowledge-red-flags`` (as it asks, naming them: rt9 F7); ``demo`` and the window's
demo cohort write them as ``decide --acknowledge-red-flags`` would.

The cohort follows the tracker's own rules on episodes and closing (ep17): a second episode
is given to a patient whose earlier episode closed (by a decision) before its onset and has
no record after it (one open case per patient, gp14 G10: ``import`` takes the file without
``--new-episode``); when the patient drawn for it still has an open episode, another such
patient is taken, else it is a first episode of a new patient. A case discharged, or whose
patient declined, has every cauda equina question answered on that date (rt13 F3: unknown is
not no): a question the intake left unknown was asked at the latest visit before the decision,
or at a phone re-screen on its date, and answered no (``import`` takes the file without
``--close-with-unanswered-red-flags``). Both draw from generators of their own, so every
other case is the same as before for a seed.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Iterator

from radiculopathy_desktop.domain.vocab import DecisionKind
from radiculopathy_desktop.domain.vocabulary import RED_FLAG_QUESTIONS

DEMO_PREFIX = "DEMO-"

_GIVEN = ("Ada", "Ben", "Cleo", "Dev", "Edda", "Finn", "Gia", "Hal", "Ines", "Joss", "Kit", "Lena", "Milo",
          "Nia", "Otto", "Pia", "Quin", "Rae", "Sol", "Tova", "Uma", "Vik", "Wren", "Xan", "Yara", "Zev",
          "Ari", "Bea", "Cai", "Dara", "Eli", "Fern", "Gus", "Hana", "Ivo", "Juno", "Kai", "Lior", "Mara", "Nico")
_SYL1 = ("Bram", "Cor", "Dun", "Ell", "Fen", "Gar", "Hol", "Ket", "Lum", "Mor", "Nor", "Pell", "Quar", "Ros",
         "Sel", "Tam", "Ush", "Vell", "Wim", "Yor")
_SYL2 = ("ble", "da", "en", "fi", "go", "hal", "is", "ka", "lo", "mer", "na", "or", "pa", "ri", "sen", "ta")
_SYL3 = ("ton", "ford", "wick", "by", "more", "stead", "ham", "well", "den", "croft")

# Dermatome patterns (L4, L5, S1) for realistic symptom regions.
_ROOT_REGIONS = (
    ("buttock", "anterior_thigh", "medial_knee", "medial_leg"),
    ("buttock", "lateral_thigh", "lateral_leg", "dorsum_foot", "great_toe"),
    ("buttock", "posterior_thigh", "posterior_calf", "lateral_foot", "sole", "heel"),
)
_ROOT_WEIGHTS = (0.08, 0.47, 0.45)
_ROOT_MUSCLE = ("knee_extension", "great_toe_extension", "plantar_flexion")
_CONSERVATIVE = ("advice_self_management", "stay_active", "exercise_therapy", "nsaid", "acetaminophen",
                 "gabapentinoid", "manual_therapy", "oral_corticosteroid", "epidural_steroid_injection")
_CLINICIANS = ("Dr Demo A", "Dr Demo B", "PT Demo C", "NP Demo D")


def invented_name(rng: random.Random) -> str:
    return f"{rng.choice(_GIVEN)} {rng.choice(_SYL1)}{rng.choice(_SYL2)}{rng.choice(_SYL3)}"


def _care_start_days_ago(rng: random.Random) -> int:
    u = rng.random()
    if u < 0.18:
        return rng.randint(0, 27)  # early: not yet due
    if u < 0.30:
        return rng.randint(28, 41)  # upcoming
    if u < 0.62:
        return rng.randint(42, 84)  # in the window
    return rng.randint(85, 240)  # past it


def _clamp(value: float, lo: int, hi: int) -> int:
    return max(lo, min(hi, int(round(value))))


def generate_case_dicts(n: int, seed: int = 1, as_of: dt.date = dt.date(2026, 6, 1)) -> Iterator[dict]:
    """``n`` invented cases in the documented case format, events on or before ``as_of``."""
    rng = random.Random(seed)
    no_flags = {k: "no" for k in RED_FLAG_QUESTIONS}
    patient_ids: list[tuple[str, str, str, str]] = []
    # per patient ID: the day after which its latest episode is closed with no record after it
    # (None: that episode is open), and the patients whose latest episode is so closed
    closed_after: dict[str, dt.date | None] = {}
    closed_patients: list[tuple[str, str, str, str]] = []
    episodes: dict[str, int] = {}  # per patient ID: how many episodes so far
    for index in range(n):
        # About 4% are a second episode for an earlier patient.
        if patient_ids and rng.random() < 0.04:
            pid, name, birth, sex = rng.choice(patient_ids)
            episode = 2
        else:
            pid = f"{DEMO_PREFIX}P{seed}-{index + 1:07d}"
            name = invented_name(rng)
            age = _clamp(rng.gauss(46, 13), 19, 88)
            birth = (as_of - dt.timedelta(days=age * 365 + rng.randint(0, 364))).isoformat()
            sex = "female" if rng.random() < 0.5 else "male"
            patient_ids.append((pid, name, birth, sex))
            episode = 1
        days_ago = _care_start_days_ago(rng)
        care_start = as_of - dt.timedelta(days=days_ago)
        onset = care_start - dt.timedelta(days=rng.randint(0, 21))
        if episode == 2:
            pid, name, birth, sex = _later_episode(
                (pid, name, birth, sex), onset, closed_after, closed_patients,
                random.Random(f"{seed}-{index}-episode"), f"{DEMO_PREFIX}P{seed}-{index + 1:07d}", as_of)
        episode = episodes[pid] = episodes.get(pid, 0) + 1  # the notes say which
        intake_date = care_start + dt.timedelta(days=min(days_ago, rng.choice((0, 0, 0, 1, 2, 3))))
        root = rng.choices((0, 1, 2), _ROOT_WEIGHTS)[0]
        regions = [r for r in _ROOT_REGIONS[root] if r == "buttock" or rng.random() < 0.75] or [_ROOT_REGIONS[root][-1]]
        side = "left" if rng.random() < 0.5 else "right"
        leg = _clamp(rng.gauss(6.8, 1.4), 3, 10)
        back = _clamp(rng.gauss(4.5, 1.8), 0, 10)
        odi = float(_clamp(rng.gauss(42, 12), 10, 90))
        flags = dict(no_flags)
        if rng.random() < 0.15:
            flags["night_or_rest_pain"] = "yes"
        if rng.random() < 0.05:
            flags["history_of_cancer"] = "unknown"
        if index % 97 == 13:  # about 1%: the sexual-function question was not asked (no draw, same stream)
            flags["new_sexual_dysfunction"] = "unknown"
        power = {_ROOT_MUSCLE[root]: rng.choice((4, 5, 5, 5))}
        red_flag_visit = rng.random() < 0.03  # a red flag raised at the latest visit
        trajectory = rng.choices(("improving", "persistent", "worsening"), (0.55, 0.35, 0.10))[0]
        if red_flag_visit and trajectory == "improving":
            trajectory = "worsening"
        lost = rng.random() < 0.15
        case_id = f"{DEMO_PREFIX}{seed}-{index + 1:07d}"
        case = {
            "case_id": case_id,
            "patient": {"id": pid, "name": name, "birth_date": birth, "sex": sex},
            "onset_date": onset.isoformat(),
            "visit_date": intake_date.isoformat(),
            "care_start_date": care_start.isoformat(),
            "side": side,
            "regions": regions,
            "pain": {"leg_nrs": leg, "back_nrs": back},
            "red_flags": flags,
            "examination": {"slr": rng.choice(("positive", "positive", "negative", "not_tested")),
                            "power": power},
            "function": {"odi_percent": odi},
            "treatments_tried": [{"code": "advice_self_management", "response": "unknown"}],
            "would_consider_intervention": rng.choice(("yes", "no", "unknown")),
            "clinician": rng.choice(_CLINICIANS),
            "notes": f"Synthetic demo patient (episode {episode}).",
        }
        visits = []
        day = intake_date
        cur_leg, cur_back, cur_odi = leg, back, odi
        while not lost:
            day = day + dt.timedelta(days=rng.randint(10, 18))
            if day > as_of or len(visits) >= 8:
                break
            if trajectory == "improving":
                cur_leg = max(0, cur_leg - rng.choice((1, 1, 2, 2, 3)))
                cur_odi = max(0.0, cur_odi - rng.choice((4, 6, 8, 10)))
            elif trajectory == "worsening":
                cur_leg = min(10, cur_leg + rng.choice((0, 1)))
                cur_odi = min(100.0, cur_odi + rng.choice((0, 2, 4)))
            else:
                cur_leg = _clamp(cur_leg + rng.choice((-1, 0, 0, 1)), max(3, leg - 1), 10)
                cur_odi = float(_clamp(cur_odi + rng.choice((-4, 0, 2)), 20, 100))
            cur_back = _clamp(cur_back + rng.choice((-1, 0, 0, 1)), 0, 10)
            visit = {"date": day.isoformat(), "leg_nrs": cur_leg, "back_nrs": cur_back, "odi_percent": cur_odi,
                     "treatments_tried": [{"code": rng.choice(_CONSERVATIVE),
                                           "response": rng.choice(("helped", "no_change", "unknown"))}],
                     "clinician": case["clinician"]}
            visits.append(visit)
        flag_visit = visits[-1]["date"] if red_flag_visit and visits else None
        if flag_visit is not None:
            last = visits[-1]
            if rng.random() < 0.6:
                last["red_flags"] = {"urinary_retention_or_incontinence": "yes"}
            else:
                last["power"] = {_ROOT_MUSCLE[root]: 2}
        case["visits"] = visits
        decisions = []
        if not red_flag_visit and days_ago > 84 and rng.random() < 0.55:
            decided = care_start + dt.timedelta(days=rng.randint(70, min(days_ago, 110)))
            decided = max(decided, intake_date)
            kind = rng.choices(tuple(DecisionKind), (0.35, 0.35, 0.1, 0.2))[0]  # in the enum's order
            decision = {"date": decided.isoformat(), "kind": kind, "by": case["clinician"]}
            if kind == DecisionKind.CONTINUE_CONSERVATIVE_CARE:
                decision["until"] = (decided + dt.timedelta(days=rng.choice((28, 42, 56, 84, 120)))).isoformat()
            decisions.append(decision)
        elif 42 <= days_ago <= 84 and visits and rng.random() < 0.08:
            decided = max(intake_date, as_of - dt.timedelta(days=rng.randint(0, 10)))
            until = (decided + dt.timedelta(days=rng.choice((14, 28)))).isoformat()  # drawn always: same stream
            if flag_visit is None or decided.isoformat() < flag_visit:  # before the flag: it stays Immediate
                decisions.append({"date": decided.isoformat(), "kind": "continue_conservative_care",
                                  "until": until, "by": case["clinician"]})
            else:
                # Decided after a visit raising new bladder symptoms (cauda equina) or a muscle at
                # MRC 2: a clinician refers, and never continues conservative care over it (a
                # training cohort must not show that as practice: imp11 noticed).
                decisions.append({"date": decided.isoformat(), "kind": "referred_for_surgical_opinion",
                                  "by": case["clinician"]})
        case["decisions"] = decisions
        _add_audit_facts(case, random.Random(f"{seed}-{index}"))
        if decisions:
            _answer_before_closing(case)
            _name_acknowledged_red_flags(case)
        # Visits after a decision date are fine: the clinic keeps seeing the patient.
        _note_episode(case, closed_after, closed_patients)
        yield case


def _later_episode(drawn: tuple[str, str, str, str], onset: dt.date, closed_after: dict,
                   closed_patients: list, rng: random.Random, new_pid: str, as_of: dt.date):
    """The patient of a case drawn as a later episode, starting on ``onset``: ``drawn`` when
    their latest episode closed before ``onset`` with no record after it, else another such
    patient (a few tries), else a new patient (``new_pid``: a first episode). One open case per
    patient: the demo never needs ``import --new-episode``. Returns (id, name, birth, sex)."""
    def closed_before(patient) -> bool:
        day = closed_after.get(patient[0])
        return day is not None and day < onset

    if closed_before(drawn):
        return drawn
    for _ in range(8 if closed_patients else 0):
        patient = rng.choice(closed_patients)
        if closed_before(patient):
            return patient
    age = _clamp(rng.gauss(46, 13), 19, 88)
    birth = (as_of - dt.timedelta(days=age * 365 + rng.randint(0, 364))).isoformat()
    return new_pid, invented_name(rng), birth, "female" if rng.random() < 0.5 else "male"


def _note_episode(case: dict, closed_after: dict, closed_patients: list) -> None:
    """Remember whether ``case`` (the patient's latest episode) is closed, by the tracker's own
    rule (``domain.episodes.open_case``) on the day of its last record, and that day: a later
    episode may start only after it."""
    patient = case["patient"]
    key = (patient["id"], patient["name"], patient["birth_date"], patient["sex"])
    closed = False
    if case["decisions"] and DecisionKind(case["decisions"][-1]["kind"]).closes_case:
        from radiculopathy_desktop.domain.episodes import open_case
        from radiculopathy_desktop.domain.intake import parse_case

        last = max([case["visit_date"]] + [v["date"] for v in case["visits"]]
                   + [d["date"] for d in case["decisions"]])
        closed = open_case(parse_case(case), dt.date.fromisoformat(last)) is None
    was_closed = closed_after.get(key[0]) is not None
    closed_after[key[0]] = dt.date.fromisoformat(last) if closed else None
    if closed and not was_closed:
        closed_patients.append(key)


def _answer_before_closing(case: dict) -> None:
    """A discharge or "patient declined" in ``case`` (a case dict) over a cauda equina question
    the intake left unknown: the clinician asked it before closing (rt13 F3: unknown is not no).
    The answer ("no") is recorded at the latest visit on or before the decision, or at a phone
    re-screen on the decision's date when no visit came before it. No draw from any generator."""
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.domain.visits import CLOSING_NEEDING_ANSWERS, unanswered_to_confirm

    for decision in case["decisions"]:
        if decision["kind"] not in CLOSING_NEEDING_ANSWERS:
            continue  # (cheap: only these need the answers, and the parse below is not)
        day = dt.date.fromisoformat(decision["date"])
        unanswered = unanswered_to_confirm(parse_case(case), decision["kind"], day)
        if not unanswered:
            continue
        answers = {q: "no" for q in unanswered}
        before = [v for v in case["visits"] if v["date"] <= decision["date"]]
        if before:
            before[-1]["red_flags"] = {**before[-1].get("red_flags", {}), **answers}
        else:
            case["visits"].insert(0, {"date": decision["date"], "red_flags": answers,
                                      "clinician": case["clinician"]})


def _name_acknowledged_red_flags(case: dict) -> None:
    """Each decision of ``case`` (a case dict) names the red flags standing on its date, the
    rule ``decide`` records (``followup.acknowledgement``): ``[]`` when none stand. No draw
    from the cohort's generator, so the rest of the cohort is the same as before."""
    from radiculopathy_desktop.domain.followup import standing_red_flags
    from radiculopathy_desktop.domain.intake import parse_case

    parsed = parse_case(case)
    for decision in case["decisions"]:
        standing = standing_red_flags(parsed, dt.date.fromisoformat(decision["date"]))
        decision["acknowledged_red_flags"] = sorted(standing.flags) if standing else []


def _add_audit_facts(case: dict, rng: random.Random) -> None:
    """STarT Back, imaging and self-management advice for the Outcomes view (issue 16).

    A separate generator per case, so the rest of the cohort is the same as before."""
    if rng.random() < 0.7:
        total = rng.choices(range(10), (8, 10, 12, 12, 12, 10, 10, 8, 6, 4))[0]
        distress = min(total, rng.randint(max(0, total - 4), 5))
        case["start_back"] = {"total": total, "distress": distress}
    u = rng.random()
    if u < 0.15:
        case["imaging"] = {"requested": True, "modality": "mri", "by_specialist": rng.random() < 0.3,
                           "reason": rng.choice(("suspected_serious_pathology", "considering_intervention", "other"))}
    elif u < 0.8:
        case["imaging"] = {"requested": False}
    u = rng.random()
    if u < 0.7:
        case["self_management"] = {"given": True, "printed_handout": rng.random() < 0.6}
    elif u < 0.8:
        case["self_management"] = {"given": False}
