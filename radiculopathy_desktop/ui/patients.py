"""Patients: find anyone by name, patient ID or case ID (not only those on the worklist)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel, QLineEdit, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from radiculopathy_desktop.ui import shortcuts
from radiculopathy_desktop.ui.errors import show_error
from radiculopathy_desktop.domain.characters import visible, visible_id  # rt8 F8: hidden characters shown


def patient_groups(matches) -> list[list]:
    """The store's matches grouped into patients: IDs with one ``domain.episodes.patient_key``
    (``P-1``, ``p-1``, ``PİD-1``/``pid-1``) are one patient for the one-open-case rule, so the
    list shows them together, each case with the ID as typed (ep17 left them as two patients;
    id18). IDs one key joins but whose patients differ (name, birth date or sex) are different
    people, listed apart (``domain.identity.same_person``; rt19 F5, fxc18). Groups keep the
    order of their first match; in a group, the store's order."""
    from radiculopathy_desktop.domain.identity import match_patient, person_groups

    return person_groups(matches, match_patient)


class PatientsView(QWidget):
    open_case = Signal(str)

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Patients</h2>"))
        row = QHBoxLayout()
        label = QLabel("F&ind:")
        self.search_box = QLineEdit()
        self.search_box.setAccessibleName("Find patient by name, patient ID or case ID")
        self.search_box.setPlaceholderText("Name, patient ID or case ID")
        self.search_box.setClearButtonEnabled(True)
        label.setBuddy(self.search_box)
        row.addWidget(label)
        row.addWidget(self.search_box, 1)
        layout.addLayout(row)
        self.table = QTableWidget(0, 5)
        self.table.setAccessibleName("Matching patients")
        self.table.setHorizontalHeaderLabels(["Name", "Patient ID", "Born / age", "Sex", "Case"])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setTabKeyNavigation(False)
        self.table.doubleClicked.connect(lambda idx: self._open(idx.row()))
        shortcuts.bind(self.table, "patients.open", self._open_current, Qt.WidgetShortcut)
        layout.addWidget(self.table, 1)
        self.hint = QLabel("Type at least two characters.")
        layout.addWidget(self.hint)
        self._searched: str | None = None  # the text the results are for
        self._timer = QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self.search)
        self.search_box.textChanged.connect(lambda _t: self._timer.start())
        self.search_box.returnPressed.connect(self._enter_in_find)
        self.search_box.installEventFilter(self)
        # Results follow imports, new intakes and a restored backup.
        context.hub.changed.connect(lambda changes, _initiator: self._refresh() if changes.patients else None)
        replaced = getattr(context.hub, "store_replaced", None)
        if replaced is not None:
            replaced.connect(self._refresh)
        QWidget.setTabOrder(self.search_box, self.table)

    def _enter_in_find(self) -> None:
        """Enter in the Find box opens the highlighted patient (searching first if the results
        are not for this text yet)."""
        self._open_current()

    def _results_follow_text(self) -> bool:
        """The results shown are for the text typed: a search still waiting for its timer runs now
        (window31: typed, Tab, Enter inside the 250 ms opened the patient highlighted before the
        search). False while it cannot run yet (a write is running), so the old row is never opened."""
        if self._timer.isActive() or self._searched != self.search_box.text().strip():
            self.search()
        return not self._timer.isActive() and self._searched == self.search_box.text().strip()

    def _open_current(self) -> None:
        if self._results_follow_text() and self.table.currentRow() >= 0:
            self._open(self.table.currentRow())

    def eventFilter(self, obj, event) -> bool:
        # Up and Down in the Find box move the highlight in the results, so the keyboard
        # never has to leave the box: type, arrow to the patient, Enter.
        if obj is self.search_box and event.type() == QEvent.KeyPress and event.key() in (Qt.Key_Up, Qt.Key_Down):
            if self._timer.isActive():
                self.search()
            rows = self.table.rowCount()
            if rows:
                step = 1 if event.key() == Qt.Key_Down else -1
                self.table.selectRow(min(max(self.table.currentRow() + step, 0), rows - 1))
            return True
        return super().eventFilter(obj, event)

    def _refresh(self, *_args) -> None:
        if self.search_box.text().strip():
            self.search()

    def activated(self) -> None:
        self.search_box.setFocus()

    def search(self) -> None:
        self._timer.stop()
        if self.context.ops.defer_while_writing((self, "search"), self.search):
            return  # a write is running on the store's connection: search once it has committed
        text = self.search_box.text().strip()
        self._searched = text
        if len(text) < 2:
            self.table.setRowCount(0)
            self.hint.setText("Type at least two characters.")
            return
        try:
            matches = self.context.store.search_patients(text, limit=200)
        except Exception as exc:
            show_error(self, exc)
            return
        groups = patient_groups(matches)
        rows, tips = [], []
        for group in groups:
            typed = [m.patient_id for m in group]
            for m in group:
                others = [visible_id(p) for p in typed if p != m.patient_id]
                shown_id = visible_id(m.patient_id) + (f" (one patient with {', '.join(others)})" if others else "")
                tip = (f"Patient IDs {', '.join(visible_id(p) for p in typed)} differ only in capitals: one patient "
                       "(one open case at a time); each case keeps the ID as it was typed") if others else ""
                for case_id in m.case_ids or ("",):
                    born = m.birth_date.isoformat() if m.birth_date else ("" if m.age_years is None else f"{m.age_years} y")
                    rows.append((visible(m.name) or "(no name recorded)", shown_id, born, m.sex, visible_id(case_id)))
                    tips.append(tip)
        self.table.setRowCount(len(rows))
        for n, values in enumerate(rows):
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col == 1 and tips[n]:
                    item.setToolTip(tips[n])
                self.table.setItem(n, col, item)
        self.table.resizeColumnsToContents()
        patients = len(groups)
        self.hint.setText(f"{len(rows)} match{'es' if len(rows) != 1 else ''} ({patients} "
                          f"patient{'s' if patients != 1 else ''}). Up and Down choose, Enter opens "
                          "the highlighted patient.")
        if rows:
            self.table.selectRow(0)

    def _open(self, row: int) -> None:
        item = self.table.item(row, 4) if row >= 0 else None
        if item and item.text():
            self.open_case.emit(item.text())
