"""The window's handout dialog prints a UK patch brand read on its SmPC as a patch, and a medicine not
recognised but written as a patch as a possible patch, with the clinician told (src21; gp20 F3;
H-MED-396).

Mezolar Matrix SmPC on emc 5180 (mezolar-matrix-uk): "Each patch releases 100 micrograms fentanyl per
hour"; "Transdermal patch". Osmach leaflet (osmach-uk): "Do not soak in a hot bath or take a hot shower
whilst wearing a patch."

Driven as a user would: open the case, open the handout dialog, read its note, untick sheets with the
keyboard, save the PDF.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from .test_exports import save_to  # noqa: F401 - save_to is a fixture
from .test_handout_dialog_notes import _open_patient_on
from .test_handout_dialog_patch_and_taper import _close, _save_pdf

HEAT_PAD = "Use a heat pad, a warm bath or a warm shower"
NO_HOT_WATER = "Do not take hot baths or hot showers"


def _only_sciatica(dialog, qtbot):
    for i in range(dialog.sheets.count()):
        item = dialog.sheets.item(i)
        if item.data(Qt.UserRole) != "about_sciatica" and item.checkState() == Qt.Checked:
            dialog.sheets.setCurrentItem(item)
            qtbot.keyClick(dialog.sheets, Qt.Key_Space)
    assert dialog.selected_sheets() == ["about_sciatica"]


def test_a_uk_patch_brand_is_printed_as_a_patch_with_no_warning(window, qtbot, context, save_to, tmp_path):
    dialog = _open_patient_on(window, qtbot, context, "P-MEZOLAR", [{"name": "Mezolar Matrix 25"}])
    assert "not recognised" not in dialog.note.text()
    _only_sciatica(dialog, qtbot)
    text = _save_pdf(dialog, qtbot, save_to, tmp_path / "mezolar.pdf")
    assert HEAT_PAD not in text and NO_HOT_WATER in text
    _close(dialog, window, qtbot)


def test_a_name_written_as_a_patch_is_a_possible_patch_and_the_note_says_so(window, qtbot, context, save_to,
                                                                            tmp_path):
    dialog = _open_patient_on(window, qtbot, context, "P-QLARVENT", [{"name": "Qlarvent 10 micrograms/hour patch"}])
    note = " ".join(dialog.note.text().split())
    assert ("\u201cqlarvent 10 micrograms/hour patch\u201d is not recognised but written as a skin patch: the sheets "
            "treat it as a possible opioid patch") in note
    _only_sciatica(dialog, qtbot)
    assert "written as a skin patch" in " ".join(dialog.note.text().split())  # still there with one sheet
    text = _save_pdf(dialog, qtbot, save_to, tmp_path / "qlarvent.pdf")
    assert HEAT_PAD not in text and NO_HOT_WATER in text
    _close(dialog, window, qtbot)


def test_a_name_not_written_as_a_patch_keeps_the_heat_pad_and_the_warning(window, qtbot, context, save_to,
                                                                          tmp_path):
    dialog = _open_patient_on(window, qtbot, context, "P-QLARVENT-25", [{"name": "Qlarvent 25"}])
    note = " ".join(dialog.note.text().split())
    assert "\u201cqlarvent 25\u201d is not recognised: the sheets give no advice for it (heat advice included)" in note
    text = _save_pdf(dialog, qtbot, save_to, tmp_path / "qlarvent25.pdf")
    assert HEAT_PAD in text and NO_HOT_WATER not in text
    _close(dialog, window, qtbot)
