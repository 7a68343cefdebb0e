"""The per-case referral summary: one PDF a clinic can attach to a referral for a
surgical opinion.

Sections: patient and episode; red-flag screen and urgency; examination and
suspected root; scores over time (table and the trend chart, painted with the same
function as the window's chart); treatments tried with dates; the surgical-review
status with its reason and sources; decisions; versions. All values come from the
domain functions (``surgical_review``, ``triage``, ``suggest_roots``) on ``as_of``:
the summary states what the app shows, it computes no rule of its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from radiculopathy_desktop.domain.followup import status_for_reader, surgical_review
from radiculopathy_desktop.domain.characters import printed_html as escape  # rt8 F8, rt12 F12: as stored
from radiculopathy_desktop.domain.characters import visible_id
from radiculopathy_desktop.domain.intake import Case
from radiculopathy_desktop.domain.settings import ReviewSettings, default_review_settings
from radiculopathy_desktop.domain.vocabulary import (
    MUSCLE_GROUPS, decision_sentence, RED_FLAG_QUESTIONS, REFLEXES, SYMPTOM_REGIONS, TREATMENTS,
)
from radiculopathy_desktop.reports.common import guideline_content_version, profile_words, version_line
from radiculopathy_desktop.reports.paged import PagedDocument, px

POINT_SIZE = 10.0
CHART_URL = "chart://trend"

RESPONSES = {"helped": "helped", "no_change": "no change", "worse": "worse", "not_tolerated": "not tolerated",
             "unknown": "not recorded"}
TENSION = {"positive": "positive", "negative": "negative", "not_tested": "not tested"}


@dataclass(frozen=True)
class SummaryRequest:
    case: Case
    as_of: dt.date
    clinic_name: str = ""
    clinic_contact: str = ""
    settings: ReviewSettings | None = None
    paper: str = "a4"
    content_version: str | None = None
    profile: str = "us"  # guideline profile of the medicine alerts (as in assess)
    #: domain.episodes.pregnancy_advice_warning: another case of the patient contradicts this
    #: case's pregnancy answer (gp18 F1); printed at the head of Medicine safety
    pregnancy_warning: str | None = None
    #: domain.episodes.PregnancyDiffers of the case (None: none): the alerts its medicines would
    #: carry if she is pregnant as another case records (rt20 F3), printed with the warning
    pregnancy_differs: object | None = None


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else "-"


def _v(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _table(headers: list[str], rows: list[list[str]], widths: list[int] | None = None) -> str:
    """A ruled table (black lines only); cells are escaped here."""
    cell = f'style="border: 1px solid black; padding: {px(2.5)}px"'
    head = "".join(
        f'<th align="left" {cell}{_width(widths, i)}>{escape(h)}</th>' for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f"<td {cell}>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return (f'<table width="100%" cellspacing="0" cellpadding="{px(2.5)}" '
            f'style="border-collapse: collapse; margin-bottom: {px(6)}px"><tr>{head}</tr>'
            f"{body}</table>")


def _width(widths: list[int] | None, i: int) -> str:
    return f' width="{widths[i]}%"' if widths else ""


def _kv(rows: list[tuple[str, str]]) -> str:
    return _table(["Item", "Value"], [[k, v] for k, v in rows], [32, 68])


def _triage_and_roots(case: Case, as_of: dt.date):
    from radiculopathy_desktop.domain.roots import suggest_roots
    from radiculopathy_desktop.domain.triage import triage_case

    intake = case.intake
    flags = case.red_flags_as_of(as_of)
    power = case.power_as_of(as_of)
    tri = triage_case(case, as_of, red_flags=flags, power=power)
    exam = intake.examination
    roots = suggest_roots(intake.regions, power=power, reflexes=exam.reflexes,
                          femoral_stretch=exam.femoral_stretch, slr=exam.slr)
    return flags, power, tri, roots


NOT_RECORDED = "not recorded"
_YES_NO = {True: "yes", False: "no", None: NOT_RECORDED}
#: The conditions given a row of their own (the others are listed when recorded yes).
_OWN_ROWS = ("diabetes", "heart_failure", "cardiovascular_disease", "falls_history")


def condition_rows(case: Case, as_of: dt.date, medications, differs=None) -> list[tuple[str, str]]:
    """The "Conditions" rows of the summary from the stored intake and the medicine check's
    report (kidney function as it used it): pregnancy with weeks, kidney function, diabetes,
    heart failure, cardiovascular disease, falls, anticoagulant, STarT Back risk and any
    other condition recorded yes. Never inferred: a condition not recorded says so."""
    from radiculopathy_desktop.domain.instruments import InstrumentError, score_start_back
    from radiculopathy_desktop.domain.vocabulary import BOOLEAN_CONDITIONS

    intake, p = case.intake, case.patient
    cond = intake.conditions
    rows: list[tuple[str, str]] = []
    # the answer standing on the summary's date (the intake's, or the latest visit's), the weeks moved on
    status = case.pregnancy_status(as_of)
    if status.on_date is not None:
        rows.append(("Pregnancy", status.on_date.words))
    elif status.answer == "no" and not status.at_visit:
        rows.append(("Pregnancy", f"Not pregnant (answered no at intake {_d(intake.visit_date)})"))
    elif status.answer == "no":
        rows.append(("Pregnancy", status.words))
    elif p.sex != "male":
        rows.append(("Pregnancy", NOT_RECORDED))
    if differs is not None:
        # gp19 F11: page 1 said "Not pregnant" with the difference only on page 2; the one wording
        # of the worklist's Why and the cases CSV, and where the alerts it brings are
        own = rows.pop()[1] if rows and rows[-1][0] == "Pregnancy" else NOT_RECORDED
        rows.append(("Pregnancy", f"{own.rstrip('.')}. {differs.mark_words()}: see Medicine safety"))
    kidney = [f"chronic kidney disease: {_YES_NO[cond.has('ckd')]}"]
    if cond.has("dialysis"):
        kidney.append("on dialysis")
    if cond.creatinine_value is not None:
        kidney.append(f"creatinine {_v(cond.creatinine_value)} {cond.creatinine_unit or 'mg/dL'}")
    if cond.egfr is not None:
        kidney.append(f"eGFR {_v(cond.egfr)}")
    renal = medications.renal
    basis = medications.renal_basis
    # the basis may already open with the label ("Renal function unknown: creatinine clearance not
    # computed ..."): said once (gp16 F9 read "Renal function unknown: Renal function unknown: ...")
    kidney.append(basis if renal.value is not None or (basis and basis.startswith(renal.label)) else
                  f"{renal.label}: {basis}" if basis else renal.label)
    rows.append(("Kidney function", "; ".join(kidney)))
    for key in _OWN_ROWS:
        rows.append((BOOLEAN_CONDITIONS[key], _YES_NO[cond.has(key)]))
    anticoagulants = [m.name for m in medications.current_medicines if "anticoagulant" in m.classes]
    rows.append(("Anticoagulant", ", ".join(anticoagulants) if anticoagulants else
                 "none among the current medicines" if intake.medicines else "no current medicines recorded"))
    others = [label for key, label in BOOLEAN_CONDITIONS.items()
              if key not in (*_OWN_ROWS, "ckd", "dialysis") and cond.has(key)]
    if others:
        rows.append(("Other conditions recorded", "; ".join(others)))
    risk = NOT_RECORDED
    if intake.start_back is not None:
        try:
            sb = score_start_back(intake.start_back)
            risk = f"{sb.risk} risk (total {sb.total}/9, distress {sb.distress}/5; {_d(intake.visit_date)})"
        except InstrumentError:
            risk = "recorded, not scorable"
    rows.append(("STarT Back risk", risk))
    return rows


def _pregnancy_cautions(medications) -> tuple[str, ...]:
    """The medicine check's pregnancy warnings on the current medicines (as the handouts use them)."""
    from radiculopathy_desktop.domain.medications import load_medicine_data
    from radiculopathy_desktop.reports.handouts import pregnancy_warnings

    names = {m.name for m in medications.current_medicines}
    return pregnancy_warnings(medications.rows, load_medicine_data(), names)


def summary_sources(review, assessment, pregnancy=()) -> list[tuple[str, str]]:
    """(what cites it, the whole reference) for every source a line of the summary cites: the
    surgical-review status's sources by topic, each medicine alert's, the pregnancy cautions',
    and the kidney-function formula when the Conditions row gives it. One item per reference;
    reviewer-only parts left out (``citations.full_reference``)."""
    from radiculopathy_desktop.domain.citations import _top_level_parts, full_reference
    from radiculopathy_desktop.domain.medications import CG_SOURCE

    cited: dict[str, list[str]] = {}

    def cite(what: str, source) -> None:
        # each reference of a line once, whatever other references the line cites beside it
        # (the steroid's alert cites Beers and the BNF, the NSAID's Beers alone)
        for ref in _top_level_parts(full_reference(source)):
            ref = " ".join(ref.split())
            if ref and what not in cited.setdefault(ref, []):
                cited[ref].append(what)

    for src in review.to_dict()["sources"]:
        cite(f"Surgical review, {src['topic']}", str(src["citation"]))
    for alert in assessment.medicine_alerts:
        cite(f"Medicine safety, {alert.status_label.upper()} {alert.named()}", alert.source)
    for row in assessment.medications.rows:
        for reason in row.reasons:
            if reason.text in pregnancy:
                cite("Medicine safety, pregnancy", reason.source)
    if CG_SOURCE in (assessment.medications.renal_basis or ""):
        cite("Conditions, kidney function (CrCl)", CG_SOURCE)
    return [("; ".join(whats), ref) for ref, whats in cited.items()]


def summary_html(req: SummaryRequest) -> tuple[str, object]:
    """(HTML body, chart series) for the summary of ``req.case`` on ``req.as_of``."""
    from radiculopathy_desktop.reports.chart import series_from_case

    case, as_of = req.case, req.as_of
    s = req.settings or default_review_settings()
    intake, p = case.intake, case.patient
    review = surgical_review(case, as_of, s)
    flags, power, tri, roots = _triage_and_roots(case, as_of)
    cv = req.content_version or guideline_content_version()
    e = escape
    parts: list[str] = []
    parts.append(f"<h1>Referral summary: lumbar radiculopathy (sciatica)</h1>")
    status_words = status_for_reader(review, case, as_of)  # never the worklist's filter word "Snoozed"
    parts.append(f"<p>Prepared {e(as_of.isoformat())} for a surgical opinion. Status on this date: "
                 f"<b>{e(status_words)}</b>.</p>")

    # patient and episode
    age = p.age_on(as_of)
    parts.append("<h2>Patient and episode</h2>")
    parts.append(_kv([
        ("Patient", f"{p.name or '-'} (id {p.id})"),
        ("Date of birth / age", f"{_d(p.birth_date)} / {_v(age)} years" if p.birth_date else f"{_v(age)} years"),
        ("Sex", p.sex),
        ("Case", case.case_id),
        ("Symptom onset", _d(intake.onset_date)),
        ("First visit / conservative care started", f"{_d(intake.visit_date)} / {_d(intake.care_start_date)}"),
        ("Time in conservative care", f"{review.days_since_care_start} days (week {review.weeks_since_care_start})"),
        ("Side and distribution", f"{intake.side}: " + ", ".join(SYMPTOM_REGIONS.get(r, r) for r in intake.regions)),
        ("Would consider intervention", intake.would_consider_intervention),
        ("Prior lumbar surgery", {True: "yes", False: "no", None: "not recorded"}[intake.prior_lumbar_surgery]),
        ("Clinician", intake.clinician or "-"),
    ]))

    # conditions the medicine checks and a surgeon or anaesthetist act on (rd13 D12), as stored
    from radiculopathy_desktop.domain.assess import assess_case
    meds_assessment = assess_case(case, as_of, profile=req.profile, settings=s)
    parts.append("<h2>Conditions</h2>")
    parts.append(_kv(condition_rows(case, as_of, meds_assessment.medications, req.pregnancy_differs)))

    # red flags
    parts.append("<h2>Red-flag screen</h2>")
    # the tier as every surface prints it (Tier.label; "INCOMPLETE" while the screen is)
    parts.append(f"<p>Urgency on {e(as_of.isoformat())}: <b>{e(tri.tier_label)}</b>"
                 + (f" - {e(tri.headline())}" if not tri.is_routine or not tri.screen_complete else "") + ".</p>")
    if tri.must_ask:
        parts.append("<p><b>Screen incomplete: ask now</b> (unknown is not no): "
                     + e("; ".join(RED_FLAG_QUESTIONS[q] for q in tri.must_ask)) + ".</p>")
    # each YES with the day of the record that raised it and whether a decision since has
    # acknowledged it (rd13 D19); the FHIR red-flag Observations carry the same dates
    from radiculopathy_desktop.reports.red_flag_history import recorded_words, standing_yes_answers
    history = standing_yes_answers(case, as_of)
    answered_yes = [[RED_FLAG_QUESTIONS[k], "YES", recorded_words(history[k]) if k in history else ""]
                    for k in RED_FLAG_QUESTIONS if flags.get(k) == "yes"]
    unknown = [[RED_FLAG_QUESTIONS[k], "not asked / unknown", ""] for k in RED_FLAG_QUESTIONS
               if flags.get(k, "unknown") == "unknown"]
    no_count = sum(1 for k in RED_FLAG_QUESTIONS if flags.get(k) == "no")
    rows = answered_yes + unknown
    if rows:
        parts.append(_table(["Question", "Answer", "When recorded"], rows, [44, 14, 42]))
    parts.append(f"<p>{no_count} of {len(RED_FLAG_QUESTIONS)} red-flag questions answered no"
                 + ("; none answered yes." if not answered_yes else ".") + "</p>")

    # medicine safety: the assessment's alerts (domain/medicine_alerts.py), never recomputed here
    parts.append("<h2>Medicine safety</h2>")
    if req.pregnancy_warning:
        parts.append('<p style="color: #b00020"><b>Pregnancy differs between cases:</b> '
                     + e(req.pregnancy_warning) + ".</p>")
    alerts = meds_assessment.medicine_alerts
    differs = req.pregnancy_differs
    if_pregnant = tuple(differs.if_pregnant) if differs is not None else ()
    if if_pregnant:  # rt20 F3: the alerts the check works out, as the case page gives them
        parts.append(f"<p><b>If she is pregnant as case {e(visible_id(differs.if_case))} records "
                     f"({differs.if_weeks} weeks on {e(as_of.isoformat())}), this case's medicines carry:</b></p>")
        parts.append(_table(["Alert if pregnant", "Current medicine: why, and what to do"],
                            [[a.status_label.upper(), a.text] for a in if_pregnant], [26, 74]))
    if alerts:
        parts.append(_table(["Alert", "Current medicine: why, and what to do"],
                            [[a.status_label.upper(), a.text] for a in alerts], [26, 74]))
    elif if_pregnant:
        parts.append("<p>By this case's own pregnancy answer, no current medicine carries an alert "
                     f"({e(req.profile)} profile); the alerts above stand until the pregnancy is settled.</p>")
    elif intake.medicines:
        parts.append("<p>No current medicine is contraindicated, to be avoided or above its adjusted maximum "
                     f"for this patient ({e(req.profile)} profile).</p>")
    else:
        parts.append("<p>No current medicines recorded.</p>")
    pregnancy = _pregnancy_cautions(meds_assessment.medications)
    if pregnancy:  # caution-level warnings are not alerts, yet a referral must carry them (rd13 D1)
        parts.append("<p><b>Pregnancy:</b> " + e(" ".join(pregnancy)) + "</p>")
    unrecognised = meds_assessment.medications.unrecognised_medicines
    if unrecognised:
        parts.append("<p><b>Not fully checked:</b> " + e(", ".join(unrecognised))
                     + " not recognised; its interactions were not checked.</p>")

    # examination
    exam = intake.examination
    parts.append("<h2>Examination and suspected root</h2>")
    slr = TENSION[exam.slr] + (f" at {exam.slr_angle_deg} degrees" if exam.slr_angle_deg else "")
    power_text = ", ".join(f"{MUSCLE_GROUPS.get(m, m)} {g}/5" for m, g in power.items()) or "not tested"
    reflex_text = ", ".join(f"{REFLEXES.get(r, r)}: {v.replace('_', ' ')}" for r, v in exam.reflexes.items()) \
        or "not tested"
    parts.append(_kv([
        ("Straight leg raise", slr),
        ("Crossed straight leg raise", TENSION[exam.crossed_slr]),
        ("Femoral stretch", TENSION[exam.femoral_stretch]),
        ("Power (MRC)", power_text),
        ("Reflexes", reflex_text),
        ("Suspected root", roots.summary()),
    ]))

    # scores
    parts.append("<h2>Scores over time</h2>")
    from radiculopathy_desktop.domain.intake import baseline_rerecorded
    from radiculopathy_desktop.domain.visits import INTAKE_DAY_KIND, INTAKE_REPLACED_KIND, baseline_mark
    # rt22 F11: the intake's row is "baseline" only when its scores are the baseline used; gp20 F11:
    # then "(baseline)" is on the record of the intake's day that holds it
    shown = case.visits_on_or_before(as_of)
    intake_mark = baseline_mark(intake, shown, None)
    intake_kind = ((f" {INTAKE_REPLACED_KIND}" + (f" {intake_mark}" if intake_mark else ""))
                   if baseline_rerecorded(intake, shown) else " (baseline)")
    rows = []
    for n, pt in enumerate(case.score_timeline()):
        if pt.date > as_of:
            continue
        week = (pt.date - intake.care_start_date).days // 7
        # rt21 F9: a visit of the intake's own day is not a follow-up (the status says none yet)
        mark = baseline_mark(intake, shown, n - 1) if not pt.is_baseline else ""
        kind = intake_kind if pt.is_baseline else (
            (f" {mark}" if mark else "") + f" {INTAKE_DAY_KIND}" if pt.date == intake.visit_date else "")
        rows.append([pt.date.isoformat() + kind, str(week),
                     _v(pt.leg_nrs), _v(pt.back_nrs), _v(pt.odi_percent), _v(pt.rmdq)])
    parts.append(_table(["Date", "Week", "Leg pain NRS", "Back pain NRS", "ODI %", "RMDQ"], rows,
                        [28, 10, 16, 16, 15, 15]))
    imp = review.improvement
    parts.append(f'<p><img src="{CHART_URL}" width="{px(500)}" height="{px(214)}"/></p>')
    imp_words = {True: "improving", False: "not improving", None: "no follow-up scores yet"}[imp.improving]
    parts.append(f"<p>Trend against baseline: <b>{e(imp_words)}</b>"
                 + ("; meets the resolution thresholds" if imp.resolved else "") + ".</p>")
    from radiculopathy_desktop.domain.visits import baseline_rerecorded_words
    rerecorded = baseline_rerecorded_words(case) if intake.visit_date <= as_of else None  # rt21 F5
    if rerecorded:
        parts.append(f"<p>{e(rerecorded)}</p>")

    # treatments
    parts.append("<h2>Treatments tried</h2>")
    treatments = [t for t in case.all_treatments(until=as_of)]
    if treatments:
        parts.append(_table(["Treatment", "Started", "Stopped", "Response"],
                            [[TREATMENTS.get(t.code, t.code), _d(t.started), _d(t.stopped),
                              RESPONSES.get(t.response, t.response)] for t in treatments], [46, 17, 17, 20]))
    else:
        parts.append("<p>None recorded.</p>")
    if intake.medicines:
        from radiculopathy_desktop.domain.medications import recorded_dose_words

        # a combination product's recorded mg are one component's: said with its reading (G17)
        parts.append("<p>Current medicines: " + e(", ".join(
            m.name + recorded_dose_words(m.name, m.daily_dose_mg).replace(" mg a day", " mg/day", 1)
            for m in intake.medicines)) + ".</p>")

    # surgical review
    d = review.to_dict()
    parts.append('<table width="100%" cellspacing="0" cellpadding="{0}" style="border-collapse: collapse; '
                 'margin-top: {1}px"><tr><td style="border: {2}px solid black">'.format(px(6), px(8), px(2)))
    parts.append(f'<h2 style="margin-top: 0">Surgical review: {e(status_words)}</h2>')
    parts.append(f"<p>{e(review.reason)}</p>")
    parts.append(f"<p>Review window: day {s.window_start_day} to day {s.window_end_day} of conservative care "
                 f"({review.window_opens.isoformat()} to {review.window_closes.isoformat()}).</p>")
    parts.append("<p>Sources: see Sources at the end.</p>")
    parts.append("</td></tr></table>")

    # decisions
    parts.append("<h2>Decisions</h2>")
    decisions = case.decisions_on_or_before(as_of)
    if decisions:
        parts.append(_table(["Date", "Decision", "By", "Note"],
                            [[x.date.isoformat(), decision_sentence(x.kind, x.until), x.by or "-",
                              x.note or ""] for x in decisions], [14, 44, 16, 26]))
    else:
        parts.append("<p>No decision recorded yet.</p>")

    # every source a line above cites, whole (authors or organisation, journal or version, year):
    # the shortened forms lost authors and cut sources in two (rd13 D15)
    parts.append("<h2>Sources</h2>")
    parts.append("<ul>" + "".join(f"<li>{e(what)}: {e(ref)}</li>" for what, ref in summary_sources(
        review, meds_assessment, pregnancy)) + "</ul>")

    parts.append("<h2>About this summary</h2>")
    parts.append(f"<p>{e(version_line(cv))}; guideline profile {e(req.profile)} "
                 f"({e(profile_words(req.profile))}: the medicine checks' maxima and ratings). "
                 f"Generated {e(as_of.isoformat())} from the case record; "
                 "it supports, and does not replace, clinical judgement.</p>")

    css = f"""
    h1 {{ font-size: {POINT_SIZE * 1.6:.1f}pt; margin-top: 0; margin-bottom: {px(6)}px; }}
    h2 {{ font-size: {POINT_SIZE * 1.25:.1f}pt; margin-top: {px(10)}px; margin-bottom: {px(4)}px; }}
    p {{ margin-top: 0; margin-bottom: {px(5)}px; }}
    th {{ font-weight: bold; }}
    """
    html = f"<html><head><style>{css}</style></head><body>{''.join(parts)}</body></html>"
    series = series_from_case(case, (s.window_start_day, s.window_end_day), s.resolved_leg_nrs_max, as_of)
    return html, series


def header_html(req: SummaryRequest) -> str:
    p = req.case.patient
    clinic = escape(req.clinic_name or "")
    contact = escape(req.clinic_contact or "")
    return ('<table width="100%" cellspacing="0" cellpadding="0"><tr>'
            f'<td valign="top"><b>{clinic}</b>{"<br/>" + contact if contact else ""}</td>'
            f'<td valign="top" align="right">Patient: <b>{escape(p.name or p.id)}</b> (id {escape(p.id)})<br/>'
            f'Case {escape(req.case.case_id)} · {req.as_of.isoformat()}</td></tr></table>')


def build_document(req: SummaryRequest) -> PagedDocument:
    from radiculopathy_desktop.reports.chart import chart_image

    html, series = summary_html(req)
    cv = req.content_version or guideline_content_version()
    return PagedDocument(
        body_html=html,
        header_html=header_html(req),
        footer_text=version_line(cv, profile=req.profile) + " · referral summary",
        base_point_size=POINT_SIZE,
        title=f"Referral summary {req.case.case_id}",
        images={CHART_URL: lambda: chart_image(series)},
    )


def write_summary_pdf(req: SummaryRequest, path: Path, *, overwrite: bool = True, on_complete=None) -> int:
    """Write the referral summary PDF, checked and atomically; return the page count.
    ``on_complete(pages)`` runs once the file is whole, before it is put in place."""
    return build_document(req).write_pdf(Path(path), req.paper, overwrite=overwrite, on_complete=on_complete)
