"""sheet28 in the window (Ctrl+P): the handout saved from the dialog names clopidogrel with omeprazole,
which the check rates Avoid (Plavix label 7.1; FDA 2009, 2012: avoid omeprazole or esomeprazole with
clopidogrel) and no medicine sheet covers, in English and, with the language changed, in Spanish."""

from __future__ import annotations

from .handout_dialog import saved_pdf_words as _save
from .test_exports import save_to  # noqa: F401 - save_to is a fixture
from .test_handout_dialog_notes import _open_patient_on


def test_the_dialog_prints_clopidogrel_with_omeprazole_en_es(window, qtbot, context, save_to, tmp_path):
    dialog = _open_patient_on(window, qtbot, context, "P-CLOP-OME",
                              [{"name": "clopidogrel 75mg"}, {"name": "omeprazole 20mg"}])
    en = _save(dialog, qtbot, save_to, tmp_path / "en.pdf")
    assert "You take clopidogrel 75mg and omeprazole 20mg. The medicine check says they should not be taken " \
           "together: the stomach medicine can make clopidogrel work less well" in en
    assert "Do not stop either of them on your own." in en
    dialog.lang.setCurrentIndex(dialog.lang.findData("es"))
    es = _save(dialog, qtbot, save_to, tmp_path / "es.pdf")
    assert "Usted toma clopidogrel 75mg y omeprazol 20mg. La revisión de medicamentos dice que no deben " \
           "tomarse juntos" in es
    assert "No deje ninguno de los dos por su cuenta." in es
    dialog.close()
    qtbot.waitUntil(lambda: not window.patient_view.findChildren(type(dialog)))
