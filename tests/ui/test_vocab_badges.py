"""Badges keyed on the vocabularies (issue 14): every value the engine emits has a label and
a badge of its own colour, and the patient view shows "Do not offer" and "Recommend" in
their colours, not the grey an unknown value falls back to (the bug: the view looked for
"for"/"against" while the engine says "recommend"/"do_not_offer")."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtGui import QTextCursor

from radiculopathy_desktop.domain.vocab import Direction, ImagingDecision, MedicineStatus, ReviewStatus, Tier
from radiculopathy_desktop.ui import pathway_view, style
from tests.ui.conftest import TODAY, case_dict

BADGED = (Tier, Direction, MedicineStatus, ImagingDecision)


def _names(colours) -> tuple[str, str]:
    bg, fg = colours
    return bg.name(), fg.name()


@pytest.mark.parametrize("vocabulary", BADGED, ids=lambda v: v.__name__)
def test_every_member_has_its_own_non_neutral_badge(qapp, vocabulary):
    table = style.BADGE_KINDS[vocabulary]
    assert set(table) == set(vocabulary), "no member left to the grey fallback, no stale key"
    for m in vocabulary:
        assert not style.is_neutral(m), f"{vocabulary.__name__}.{m.name} would show a neutral grey badge"
        assert _names(style.kind_colours(m)) == _names(style.kind_colours(table[m]))


def test_review_statuses_each_have_colours_and_only_paused_or_closed_look_quiet(qapp):
    for status in ReviewStatus:
        assert status in style._STATUS
        quiet = style.is_neutral(status)
        assert quiet is (status in (ReviewStatus.SNOOZED, ReviewStatus.CLOSED)), status


def test_opposite_meanings_never_share_a_colour(qapp):
    colours = lambda m: _names(style.kind_colours(m))  # noqa: E731
    assert len({colours(t) for t in Tier}) == 3
    for good in (d for d in Direction if d.offers):
        for bad in (d for d in Direction if d.rules_out):
            assert colours(good) != colours(bad)
    assert colours(Direction.RECOMMEND) != colours(Direction.CONSIDER) != colours(Direction.DISPUTED)
    assert colours(MedicineStatus.OK) != colours(MedicineStatus.CAUTION) != colours(MedicineStatus.AVOID)
    assert len({colours(d) for d in ImagingDecision}) == len(ImagingDecision)


@pytest.mark.parametrize("direction", list(Direction), ids=str)
def test_a_recommendation_badge_shows_the_label_in_the_directions_colours(qapp, direction):
    html = pathway_view._rec_html({"direction": direction.value, "text": "Something to do", "sources": []})
    bg, fg = _names(style.kind_colours(direction))
    assert f"background-color:{bg}; color:{fg};" in html
    assert f"&nbsp;{direction.label}&nbsp;" in html


def test_an_unknown_direction_is_a_plain_note_not_a_guess(qapp):
    html = pathway_view._rec_html({"direction": "against", "text": "x", "sources": []})
    bg, fg = _names(style.kind_colours("neutral"))
    assert f"background-color:{bg}; color:{fg};" in html and "&nbsp;Note&nbsp;" in html


def _badge_at(browser, text: str) -> tuple[str, str]:
    """(background, text colour) of the first occurrence of ``text`` as drawn in the browser."""
    found = browser.document().find(text)
    assert not found.isNull(), f"{text!r} is not shown"
    cursor = QTextCursor(browser.document())
    cursor.setPosition(found.selectionStart() + 1)  # the format of the badge's first letter
    fmt = cursor.charFormat()
    return fmt.background().color().name(), fmt.foreground().color().name()


def _show_details_by_clicking(browser, qtbot):
    """Click "Show the details of every step" as the clinician does."""
    from PySide6.QtCore import Qt
    link = browser.document().find("Show the details of every step")
    assert not link.isNull()
    cursor = QTextCursor(browser.document())
    cursor.setPosition(link.selectionStart() + 3)
    browser.setTextCursor(cursor)
    browser.ensureCursorVisible()
    qtbot.mouseClick(browser.viewport(), Qt.LeftButton, pos=browser.cursorRect(cursor).center())
    qtbot.waitUntil(lambda: browser.details_open)


def test_the_patient_view_colours_do_not_offer_red_and_recommend_green(window, qtbot, store):
    from radiculopathy_desktop.domain.assess import assess_case
    from radiculopathy_desktop.domain.intake import parse_case

    d = case_dict("P-VOC", "Vera Vocab", 20, visits=[{"date": (TODAY - dt.timedelta(days=6)).isoformat(),
                                                      "leg_nrs": 7, "back_nrs": 4}])
    case = parse_case(d)
    store.import_cases([case], user="test")
    assessment = assess_case(case, TODAY, profile=window.context.profile()).to_dict()
    directions = {r["direction"] for s in assessment["pathway"]["steps"] for r in s.get("recommendations", ())}
    assert {"do_not_offer", "recommend"} <= directions, "the case must carry both kinds of item"

    window.open_case("P-VOC-case")
    view = window.patient_view
    qtbot.waitUntil(lambda: view.isVisible() and view.case_id == "P-VOC-case")
    browser = view.pathway
    _show_details_by_clicking(browser, qtbot)

    grey = _names(style.kind_colours("neutral"))
    do_not_offer = _badge_at(browser, "Do not offer")
    recommend = _badge_at(browser, "Recommend")
    assert do_not_offer == _names(style.kind_colours(Direction.DO_NOT_OFFER)) == _names(style.kind_colours("danger"))
    assert recommend == _names(style.kind_colours(Direction.RECOMMEND)) == _names(style.kind_colours("ok"))
    assert grey not in (do_not_offer, recommend) and do_not_offer != recommend
    plain = " ".join(browser.toPlainText().split())
    assert "Do not offer" in plain and "Recommend" in plain
