"""The window's handout dialog for steroid pills taken now and for two products taken together
(red-team rt10 F6 and fixb's duplicate note; H-MED-130).

Prednisone label and BNF: after prolonged use, steroid pills are lowered gradually, never
stopped at once (adrenal suppression). The dialog's note names recorded prolonged corticosteroid
use once; the saved PDF tells the patient to keep taking the dose and not to stop suddenly, with
none of the new course's "finish the course" text. A note two sheets share appears once.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.intake import parse_case

from .conftest import case_dict
from .handout_dialog import close_dialog as _close
from .test_exports import _handout_dialog, _pdf_text, save_to  # noqa: F401 - save_to is a fixture


def _open(window, qtbot, context, pid, meds, prolonged):
    c = case_dict(pid, "Stella " + pid, 20)
    c["medicines"] = meds
    c["red_flags"]["prolonged_corticosteroid_use"] = prolonged
    context.store.import_cases([parse_case(c)], user="test")
    window.open_case(c["case_id"])
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    return _handout_dialog(qtbot, window)


def test_a_long_term_steroid_the_note_says_so_once_and_the_pdf_says_do_not_stop_suddenly(
        window, qtbot, context, save_to, tmp_path):
    dialog = _open(window, qtbot, context, "P-PRED-LONG", [{"name": "prednisolone", "daily_dose_mg": 5}], "yes")
    items = {dialog.sheets.item(i).data(Qt.UserRole): dialog.sheets.item(i) for i in range(dialog.sheets.count())}
    assert items["med_oral_steroid"].checkState() == Qt.Checked
    note = dialog.note.text()
    assert "Taken now, so its sheet says to keep taking the current dose as prescribed (no starting dose): " \
           "prednisolone 5 mg a day." in note
    assert note.count("Prolonged corticosteroid use is recorded: the adrenal glands may be suppressed") == 1
    out = tmp_path / "pred.pdf"
    save_to(out)
    qtbot.mouseClick(dialog.pdf_button, Qt.LeftButton)
    qtbot.waitUntil(out.exists)
    text = " ".join(unicodedata.normalize("NFKC", _pdf_text(out)[0]).split())
    assert "keep taking prednisolone 5 mg a day, as prescribed, unless your clinician changes it" in text
    assert "Do not stop it suddenly. After some weeks of steroid pills, stopping at once can make you very " \
           "unwell." in text
    assert "Finish the course" not in text and "steps down" not in text and "Do not take more than 60 mg" not in text
    _close(window, qtbot, dialog)


def test_no_prolonged_use_recorded_no_such_note(window, qtbot, context):
    dialog = _open(window, qtbot, context, "P-PRED-SHORT", [{"name": "prednisolone", "daily_dose_mg": 5}], "no")
    assert "prolonged corticosteroid use" not in dialog.note.text().lower()
    _close(window, qtbot, dialog)


def test_two_products_taken_together_are_named_once(window, qtbot, context):
    dialog = _open(window, qtbot, context, "P-TRAM-TWICE",
                   [{"name": "tramadol", "daily_dose_mg": 200}, {"name": "tramacet"}], "no")
    note = dialog.note.text()
    assert note.count("Taken together although they should not be") == 1
    # "Tramacet" as its maker prints it (sht24)
    assert note.count("Taken together although they should not be (tramadol 200 mg a day and Tramacet") == 1
    # no weight or creatinine recorded: the kidney sentence names the pair once too (before, once per sheet)
    assert note.count("for tramadol 200 mg a day and Tramacet") <= 1
    sentences = [s for s in note.split(". ") if s]
    assert len(sentences) == len(set(sentences))
    _close(window, qtbot, dialog)
