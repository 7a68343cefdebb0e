"""The whole stepped algorithm with its sources, and the us / uk profile switch."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from radiculopathy_desktop.ui.forms import combo, set_combo
from radiculopathy_desktop.ui.pathway_view import AssessmentBrowser, badge, disagreements_html, e, sources_html

PROFILES = {"us": "United States (ACP, NASS, ACR)", "uk": "United Kingdom (NICE NG59)"}


def guideline_html(g) -> str:
    out = [f"<h2>{e(g.title)}</h2><p>{e(g.description)}</p>",
           f"<p style='font-size:small;'>Content version {e(g.content_version)}, reviewed {e(g.reviewed)}."
           f" {e(g.reviewer_note)}</p>"]
    for s in g.steps:
        out.append(f"<h3>{s.order}. {e(s.title)}</h3><p>{e(s.summary)}</p>")
        if s.not_applicable_reason:
            out.append(f"<p><i>{e(s.not_applicable_reason)}</i></p>")
        out.append("<ul>")
        for r in s.recommendations:
            d = r.to_dict()
            direction = d.get("direction", "")
            kind = {"for": "ok", "against": "danger", "consider": "info"}.get(direction, "neutral")
            out.append(f"<li>{badge(direction.replace('_', ' ').capitalize() or 'Note', kind)} {e(r.text)}"
                       f"{sources_html(d['sources'])}{disagreements_html(d['disagreements'])}")
            if r.evidence_note:
                out.append(f"<div style='font-size:small;'>Evidence: {e(r.evidence_note)}</div>")
            if r.cautions:
                out.append("<ul>")
                for c in r.cautions:
                    out.append(f"<li>{badge(c.applies_when, 'warning')} {e(c.text)}"
                               f"{sources_html([x.to_dict() for x in c.sources])}</li>")
                out.append("</ul>")
            out.append("</li>")
        out.append("</ul>")
        out.append(sources_html([x.to_dict() for x in s.sources]))
        out.append(disagreements_html([x.to_dict() for x in s.disagreements]))
    if g.disagreements:
        out.append("<h3>Where sources differ</h3>")
        out.append(disagreements_html([x.to_dict() for x in g.disagreements]))
    if g.checks:
        out.append("<h3>Checks for common pitfalls</h3><p>Shown in a patient's pathway when the record suggests one.</p><ul>")
        for c in g.checks:
            out.append(f"<li><b>{e(c.title)}</b>: {e(c.text)}{sources_html([x.to_dict() for x in c.sources])}</li>")
        out.append("</ul>")
    if g.monitoring:
        out.append("<h3>Monitoring at follow-up</h3><ul>")
        for m in g.monitoring:
            out.append(f"<li>{e(m.text)}{sources_html([x.to_dict() for x in m.sources])}</li>")
        out.append("</ul>")
    imaging = list(g.red_flag_imaging) + list(g.routine_imaging)
    if imaging:
        out.append("<h3>Imaging</h3><ul>")
        for rule in imaging:
            study = f" ({e(rule.study)})" if rule.study else ""
            out.append(f"<li><b>{e(rule.decision.replace('_', ' ').capitalize())}</b>{study}: {e(rule.reason)}"
                       f"{sources_html([x.to_dict() for x in rule.sources])}</li>")
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
        self.profile = combo("Guideline profile", PROFILES, context.profile())
        label.setBuddy(self.profile)
        top.addWidget(label)
        top.addWidget(self.profile)
        layout.addLayout(top)
        self.browser = AssessmentBrowser(name="Stepped algorithm with sources")
        layout.addWidget(self.browser, 1)
        self.profile.currentIndexChanged.connect(self._profile_changed)
        context.hub.settings_changed.connect(self._sync)
        self.render()

    def _sync(self) -> None:
        if self.profile.currentData() != self.context.profile():
            set_combo(self.profile, self.context.profile())

    def _profile_changed(self) -> None:
        code = self.profile.currentData()
        if code != self.context.profile():
            self.context.set_preference("guideline/profile", code)
            self.context.hub.settings_changed.emit()
        self.render()

    def render(self) -> None:
        from radiculopathy_desktop.domain.guideline import load_guideline
        try:
            g = load_guideline(self.profile.currentData())
        except Exception as exc:
            self.browser.show_problem(f"The guideline could not be loaded: {exc}")
            return
        self.browser.setHtml(guideline_html(g))
