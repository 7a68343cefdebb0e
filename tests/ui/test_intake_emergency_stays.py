"""A cauda equina emergency answered on the intake's red-flag step never goes quiet (gp14 G2,
G19), driven with the keys a clinician uses (Y / N / U answer and move on, Ctrl+Return is Next).

G2: before, the examination, scores, conditions and review steps, the keep-or-discard question
on closing and the worklist said nothing of an emergency answered yes on step 3. Now the red
flag step's one banner ("What to do now", the same widget, not a copy) is pinned on every later
step; the keep/discard question names the emergency with Keep as its default (Return keeps,
Escape stays, discarding is a button pressed on purpose); closing the window with a kept
emergency draft says so; the unfinished-intake bar above the worklist names it.

G19: a cauda equina question answered Unknown said nothing. The red-flag rule data
(resources/rules/red_flags.toml [ask_now], sources girft-ces and nice-ng59) says: "Ask now:
{questions}. Unanswered cauda equina questions are not 'no'; if any is yes, this is an
emergency." So Unknown now shows that cauda equina syndrome has not been excluded and which
questions to ask, and Review lists them. Boundaries: not answered yet (the screen is being
filled in) shows nothing, No shows nothing, Unknown shows the notice, Yes shows the emergency.
"""

from __future__ import annotations

import contextlib

import pytest
from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from radiculopathy_desktop.domain.vocabulary import RED_FLAG_QUESTIONS
from radiculopathy_desktop.ui import wizard as wizard_module
from radiculopathy_desktop.ui.wizard import DRAFT_KEY, ask_close_with_alarm, ask_keep_draft, pending_draft_summary

from .keyboard import focus, tab, type_here
from .window_steps import intake_first_step

REAL_ASK_KEEP = ask_keep_draft  # taken before the suite's fixture answers "discard" for every test
REAL_ASK_CLOSE = ask_close_with_alarm
CES_YES = "EMERGENCY - act now: suspected cauda equina syndrome"
FIRST = next(iter(RED_FLAG_QUESTIONS))  # saddle anaesthesia, a cauda equina question


@contextlib.contextmanager
def real_prompts(monkeypatch):
    """The real keep/discard and close questions, answered by the test's keys; the suite's
    stand-ins again on leaving (pytest-qt closes the window before fixtures are torn down)."""
    monkeypatch.setattr(wizard_module, "ask_keep_draft", REAL_ASK_KEEP)
    monkeypatch.setattr(wizard_module, "ask_close_with_alarm", REAL_ASK_CLOSE)
    try:
        yield
    finally:
        monkeypatch.setattr(wizard_module, "ask_keep_draft", lambda parent: "discard")
        monkeypatch.setattr(wizard_module, "ask_close_with_alarm", lambda parent, alarm: True)


def _to_red_flags(window, qtbot, pid: str):
    wiz, _page = intake_first_step(window, qtbot, pid, "Cora Equina")
    qtbot.keyClick(focus(), Qt.Key_L, Qt.AltModifier)  # Which leg
    qtbot.keyClick(focus(), Qt.Key_Space)  # Left
    qtbot.keyClick(focus(), Qt.Key_N, Qt.AltModifier)  # no region yet: the focus goes to the first
    qtbot.keyClick(focus(), Qt.Key_Space)
    qtbot.keyClick(focus(), Qt.Key_N, Qt.AltModifier)
    assert wiz.index == wiz.page_index["red_flags"]
    page = wiz.page("red_flags")
    assert focus() is page.flag_screen.first_button()
    return wiz, page


def _answer(qtbot, first_key):
    """The first question with ``first_key`` (Y, N or U), every other one N, as the keys move on."""
    qtbot.keyClick(focus(), first_key)
    for _ in list(RED_FLAG_QUESTIONS)[1:]:
        qtbot.keyClick(focus(), Qt.Key_N)


def _on_screen(widget, window) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _shown_in_full(widget, window) -> bool:
    return (widget.isVisible() and widget.visibleRegion().boundingRect() == widget.rect()
            and window.rect().contains(_on_screen(widget, window)))


def _next(qtbot):
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)


def _emergency_answered(window, qtbot, pid):
    wiz, red = _to_red_flags(window, qtbot, pid)
    _answer(qtbot, Qt.Key_Y)
    assert red.groups[FIRST].value() == "yes" and wiz.banner.isVisible()
    return wiz


def test_every_later_step_shows_the_red_flag_steps_banner(window, qtbot):
    wiz = _emergency_answered(window, qtbot, "CES-LATER-1")
    banner = wiz.banner
    assert wiz.page("red_flags").banner is banner  # one banner, not a copy
    _next(qtbot)
    for key in ("examination", "scores", "conditions", "review"):
        page = wiz.page(key)
        assert wiz.index == wiz.page_index[key], key
        # the same banner, pinned above this step's fields, shown whole, saying what to do now
        assert banner.parentWidget() is not None and page.isAncestorOf(banner), key
        assert not page.viewport().isAncestorOf(banner), key
        assert _shown_in_full(banner, window), key
        assert _on_screen(banner, window).bottom() < _on_screen(page.viewport(), window).top(), key
        text = banner.text()
        assert "EMERGENCY" in text and "suspected cauda equina syndrome" in text, key
        assert "From the red-flag step, not saved yet" in text and "emergency department" in text, key
        assert banner.accessibleName() == "What to do now"
        assert banner.accessibleDescription() == CES_YES
        if key == "scores":  # required here: typed as a clinician does
            assert focus() is page.leg
            type_here(qtbot, "8")
            tab(qtbot)
            type_here(qtbot, "3")
            page.leg.setFocus()
        if key != "review":
            # reached by keyboard: Shift+Tab from the step's first field, and Tab back to it
            first = page.first_input()
            first.setFocus()
            qtbot.keyClick(focus(), Qt.Key_Backtab)
            assert focus() is banner, key
            qtbot.keyClick(focus(), Qt.Key_Tab)
            assert focus() is first, key
            _next(qtbot)
    # back on the patient step, before the red flags: no banner there (its step still has it)
    wiz._go("patient")
    assert not banner.isVisible() and wiz.page("red_flags").isAncestorOf(banner)
    wiz._go("red_flags")
    assert _shown_in_full(banner, window) and "From the red-flag step" not in banner.text()


def test_a_weakness_typed_on_the_examination_step_shows_at_once(window, qtbot):
    """The banner follows what is typed on later steps too: an MRC grade of 3 makes it urgent."""
    wiz, red = _to_red_flags(window, qtbot, "CES-LATER-2")
    _answer(qtbot, Qt.Key_N)
    assert not wiz.banner.isVisible()
    _next(qtbot)
    exam = wiz.page("examination")
    field = next(iter(exam.power.values()))
    field.setFocus()
    type_here(qtbot, "4")
    assert not wiz.banner.isVisible()  # MRC 4: no red flag
    field.selectAll()
    type_here(qtbot, "3")
    assert wiz.banner.isVisible() and "URGENT" in wiz.banner.text() and exam.isAncestorOf(wiz.banner)


def _answer_modal(qtbot, seen: dict, key=None, tab_to: str | None = None):
    """When the next modal box opens: record its words and default, then press ``key``, or
    Tab to the button called ``tab_to`` and press Space on it."""
    def press():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, press)
            return
        seen["title"] = box.windowTitle()
        seen["text"] = box.text()
        seen["default"] = box.defaultButton().text() if box.defaultButton() else None
        seen["buttons"] = [b.text() for b in box.buttons()]
        if tab_to is None:
            qtbot.keyClick(box, key)
            return
        for _ in range(len(box.buttons()) + 1):
            now = box.focusWidget()
            if now is not None and getattr(now, "text", lambda: None)() == tab_to:
                break
            qtbot.keyClick(now or box, Qt.Key_Tab)
        seen["tabbed_to"] = box.focusWidget().text()
        qtbot.keyClick(box.focusWidget(), Qt.Key_Space)
    QTimer.singleShot(0, press)


def test_the_keep_question_names_the_emergency_and_return_keeps_it(window, qtbot, monkeypatch, context):
    with real_prompts(monkeypatch):
        wiz = _emergency_answered(window, qtbot, "CES-KEEP-1")
        seen: dict = {}
        _answer_modal(qtbot, seen, Qt.Key_Return)
        window.close()
        assert CES_YES in seen["text"] and "not saved" in seen["text"] and "emergency" in seen["title"]
        assert seen["default"] == "&Keep draft (recommended)"
        assert "&Discard the emergency intake" in seen["buttons"]
        assert not window.isVisible()  # Return kept the draft and the window closed
        stored = context.store.load_draft(DRAFT_KEY)
        assert stored["data"]["red_flags"][FIRST] == "yes"
        # where drafts are offered (the bar above the worklist at the next start), it is named
        summary = pending_draft_summary(context.store, context.data_dir)
        # ... and whose it is (gp16 F5: a colleague must know whom to call without opening it)
        assert summary.endswith(f"step 3 of 7, that records {CES_YES}, for Cora Equina (patient CES-KEEP-1) "
                                "(not saved: it is on no list)")
        assert wiz.page("red_flags").groups[FIRST].value() == "yes"


def test_escape_stays_and_discarding_is_a_choice_of_its_own(window, qtbot, monkeypatch, context):
    with real_prompts(monkeypatch):
        wiz = _emergency_answered(window, qtbot, "CES-KEEP-2")
        seen: dict = {}
        _answer_modal(qtbot, seen, Qt.Key_Escape)
        window.close()
        assert CES_YES in seen["text"]
        assert window.isVisible() and window.stack.currentWidget() is wiz  # stayed, with the intake in front
        assert wiz.page("red_flags").groups[FIRST].value() == "yes"  # nothing typed lost
        _answer_modal(qtbot, seen, tab_to="&Discard the emergency intake")  # on purpose: Tab to it, Space
        window.close()
        assert not window.isVisible()
        assert context.store.load_draft(DRAFT_KEY) is None


def test_an_intake_without_a_red_flag_keeps_the_plain_question(window, qtbot, monkeypatch):
    with real_prompts(monkeypatch):
        _wiz, _red = _to_red_flags(window, qtbot, "CES-PLAIN")
        _answer(qtbot, Qt.Key_N)
        seen: dict = {}
        _answer_modal(qtbot, seen, Qt.Key_Escape)
        window.close()
        assert seen["title"] == "Keep this intake as a draft?" and "EMERGENCY" not in seen["text"]
        assert seen["default"] == "&Keep draft" and window.isVisible()


def test_leaving_for_the_worklist_the_bar_names_the_emergency(window, qtbot):
    wiz = _emergency_answered(window, qtbot, "CES-BAR")
    qtbot.keyClick(window, Qt.Key_1, Qt.ControlModifier)  # to the worklist: the case is on no list yet
    assert window.stack.currentWidget() is window.views["worklist"]
    assert window.draft_bar.isVisible()
    said = window.draft_label.text()
    assert CES_YES in said and "not saved: it is on no list" in said and "Act on it now" in said
    assert f"{CES_YES}, for Cora Equina (patient CES-BAR)" in said  # whose (gp16 F5)
    assert CES_YES in window.draft_bar.accessibleDescription()
    # Alt+O opens it again, where it stopped, with its banner
    qtbot.keyClick(window, Qt.Key_O, Qt.AltModifier)
    assert window.stack.currentWidget() is wiz and not window.draft_bar.isVisible()
    assert wiz.banner.isVisible() and "EMERGENCY" in wiz.banner.text()


def _store_emergency_draft(context, page=3):
    from .conftest import NO_FLAGS as flags
    data = {"format_version": 1, "patient": {"id": "CES-KEPT", "age_years": 50}, "onset_date": "2026-02-01",
            "visit_date": "2026-03-02", "care_start_date": "2026-03-02", "side": "left", "regions": ["buttock"],
            "red_flags": dict(flags, urinary_retention_or_incontinence="yes")}
    context.store.save_draft(DRAFT_KEY, {"page": page, "data": data, "saved_at": "2026-03-02T09:00:00+00:00"})


def test_closing_with_a_kept_emergency_draft_says_so_and_return_stays(window, qtbot, monkeypatch, context):
    with real_prompts(monkeypatch):
        _store_emergency_draft(context)
        # not opened this time: the window still says so on closing
        seen: dict = {}
        _answer_modal(qtbot, seen, Qt.Key_Return)
        window.close()
        assert "EMERGENCY" in seen["text"] and "suspected cauda equina syndrome" in seen["text"]
        assert "suspected cauda equina syndrome, for patient CES-KEPT" in seen["text"]  # whose (gp16 F5)
        assert seen["default"] == "&Stay and open the intake"
        assert window.isVisible() and window.stack.currentWidget() is window.views["intake"]
        wiz = window.views["intake"]
        assert not wiz.has_input() and wiz.banner.isVisible()  # reopened, nothing typed since
        # opened and untouched: asked again; Alt+C closes, the draft kept
        _answer_modal(qtbot, seen, tab_to="&Close, keep the draft")
        window.close()
        assert not window.isVisible()
        assert context.store.load_draft(DRAFT_KEY)["data"]["red_flags"]["urinary_retention_or_incontinence"] == "yes"


@pytest.mark.parametrize("key, shown", [(None, "nothing"), (Qt.Key_N, "nothing"), (Qt.Key_U, "not excluded"),
                                        (Qt.Key_Y, "emergency")], ids=["not-answered-yet", "no", "unknown", "yes"])
def test_an_unknown_cauda_equina_answer_says_it_is_not_excluded(window, qtbot, key, shown):
    wiz, red = _to_red_flags(window, qtbot, f"CES-U-{shown[:3]}")
    if key is not None:
        _answer(qtbot, key)
    banner = wiz.banner
    if shown == "nothing":
        assert not banner.isVisible()
        return
    assert banner.isVisible() and red.isAncestorOf(banner)
    text = banner.text()
    if shown == "emergency":
        assert "EMERGENCY" in text and "not been excluded" not in text
        return
    assert "Cauda equina syndrome has not been excluded" in text
    assert RED_FLAG_QUESTIONS[FIRST] in text and "answered Unknown" in text
    assert "if any is yes, this is an emergency" in text  # the rule data's own action
    assert "GIRFT" in text and "NICE NG59" in text  # with its sources
    assert banner.accessibleDescription().startswith("INCOMPLETE: ask the cauda equina questions now")
    # Review lists it, and the banner is still pinned there
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # the focus is on Next after the last answer
    _next(qtbot)  # examination
    wiz.page("scores").leg.setFocus()
    type_here(qtbot, "6")
    tab(qtbot)
    type_here(qtbot, "2")
    _next(qtbot)
    _next(qtbot)
    assert wiz.index == wiz.page_index["review"]
    review = wiz.page("review")
    assert "Cauda equina syndrome has not been excluded" in review.summary.text()
    assert RED_FLAG_QUESTIONS[FIRST] in review.summary.text() and review.unknown == (FIRST,)
    assert banner.isVisible() and review.isAncestorOf(banner) and "not been excluded" in banner.text()


def test_at_start_the_bar_names_a_kept_emergency_draft(window, qtbot, context):
    """What the window runs once the worklist is painted (``_offer_pending_draft``), with a kept
    draft that records a bladder "yes": the bar above the worklist names the emergency."""
    _store_emergency_draft(context)
    window._offer_pending_draft()
    assert window.draft_bar.isVisible() and window.stack.currentWidget() is window.views["worklist"]
    said = window.draft_label.text()
    assert said.startswith("⚠ You have an unfinished intake from ") and " Mar 2026 " in said  # local time
    assert "step 4 of 7, that records EMERGENCY - act now: suspected cauda equina syndrome, for patient CES-KEPT" in said
    assert "Act on it now" in said
    # a draft with no red flag: the plain words, as before
    from .conftest import NO_FLAGS
    context.store.save_draft(DRAFT_KEY, {"page": 2, "data": {"patient": {"id": "PLAIN-1", "name": "Pat Plain"},
                                                              "red_flags": dict(NO_FLAGS)},
                                         "saved_at": "2026-03-02T09:00:00+00:00"})
    window._offer_pending_draft()
    said = window.draft_label.text()
    assert "EMERGENCY" not in said and "It was kept so nothing typed is lost" in said
    assert "PLAIN-1" not in said and "Pat Plain" not in said  # an ordinary draft still names no one
