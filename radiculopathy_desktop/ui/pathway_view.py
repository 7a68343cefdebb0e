"""The stepped-algorithm view of one patient: the assessment, as the engine made it.

Everything shown comes from ``assess_case(...).to_dict()``; this module only lays
it out (HTML in a QTextBrowser: selectable, scalable with the system font, read
by screen readers, and keyboard-scrollable). States and badges are words first,
with colour behind them.
"""

from __future__ import annotations

from typing import Any, Iterable

from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QTextBrowser, QToolTip

from radiculopathy_desktop.domain.characters import visible_html
from radiculopathy_desktop.domain import citations
from radiculopathy_desktop.domain.medications import PRODUCT_LIMIT_WORDS, above_applying_max
from radiculopathy_desktop.domain.vocab import Direction, ImagingDecision, MedicineStatus, ReviewStatus, Tier, member
from radiculopathy_desktop.domain.vocabulary import TREATMENTS, decision_sentence
from radiculopathy_desktop.ui import style

STATE_WORDS = {
    "done": ("Tried", "ok"),
    "review": ("Tried: review", "warning"),
    "current": ("Now", "warning"),
    "next": ("Next", "info"),
    "later": ("Later", "neutral"),
    "not_applicable": ("Not now", "neutral"),
}



def _encode(text: str) -> str:
    """A citation's full text, percent-encoded for a link target (Qt's own encoder)."""
    from PySide6.QtCore import QUrl

    return bytes(QUrl.toPercentEncoding(text)).decode("ascii")


def _decode(text: str) -> str:
    from PySide6.QtCore import QUrl

    return QUrl.fromPercentEncoding(text.encode("ascii"))

def e(value: Any) -> str:
    """HTML-escaped text, a control character or direction override in it shown as its
    ``\\uXXXX`` escape (``domain.characters.visible``: never obeyed, red-team rt8 F8)."""
    return visible_html(None if value is None else value if isinstance(value, str) else str(value))


def badge(text: str, kind: str) -> str:
    """``text`` on the colours of ``kind``: a badge kind ("warning") or a vocabulary member
    (``Direction.DO_NOT_OFFER``), whose colours ``style.BADGE_KINDS`` holds."""
    bg, fg = style.kind_colours(kind)
    return (f'<span style="background-color:{bg.name()}; color:{fg.name()}; font-weight:bold;">'
            f"&nbsp;{e(text)}&nbsp;</span>")


def cite_link(short: str, detail: str) -> str:
    """A short citation; its full reference shows on hover or click (see AssessmentBrowser)."""
    return f'<a href="cite:{_encode(detail or short)}">{e(short)}</a>'


def sources_html(sources: Iterable[dict] | None) -> str:
    """Clinical screens: short citations ("ACP 2017, Recommendation 1"), the full reference one
    click away; seed summaries and verification marks stay on the reviewer view."""
    items = [cite_link(short, detail) for short, detail in citations.clinical_sources(sources)]
    if not items:
        return ""
    return '<div style="font-size:small;">Source: ' + "; ".join(items) + "</div>"


def reviewer_sources_html(sources: Iterable[dict] | None) -> str:
    """The reviewer view: every source as recorded, seed summaries and "[to verify]" marks included."""
    items = []
    for s in sources or ():
        if isinstance(s, str):
            items.append(e(s))
            continue
        label = s.get("citation") or ", ".join(str(x) for x in (s.get("guideline"), s.get("section"), s.get("year"))
                                               if x)
        if s.get("guideline") and s.get("section"):
            label = f"{s['guideline']}, {s['section']}" + (f" ({s['year']})" if s.get("year") else "")
        if s.get("verified") is False or s.get("verify") is True:
            label += " [to verify]"
        items.append(e(label))
    if not items:
        return ""
    return '<div style="font-size:small;">Source: ' + "; ".join(items) + "</div>"


def disagreements_html(items: Iterable[dict] | None) -> str:
    """Clinical screens: one line naming the topic; the positions are on the reviewer view."""
    topics = [d.get("topic") for d in items or () if d.get("topic")]
    if not topics:
        return ""
    return ('<div style="font-size:small;"><i>Sources differ on: ' + e("; ".join(topics))
            + " (Guideline page, Sources and review status).</i></div>")


def reviewer_disagreements_html(items: Iterable[dict] | None) -> str:
    out = []
    for d in items or ():
        out.append(f"<div><b>Where sources differ: {e(d.get('topic'))}</b> — {e(d.get('summary'))}<ul>")
        for p in d.get("positions", ()):
            out.append(f"<li><b>{e(p.get('holder'))}</b> ({e(p.get('stance'))}): {e(p.get('text'))}"
                       f"{reviewer_sources_html(p.get('sources'))}</li>")
        out.append("</ul></div>")
    return "".join(out)


def ct(text: Any) -> str:
    """Content text for a clinical screen: reviewer-only asides removed, then escaped."""
    return e(citations.clinical_text("" if text is None else str(text)))


def _triage_html(t: dict) -> str:
    tier = member(Tier, t.get("tier", Tier.ROUTINE)) or Tier.URGENT  # an unknown tier is never shown as routine
    kind, words = tier, tier.label
    incomplete = t.get("screen_complete") is False
    if incomplete and tier == Tier.ROUTINE:  # never "Routine" while cauda equina answers are missing
        words, kind = t.get("tier_label") or "INCOMPLETE", Tier.URGENT
    out = [f"<h3>Red-flag triage: {badge(words, kind)}</h3>",
           f"<p>{ct(t.get('headline'))}</p>"]
    actions = t.get("actions") or []
    if actions and (tier != Tier.ROUTINE or incomplete):
        out.append("<p><b>What to do now:</b></p><ol>")
        for a in actions:
            out.append(f"<li>{ct(a.get('text'))}{sources_html(a.get('sources'))}</li>")
        out.append("</ol>")
    elif actions:
        out.append("<ul>" + "".join(f"<li>{ct(a.get('text'))}{sources_html(a.get('sources'))}</li>"
                                    for a in actions) + "</ul>")
    for note in t.get("notes") or ():
        if citations.clinical_text(note):
            out.append(f"<p><i>{ct(note)}</i></p>")
    return "".join(out)


def _review_html(r: dict) -> str:
    status = member(ReviewStatus, r.get("status"))
    words = r.get("label") or (status.label if status else str(r.get("status", "")))
    out = [f"<h3>Surgical review: {badge(words, status or 'neutral')}</h3>",
           f"<p>{ct(r.get('reason'))}</p>",
           f"<p>Week {e(r.get('weeks_since_care_start'))} of conservative care. Review window "
           f"{e(r.get('window_opens'))} to {e(r.get('window_closes'))}.</p>"]
    imp = r.get("improvement") or {}
    if imp.get("reasons"):
        out.append("<ul>" + "".join(f"<li>{ct(x)}</li>" for x in imp["reasons"]) + "</ul>")
    last = r.get("last_decision")
    if last:
        out.append(f"<p>Last decision: {e(decision_sentence(last.get('kind'), last.get('until')))} "
                   f"(recorded {e(clinic_date_text(last.get('date')))}).</p>")
    out.append(sources_html([s.get("citation") for s in r.get("sources", ()) if s and s.get("citation")]))
    return "".join(out)


def clinic_date_text(value) -> str:
    from radiculopathy_desktop.domain.vocabulary import clinic_date
    return clinic_date(value) if value else ""


#: what a clinician should read first among a step's recommendations
_FIRST = {Direction.RECOMMEND: 0, Direction.CONSIDER: 1, Direction.DISPUTED: 2, Direction.NOT_RECOMMENDED: 3,
          Direction.DO_NOT_OFFER: 3}


def _rec_html(r: dict) -> str:
    direction = member(Direction, r.get("direction"))
    mine = r.get("for_this_patient")  # the medicine table rules this class out for this patient
    now = r.get("taking_now")  # the patient already takes a medicine of this class
    mine_html = (f"<p>{badge('Not for this patient: ' + mine['status_label'], 'danger')} {ct(mine['text'])}</p>"
                 if mine else "")
    shown = badge(direction.label, direction) if direction else badge("Note", "neutral")
    text, sources, now_html = r.get("text"), r.get("sources"), ""
    if now and direction and direction.offers:
        # not "Consider" what the patient already takes: the step reviews it (the data's words)
        shown, text, sources = badge("Review: already taking", "warning"), now["text"], now.get("sources")
    elif now:  # a medicine the guideline advises against, taken now: say so beside the advice
        now_html = f"<p>{badge('Taking now', 'warning')} {ct(now['text'])}{sources_html(now.get('sources'))}</p>"
    if mine and direction and direction.offers:  # never "Consider" a class ruled out for this patient
        shown = badge("Not for this patient", "danger")
        if now:  # nor review it as if it could go on: the reason follows (and the alerts)
            text = f"{now['taking']}: not for this patient, see why below and the medicine alerts."
    # unrec34 (H-MED-702): offered while a medicine taken now is not recognised: provisional, said beside it
    provisional = r.get("provisional") if direction and direction.offers and not mine else None
    provisional_html = (f"<p>{badge('Provisional', 'warning')} {ct(provisional['text'])}</p>" if provisional else "")
    return (f"<li>{shown} {ct(text)}"
            f"{provisional_html}{mine_html}{sources_html(sources)}{now_html}{disagreements_html(r.get('disagreements'))}"
            "</li>")


def _caution_html(c: dict) -> str:
    return f"<li>{badge('For this patient', 'warning')} {ct(c.get('text'))}{sources_html(c.get('sources'))}</li>"


def _now_html(p: dict) -> str:
    """The current step first: what to do now (its one or two actions) and why, in a few lines."""
    steps = p.get("steps") or []
    # the step the engine says is Now (path33: self-care stays Now beside a due surgical review,
    # which is the decision to make first)
    step = next((s for s in steps if s.get("state") == "current" and s.get("id") == p.get("current_step_id")),
                None) or next((s for s in steps if s.get("state") == "current"), None)
    if step is None:
        return ""
    why = [w for w in step.get("why", ()) if w][:2]
    recs = sorted(step.get("recommendations") or [], key=lambda r: _FIRST.get(r.get("direction"), 4))
    # what to do now: an offered treatment this patient can have (one ruled out for them is not
    # put first); one already taken comes first, as its review
    offered = [r for r in recs if (d := member(Direction, r.get("direction"))) and d.offers
               and not r.get("for_this_patient")]
    offered.sort(key=lambda r: not r.get("taking_now"))
    first = offered[:2] or recs[:1]
    out = [f"<h3>Now: {e(step.get('order'))}. {e(step.get('title'))}</h3>"]
    if why:
        out.append("<p>" + "<br>".join(ct(w) for w in why) + "</p>")
    if first or step.get("cautions"):
        out.append("<ul>" + "".join(_rec_html(r) for r in first)
                   + "".join(_caution_html(c) for c in step.get("cautions") or ()) + "</ul>")
    rest = len(recs) - len(first)
    if rest > 0:
        out.append(f"<p style='font-size:small;'>{rest} more for this step in the step details below.</p>")
    return "".join(out)


def ladder_html(p: dict, details: bool = False) -> str:
    out = []
    if p.get("overridden_by_red_flags"):
        out.append(f"<h3>Stepped care</h3><p>{badge('Red flags first', 'danger')} {ct(p.get('override_message'))}</p>")
    else:
        out.append(_now_html(p))
        out.append("<h3>Stepped care</h3>")
    out.append('<table cellspacing="0" cellpadding="4" border="1" width="100%">'
               '<tr><th width="24%">Step</th><th width="14%">Where this patient is</th><th width="62%">Why</th></tr>')
    for s in p.get("steps", ()):
        words, kind = STATE_WORDS.get(s.get("state"), (s.get("state"), "neutral"))
        title = f"{e(s.get('order'))}. {e(s.get('title'))}"
        if s.get("state") == "current":
            title = f"<b>{title}</b>"
        why = [w for w in s.get("why", ()) if w]
        shown = why if details else why[:2]
        out.append(f"<tr><td>{title}</td><td>{badge(words, kind)}</td>"
                   f"<td>{'<br>'.join(ct(w) for w in shown)}</td></tr>")
    out.append("</table>")
    if not details:
        out.append('<p><a href="details:show">Show the details of every step</a> '
                   "(all recommendations, cautions and sources)</p>")
        return "".join(out)
    out.append('<p><a href="details:hide">Hide the step details</a></p>')
    for s in p.get("steps", ()):
        recs = s.get("recommendations") or []
        if not recs and not s.get("disagreements"):
            continue
        words, _ = STATE_WORDS.get(s.get("state"), (s.get("state"), "neutral"))
        out.append(f"<h4>{e(s.get('order'))}. {e(s.get('title'))} — {e(words)}</h4>")
        if s.get("summary"):
            out.append(f"<p>{ct(s.get('summary'))}</p>")
        out.append("<ul>")
        for r in recs:
            out.append(_rec_html(r))
        for c in s.get("cautions") or ():
            out.append(_caution_html(c))
        out.append("</ul>")
        out.append(disagreements_html(s.get("disagreements")))
    return "".join(out)


def checks_html(checks) -> str:
    """Clinician-facing checks for common pitfalls the record suggests (domain/pitfalls.py)."""
    if not checks:
        return ""
    out = ["<h3>Checks for this patient</h3><ul>"]
    for c in checks:
        out.append(f"<li>{badge('Check', 'warning')} <b>{ct(c.get('title'))}</b>: {ct(c.get('why'))} "
                   f"{ct(c.get('text'))}{sources_html(c.get('sources'))}</li>")
    out.append("</ul>")
    return "".join(out)


def monitoring_html(m: dict) -> str:
    """What to reassess and watch at follow-up, and the suggested next visit (domain/monitoring.py)."""
    items = (m or {}).get("items") or []
    if not items:
        return ""
    if items[0].get("id") == "red_flag_first":  # path34: a red flag stands after a referral: it leads
        out = ["<h3>Monitoring: red flag first</h3>",
               f"<p><b>Now:</b> {ct(items[0].get('text'))} <i>{ct(items[0].get('detail'))}</i>"
               f"{sources_html(items[0].get('sources'))}</p>"]
        items = items[1:]  # said above, before the list of what to watch
    elif items[0].get("id") == "after_referral":  # path33: referred: the surgical opinion follows
        out = ["<h3>Monitoring while awaiting the surgical opinion</h3>",
               f"<p><b>Next:</b> {ct(items[0].get('detail'))} No routine next visit; if worse, see the "
               "safety net below.</p>"]
    else:
        out = ["<h3>Monitoring at follow-up</h3>"]
    if m.get("next_visit"):
        out.append(f"<p><b>Suggested next visit:</b> {e(clinic_date_text(m['next_visit']))}</p>")
    out.append("<ul>")
    for item in items:
        out.append(f"<li>{ct(item.get('text'))} <i>{ct(item.get('detail'))}</i>{sources_html(item.get('sources'))}</li>")
    out.append("</ul>")
    return "".join(out)


def imaging_html(i: dict) -> str:
    if not i:
        return ""
    decision = member(ImagingDecision, i.get("decision"))
    study = f" — {e(i.get('study'))}" if i.get("study") else ""
    shown = badge(decision.label, decision) if decision else badge("No advice", "neutral")
    out = [f"<h3>Imaging: {shown}{study}</h3>",
           f"<p>{ct(i.get('reason'))}</p>"]
    if i.get("urgency"):
        out.append(f"<p>Urgency: {e(i.get('urgency'))}</p>")
    for n in i.get("notes") or ():
        out.append(f"<p>{ct(n.get('text'))}{sources_html(n.get('sources'))}</p>")
    out.append(sources_html(i.get("sources")))
    return "".join(out)


def _medicine_source_texts() -> dict:
    try:
        from radiculopathy_desktop.domain.medications import load_medicine_data
        return dict(load_medicine_data().sources)
    except Exception:  # the table itself reports a data problem
        return {}


def _reason_html(reason) -> str:
    if isinstance(reason, str):
        return ct(reason)
    text = ct(reason.get("text"))
    ids = reason.get("source_ids") or ()
    if ids:
        cites = citations.medicine_sources(ids, _medicine_source_texts())
    else:
        src = reason.get("source")
        cites = [(citations.short_citation(src), citations.citation_detail(src))] if src else []
    cites = [(short, detail) for short, detail in cites if short]
    if cites:
        text += ('<div style="font-size:small;">Source: '
                 + "; ".join(cite_link(short, detail) for short, detail in cites) + "</div>")
    return text


def medications_html(m: dict) -> str:
    if not m:
        return ""
    rows = m.get("rows") or []
    out = ["<h3>Medicines</h3>"]
    if m.get("renal_basis"):
        out.append(f"<p>Kidney function: {ct(m['renal_basis'])}</p>")
    if not rows:
        out.append("<p>No medicine advice.</p>")
    else:
        out.append('<table cellspacing="0" cellpadding="4" border="1" width="100%"><tr><th>Medicine</th>'
                   "<th>Status</th><th>Maximum per day for this patient</th><th>Why</th></tr>")
        for r in rows:
            status = member(MedicineStatus, r.get("status"))
            label = r.get("status_label") or (status.label if status else str(r.get("status") or ""))
            kind = status or "neutral"
            maxdose = r.get("adjusted_max_daily_mg")
            # a product's own lower label maximum (zalmax35, H-MED-727) is the product's, not an adjustment
            kind = "product label" if PRODUCT_LIMIT_WORDS in str(r.get("adjustment_reason") or "") else "adjusted"
            text = f"{maxdose:g} mg/day ({kind})" if isinstance(maxdose, (int, float)) else ""
            if not text and isinstance(r.get("label_max_daily_mg"), (int, float)):
                text = f"label maximum {r['label_max_daily_mg']:g} mg/day"
            if r.get("adjustment_reason"):
                text += f"<br><span style='font-size:small;'>{ct(r['adjustment_reason'])}</span>"
            if r.get("currently_taking"):
                label += " · taking now"
            if above_applying_max(r):  # a product's own lower maximum too (zalmax35, H-MED-727)
                label += " · ABOVE MAXIMUM"
            reasons = r.get("reasons") or []
            name = r.get("label") or r.get("drug")
            if r.get("class_label"):
                name = f"{name}<br><span style='font-size:small;'>{e(r['class_label'])}</span>"
            out.append(f"<tr><td>{name if '<br>' in str(name) else e(name)}</td><td>{badge(label, kind)}</td>"
                       f"<td>{text}</td><td>{'<hr>'.join(_reason_html(x) for x in reasons)}</td></tr>")
        out.append("</table>")
    for w in m.get("interactions") or ():
        out.append(f"<p>{badge('Interaction', 'warning')} {_reason_html(w)}</p>")
    for note in m.get("current_notes") or ():
        severity = member(MedicineStatus, note.get("severity"))  # or "info", which is not a row status
        words = severity.label if severity else str(note.get("severity")).replace("_", " ").capitalize()
        out.append(f"<p>{badge(words, severity or 'warning')} {_reason_html(note)}</p>")
    detail = m.get("unrecognised_detail") or [{"name": n} for n in m.get("unrecognised_medicines") or ()]
    for med in detail:
        hint = f" Did you mean <b>{e(med['suggestion'])}</b>?" if med.get("suggestion") else ""
        out.append(f"<p>{badge('Not recognised', 'warning')} “{e(med.get('name'))}” is not in the medicine list, "
                   f"so its interactions were not checked and no row is fully checked.{hint} Enter the generic "
                   "name, or check it by hand.</p>")
    return "".join(out)


def treatments_html(case, medications: dict | None = None) -> str:
    """What the patient takes now (their medicine list) and the treatments tried so far."""
    if case is None:
        return ""
    current = (medications or {}).get("current_medicines") or []
    items = case.all_treatments()
    out = ["<h3>Medicines now and treatments tried</h3>"]
    if not items and not current:
        out.append("<p>No medicine and no treatment recorded yet.</p>")
        return "".join(out)
    out.append("<ul>")
    for m in current:
        dose = m.get("daily_dose_mg")
        dose_text = ""
        if m.get("recognised", True):
            from radiculopathy_desktop.domain.medications import recorded_dose_words

            # a combination product's recorded mg are one component's: with its reading (G17); no
            # dose recorded: a regimen written in the name as read (cmb17)
            number = float(dose) if isinstance(dose, (int, float)) else None
            dose_text = recorded_dose_words(str(m.get("name")), number) or (
                f" {dose:g} mg a day" if number is not None else "")
        elif isinstance(dose, (int, float)):
            dose_text = f" {dose:g} mg a day"
        known = "" if m.get("recognised", True) else " (not in the medicine list: not checked)"
        out.append(f"<li>Taking now: {e(m.get('name'))}{e(dose_text)}{e(known)}</li>")
    for t in items:
        when = f" from {t.started.isoformat()}" if t.started else ""
        when += f" to {t.stopped.isoformat()}" if t.stopped else ""
        response = "" if t.response == "unknown" else f" — {t.response.replace('_', ' ')}"
        out.append(f"<li>Tried: {e(TREATMENTS.get(t.code, t.code))}{e(when)}{e(response)}</li>")
    out.append("</ul>")
    return "".join(out)


def assessment_html(a: dict, case=None, details: bool = False) -> str:
    """The assessment for a clinical screen: the current step first, the other steps' detail
    folded unless ``details``; short citations only (see :mod:`domain.citations`)."""
    out = []
    for w in a.get("warnings") or ():
        out.append(f"<p>{badge('Note', 'warning')} {ct(w)}</p>")
    if a.get("triage"):
        out.append(_triage_html(a["triage"]))
    if a.get("surgical_review"):
        out.append(_review_html(a["surgical_review"]))
    root = a.get("root_level") or {}
    phase = a.get("phase") or {}
    facts = []
    if root:
        facts.append(f"<b>Likely root:</b> {ct(root.get('summary') or root.get('likely'))}")
    if phase:
        facts.append(f"<b>Phase:</b> {e(phase.get('label') or phase.get('name'))}")
    if facts:
        out.append("<p>" + "<br>".join(facts) + "</p>")
    out.append(checks_html(a.get("checks")))  # before the ladder: a pitfall to act on is seen first
    if a.get("pathway"):
        out.append(ladder_html(a["pathway"], details))
    out.append(monitoring_html(a.get("monitoring") or {}))
    out.append(treatments_html(case, a.get("medications")))
    out.append(medications_html(a.get("medications") or {}))
    out.append(imaging_html(a.get("imaging") or (a.get("pathway") or {}).get("imaging") or {}))
    g = a.get("guideline") or {}
    if g:
        out.append(f"<p style='font-size:small;'>Guideline profile {e(g.get('profile'))}, content version "
                   f"{e(g.get('content_version'))} (reviewed {e(g.get('reviewed'))}).</p>")
    if a.get("disclaimer"):
        out.append(f"<p style='font-size:small;'><i>{e(a['disclaimer'])}</i></p>")
    return "".join(out)


class AssessmentBrowser(QTextBrowser):
    """Read-only HTML view. A short citation shows its full reference on hover and on click
    (or Tab to it and Enter); "Show the details of every step" unfolds the step list."""

    def __init__(self, parent=None, name="Assessment and stepped care"):
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setOpenExternalLinks(False)
        self.setOpenLinks(False)
        self.details_open = False
        self.last_citation = ""
        self._assessment: dict | None = None
        self._case = None
        self.anchorClicked.connect(self._anchor)
        self.highlighted.connect(self._hover)

    def show_assessment(self, assessment: dict, case=None) -> None:
        self._assessment, self._case = assessment, case
        self._render()

    def _render(self) -> None:
        bar = self.verticalScrollBar().value()
        self.setHtml(assessment_html(self._assessment, self._case, self.details_open))
        self.verticalScrollBar().setValue(bar)

    def set_details_open(self, on: bool) -> None:
        self.details_open = on
        if self._assessment is not None:
            self._render()

    def _anchor(self, url) -> None:
        target = url.toString()
        if target.startswith("details:"):
            self.set_details_open(target == "details:show")
        elif target.startswith("cite:"):
            self.last_citation = _decode(target[len("cite:"):])
            QToolTip.showText(QCursor.pos(), self.last_citation, self)

    def _hover(self, url) -> None:
        target = url.toString() if hasattr(url, "toString") else str(url)
        if target.startswith("cite:"):
            QToolTip.showText(QCursor.pos(), _decode(target[len("cite:"):]), self)

    def show_problem(self, message: str) -> None:
        self._assessment = None
        self.setHtml(f"<p>{badge('Not available', 'warning')} {e(message)}</p>")
