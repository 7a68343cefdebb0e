"""The handout dialog ticks the extra-care sheet by the command line's rule (gp14 G8).

Before: the window's dialog ticked "Extra care" for every patient (any sheet with no medicine
class was ticked), while ``radiculopathy-desktop handout`` includes it only when
``domain.monitoring.needs_extra_care`` says so: 65 or over on the day, or a connective
tissue disorder or pelvic floor dysfunction recorded as present (issue 18, seed summary 2).
Now both take the ticked sheets from one function (``reports.handouts.default_sheets``) and
this test holds them equal, sheet for sheet, across the boundary: 64, 65 and 66 years old,
and a special consideration recorded yes or no.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.reports.handouts import request_for_case

from .conftest import TODAY, case_dict
from .test_exports import _handout_dialog


def _dialog_for(window, qtbot, context, pid, age, **conditions):
    c = case_dict(pid, "Ezra " + pid, 20)
    c["patient"]["age_years"] = age
    if conditions:
        c["conditions"] = dict(conditions)
    case = parse_case(c)
    context.store.import_cases([case], user="test")
    window.open_case(c["case_id"])
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    return context.store.get_case(c["case_id"]), _handout_dialog(qtbot, window)


@pytest.mark.parametrize("pid, age, conditions, extra", [
    ("XC-64", 64, {}, False),  # just below 65
    ("XC-65", 65, {}, True),  # at
    ("XC-66", 66, {}, True),  # just above
    ("XC-CTD", 40, {"connective_tissue_disorder": True}, True),
    ("XC-PFD", 40, {"pelvic_floor_dysfunction": True}, True),
    ("XC-PFD-NO", 40, {"pelvic_floor_dysfunction": False}, False),
])
def test_the_dialog_ticks_what_the_command_prints(window, qtbot, context, pid, age, conditions, extra):
    case, dialog = _dialog_for(window, qtbot, context, pid, age, **conditions)
    ticked = dialog.selected_sheets()
    command = request_for_case(case, TODAY, clinic_name="Clinic", clinic_contact="0100",
                               profile=context.profile()).sheets
    assert ("extra_care" in command) is extra  # the command's rule, checked first
    assert ticked == list(command)  # the same sheets, in the same order
    items = {dialog.sheets.item(i).data(Qt.UserRole): dialog.sheets.item(i) for i in range(dialog.sheets.count())}
    assert "extra_care" in items  # always offered: the clinician can still tick it
    assert (items["extra_care"].checkState() == Qt.Checked) is extra
    assert ("extra-care sheet" in dialog.note.text()) is extra  # the note says why it is ticked
    dialog.close()
    qtbot.waitUntil(lambda: not window.patient_view.findChildren(type(dialog)))
