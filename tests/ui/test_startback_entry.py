"""STarT Back on the intake's scores step: the nine answers scored live, or the totals."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.domain.instruments import instrument_metadata, score_start_back, score_start_back_answers
from radiculopathy_desktop.domain.intake import case_to_dict, parse_case
from radiculopathy_desktop.ui.forms import StartBackEntry

from .conftest import NO_FLAGS
from .keyboard import answer_by_keyboard, focus, tab_until  # noqa: F401

SCORES = 4  # the wizard's scores step


def as_codes(agree_items, item9):
    """Items (1-based) agreed; the rest disagreed. Returns the entry's codes for the nine."""
    return ["agree" if n in agree_items else "disagree" for n in range(1, 9)] + [item9]


def click_answers(qtbot, entry, codes, first=0):
    for group, code in zip(entry.items[first:], codes):
        qtbot.mouseClick(group.buttons[code], Qt.LeftButton)
        assert group.value() == code


def wizard_on_scores(window, pid):
    wiz = window.show_view("intake")
    wiz.pages[0].load({"patient": {"id": pid, "age_years": 47}, "onset_date": "2026-02-01"})
    wiz.pages[1].load({"side": "left", "regions": ["buttock", "lateral_leg"]})
    wiz.pages[2].load({"red_flags": NO_FLAGS})
    wiz._go(SCORES)
    window.activateWindow()
    return wiz


@pytest.fixture
def entry(qtbot):
    widget = StartBackEntry()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_wording_copyright_and_accessible_names_come_from_the_reviewed_data(entry):
    meta = instrument_metadata("start_back")
    texts = [i["text"] for i in meta["items"]]
    for n, group in enumerate(entry.items):
        assert group.accessibleName() == f"STarT Back item {n + 1}: {texts[n]}"
        for button in group.buttons.values():
            assert button.accessibleName().startswith(group.accessibleName() + ": ")
    assert [b.text() for b in entry.items[0].buttons.values()] == meta["agree_labels"]
    assert [b.text() for b in entry.items[8].buttons.values()] == [o["label"] for o in meta["items"][8]["options"]]
    shown = " ".join(label.text() for label in entry.findChildren(type(entry.result)))
    assert meta["copyright"] in shown and texts[0] in shown
    assert entry.mode.accessibleName() and entry.total.accessibleName() and entry.distress.accessibleName()
    assert entry.clear_button.accessibleName()


@pytest.mark.parametrize("agree, item9, total, distress, risk", [
    ({1, 2, 3}, "moderately", 3, 0, "low"),          # total 3: low
    ({1, 2, 3, 4}, "not_at_all", 4, 0, "medium"),    # total 4: medium
    ({5, 6, 7}, "moderately", 3, 3, "low"),          # total 3 is low whatever the subscore
    ({1, 5, 6, 7}, "slightly", 4, 3, "medium"),      # subscore 3: medium
    ({1, 5, 6, 7, 8}, "slightly", 5, 4, "high"),     # subscore 4: high
    ({5, 6, 7}, "very_much", 4, 4, "high"),          # item 9 "very much" counts in both
    ({5, 6, 7}, "extremely", 4, 4, "high"),
    (set(range(1, 9)), "extremely", 9, 5, "high"),
    (set(), "not_at_all", 0, 0, "low"),
])
def test_nine_answers_give_total_subscore_and_risk_live(qtbot, entry, agree, item9, total, distress, risk):
    codes = as_codes(agree, item9)
    click_answers(qtbot, entry, codes[:8])
    assert "8 of 9 answered" in entry.result.text()  # no score until all nine are answered
    click_answers(qtbot, entry, codes[8:], first=8)
    words = {"low": "Low risk", "medium": "Medium risk", "high": "High risk"}[risk]
    assert f"Total <b>{total}</b> of 9" in entry.result.text()
    assert f"psychosocial subscore <b>{distress}</b> of 5" in entry.result.text()
    assert words in entry.result.text() and words in entry.result.accessibleDescription()
    data = entry.data()
    expected = [c == "agree" for c in codes[:8]] + [item9]
    assert data == {"answers": expected, "total": total, "distress": distress}
    domain = score_start_back_answers(expected)  # the engine's scoring agrees
    assert (domain.total, domain.distress, domain.risk) == (total, distress, risk)


def test_nine_answers_by_keyboard_are_saved_with_the_case(window, qtbot, context):
    wiz = wizard_on_scores(window, "P-SB9")
    page = wiz.pages[SCORES]
    assert focus() is page.leg
    page.leg.selectAll()
    qtbot.keyClicks(page.leg.lineEdit(), "7")
    qtbot.keyClick(focus(), Qt.Key_Tab)
    assert focus() is page.back
    qtbot.keyClicks(focus(), "5")  # Tab selected the "Not recorded" text: typing replaces it
    assert (page.leg.value(), page.back.value()) == (7, 5)
    entry = page.start_back
    assert entry.current_mode() == "answers"
    codes = as_codes({1, 5, 6, 7}, "very_much")
    for group, code in zip(entry.items, codes):
        answer_by_keyboard(qtbot, group, code)
    assert "High risk" in entry.result.text()
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == SCORES + 1, wiz.page_error.text()
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # save on the last step
    case_id = window.patient_view.case_id
    sb = context.store.get_case(case_id).intake.start_back
    assert sb.answers == (True, False, False, False, True, True, True, False, "very_much")
    assert (sb.total, sb.distress) == (5, 4)
    assert score_start_back(sb).risk == "high" and score_start_back(sb).notes == ()
    # the case format carries the items and reads back the same
    raw = case_to_dict(context.store.get_case(case_id))
    assert raw["start_back"]["answers"][8] == "very_much"
    assert parse_case(raw).intake.start_back == sb


def test_alt_and_the_item_number_jumps_to_the_item_without_answering_it(window, qtbot):
    wiz = wizard_on_scores(window, "P-SBALT")
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    entry = wiz.pages[SCORES].start_back
    for n in (3, 9):
        qtbot.keyClick(focus(), getattr(Qt, f"Key_{n}"), Qt.AltModifier)
        assert focus() in entry.items[n - 1].buttons.values()
        assert entry.items[n - 1].value() is None


def test_partly_answered_blocks_next_beside_each_missing_item(window, qtbot):
    wiz = wizard_on_scores(window, "P-SBPART")
    page = wiz.pages[SCORES]
    page.load({"pain": {"leg_nrs": 6, "back_nrs": 4}})
    entry = page.start_back
    click_answers(qtbot, entry, ["agree", "disagree", "agree"])
    qtbot.mouseClick(wiz.next_button, Qt.LeftButton)
    assert wiz.index == SCORES
    errors = page.form.errors
    assert not errors["start_back.answers[0]"].isVisible()
    for n in range(3, 9):
        assert "Answer this item" in errors[f"start_back.answers[{n}]"].text()
    assert focus() in entry.items[3].buttons.values()  # focus goes to the first missing item
    assert "6 things to fix" in wiz.page_error.text()
    # not done after all: clear, and the step goes on with no STarT Back
    qtbot.mouseClick(entry.clear_button, Qt.LeftButton)
    assert entry.data() is None and "Not recorded" in entry.result.text()
    qtbot.mouseClick(wiz.next_button, Qt.LeftButton)
    assert wiz.index == SCORES + 1
    assert "start_back" not in wiz.case_dict()


def test_totals_only_by_keyboard_with_the_low_medium_boundary(window, qtbot, context):
    wiz = wizard_on_scores(window, "P-SBTOT")
    page = wiz.pages[SCORES]
    page.load({"pain": {"leg_nrs": 6, "back_nrs": 4}})
    entry = page.start_back
    entry.mode.setFocus()
    qtbot.keyClick(entry.mode, Qt.Key_Down)
    assert entry.current_mode() == "totals"
    assert entry.totals_panel.isVisible() and not entry.answers_panel.isVisible()
    qtbot.keyClick(focus(), Qt.Key_Tab)
    assert focus() is entry.total
    qtbot.keyClicks(entry.total.lineEdit(), "3")
    qtbot.keyClick(focus(), Qt.Key_Tab)
    assert focus() is entry.distress
    qtbot.keyClicks(entry.distress.lineEdit(), "0")
    assert "Low risk" in entry.result.text()
    entry.total.selectAll()
    qtbot.keyClicks(entry.total.lineEdit(), "4")
    assert "Medium risk" in entry.result.text()
    entry.distress.selectAll()
    qtbot.keyClicks(entry.distress.lineEdit(), "3")
    assert "Medium risk" in entry.result.text()
    entry.distress.selectAll()
    qtbot.keyClicks(entry.distress.lineEdit(), "4")
    assert "High risk" in entry.result.text()
    wiz._go(len(wiz.pages) - 1)
    qtbot.mouseClick(wiz.save_button, Qt.LeftButton)
    sb = context.store.get_case(window.patient_view.case_id).intake.start_back
    assert sb.answers is None and (sb.total, sb.distress) == (4, 4)


def test_totals_without_the_subscore_are_refused_beside_the_field(window, qtbot):
    wiz = wizard_on_scores(window, "P-SBHALF")
    page = wiz.pages[SCORES]
    page.load({"pain": {"leg_nrs": 6, "back_nrs": 4}})
    entry = page.start_back
    entry.set_mode("totals")
    entry.total.setFocus()
    entry.total.selectAll()
    qtbot.keyClicks(entry.total.lineEdit(), "5")
    qtbot.mouseClick(wiz.next_button, Qt.LeftButton)
    assert wiz.index == SCORES, wiz.case_dict().get("start_back")
    assert "required" in page.form.errors["start_back.distress"].text()


def test_older_cases_and_drafts_load_into_the_right_mode(entry):
    entry.load({"total": 6, "distress": 2})  # a case from before the nine answers could be entered
    assert entry.current_mode() == "totals" and entry.data() == {"total": 6, "distress": 2}
    assert "Medium risk" in entry.result.text()
    answers = [True, False, True, False, False, True, False, False, "slightly"]
    entry.load({"answers": answers, "total": 3, "distress": 1})
    assert entry.current_mode() == "answers"
    assert entry.data() == {"answers": answers, "total": 3, "distress": 1}
    partial = [True, None, None, None, None, None, None, None, "extremely"]  # a draft, half done
    entry.load({"answers": partial})
    assert entry.current_mode() == "answers" and entry.data() == {"answers": partial}
    assert "2 of 9 answered" in entry.result.text()
    entry.load(None)
    assert entry.current_mode() == "answers" and entry.data() is None
