"""A leg-and-foot diagram (front and back) whose regions are clicked to mark symptoms.

Mouse: click a region to mark or unmark it. Keyboard: the diagram takes focus;
arrow keys move between regions (shown with a focus outline and named in the
accessible description), Space or Enter toggles. Marked regions are filled and
hatched, so they differ from unmarked ones without colour. The checklist next to
it (:class:`RegionChecklist`) is the accessible alternative and stays in step.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QCheckBox, QGridLayout, QSizePolicy, QToolTip, QWidget

from radiculopathy_desktop.domain.vocabulary import SYMPTOM_REGIONS
from radiculopathy_desktop.ui import style

# view ("front" | "back") -> region -> polygon in view-local units (0..1 x 0..1)
SHAPES: dict[str, dict[str, list[tuple[float, float]]]] = {
    "front": {
        "anterior_thigh": [(0.30, 0.04), (0.60, 0.04), (0.57, 0.40), (0.36, 0.40)],
        "lateral_thigh": [(0.60, 0.04), (0.74, 0.06), (0.66, 0.40), (0.57, 0.40)],
        "medial_knee": [(0.30, 0.40), (0.46, 0.40), (0.46, 0.50), (0.33, 0.50)],
        "anterior_knee": [(0.46, 0.40), (0.57, 0.40), (0.62, 0.50), (0.46, 0.50)],
        "medial_leg": [(0.35, 0.50), (0.47, 0.50), (0.46, 0.82), (0.40, 0.82)],
        "lateral_leg": [(0.47, 0.50), (0.64, 0.50), (0.57, 0.82), (0.46, 0.82)],
        "medial_ankle": [(0.36, 0.82), (0.47, 0.82), (0.47, 0.88), (0.36, 0.88)],
        "dorsum_foot": [(0.47, 0.82), (0.57, 0.82), (0.72, 0.93), (0.48, 0.95)],
        "great_toe": [(0.36, 0.88), (0.47, 0.88), (0.48, 0.98), (0.36, 0.98)],
    },
    "back": {
        "buttock": [(0.26, 0.00), (0.74, 0.00), (0.74, 0.13), (0.26, 0.13)],
        "posterior_thigh": [(0.29, 0.13), (0.71, 0.13), (0.64, 0.46), (0.36, 0.46)],
        "posterior_calf": [(0.36, 0.47), (0.64, 0.47), (0.58, 0.82), (0.42, 0.82)],
        "heel": [(0.42, 0.83), (0.58, 0.83), (0.58, 0.91), (0.42, 0.91)],
        "lateral_foot": [(0.58, 0.85), (0.72, 0.87), (0.72, 0.97), (0.58, 0.97)],
        "sole": [(0.40, 0.91), (0.58, 0.91), (0.58, 0.99), (0.40, 0.99)],
        "little_toe": [(0.72, 0.89), (0.80, 0.90), (0.80, 0.97), (0.72, 0.97)],
    },
}
ORDER = [r for view in ("back", "front") for r in SHAPES[view]]


class LegDiagram(QWidget):
    toggled = Signal(str, bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.selected: set[str] = set()
        self.focus_index = 0
        self.setFocusPolicy(Qt.StrongFocus)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setAccessibleName("Leg diagram: arrow keys move between regions, Space marks or unmarks")
        self._update_description()

    def sizeHint(self) -> QSize:
        em = self.fontMetrics().height()
        return QSize(em * 20, em * 22)

    def minimumSizeHint(self) -> QSize:
        em = self.fontMetrics().height()
        return QSize(em * 14, em * 16)

    # -- geometry
    def _view_rect(self, view: str) -> QRectF:
        em = self.fontMetrics().height()
        w = self.width() / 2
        top = em * 1.5
        return QRectF(0 if view == "front" else w, top, w, self.height() - top - 4)

    def polygon(self, region: str) -> QPolygonF:
        view = "front" if region in SHAPES["front"] else "back"
        r = self._view_rect(view)
        return QPolygonF([QPointF(r.left() + x * r.width(), r.top() + y * r.height()) for x, y in SHAPES[view][region]])

    def region_at(self, point: QPointF) -> str | None:
        for region in ORDER:
            if self.polygon(region).containsPoint(point, Qt.OddEvenFill):
                return region
        return None

    # -- state
    def set_selected(self, regions) -> None:
        self.selected = set(regions)
        self._update_description()
        self.update()

    def toggle(self, region: str) -> None:
        on = region not in self.selected
        if on:
            self.selected.add(region)
        else:
            self.selected.discard(region)
        self._update_description()
        self.update()
        self.toggled.emit(region, on)

    @staticmethod
    def describe(region: str) -> str:
        """"Lateral lower leg: L5 dermatome" (the meaning comes from the dermatome table)."""
        from radiculopathy_desktop.domain.roots import region_meaning
        return f"{SYMPTOM_REGIONS[region]}: {region_meaning(region)}"

    def region_descriptions(self) -> dict[str, str]:
        return {r: self.describe(r) for r in ORDER}

    def _update_description(self) -> None:
        current = ORDER[self.focus_index]
        marked = ", ".join(SYMPTOM_REGIONS[r] for r in ORDER if r in self.selected) or "none"
        self.setAccessibleDescription(f"Region {self.describe(current)} "
                                      f"({'marked' if current in self.selected else 'not marked'}). Marked: {marked}.")
        self.setToolTip(self.describe(current))

    def event(self, event):
        # Hovering a region names it and its dermatome (the focused region's otherwise).
        if event.type() == QEvent.ToolTip:
            region = self.region_at(QPointF(event.pos()))
            text = self.describe(region) if region else self.describe(ORDER[self.focus_index])
            QToolTip.showText(event.globalPos(), text, self)
            return True
        return super().event(event)

    # -- events
    def mousePressEvent(self, event):
        region = self.region_at(event.position())
        if region:
            self.focus_index = ORDER.index(region)
            self.toggle(region)
        super().mousePressEvent(event)

    def keyPressEvent(self, event):
        key = event.key()
        if key in (Qt.Key_Right, Qt.Key_Down):
            self.focus_index = (self.focus_index + 1) % len(ORDER)
        elif key in (Qt.Key_Left, Qt.Key_Up):
            self.focus_index = (self.focus_index - 1) % len(ORDER)
        elif key in (Qt.Key_Space, Qt.Key_Return, Qt.Key_Enter):
            self.toggle(ORDER[self.focus_index])
            return
        else:
            super().keyPressEvent(event)
            return
        self._update_description()
        self.update()

    def paintEvent(self, event):
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.WindowText)
        skin = pal.color(QPalette.Base)
        marked_bg, marked_fg = style.kind_colours("danger")
        painter.fillRect(self.rect(), pal.color(QPalette.Window))
        em = self.fontMetrics().height()
        for view, caption in (("front", "Front"), ("back", "Back")):
            r = self._view_rect(view)
            painter.setPen(text)
            painter.drawText(QRectF(r.left(), 0, r.width(), em * 1.4), Qt.AlignCenter, caption)
        for n, region in enumerate(ORDER):
            poly = self.polygon(region)
            on = region in self.selected
            painter.setPen(QPen(text, 1))
            painter.setBrush(marked_bg if on else skin)
            painter.drawPolygon(poly)
            if on:
                painter.setBrush(QBrush(marked_fg, Qt.BDiagPattern))
                painter.drawPolygon(poly)
            if self.hasFocus() and n == self.focus_index:
                painter.setPen(QPen(pal.color(QPalette.Highlight), 3, Qt.DashLine))
                painter.setBrush(Qt.NoBrush)
                painter.drawPolygon(poly)
        # The root of each localising region, written in it where it fits ("L5"): the map
        # reads at a glance; hovering names the region and its dermatome.
        from radiculopathy_desktop.domain.roots import region_roots_short
        small = self.font()
        small.setPointSizeF(max(small.pointSizeF() * 0.8, 6.0))
        painter.setFont(small)
        fm = painter.fontMetrics()
        for region in ORDER:
            label = region_roots_short(region)
            box = self.polygon(region).boundingRect()
            if label and fm.horizontalAdvance(label) + 2 <= box.width() and fm.height() <= box.height():
                on = region in self.selected
                painter.setPen(marked_fg if on else text)
                painter.drawText(box, Qt.AlignCenter, label)
        painter.end()


class RegionChecklist(QWidget):
    """The same regions as check boxes (the accessible alternative to the drawing)."""

    toggled = Signal(str, bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Symptom regions checklist")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        from radiculopathy_desktop.domain.roots import region_roots_short
        for n, (code, label) in enumerate(SYMPTOM_REGIONS.items()):
            roots = region_roots_short(code)
            box = QCheckBox(f"{label} ({roots})" if roots else label)
            box.setToolTip(LegDiagram.describe(code))
            box.setAccessibleName(f"Symptoms in: {label}")
            box.toggled.connect(lambda on, c=code: self.toggled.emit(c, on))
            grid.addWidget(box, n // 2, n % 2)
            self.boxes[code] = box
        # Focus given to the list (Next's "Mark at least one region" sends it here) lands on its
        # first box, where Space ticks it; the bare container showed no focus and took no key (ui13).
        self.setFocusProxy(next(iter(self.boxes.values())))

    def set_selected(self, regions) -> None:
        for code, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(code in regions)
            box.blockSignals(False)
