"""A typed number is decided from the text as typed, never from a binary float (red-team rt9
F6, F10): "9.99999999999999999" is not a whole number and is not saved as leg pain 10;
"100.00000000000000001" is above an ODI of 100; a decimal with more digits than can be kept
is named; another script's digits (١١, ١, ３) are named "Numbers are written with the digits
0-9", as `settings set` names them. What is typed stays in the field; nothing is saved."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from radiculopathy_desktop.ui.forms import NumberField, dspin, spin

from .keyboard import focus
from .test_typed_numbers_kept import VALID, _type_into, _visit_dialog, _wizard


def _paste(qtbot, box, text):
    """Focus the field as Tab would and paste ``text`` (keys cannot type every script's digits)."""
    box.setFocus(Qt.TabFocusReason)
    box.selectAll()
    box.insert(text)
    QApplication.processEvents()


def _enter(qtbot, box, text):
    (_type_into if text.isascii() else _paste)(qtbot, box, text)


# ---------------------------------------------------------------------------- the field itself
@pytest.mark.parametrize("typed, value", [("0", 0), ("10", 10), ("10.0", 10), ("10.", 10), ("+7", 7), ("-0", 0),
                                          ("007", 7)])
def test_a_whole_number_typed_exactly_is_kept(qtbot, typed, value):
    box = spin("Leg pain, 0 to 10", 0, 10, what="Leg pain")
    qtbot.addWidget(box)
    box.setText(typed)
    assert box.problem() is None and box.value() == value and isinstance(box.value(), int)


@pytest.mark.parametrize("typed", ["9.99999999999999999", "10.00000000000000001", "0.00000000000000001",
                                   "9.5", "10.0000001"])
def test_a_whole_number_field_refuses_anything_not_exactly_whole(qtbot, typed):
    box = spin("Leg pain, 0 to 10", 0, 10, what="Leg pain")
    qtbot.addWidget(box)
    box.setText(typed)
    assert box.problem() == f"Leg pain is a whole number (0-10); {typed} is not possible"
    assert box.text() == typed


@pytest.mark.parametrize("typed", ["100.00000000000000001", "-0.00000000000000001"])
def test_a_decimal_just_past_its_range_is_refused(qtbot, typed):
    box = dspin("ODI, percent", 0, 100, 0, what="ODI", unit="%")
    qtbot.addWidget(box)
    box.setText(typed)
    assert box.problem() == f"ODI is 0-100 %; {typed} is not possible"


def test_a_decimal_with_more_digits_than_can_be_kept_is_named_not_rounded(qtbot):
    box = dspin("Weight in kilograms", 20, 350, 1, what="Weight", unit="kg")
    qtbot.addWidget(box)
    box.setText("70.12345678901234567")
    assert "has more digits than can be kept" in box.problem()
    for typed, value in (("70.25", 70.25), ("100", 100.0), ("20", 20.0), ("44.4", 44.4), ("350", 350.0)):
        box.setText(typed)
        assert box.problem() is None and box.value() == value


@pytest.mark.parametrize("typed", ["١١", "٣", "３", "١٫٥", "-٣"])
def test_another_scripts_digits_are_named_and_kept(qtbot, typed):
    box = spin("Leg pain, 0 to 10", 0, 10, what="Leg pain")
    qtbot.addWidget(box)
    box.setText(typed)
    problem = box.problem()
    assert problem is not None and box.value() is None and box.text() == typed
    if "٫" not in typed:  # the Arabic decimal separator is simply not a number here
        assert problem.startswith("Numbers are written with the digits 0-9") and f"“{typed}”" in problem


# ---------------------------------------------------------------------------- the intake and the visit dialog
@pytest.mark.parametrize("typed, words", [
    ("9.99999999999999999", "Leg pain is a whole number (0-10); 9.99999999999999999 is not possible"),
    ("10.00000000000000001", "Leg pain is a whole number (0-10); 10.00000000000000001 is not possible"),
    ("١", "Numbers are written with the digits 0-9"),
])
def test_the_intake_never_saves_leg_pain_rounded_from_what_was_typed(window, qtbot, context, typed, words):
    wiz = _wizard(window, qtbot, context)
    wiz._go("scores")
    scores = wiz.page("scores")
    _enter(qtbot, scores.leg, typed)
    error = scores.form.errors["pain.leg_nrs"]
    assert error.isVisible() and words in error.text() and scores.leg.text() == typed
    for _ in range(len(wiz.pages) + 1):  # Next, Next, ... Save: refused at this step
        qtbot.keyClick(focus() or wiz, Qt.Key_Return, Qt.ControlModifier)
    assert wiz.pages[wiz.index] is scores and scores.leg.text() == typed and words in error.text()
    assert not context.store.has_case(f"P-NUM-{VALID['onset_date']}")


def test_a_draft_never_keeps_the_leg_pain_as_a_whole_number_it_was_not(window, qtbot, context):
    wiz = _wizard(window, qtbot, context)
    wiz._go("scores")
    _type_into(qtbot, wiz.page("scores").leg, "9.99999999999999999")
    wiz._keep_draft_quietly()
    kept = context.store.load_draft("intake-wizard")["data"]["pain"]["leg_nrs"]
    assert kept != 10 and not float(kept).is_integer()  # never 10: reopened, it is still named, not saved
    box = spin("Leg pain, 0 to 10", 0, 10, what="Leg pain")
    qtbot.addWidget(box)
    box.setValue(kept)
    assert "Leg pain is a whole number (0-10)" in box.problem()


@pytest.mark.parametrize("attr, path, typed, words", [
    ("leg", "visit.leg_nrs", "9.99999999999999999", "Leg pain now is a whole number (0-10)"),
    ("odi", "visit.odi_percent", "100.00000000000000001", "ODI is 0-100 %; 100.00000000000000001 is not possible"),
    ("rmdq", "visit.rmdq", "23.99999999999999999", "RMDQ is a whole number (0-24)"),
    ("back", "visit.back_nrs", "١١", "Numbers are written with the digits 0-9"),
])
def test_the_visit_dialog_never_saves_a_number_rounded_from_what_was_typed(window, qtbot, context, attr, path,
                                                                            typed, words):
    dialog = _visit_dialog(window, qtbot)
    before = len(context.store.get_case("P-DUE-case").visits)
    box = getattr(dialog, attr)
    _enter(qtbot, box, typed)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert dialog.isVisible() and box.text() == typed and words in dialog.form.errors[path].text()
    assert len(context.store.get_case("P-DUE-case").visits) == before
    _enter(qtbot, box, "10" if attr != "rmdq" else "24")  # corrected: saved exactly
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    visit = context.store.get_case("P-DUE-case").visits[-1]
    assert getattr(visit, path.split(".")[1]) == (24 if attr == "rmdq" else 10)


# ---------------------------------------------------------------------------- the Settings page (F10)
@pytest.mark.parametrize("typed", ["٣", "３", "٢٨"])
def test_the_settings_page_keeps_another_scripts_digit_as_typed_and_names_it(window, qtbot, context, typed):
    """`settings set mcid_leg_nrs_points ٣` is refused ("write it with the digits 0-9"): the page agrees."""
    window.show_view("settings")
    page = window.views["settings"]
    box = page.fields["mcid_leg_nrs_points"]
    before = context.review_settings().mcid_leg_nrs_points
    audit = context.store.audit_count()
    _paste(qtbot, box, typed)
    qtbot.mouseClick(page.save_button, Qt.LeftButton)
    assert box.text() == typed  # not rewritten to 3
    error = page.form.errors["mcid_leg_nrs_points"]
    assert error.isVisible() and "Numbers are written with the digits 0-9" in error.text()
    assert context.review_settings().mcid_leg_nrs_points == before and context.store.audit_count() == audit
    _type_into(qtbot, box, "3")  # the digits 0-9: saved
    qtbot.mouseClick(page.save_button, Qt.LeftButton)
    assert context.review_settings().mcid_leg_nrs_points == 3 and not error.isVisible()


def test_the_settings_page_and_the_command_line_refuse_the_same_digits(window, qtbot, context):
    from radiculopathy_desktop.commands.tracker import setting_number
    from radiculopathy_desktop.errors import UserError
    window.show_view("settings")
    box = window.views["settings"].fields["window_start_day"]
    for typed in ("٥٠", "５０", "50", "+50", "050"):
        box.setText(typed)
        try:
            setting_number("window_start_day", typed)
            cli_ok = True
        except UserError:
            cli_ok = False
        assert (box.problem() is None) == cli_ok, typed


def test_every_intake_number_field_takes_an_unkeepable_number_without_breaking_the_live_checks(
        window, qtbot, context):
    """A number that cannot be kept exactly reaches the live checks (age against birth date,
    STarT Back scoring, the triage of the draft, the monitoring reminder): each field names
    it, Next refuses, nothing raises, and the draft is kept."""
    wiz = _wizard(window, qtbot, context)
    for key in ("patient", "examination", "scores", "conditions"):
        wiz._go(key)
        page = wiz.page(key)
        if key == "scores":
            page.start_back.set_mode("totals")
        for box in page.findChildren(NumberField):
            if not box.isVisibleTo(page):
                continue
            typed = f"{int(box.lo) + 1}.12345678901234567891"  # in range; not whole, and past a float's digits
            box.setFocus(Qt.TabFocusReason)
            box.selectAll()
            box.insert(typed)
            QApplication.processEvents()
            assert box.text() == typed and box.problem() is not None, box.accessibleName()
        qtbot.keyClick(focus() or wiz, Qt.Key_Return, Qt.ControlModifier)  # Next: refused, nothing raises
        assert wiz.pages[wiz.index] is page
    wiz._keep_draft_quietly()
    assert context.store.load_draft("intake-wizard") is not None
