"""Look-alike patient IDs pasted into the intake window (red-team rt11 F9, F8): an invisible
Default_Ignorable character (U+17B4 KHMER VOWEL INHERENT AQ, U+180B MONGOLIAN FREE
VARIATION SELECTOR ONE), a decomposed accent (``E`` + U+0301) and a full-width letter are
refused beside the field, naming the character, and the pasted text is kept; the plain ID
typed again goes on to step 2."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from .keyboard import focus
from .window_steps import intake_first_step, retype


@pytest.mark.parametrize("pid, named", [
    ("DEMO-1001\u17b4", "U+17B4 KHMER VOWEL INHERENT AQ (character 10)"),
    ("DEMO-1001\u180b", "U+180B MONGOLIAN FREE VARIATION SELECTOR ONE (character 10)"),
    ("JOSE\u0301-1", "U+0045 LATIN CAPITAL LETTER E + U+0301 COMBINING ACUTE ACCENT (character 4)"),
    ("\uff24EMO-1", "U+FF24 FULLWIDTH LATIN CAPITAL LETTER D (character 1) for 'D'"),
])
def test_a_pasted_look_alike_patient_id_is_refused_beside_the_field_and_kept(window, qtbot, context, pid, named):
    wiz, page = intake_first_step(window, qtbot, pid, "Alex Example", paste=("pid",))
    assert wiz.index == 0
    error = page.form.errors["patient.id"]
    assert error.isVisible()
    assert named in error.text()
    assert page.pid.text() == pid  # nothing pasted is lost
    retype(qtbot, page.pid, "DEMO-1001")
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 1, {k: v.text() for k, v in page.form.errors.items() if v.text()}
