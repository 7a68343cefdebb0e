"""A case's access history: who viewed, changed, printed or exported it, and when.

Read from the append-only audit table (newest first, the last 200 unless "Show all"),
in words: the local date and time, who, what was done and a short detail. Raw
audit JSON is never shown.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from radiculopathy_desktop.domain.vocabulary import clinic_date, decision_sentence

PAGE = 200

# Every action the store, the commands, the window and storage/access.py write, in words.
ACTIONS: dict[str, str] = {
    "case_added": "Case added",
    "case_updated": "Case updated by an import",
    "import": "Cases imported",
    "visit_added": "Follow-up visit added",
    "decision_recorded": "Decision recorded",
    "medicines_changed": "Current medicines corrected",
    "conditions_changed": "Conditions corrected",
    "assessment_saved": "Assessment saved",
    "settings_changed": "Settings changed",
    "case_viewed": "Viewed",
    "handout_printed": "Handout printed",
    "handout_saved": "Handout saved as PDF",
    "summary_pdf_exported": "Referral summary exported (PDF)",
    "fhir_exported": "FHIR bundle exported",
    "cases_csv_exported": "Cases exported (CSV)",
    "worklist_csv_exported": "Worklist exported (CSV)",
    "worklist_listed": "Worklist listed",
    "unlocked": "Unlocked the window",
    "unlock_failed": "Wrong passphrase at the lock screen",
    "locked": "Locked the window",
    "user_identified": "Switched user",
    "database_restored": "Database restored from a backup",
    "patient_ids_kept_apart": "Upgrade: patient IDs kept apart (different people)",
    "alert_index_rebuilt": "Medicine alerts index rebuilt (check --full --repair)",
    "derived_data_recomputed": "Upgrade: derived data recomputed (no record changed)",
}
LANGUAGES = {"en": "English", "es": "Spanish"}


def action_words(action: str) -> str:
    return ACTIONS.get(action) or action.replace("_", " ").capitalize()


def local_time(at: str) -> str:
    """A stored UTC ISO timestamp as local date and time (as stored when it cannot be read)."""
    try:
        moment = dt.datetime.fromisoformat(at)
    except (TypeError, ValueError):
        return str(at)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _plural(n, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _nrs(value) -> str | None:
    return None if value is None else f"{value:g}/10"


def _typed_as_words(d: dict) -> str:
    """A kept copy typed as another user and saved by this entry's user (ui19, misc20): the
    typist's name as the kept file gave it."""
    from radiculopathy_desktop.domain.characters import visible

    name = d.get("typed_as")
    return f"; typed as {visible(name)} in a copy kept on a workstation, checked and saved by this user" \
        if isinstance(name, str) and name else ""


def detail_words(action: str, detail: dict) -> str:
    """A short detail in words for the entries where one helps; empty otherwise."""
    d = detail if isinstance(detail, dict) else {}
    if action == "visit_added":
        bits = [f"visit of {d['date']}" if d.get("date") else None]
        bits.append(f"leg pain {_nrs(d.get('leg_nrs'))}" if d.get("leg_nrs") is not None else None)
        bits.append(f"back pain {_nrs(d.get('back_nrs'))}" if d.get("back_nrs") is not None else None)
        bits.append(f"ODI {d['odi_percent']:g}%" if isinstance(d.get("odi_percent"), (int, float)) else None)
        bits.append(f"RMDQ {d['rmdq']}" if d.get("rmdq") is not None else None)
        return ", ".join(b for b in bits if b) + _typed_as_words(d)
    if action == "decision_recorded":
        text = decision_sentence(d.get("kind"), d.get("until"))
        if d.get("date"):
            text += f", dated {clinic_date(d['date'])}"
        if d.get("by"):
            text += f", by {d['by']}"
        return text + _typed_as_words(d)
    if action == "medicines_changed":  # medfix: what was added, changed and removed
        from radiculopathy_desktop.domain.characters import visible
        from radiculopathy_desktop.domain.medicine_edit import change_words
        return visible(change_words(d))
    if action == "conditions_changed":  # medfix2: each condition changed, before → after
        from radiculopathy_desktop.domain.characters import visible
        from radiculopathy_desktop.domain.conditions_edit import change_words as condition_words
        return visible(condition_words(d))
    if action in ("case_added", "case_updated"):
        if "visits" in d or "decisions" in d:
            return (f"{_plural(d.get('visits', 0), 'follow-up visit')}, "
                    f"{_plural(d.get('decisions', 0), 'decision')}")
        return ""
    if action == "alert_index_rebuilt":  # st20, fxn20: derived from the stored alerts, nothing recorded changed
        bits = [_plural(d["cases"], "case") + " differed" if isinstance(d.get("cases"), int) else None,
                "recreated: " + ", ".join(map(str, d["recreated"])) if d.get("recreated") else None,
                _plural(d["spans"], "span") + " written" if isinstance(d.get("spans"), int) else None]
        return ", ".join(b for b in bits if b)
    if action == "derived_data_recomputed":  # m013 (pg21): one entry for the upgrade's rewrite, no record changed
        bits = ["recomputed: " + ", ".join(map(str, d["recomputed"])) if d.get("recomputed") else None,
                _plural(d["cases"], "case") if isinstance(d.get("cases"), int) else None]
        return ", ".join(b for b in bits if b)
    if action == "assessment_saved":
        bits = [f"visit of {d['visit_date']}" if d.get("visit_date") else None,
                f"guideline content {d['content_version']}" if d.get("content_version") else None]
        return ", ".join(b for b in bits if b)
    if action in ("handout_printed", "handout_saved"):
        bits = [LANGUAGES.get(d.get("lang"), d.get("lang")) if d.get("lang") else None,
                "large print" if d.get("large_print") else None,
                _plural(len(d["sheets"]), "sheet") if isinstance(d.get("sheets"), list) else None,
                _plural(d["pages"], "page") if isinstance(d.get("pages"), int) else None,
                {"a4": "A4", "letter": "US Letter"}.get(d.get("paper")) if d.get("paper") else None]
        return ", ".join(b for b in bits if b)
    if action == "summary_pdf_exported" and isinstance(d.get("pages"), int):
        return _plural(d["pages"], "page")
    if action == "fhir_exported" and isinstance(d.get("resources"), int):
        return _plural(d["resources"], "resource")
    if action == "patient_ids_kept_apart" and isinstance(d.get("groups"), list):
        return "; ".join(" and ".join(str(p) for p in g.get("patient_ids", ())) + " are different people"
                         for g in d["groups"] if isinstance(g, dict))
    if d.get("via") == "command line":
        return "from the command line"
    if action == "case_viewed" and d.get("after") in ("unlock", "switch user"):
        return "after unlocking" if d["after"] == "unlock" else "after a change of user"
    return ""


class AccessHistoryView(QWidget):
    """The "Access history" tab of a patient: loads when shown, refreshes when the case changes."""

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.case_id: str | None = None
        self.limit: int | None = PAGE
        self.total = 0
        self._dirty = True
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Access history summary")
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 4)
        self.table.setAccessibleName("Access history, newest first")
        self.table.setHorizontalHeaderLabels(["When", "Who", "What", "Details"])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setTabKeyNavigation(False)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.show_all_button = QPushButton("Show a&ll entries")
        self.show_all_button.setAccessibleName("Show the whole access history")
        self.show_all_button.clicked.connect(self.show_all)
        row.addWidget(self.show_all_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.show_all_button.hide()

    def show_case(self, case_id: str) -> None:
        """Show ``case_id`` (a different case starts again at the newest 200)."""
        if case_id != self.case_id:
            self.limit = PAGE
            self.table.setRowCount(0)
        self.case_id = case_id
        self.changed()

    def changed(self) -> None:
        """Something was recorded: refresh now if on screen, else when next shown."""
        self._dirty = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event):  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def show_all(self) -> None:
        self.limit = None
        self.refresh()
        self.table.setFocus(Qt.OtherFocusReason)

    def refresh(self) -> None:
        self._dirty = False
        if self.case_id is None:
            self.table.setRowCount(0)
            self.summary.setText("")
            return
        from radiculopathy_desktop.storage import access
        try:
            entries, self.total = access.case_history(self.context.store, self.case_id, self.limit)
        except Exception as exc:
            from radiculopathy_desktop.ui.errors import describe
            self.table.setRowCount(0)
            self.summary.setText("The access history could not be read. " + describe(exc)[1])
            return
        self.table.setRowCount(len(entries))
        for n, entry in enumerate(entries):
            values = (local_time(entry.at), entry.user, action_words(entry.action),
                      detail_words(entry.action, entry.detail))
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col == 0:
                    item.setToolTip(f"{entry.at} (UTC)")
                self.table.setItem(n, col, item)
        self.table.resizeColumnsToContents()
        more = self.total > len(entries)
        if not entries:
            text = "Nothing recorded for this case yet."
        elif more:
            text = (f"The newest {len(entries)} of {self.total} entries, newest first. Who viewed, changed, "
                    "printed or exported this case, and when (local time).")
        else:
            text = (f"{_plural(self.total, 'entry', 'entries')}, newest first. Who viewed, changed, printed or "
                    "exported this case, and when (local time).")
        self.summary.setText(text)
        self.show_all_button.setVisible(more)

    def rows(self) -> list[tuple[str, ...]]:
        """The table as text (for tests and screen readers' summaries)."""
        return [tuple(self.table.item(r, c).text() for c in range(4)) for r in range(self.table.rowCount())]
