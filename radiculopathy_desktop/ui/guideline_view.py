"""The whole stepped algorithm with its sources; the us / uk switch chooses which one to read."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from radiculopathy_desktop.domain import citations
from radiculopathy_desktop.ui.forms import combo, set_combo
from radiculopathy_desktop.ui.pathway_view import (AssessmentBrowser, _rec_html, badge, ct, disagreements_html, e,
                                                   reviewer_disagreements_html, reviewer_sources_html,
                                                   sources_html)

PROFILES = {"us": "United States (ACP, NASS, ACR)", "uk": "United Kingdom (NICE NG59)"}


def _guideline_rec_html(r) -> str:
    """A recommendation on the clinical tab: its text and short citations, then its evidence
    in plain words and each caution with the condition that raises it (reviewer asides removed)."""
    rec = _rec_html(r.to_dict())
    extra = []
    evidence = citations.clinical_text(r.evidence_note or "")
    if evidence:
        extra.append(f"<div style='font-size:small;'>Evidence: {e(evidence)}</div>")
    if r.cautions or r.already_taking:
        extra.append("<ul>")
        for c in r.cautions:
            extra.append(f"<li>{badge(c.applies_when, 'warning')} {ct(c.text)}"
                         f"{sources_html([x.to_dict() for x in c.sources])}</li>")
        if r.already_taking:  # what the patient's pathway says instead when one is taken now
            extra.append(f"<li>{badge('Already taking one', 'warning')} {ct(r.already_taking.text)}"
                         f"{sources_html([x.to_dict() for x in r.already_taking.sources])}</li>")
        extra.append("</ul>")
    if not extra:
        return rec
    return rec[:-len("</li>")] + "".join(extra) + "</li>"


def guideline_html(g) -> str:
    """The pathway as a clinician reads it: recommendations with short citations."""
    title = citations.clinical_text(g.title) or PROFILES.get(g.profile, g.profile)
    out = [f"<h2>{e(title)}</h2><p>{ct(g.description)}</p>",
           f"<p style='font-size:small;'>Content version {e(g.content_version)}, reviewed {e(g.reviewed)}. "
           "Full sources, review status and where the sources differ: the Sources and review status tab.</p>"]
    for s in g.steps:
        out.append(f"<h3>{s.order}. {e(s.title)}</h3><p>{ct(s.summary)}</p>")
        if s.not_applicable_reason:
            out.append(f"<p><i>{ct(s.not_applicable_reason)}</i></p>")
        if s.needs_first:  # a prerequisite step (guideline data), as the patient's pathway says it
            pre = g.step(s.needs_first.step_id)
            lead = f"Needs step {pre.order} ({pre.title}) first" if s.needs_first.blocks else f"Before it: {pre.title}"
            out.append(f"<p><b>{e(lead)}:</b> {ct(s.needs_first.text)}"
                       f"{sources_html([x.to_dict() for x in s.needs_first.sources])}</p>")
        out.append("<ul>")
        for r in s.recommendations:
            out.append(_guideline_rec_html(r))
        out.append("</ul>")
        out.append(sources_html([x.to_dict() for x in s.sources]))
        out.append(disagreements_html([x.to_dict() for x in s.disagreements]))
    if g.checks:
        out.append("<h3>Checks for common pitfalls</h3><p>Shown in a patient's pathway when the record suggests one.</p><ul>")
        for c in g.checks:
            out.append(f"<li><b>{ct(c.title)}</b>: {ct(c.text)}{sources_html([x.to_dict() for x in c.sources])}</li>")
        out.append("</ul>")
    if g.monitoring:
        out.append("<h3>Monitoring at follow-up</h3><ul>")
        for m in g.monitoring:
            out.append(f"<li>{ct(m.text)}{sources_html([x.to_dict() for x in m.sources])}</li>")
        out.append("</ul>")
    imaging = list(g.red_flag_imaging) + list(g.routine_imaging)
    if imaging:
        out.append("<h3>Imaging</h3><ul>")
        for rule in imaging:
            study = f" ({e(rule.study)})" if rule.study else ""
            out.append(f"<li><b>{e(rule.decision.replace('_', ' ').capitalize())}</b>{study}: {ct(rule.reason)}"
                       f"{sources_html([x.to_dict() for x in rule.sources])}</li>")
        out.append("</ul>")
    return "".join(out)


def review_html(g) -> str:
    """For the people who review the content: every source as recorded (seed summaries too),
    what is not yet verified and why, and where the seed summaries and the guidelines differ."""
    out = [f"<h2>Sources and review status: {e(g.title)}</h2>",
           f"<p>Content version {e(g.content_version)}, reviewed {e(g.reviewed)}.</p>",
           f"<p><b>Reviewer note:</b> {e(g.reviewer_note)}</p>",
           "<p>Clinical screens, the referral summary and the handouts show only short citations of "
           "published sources. This page shows everything behind them.</p>"]
    unverified = [(s, r) for s, r in g.recommendations() if not r.verified]
    out.append(f"<h3>Not yet verified ({len(unverified)} recommendations)</h3><ul>")
    for s, r in unverified:
        out.append(f"<li><b>{e(s.title)}</b>: {e(' '.join(r.text.split()))}"
                   f"<br><i>{e(r.evidence_note)}</i>{reviewer_sources_html([x.to_dict() for x in r.sources])}</li>")
    out.append("</ul>")
    if g.disagreements:
        out.append("<h3>Where the seed summaries and the guidelines differ</h3>")
        out.append(reviewer_disagreements_html([x.to_dict() for x in g.disagreements]))
    out.append("<h3>Every recommendation with its sources as recorded</h3>")
    for s in g.steps:
        out.append(f"<h4>{s.order}. {e(s.title)}</h4><ul>")
        for r in s.recommendations:
            note = f"<br><i>{e(r.evidence_note)}</i>" if r.evidence_note else ""
            out.append(f"<li>{e(' '.join(r.text.split()))}{note}"
                       f"{reviewer_sources_html([x.to_dict() for x in r.sources])}")
            a = r.already_taking
            if a:  # pathnsaid: the review for a patient already taking one, with its own evidence note
                anote = f"<br><i>{e(a.evidence_note)}</i>" if a.evidence_note else ""
                # pathtake: the reviewer reads every wording the pathway can give (several taken; rated avoid)
                more = "".join(f"<br><b>{label}:</b> {e(' '.join(t.split()))}" for label, t in (
                    ("More than one taken", a.text_several),
                    ("Rated avoid or contraindicated for the patient, after the medicine table's rating",
                     a.text_rated)) if t)
                out.append(f"<ul><li><b>Already taking one:</b> {e(' '.join(a.text.split()))}{more}{anote}"
                           f"{reviewer_sources_html([x.to_dict() for x in a.sources])}</li></ul>")
            out.append("</li>")
        out.append("</ul>")
        if s.evidence_note:
            out.append(f"<p style='font-size:small;'><i>{e(s.evidence_note)}</i></p>")
    extras = [("Check", c) for c in g.checks] + [("Monitoring", m) for m in g.monitoring]
    if extras:
        out.append("<h3>Pitfall checks and monitoring with their sources as recorded</h3><ul>")
        for kind, item in extras:
            note = f"<br><i>{e(item.evidence_note)}</i>" if item.evidence_note else ""
            out.append(f"<li><b>{kind}:</b> {e(' '.join(item.text.split()))}{note}"
                       f"{reviewer_sources_html([x.to_dict() for x in item.sources])}</li>")
        out.append("</ul>")
    out.append("<h3>Source documents</h3><ul>")
    for doc in g.source_documents.values():
        status = "" if doc.verified else " <b>[unverified]</b>"
        kind = " (seed summary: not a clinical source)" if doc.kind == "seed" else ""
        note = f"<br><i>{e(doc.note)}</i>" if doc.note else ""
        out.append(f"<li><b>{e(doc.short)}</b>{kind}{status}: {e(doc.title)}. {e(doc.organisation)}. "
                   f"{e(doc.citation)}{note}</li>")
    out.append("</ul>")
    return "".join(out)


class GuidelineView(QWidget):
    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("<h2>Guideline</h2>"), 1)
        label = QLabel("Pr&ofile:")
        self._clinic_profile = context.profile()
        self.profile = combo("Guideline profile", PROFILES, self._clinic_profile)
        self.profile.setToolTip("Which guideline to read here. The clinic's profile is set in Settings.")
        label.setBuddy(self.profile)
        top.addWidget(label)
        top.addWidget(self.profile)
        layout.addLayout(top)
        self.reading_note = QLabel("")
        self.reading_note.setAccessibleName("Guideline being read")
        layout.addWidget(self.reading_note)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Guideline views")
        self.browser = AssessmentBrowser(name="Stepped algorithm with sources")
        self.review = AssessmentBrowser(name="Sources and review status")
        self.tabs.addTab(self.browser, "Clinical &view")
        self.tabs.addTab(self.review, "Sources and review &status")
        layout.addWidget(self.tabs, 1)
        self.profile.currentIndexChanged.connect(self._profile_changed)
        context.hub.changed.connect(lambda changes, _initiator: self._sync() if changes.settings else None)
        self.render()

    def _sync(self) -> None:
        """The clinic's profile changed (Settings, or another process): show its guideline.
        Another settings change leaves the guideline being read as it is."""
        clinic = self.context.profile()
        if clinic != self._clinic_profile:
            self._clinic_profile = clinic
            set_combo(self.profile, clinic)
        self._say_reading()

    def _profile_changed(self) -> None:
        """Only which guideline is READ here: the clinic's profile (dose maxima, pathway,
        every command's default) is changed in Settings, never by browsing."""
        self._say_reading()
        self.render()

    def _say_reading(self) -> None:
        code = self.profile.currentData()
        self.reading_note.setText("" if code == self._clinic_profile else
                                  f"Reading only: the clinic's profile stays "
                                  f"{PROFILES.get(self._clinic_profile, self._clinic_profile)} (change it in Settings).")

    def render(self) -> None:
        from radiculopathy_desktop.domain.guideline import load_guideline
        try:
            g = load_guideline(self.profile.currentData())
        except Exception as exc:
            self.browser.show_problem(f"The guideline could not be loaded: {exc}")
            self.review.show_problem(f"The guideline could not be loaded: {exc}")
            return
        self.browser.setHtml(guideline_html(g))
        self.review.setHtml(review_html(g))
