"""Look-alike patient IDs pasted into the intake window (red-team rt11 F9, F8): an invisible
Default_Ignorable character (U+17B4 KHMER VOWEL INHERENT AQ, U+180B MONGOLIAN FREE
VARIATION SELECTOR ONE), a decomposed accent (``E`` + U+0301) and a full-width letter are
refused beside the field, naming the character, and the pasted text is kept; the plain ID
typed again goes on to step 2. So are a backslash, two spaces in a row, a Cyrillic letter in a
Latin ID, a stroke over a digit and a tatweel (rt12 F5, round 13)."""

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
    ("DEMO\\1001", "a backslash (\\) (character 5)"),  # rt12 F5
    ("DEMO  1001", "two spaces in a row (character 6)"),
    ("DEM\u041e-1001", "letters of Cyrillic and Latin mixed in one id (U+041E CYRILLIC CAPITAL LETTER O)"),
    ("DEMO-1001\u0336", "U+0336 COMBINING LONG STROKE OVERLAY on no letter (character 10)"),
    ("DEMO-\u0633\u0640\u0639", "U+0640 ARABIC TATWEEL (character 7)"),
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
