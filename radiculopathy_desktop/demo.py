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


def generate_case_dicts(n: int, seed: int = 1, as_of: dt.date = dt.date(2026, 6, 1),
                        medicines: bool = False) -> Iterator[dict]:
    """``n`` invented cases in the documented case format, events on or before ``as_of``.

    ``medicines``: give the cases current medicines, conditions and pregnancies
    (:func:`_add_medicines`), as the demo the user opens does (the ``demo`` command and the
    window's demo cohort). They are drawn from a generator of their own per case, so every other
    field is the same with or without them; the default (without) keeps the cohorts of the tests,
    goldens and benchmarks exactly as they were."""
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
        if medicines:
            _add_medicines(case, random.Random(f"{seed}-{index}-medicines"), as_of, episode)
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


# --------------------------------------------------------------------------- medicines
# What a sciatica clinic's patients take, written as clinicians type them (a brand or a generic,
# a strength and a frequency: "Naproxen 500mg bd", "Zapain 30/500 2 qds", "Fentalis 25"), or a
# generic with the daily dose in its field. Only names the medicine data recognises
# (docs/medicine-names.md; tests/cli/test_demo_medicines.py resolves every one). No clinical
# fact is stated here: what each regimen shows (an alert or none) is the engine's rating of it,
# and the demo is only meant to meet every label of the medicine table.
_PARACETAMOL = ("Paracetamol 1g qds", "Paracetamol 1g tds", "Paracetamol 500mg 2 tds", "Panadol 500mg 2 qds",
                {"name": "Paracetamol", "daily_dose_mg": 3000})
_NSAID = ("Naproxen 500mg bd", "Naproxen 250mg tds", "Ibuprofen 400mg tds", "Nurofen 200mg 2 tds",
          "Diclofenac 50mg tds", "Voltarol 50mg tds", {"name": "Naproxen", "daily_dose_mg": 1000},
          {"name": "Ibuprofen", "daily_dose_mg": 1200})
#: above a label maximum (a dose to reduce), or a dose field that is likely a slip (a dose to check)
_NSAID_HIGH = ("Naproxen 500mg tds", "Ibuprofen 800mg qds", {"name": "Naproxen", "daily_dose_mg": 10000})
_GABAPENTINOID = ("Gabapentin 300mg tds", "Neurontin 600mg tds", "Pregabalin 75mg bd", "Lyrica 150mg bd",
                  {"name": "Pregabalin", "daily_dose_mg": 300})
_GABAPENTINOID_HIGH = ("Gabapentin 1200mg qds", {"name": "Pregabalin", "daily_dose_mg": 3000})
_NEUROPATHIC = ("Amitriptyline 10mg nocte", "Amitriptyline 25mg nocte", "Duloxetine 60mg od", "Cymbalta 30mg od")
_WEAK_OPIOID = ("Zapain 30/500 2 qds", "Co-codamol 30/500 2 qds", "Co-codamol 8/500 2 qds", "Codeine 30mg qds",
                "Tramadol 50mg qds", "Tramadol 50mg 2 qds", "Zydol SR 100mg bd",
                # a regimen typed with no strength: the daily dose cannot be read (a dose to check)
                "Co-codamol 2 qds", "Solpadol 2 qds")
_STRONG_OPIOID = (("Oxycontin 10mg bd",), ("Oxycontin 20mg bd",), ("Oxycontin 20mg bd", "Oxynorm 5mg qds"),
                  ("Zomorph 10mg bd",), ("MST 30mg bd",), ("Morphine MR 60mg bd",), ("Oramorph 10mg qds",))
_PATCH = ("Fentalis 12", "Fentalis 25", "Matrifen 25", "Fentalis 50", "Butrans 5", "Butrans 10", "Transtec 35")
_SSRI = ("Sertraline 50mg od", "Sertraline 100mg od", "Citalopram 20mg od", "Fluoxetine 20mg od")
_BENZODIAZEPINE = ("Diazepam 2mg tds", "Diazepam 5mg bd")
_ANTICOAGULANT = ("Apixaban 5mg bd", "Eliquis 2.5mg bd", "Rivaroxaban 20mg od", "Xarelto 20mg od")
_PREGNANT = ((), ("Paracetamol 1g qds",), ("Paracetamol 500mg 2 qds",), ("Paracetamol 1g qds", "Ibuprofen 400mg tds"),
             ("Co-codamol 8/500 2 qds",), ("Paracetamol 1g qds", "Sertraline 50mg od"))
#: the analgesic a case takes: (what, weight); about 4 in 10 take nothing
_ANALGESIA = (("none", 40), ("paracetamol", 8), ("nsaid", 16), ("gabapentinoid", 9), ("neuropathic", 5),
              ("weak_opioid", 11), ("strong_opioid", 6), ("patch", 5))


def _age_on(birth: str, day: dt.date) -> int:
    born = dt.date.fromisoformat(birth)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _add_medicines(case: dict, rng: random.Random, as_of: dt.date, episode: int) -> None:
    """Current medicines (``medicines``), conditions (``conditions``: CKD with an eGFR, a history
    of GI bleeding or peptic ulcer) and the pregnancy question for ``case`` (a case dict), as a
    sciatica clinic's patients have them: nothing for many; paracetamol, an NSAID, a
    gabapentinoid, amitriptyline or duloxetine, codeine or tramadol, oral oxycodone or morphine at
    several doses, a fentanyl or buprenorphine patch for a few; an SSRI, a benzodiazepine or an
    anticoagulant beside them for some. A few are above a label maximum or typed with no strength.

    A woman of 18 to 45 is asked about pregnancy at about half of the intakes and is pregnant at a
    few, only where the pregnancy stays plausible to ``as_of`` (an intake in the last 12 weeks, at
    most 38 weeks on ``as_of``) and on a first episode whose case no decision closes (no other
    case of hers then records another answer: a later episode starts only after a closing
    decision). ``rng`` is this case's own generator: the rest of the case is unchanged."""
    patient = case["patient"]
    intake = dt.date.fromisoformat(case["visit_date"])
    age = _age_on(patient["birth_date"], intake)
    names: list = []
    conditions: dict = {}
    if patient["sex"] == "female" and 18 <= age <= 45 and rng.random() < 0.5:
        elapsed = (as_of - intake).days // 7
        if episode == 1 and elapsed <= 12 and not case["decisions"] and rng.random() < 0.3:
            patient["pregnant"] = True
            patient["pregnancy_weeks"] = rng.randint(6, 38 - elapsed)
            names.extend(rng.choice(_PREGNANT))
            _set_medicines(case, names, conditions)
            return
        patient["pregnant"] = False
    kind = rng.choices([k for k, _ in _ANALGESIA], [w for _, w in _ANALGESIA])[0]
    if kind == "paracetamol":
        names.append(rng.choice(_PARACETAMOL))
    elif kind == "nsaid":
        names.append(rng.choice(_NSAID_HIGH) if rng.random() < 0.15 else rng.choice(_NSAID))
        if rng.random() < 0.4:
            names.append(rng.choice(_PARACETAMOL))
    elif kind in ("gabapentinoid", "neuropathic"):
        if kind == "gabapentinoid":
            names.append(rng.choice(_GABAPENTINOID_HIGH) if rng.random() < 0.12 else rng.choice(_GABAPENTINOID))
        else:
            names.append(rng.choice(_NEUROPATHIC))
        if rng.random() < 0.35:
            names.append(rng.choice(_NSAID))
        elif rng.random() < 0.4:
            names.append(rng.choice(_PARACETAMOL))
    elif kind == "weak_opioid":
        names.append(rng.choice(_WEAK_OPIOID))
        if rng.random() < 0.3:
            names.append(rng.choice(_NSAID))
        if rng.random() < 0.25:
            names.append(rng.choice(_GABAPENTINOID))
        if rng.random() < 0.08:  # paracetamol beside a product holding it: twice the paracetamol
            names.append("Paracetamol 1g qds")
    elif kind == "strong_opioid":
        names.extend(rng.choice(_STRONG_OPIOID))
        if rng.random() < 0.5:
            names.append(rng.choice(_GABAPENTINOID))
        if rng.random() < 0.4:
            names.append(rng.choice(_PARACETAMOL))
    elif kind == "patch":
        names.append(rng.choice(_PATCH))
        if rng.random() < 0.4:
            names.append(rng.choice(_PARACETAMOL))
        if rng.random() < 0.3:
            names.append(rng.choice(_GABAPENTINOID))
    if rng.random() < 0.10:
        names.append(rng.choice(_SSRI))
    if rng.random() < 0.06:
        names.append(rng.choice(_BENZODIAZEPINE))
    if rng.random() < (0.10 if age >= 60 else 0.02):
        names.append(rng.choice(_ANTICOAGULANT))
    if rng.random() < (0.12 if age >= 60 else 0.03):
        conditions["ckd"] = True
        conditions["egfr"] = rng.choice((22, 28, 35, 42, 48, 55))
    if rng.random() < 0.05:
        conditions["gi_bleed_or_ulcer"] = True
    _set_medicines(case, names, conditions)


def _set_medicines(case: dict, names: list, conditions: dict) -> None:
    """Write ``names`` (typed names, or ``{name, daily_dose_mg}``) and ``conditions`` into ``case``."""
    if names:
        case["medicines"] = [dict(n) if isinstance(n, dict) else {"name": n} for n in names]
    if conditions:
        case["conditions"] = conditions
