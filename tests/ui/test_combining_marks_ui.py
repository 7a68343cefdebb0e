"""Stacked combining marks in the intake window (red-team rt10 F7 remainder): a pasted name
with 8 accents on one letter is refused beside the field, naming the place, and kept as
pasted; with the extra marks removed (a Vietnamese name keeps its 2) the intake goes on."""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt

from .keyboard import focus
from .window_steps import intake_first_step, retype

ZALGO = "Ann" + "".join(chr(c) for c in range(0x0300, 0x0308)) + " Nguyen"
VIETNAMESE = unicodedata.normalize("NFD", "Nguy\u1ec5n Th\u1ecb")  # 2 marks on e, 1 on i: decomposed


def test_a_pasted_name_with_stacked_accents_is_refused_beside_the_field_and_kept(window, qtbot, context):
    wiz, page = intake_first_step(window, qtbot, "P-ZALGO", ZALGO, paste=("name",))
    assert wiz.index == 0
    error = page.form.errors["patient.name"]
    assert error.isVisible()
    assert "8 combining marks (accents) on one letter (character 8)" in error.text()
    assert page.name.text() == ZALGO  # nothing typed is lost
    retype(qtbot, page.name, VIETNAMESE, paste=True)
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 1, {k: v.text() for k, v in page.form.errors.items() if v.text()}
