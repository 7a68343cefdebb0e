"""The carried-intake visit form lists only what it holds, follows its date, and names no
internal field (gp20 F8).

gp20: "The header says the pregnancy answer 'not pregnant' is carried. The form (male patient)
has no pregnancy field, and Save says 'Nothing is recorded for this visit: record at least ... a
pregnancy answer...'. The header keeps saying 'visit date 2026-11-25 (the intake's)' after the
date was changed to 2026-12-01. The visit-date refusal reads 'Date is before visit_date
(2026-11-25 < 2026-12-01)', an internal field name." What a GP expects: "the header lists only
what the form holds, and the error says 'before the intake (2026-12-01)'."
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.ui import dialogs
from radiculopathy_desktop.ui.forms import _plain

from .conftest import NO_FLAGS, TODAY, case_dict
from .keyboard import focus, type_here

INTAKE_DAY = TODAY - dt.timedelta(days=6)


def _man(context):
    data = case_dict("P-MAN", "Gordon Green", 6, red_flags=NO_FLAGS)
    data["patient"]["sex"] = "male"
    context.store.import_cases([parse_case(data)], user="test")
    return context.store.get_case("P-MAN-case")


def _carry_into(window, qtbot, context, case, *, pregnant=False, sex="female"):
    """The intake as typed (a woman's "not pregnant", or 20 weeks) carried into a visit on ``case``
    by the wizard's own :meth:`visit_carry`, and the visit dialog it opens."""
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    wiz = window.views["intake"]
    data = case_dict(case.patient.id, "Gina Grey", 0, red_flags=NO_FLAGS)
    for key in ("case_id", "visits", "decisions"):
        data.pop(key)
    data["patient"]["sex"] = sex
    data["patient"]["pregnant"] = pregnant
    if pregnant:
        data["patient"]["pregnancy_weeks"] = 20
    data["visit_date"] = data["care_start_date"] = TODAY.isoformat()
    data.pop("pain")
    data.pop("function")
    wiz.load(data)
    carry = wiz.visit_carry(case)
    dialog = dialogs.open_visit_dialog(window, context, case, carry)
    qtbot.waitUntil(dialog.isVisible)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return carry, dialog


def test_a_mans_form_does_not_list_a_pregnancy_answer_it_has_no_field_for(window, qtbot, context):
    case = _man(context)
    carry, dialog = _carry_into(window, qtbot, context, case)
    assert "not pregnant" in carry.said and "pregnancy" in carry.said_for  # the intake held it
    assert not dialog.pregnancy_offered and not dialog.pregnancy.isVisibleTo(dialog)
    said = dialog.carried_label.text()
    carried_line = said.splitlines()[0]
    assert carried_line.startswith("From the intake you were typing (not saved yet), carried into this visit: ")
    assert "pregnan" not in carried_line, carried_line
    assert f"visit date {TODAY.isoformat()} (the intake's)" in carried_line
    # named as not carried, with why, never silently dropped
    assert ("the pregnancy answer (not pregnant): this case's patient is not asked about pregnancy, so this form "
            "has no pregnancy question") in said
    dialog.reject()


def test_a_womans_form_still_lists_the_pregnancy_it_holds(window, qtbot, context):
    context.store.import_cases([parse_case(case_dict("P-WOM", "Wanda Woman", 6, red_flags=NO_FLAGS))], user="test")
    case = context.store.get_case("P-WOM-case")
    _carry, dialog = _carry_into(window, qtbot, context, case, pregnant=True)
    carried_line = dialog.carried_label.text().splitlines()[0]
    assert "pregnant, 20 weeks" in carried_line
    assert dialog.pregnancy_answer() == "pregnant" and dialog.pregnancy_weeks.text() == "20"
    assert "no pregnancy question" not in dialog.carried_label.text()
    dialog.reject()


def test_the_header_follows_the_date_typed_and_the_refusal_names_no_field(window, qtbot, context):
    case = _man(context)
    _carry, dialog = _carry_into(window, qtbot, context, case)
    assert focus() is dialog.date
    earlier = (INTAKE_DAY - dt.timedelta(days=2)).isoformat()
    type_here(qtbot, earlier)  # before the case's intake: refused
    qtbot.keyClick(focus(), Qt.Key_Tab)
    said = dialog.carried_label.text().splitlines()[0]
    assert f"visit date {earlier} (changed here from the intake's {TODAY.isoformat()})" in said, said
    assert f"{TODAY.isoformat()} (the intake's)" not in said
    dialog.leg.setFocus()
    type_here(qtbot, "5")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert dialog.isVisible()
    message = dialog.form.errors["visit.date"].text()
    assert f"before the intake's date ({INTAKE_DAY.isoformat()})" in message, message
    shown = message + " " + dialog.general_error.text()
    assert not re.search(r"\b(visit_date|onset_date|care_start_date)\b", shown), shown
    assert context.store.get_case("P-MAN-case").visits == ()  # nothing saved, nothing typed lost
    assert dialog.date.text() == earlier and dialog.leg.text() == "5"
    dialog.date.setFocus()
    type_here(qtbot, TODAY.isoformat())  # back to the intake's date: "(the intake's)" again
    qtbot.keyClick(focus(), Qt.Key_Tab)
    assert f"visit date {TODAY.isoformat()} (the intake's)" in dialog.carried_label.text()
    dialog.reject()


def test_no_internal_field_name_reaches_the_words_people_read():
    """The domain's messages, as the forms show them (``forms._plain``)."""
    cases = {
        ("visit.date", "visit.date is before visit_date, the intake's date (2026-11-25 < 2026-12-01): a visit comes "
                       "on or after the intake"):
            "This is before the intake's date (2026-12-01): a visit comes on or after the intake",
        ("visit_date", "visit_date is before onset_date (2026-11-25 < 2026-12-01)"):
            "This is before the onset date (2026-12-01)",
        ("care_start_date", "care_start_date is before onset_date (2026-01-02 < 2026-01-03)"):
            "This is before the onset date (2026-01-03)",
        ("visits[0].date", "visits[0].date is before visit_date, the intake's date (2026-11-25 < 2026-12-01): a "
                           "visit comes on or after the intake"):
            "This is before the intake's date (2026-12-01): a visit comes on or after the intake",
    }
    for (field, message), words in cases.items():
        assert _plain(message, field) == words
        assert _plain(message) .endswith(words[len("This "):])
