"""The window's "not excluded" notice (gp14 G19) uses the red-flag data's words (sn16).

Before: the banner and the Review step each wrote their own sentence, "Cauda equina syndrome
has not been excluded", while the data's "ask now" action (what `assess` and `case` print)
began "Ask now: ..." and never said it. Now the data holds the lead once
(resources/rules/red_flags.toml [ask_now] lead; its action text starts with it; source NICE
CKS Sciatica, interpreting red flags: "Red flags should be explicitly looked for. For example,
the person may not report symptoms such as perineal numbness unless asked."), and the window
heads its notice with that lead. Shown by changing the data: the window follows it.
Driven with the keys a clinician uses (U answers Unknown and moves on, Ctrl+Return is Next).
"""

from __future__ import annotations

import copy
import html
import re
import tomllib

import pytest
from PySide6.QtCore import Qt

from radiculopathy_desktop.domain import triage as T
from radiculopathy_desktop.domain.vocabulary import RED_FLAG_QUESTIONS
from radiculopathy_desktop.resources import resource_path

from .keyboard import focus, tab, type_here
from .test_intake_emergency_stays import FIRST, _answer, _next, _to_red_flags

SHIPPED = "Cauda equina syndrome has not been excluded"
CHANGED = "Reviewer's wording: cauda equina syndrome not ruled out"


def _words(rich: str) -> str:
    """The words a reader sees in rich text: tags dropped, entities read, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", rich)).split())


@pytest.fixture(params=["shipped", "changed"])
def lead(request, monkeypatch):
    if request.param == "shipped":
        yield SHIPPED
        return
    with open(resource_path("rules", "red_flags.toml"), "rb") as fh:
        data = tomllib.load(fh)
    data = copy.deepcopy(data)
    data["ask_now"]["lead"] = CHANGED
    rules = T.compile_rules(data)
    monkeypatch.setattr(T, "load_rules", lambda: rules)
    T._plan.cache_clear()
    try:
        yield CHANGED
    finally:
        monkeypatch.undo()
        T._plan.cache_clear()


def test_the_notice_heads_with_the_data_lead_the_command_line_prints(window, qtbot, lead):
    wiz, red = _to_red_flags(window, qtbot, "CES-LEAD")
    _answer(qtbot, Qt.Key_U)  # the first cauda equina question Unknown, every other No
    banner = wiz.banner
    assert banner.isVisible()
    text = _words(banner.text())
    assert f"{lead}: 1 cauda equina question is answered Unknown" in text
    # the action under it is the data's, which `assess` prints: it leads with the same words
    assert f"{lead}. Ask now: {RED_FLAG_QUESTIONS[FIRST].lower()}" in text
    other = CHANGED if lead == SHIPPED else SHIPPED
    assert other not in text
    assert banner.accessibleDescription().startswith(f"INCOMPLETE: ask the cauda equina questions now: {lead}")
    # the Review step heads its list with the same lead
    _next(qtbot)  # leave the red-flag step (the focus is on Next after the last answer)
    _next(qtbot)  # examination
    wiz.page("scores").leg.setFocus()
    type_here(qtbot, "6")
    tab(qtbot)
    type_here(qtbot, "2")
    _next(qtbot)
    _next(qtbot)
    assert wiz.index == wiz.page_index["review"]
    review = _words(wiz.page("review").summary.text())
    assert f"{lead}." in review and other not in review
    assert RED_FLAG_QUESTIONS[FIRST] in review
