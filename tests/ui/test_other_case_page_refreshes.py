"""A case page follows a visit saved on another case of the same person (preg19/fxd19, H-MED-364).

preg19 (not done): "An open case page of the other case is not refreshed when a visit is saved on
this case: the views refresh by case id." The case page's "pregnancy differs" line
(``domain.episodes.pregnancy_differs``) reads the person's other cases, so it stood stale: with
case A's visit dialog left open (it is not modal) and case B's page shown, a visit recording her
pregnant on A left B's page, whose ibuprofen the rule then flags, without a word until B was
opened again; and a pregnancy recorded as ended on A left B's page naming a difference settled.
The page now reloads on the operation runner's announcement of any case of the same person
(``domain.identity.same_person``): a change made in this window carries its case; one made by
another program or workstation carries its IDs, looked up among the person's cases. No polling:
the announcement is the app's one changed-signal.

FDA Drug Safety Communication of 15 Oct 2020 (fda.gov, read with the search tool), its title:
"FDA recommends avoiding use of NSAIDs in pregnancy at 20 weeks or later because they can result
in low amniotic fluid": hence Avoid for ibuprofen at 24 weeks. The same communication's podcast,
as preg19 read it on fda.gov: "At around 30 weeks, NSAIDs can cause a problem that may result in
heart issues in the unborn baby": hence Contraindicated at 31 weeks (the product's rule, unchanged).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.domain.intake import FollowUpVisit, PregnancyUpdate, parse_case
from radiculopathy_desktop.storage.store import CaseStore

from .conftest import TODAY, case_dict
from .keyboard import focus, type_here
from .window_steps import active_dialog, open_visit_dialog

WAIT_MS = 15000
FIRST, SECOND = "P-ADA-case", "P-ADA-second"


def _seed(context, first_weeks=None):
    """Ada's two open cases: FIRST (its intake 20 days ago: not pregnant, or ``first_weeks``) and
    SECOND (today: not pregnant, ibuprofen 1200 mg a day)."""
    first = case_dict("P-ADA", "Ada Example", 20)
    if first_weeks is None:
        first["patient"]["pregnant"] = False
    else:
        first["patient"]["pregnancy_weeks"] = first_weeks
    second = case_dict("P-ADA", "Ada Example", 0)
    second["case_id"] = SECOND
    second["onset_date"] = (TODAY - dt.timedelta(days=3)).isoformat()
    second["patient"]["pregnant"] = False
    second["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    context.store.import_cases([parse_case(first)], user="test")
    context.store.import_cases([parse_case(second)], user="test", new_episode=True)


def _first_dialog_then_second_page(window, qtbot):
    """FIRST's Add visit dialog opened, then (it is not modal) SECOND's page opened behind it."""
    dialog = open_visit_dialog(window, qtbot, FIRST)
    window.open_case(SECOND)
    qtbot.waitUntil(lambda: window.patient_view.case_id == SECOND)
    return active_dialog(qtbot, dialog)


def test_a_pregnancy_recorded_on_her_other_case_shows_on_this_page_at_once(window, qtbot, context):
    _seed(context)
    dialog = _first_dialog_then_second_page(window, qtbot)
    line = window.patient_view.pregnancy_differs
    assert not line.isVisible()  # both cases say not pregnant: nothing differs yet
    qtbot.keyClick(dialog, Qt.Key_G, Qt.AltModifier)  # Pre&gnancy
    assert focus() is dialog.pregnancy
    qtbot.keyClicks(dialog.pregnancy, "P")  # Pregnant
    qtbot.keyClick(dialog, Qt.Key_K, Qt.AltModifier)  # Wee&ks
    type_here(qtbot, "24")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Return, Qt.ControlModifier)  # Save
    # SECOND says not pregnant today: asked first (gp17 F5); she is pregnant, so Save anyway
    qtbot.waitUntil(lambda: dialog.pregnancy_box is not None and dialog.pregnancy_box.isVisible())
    box = dialog.pregnancy_box
    assert SECOND in box.text() + box.informativeText()
    [anyway] = [b for b in box.buttons() if b.text() == "&Save anyway"]
    qtbot.mouseClick(anyway, Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert context.store.get_case(FIRST).visits[-1].pregnancy == PregnancyUpdate(True, 24)
    # the page still shows SECOND, and now says what her ibuprofen carries at 24 weeks
    assert window.patient_view.case_id == SECOND
    qtbot.waitUntil(lambda: line.isVisible(), timeout=WAIT_MS)
    text = line.text()
    assert f"case {FIRST}" in text and "24 weeks" in text
    assert "Avoid: ibuprofen" in text


def test_a_pregnancy_recorded_as_ended_on_her_other_case_clears_this_pages_line(window, qtbot, context):
    _seed(context, first_weeks=33)
    dialog = _first_dialog_then_second_page(window, qtbot)
    line = window.patient_view.pregnancy_differs
    assert line.isVisible() and f"case {FIRST}" in line.text()
    qtbot.keyClick(dialog, Qt.Key_G, Qt.AltModifier)
    qtbot.keyClicks(dialog.pregnancy, "No l")  # No longer pregnant
    qtbot.keyClick(dialog, Qt.Key_W, Qt.AltModifier)  # the day it ended
    type_here(qtbot, (TODAY - dt.timedelta(days=5)).isoformat())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert window.patient_view.case_id == SECOND
    qtbot.waitUntil(lambda: not line.isVisible(), timeout=WAIT_MS)


def test_a_visit_saved_by_another_program_on_her_other_case_refreshes_this_page(window, qtbot, context):
    """The same through the local file's watch (another program, or ``visit`` on the command line)."""
    _seed(context)
    view = window.views["worklist"]
    qtbot.waitUntil(lambda: view.counts_as_of is not None and window._local_timer.isActive(), timeout=WAIT_MS)
    window.open_case(SECOND)
    line = window.patient_view.pregnancy_differs
    assert not line.isVisible()
    with CaseStore.open(context.data_dir) as other:
        other.add_visit(FIRST, FollowUpVisit(date=TODAY, leg_nrs=5, pregnancy=PregnancyUpdate(True, 31)),
                        user="Dr Cli")
    qtbot.waitUntil(lambda: line.isVisible(), timeout=WAIT_MS)
    assert "31 weeks" in line.text() and "Contraindicated: ibuprofen" in line.text()


def test_a_visit_on_another_persons_case_does_not_reload_this_page(window, qtbot, context, monkeypatch):
    """The boundary: another patient's visit (a change carrying its case) leaves this page alone."""
    _seed(context)
    window.open_case(SECOND)
    page = window.patient_view
    loads = []
    real = page.load
    monkeypatch.setattr(page, "load", lambda cid: loads.append(cid) or real(cid))
    context.ops.run(lambda s: s.add_visit("P-NFU-case", FollowUpVisit(date=TODAY, leg_nrs=4), user="test"),
                    errors="raise")
    assert loads == []
    context.ops.run(lambda s: s.add_visit(FIRST, FollowUpVisit(date=TODAY, leg_nrs=4), user="test"),
                    errors="raise")
    assert loads == [SECOND]
