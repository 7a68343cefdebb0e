"""Settings: guideline profile, the review window and thresholds, clinic details, data and backups.

Review settings are validated by the domain (``ReviewSettings.updated``) and
saved by the store, which recomputes what depends on them; the worklist then
refreshes through the event hub. The "Data and backups" section
(:mod:`radiculopathy_desktop.ui.backups_view`) shows the data and backups folders and
the backups, and backs up, restores and undoes a restore; its "number of backups to
keep" is saved with the other settings.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import (QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
                               QScrollArea, QVBoxLayout, QWidget)

from radiculopathy_desktop.domain import citations
from radiculopathy_desktop.domain.clinic import ClinicSettings, ClinicSettingsError
from radiculopathy_desktop.domain.emergency import COUNTRIES, country_for
from radiculopathy_desktop.domain.settings import SettingsError, review_rule_sources
from radiculopathy_desktop.storage import backup_settings
from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.storage.db import StorageError
from radiculopathy_desktop.storage.engine_common import review_settings_problems
from radiculopathy_desktop.storage.store import Changes
from radiculopathy_desktop.ui.backups_view import BackupsView
from radiculopathy_desktop.ui.errors import show_error
from radiculopathy_desktop.ui.forms import ErrorLabel, FieldForm, NumberField, combo, set_combo, spin
from radiculopathy_desktop.ui.guideline_view import PROFILES
from radiculopathy_desktop.ui.operations import merge

log = logging.getLogger("radiculopathy_desktop.ui")

REVIEW_FIELDS = (
    ("window_start_day", "Review window opens (days of care)", 7, 365, "window"),
    ("window_end_day", "Review window closes (days of care)", 7, 730, "window"),
    ("upcoming_lead_days", "Show as upcoming this many days before", 0, 60, "upcoming"),
    ("resolved_leg_nrs_max", "Resolved when leg pain is at most (0-10)", 0, 10, "resolution"),
    ("resolved_odi_max", "…and ODI is at most (%)", 0, 100, "resolution"),
    ("resolved_rmdq_max", "…or RMDQ is at most (0-24)", 0, 24, "resolution"),
    ("improving_recheck_days", "Improving: re-confirm at a visit every (days)", 7, 84, "improving_status"),
    # The minimal important changes: the box takes the scale's own range (0 can be typed) and
    # the domain's check refuses a change of 0 in words beside the field.
    ("mcid_leg_nrs_points", "Important change in pain (NRS points, 1-10)", 0, 10, "improvement"),
    ("mcid_nrs_percent", "…or in pain (percent, 1-100)", 0, 100, "improvement"),
    ("mcid_odi_points", "Important change in ODI (points, 1-100)", 0, 100, "improvement"),
    ("mcid_rmdq_points", "Important change in RMDQ (points, 1-24)", 0, 24, "improvement"),
)


class SettingsView(QWidget):
    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        outer = QVBoxLayout(self)
        outer.addWidget(QLabel("<h2>Settings</h2>"))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        guide = QGroupBox("Guideline")
        gform = FieldForm(guide)
        self.profile = gform.add("Pr&ofile:", combo("Guideline profile", PROFILES, context.profile()))
        layout.addWidget(guide)

        review = QGroupBox("Surgical-review window and thresholds")
        self.form = FieldForm(review)
        self.fields = {}
        sources = review_rule_sources()
        for key, label, lo, hi, section in REVIEW_FIELDS:
            box = spin(label, lo, hi, optional=False, what=f"\u201c{label}\u201d")
            box.setToolTip(f"Default from: {citations.clinical_text(sources.get(section, ''))}")
            self.fields[key] = self.form.add(label + ":", box, key)
        self.defaults_note = QLabel()
        self.defaults_note.setWordWrap(True)
        self.form.addRow(self.defaults_note)
        self.stored_note = QLabel()
        self.stored_note.setWordWrap(True)
        self.stored_note.setAccessibleName("Stored settings not used")
        self.stored_note.setVisible(False)
        self.form.addRow(self.stored_note)
        layout.addWidget(review)

        clinic = QGroupBox("Clinic (printed on handouts)")
        cform = FieldForm(clinic)
        self.clinic_name = cform.add("Clinic &name:", QLineEdit(), "clinic_name")
        self.clinic_name.setAccessibleName("Clinic name")
        self.clinic_address = cform.add("Clinic &address:", QPlainTextEdit(), "clinic_address")
        self.clinic_address.setAccessibleName("Clinic address")
        self.clinic_address.setTabChangesFocus(True)
        self.clinic_address.setMaximumHeight(self.fontMetrics().height() * 5)
        self.country = cform.add("Clinic's countr&y:", combo("Clinic's country (sets the emergency number)",
                                                            {c.code: c.label for c in COUNTRIES.values()}),
                                 "clinic_country")
        self.country.setToolTip("The emergency number every handout and warning gives: United Kingdom 999 "
                                "(and NHS 111 for urgent advice), United States 911, European Union 112.")
        layout.addWidget(clinic)

        from radiculopathy_desktop.ui.server_view import ServerDataView, on_server
        # A clinic server has no file to copy or restore here: its section says what IT does instead.
        self.backups = ServerDataView(context) if on_server(context.store) else BackupsView(context)
        self.data_folder = self.backups.data_folder
        layout.addWidget(self.backups)
        from radiculopathy_desktop.ui.server_view import ServerConnectBox
        self.server_box = ServerConnectBox(context)  # which tracker, and how to connect (server.conf)
        layout.addWidget(self.server_box)
        layout.addStretch(1)

        buttons = QHBoxLayout()
        self.message = ErrorLabel()
        self.saved_label = QLabel()
        self.saved_label.setAccessibleName("Save result")
        self.unsaved_label = QLabel()  # "Not saved yet" while typed values wait for Save or Revert (rt8 F9)
        self.unsaved_label.setAccessibleName("Unsaved settings")
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.unsaved_label)
        buttons.addWidget(self.saved_label)
        self.revert_button = QPushButton("&Revert")
        self.revert_button.setAccessibleName("Revert settings changes")
        self.save_button = QPushButton("&Save settings")
        self.save_button.setAccessibleName("Save settings")
        self.save_button.setDefault(True)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.load)
        context.hub.store_replaced.connect(self.load)  # a restore: show the restored database's settings
        # settings changed elsewhere in the window (a save here reloads itself): show them,
        # unless the user is editing this form (their save writes only what they changed)
        context.hub.changed.connect(lambda changes, initiator: self.load()
                                    if changes.settings and initiator is not self and not self._edited() else None)
        self._loaded: tuple[dict, dict] = ({}, {})
        keep = getattr(self.backups, "keep", None)  # a clinic server's section has no number to keep
        for box in (*self.fields.values(), self.clinic_name, *((keep,) if keep is not None else ())):
            box.textChanged.connect(self._update_unsaved_mark)
        self.clinic_address.textChanged.connect(self._update_unsaved_mark)
        for box in (self.profile, self.country):
            box.currentIndexChanged.connect(self._update_unsaved_mark)
        self.load()

    def activated(self) -> None:
        if self.has_unsaved():  # coming back to the page: what was typed is kept until Save or Revert (rt8 F9)
            self._update_unsaved_mark()
            return
        self.load()

    # -- typed values are not lost without a question (red-team rt8 F9)
    def has_unsaved(self) -> bool:
        """Anything typed or chosen here that is not saved."""
        try:
            return self._edited() or self.backups.keep_changed()
        except Exception:  # noqa: BLE001 - the stored value cannot be read: the form's text still counts
            return self._edited()

    def _update_unsaved_mark(self, *_args) -> None:
        unsaved = self.has_unsaved()
        self.unsaved_label.setText(UNSAVED if unsaved else "")
        if unsaved:
            self.saved_label.clear()  # a "Saved ✓" from before no longer tells the whole story

    def save_draft_now(self) -> bool:
        """Settings are not kept as a draft (they are saved or reverted); never raises."""
        return False

    def confirm_leave(self) -> bool:
        """The window is closing with unsaved settings: save them, discard them, or stay (False)."""
        if not self.has_unsaved():
            return True
        choice = ask_unsaved_settings(self)
        if choice == "save":
            self.save()
            return not self.has_unsaved()  # refused (a value out of range): the window stays, the reason shown
        return choice == "discard"

    def load(self) -> None:
        try:
            s = self.context.review_settings()
            clinic = self.context.clinic()
            self.backups.load_keep()
        except Exception as exc:
            show_error(self, exc)
            return
        self.backups.refresh()
        for key, box in self.fields.items():
            box.setValue(getattr(s, key))
        set_combo(self.profile, clinic.profile)
        self.clinic_name.setText(clinic.name)
        self.clinic_address.setPlainText(clinic.address)
        set_combo(self.country, country_for(clinic.country, clinic.profile).code)
        self._loaded = self._form_values()  # what the form showed: a save writes only the fields changed since
        self.defaults_note.setText(f"Defaults: window days {s.window_start_day}-{s.window_end_day} "
                                   "(6-12 weeks); the sources are shown when you hover each field.")
        try:
            problems = review_settings_problems(self.context.store)
        except Exception as exc:  # noqa: BLE001 - the note is extra; the values above were read
            log.info("stored settings not re-checked: %s", type(exc).__name__)
            problems = ()
        # a stored value out of its range (an older version, a hand edit): shown, not hidden
        self.stored_note.setText(" ".join(settings_words(p.sentence(
            "the settings are saved on this page" if p.whole_row else "you save a value on this page"))
            for p in problems))
        self.stored_note.setVisible(bool(problems))
        self._stored_damaged = bool(problems)  # a save rewrites the review row even with no field changed
        self.form.clear_errors()
        self.message.show_message(None)
        self.saved_label.clear()
        self.unsaved_label.clear()

    def _form_values(self) -> tuple[dict, dict]:
        """The form's review values and clinic values, as the widgets hold them."""
        review = {key: box.value() for key, box in self.fields.items()}
        clinic = {"name": self.clinic_name.text(), "address": self.clinic_address.toPlainText(),
                  "country": self.country.currentData(), "profile": self.profile.currentData()}
        return review, clinic

    def _edited(self) -> bool:
        return self._form_values() != self._loaded

    def save(self) -> None:
        """Write only the fields the user changed since the form was loaded, onto the values
        stored NOW: a change made meanwhile by the CLI, IT or another workstation to another
        field is kept, not reverted to what this form happened to show."""
        self.form.clear_errors()
        self.message.show_message(None)
        # a number typed out of its range, or not a number, is named as typed: nothing is saved
        typed = [(box, box.problem()) for box in self.findChildren(NumberField) if box.problem()]
        if typed:
            for box, problem in typed:
                (box.error_label or self.message).show_message(problem)
            typed[0][0].setFocus()
            return
        values, clinic_values = self._form_values()
        loaded_review, loaded_clinic = self._loaded
        changed = {k: v for k, v in values.items() if loaded_review.get(k) != v}
        clinic_changed = {k: v for k, v in clinic_values.items() if loaded_clinic.get(k) != v}
        current = self.context.review_settings()
        try:
            current.updated(changed)  # the domain's check, before anything is written
        except SettingsError as exc:
            self._show_settings_error(str(exc))
            return
        try:
            # the domain's check, before anything is written; a changed name or address is new
            # input and refuses hidden characters (rt10 F8)
            ClinicSettings(**clinic_values).validated(new_input=False).updated(**clinic_changed)
        except ClinicSettingsError as exc:
            self._show_settings_error(str(exc))
            return
        keep = self.backups.keep.value() if self.backups.keep_changed() else None
        user = self.context.user
        repair = getattr(self, "_stored_damaged", False)

        def write(store):  # in the operation runner's worker: values only, no widget
            parts = []
            if changed or repair:  # a stored row that could not be used is replaced by what the form shows
                parts.append(store.set_settings(changed, user=user))
            if clinic_changed:
                parts.append(store.set_clinic_settings(store.clinic_settings().updated(**clinic_changed), user=user))
            if keep is not None:
                parts.append(backup_settings.set_backup_keep(store, keep, user=user))
            return merge(*parts, Changes(settings=True))

        try:
            self.context.ops.run(write, parent=self, initiator=self, errors="raise")
        except (SettingsError, ClinicSettingsError) as exc:
            self._show_settings_error(str(exc))
            return
        except UserError as exc:
            if isinstance(exc, StorageError):
                show_error(self, exc, kept_input=True)
            else:
                self.message.show_message(exc.message)
            return
        except Exception as exc:
            show_error(self, exc, kept_input=True)
            return
        self.load()  # what is stored now, including others' changes to the fields not edited here
        self.saved_label.setText("Saved ✓")

    def _show_settings_error(self, text: str) -> None:
        """Each problem beside its field, every setting named as the screen shows it."""
        labels = self.form.errors  # the clinic's problems are said above the page, as the review's others
        groups: list[list] = []  # [label or None, text]: a part not naming a field goes on the one before
        for part in text.split("; "):
            label = labels.get(part.split(" ", 1)[0])
            if label is None and groups:
                groups[-1][1] += "; " + part  # e.g. the rest of "clinic_name holds U+202E ...; U+200B ..." (rt10 F8)
            else:
                groups.append([label, part])
        for label, part in groups:
            (label or self.message).show_message(settings_words(part))


UNSAVED = "Not saved yet: Save settings keeps these changes, Revert drops them."


def ask_unsaved_settings(parent) -> str:
    """'save', 'discard' or 'cancel' for settings typed but not saved. Tests monkeypatch this."""
    from PySide6.QtWidgets import QMessageBox
    box = QMessageBox(QMessageBox.Question, "Save the settings changes?",
                      "Settings were changed on the Settings page but not saved.",
                      QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, parent)
    box.button(QMessageBox.Save).setText("&Save settings")
    box.button(QMessageBox.Discard).setText("&Discard changes")
    box.setDefaultButton(QMessageBox.Cancel)
    result = box.exec()
    return {QMessageBox.Save: "save", QMessageBox.Discard: "discard"}.get(result, "cancel")


def settings_words(text: str) -> str:
    """A settings message with every internal key replaced by its label on screen:
    "window_end_day must be on or after window_start_day" -> '"Review window closes (days of
    care)" must be on or after "Review window opens (days of care)"'."""
    import re
    labels = {k: label for k, label, *_ in REVIEW_FIELDS}
    labels["clinic_country"] = "Clinic's country"
    labels["clinic_name"] = "Clinic name"
    labels["clinic_address"] = "Clinic address"
    labels["guideline_profile"] = "Profile"
    out = re.sub(r"\b(" + "|".join(map(re.escape, sorted(labels, key=len, reverse=True))) + r")\b",
                 lambda m: f"\u201c{labels[m.group(1)]}\u201d", text)
    return out[:1].upper() + out[1:]
