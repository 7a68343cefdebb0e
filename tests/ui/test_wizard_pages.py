"""The intake wizard's pages are reached by name, and the window asks every draft holder
the same two questions (ui/drafts.py)."""

from __future__ import annotations

from radiculopathy_desktop.ui import wizard as wizard_module
from radiculopathy_desktop.ui.drafts import DraftHolder, draft_holders


def test_every_page_has_its_own_name_and_is_reached_by_it(window, qtbot):
    wiz = window.show_view("intake")
    names = [page.key for page in wiz.pages]
    assert names == ["patient", "symptoms", "red_flags", "examination", "scores", "conditions", "review"]
    for page in wiz.pages:
        assert wiz.page(page.key) is page
    wiz._go("scores")
    assert wiz.stack.currentWidget() is wiz.page("scores") and wiz.index == names.index("scores")
    assert "step 5 of 7: Scores" in wiz.heading.text()
    wiz._go(names.index("red_flags"))  # a stored draft keeps the number: the same page
    assert wiz.stack.currentWidget() is wiz.page("red_flags")


def test_a_draft_reopens_on_the_page_it_was_left_on(window, qtbot, context):
    wiz = window.show_view("intake")
    wiz.page("patient").pid.setText("P-NAMED")
    wiz._mark_dirty()
    wiz._go("examination")
    assert wiz.save_draft_now() is True
    assert context.store.load_draft(wizard_module.DRAFT_KEY)["page"] == 3  # stored as before: the number
    wiz.reset()
    assert wiz.stack.currentWidget() is wiz.page("patient")
    assert wiz.restore_draft() is True
    assert wiz.stack.currentWidget() is wiz.page("examination")
    assert wiz.page("patient").pid.text() == "P-NAMED"


def test_the_wizard_is_the_windows_draft_holder(window, qtbot):
    assert draft_holders(window) == []  # the intake was never opened: nothing to keep
    wiz = window.show_view("intake")
    window.show_view("worklist")
    assert isinstance(wiz, DraftHolder) and draft_holders(window) == [wiz]
    assert not isinstance(window.views["worklist"], DraftHolder)
    assert wiz.save_draft_now() is False  # nothing typed
    wiz.page("patient").pid.setText("P-HELD")
    wiz._mark_dirty()
    assert wiz.save_draft_now() is True
    assert window.context.store.load_draft(wizard_module.DRAFT_KEY)["data"]["patient"]["id"] == "P-HELD"
