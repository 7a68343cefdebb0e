"""Paged rendering shared by handouts and summaries: HTML -> QTextDocument -> pages.

A :class:`PagedDocument` is the HTML body plus a running header (HTML, the same on
every page) and a footer (left text plus "Page n of N"). :meth:`PagedDocument.render`
paints it onto any ``QPagedPaintDevice`` - a ``QPdfWriter`` for files, a ``QPrinter``
for the print dialog and its preview - so what is previewed is what is printed.

The body is laid out by ``QTextDocument`` with the page height as its page size, so
lines are never cut at a page edge (Qt moves a line that would cross the edge to the
next page) and ``page-break-before: always`` starts a new page. On top of Qt's own
breaks, :func:`keep_together` moves page breaks so that (rd13 D14/D20):

- a box (a one-cell table: the red-flag, emergency and caution boxes, the summary's
  surgical-review box) is never split across pages unless it is taller than a page; a
  box taller than a page is split at a page break into two boxes, the second one titled
  with the first one's heading and "(continued)";
- a heading is never the last thing on a page: it keeps with at least the first
  :data:`KEEP_WITH_HEADING` lines of what follows (or the first data row of a table);
- a paragraph does not leave a single line alone at the foot or the head of a page;
- a table row is not split across pages (unless taller than a page);
- a data table (the summary's) keeps its header row with its first data row, and a table
  that runs onto another page is continued there as a table of its own, opening with a row
  "<its heading> (continued)" and its header row repeated (pg14: the rows on the next page
  had no column names);
- the last page of a sheet does not hold fewer than :data:`MIN_LAST_PAGE_LINES` lines
  when moving the break up one block would give it more.

A document can ask to fit on ``fit_pages`` pages: its vertical spacing (paragraph gaps,
line spacing, box padding) is tightened step by step, never its type size, until it fits
(the one-page emergency sheets, rd13 D2).

Qt paints every paragraph whose rectangle touches the clip, all of its lines: what falls
outside is clipped away on paper but is still in the PDF's text layer, so lines at a page
break were read twice (copy and paste, screen readers; rd13 D14). A paragraph across a page
break is therefore cut into two (no space between them), and each page is clipped short of
the paragraphs of the pages before and after it (:func:`page_clips`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from radiculopathy_desktop import stopping
from radiculopathy_desktop.outputs import verify_pdf, write_bytes
from radiculopathy_desktop.reports.common import PAPER_SIZES, ensure_gui_app

MARGIN_MM = 15.0
PDF_DPI = 300
#: Documents are laid out at this resolution whatever the output device, then scaled:
#: a page breaks at the same line on screen, in the preview, on paper and in the PDF,
#: and CSS ``px`` lengths mean 1/96 inch everywhere.
LAYOUT_DPI = 96
#: A heading keeps at least this many lines of what follows it on its page.
KEEP_WITH_HEADING = 2
#: A sheet's last page holds at least this many lines when the break can move up.
MIN_LAST_PAGE_LINES = 3
#: The steps by which vertical spacing is tightened to fit ``fit_pages`` (1 = as designed).
FIT_STEPS = (1.0, 0.75, 0.5, 0.3, 0.15)
#: The heading label of the second part of a box split because it is taller than a page.
CONTINUED = {"en": "(continued)", "es": "(continuación)"}


def px(points: float) -> int:
    """A length in points as layout pixels (for CSS, which Qt honours in px)."""
    return max(round(points * LAYOUT_DPI / 72), 0)


def _layout_device():
    from PySide6.QtGui import QImage

    img = QImage(4, 4, QImage.Format_RGB32)
    dpm = round(LAYOUT_DPI / 0.0254)
    img.setDotsPerMeterX(dpm)
    img.setDotsPerMeterY(dpm)
    return img


@dataclass
class PagedDocument:
    body_html: str
    header_html: str = ""
    footer_text: str = ""
    page_label: str = "Page {n} of {total}"
    base_point_size: float = 11.0
    title: str = ""
    #: name -> QImage, or name -> callable() -> QImage (drawn scaled into its <img> box)
    images: dict = field(default_factory=dict)
    #: try to fit on this many pages by tightening vertical spacing (None: as laid out)
    fit_pages: int | None = None
    #: language of the "(continued)" label of a box split across pages
    lang: str = "en"

    # ------------------------------------------------------------------ layout
    def _document(self, html: str, device, width_px: float, point_size: float):
        from PySide6.QtCore import QSizeF, QUrl
        from PySide6.QtGui import QFont, QTextDocument

        doc = QTextDocument()
        doc.documentLayout().setPaintDevice(device)
        font = QFont("DejaVu Sans")
        font.setStyleHint(QFont.SansSerif)
        font.setPointSizeF(point_size)
        doc.setDefaultFont(font)
        doc.setDocumentMargin(0)
        for name, image in self.images.items():
            if callable(image):
                image = image()
            doc.addResource(QTextDocument.ImageResource, QUrl(name), image)
        doc.setHtml(html)
        doc.setTextWidth(width_px)
        doc.setPageSize(QSizeF(width_px, 1e9))
        return doc

    def _layout(self, width: float, height: float) -> "_Layout":
        """Lay out for a paint area of ``width`` x ``height`` layout pixels."""
        from PySide6.QtCore import QSizeF
        from PySide6.QtGui import QFont, QFontMetricsF

        device = _layout_device()
        dpi = LAYOUT_DPI
        gap = dpi * 0.12  # about 3 mm between header/footer and body
        header = self._document(self.header_html, device, width, self.base_point_size * 0.85) \
            if self.header_html else None
        header_h = header.size().height() + gap if header else 0.0
        footer_font = QFont("DejaVu Sans")
        footer_font.setPixelSize(px(max(self.base_point_size * 0.7, 8.0)))  # layout px: scaled with the page
        footer_h = QFontMetricsF(footer_font, device).height() * 1.3 + gap
        body_h = height - header_h - footer_h
        body = None
        for step in FIT_STEPS if self.fit_pages else (1.0,):
            body = self._document(self.body_html, device, width, self.base_point_size)
            if step != 1.0:
                tighten(body, step)
            body.setPageSize(QSizeF(width, body_h))
            keep_together(body, body_h, CONTINUED.get(self.lang, CONTINUED["en"]))
            if used_pages(body, body_h) <= (self.fit_pages or 0):
                break
        total = used_pages(body, body_h)
        return _Layout(dpi, gap, width, height, header, header_h, body, body_h, footer_font, footer_h,
                       total, device, page_clips(body, body_h, total))

    def _paint_page(self, painter, lay: "_Layout", n: int) -> None:
        from PySide6.QtCore import QPointF, QRectF, Qt
        from PySide6.QtGui import QPen

        pen = QPen(Qt.black, max(lay.dpi / 150, 1))
        if lay.header is not None:
            lay.header.drawContents(painter, QRectF(0, 0, lay.width, lay.header_h))
            painter.setPen(pen)
            line_y = lay.header_h - lay.gap / 2
            painter.drawLine(QPointF(0, line_y), QPointF(lay.width, line_y))
        painter.save()
        painter.translate(0, lay.header_h - n * lay.body_h)
        # Clipped between the last line of the page before and the first of the page after: Qt
        # paints every line that touches the clip (clipped away on paper, but in the text layer),
        # and a line at the top of the next page touches this page's edge (rd13 D14).
        top, bottom = lay.clips[n]
        lay.body.drawContents(painter, QRectF(0, top, lay.width, bottom - top))
        painter.restore()
        painter.setFont(lay.footer_font)
        painter.setPen(pen)
        fy = lay.height - lay.footer_h + lay.gap
        painter.drawLine(QPointF(0, fy - lay.gap / 2), QPointF(lay.width, fy - lay.gap / 2))
        frect = QRectF(0, fy, lay.width, lay.footer_h - lay.gap)
        label = self.page_label.format(n=n + 1, total=lay.total)
        painter.drawText(frect, Qt.AlignRight | Qt.AlignVCenter, label)
        label_w = painter.fontMetrics().horizontalAdvance(label) + lay.dpi * 0.2
        left = painter.fontMetrics().elidedText(self.footer_text, Qt.ElideMiddle, int(lay.width - label_w))
        painter.drawText(frect, Qt.AlignLeft | Qt.AlignVCenter, left)

    def render(self, device) -> int:
        """Paint every page on ``device`` (QPdfWriter or QPrinter); return the page count."""
        from PySide6.QtGui import QPainter

        ensure_gui_app()
        area = device.pageLayout().paintRectPixels(device.resolution())
        scale = device.resolution() / LAYOUT_DPI
        lay = self._layout(area.width() / scale, area.height() / scale)
        painter = QPainter()
        if not painter.begin(device):
            raise OSError("could not start painting on the output device")
        try:
            for n in range(lay.total):
                stopping.check()  # a safe point between pages (plain Python, no Qt frame below)
                if n:
                    device.newPage()
                painter.save()
                painter.scale(scale, scale)
                self._paint_page(painter, lay, n)
                painter.restore()
        finally:
            painter.end()
        return lay.total

    def page_count(self, paper: str = "a4") -> int:
        return len(self.render_images(paper=paper, dpi=30))

    # ------------------------------------------------------------------ outputs
    def pdf_bytes(self, paper: str = "a4") -> tuple[bytes, int]:
        """The whole PDF in memory and its page count (Qt's file writer does not report a
        full disk, so files are written by :mod:`radiculopathy_desktop.outputs`)."""
        from PySide6.QtCore import QBuffer, QIODevice
        from PySide6.QtGui import QPdfWriter

        ensure_gui_app()
        buffer = QBuffer()
        buffer.open(QIODevice.WriteOnly)
        writer = QPdfWriter(buffer)
        configure_device(writer, paper)
        writer.setResolution(PDF_DPI)
        writer.setTitle(self.title)
        writer.setCreator("Radiculopathy Desktop")
        pages = self.render(writer)  # the painter's end() writes the trailer
        del writer
        data = bytes(buffer.data())
        buffer.close()
        return data, pages

    def write_pdf(self, path: Path, paper: str = "a4", *, overwrite: bool = True,
                  on_complete: Callable[[int], None] | None = None) -> int:
        """Write a checked PDF atomically (see :func:`~radiculopathy_desktop.outputs.checked_output`);
        return the page count. ``on_complete(pages)`` runs once the file is whole, before it
        is put in place (the audit row)."""
        data, pages = self.pdf_bytes(paper)
        write_bytes(Path(path), data, overwrite=overwrite, verify=verify_pdf(pages),
                    on_complete=None if on_complete is None else (lambda: on_complete(pages)))
        return pages

    def render_images(self, paper: str = "a4", dpi: int = 60, pages: int | None = None) -> list:
        """The pages as white QImages at ``dpi`` (previews, thumbnails and tests)."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QImage, QPageLayout, QPainter

        ensure_gui_app()
        layout = page_layout(paper)
        full = layout.fullRectPixels(dpi)
        paint = layout.paintRectPixels(dpi)
        dpm = round(dpi / 0.0254)

        def blank() -> QImage:
            img = QImage(full.width(), full.height(), QImage.Format_RGB32)
            img.setDotsPerMeterX(dpm)
            img.setDotsPerMeterY(dpm)
            img.fill(Qt.white)
            return img

        scale = dpi / LAYOUT_DPI
        lay = self._layout(paint.width() / scale, paint.height() / scale)
        out = []
        for n in range(lay.total if pages is None else min(pages, lay.total)):
            img = blank()
            painter = QPainter(img)
            painter.setRenderHint(QPainter.Antialiasing)
            painter.setRenderHint(QPainter.TextAntialiasing)
            painter.translate(paint.left(), paint.top())
            painter.scale(scale, scale)
            self._paint_page(painter, lay, n)
            painter.end()
            out.append(img)
        return out


@dataclass
class _Layout:
    dpi: float
    gap: float
    width: float
    height: float
    header: object
    header_h: float
    body: object
    body_h: float
    footer_font: object
    footer_h: float
    total: int
    device: object  # keeps the layout device alive as long as the documents
    clips: list  # (top, bottom) of the body painted on each page, in document coordinates


def page_layout(paper: str = "a4"):
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize

    if paper not in PAPER_SIZES:
        raise ValueError(f"unknown paper size {paper!r}; expected one of {', '.join(PAPER_SIZES)}")
    size = QPageSize(QPageSize.A4 if paper == "a4" else QPageSize.Letter)
    return QPageLayout(size, QPageLayout.Portrait,
                       QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Millimeter)


def configure_device(device, paper: str = "a4") -> None:
    device.setPageLayout(page_layout(paper))


# ---------------------------------------------------------------------- keep together
#: a line this close above a page's top edge is on that page (layout px: Qt places a line it
#: moves to the next page at the edge give or take its fixed-point rounding)
_EDGE = 0.5
#: how far a page's clip stays from the nearest line of the page before or after (layout px:
#: a device pixel at 96 dpi and up, well under the blank spacing of a line)
_CLIP_MARGIN = 1.0
#: the most page-break fixes made in one document (each is a layout pass; a handout has ~30)
_MAX_FIXES = 400
#: user format property marking a page break set here (not one the document asked for)
_MOVED = 0x100100
#: user format property: the space added above an item to start it on the next page
_PUSHED = 0x100101
#: user format property of a table continued from the page before: its first row is the title
#: "<heading> (continued)", its second the repeated header row
_CONTINUES = 0x100102


def _page(y: float, page_h: float) -> int:
    return int((y + _EDGE) // page_h)


def used_pages(doc, page_h: float) -> int:
    """The pages that hold a line of ``doc``: Qt counts one more when the last block's bottom
    margin (or the empty block after a last box) falls past the foot of the last page, and a
    sheet ending at a page's foot printed a blank last page with only header and footer (hd16:
    the Spanish gabapentinoid sheet, Letter)."""
    last = max((_page(top, page_h) for item in _items(doc) for top, _ in item.lines), default=0)
    return max(1, min(doc.pageCount(), last + 1))


def page_clips(doc, page_h: float, total: int) -> list[tuple[float, float]]:
    """The part of the body painted on each page: the page's own height, less what holds a
    paragraph of the page before or after. Qt paints every paragraph whose rectangle touches the
    clip (what lies outside is clipped away on paper, but is in the PDF's text layer), so a
    paragraph at the top of the next page must not touch this page's clip (rd13 D14). The clip
    is rounded out to whole device pixels: each one stops :data:`_CLIP_MARGIN` short."""
    layout = doc.documentLayout()
    last_bottom = [float("-inf")] * total  # of each page's paragraphs
    first_top = [float("inf")] * total
    for item in _items(doc):
        for block in item.blocks:
            lines = _lines(doc, block)
            if not lines:
                continue
            rect = layout.blockBoundingRect(block)
            n = min(max(_page(lines[0][0], page_h), 0), total - 1)
            last_bottom[n] = max(last_bottom[n], rect.bottom(), lines[-1][1])
            first_top[n] = min(first_top[n], rect.top(), lines[0][0])
    clips = []
    for n in range(total):
        top, bottom = n * page_h - 1, (n + 1) * page_h + 1
        if n > 0:
            top = max(top, last_bottom[n - 1] + _CLIP_MARGIN)
        if n + 1 < total:
            bottom = min(bottom, first_top[n + 1] - _CLIP_MARGIN)
        clips.append((top, bottom))
    return clips


def _lines(doc, block) -> list[tuple[float, float]]:
    """(top, bottom) of each line of ``block`` in document coordinates."""
    top = doc.documentLayout().blockBoundingRect(block).top()
    lay = block.layout()
    out = []
    for i in range(lay.lineCount()):
        line = lay.lineAt(i)
        out.append((top + line.y(), top + line.y() + line.height()))
    return out


def _top_table(block, root):
    """The top-level table ``block`` is in (None for a block of the body itself)."""
    from PySide6.QtGui import QTextCursor, QTextTable

    frame = QTextCursor(block).currentFrame()
    while frame is not None and frame != root and frame.parentFrame() != root:
        frame = frame.parentFrame()
    return frame if isinstance(frame, QTextTable) else None


@dataclass
class _Item:
    """A top-level piece of the body: one block, or one table with its blocks."""
    block: object = None
    table: object = None
    blocks: list = field(default_factory=list)
    lines: list = field(default_factory=list)  # (top, bottom) of every line, in order

    @property
    def is_box(self) -> bool:
        return self.table is not None and self.table.rows() == 1 and self.table.columns() == 1

    @property
    def is_heading(self) -> bool:
        return self.block is not None and self.block.blockFormat().headingLevel() > 0

    @property
    def forced(self) -> bool:
        """Starts a page whatever comes before (``page-break-before: always``)."""
        from PySide6.QtGui import QTextFormat

        fmt = self.table.format() if self.table is not None else self.block.blockFormat()
        return bool(fmt.pageBreakPolicy() & QTextFormat.PageBreak_AlwaysBefore) \
            and not fmt.boolProperty(_MOVED)


def _items(doc) -> list[_Item]:
    root = doc.rootFrame()
    items: list[_Item] = []
    block = doc.begin()
    while block.isValid():
        table = _top_table(block, root)
        lines = _lines(doc, block)
        if table is not None:
            if not items or items[-1].table != table:
                items.append(_Item(table=table))
            items[-1].blocks.append(block)
            items[-1].lines.extend(lines)
        elif lines and block.text().strip() or block.blockFormat().headingLevel() > 0:
            # the empty block Qt keeps after a table holds nothing to keep together
            items.append(_Item(block=block, blocks=[block], lines=lines))
        block = block.next()
    return [i for i in items if i.lines]


def _set_policy(item: _Item, on: bool) -> None:
    from PySide6.QtGui import QTextCursor, QTextFormat

    fmt = item.table.format() if item.table is not None else item.block.blockFormat()
    policy = fmt.pageBreakPolicy()
    fmt.setPageBreakPolicy(policy | QTextFormat.PageBreak_AlwaysBefore if on
                           else QTextFormat.PageBreakFlag(policy & ~QTextFormat.PageBreak_AlwaysBefore))
    fmt.setProperty(_MOVED, on)  # a break of ours, not the document's own (a new sheet)
    if item.table is not None:
        item.table.setFormat(fmt)
    else:
        QTextCursor(item.block).setBlockFormat(fmt)


def _break_before(doc, item: _Item, page_h: float) -> None:
    """Start ``item`` on the next page."""
    top = item.lines[0][0]
    target = _page(top, page_h) + 1
    _set_policy(item, True)
    doc.pageCount()  # lays it out again
    if _page(_lines(doc, item.blocks[0])[0][0], page_h) == target:
        return
    # Qt counts the space under a table that ends at the foot of a page as the next page's, and
    # its break then skips a whole page: push the item down by exactly what is left of this one.
    _set_policy(item, False)
    _push(item, target * page_h - top + _EDGE)


def _push(item: _Item, push: float) -> None:
    """Add ``push`` to the space above ``item`` (recorded, so :func:`_undo_after` can take it off)."""
    from PySide6.QtGui import QTextCursor

    fmt = item.table.format() if item.table is not None else item.block.blockFormat()
    fmt.setTopMargin(fmt.topMargin() + push)
    fmt.setProperty(_PUSHED, fmt.doubleProperty(_PUSHED) + push)
    if item.table is not None:
        item.table.setFormat(fmt)
    else:
        QTextCursor(item.block).setBlockFormat(fmt)


def _undo_after(doc, item: _Item) -> None:
    """Take off the breaks and pushes set on the items after ``item``: they were set for the
    layout before ``item`` moved, and are worked out again from there."""
    from PySide6.QtGui import QTextCursor, QTextFormat

    after = False
    for other in _items(doc):
        if after:
            fmt = other.table.format() if other.table is not None else other.block.blockFormat()
            if fmt.boolProperty(_MOVED):
                _set_policy(other, False)
            pushed = fmt.doubleProperty(_PUSHED)
            if pushed:
                _push(other, -pushed)
            if other.table is not None:  # rows of a data table started on a next page
                for block in other.blocks:
                    bf = block.blockFormat()
                    if bf.boolProperty(_MOVED):
                        bf.setPageBreakPolicy(QTextFormat.PageBreak_Auto)
                        bf.clearProperty(_MOVED)
                        QTextCursor(block).setBlockFormat(bf)
        after = after or other.blocks[0] == item.blocks[0]


def _row_spans(doc, table) -> list[tuple[float, float]]:
    """(top of first line, bottom of last line) of each row of ``table``."""
    spans = []
    for r in range(table.rows()):
        tops, bottoms = [], []
        for c in range(table.columns()):
            cell = table.cellAt(r, c)
            block = doc.findBlock(cell.firstPosition())
            while block.isValid() and block.position() <= cell.lastPosition():
                for top, bottom in _lines(doc, block):
                    tops.append(top)
                    bottoms.append(bottom)
                block = block.next()
        if tops:
            spans.append((min(tops), max(bottoms)))
    return spans


def _first_violation(doc, page_h: float):
    """The first item (in reading order) that should start a new page, and why; or None.
    Returns ("break", item) or ("split", item, line index) for a box taller than a page."""
    items = _items(doc)
    for i, item in enumerate(items):
        top, bottom = item.lines[0][0], item.lines[-1][1]
        start = _page(top, page_h)
        at_page_top = top - start * page_h < 2 * _EDGE + 1
        straddle = next((k for k, (t, b) in enumerate(item.lines)
                         if _page(t, page_h) != _page(b - 2 * _EDGE, page_h)), None)
        if straddle is not None and item.block is not None:
            # Qt left a line across the page's edge (after a table): it would be on both pages
            return "break", item
        if item.is_box and _page(bottom - 2 * _EDGE, page_h) != start:
            if bottom - top <= page_h * 0.98 and not at_page_top:
                return "break", item
            # taller than a page: split it where the page breaks, title repeated; a box whose
            # heading and first lines do not fit at the foot of this page starts the next one
            cut = next(k for k, (_, b) in enumerate(item.lines) if _page(b - 2 * _EDGE, page_h) != start)
            if cut > KEEP_WITH_HEADING:
                return "split", item, cut
            if not at_page_top:
                return "break", item
        if item.is_heading and not at_page_top:
            # keep with the first lines (or first data row) of what follows
            follow = items[i + 1] if i + 1 < len(items) else None
            if follow is not None and not follow.forced:
                if follow.is_box:
                    end = follow.lines[-1][1] if follow.lines[-1][1] - top <= page_h * 0.98 \
                        else follow.lines[min(KEEP_WITH_HEADING, len(follow.lines)) - 1][1]
                elif follow.table is not None:
                    rows = _row_spans(doc, follow.table)
                    end = rows[min(1, len(rows) - 1)][1]
                else:
                    kept = [ln for it in items[i + 1:i + 1 + KEEP_WITH_HEADING] if not it.forced
                            for ln in it.lines][:KEEP_WITH_HEADING]
                    end = kept[-1][1]
                if _page(end - 2 * _EDGE, page_h) != start and end - top <= page_h * 0.98:
                    return "break", item
        if item.block is not None and len(item.lines) >= 2 and not at_page_top:
            pages = [_page(t, page_h) for t, _ in item.lines]
            if pages[0] != pages[-1] and (pages.count(pages[0]) < 2 or pages.count(pages[-1]) < 2) \
                    and bottom - top <= page_h * 0.98:
                return "break", item  # one line alone at the foot or head of a page
            if pages[0] != pages[-1]:
                # Qt paints a whole paragraph on every page it touches (clipped away on paper, in
                # the text layer): a paragraph across a break becomes two, cut at the break.
                if item.block.textList() is not None and bottom - top <= page_h * 0.98:
                    return "break", item  # a bullet moves whole (a new block would be a new bullet)
                return "cut", item, pages.index(pages[-1]) if pages[-1] != pages[0] else 1
        if item.table is not None and not item.is_box:
            rows = _row_spans(doc, item.table)
            head = _header_rows(item.table)
            if len(rows) > head:
                first_page = _page(rows[0][0], page_h)
                # the header row(s) keep with the first data row (all of it, when it fits a page)
                kept = rows[head][1] if rows[head][1] - rows[0][0] <= page_h * 0.98 else rows[head - 1][1]
                if _page(kept - 2 * _EDGE, page_h) != first_page:
                    if not at_page_top:
                        return "break", item
                else:
                    # the first row that starts on a later page, or crosses the page's foot (a row
                    # taller than a page is left to cross it): the rest continues on the next page
                    # as a table of its own, titled and with its header row repeated (pg14)
                    for r in range(head + 1, len(rows)):
                        rt, rb = rows[r]
                        if _page(rt, page_h) != first_page or (
                                _page(rb - 2 * _EDGE, page_h) != first_page and rb - rt <= page_h * 0.98):
                            return "continue", item, r
    # the last page of each sheet (a forced break or the end starts the next)
    groups: list[list[_Item]] = [[]]
    for item in items:
        if item.forced and groups[-1]:
            groups.append([])
        groups[-1].append(item)
    for group in groups:
        last = _page(group[-1].lines[-1][0], page_h)
        if last == _page(group[0].lines[0][0], page_h):
            continue
        on_last = sum(1 for it in group for t, _ in it.lines if _page(t, page_h) == last)
        if on_last >= MIN_LAST_PAGE_LINES:
            continue
        # move the break up to the start of the item before the last page's first one
        firsts = [k for k, it in enumerate(group) if _page(it.lines[0][0], page_h) == last]
        if not firsts:
            continue
        k = firsts[0] - 1
        while k > 0 and group[k - 1].is_heading:
            k -= 1  # its heading comes with it
        k_top = group[k].lines[0][0] if k >= 0 else 0.0
        if k >= 0 and not group[k].forced and _page(k_top, page_h) == last - 1 \
                and k_top - (last - 1) * page_h >= 2 * _EDGE + 1:
            if group[-1].lines[-1][1] - group[k].lines[0][0] <= page_h * 0.98:
                return "break", group[k]
    return None


def _split_box(doc, item: _Item, cut: int, continued: str) -> None:
    """Split a box taller than a page before its line ``cut``: the lines from there go into a
    second box, after the first, headed by the first box's heading and ``continued``."""
    from PySide6.QtGui import QTextCursor, QTextFormat

    # the block holding line ``cut``
    seen = 0
    at = item.blocks[-1]
    for block in item.blocks:
        n = block.layout().lineCount()
        if seen + n > cut:
            at = block
            break
        seen += n
    if at == item.blocks[0]:
        return
    heading = item.blocks[0]
    title = heading.text() if heading.blockFormat().headingLevel() > 0 else ""
    title = title.removesuffix(f" {continued}")
    cell = item.table.cellAt(0, 0)
    cursor = QTextCursor(doc)
    cursor.setPosition(at.position())
    cursor.setPosition(cell.lastPosition(), QTextCursor.KeepAnchor)
    moved = cursor.selection()
    cursor.removeSelectedText()
    # drop the empty block left at the end of the first box
    cursor.deletePreviousChar()
    after = QTextCursor(doc)
    after.setPosition(item.table.lastPosition() + 1)
    fmt = item.table.format()
    fmt.setTopMargin(fmt.topMargin() - fmt.doubleProperty(_PUSHED))
    fmt.setPageBreakPolicy(QTextFormat.PageBreak_Auto)
    fmt.clearProperty(_PUSHED)
    fmt.clearProperty(_MOVED)
    table = after.insertTable(1, 1, fmt)
    c = table.cellAt(0, 0)
    inner = c.firstCursorPosition()
    inner.setCharFormat(cell.format())
    c.setFormat(cell.format())
    if title:
        inner.setBlockFormat(heading.blockFormat())
        first = QTextCursor(heading)
        first.movePosition(QTextCursor.NextCharacter)
        inner.insertText(f"{title} {continued}", first.charFormat())
        inner.insertBlock()
    inner.insertFragment(moved)
    # the second part follows the first; the next pass starts it on the next page


def keep_together(doc, page_h: float, continued: str = CONTINUED["en"]) -> None:
    """Move the page breaks of ``doc`` (laid out on pages ``page_h`` high) so boxes, headings,
    table rows and paragraphs keep together (see the module's docstring)."""
    for _ in range(_MAX_FIXES):  # a fix moves something down a page or splits it: it ends
        found = _first_violation(doc, page_h)
        if found is None:
            return
        if found[0] == "break":
            _break_before(doc, found[1], page_h)
            _undo_after(doc, found[1])
        elif found[0] == "cut":
            _cut_block(found[1], found[2])
        elif found[0] == "split":
            _split_box(doc, found[1], found[2], continued)
        else:
            _continue_table(doc, found[1], found[2], continued)


def _cut_block(item: _Item, line: int) -> None:
    """Make the lines of ``item`` from ``line`` on a paragraph of their own, with no space
    between the two (they read as one paragraph across the page break)."""
    from PySide6.QtGui import QTextCursor, QTextFormat

    block = item.block
    at = block.position() + block.layout().lineAt(line).textStart()
    fmt = block.blockFormat()
    cursor = QTextCursor(block)
    cursor.setPosition(at)
    cursor.insertBlock()
    first = fmt
    first.setBottomMargin(0)
    QTextCursor(block).setBlockFormat(first)
    rest = QTextCursor(block.next()).blockFormat()
    rest.setTopMargin(0)
    rest.setTextIndent(0)
    rest.setPageBreakPolicy(QTextFormat.PageBreak_Auto)
    rest.clearProperty(_MOVED)
    rest.clearProperty(_PUSHED)
    QTextCursor(block.next()).setBlockFormat(rest)


def _header_rows(table) -> int:
    """The rows at the top of a data table that are not data: its header row, and in a table
    continued from the page before the "(continued)" title row above it."""
    return 2 if table.format().boolProperty(_CONTINUES) else 1


def _table_title(doc, table, continued: str) -> str:
    """What a data table is titled where it continues: the heading just before it (the
    summary's "Scores over time"), or the title row of the table it continues."""
    if table.format().boolProperty(_CONTINUES):
        cell = table.cellAt(0, 0)
        return doc.findBlock(cell.firstPosition()).text().removesuffix(f" {continued}").strip()
    # the nearest heading above it in the body (paragraphs may stand between: the summary's
    # "Red-flag screen" gives the urgency first), not one inside a box or table above it
    root = doc.rootFrame()
    before = doc.findBlock(table.firstPosition() - 1)
    while before.isValid():
        if before.blockFormat().headingLevel() > 0 and _top_table(before, root) is None:
            return before.text().strip()
        before = before.previous()
    return ""


def _continue_table(doc, item: _Item, row: int, continued: str) -> None:
    """Move the rows of a data table from ``row`` on into a table of their own after it,
    opening with a title row ("Scores over time (continued)") across its columns and the header
    row repeated; the next pass starts it on the next page, as its header rows keep with its
    first data row (pg14)."""
    from PySide6.QtGui import QTextCursor, QTextFormat

    table = item.table
    cols, total, head = table.columns(), table.rows(), _header_rows(table)
    title = _table_title(doc, table, continued)

    def content(r: int, c: int):
        cell = table.cellAt(r, c)
        cursor = QTextCursor(doc)
        cursor.setPosition(cell.firstPosition())
        cursor.setPosition(cell.lastPosition(), QTextCursor.KeepAnchor)
        first = QTextCursor(doc)
        first.setPosition(cell.firstPosition())
        first.movePosition(QTextCursor.NextCharacter)
        return cursor.selection(), cell.format(), first.charFormat()

    header = [content(head - 1, c) for c in range(cols)]
    moved = [[content(r, c) for c in range(cols)] for r in range(row, total)]
    fmt = table.format()
    fmt.setTopMargin(fmt.topMargin() - fmt.doubleProperty(_PUSHED))
    fmt.setPageBreakPolicy(QTextFormat.PageBreak_Auto)
    fmt.clearProperty(_PUSHED)
    fmt.clearProperty(_MOVED)
    fmt.setProperty(_CONTINUES, True)
    after = QTextCursor(doc)
    after.setPosition(table.lastPosition() + 1)
    new = after.insertTable(2 + len(moved), cols, fmt)
    new.mergeCells(0, 0, 1, cols)
    top = new.cellAt(0, 0)
    top.setFormat(header[0][1])
    top.firstCursorPosition().insertText(f"{title} {continued}".strip(), header[0][2])
    for r, cells in enumerate([header, *moved], start=1):
        for c, (fragment, cell_format, _) in enumerate(cells):
            cell = new.cellAt(r, c)
            cell.setFormat(cell_format)
            cell.firstCursorPosition().insertFragment(fragment)
    table.removeRows(row, total - row)


def tighten(doc, step: float) -> None:
    """Scale the vertical spacing of ``doc`` by ``step`` (0-1): paragraph and box margins,
    cell padding and the extra line spacing; the type size is left as it is."""
    from PySide6.QtGui import QTextBlockFormat, QTextCursor, QTextTable

    block = doc.begin()
    while block.isValid():
        fmt = block.blockFormat()
        fmt.setTopMargin(fmt.topMargin() * step)
        fmt.setBottomMargin(fmt.bottomMargin() * step)
        if fmt.lineHeightType() == QTextBlockFormat.ProportionalHeight and fmt.lineHeight() > 100:
            fmt.setLineHeight(100 + (fmt.lineHeight() - 100) * step, QTextBlockFormat.ProportionalHeight)
        QTextCursor(block).setBlockFormat(fmt)
        block = block.next()
    frames = [doc.rootFrame()]
    while frames:
        frame = frames.pop()
        frames.extend(frame.childFrames())
        if isinstance(frame, QTextTable):
            fmt = frame.format()
            fmt.setTopMargin(fmt.topMargin() * step)
            fmt.setBottomMargin(fmt.bottomMargin() * step)
            fmt.setCellPadding(fmt.cellPadding() * max(step, 0.5))
            frame.setFormat(fmt)
