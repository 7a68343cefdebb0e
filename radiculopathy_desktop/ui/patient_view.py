"""One patient: status, the stepped-algorithm view, the timeline, the access history,
and the actions.

Opening a patient (:meth:`PatientView.open`) records one ``case_viewed`` audit entry for
the person using the app; refreshing the open case (a visit added, settings changed)
does not record another. The store is read from ``context.store`` each time (it can be
replaced while the window runs).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QTabWidget, QToolButton, QVBoxLayout, QWidget

from radiculopathy_desktop.ui import dialogs, shortcuts, style
from radiculopathy_desktop.ui.audit_view import AccessHistoryView
from radiculopathy_desktop.ui.errors import show_error
from radiculopathy_desktop.ui.flow import FlowLayout
from radiculopathy_desktop.ui.forms import MedicineAlertBanner
from radiculopathy_desktop.ui.safety_area import SafetyTextArea
from radiculopathy_desktop.ui.pathway_view import AssessmentBrowser, e
from radiculopathy_desktop.ui.timeline import TimelineView
from radiculopathy_desktop.domain.characters import visible, visible_id  # rt8 F8: hidden characters shown

log = logging.getLogger("radiculopathy_desktop.ui")


class PatientView(QWidget):
    back_requested = Signal()
    #: The case as just read again from the store (a write here or by another program, seen by
    #: the watch): the dialogs opened from this view take it, so what they show and print is not
    #: a stale copy (red-team rt9 F8, F5).
    case_reloaded = Signal(object)

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.case = None
        self.case_id: str | None = None
        self.viewed: tuple[str, str] | None = None  # (case_id, user) of the last case_viewed recorded
        self.setFocusPolicy(Qt.StrongFocus)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.back_button = QPushButton("← Wor&klist")
        self.back_button.setAccessibleName("Back to worklist")
        self.back_button.clicked.connect(self.back_requested)
        top.addWidget(self.back_button)
        self.title = QLabel()
        self.title.setTextFormat(Qt.RichText)
        self.title.setWordWrap(True)
        top.addWidget(self.title, 1)
        # The actions wrap onto more lines when the window is narrow (200% text).
        self.actions_bar = QWidget()
        self.actions_bar.setAccessibleName("Patient actions")
        actions = FlowLayout(self.actions_bar)
        actions.setContentsMargins(0, 0, 0, 0)
        self.visit_button = QPushButton("Add follow-up &visit…")
        self.visit_button.setAccessibleName("Add follow-up visit")
        self.visit_button.setToolTip("Add a follow-up visit (Ctrl+Shift+V)")
        self.decision_button = QPushButton("Record &decision…")
        self.decision_button.setAccessibleName("Record decision")
        self.decision_button.setToolTip("Record a decision about a surgical opinion (Ctrl+Shift+D)")
        # medfix: the intake's medicines corrected after the case was saved (a medicine stopped,
        # one typed on the wrong patient), through the intake's own medicines table and check
        # round 31: "Medicines…" and "Conditions…" (the accessible names and tooltips say Edit): at 200% text on a
        # laptop the two longer labels wrapped the actions onto one more line and the safety area ran under the tabs
        self.medicines_button = QPushButton("&Medicines…")
        self.medicines_button.setAccessibleName("Edit medicines")
        self.medicines_button.setToolTip("Edit medicines: add, correct or remove this case's current medicines (Ctrl+Shift+M)")
        actions.addWidget(self.visit_button)
        actions.addWidget(self.decision_button)
        actions.addWidget(self.medicines_button)
        # medfix2: the intake's conditions (creatinine, eGFR, CKD, GI bleed...) corrected likewise
        self.conditions_button = QPushButton("Co&nditions…")
        self.conditions_button.setAccessibleName("Edit conditions")
        self.conditions_button.setToolTip("Edit conditions: correct this case's conditions (kidney function, GI bleed, liver...) (Ctrl+Shift+C)")
        actions.addWidget(self.conditions_button)
        self.handout_button = QPushButton("Print hando&ut…")
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
        actions.addWidget(self.handout_button)
        actions.addWidget(self.export_button)
        layout.addLayout(top)
        layout.addWidget(self.actions_bar)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.RichText)
        self.status.setAccessibleName("Surgical-review status")
        # Another case of the patient contradicting this one's pregnancy (gp17 F5): said on both pages
        self.pregnancy_differs = style.message_label("The pregnancy differs from another case of this patient", "font-weight: bold; color: #8a1c1c;")
        self.pregnancy_differs_found = None  # domain.episodes.PregnancyDiffers shown, None when none
        # Current medicines to stop, change or reduce (assessment "medicine_alerts"): above the fold
        self.medicine_alert_banner = MedicineAlertBanner()
        # The status and the safety text are never cut off (gp19 F7): whole where the page has
        # room, scrolling past about half of it, the tabs keeping the rest.
        self.safety_area = SafetyTextArea(self.status, self.pregnancy_differs, self.medicine_alert_banner,
                                          share=0.5, name="Status and safety for this case")
        self.safety_area.watch_page(self)
        layout.addWidget(self.safety_area)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Patient views")
        self.pathway = AssessmentBrowser(name="Stepped care for this patient")
        self.timeline = TimelineView()
        self.tabs.addTab(self.pathway, "&Stepped care")
        self.tabs.addTab(self.timeline, "&Timeline")
        self.history = AccessHistoryView(context)
        self.tabs.addTab(self.history, "&Access history")
        layout.addWidget(self.tabs, 1)
        self.visit_button.clicked.connect(lambda: self.add_visit())
        self.decision_button.clicked.connect(self.record_decision)
        self.medicines_button.clicked.connect(self.edit_medicines)
        self.conditions_button.clicked.connect(self.edit_conditions)
        self.handout_button.clicked.connect(self.print_handout)
        shortcuts.bind(self, "patient.back", self.back_requested.emit)
        context.hub.changed.connect(self._changed)
        replaced = getattr(context.hub, "store_replaced", None)
        if replaced is not None:  # a backup was restored: the case may not be in it
            replaced.connect(self._reload_if_present)

    #: the other cases of this page's person as last read (their changes reload this page)
    _persons_case_ids: frozenset = frozenset()

    def _reload_if_present(self, *_args) -> None:
        if not self.case_id:
            return
        try:
            present = self.context.store.has_case(self.case_id)
        except Exception:  # the store's own error is shown by whoever replaced it
            present = False
        if present:
            self.load(self.case_id)
            return
        # Not in the restored database: leave quietly rather than report a missing case.
        self.case = None
        self.case_id = None
        if self.isVisible():
            self.back_requested.emit()

    def _changed(self, changes, _initiator=None) -> None:
        """The operation runner's announcement: reload this case when its content or the settings changed
        (an audit record alone changes nothing shown here), or when another case of the same person
        changed: its records feed this page's "pregnancy differs" line (``domain.episodes
        .pregnancy_differs``), which would otherwise stand stale (preg19/fxd19: a visit saved on
        one of her cases left the other case's page naming the old weeks, or a difference since
        settled)."""
        # what made this reload (a dialog of this window: its own save), for the dialogs that
        # follow the case (``reloaded_by``: the visit dialog's medicine list, medfix2 H-UI-503)
        self.reloaded_by = _initiator
        try:
            if changes.settings:
                self._reload_if_present()
            elif not (changes.worklist or changes.assessments or changes.case is not None):
                return
            elif self.case_id in changes.case_ids or self._same_persons_case_changed(changes):
                self.load(self.case_id)
        finally:
            self.reloaded_by = None

    def _same_persons_case_changed(self, changes) -> bool:
        """Whether the announcement names another case of this page's person
        (``domain.identity.same_person``). A change made here carries its case; one made
        elsewhere (another workstation, a command) carries only IDs, looked up among the
        person's stored cases (one read by the indexed patient key)."""
        from radiculopathy_desktop.domain.identity import same_person

        shown = self.case
        ids = set(changes.case_ids) - {self.case_id}
        if shown is None or not ids:
            return False
        if changes.case is not None and changes.case.case_id in ids:
            return same_person(changes.case.patient, shown.patient)
        if ids & self._persons_case_ids:
            return True
        try:  # a case of hers new since this page was loaded (an intake saved elsewhere)
            return bool(ids & {c.case_id for c in self.context.store.patient_cases(shown.patient.id)})
        except Exception as exc:  # not read: this page stays as it is until its next reload
            log.warning("patient cases could not be read: %s", getattr(exc, "kind", None) or type(exc).__name__)
            return False

    def open(self, case_id: str) -> bool:
        """Show a patient the clinician chose to open, and record that they viewed it."""
        if not self.load(case_id):
            return False
        self.record_view()
        return True

    def record_view(self, after: str | None = None) -> None:
        """One ``case_viewed`` entry for the person now using the app (not for refreshes)."""
        if self.case is None or self.case.case_id != self.case_id:
            return
        user = self.context.user
        case_id = self.case_id
        try:
            self.context.ops.run(lambda store: store.record_audit(
                user, "case_viewed", case_id, {"after": after} if after else None), errors="raise")
        except Exception as exc:  # viewing goes on; the failure is logged without identifiers
            log.warning("a case view could not be audited: %s", type(exc).__name__)
            return
        self.viewed = (self.case_id, user)
        self.history.changed()

    def user_changed(self, after: str = "unlock") -> None:
        """Another person is now at the screen (``after`` "unlock" or "switch user"): if they
        can see this case, that is a view."""
        if self.case is not None and self.viewed != (self.case_id, self.context.user):
            self.record_view(after=after)

    def load(self, case_id: str) -> bool:
        another = case_id != self.case_id
        if another:
            self.case = None
            # another case opens at its top, the step details folded: the previous case's scroll
            # position hid the red-flag triage (GP tryout 31 D12; dialog31, H-UI-515)
            self.pathway.details_open = False
        self.case_id = case_id
        try:
            self.case = case = self.context.store.get_case(case_id)
            settings = self.context.review_settings()
        except Exception as exc:
            show_error(self, exc)
            return False
        self.history.show_case(case_id)
        today = self.context.today()
        p = case.patient
        age = p.age_on(today)
        self.title.setText(f"<h2>{e(p.name or '(no name recorded)')}</h2>"
                           f"Patient ID {e(visible_id(p.id))} · case {e(visible_id(case.case_id))} · "
                           f"{'' if age is None else f'{age} years · '}{e(p.sex)} · {e(case.intake.side)} leg"
                           + _pregnancy_words(case, today))
        self.setAccessibleName(f"Patient {visible(p.name or p.id)}")
        from radiculopathy_desktop.domain.followup import surgical_review
        review = surgical_review(case, today, settings)
        bg, fg = style.status_colours(review.status)
        from radiculopathy_desktop.domain.visits import baseline_rerecorded_words
        rerecorded = baseline_rerecorded_words(case)  # rt21 F5: the scores Progress is judged from
        self.status.setText(f'<span style="background-color:{bg.name()}; color:{fg.name()}; font-weight:bold;">'
                            f"&nbsp;{e(review.status.label)}&nbsp;</span> {e(review.reason)}"
                            + (f"<br>{e(rerecorded)}" if rerecorded else ""))
        self.timeline.show_case(case, settings, today)
        self._show_pregnancy_differs(case)
        try:
            from radiculopathy_desktop.domain.assess import assess_case
            assessment = assess_case(case, today, profile=self.context.profile(), settings=settings).to_dict()
            self.pathway.show_assessment(assessment, case)
            self._show_medicine_alerts(assessment.get("medicine_alerts") or [],
                                       (assessment.get("medications") or {}).get("unrecognised_detail") or [])
        except Exception as exc:  # the engine failing must not hide the rest of the patient
            self._show_medicine_alerts([])
            self.pathway.show_problem(f"The stepped-care assessment could not be made ({type(exc).__name__}: {exc}).")
        self.safety_area.fit()  # measured now, not only at the next layout pass
        if another:
            from PySide6.QtWidgets import QAbstractScrollArea
            for area in (self.pathway, self.safety_area, *self.timeline.findChildren(QAbstractScrollArea),
                         self.timeline):
                if isinstance(area, QAbstractScrollArea):
                    area.verticalScrollBar().setValue(0)
        self.case_reloaded.emit(case)
        return True

    def _show_pregnancy_differs(self, case) -> None:
        """Name each other case of the patient whose pregnancy answer contradicts this one's, its
        weeks, and the medicine alerts this case's medicines would carry at those weeks
        (``domain.episodes.pregnancy_differs``: gp18 F1, the "not pregnant" case read as safe);
        hidden when none does or they cannot be read."""
        from radiculopathy_desktop.domain.episodes import pregnancy_differs

        try:
            try:
                profile = self.context.profile()
            except Exception:  # noqa: BLE001 - the contradiction is named without the alerts
                profile = None
            others = self.context.store.patient_cases(case.patient.id, exclude=case.case_id)
            self._persons_case_ids = frozenset(c.case_id for c in others)
            found = pregnancy_differs(case, others, self.context.today(), profile)
        except Exception as exc:  # the rest of the page is shown; nothing of the patient logged
            log.warning("patient cases could not be read: %s", getattr(exc, "kind", None) or type(exc).__name__)
            found = None
        self.pregnancy_differs_found = found
        self.pregnancy_differs.setText("" if found is None else "\n".join("⚠ " + line for line in found.text().split("\n")))
        self.pregnancy_differs.setVisible(found is not None)

    def _show_medicine_alerts(self, alerts: list[dict], unrecognised=()) -> None:
        """The assessment's medicine alerts, and the medicines it could not recognise, as a
        banner (laid out there, never recomputed)."""
        self.medicine_alert_banner.show_alerts(alerts, unrecognised)

    def add_visit(self, carried=None):
        if self.case is not None:
            dialog = dialogs.open_visit_dialog(self, self.context, self.case, carried)
            self.case_reloaded.connect(dialog.case_refreshed)  # its medicine list follows the case (gp26)
            return dialog

    def record_decision(self):
        if self.case is not None:
            dialog = dialogs.open_decision_dialog(self, self.context, self.case)
            self.case_reloaded.connect(dialog.case_refreshed)  # its red-flag question follows the case
            return dialog

    def edit_medicines(self):
        if self.case is not None:
            from radiculopathy_desktop.ui.medicines_dialog import open_medicines_dialog
            dialog = open_medicines_dialog(self, self.context, self.case)
            self.case_reloaded.connect(dialog.case_refreshed)  # a list changed elsewhere is said at once
            dialog.saved.connect(lambda _id: self.history.changed())
            return dialog

    def edit_conditions(self):
        if self.case is not None:
            from radiculopathy_desktop.ui.conditions_dialog import open_conditions_dialog
            dialog = open_conditions_dialog(self, self.context, self.case)
            self.case_reloaded.connect(dialog.case_refreshed)  # conditions changed elsewhere are said at once
            dialog.saved.connect(lambda _id: self.history.changed())
            return dialog

    # -- printing and exports (the files are written by reports/, atomically)
    def print_handout(self):
        if self.case is not None:
            from radiculopathy_desktop.ui import exports
            dialog = exports.open_handout_dialog(self, self.context, self.case)
            self.case_reloaded.connect(dialog.case_refreshed)  # its sheets follow the standing red flags
            # after the dialog's own slots (which print and audit): show the new entry
            for button in (getattr(dialog, "print_button", None), getattr(dialog, "pdf_button", None)):
                if button is not None:
                    button.clicked.connect(self.history.changed)
            return dialog

    def export_summary(self):
        if self.case is not None:
            from radiculopathy_desktop.ui import exports
            result = exports.export_summary_pdf(self, self.context, self.case)
            self.history.changed()
            return result

    def export_fhir(self):
        if self.case is not None:
            from radiculopathy_desktop.ui import exports
            result = exports.export_fhir(self, self.context, self.case)
            self.history.changed()
            return result


def _pregnancy_words(case, today) -> str:
    """The title's pregnancy part (HTML): the weeks on ``today`` (the weeks recorded at the intake,
    or at the latest visit recording a pregnancy, moved on), the question past a pregnancy's
    plausible end, "not pregnant" as answered (at the intake or a visit), or nothing."""
    status = case.pregnancy_status(today)
    if status.on_date is not None:
        return f" · <b>{e(status.on_date.words)}</b>"
    if status.answer == "no" and not status.at_visit:
        return f" · not pregnant (answered at the intake, {e(case.intake.visit_date.isoformat())})"
    if status.answer == "no":
        ended = f", ended {status.ended_on.isoformat()}" if status.ended_on else ""
        return f" · no longer pregnant (recorded at the visit of {e(status.recorded_on.isoformat())}{e(ended)})"
    return ""
