"""The visit dialog's "before" grade beside each muscle follows the visit date typed (gp26 F4, H-UI-429).

gp26, recording last week's visit after a later one: the ankle dorsiflexion label said
"(before: 4/5)", the grade of a visit after the date typed, while the dialog's own message
compared with the grade standing on that date ("graded 4 (5 at the intake)"). Typing the
grade against the label, a fall from 5 to 4 read as no change. The labels (and the names a
screen reader says) now show the grades standing on the visit date typed, the grades the
dialog's weaker-muscle message and the MRC 3 rule compare with.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.intake import parse_case

from .conftest import TODAY, case_dict
from .window_steps import open_visit_dialog
from tests.ui.keyboard import focus, tab, tab_until, type_here


def _label(dialog, key):
    return dialog._label_of(dialog.power[key]).text()


def test_the_before_grades_follow_the_visit_date_typed(window, qtbot, context):
    c = case_dict("P-POW", "Pat Power", 30, visits=[{"date": (TODAY - dt.timedelta(days=5)).isoformat(),
                                                       "leg_nrs": 6, "power": {"ankle_dorsiflexion": 4}}])
    c["examination"] = {"power": {"ankle_dorsiflexion": 5, "great_toe_extension": 5}}
    context.store.import_cases([parse_case(c)], user="test")
    dialog = open_visit_dialog(window, qtbot, "P-POW-case")
    assert _label(dialog, "ankle_dorsiflexion") == "Ankle dorsiflexion (before: 4/5):"  # today: the visit's grade
    assert dialog.power["ankle_dorsiflexion"].accessibleName().endswith("graded 4 before")
    assert focus() is dialog.date
    earlier = TODAY - dt.timedelta(days=10)  # before that visit: the intake's grade stood
    type_here(qtbot, earlier.isoformat())
    tab(qtbot)
    assert _label(dialog, "ankle_dorsiflexion") == "Ankle dorsiflexion (before: 5/5):"
    assert dialog.power["ankle_dorsiflexion"].accessibleName().endswith("graded 5 before")
    assert _label(dialog, "great_toe_extension") == "Great-toe extension (before: 5/5):"
    assert _label(dialog, "hip_flexion") == "Hi&p flexion:"  # not graded: no grade, its Alt+P kept
    # the grade typed is compared with the same grade the label shows
    qtbot.keyClick(focus(), Qt.Key_P, Qt.AltModifier)
    assert focus() is dialog.power["hip_flexion"]
    tab_until(qtbot, lambda w: w is dialog.power["ankle_dorsiflexion"])
    type_here(qtbot, "4")
    qtbot.waitUntil(dialog.weaker_label.isVisible)
    assert "ankle dorsiflexion graded 4 (5 at the intake)" in dialog.weaker_label.text().lower()
    # back to today: the label follows again
    dialog.date.setFocus()
    type_here(qtbot, TODAY.isoformat())
    tab(qtbot)
    assert _label(dialog, "ankle_dorsiflexion") == "Ankle dorsiflexion (before: 4/5):"
    assert not dialog.weaker_label.isVisible()  # 4 after 4: not weaker
    dialog.discard()
