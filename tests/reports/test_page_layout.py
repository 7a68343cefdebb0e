"""Page layout of every printed sheet and summary, read back from the PDF's text layer page by
page (rd13 D2, D14, D20): every example's handout in both languages, normal and large print,
A4 and Letter, and its referral summary on A4 and Letter.

What is checked, from the HTML given to the page layout (not from the layout's own records):
- every word of the body is in the PDF exactly once, in order: no line drawn on two pages
  (rd13 saw lines at a page break in the text layer of both pages), none lost;
- a box (a one-cell table: red-flag, emergency, caution boxes, the surgical-review box) has its
  first and last words on one page, or each page it runs onto opens with its heading and
  "(continued)";
- a data table (the summary's) that runs onto another page opens that page with its heading and
  "(continued)" and its header row repeated (pg14), and never leaves its header row alone at
  the foot of a page;
- no page ends with a heading;
- the last page of a sheet holds at least MIN_LAST_PAGE_LINES lines;
- a red-flag (emergency or urgent) handout is one page at normal print, two in large print.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h
from radiculopathy_desktop.reports import paged
from radiculopathy_desktop.reports import summary as s
from tests.reports.conftest import AS_OF, CLINIC, CONTACT, example_paths

COMBINATIONS = [(lang, large, paper) for lang in hc.LANGUAGES for large in (False, True)
                for paper in ("a4", "letter")]


def words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text).lower())


class _Body(HTMLParser):
    """The body HTML as the reader sees it: its words in order, its headings and its boxes
    (a table of one cell), each as a span of word positions."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.headings: list[tuple[int, int]] = []  # [start, end) word positions
        self.boxes: list[tuple[int, int, list[str]]] = []  # start, end, heading words
        #: data tables (more than one cell): start, end, heading words, header-row words
        self.tables: list[tuple[int, int, list[str], list[str]]] = []
        self._heading_at: int | None = None
        self._tables: list[dict] = []
        self._skip = 0  # inside <style> or <head>

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "head"):
            self._skip += 1
        elif tag in ("h1", "h2", "h3"):
            self._heading_at = len(self.words)
        elif tag == "table":
            # the nearest heading above the table outside any table (a box's own is not its)
            outer = [hd for hd in self.headings if not any(b[0] <= hd[0] < b[1] for b in self.boxes)]
            before = self.words[slice(*outer[-1])] if outer else []
            self._tables.append({"start": len(self.words), "cells": 0, "heading": None, "before": before})
        elif tag in ("td", "th") and self._tables:
            self._tables[-1]["cells"] += 1
            if tag == "th":
                self._tables[-1].setdefault("th", [len(self.words), len(self.words)])

    def handle_endtag(self, tag):
        if tag in ("style", "head"):
            self._skip -= 1
        elif tag in ("h1", "h2", "h3") and self._heading_at is not None:
            self.headings.append((self._heading_at, len(self.words)))
            if self._tables and self._tables[-1]["heading"] is None:
                self._tables[-1]["heading"] = self.words[self._heading_at:]
            self._heading_at = None
        elif tag == "table" and self._tables:
            t = self._tables.pop()
            if t["cells"] == 1 and len(self.words) > t["start"]:
                self.boxes.append((t["start"], len(self.words), t["heading"] or []))
            elif t["cells"] > 1 and "th" in t:
                th = self.words[t["th"][0]:t["th"][1]]
                self.tables.append((t["start"], len(self.words), t["before"], th))
        elif tag == "th" and self._tables and "th" in self._tables[-1]:
            self._tables[-1]["th"][1] = len(self.words)

    def handle_data(self, data):
        if not self._skip:
            self.words.extend(words(data))


def _body(html: str) -> _Body:
    parser = _Body()
    parser.feed(html)
    return parser


def _pages(pdf_bytes: bytes, doc: paged.PagedDocument, tmp_path) -> list[list[str]]:
    """Each page's body words and body line count: the running header's words at the top and
    the footer's at the foot are taken off (and checked to be there)."""
    from PySide6.QtGui import QTextDocument

    head = QTextDocument()
    head.setHtml(doc.header_html)
    head_words = words(head.toPlainText())
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf_bytes)
    reader = PdfReader(str(path))
    out = []
    for n, page in enumerate(reader.pages):
        text = page.extract_text() or ""
        foot_words = words(doc.footer_text) + words(doc.page_label.format(n=n + 1, total=len(reader.pages)))
        ws = words(text)
        assert sorted(ws[:len(head_words)]) == sorted(head_words), f"page {n + 1}: header not first"
        assert sorted(ws[len(ws) - len(foot_words):]) == sorted(foot_words), f"page {n + 1}: footer not last"
        body = ws[len(head_words):len(ws) - len(foot_words)]
        # lines of the page that hold body words
        lines, seen = 0, 0
        for line in text.splitlines():
            lw = len(words(line))
            if lw and seen + lw > len(head_words) and seen < len(ws) - len(foot_words):
                lines += 1
            seen += lw
        out.append((body, lines))
    return out


def check_layout(doc: paged.PagedDocument, paper: str, tmp_path, what: str) -> int:
    """Every check of the module docstring on ``doc`` printed on ``paper``; returns the page count."""
    data, count = doc.pdf_bytes(paper)
    pages = _pages(data, doc, tmp_path)
    assert len(pages) == count
    body = _body(doc.body_html)
    continued = words(paged.CONTINUED.get(doc.lang, paged.CONTINUED["en"]))
    # A box split because it is taller than a page: the next page opens with its heading and
    # "(continued)"; that title is not part of the body, so it is taken off (and recorded).
    stream: list[tuple[str, int]] = []
    continued_title: dict[int, list[str]] = {}
    # A data table continued on a page: the page opens with its heading, "(continued)" and its
    # header row; taken off and recorded the same way.
    continued_table: dict[int, list[str]] = {}
    for n, (ws, _) in enumerate(pages):
        for start, end, heading in body.boxes:
            title = heading + continued
            if heading and ws[:len(title)] == title:
                continued_title[n] = heading
                ws = ws[len(title):]
                break
        for start, end, heading, th in body.tables:
            title = heading + continued + th
            if heading and ws[:len(title)] == title:
                continued_table[n] = heading
                ws = ws[len(title):]
                break
        stream.extend((w, n) for w in ws)
    printed = [w for w, _ in stream]
    # every word once, in order: no line on two pages, none lost
    if printed != body.words:
        d = next((i for i, (a, b) in enumerate(zip(printed, body.words)) if a != b),
                 min(len(printed), len(body.words)))
        raise AssertionError(
            f"{what}: the text layer differs from the body at word {d} (page {stream[min(d, len(stream) - 1)][1] + 1}):"
            f" printed {' '.join(printed[max(d - 8, 0):d + 8])!r}, body {' '.join(body.words[max(d - 8, 0):d + 8])!r}")
    page_of = [n for _, n in stream]
    # boxes: whole on one page, or continued with their title
    for start, end, heading in body.boxes:
        first, last = page_of[start], page_of[end - 1]
        for n in range(first + 1, last + 1):
            assert continued_title.get(n) == heading and heading, \
                f"{what}: box {' '.join(heading) or ' '.join(body.words[start:start + 6])!r} split " \
                f"across pages {first + 1}-{last + 1} without its title continued"
    # data tables: each page they run onto opens with the heading continued and the header row;
    # the header row is on the page of the first data row
    for start, end, heading, th in body.tables:
        first, last = page_of[start], page_of[end - 1]
        for n in range(first + 1, last + 1):
            assert continued_table.get(n) == heading and heading, \
                f"{what}: table {' '.join(heading)!r} runs onto page {n + 1} without its heading " \
                f"continued and its header row"
        if end - start > len(th):
            assert page_of[start + len(th)] == first, \
                f"{what}: table {' '.join(heading)!r} header row alone at the foot of page {first + 1}"
    # no page ends with a heading (the last page of all may: nothing follows it)
    for hs, he in body.headings:
        if he < len(page_of) and page_of[he - 1] != page_of[he]:
            raise AssertionError(f"{what}: heading {' '.join(body.words[hs:he])!r} is the last thing "
                                 f"on page {page_of[he - 1] + 1}")
    # the last page of each sheet (a page a title h1 starts, or the end) is not a line or two
    sheet_starts = {page_of[hs] for hs, he in body.headings if hs < len(page_of)
                    and hs > 0 and page_of[hs - 1] != page_of[hs]}
    for n in range(1, len(pages)):
        if (n + 1 in sheet_starts or n == len(pages) - 1) and n not in sheet_starts:
            assert pages[n][1] >= paged.MIN_LAST_PAGE_LINES, \
                f"{what}: page {n + 1} ends a sheet holding only {pages[n][1]} line(s)"
    return count


def _check_example(path, tmp_path) -> None:
    import json

    from radiculopathy_desktop.domain.intake import parse_case

    case = parse_case(json.loads(path.read_text(encoding="utf-8")))
    for lang, large, paper in COMBINATIONS:
        req = h.request_for_case(case, AS_OF, clinic_name=CLINIC, clinic_contact=CONTACT, lang=lang,
                                 large_print=large, paper=paper, confirm_unrecognised=True)
        what = f"{path.stem} handout {lang} {'large' if large else 'normal'} {paper}"
        count = check_layout(h.build_document(req), paper, tmp_path, what)
        if h.standing_red_flags(case, AS_OF) is not None:
            # the one-page emergency / urgent sheet (rd13 D2); large print may take two
            assert count == 1 or (large and count == 2), f"{what}: {count} pages"
    for paper in ("a4", "letter"):
        req = s.SummaryRequest(case, AS_OF, CLINIC, CONTACT, paper=paper)
        check_layout(s.build_document(req), paper, tmp_path, f"{path.stem} summary {paper}")


#: Examples checked on every run: the longest handout (eleven sheets, a medicine over its renal
#: maximum), one split across pages in large print (pregnant, opioid), the emergency and urgent
#: one-page sheets (rd13 D2: Spanish on Letter ran to two pages), the longest summary tables.
QUICK = ("routine_s1_follow_up_due", "routine_med_pregnant_opioid", "emergency_cauda_equina",
         "urgent_foot_drop", "routine_improving_keep_under_review")


@pytest.mark.parametrize("stem", QUICK)
def test_handouts_and_summaries_keep_boxes_headings_and_lines_together(qapp_offscreen, tmp_path, stem):
    _check_example(next(p for p in example_paths() if p.stem == stem), tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("path", [p for p in example_paths() if p.stem not in QUICK], ids=lambda p: p.stem)
def test_every_other_example_keeps_boxes_headings_and_lines_together(qapp_offscreen, tmp_path, path):
    _check_example(path, tmp_path)


# ---------------------------------------------------------------- made-up documents at the limits
BOX = ('<table width="100%" cellspacing="0" cellpadding="9" style="border-collapse: collapse; margin-top: 14px">'
       '<tr><td style="border: 3px solid black"><h2 style="margin-top: 0">{title}</h2>{body}</td></tr></table>')


def _paragraphs(n: int, word: str = "line") -> str:
    return "".join(f"<p>{word} {i} of {n} words to read</p>" for i in range(n))


def _doc(html: str, **kw) -> paged.PagedDocument:
    return paged.PagedDocument(body_html=f"<html><body>{html}</body></html>", header_html="<b>Clinic</b>",
                               footer_text="footer", **kw)


def _without_keep_together(monkeypatch):
    monkeypatch.setattr(paged, "keep_together", lambda doc, page_h, continued="": None)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_box_taller_than_a_page_continues_with_its_title_on_each_page(qapp_offscreen, tmp_path, paper):
    html = _paragraphs(10, "intro") + BOX.format(title="Call us the same day", body=_paragraphs(130, "sign"))
    count = check_layout(_doc(html), paper, tmp_path, "tall box")
    assert count >= 3
    reader_pages = _pages(_doc(html).pdf_bytes(paper)[0], _doc(html), tmp_path)
    title = words("Call us the same day (continued)")
    titled = [n for n, (ws, _) in enumerate(reader_pages) if ws[:len(title)] == title]
    assert titled == list(range(1, count)), titled
    # the Spanish label
    es = _doc(html, lang="es")
    check_layout(es, paper, tmp_path, "tall box es")
    title = words("Call us the same day (continuación)")
    assert any(ws[:len(title)] == title for ws, _ in _pages(es.pdf_bytes(paper)[0], es, tmp_path))


def test_a_box_that_would_cross_a_page_starts_the_next_page_whole(qapp_offscreen, tmp_path, monkeypatch):
    box = BOX.format(title="Go to the emergency department now", body=_paragraphs(8, "sign"))
    # move the box down a line at a time: somewhere it meets the foot of page 1
    crossed = 0
    for lead in range(30, 60):
        html = _paragraphs(lead, "intro") + box + _paragraphs(5, "after")
        check_layout(_doc(html), "a4", tmp_path, f"box after {lead} paragraphs")
        with monkeypatch.context() as m:
            _without_keep_together(m)
            try:
                check_layout(_doc(html), "a4", tmp_path, "as Qt lays it out")
            except AssertionError as e:
                crossed += "split across pages" in str(e)
    assert crossed, "no position put the box across the page break: the test proves nothing"


def test_a_heading_keeps_its_first_lines_and_a_paragraph_leaves_no_line_alone(qapp_offscreen, tmp_path, monkeypatch):
    long_p = "<p>" + " ".join(f"word{i}" for i in range(60)) + "</p>"
    faults = 0
    for lead in range(40, 70):
        html = _paragraphs(lead, "intro") + "<h2>What you can do</h2>" + long_p + _paragraphs(4, "then")
        check_layout(_doc(html), "letter", tmp_path, f"heading after {lead} paragraphs")
        with monkeypatch.context() as m:
            _without_keep_together(m)
            try:
                check_layout(_doc(html), "letter", tmp_path, "as Qt lays it out")
            except AssertionError:
                faults += 1
    assert faults, "no position put the heading at the foot of a page: the test proves nothing"


def test_a_last_page_of_one_line_is_rebalanced(qapp_offscreen, tmp_path):
    # a sheet whose last line alone would spill onto a new page
    for lead in range(40, 60):
        html = _paragraphs(lead, "para")
        doc = _doc(html)
        pages = check_layout(doc, "a4", tmp_path, f"{lead} paragraphs")
        if pages > 1:
            assert _pages(doc.pdf_bytes("a4")[0], doc, tmp_path)[-1][1] >= paged.MIN_LAST_PAGE_LINES


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_fitting_an_emergency_sheet_on_one_page_keeps_the_body_type_size(qapp_offscreen, paper, examples):
    case = examples["emergency_cauda_equina"]
    req = h.request_for_case(case, AS_OF, clinic_name=CLINIC, clinic_contact=CONTACT, lang="es", paper=paper)
    doc = h.build_document(req)
    assert doc.fit_pages == 1
    assert doc.page_count(paper) == 1
    # every piece of text is at the size it has when nothing is tightened (body 11.5 pt)
    def sizes(document):
        area = paged.page_layout(paper).paintRectPixels(paged.LAYOUT_DPI)
        body = document._layout(area.width(), area.height()).body
        out = []
        block = body.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                out.append((frag.text(), round(frag.charFormat().font().pointSizeF(), 2)))
                it += 1
            block = block.next()
        return out

    fitted = sizes(doc)
    assert fitted == sizes(dataclasses.replace(doc, fit_pages=None))
    assert h.NORMAL_POINT_SIZE in {size for _, size in fitted}
    # a routine handout is laid out as designed: nothing tightened
    routine = h.build_document(h.request_for_case(examples["routine_l5_acute"], AS_OF, clinic_name=CLINIC,
                                                  clinic_contact=CONTACT, confirm_unrecognised=True))
    assert routine.fit_pages is None


# ---------------------------------------------------------------- a summary table across pages (pg14)
def _long_case(visits: int):
    """The improving example with ``visits`` follow-up visits four days apart: its "Scores over
    time" table runs over several pages."""
    import json

    from radiculopathy_desktop.domain.intake import parse_case

    path = next(p for p in example_paths() if p.stem == "routine_improving_keep_under_review")
    data = json.loads(path.read_text(encoding="utf-8"))
    start = AS_OF - dt.timedelta(days=4 * visits + 20)
    data["onset_date"] = (start - dt.timedelta(days=14)).isoformat()
    data["visit_date"] = data["care_start_date"] = start.isoformat()
    for treatment in data["treatments_tried"]:
        treatment["started"] = start.isoformat()
    data["visits"] = [{"date": (start + dt.timedelta(days=4 * (i + 1))).isoformat(), "leg_nrs": 5 - i % 3,
                       "back_nrs": 4, "odi_percent": 30 - i % 5, "clinician": "Dr Demo"} for i in range(visits)]
    return parse_case(data)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_summary_table_continued_on_a_new_page_repeats_its_header_row(qapp_offscreen, tmp_path, paper):
    """pg14: the "Scores over time" table of a long case ran onto the next pages with no header
    row: a clinician reading page 3 saw columns of numbers without their names. Each page it
    runs onto now opens with "Scores over time (continued)" and the header row."""
    doc = s.build_document(s.SummaryRequest(_long_case(90), AS_OF, CLINIC, CONTACT, paper=paper))
    count = check_layout(doc, paper, tmp_path, f"long summary {paper}")
    assert count >= 4
    pages = _pages(doc.pdf_bytes(paper)[0], doc, tmp_path)
    title = words("Scores over time (continued) Date Week Leg pain NRS Back pain NRS ODI % RMDQ")
    opened = [n for n, (ws, _) in enumerate(pages) if ws[:len(title)] == title]
    # the table starts on one page and runs onto at least two more
    assert len(opened) >= 2, opened
    assert opened == list(range(opened[0], opened[0] + len(opened))), opened
    # every row printed once, none lost or repeated by the continuation: check_layout compares
    # the text layer with the body word for word, the continued titles and header rows taken off


def test_a_header_row_is_never_left_alone_at_the_foot_of_a_page(qapp_offscreen, tmp_path, monkeypatch):
    """A table that starts near the foot of a page starts on the next page with its first row:
    move a made-up table down a line at a time; without keep_together some position fails."""
    rows = "".join(f"<tr><td>{i}</td><td>value {i}</td></tr>" for i in range(40))
    table = (f'<h2>Scores</h2><table width="100%" cellspacing="0" cellpadding="3" style="border-collapse: collapse">'
             f'<tr><th align="left">Date</th><th align="left">Score</th></tr>{rows}</table>')
    faults = 0
    for lead in range(35, 60):
        html = _paragraphs(lead, "intro") + table + _paragraphs(3, "after")
        check_layout(_doc(html), "a4", tmp_path, f"table after {lead} paragraphs")
        with monkeypatch.context() as m:
            _without_keep_together(m)
            try:
                check_layout(_doc(html), "a4", tmp_path, "as Qt lays it out")
            except AssertionError:
                faults += 1
    assert faults, "no position put the table across a page break: the test proves nothing"

