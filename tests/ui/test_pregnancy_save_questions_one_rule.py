"""The intake's and the visit dialog's "The pregnancy differs" questions at Save ask what the
worklist then marks, by its rule (misc20 leftover, H-MED-388).

misc20 decided, for the worklist, Medicine alerts and the case page
(``domain.episodes.pregnancy_differs``), that a CLOSED case's standing "not pregnant" recorded
before her pregnancy (or a question it never asked) is history, while a closed case's recorded
pregnancy still counts ("the pregnancy outlives the case", rt20). The Save questions used another
function (``pregnancy_contradictions``) and so asked nothing where the worklist then marked both
rows "PREGNANCY DIFFERS": a new intake recording 31 weeks beside her OPEN case's stale "not
pregnant", an intake that never asked beside a closed case recording 29 weeks, a visit recording
24 weeks beside an open case's stale answer. Both questions now ask
``domain.episodes.pregnancy_differs_made`` (the worklist's function); a closed case's stale
answer is asked about nowhere. Driven by keys, as a user works.

FDA Drug Safety Communication, 15 Oct 2020 (fda.gov), its title: "FDA recommends avoiding use of
NSAIDs in pregnancy at 20 weeks or later because they can result in low amniotic fluid".
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.domain.intake import parse_case

from .conftest import NO_FLAGS, TODAY, case_dict
from .keyboard import focus, type_here
from .test_intake_open_case import _back_to, _open_intake, _question, _ready_intake
from .test_intake_pregnancy_carried import _pregnancy_question
from .window_steps import open_visit_dialog

WAIT_MS = 15000
D = dt.timedelta


def _old(context, *, closed, pregnant=False, weeks=None, days_ago=200):
    """Mia's earlier case: ``days_ago`` days ago, "not pregnant" (or ``weeks``); discharged 100
    days ago (or yesterday, when recorded pregnant) when ``closed``."""
    data = case_dict("P-MIA", "Mia Example", days_ago, red_flags=NO_FLAGS)
    if weeks is not None:
        data["patient"]["pregnancy_weeks"] = weeks
    elif pregnant is False:
        data["patient"]["pregnant"] = False
    if closed:
        on = TODAY - (D(days=1) if weeks is not None else D(days=100))
        data["decisions"] = [{"date": on.isoformat(), "kind": "resolved_discharged", "acknowledged_red_flags": []}]
    context.store.import_cases([parse_case(data)], user="test")
    return data["case_id"]


def _intake(weeks=None):
    data = _ready_intake("P-MIA")
    data["patient"]["name"] = "Mia Example"
    data["patient"].pop("pregnant", None)
    if weeks is not None:
        data["patient"]["pregnancy_weeks"] = weeks
    return data


def _save(window, qtbot, wiz, data, open_case):
    wiz.load(data)
    wiz._go(len(wiz.pages) - 1)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Save
    if open_case:  # her other case is open: a new episode, deliberately
        qtbot.keyClick(_question(qtbot, wiz), Qt.Key_N, Qt.AltModifier)


def test_intake_beside_a_closed_cases_old_not_pregnant_is_saved_without_the_question(window, qtbot, context):
    """The boundary misc20 set: last year's closed case said "not pregnant" when it was true."""
    old = _old(context, closed=True)
    wiz = _open_intake(window, qtbot)
    _save(window, qtbot, wiz, _intake(weeks=31), open_case=False)
    qtbot.waitUntil(lambda: window.patient_view is not None and window.patient_view.case_id not in (None, old),
                    timeout=WAIT_MS)
    assert wiz.pregnancy_question is None
    assert not window.patient_view.pregnancy_differs.isVisibleTo(window.patient_view)  # and nothing marked


def test_intake_beside_her_open_cases_old_not_pregnant_asks_as_the_worklist_marks(window, qtbot, context):
    old = _old(context, closed=False)
    wiz = _open_intake(window, qtbot)
    count = context.store.case_count()
    _save(window, qtbot, wiz, _intake(weeks=31), open_case=True)
    box = _pregnancy_question(qtbot, wiz)
    text = box.text()
    assert f"case {old} records her NOT pregnant" in text and "31 weeks" in text
    assert box.defaultButton().text() == "&Go back" and box.escapeButton() is box.defaultButton()
    qtbot.keyClick(box, Qt.Key_Escape)
    qtbot.waitUntil(lambda: wiz.pregnancy_question is None)
    _back_to(qtbot, window)
    assert context.store.case_count() == count  # nothing saved
    assert wiz.page("patient").pregnancy_weeks() == 31  # nothing typed lost
    # Save anyway: saved, and the page names what was asked
    wiz._go(len(wiz.pages) - 1)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    qtbot.keyClick(_pregnancy_question(qtbot, wiz), Qt.Key_S, Qt.AltModifier)  # &Save anyway
    qtbot.waitUntil(lambda: window.patient_view is not None and window.patient_view.case_id not in (None, old),
                    timeout=WAIT_MS)
    entry = [e for e in context.store.audit() if e.action == "import"][-1]
    assert [(i["other_case"], i.get("kind")) for i in entry.detail["pregnancy_differs_between_cases"]] == \
        [(old, "stale")]
    page = window.patient_view
    assert page.pregnancy_differs.isVisibleTo(page) and old in page.pregnancy_differs.text()


def test_intake_that_never_asked_beside_a_closed_cases_pregnancy_asks(window, qtbot, context):
    """Kept: a closed case's recorded pregnancy still counts (rt20, misc20)."""
    old = _old(context, closed=True, weeks=27, days_ago=14)
    wiz = _open_intake(window, qtbot)
    _save(window, qtbot, wiz, _intake(), open_case=False)
    box = _pregnancy_question(qtbot, wiz)
    assert f"case {old} records pregnant, 27 weeks" in box.text() and "never asked" in box.text()
    qtbot.keyClick(box, Qt.Key_Escape)
    qtbot.waitUntil(lambda: wiz.pregnancy_question is None)


def _cur(context):
    """Mia's current open case, its intake 20 days ago, pregnancy not asked."""
    data = case_dict("P-MIA", "Mia Example", 20, red_flags=NO_FLAGS)
    data["case_id"] = "P-MIA-cur"
    data["onset_date"] = (TODAY - D(days=25)).isoformat()
    context.store.import_cases([parse_case(data)], user="test", new_episode=True)
    return data["case_id"]


def _visit_24_weeks(window, qtbot, case_id):
    dialog = open_visit_dialog(window, qtbot, case_id)
    qtbot.keyClick(dialog, Qt.Key_G, Qt.AltModifier)  # Pre&gnancy
    qtbot.keyClicks(dialog.pregnancy, "P")  # Pregnant
    qtbot.keyClick(dialog, Qt.Key_K, Qt.AltModifier)  # Wee&ks
    type_here(qtbot, "24")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Return, Qt.ControlModifier)  # Save
    return dialog


@pytest.mark.parametrize("closed", [True, False])
def test_visit_recording_24_weeks_asks_only_beside_an_open_cases_old_answer(window, qtbot, context, closed):
    old = _old(context, closed=closed, days_ago=300)
    cur = _cur(context)
    dialog = _visit_24_weeks(window, qtbot, cur)
    if closed:
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
        assert dialog.pregnancy_box is None
        assert context.store.get_case(cur).visits[-1].pregnancy.weeks == 24
        return
    qtbot.waitUntil(lambda: dialog.pregnancy_box is not None and dialog.pregnancy_box.isVisible(), timeout=WAIT_MS)
    box = dialog.pregnancy_box
    assert f"case {old} records her NOT pregnant" in box.text() + box.informativeText()
    [anyway] = [b for b in box.buttons() if b.text() == "&Save anyway"]
    qtbot.mouseClick(anyway, Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    entry = [e for e in context.store.audit() if e.action == "visit_added"][-1]
    assert [(i["pregnant_case"], i["other_case"]) for i in entry.detail["pregnancy_differs_between_cases"]] == \
        [(cur, old)]
