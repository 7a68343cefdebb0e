"""One patient: status, the stepped-algorithm view, the timeline, and the actions."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QTabWidget, QToolButton, QVBoxLayout, QWidget

from radiculopathy_desktop.ui import dialogs, style
from radiculopathy_desktop.ui.errors import show_error
from radiculopathy_desktop.ui.pathway_view import AssessmentBrowser, e
from radiculopathy_desktop.ui.timeline import TimelineView


class PatientView(QWidget):
    back_requested = Signal()

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.case = None
        self.case_id: str | None = None
        self.setFocusPolicy(Qt.StrongFocus)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.back_button = QPushButton("← &Worklist")
        self.back_button.setAccessibleName("Back to worklist")
        self.back_button.clicked.connect(self.back_requested)
        top.addWidget(self.back_button)
        self.title = QLabel()
        self.title.setTextFormat(Qt.RichText)
        top.addWidget(self.title, 1)
        self.visit_button = QPushButton("Add &follow-up visit…")
        self.visit_button.setAccessibleName("Add follow-up visit")
        self.decision_button = QPushButton("Record &decision…")
        self.decision_button.setAccessibleName("Record decision")
        top.addWidget(self.visit_button)
        top.addWidget(self.decision_button)
        self.handout_button = QPushButton("Print &handout…")
        self.handout_button.setAccessibleName("Print handout")
        self.handout_button.setToolTip("Print or save a personalised patient handout (Ctrl+P)")
        self.export_button = QToolButton()
        self.export_button.setText("E&xport")
        self.export_button.setAccessibleName("Export referral summary or FHIR bundle")
        self.export_button.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self.export_button.setPopupMode(QToolButton.InstantPopup)
        export_menu = QMenu(self.export_button)
        export_menu.setAccessibleName("Export")
        self.summary_menu_action = export_menu.addAction("Referral summary (&PDF)…\tCtrl+E", self.export_summary)
        self.fhir_menu_action = export_menu.addAction("&FHIR bundle (JSON)…\tCtrl+Shift+E", self.export_fhir)
        self.export_button.setMenu(export_menu)
        top.addWidget(self.handout_button)
        top.addWidget(self.export_button)
        layout.addLayout(top)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.RichText)
        self.status.setAccessibleName("Surgical-review status")
        layout.addWidget(self.status)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Patient views")
        self.pathway = AssessmentBrowser(name="Stepped care for this patient")
        self.timeline = TimelineView()
        self.tabs.addTab(self.pathway, "&Stepped care")
        self.tabs.addTab(self.timeline, "&Timeline")
        layout.addWidget(self.tabs, 1)
        self.visit_button.clicked.connect(self.add_visit)
        self.decision_button.clicked.connect(self.record_decision)
        self.handout_button.clicked.connect(self.print_handout)
        QShortcut(QKeySequence(Qt.Key_Escape), self, activated=self.back_requested.emit)
        context.hub.case_changed.connect(self._changed)
        context.hub.settings_changed.connect(lambda: self.case_id and self.load(self.case_id))

    def _changed(self, case_id: str) -> None:
        if case_id == self.case_id:
            self.load(case_id)

    def load(self, case_id: str) -> None:
        self.case_id = case_id
        try:
            self.case = case = self.context.store.get_case(case_id)
            settings = self.context.review_settings()
        except Exception as exc:
            show_error(self, exc)
            return
        today = self.context.today()
        p = case.patient
        age = p.age_on(today)
        self.title.setText(f"<h2>{e(p.name or '(no name recorded)')}</h2>"
                           f"Patient ID {e(p.id)} · case {e(case.case_id)} · "
                           f"{'' if age is None else f'{age} years · '}{e(p.sex)} · {e(case.intake.side)} leg")
        self.setAccessibleName(f"Patient {p.name or p.id}")
        from radiculopathy_desktop.domain.followup import surgical_review
        review = surgical_review(case, today, settings)
        bg, fg = style.status_colours(review.status.value)
        self.status.setText(f'<span style="background-color:{bg.name()}; color:{fg.name()}; font-weight:bold;">'
                            f"&nbsp;{e(review.status.label)}&nbsp;</span> {e(review.reason)}")
        self.timeline.show_case(case, settings, today)
        try:
            from radiculopathy_desktop.domain.assess import assess_case
            assessment = assess_case(case, today, profile=self.context.profile(), settings=settings).to_dict()
            self.pathway.show_assessment(assessment, case)
        except Exception as exc:  # the engine failing must not hide the rest of the patient
            self.pathway.show_problem(f"The stepped-care assessment could not be made ({type(exc).__name__}: {exc}).")

    def add_visit(self):
        if self.case is not None:
            return dialogs.open_visit_dialog(self, self.context, self.case)

    def record_decision(self):
        if self.case is not None:
            return dialogs.open_decision_dialog(self, self.context, self.case)

    # -- printing and exports (the files are written by reports/, atomically)
    def print_handout(self):
        if self.case is not None:
            from radiculopathy_desktop.ui import exports
            return exports.open_handout_dialog(self, self.context, self.case)

    def export_summary(self):
        if self.case is not None:
            from radiculopathy_desktop.ui import exports
            return exports.export_summary_pdf(self, self.context, self.case)

    def export_fhir(self):
        if self.case is not None:
            from radiculopathy_desktop.ui import exports
            return exports.export_fhir(self, self.context, self.case)
