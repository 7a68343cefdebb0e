"""What a follow-up visit must hold, what it says about the examination, and what closing
a case over an unfinished cauda equina screen needs (red-team rt13 F7, F2, F3).

One rule each, used by the window, the command line (options and ``--json``), import and
both storage engines (through :meth:`Case.with_visit`):

* :func:`visit_records_something`: a visit is a record when it holds at least one score
  (leg pain, back pain, ODI, RMDQ), a red-flag answer, a muscle grade, a treatment, an
  imaging or self-management fact, or a note. A date (and a clinician's name) alone records
  nothing: saved, it would move "Needs follow-up" to "Due" and show today as the last visit
  with nothing seen.
* :func:`visit_has_score`: a visit counts as a follow-up for the review clock ("Needs
  follow-up" becomes "Due") only when it holds a score (leg pain, back pain, ODI or RMDQ):
  a red-flag re-screen by phone, a muscle grade or a note alone says nothing about whether
  the patient improved. Its red-flag answers and grades still count for the red flags.
* :func:`visit_judges_improvement`: a visit re-confirms "Improving" only when it holds a score
  the improvement rule judges improvement on (leg pain, ODI or RMDQ, recorded at baseline too;
  back pain alone never counts as improvement in sciatica, rt16 F3).
* :func:`weaker_muscles`: a muscle graded weaker than the grade standing before the visit
  (or weak, MRC 4, where it was not graded before) but not to MRC 3 or less. It does not
  re-raise the case (the MRC 3 rule of :mod:`~radiculopathy_desktop.domain.followup` is
  unchanged); it is said, so the clinician can answer "progressive neurological deficit".
* :func:`unanswered_to_confirm`: discharging a case, or recording that the patient declined,
  while cauda equina questions stand unanswered ("unknown is not no") names those
  questions and needs an explicit confirmation, which is audited.

No Qt here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from radiculopathy_desktop.domain.vocab import DecisionKind
from radiculopathy_desktop.domain.vocabulary import MUSCLE_GROUPS, RED_FLAG_QUESTIONS

if TYPE_CHECKING:  # pragma: no cover
    from radiculopathy_desktop.domain.intake import Case, FollowUpVisit

#: What a visit may record, in words (the window's and the import's message).
RECORDABLE = ("a score (leg pain, back pain, ODI or RMDQ), a red-flag answer, a muscle grade, a treatment, "
              "imaging or self-management advice, a pregnancy answer, or a note")
EMPTY_VISIT_MESSAGE = (f"nothing is recorded for this visit: record at least one of {RECORDABLE}. A visit with only "
                       "a date would count as a follow-up with nothing seen.")


#: What a second record of the same day does to Progress (gp19 F5): the rule in
#: :func:`~radiculopathy_desktop.domain.followup.facts_from_events` and
#: :func:`~radiculopathy_desktop.domain.instruments.improvement`. The MCIDs (Ostelo 2008) are
#: a change between a baseline and a later follow-up, and the outcome measures count a
#: follow-up only from day 28 of care (resources/rules/outcome_measures.toml): a pair of
#: scores zero days apart is not a change over time.
SAME_DAY_TREND = ("Of two records of one day, the later's scores stand for that day. A visit on the intake's day "
                  "is not a follow-up: its scores become the baseline, and Progress is judged only at a later "
                  "visit. Progress compares a later day with the baseline and an earlier day, never two records "
                  "of one day with each other")
SAME_DAY_TREND_REASON = ("Scores recorded on the intake's day ({day}) are not a follow-up: a change over zero days "
                         "is not a trend; the latest of that day is the baseline. Progress is judged at the first "
                         "visit after it.")


def visit_has_score(visit) -> bool:
    """Whether ``visit`` (a follow-up visit, or the same values read from a stored case) holds
    a score: leg pain, back pain, ODI or RMDQ. Only such a visit is a follow-up for the review
    clock (:func:`~radiculopathy_desktop.domain.followup.facts_from_events`)."""
    return (visit.leg_nrs is not None or visit.back_nrs is not None or visit.odi_percent is not None
            or visit.rmdq is not None)


def visit_judges_improvement(visit, baseline) -> bool:
    """Whether ``visit`` holds a score the improvement rule judges improvement on
    (:func:`~radiculopathy_desktop.domain.instruments.improvement`) against ``baseline`` (the
    intake's :class:`~radiculopathy_desktop.domain.intake.ScorePoint`): leg pain NRS (the
    primary outcome in sciatica), ODI or RMDQ (function), each only when the baseline holds it
    too (the rule compares nothing else). Only such a visit re-confirms "Improving" for another
    ``improving_recheck_days`` (rt16 F3): back pain alone never counts as improvement in
    sciatica, so a visit scoring only back pain says nothing about it (it is still a follow-up
    for the review clock, :func:`visit_has_score`, and its back pain still counts when clearly
    worse)."""
    return any(getattr(visit, a) is not None and getattr(baseline, a) is not None
               for a in ("leg_nrs", "odi_percent", "rmdq"))


def visit_records_something(visit: FollowUpVisit) -> bool:
    """Whether ``visit`` records anything seen or done (see the module docstring)."""
    return bool(
        visit_has_score(visit)
        or visit.red_flags or visit.power or visit.treatments_tried
        or visit.imaging is not None or visit.self_management is not None
        or getattr(visit, "pregnancy", None) is not None
        or (visit.notes or "").strip())


# --------------------------------------------------------------------------- muscle grades
@dataclass(frozen=True)
class WeakerMuscle:
    muscle: str
    grade: int
    before: int | None  # the grade standing before the visit (None: not graded before)
    graded_on: str  # "the intake" or "the visit of YYYY-MM-DD" (where ``before`` was graded)

    @property
    def label(self) -> str:
        return MUSCLE_GROUPS.get(self.muscle, self.muscle.replace("_", " "))

    def describe(self) -> str:
        was = f"{self.before} at {self.graded_on}" if self.before is not None else "not graded before"
        return f"{self.label.lower()} graded {self.grade} ({was})"


def grades_before(case: Case, day: dt.date) -> dict[str, tuple[int, str]]:
    """The muscle grades standing before a visit on ``day`` with where each was graded: the
    intake's, updated by the grades of the case's visits dated on or before ``day``."""
    grades = {m: (g, "the intake") for m, g in case.intake.examination.power.items()}
    for v in case.visits:
        if v.date > day:
            break
        grades.update({m: (g, f"the visit of {v.date.isoformat()}") for m, g in v.power.items()})
    return grades


def weaker_muscles(case: Case, visit: FollowUpVisit) -> tuple[WeakerMuscle, ...]:
    """The muscles ``visit`` (not yet on ``case``) grades at MRC 4 where the grade standing
    before was higher, or where none was recorded: weakness that may be progressing or
    spreading to another root, short of the MRC 3 rule that makes the case Immediate."""
    before = grades_before(case, visit.date)
    out = []
    for muscle in MUSCLE_GROUPS:  # the examination's order
        grade = visit.power.get(muscle)
        if grade is None or grade <= 3:
            continue
        was, where = before.get(muscle, (None, ""))
        if was is None or grade < was:
            if grade < 5:
                out.append(WeakerMuscle(muscle, grade, was, where))
    return tuple(out)


def weaker_muscles_message(weaker: tuple[WeakerMuscle, ...]) -> str:
    """The sentence said by the command line and the visit dialog ("" when none)."""
    if not weaker:
        return ""
    return ("; ".join(w.describe() for w in weaker).capitalize()
            + ": if the weakness is progressing, answer 'progressive neurological deficit' (red-flag re-screen) "
              "yes. A grade of MRC 3 or less would make the case Immediate; MRC 4 does not by itself.")


# --------------------------------------------------------------------------- closing over unanswered questions
#: Decisions that end the tracker's follow-up without acting on a red flag: closing over an
#: unfinished cauda equina screen needs a confirmation naming the questions. (A referral for a
#: surgical opinion hands the case to a surgeon; continuing care keeps "Ask red-flag questions".)
CLOSING_NEEDING_ANSWERS = frozenset({DecisionKind.RESOLVED_DISCHARGED, DecisionKind.PATIENT_DECLINED})


def unanswered_cauda_equina(case: Case, day: dt.date) -> tuple[str, ...]:
    """The cauda equina questions (codes) unanswered on ``day``: neither yes nor no."""
    from radiculopathy_desktop.domain.triage import load_rules

    flags = case.red_flags_as_of(day)
    return tuple(q for q in load_rules().ask_now_questions if flags.get(q, "unknown") not in ("yes", "no"))


def unanswered_to_confirm(case: Case, kind: str, day: dt.date) -> tuple[str, ...]:
    """The unanswered cauda equina questions a decision of ``kind`` on ``day`` must name and
    have confirmed (empty: nothing to confirm)."""
    if kind not in CLOSING_NEEDING_ANSWERS or day < case.intake.visit_date:
        return ()
    return unanswered_cauda_equina(case, day)


def question_labels(codes) -> tuple[str, ...]:
    return tuple(RED_FLAG_QUESTIONS.get(c, c.replace("_", " ")) for c in codes)


def rescreen_words(answers) -> str:
    """What a follow-up visit's red-flag re-screen recorded, for the case's record of visits.

    window31 (GP tryout): "red flags re-asked: none" was said both when every question was asked
    and answered no and (read as) when none was asked. Not re-asked, all answered no, and the
    yes / unknown answers by name are each said in their own words, with how many were asked."""
    answers = dict(answers or {})
    if not answers:
        return "red flags not re-asked"
    total = len(RED_FLAG_QUESTIONS)
    asked = len(answers)
    head = "red flags re-asked (all %d)" % total if asked >= total else f"red flags re-asked ({asked} of {total})"
    yes = [k for k, a in answers.items() if a == "yes"]
    unknown = [k for k, a in answers.items() if a not in ("yes", "no")]
    no = asked - len(yes) - len(unknown)
    if not yes and not unknown:
        return head + (": all answered no" if asked > 1 else ": answered no")
    said = []
    if yes:
        said.append("YES to " + " / ".join(question_labels(yes)))
    if unknown:
        said.append("not known: " + " / ".join(question_labels(unknown)))
    if no:
        said.append(f"{no} answered no")
    return head + ": " + ", ".join(said)


def _record_words(day: dt.date, what: str, leg, back, odi, rmdq, pregnancy: str) -> str:
    parts = [f"leg pain {leg}/10" if leg is not None else "", f"back pain {back}/10" if back is not None else "",
             f"ODI {odi:g}%" if odi is not None else "", f"RMDQ {rmdq}" if rmdq is not None else "", pregnancy]
    held = ", ".join(p for p in parts if p)
    return f"{what} of {day.isoformat()}" + (f" ({held})" if held else "")


#: The Kind of a visit dated on the intake's own day on the case page and the summary (rt21
#: F9): it is a record of the baseline day, not a follow-up (``SAME_DAY_TREND``).
INTAKE_DAY_KIND = "same day as intake (not a follow-up)"
#: The short form for the command line's fixed-width Kind column.
INTAKE_DAY_KIND_SHORT = "same day"
#: The intake's row when a later record of its day replaced a baseline score (rt21 F5,
#: ``intake.day_baseline``): its scores are not the baseline Progress is judged from, so it is
#: never labelled "baseline" (rt22 F11); the window, the case page and the summary say this.
#: gp20 F11: "intake (baseline re-recorded the same day)" still read as "(baseline)" on the row
#: that is not the baseline; the record that is carries the mark (:func:`baseline_mark`).
INTAKE_REPLACED_KIND = "intake, re-recorded the same day"
#: The intake's row when its own scores are the baseline.
INTAKE_BASELINE_KIND = "intake (baseline)"


def baseline_sources(intake, visits) -> dict:
    """Which record of the intake's day each score of the baseline Progress is judged from
    comes from (``intake.day_baseline``: each score the one recorded last that day), when a
    later record replaced one (``intake.baseline_rerecorded``); {} when the intake's own scores
    stand. Keys: None for the intake, else the visit's index in ``visits``; values: the score
    names it gives, in ``BASELINE_SCORES`` order."""
    from radiculopathy_desktop.domain.intake import BASELINE_SCORES, baseline_rerecorded, baseline_scores

    if not baseline_rerecorded(intake, visits):
        return {}
    base = baseline_scores(intake)
    out: dict = {}
    for a in BASELINE_SCORES:
        source = None if getattr(base, a) is not None else "none"
        for n, v in enumerate(visits):
            if v.date == intake.visit_date and getattr(v, a) is not None:
                source = n  # the later record of the day stands
        if source != "none":
            out.setdefault(source, []).append(a)
    return {k: tuple(v) for k, v in out.items()}


def baseline_mark(intake, visits, index) -> str:
    """The mark of one record of the intake's day when a later record replaced a baseline score
    (gp20 F11): "(baseline)" on the record holding every baseline score, "(baseline for leg pain,
    ODI)" on one holding some; "" otherwise, and for every record when the intake's own scores
    stand (its row is then simply the baseline). ``index``: None for the intake, else the
    visit's index in ``visits``."""
    sources = baseline_sources(intake, visits)
    held = sources.get(index)
    if not held:
        return ""
    if len(sources) == 1:
        return "(baseline)"
    return "(baseline for " + ", ".join(_SCORE_NAMES[a] for a in held) + ")"


def is_intake_day_visit(case: Case, visit) -> bool:
    """Whether ``visit`` (one of ``case``'s) is dated on the intake's own day: not a
    follow-up; its scores re-record the baseline (``SAME_DAY_TREND``)."""
    return visit.date == case.intake.visit_date


def _score_said(name: str, value) -> str:
    if value is None:
        return "not recorded"
    if name == "odi_percent":
        return f"{value:g}%"
    return f"{value:g}" if isinstance(value, float) else str(value)


_SCORE_NAMES = {"leg_nrs": "leg pain", "back_nrs": "back pain", "odi_percent": "ODI", "rmdq": "RMDQ"}


def baseline_rerecorded_words(case: Case) -> str | None:
    """What a later record of the intake's day did to the baseline, in words, or None when
    the intake's own scores stand (rt21 F5): "Baseline: leg pain 7 at intake, re-recorded 3
    the same day; ODI 38% at intake, re-recorded 20% the same day. The later record of a
    day stands for that day; Progress is judged from it." The case page and the summary
    say it, so the clinician sees which scores the trend is measured from."""
    from radiculopathy_desktop.domain.intake import baseline_rerecorded

    changes = baseline_rerecorded(case.intake, case.visits)
    if not changes:
        return None
    parts = [f"{_SCORE_NAMES[a]} not recorded at intake, recorded {_score_said(a, new)} the same day" if old is None
             else f"{_SCORE_NAMES[a]} {_score_said(a, old)} at intake, re-recorded {_score_said(a, new)} the same day"
             for a, old, new in changes]
    return ("Baseline: " + "; ".join(parts) + ". The later record of a day stands for that day; "
            "Progress is judged from it.")


def _pregnancy_said(pregnant, weeks) -> str:
    if pregnant is None:
        return ""
    if not pregnant:
        return "not pregnant"
    return f"pregnant, {weeks} weeks" if weeks is not None else "pregnant"


def records_on(case: Case, day: dt.date) -> tuple[str, ...]:
    """The case's records dated ``day`` in words: its intake (the baseline visit) when dated
    that day, then each follow-up visit of that day, in the order held (gp18 F4: "Open case"
    added a second visit on a day that already had one, without a word). Empty when none."""
    out = []
    intake = case.intake
    if intake.visit_date == day:
        p = intake.patient
        out.append(_record_words(day, "the intake", intake.leg_nrs, intake.back_nrs,
                                 intake.function.odi_percent, intake.function.rmdq,
                                 _pregnancy_said(True if p.pregnancy_weeks is not None else p.pregnant,
                                                 p.pregnancy_weeks)))
    for v in case.visits:
        if v.date == day:
            u = v.pregnancy
            out.append(_record_words(day, "a visit", v.leg_nrs, v.back_nrs, v.odi_percent, v.rmdq,
                                     "" if u is None else _pregnancy_said(u.pregnant, u.weeks)))
    return tuple(out)


def same_day_pregnancy_change(case: Case, day: dt.date, pregnant: bool | None, weeks: int | None) -> str | None:
    """What the case records of her pregnancy on ``day`` itself (its intake or a visit of that
    day, the one held last) when ``pregnant``/``weeks`` (an answer about to be recorded for the
    same day) differs from it: "the visit of DAY records pregnant, 29 weeks; this answer says
    31 weeks" (gp18 F4: a carried 31 weeks silently replaced the 29 recorded that morning).
    A change on the same day is a typing error or a dating correction: asked, never assumed.
    None when nothing is recorded that day, no answer is given, or they agree."""
    if pregnant is None:
        return None
    recorded = None
    p = case.intake.patient
    if case.intake.visit_date == day and (p.pregnancy_weeks is not None or p.pregnant is not None):
        recorded = ("the intake", p.pregnancy_weeks is not None or bool(p.pregnant), p.pregnancy_weeks)
    for v in case.visits:
        if v.date == day and v.pregnancy is not None:
            recorded = ("the visit", v.pregnancy.pregnant, v.pregnancy.weeks)
    if recorded is None:
        return None
    where, was_pregnant, was_weeks = recorded
    if was_pregnant == pregnant and (not pregnant or was_weeks == weeks):
        return None
    return (f"{where} of {day.isoformat()} records {_pregnancy_said(was_pregnant, was_weeks)}; this answer says "
            f"{_pregnancy_said(pregnant, weeks)}")


#: Said under the medicines a visit form lists (gp26 F1): what the list is and how a change is kept.
#: GP tryout 31 (D10): it sent every change to the notes, where the checks never read it; the list
#: and the conditions are corrected in Patient > Edit medicines / Edit conditions (dialog31, H-UI-514).
INTAKE_MEDICINES_NOTE = ("A follow-up visit does not record medicines, and the medicine checks keep "
                         "using this list. When the patient reports a change (started, stopped, dose changed), "
                         "correct the list in Patient > Edit medicines (Ctrl+Shift+M), and a new creatinine, eGFR "
                         "or other condition in Patient > Edit conditions (Ctrl+Shift+C); the visit's notes can "
                         "say what the patient told you.")


@dataclass(frozen=True)
class IntakeMedicines:
    """The case's current medicines as the intake recorded them, for a follow-up visit form
    (gp26 F1: the visit dialog showed none, so pain and function were recorded blind to what
    the patient takes). ``heading`` names the date they were recorded; ``lines`` each medicine
    as recorded with its recorded daily dose (a combination product's dose with how it was
    read, :func:`~radiculopathy_desktop.domain.medications.recorded_dose_words`, the case
    page's own words), or "no dose recorded"."""

    recorded_on: dt.date
    lines: tuple[str, ...]
    #: the day the list was last corrected in Edit medicines, when it was (GP tryout 31 D10: a list
    #: corrected today was headed "recorded at the intake on" the intake's day; dialog31, H-UI-514)
    corrected_on: dt.date | None = None

    @property
    def heading(self) -> str:
        from radiculopathy_desktop.domain.vocabulary import clinic_date
        if self.corrected_on is not None:
            return (f"Medicines recorded at the intake on {clinic_date(self.recorded_on)}, last corrected in "
                    f"Edit medicines on {clinic_date(self.corrected_on)}")
        return f"Medicines recorded at the intake on {clinic_date(self.recorded_on)}"

    @property
    def text(self) -> str:
        """The list in words ("None recorded at the intake." when empty)."""
        return "\n".join(f"• {line}" for line in self.lines) if self.lines else "None recorded at the intake."


def intake_medicines(case: Case, corrected_on: dt.date | None = None) -> IntakeMedicines:
    """:class:`IntakeMedicines` of ``case``: only the intake records medicines (a visit never
    changes them), so they were recorded on the intake's date, or corrected in Edit medicines on
    ``corrected_on`` (the day of the case's last ``medicines_changed`` audit entry)."""
    from radiculopathy_desktop.domain.medications import recorded_dose_words

    lines = []
    for m in case.intake.medicines:
        dose = m.daily_dose_mg
        try:
            words = recorded_dose_words(m.name, dose)
        except Exception:  # noqa: BLE001 - the medicine data unreadable: the dose as recorded, unread
            words = f" {dose:g} mg a day" if dose else ""
        if not dose:
            words = " (no dose recorded)" if not words else words
        lines.append(m.name + words)
    return IntakeMedicines(case.intake.visit_date, tuple(lines), corrected_on)
