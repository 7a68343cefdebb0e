"""The outcomes audit report (issue 16): one or two A4 pages for a governance meeting.

The period, the cohort, the QS155 table, the pathway and outcome headline numbers, the three
charts (black and white, each with its text alternative) and every definition, from an
:class:`~radiculopathy_desktop.domain.outcomes.OutcomesReport`. Rendered with the app's
paged HTML renderer (reports/paged.py), as the referral summary is. The report carries
counts, never patient names: the cases behind each number are in the window and the CSV.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from radiculopathy_desktop.reports.common import guideline_content_version, version_line
from radiculopathy_desktop.reports.paged import PagedDocument, px

POINT_SIZE = 9.0
RUN_URL = "chart://run"
DECISION_URL = "chart://decisions"
LEG_URL = "chart://legpain"


def _table(headers, rows, widths) -> str:
    cell = f'style="border: 1px solid black; padding: {px(2)}px"'
    head = "".join(f'<th align="left" {cell} width="{w}%">{escape(h)}</th>' for h, w in zip(headers, widths))
    body = "".join("<tr>" + "".join(f"<td {cell}>{escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return (f'<table width="100%" cellspacing="0" cellpadding="{px(2)}" style="border-collapse: collapse; '
            f'margin-bottom: {px(4)}px"><tr>{head}</tr>{body}</table>')


def report_html(report, clinic: str = "") -> str:
    from radiculopathy_desktop.domain.outcomes import definitions, standard
    from radiculopathy_desktop.reports import outcomes_charts as oc

    d = definitions()
    std = standard(report.profile)
    e = escape
    parts = ["<h1>Sciatica care: outcomes and audit</h1>",
             f"<p><b>Period:</b> intake visits {report.period_from.isoformat()} to {report.period_to.isoformat()}; "
             f"records up to {report.as_of.isoformat()}. <b>Cohort:</b> {report.cohort_size} cases. "
             f"Cells based on fewer than {d['min_cases']} cases show no percentage or median (“fewer than "
             f"{d['min_cases']}”).</p>",
             f"<h2>{e(std['name'])}</h2>"]
    rows = []
    for m in report.qs155:
        entry = d["by_id"][m.id]
        direction = "lower is better" if entry.get("direction") == "lower" else "higher is better"
        rows.append([str(entry["statement"]), f"{m.title} ({direction})", m.display()])
    parts.append(_table(["QS", "Measure", "Result"], rows, [4, 58, 38]))
    rows = []
    for m in report.pathway:
        rows.append([m.title, m.display()])
    headline = [m for m in report.outcomes if m.group in ("6 weeks, all cases", "12 weeks, all cases", "all cases")]
    for m in headline:
        rows.append([f"{m.title} ({m.group})", m.display()])
    parts.append("<h2>Pathway and outcomes</h2>")
    parts.append(_table(["Measure", "Result"], rows, [62, 38]))
    w, h = px(168), px(112)
    parts.append(f'<table width="100%" cellspacing="0" cellpadding="{px(1)}"><tr>'
                 f'<td width="33%"><b>QS155 measures by month</b><br/><img src="{RUN_URL}" width="{w}" height="{h}"/></td>'
                 f'<td width="33%"><b>Weeks to the first decision</b><br/>'
                 f'<img src="{DECISION_URL}" width="{w}" height="{h}"/></td>'
                 f'<td width="34%"><b>Median leg pain by STarT Back group</b><br/>'
                 f'<img src="{LEG_URL}" width="{w}" height="{h}"/></td></tr></table>')
    parts.append('<p class="small"><b>Reading the charts.</b> Lines differ by pattern and marker, so they read in '
                 f'black and white. A month or a two-week bin with fewer than {d["min_cases"]} cases has no point '
                 f'(marked “&lt;5”). The hatched band is the review window (weeks {report.settings.window_start_day / 7:g}-'
                 f'{report.settings.window_end_day / 7:g}). The same numbers in words are under “Charts in words”.</p>')
    parts.append("<h2>Definitions</h2>")
    parts.append(f'<p class="small"><b>Cohort.</b> {e(d["cohort"])} <b>Source.</b> {e(std["citation"])}</p>')
    for m in d["measure"]:
        text = f"<b>{e(m['title'])}.</b> {e(m['numerator'])} <i>Out of:</i> {e(m['denominator'])}"
        if m.get("statement_text"):
            text += f" <i>QS155 statement {m['statement']}:</i> “{e(m['statement_text'])}”"
        if m.get("caveat"):
            text += f" <i>Note:</i> {e(m['caveat'])}"
        parts.append(f'<p class="small">{text}</p>')
    parts.append("<h2>Charts in words</h2>")
    for text in (oc.run_chart_text(report.run_charts), oc.weeks_to_decision_text(report.weeks_to_decision),
                 oc.leg_pain_by_group_text(report.leg_pain_by_group)):
        parts.append(f'<p class="small">{e(text)}</p>')
    tps = "; ".join(f"{wk} weeks = days {a}-{b} of care" for wk, (a, b) in sorted(d["timepoint_days"].items()))
    parts.append(f'<p class="small"><b>Time points.</b> {e(tps)}; the visit nearest the middle of the range is used. '
                 "<b>MCID source.</b> Ostelo RW et al. Spine 2008;33:90-94.</p>")
    css = f"""
    h1 {{ font-size: {POINT_SIZE * 1.6:.1f}pt; margin-top: 0; margin-bottom: {px(4)}px; }}
    h2 {{ font-size: {POINT_SIZE * 1.25:.1f}pt; margin-top: {px(6)}px; margin-bottom: {px(3)}px; }}
    p {{ margin-top: 0; margin-bottom: {px(3)}px; }}
    th {{ font-weight: bold; }}
    p.small {{ font-size: {POINT_SIZE * 0.9:.1f}pt; margin-bottom: {px(2)}px; }}
    """
    return f"<html><head><style>{css}</style></head><body>{''.join(parts)}</body></html>"


def build_document(report, clinic: str = "") -> PagedDocument:
    from radiculopathy_desktop.reports import outcomes_charts as oc

    ww = (report.settings.window_start_day / 7, report.settings.window_end_day / 7)
    cv = guideline_content_version()
    return PagedDocument(
        body_html=report_html(report, clinic),
        header_html=f"<b>{escape(clinic)}</b>" if clinic else "",
        footer_text=f"{version_line(cv)} · outcomes audit {report.period_from.isoformat()} to "
                    f"{report.period_to.isoformat()}",
        base_point_size=POINT_SIZE,
        title="Outcomes and audit",
        images={RUN_URL: lambda: oc.chart_image(oc.paint_run_chart, report.run_charts),
                DECISION_URL: lambda: oc.chart_image(oc.paint_weeks_to_decision, report.weeks_to_decision, ww),
                LEG_URL: lambda: oc.chart_image(oc.paint_leg_pain_by_group, report.leg_pain_by_group)},
    )


def write_outcomes_pdf(report, path: Path, clinic: str = "", paper: str = "a4") -> int:
    """Write the audit report PDF atomically; return the page count."""
    return build_document(report, clinic).write_pdf(Path(path), paper)
