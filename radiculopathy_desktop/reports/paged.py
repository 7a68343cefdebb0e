"""Paged rendering shared by handouts and summaries: HTML -> QTextDocument -> pages.

A :class:`PagedDocument` is the HTML body plus a running header (HTML, the same on
every page) and a footer (left text plus "Page n of N"). :meth:`PagedDocument.render`
paints it onto any ``QPagedPaintDevice`` - a ``QPdfWriter`` for files, a ``QPrinter``
for the print dialog and its preview - so what is previewed is what is printed.

The body is laid out by ``QTextDocument`` with the page height as its page size, so
lines are never cut at a page edge (Qt moves a line that would cross the edge to the
next page) and ``page-break-before: always`` starts a new page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from radiculopathy_desktop.outputs import verify_pdf, write_bytes
from radiculopathy_desktop.reports.common import PAPER_SIZES, ensure_gui_app

MARGIN_MM = 15.0
PDF_DPI = 300
#: Documents are laid out at this resolution whatever the output device, then scaled:
#: a page breaks at the same line on screen, in the preview, on paper and in the PDF,
#: and CSS ``px`` lengths mean 1/96 inch everywhere.
LAYOUT_DPI = 96


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
        body = self._document(self.body_html, device, width, self.base_point_size)
        body_h = height - header_h - footer_h
        body.setPageSize(QSizeF(width, body_h))
        return _Layout(dpi, gap, width, height, header, header_h, body, body_h, footer_font, footer_h,
                       body.pageCount(), device)

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
        lay.body.drawContents(painter, QRectF(0, n * lay.body_h, lay.width, lay.body_h))
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
