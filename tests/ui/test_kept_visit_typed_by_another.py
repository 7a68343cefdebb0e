"""A kept visit typed by someone else is saved under the current user's name only after asking (gp17 F14).

gp17 F14: the kept-visit bar and list showed "Visit of 2026-11-30 (leg pain 3, back pain 2)" without
the note typed with it, and said "typed as root ... saved as GP": one Save and a different user saved
someone else's visit under their own name.

The decision for the audit trail: the record names the user who saves it, the identified person who
checked it and takes it as theirs. The kept file's "typed as" cannot be the author: anyone who can
write the data folder can change it (rt8 F10: the replay records the window's user, never the file's).
So, when the two differ, the first Save saves nothing and says so (who typed it, who would be recorded,
and how to let the typist save it instead), and the button becomes "Save under my name (X)"; a second
press saves. Driven by keys (Tab to Save, Space).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.ui import offline_drafts
from radiculopathy_desktop.ui.offline_replay import KeptWritesDialog

from .conftest import TODAY
from .keyboard import tab_until

CASE = "P-DUE-case"
NOTE = "Stopped naproxen, started walking 20 minutes a day; sleeping better since the weekend, and back at work"


def _keep(context, user):
    case = context.store.get_case(CASE)
    write = offline_drafts.KeptWrite(
        key=offline_drafts.new_write_key(), kind="visit", case_id=CASE,
        data={"date": (TODAY - dt.timedelta(days=1)).isoformat(), "leg_nrs": 3, "back_nrs": 2, "notes": NOTE},
        user=user, typed_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        based_on=offline_drafts.case_digest(case), patient=case.patient.name, why=offline_drafts.UNSAVED)
    assert offline_drafts.keep_write(context.data_dir, write)
    return write


def _dialog(qtbot, context):
    review = KeptWritesDialog(context)
    qtbot.addWidget(review)
    review.show()
    review.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is review)
    return review


def _alt_s(qtbot, review):
    """Save: Tab to the button, Space (as the reopen tests press it)."""
    tab_until(qtbot, lambda w: w is review.save_button)
    qtbot.keyClick(review.save_button, Qt.Key_Space)


def _visits(context):
    return [v for v in context.store.get_case(CASE).visits if v.notes == NOTE]


def test_the_list_quotes_the_note_and_says_it_was_typed_by_someone_else(qtbot, context):
    context.set_user("Dr Ben")
    _keep(context, "Dr Ann")
    review = _dialog(qtbot, context)
    line = review.list.item(0).text()
    assert "note “Stopped naproxen, started walking 20 minutes a day; sleeping better since the" in line
    assert "typed as Dr Ann" in line
    assert "Typed as someone else: saving records it under your name, Dr Ben" in line


def test_saving_another_users_visit_asks_first_then_saves_under_the_current_user(qtbot, context):
    context.set_user("Dr Ben")
    write = _keep(context, "Dr Ann")
    review = _dialog(qtbot, context)
    _alt_s(qtbot, review)
    said = review.result.text()
    assert said.startswith("Not saved yet: 1 visit checked was typed as Dr Ann, and you are Dr Ben.")  # path33: named
    assert "recorded under your name, Dr Ben" in said and "let Dr Ann save it (Switch user" in said
    assert review.save_button.text() == "&Save under my name (Dr Ben)"
    assert _visits(context) == [] and [w.key for w in offline_drafts.kept_writes(context.data_dir)] == [write.key]
    _alt_s(qtbot, review)  # asked, the user saves it as theirs
    assert len(_visits(context)) == 1 and offline_drafts.kept_writes(context.data_dir) == []
    [entry] = [e for e in context.store.audit(CASE) if e.action == "visit_added"]
    assert entry.user == "Dr Ben"


def test_the_typist_saving_their_own_visit_is_not_asked(qtbot, context):
    """Boundary: the same user (surrounding spaces aside): one Save saves, no question."""
    context.set_user("Dr Ann")
    _keep(context, " Dr Ann ")
    review = _dialog(qtbot, context)
    assert "Typed as someone else" not in review.list.item(0).text()
    _alt_s(qtbot, review)
    assert len(_visits(context)) == 1 and "Not saved yet" not in review.result.text()


def test_a_confirmation_belongs_to_the_user_who_gave_it(qtbot, context):
    """Asked as Dr Ben, then the user switches to Dr Cal: Dr Cal is asked again."""
    context.set_user("Dr Ben")
    _keep(context, "Dr Ann")
    review = _dialog(qtbot, context)
    _alt_s(qtbot, review)
    assert "you are Dr Ben" in review.result.text()
    context.set_user("Dr Cal")
    _alt_s(qtbot, review)
    assert _visits(context) == [] and "you are Dr Cal" in review.result.text()
    _alt_s(qtbot, review)
    assert len(_visits(context)) == 1
    assert [e.user for e in context.store.audit(CASE) if e.action == "visit_added"] == ["Dr Cal"]
