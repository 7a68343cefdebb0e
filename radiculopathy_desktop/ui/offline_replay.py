"""Saving, once the clinic server is back, the visits and decisions kept on this computer.

While the server cannot be reached, a visit or decision whose save failed is kept in the
workstation's data folder (:mod:`radiculopathy_desktop.ui.offline_drafts`). The window
then shows :class:`KeptWritesBar` above its sections: what is kept and, once the server
can be reached, the offer to save it. Nothing is saved without the user's confirmation:
:class:`KeptWritesDialog` lists every kept item in words (what, for whom as the stored case
names the patient, when typed and by whom as the kept file says) and saves the checked
ones, one operation each (:func:`replay`), recorded as the window's current user:

* each carries the write key made when it was typed, so it is stored once even when the
  connection drops in the middle (the server committed but the answer was lost; the next
  replay finds the key and saves nothing more) or the user saves twice (the dialog's Save
  and this offer);
* a case changed on the server since the item was typed is not added to silently: the
  item stays kept with who changed the case and when (the conflict path); the user opens
  the case to compare, then saves it as well or discards it;
* an item saved (or found saved, still on the case) leaves this computer; anything else
  stays kept. An item found saved before but no longer on the case (the case's records were
  replaced since, e.g. by ``import --replace-records``) is not reported saved: it stays kept,
  said in words, and the next Save adds it again under a new write key (the command line's
  rule since red-team rt6 F4);
* a kept file that cannot be read is listed by name and set aside (owner-only), and of two
  identical kept items the second starts unchecked (red-team rt8 F10);
* a kept decision that would re-open a closed case while the patient has another open case
  is refused by the store as the decision dialog's save is (rt16 F2): nothing saved, and the
  dialog asks the dialog's question in its words; only "Re-open as a new episode" saves it,
  beside the open cases shown, kept in the audit (ep17);
* a decision kept by the previous version has no ``typed_against`` (what it was typed
  against): on a case unchanged since it was typed, that is the case's records as they are;
  on a changed case it is not known, so it is taken as typed before every numbered record
  (``typed_against`` 0) and acknowledges no red flag reported at one, said when it is saved
  (ep17).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QDialog, QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMessageBox,
                               QPushButton, QVBoxLayout)

from radiculopathy_desktop.domain.characters import visible
from radiculopathy_desktop.storage.store import Changes
from radiculopathy_desktop.ui import offline_drafts

log = logging.getLogger("radiculopathy_desktop.ui")


@dataclass(frozen=True)
class Replayed:
    """What :func:`replay` did with one kept item."""

    # "saved", "already" (found saved, still on the case: nothing written), "replaced" (saved before,
    # no longer on the case: nothing written), "changed", "invalid", "missing"
    # "reopen": it would re-open a closed case beside the patient's open case (rt16 F2): nothing written
    outcome: str
    message: str = ""
    changes: Changes = dataclasses.field(default_factory=Changes)
    open_cases: tuple = ()  # "reopen": the patient's open cases named by the store
    question: tuple = ()  # "reopen": the decision dialog's (title, text, informative text)

    @property
    def done(self) -> bool:
        """The item is on the server (saved now or before): its local copy may go."""
        return self.outcome in ("saved", "already")


#: Audit actions that change a case's record (red-team rt8 F7): views, prints, exports,
#: listings and lock events change nothing and never name who "changed" a case.
CHANGE_ACTIONS = {
    "visit_added": "added a visit",
    "decision_recorded": "recorded a decision",
    "medicines_changed": "corrected the current medicines",
    "conditions_changed": "corrected the conditions",
    "case_updated": "updated the case by an import",
    "case_added": "added the case",
    "import": "imported the case",
}

#: How many of a case's newest audit entries are read to find its newest change.
_AUDIT_LOOKBACK = 500


def _moment(iso: str) -> dt.datetime | None:
    """An ISO time as an aware UTC datetime (a time without a zone is UTC, as stored)."""
    try:
        moment = dt.datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def newest_change(store, case_id: str):
    """The newest audit entry of ``case_id`` that changed its record (a visit, a decision, an
    import or update: :data:`CHANGE_ACTIONS`), or None; views and prints are passed over."""
    try:
        entries = store.audit(case_id, limit=_AUDIT_LOOKBACK, newest_first=True)
    except Exception:  # noqa: BLE001 - the words are a courtesy; the item stays kept either way
        return None
    return next((e for e in entries if e.action in CHANGE_ACTIONS), None)


def _on(write: offline_drafts.KeptWrite) -> str:
    """Where the item is saved, in words: " on the server" for one kept because the clinic server
    could not be reached; nothing for one typed and not saved (on a local file as on a server)."""
    return " on the server" if write.why == offline_drafts.UNREACHABLE else ""


def offered(context) -> list[offline_drafts.KeptWrite]:
    """The kept items to offer: all but the copy a visit or decision dialog still open keeps while
    it is typed (saved from that dialog; offered once the dialog is gone without saving it)."""
    live = context.extra.get("live_write_keys") or set()
    return [w for w in offline_drafts.kept_writes(context.data_dir)
            if not (w.why == offline_drafts.UNSAVED and w.key in live)]


def _changed_words(store, write: offline_drafts.KeptWrite) -> str:
    """Why a kept item was not saved: its case is not as it was shown when it was typed.

    Names the newest *change* of the case (never a view, print or export) and says "after
    this visit was typed" only when that change was recorded after ``typed_at``."""
    what = "visit" if write.kind == "visit" else "decision"
    keep = (f"Nothing was saved, and your {what} is still kept: open the case to compare, then save it as well, "
            "or discard it.")
    entry = newest_change(store, write.case_id)
    if entry is None:
        return f"Case {write.case_id} is no longer as it was shown when this {what} was typed. {keep}"
    role = getattr(entry, "role", "") or ""
    who = f"{entry.user}" + (f" (login {role})" if role and role != entry.user else "")
    at, typed = _moment(entry.at), _moment(write.typed_at)
    when = f" at {at:%H:%M} UTC on {at:%Y-%m-%d}" if at is not None else ""
    did = CHANGE_ACTIONS[entry.action]
    if at is not None and typed is not None and at > typed:
        return (f"Case {write.case_id} was changed{_on(write)} by {who} ({did}){when}, after this {what} was "
                f"typed. {keep}")
    return (f"Case {write.case_id} is no longer as it was shown when this {what} was typed (the newest change "
            f"recorded: {who} {did}{when}). {keep}")


def replaced_words(kind: str, on: str = " on the server") -> str:
    """Why a kept item found saved before is not reported saved: its record was removed since."""
    what = "visit" if kind == "visit" else "decision"
    return (f"This {what} was saved{on} before, but the case's visits and decisions were replaced since "
            f"(for example by an import with --replace-records), so it is not on the case now. Nothing was saved, "
            f"and it is still kept: save it again to add it as a new {what}, or discard it.")


def rekeyed(data_dir, write: offline_drafts.KeptWrite) -> offline_drafts.KeptWrite:
    """``write`` kept under a new write key (its old key's record was replaced on the server):
    saved again, it is a new record, not "the one saved with that key"."""
    fresh = dataclasses.replace(write, key=offline_drafts.new_write_key())
    if offline_drafts.keep_write(data_dir, fresh):
        offline_drafts.discard_write(data_dir, write.key)
    return fresh


def replay(store, write: offline_drafts.KeptWrite, today: dt.date, *, changed_ok: bool = False,
           user: str | None = None, new_episode: frozenset = frozenset()) -> Replayed:
    """Save one kept item (runs in the operation runner's worker: no widget here).

    ``changed_ok``: the user was told the case changed and chose to save it as well.
    ``new_episode``: the ids of the open cases the user was shown when choosing to re-open
    the closed case as a new episode (a case opened since is asked about again).
    ``user``: who saves it, recorded as its author (the window's current user). The kept
    file's own ``user`` is not trusted (anyone who can write the data folder can change it,
    red-team rt8 F10); it is used only when no user is given."""
    from radiculopathy_desktop.domain.intake import ValidationError, parse_decision, parse_visit
    from radiculopathy_desktop.storage.store import CaseNotFound

    on = _on(write)
    missing = f"Case {write.case_id} is not {'on the server' if on else 'stored'}: nothing was saved; it stays kept."
    if write.kind in offline_drafts.CORRECTIONS:
        return _replay_correction(store, write, changed_ok=changed_ok, user=user or write.user, missing=missing)
    try:
        state = store.keyed_record_state(write.case_id, write.key)
    except CaseNotFound:
        return Replayed("missing", missing)
    if state == "on_case":
        return Replayed("already", f"It was already saved{on}; it was not saved again.")
    if state == "replaced":  # the audit trail has the key, the case no longer has the record (rt6 F4)
        return Replayed("replaced", replaced_words(write.kind, on))
    try:
        case = store.get_case(write.case_id)
    except CaseNotFound:
        return Replayed("missing", missing)
    if not changed_ok and offline_drafts.case_digest(case) != write.based_on:
        return Replayed("changed", _changed_words(store, write))
    data, typed_unknown = write.data, False
    if write.kind == "decision" and "typed_against" not in data:
        # kept by the previous version, which did not record what the decision was typed
        # against: the case's records as they are when unchanged since; else not known, so
        # before every numbered record (it acknowledges no red flag reported at one)
        from radiculopathy_desktop.domain.intake import last_entry

        typed_unknown = offline_drafts.case_digest(case) != write.based_on
        data = {**data, "typed_against": 0 if typed_unknown else last_entry(case)}
    parse = parse_visit if write.kind == "visit" else parse_decision
    try:
        item = parse(data, case, today=today)
    except ValidationError as exc:
        return Replayed("invalid", "It cannot be added to the case as it is now ("
                        + "; ".join(e.message for e in exc.errors)
                        + "). Nothing was saved; open the case and type it again, then discard this copy.")
    author = user or write.user
    if write.kind == "visit":
        # the kept file's typist, when another user saves it (ui19), kept in the audit entry beside them
        changes = store.add_visit(write.case_id, item, user=author, write_key=write.key, typed_as=write.user)
    else:
        from radiculopathy_desktop.domain.visits import unanswered_to_confirm

        # the dialog asked before keeping a decision that closes over unanswered cauda equina
        # questions (rt13 F3): the audit names those it closes over on the case as it is now
        from radiculopathy_desktop.domain.episodes import ReopenRefused

        try:
            changes = store.record_decision(write.case_id, item, user=author,
                                            acknowledged_red_flags=write.acknowledged, write_key=write.key,
                                            unanswered_confirmed=unanswered_to_confirm(case, item.kind, item.date),
                                            # one open case per patient, as the dialog's save (rt16 F2)
                                            open_case_as_of=today, new_episode=new_episode or False,
                                            typed_as=write.user)
        except ReopenRefused as exc:
            from radiculopathy_desktop.ui.dialogs import reopen_question

            found = exc.open_cases
            question = reopen_question(item.kind, case.case_id, case.patient.id, found)
            return Replayed("reopen", f"{question[1]} {question[2]} Nothing was saved; it stays kept.",
                            open_cases=found, question=question)
        unseen = unseen_words(changes.case, today, typed_unknown=typed_unknown)
        if unseen:
            return Replayed("saved", unseen, changes=changes)
    return Replayed("saved", changes=changes)


def _replay_correction(store, write: offline_drafts.KeptWrite, *, changed_ok: bool, user: str,
                       missing: str) -> Replayed:
    """Save a kept Edit medicines / Edit conditions (medfix2, H-DATA-904): as the dialog's Save,
    refused ("changed") when the case's medicines or conditions are no longer those the dialog
    was shown (another workstation corrected them meanwhile); saved over them only once the user
    was told and chose to save it as well (``changed_ok``: the dialog's second Save). "already"
    when the case holds what was typed (saved before, the answer lost with the connection)."""
    from radiculopathy_desktop.domain import conditions_edit, medicine_edit
    from radiculopathy_desktop.domain.intake import Medicine, ValidationError
    from radiculopathy_desktop.storage.store import CaseNotFound

    data = write.data
    what = "medicine list" if write.kind == "medicines" else "change of conditions"
    keep = f"Nothing was saved, and your {what} is still kept: open the case to compare, then save it as well, " \
           "or discard it."
    try:
        case = store.get_case(write.case_id)
        if write.kind == "medicines":
            def meds(key):
                return tuple(Medicine(str(m.get("name", "")), m.get("daily_dose_mg"))
                             for m in data.get(key) or () if isinstance(m, dict))
            typed = meds("medicines")
            if tuple(case.intake.medicines) == typed:
                return Replayed("already", "The case already holds this medicine list; it was not saved again.")
            shown = tuple(case.intake.medicines) if changed_ok else meds("shown")
            changes = store.set_medicines(write.case_id, typed, user, shown=shown)
        else:
            typed = dict(data.get("conditions") or {})
            if conditions_edit.with_conditions(case, typed).intake.conditions == case.intake.conditions:
                return Replayed("already", "The case already holds these conditions; they were not saved again.")
            shown = case if changed_ok else dict(data.get("shown") or {})
            changes = store.set_conditions(write.case_id, typed, user, shown=shown)
    except CaseNotFound:
        return Replayed("missing", missing)
    except (medicine_edit.MedicinesChangedMeanwhile, conditions_edit.ConditionsChangedMeanwhile):
        return Replayed("changed", f"Case {write.case_id}'s {'medicines' if write.kind == 'medicines' else 'conditions'}"
                        f" were changed{_on(write)} since this {what} was typed. {keep}")
    except ValidationError as exc:
        return Replayed("invalid", "It cannot be saved on the case as it is now ("
                        + "; ".join(e.message for e in exc.errors)
                        + "). Nothing was saved; open the case and type it again, then discard this copy.")
    return Replayed("saved", changes=changes)


def unseen_words(case, today: dt.date, typed_unknown: bool = False) -> str:
    """When the decision just saved on ``case`` (the one entered last, typed while the server
    could not be reached) leaves the case Immediate because of a red flag reported at a visit
    entered after it was typed (red-team rt14 F8): what the clinician has not seen, in words;
    "" otherwise. ``typed_unknown``: kept by the previous version on a case changed since, so
    when it was typed is not known (taken as before every numbered visit): said so."""
    from radiculopathy_desktop.domain.followup import red_flag_labels, unseen_reports

    if case is None:
        return ""
    decision = max((d for d in case.decisions if d.entry is not None), key=lambda d: d.entry, default=None)
    if decision is None:
        return ""
    reports = unseen_reports(case, decision, today)
    if not reports:
        return ""
    seen = "; ".join(f"at the visit of {visit.date.isoformat()}"
                     + (f" (clinician {visible(visit.clinician)})" if visit.clinician else "")
                     + ": " + ", ".join(red_flag_labels(flags)) for visit, flags in reports)
    if typed_unknown:
        return (f"Saved, but case {case.case_id} stays Immediate: this decision was kept by an earlier version of "
                "the app, which did not record which visits you had seen when you typed it, and the case has changed "
                f"since; so it does not acknowledge a red flag reported at a visit recorded on the case ({seen}). "
                "Open the case, check the red flag, then record a new decision.")
    return (f"Saved, but case {case.case_id} stays Immediate: a red flag was reported after this decision was "
            f"typed, which you have not seen ({seen}). Your decision does not acknowledge it: open the case, act "
            "on the red flag, then record a new decision.")


def unreadable_words(unreadable: list) -> str:
    """The kept-write files set aside because they could not be read, in words (bar)."""
    names = ", ".join(visible(name) for name, _why, _where in unreadable)
    if len(unreadable) == 1:
        return f"A kept item that cannot be read: {names}. It was set aside, not saved; see Review."
    return f"{len(unreadable)} kept items that cannot be read: {names}. They were set aside, not saved; see Review."


def unreadable_line(name: str, why: str, where) -> str:
    """One kept-write file that could not be read, for the dialog's list."""
    kept = f"set aside as {where}" if where is not None else "it could not be moved aside (it stays where it is)"
    return (f"A kept item that cannot be read: {visible(name)} ({why}). Nothing in it was saved; {kept}. "
            "If it held a visit, a decision, a medicine list or a change of conditions, type it again.")


def same_content(write: offline_drafts.KeptWrite) -> tuple:
    """What makes two kept items the same record: case, kind and what was typed."""
    import json
    return (write.case_id, write.kind, json.dumps(write.data, sort_keys=True, default=str))


def _local_time(iso: str) -> str:
    """When an item was typed, in this computer's time ("2026-03-02 09:15")."""
    try:
        return dt.datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return str(iso)


#: What each kind of kept item is called, one and many (path33: "1 visit or decision" named neither;
#: a kept Edit medicines / Edit conditions is a medicine list or a change of conditions, medfix2).
_KIND_WORDS = {"visit": ("visit", "visits"), "decision": ("decision", "decisions"),
               "medicines": ("medicine list", "medicine lists"),
               "conditions": ("change of conditions", "changes of conditions")}


def kept_count(writes) -> str:
    """The kept items in words, by what each is: "1 visit", "2 decisions", "1 visit and 1 decision",
    "1 visit, 1 decision and 1 medicine list" (path33); in the order of :data:`_KIND_WORDS`."""
    counts: dict[str, int] = {}
    for w in writes:
        counts[w.kind] = counts.get(w.kind, 0) + 1
    parts = [f"{n} {_KIND_WORDS.get(kind, (kind, kind + 's'))[n != 1]}"
             for kind, n in sorted(counts.items(), key=lambda kv: list(_KIND_WORDS).index(kv[0])
                                   if kv[0] in _KIND_WORDS else len(_KIND_WORDS))]
    if len(parts) <= 1:
        return parts[0] if parts else "0 items"
    return ", ".join(parts[:-1]) + " and " + parts[-1]


class KeptWritesBar(QFrame):
    """Above the window's sections: the visits and decisions kept on this computer, and the
    offer to save them once the clinic server can be reached (hidden when there are none)."""

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.reachable = True
        self.dialog: KeptWritesDialog | None = None
        self.setObjectName("keptWritesBar")
        self.setFrameShape(QFrame.StyledPanel)
        self.setAccessibleName("Visits and decisions kept on this computer")
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 4, 6, 4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.PlainText)
        row.addWidget(self.label, 1)
        self.review_button = QPushButton("Review and save…")
        self.review_button.setAccessibleName("Review and save what was kept on this computer")
        self.review_button.setAutoDefault(False)
        self.review_button.clicked.connect(self.review)
        row.addWidget(self.review_button)
        self.hide()
        context.extra["kept_writes_changed"] = self.refresh

    def kept(self) -> list[offline_drafts.KeptWrite]:
        return offered(self.context)

    def server_reachable(self, ok: bool) -> None:
        self.reachable = ok
        self.refresh()

    def unreadable(self) -> list:
        """Kept-write files that could not be read, set aside, not yet shown in the dialog."""
        return self.context.extra.setdefault("kept_writes_unreadable", [])

    def refresh(self) -> None:
        self.unreadable().extend(offline_drafts.set_aside_unreadable_writes(self.context.data_dir))
        kept = self.kept()
        unreadable = self.unreadable()
        if not kept and not unreadable:
            self.hide()
            return
        # each kept item named as what it is: a visit, a decision, a medicine list, a change of
        # conditions (medfix2; path33: "visit or decision" named neither)
        n = kept_count(kept)
        one = len(kept) == 1
        if not kept:
            self.label.setText(unreadable_words(unreadable))
        elif all(w.why == offline_drafts.UNSAVED for w in kept) and self.reachable:  # (a local file: always)
            named = "; ".join(visible(w.describe()) for w in kept[:3]) + ("; …" if len(kept) > 3 else "")
            self.label.setText(f"{n} typed and not saved {'is' if one else 'are'} kept on this computer ({named}): "
                               f"the window was locked or closed before {'it was' if one else 'they were'} saved. "
                               f"Review the list to save or discard {'it' if one else 'them'}.")
        elif self.reachable:
            self.label.setText(f"{n} typed while the clinic server could not be reached "
                               f"{'is' if len(kept) == 1 else 'are'} kept on this computer, not yet saved. "
                               "The server can be reached now: review the list and save.")
        else:
            self.label.setText(f"{n} kept on this computer, not yet saved: the clinic server cannot be reached. "
                               "You will be able to save when it is back.")
        if kept and unreadable:
            self.label.setText(self.label.text() + " " + unreadable_words(unreadable))
        self.review_button.setEnabled(self.reachable or not kept)
        self.label.setAccessibleDescription(self.label.text())
        self.show()

    def review(self) -> "KeptWritesDialog":
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        self.dialog = dialog = KeptWritesDialog(self.context, self.window())
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.destroyed.connect(self._dialog_gone)
        dialog.finished.connect(lambda _r: (self.unreadable().clear(), self.refresh()))  # seen in the dialog
        dialog.show()
        return dialog

    def _dialog_gone(self, *_args) -> None:
        self.dialog = None


class KeptWritesDialog(QDialog):
    """The list of what is kept on this computer, to save to the server (the user confirms)."""

    TITLE = "Save what was kept on this computer"
    replayed = Signal()

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.changed_seen: set[str] = set()  # keys whose case changed: the user was told, may save as well
        self.replaced_seen: set[str] = set()  # keys whose saved record was replaced: the next Save adds it anew
        # keys of decisions the user chose to save re-opening a closed case (rt16 F2): the open cases shown
        self.reopen_allowed: dict[str, frozenset] = {}
        self.reopen_box: QMessageBox | None = None  # the question, asked as the decision dialog asks it
        self.notes: dict[str, str] = {}
        self._names: dict[str, tuple[str | None, bool]] = {}  # case id -> the stored case's patient name
        # keys typed as someone other than the current user that this user chose to save under their
        # own name (gp17 F14): asked first (Save names who saves them), never silently
        self.author_confirmed: set[tuple[str, str]] = set()  # (key, the user who confirmed)
        self.setWindowTitle(self.TITLE)
        self.setAccessibleName(self.TITLE)
        layout = QVBoxLayout(self)
        whys = {w.why for w in offered(context)}
        # the server's words while anything kept waits for the server (or nothing is listed on a server)
        server = offline_drafts.UNREACHABLE in whys or (not whys and getattr(context.store, "path", "") is None)
        self.place = "on the server" if server else ""
        if not server:
            intro = QLabel("These visits and decisions were typed and not saved: the window was locked, or it closed "
                           "(a crash, a power cut, the computer shut down), before they were saved. They are kept on "
                           "this computer. Check them, then save the checked ones: each is saved once, even one "
                           "saved just before the window closed.")
        elif offline_drafts.UNSAVED in whys:
            intro = QLabel("These visits and decisions are kept on this computer, not saved yet: typed while the "
                           "clinic server could not be reached, or before the window was locked or closed (said under "
                           "each). Check them, then save the checked ones: each is saved once, even if the connection "
                           "drops again while saving.")
        else:
            intro = QLabel("These visits and decisions were typed while the clinic server could not be reached. They "
                           "are kept on this computer and are not on the server yet. Check them, then save the "
                           "checked ones: each is saved once, even if the connection drops again while saving.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setAccessibleName("Kept visits and decisions")
        self.list.setWordWrap(True)
        layout.addWidget(self.list, 1)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.PlainText)
        self.result.setAccessibleName("Result")
        layout.addWidget(self.result)
        row = QHBoxLayout()
        self.save_button = QPushButton("&Save the checked to the server" if self.place else "&Save the checked")
        self.save_button.setDefault(True)
        self.open_button = QPushButton("&Open the case")
        self.open_button.setAccessibleName("Open the selected item's case")
        self.discard_button = QPushButton("&Discard the checked…")
        self.close_button = QPushButton("Not &now")
        for button in (self.save_button, self.open_button, self.discard_button, self.close_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        layout.addLayout(row)
        self.save_button.clicked.connect(self.save_checked)
        self.open_button.clicked.connect(self.open_selected)
        self.discard_button.clicked.connect(self.discard_checked)
        self.close_button.clicked.connect(self.reject)
        self.confirm_box: QMessageBox | None = None
        self.fill()
        self.resize(self.fontMetrics().averageCharWidth() * 90, self.fontMetrics().height() * 22)

    # -- the list
    def _patient_name(self, case_id: str) -> tuple[str | None, bool]:
        """(the stored case's patient name or ID, True) or (None, False) when it cannot be read
        here (the item then shows the name its file holds, said so)."""
        if case_id not in self._names:
            try:
                case = self.context.store.get_case(case_id)
                self._names[case_id] = (case.patient.name or case.patient.id, True)
            except Exception:  # noqa: BLE001 - a missing case or a dropped server: the replay says which
                self._names[case_id] = (None, False)
        return self._names[case_id]

    def _text(self, write: offline_drafts.KeptWrite, twin: bool) -> str:
        name, known = self._patient_name(write.case_id)
        text = (f"{visible(write.describe(name) if known else write.describe())} — typed as {visible(write.user)} "
                f"(from the kept file) on {_local_time(write.typed_at)}; saved as {visible(self.context.user)}")
        if self._typed_by_another(write):
            text += (f"\n    Typed as someone else: saving records it under your name, {visible(self.context.user)}, "
                     "as the one who checked and saved it; Save asks first.")
        if not known:
            text += "\n    The patient's name above is the one in the kept file: the case could not be read to check it."
        elif write.patient and write.patient != name:
            text += (f"\n    The kept file names the patient {visible(write.patient)}, but case "
                     f"{visible(write.case_id)} is {visible(name)}'s: open the case and check it is the right "
                     "patient before saving.")
        if write.why == offline_drafts.UNSAVED:
            text += "\n    Typed and not saved: the window was locked or closed before it was saved."
        if twin:
            text += ("\n    The same as another kept item (same case, kind and content): left unchecked so it is "
                     "saved once; check it to save it as well, or discard it.")
        if write.key in self.notes:
            text += f"\n    Not saved: {self.notes[write.key]}"
        return text

    def fill(self) -> None:
        checked = {w.key for w in self.checked()} if self.writes() else None
        self.list.clear()
        self._names = {}
        bar_unreadable = self.context.extra.setdefault("kept_writes_unreadable", [])
        bar_unreadable.extend(offline_drafts.set_aside_unreadable_writes(self.context.data_dir))
        for name, why, where in bar_unreadable:
            item = QListWidgetItem(unreadable_line(name, why, where))
            item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)  # nothing to check: nothing to save
            self.list.addItem(item)
        seen: set = set()
        for write in offered(self.context):
            same = same_content(write)
            twin = same in seen
            seen.add(same)
            item = QListWidgetItem(self._text(write, twin))
            item.setData(Qt.UserRole, write)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            on = write.key in checked if checked is not None else not twin
            item.setCheckState(Qt.Checked if on else Qt.Unchecked)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        has = bool(self.writes())
        for button in (self.save_button, self.open_button, self.discard_button):
            button.setEnabled(has)

    def writes(self) -> list[offline_drafts.KeptWrite]:
        items = (self.list.item(i) for i in range(self.list.count()))
        return [item.data(Qt.UserRole) for item in items if item.data(Qt.UserRole) is not None]

    def checked(self) -> list[offline_drafts.KeptWrite]:
        items = (self.list.item(i) for i in range(self.list.count()))
        return [item.data(Qt.UserRole) for item in items
                if item.data(Qt.UserRole) is not None and item.checkState() == Qt.Checked]

    def _changed_elsewhere(self) -> None:
        kept_changed = self.context.extra.get("kept_writes_changed")
        if kept_changed is not None:
            kept_changed()

    # -- saving
    def _typed_by_another(self, write: offline_drafts.KeptWrite) -> bool:
        return write.user.strip() != self.context.user.strip()

    def save_checked(self) -> None:
        todo = self.checked()
        if not todo:
            self.result.setText("Nothing is checked: nothing was saved.")
            return
        # Typed as someone else (gp17 F14: "typed as root ... saved as GP", saved at once): asked first.
        # The record names the one saving it: the kept file's name is not proof of who typed it (anyone
        # who can write the data folder can change it, rt8 F10), so it is never recorded as the author;
        # the user now saving is, after reading that they are taking the record as theirs.
        others = [w for w in todo if self._typed_by_another(w) and (w.key, self.context.user) not in self.author_confirmed]
        if others:
            self.author_confirmed.update((w.key, self.context.user) for w in others)
            typists = ", ".join(sorted({visible(w.user) for w in others}))
            me = visible(self.context.user)
            self.result.setText(
                f"Not saved yet: {kept_count(others)} checked {'was' if len(others) == 1 else 'were'} typed as "
                f"{typists}, and you are {me}. Saved now, {'it is' if len(others) == 1 else 'they are'} recorded "
                f"under your name, {me}, as the one who checked and saved {'it' if len(others) == 1 else 'them'} "
                "(the kept file's name is not proof of who typed it). Read "
                f"{'it' if len(others) == 1 else 'them'}, then press “Save under my name” to save, or let "
                f"{typists} save {'it' if len(others) == 1 else 'them'} (Switch user, Ctrl+Shift+U).")
            self.result.setAccessibleDescription(self.result.text())
            self.save_button.setText(f"&Save under my name ({me})")
            return
        self._save(todo)

    def _save(self, todo: list[offline_drafts.KeptWrite]) -> None:
        from radiculopathy_desktop.ui import errors as ui_errors

        saved = already = 0
        to_ask: tuple[offline_drafts.KeptWrite, Replayed] | None = None  # the first re-opening refused
        stopped = None
        warnings: list[str] = []  # saved, but the case stays Immediate on a report not seen (rt14 F8)
        today = self.context.today()
        self.save_button.setEnabled(False)
        try:
            for write in todo:
                changed_ok = write.key in self.changed_seen
                if write.key in self.replaced_seen:  # the user was told; saved again under a new key
                    self.replaced_seen.discard(write.key)
                    note = self.notes.pop(write.key, None)
                    write = rekeyed(self.context.data_dir, write)
                    changed_ok = True  # the case changed: its records were replaced, as the user was told
                    if note is not None:
                        self.notes[write.key] = note
                outcome = self.context.ops.run(
                    lambda store, w=write, ok=changed_ok, who=self.context.user,
                    beside=self.reopen_allowed.get(write.key, frozenset()): replay(
                        store, w, today, changed_ok=ok, user=who, new_episode=beside),
                    parent=self, initiator=self, errors="quiet", changes=lambda r: r.changes)
                if not outcome.ok:
                    stopped = outcome.error
                    break
                result: Replayed = outcome.value
                if result.done:
                    offline_drafts.discard_write(self.context.data_dir, write.key)
                    self.notes.pop(write.key, None)
                    self.reopen_allowed.pop(write.key, None)
                    saved += result.outcome == "saved"
                    already += result.outcome == "already"
                    if result.outcome == "saved" and result.message:
                        warnings.append(f"{write.describe()}: {result.message}")
                    for twin in self.writes():  # an identical item left unchecked: said, still kept
                        if twin.key != write.key and twin not in todo and same_content(twin) == same_content(write):
                            self.notes[twin.key] = ("an identical item was saved, so this one was not saved again. "
                                                    "Discard it, or check it to save it as well.")
                    continue
                self.notes[write.key] = result.message
                if result.outcome == "changed":
                    self.changed_seen.add(write.key)
                elif result.outcome == "replaced":
                    self.replaced_seen.add(write.key)
                elif result.outcome == "reopen":
                    self.reopen_allowed.pop(write.key, None)  # a case opened since: asked again
                    if to_ask is None:
                        to_ask = (write, result)
        finally:
            self.save_button.setText("&Save the checked to the server" if self.place else "&Save the checked")
            self.fill()
            self._changed_elsewhere()
        left = self.list.count()
        parts = [f"Saved to the server: {saved}." if self.place else f"Saved: {saved}."]
        if already:
            parts.append(f"Already on the server, not saved again: {already}." if self.place
                         else f"Already saved, not saved again: {already}.")
        if stopped is not None:
            if getattr(stopped, "kind", None) == "unreachable":
                parts.append("The clinic server could not be reached again: what is not saved stays kept here; "
                             "save it when the server is back.")
            else:
                ui_errors.show_error(self, stopped, kept_input=True)
                parts.append("Saving stopped at an error; what is not saved stays kept here.")
        elif left:
            parts.append(f"Still kept on this computer: {left} (the reason is under each).")
        parts.extend(warnings)
        self.result.setText(" ".join(parts))
        self.result.setAccessibleDescription(self.result.text())
        self.replayed.emit()
        if to_ask is not None and stopped is None:
            self._ask_reopen(*to_ask)
        elif not left and stopped is None and not warnings:
            self.accept()  # a red flag not seen is said here, and the dialog stays open until read

    def _ask_reopen(self, write: offline_drafts.KeptWrite, result: Replayed) -> None:
        """The decision dialog's question (rt16 F2), in its words, for a kept decision the store
        refused because it re-opens a closed case beside the patient's open case: Go back (the
        default, Esc) keeps it; "Re-open as a new episode" saves it now, beside the cases named."""
        from radiculopathy_desktop.ui.dialogs import REOPEN_BUTTON, ask_before_saving

        title, text, informative = result.question
        box, reopen = ask_before_saving(self, title, text, informative, REOPEN_BUTTON)
        ids = frozenset(o.case_id for o in result.open_cases)

        def answered(button):
            self.reopen_box = None
            if button is reopen:
                self.reopen_allowed[write.key] = ids
                self._save([write])

        box.buttonClicked.connect(answered)
        self.reopen_box = box
        box.open()

    # -- comparing and discarding
    def open_selected(self) -> None:
        item = self.list.currentItem()
        if item is None or item.data(Qt.UserRole) is None:
            return
        self.context.hub.open_case.emit(item.data(Qt.UserRole).case_id)

    def discard_checked(self) -> None:
        todo = self.checked()
        if not todo:
            self.result.setText("Nothing is checked: nothing was discarded.")
            return
        box = QMessageBox(QMessageBox.Warning, "Discard kept items", "", QMessageBox.NoButton, self)
        box.setText(f"Discard these? They are not {'on the server' if self.place else 'saved'}, and they will be "
                    "gone from this computer too:\n\n"
                    + "\n".join(f"• {w.describe()}" for w in todo))
        discard = box.addButton("&Discard them", QMessageBox.DestructiveRole)
        back = box.addButton("&Keep them", QMessageBox.RejectRole)
        box.setDefaultButton(back)
        box.setEscapeButton(back)

        def answered(button):
            self.confirm_box = None
            if button is not discard:
                return
            for write in todo:
                offline_drafts.discard_write(self.context.data_dir, write.key)
                self.notes.pop(write.key, None)
            log.info("%d kept visits or decisions discarded by the user", len(todo))
            self.fill()
            self._changed_elsewhere()
            self.result.setText(f"Discarded: {len(todo)}.")

        box.buttonClicked.connect(answered)
        box.setAttribute(Qt.WA_DeleteOnClose)
        self.confirm_box = box
        box.open()
