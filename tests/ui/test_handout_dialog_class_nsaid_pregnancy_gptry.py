"""gptry (H-MED-481) in the window (Ctrl+P): a pregnant patient on a class NSAID without a row of its own
(diclofenac) AND an anticoagulant got a handout that asked before the next dose "for your apixaban" and
never said the pregnancy: no "You are pregnant" box, while the same patient on ibuprofen had one saying
"Do not take it" (FDA Drug Safety Communication, 15 October 2020: avoid NSAIDs from 20 weeks, ductus
arteriosus problems from about 30 weeks; the NSAID rows' rule nsaid-pregnancy-30, applied to the whole
class by nsaid-without-row). The class NSAID's sheet now says the pregnancy as ibuprofen's does, in
English and Spanish; before 20 weeks it asks, as ibuprofen's does; diclofenac alone keeps its one
"Do not take it" box with the reason (sheet28), never said twice."""

from __future__ import annotations

import re

import pytest

from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.reports.handouts import tr

from .conftest import case_dict
from .handout_dialog import close_dialog as _close, saved_pdf_words as _save
from .test_exports import _handout_dialog, save_to  # noqa: F401 - save_to is a fixture


def _dialog(window, qtbot, context, pid, meds, weeks):
    c = case_dict(pid, "Gabi " + pid, 0)
    c["medicines"] = [{"name": n} for n in meds]
    c["patient"]["pregnancy_weeks"] = weeks
    context.store.import_cases([parse_case(c)], user="test")
    window.open_case(c["case_id"])
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    return _handout_dialog(qtbot, window)


def _pregnancy_box(text, lang="en"):
    """The pregnancy box of the NSAID sheet, from its heading to the clinician's next option."""
    head, end = (("You are pregnant", "another option."), ("Está embarazada", "otra opción."))[lang == "es"]
    found = re.search(re.escape(head) + r" (.*?" + re.escape(end) + ")", text)
    return found.group(1) if found else None


def _printed(window, qtbot, context, save_to, tmp_path, pid, meds, weeks, lang="en"):
    dialog = _dialog(window, qtbot, context, pid, meds, weeks)
    if lang != "en":
        dialog.lang.setCurrentIndex(dialog.lang.findData(lang))
    text = _save(dialog, qtbot, save_to, tmp_path / f"{pid}-{lang}.pdf")
    _close(window, qtbot, dialog)
    return text


#: the pregnancy box ibuprofen's sheet prints at 31 weeks beside apixaban (the window's default us profile:
#: the FDA's "about 30 weeks"), which the class NSAID's sheet must print too, its name apart
_BOX = {"en": "You are 31 weeks pregnant. {why} Tell your midwife or maternity team that you take {name}. "
              "Do not take it. Your clinician will talk to you about another option.",
        "es": "Está embarazada de 31 semanas. {why} Dígale a su matrona o a su equipo de maternidad que toma "
              "{name}. No lo tome. Su profesional hablará con usted de otra opción."}


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("name", ["diclofenac 50mg tds", "ibuprofen 400mg tds"])
def test_an_nsaid_with_apixaban_at_31_weeks_says_the_pregnancy(window, qtbot, context, save_to, tmp_path,
                                                                 name, lang):
    text = _printed(window, qtbot, context, save_to, tmp_path, "P-NSAID-31", [name, "apixaban 5mg bd"], 31, lang)
    box = _pregnancy_box(text, lang)
    assert box is not None, text
    why = tr(lang, "pregnancy_why_nsaid_30")
    # plainwords (H-MED-647): the sheet says the recorded "tds" in plain words, after a comma at the clause's end
    shown = (name.replace("diclofenac", "diclofenaco").replace("ibuprofen", "ibuprofeno")
             .replace(" tds", ", tres veces al día") if lang == "es"
             else name.replace(" tds", ", three times a day"))
    assert box == _BOX[lang].format(why=why, name=shown)


def test_the_clinicians_note_names_the_pregnancy_of_diclofenac_beside_apixaban(window, qtbot, context):
    dialog = _dialog(window, qtbot, context, "P-DIC-NOTE", ["diclofenac 50mg tds", "apixaban 5mg bd"], 31)
    note = " ".join(dialog.note.text().split())
    # the clinician is told what the sheet says and why: the pregnancy, not only the apixaban
    assert "Taking diclofenac 50mg tds: Pregnant, 31 weeks: " in note, note
    _close(window, qtbot, dialog)


@pytest.mark.parametrize("name", ["diclofenac 50mg tds", "ibuprofen 400mg tds"])
def test_before_20_weeks_it_asks(window, qtbot, context, save_to, tmp_path, name):
    text = _printed(window, qtbot, context, save_to, tmp_path, "P-NSAID-19", [name, "apixaban 5mg bd"], 19)
    found = re.search(r"You are pregnant You are 19 weeks pregnant\. (.*?)Ask your clinician whether to keep "
                      r"taking it\.", text)
    assert found is not None, text
    assert f"you take {name.replace(' tds', ', three times a day')}" in found.group(1)
    assert "tds" not in found.group(1)
    assert "Do not take it. Your clinician will talk to you about another option." not in text


def test_diclofenac_alone_at_31_weeks_keeps_one_do_not_take_it_box(window, qtbot, context, save_to, tmp_path):
    text = _printed(window, qtbot, context, save_to, tmp_path, "P-DIC-ALONE", ["diclofenac 50mg tds"], 31)
    # handout29 (H-MED-520): the one "Do not take it" box is the pregnancy box ibuprofen's sheet has: the weeks,
    # the reason, "tell your midwife", then "Do not take it" once; no second "You are pregnant" box
    assert "Do not take it You are 31 weeks pregnant. From 30 weeks of pregnancy" in text
    assert "Tell your midwife or maternity team that you take diclofenac 50mg, three times a day." in text
    assert text.count("Do not take it. Your clinician will talk to you about another option.") == 1
    assert "You are pregnant You are 31 weeks" not in text


# H-MED-482: under the uk profile diclofenac with cardiovascular disease is Contraindicated (MHRA Drug
# Safety Update, June 2013); beside apixaban the sheet asked only "it should not be taken with your
# apixaban" (read as safe once the apixaban stops) and the clinician's note gave the rating
# CONTRAINDICATED with the interaction's words alone.

def _uk_cv_dialog(window, qtbot, context, pid, meds, cv=True):
    context.store.set_clinic_settings(context.clinic().updated(profile="uk", country="uk"), user="test")
    c = case_dict(pid, "Gabi " + pid, 0)
    c["medicines"] = [{"name": n} for n in meds]
    c.setdefault("conditions", {})["cardiovascular_disease"] = cv
    context.store.import_cases([parse_case(c)], user="test")
    window.open_case(c["case_id"])
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    return _handout_dialog(qtbot, window)


@pytest.mark.parametrize("lang, own, beside", [
    ("en", "for you, it may do more harm than good. Your clinician will tell you why.",
     "it should not be taken with your apixaban 5mg, twice a day"),
    ("es", "en su caso puede hacer más daño que bien. Su profesional le explicará por qué.",
     "no debe tomarse junto con su apixaban 5mg, dos veces al día"),
])
def test_uk_cv_diclofenac_with_apixaban_says_its_own_reason_too(window, qtbot, context, save_to, tmp_path,
                                                                  lang, own, beside):
    dialog = _uk_cv_dialog(window, qtbot, context, "P-UKCV-APIX", ["diclofenac 50mg tds", "apixaban 5mg bd"])
    note = " ".join(dialog.note.text().split())
    assert "CONTRAINDICATED" in note
    assert "Cardiovascular disease (MI, stroke, angina, PAD) recorded: diclofenac, aceclofenac and the COX-2 inhibitors" in note
    if lang != "en":
        dialog.lang.setCurrentIndex(dialog.lang.findData(lang))
    text = _save(dialog, qtbot, save_to, tmp_path / f"ukcv-{lang}.pdf")
    assert beside in text and own in text
    assert text.index(beside) < text.index(own)
    _close(window, qtbot, dialog)


def test_without_cardiovascular_disease_only_the_apixaban_is_said(window, qtbot, context, save_to, tmp_path):
    dialog = _uk_cv_dialog(window, qtbot, context, "P-NOCV-APIX", ["diclofenac 50mg tds", "apixaban 5mg bd"],
                           cv=False)
    text = _save(dialog, qtbot, save_to, tmp_path / "nocv.pdf")
    assert "it should not be taken with your apixaban 5mg, twice a day." in text
    assert "5mg bd" not in text
    assert "more harm than good" not in text
    _close(window, qtbot, dialog)


# H-MED-483: the dialog's note named a sheet not offered "AVOID: Pregnant, 31 weeks" where every reason
# rates it Contraindicated (the window's banner and the worklist say Contraindicated); the command's
# note said "rates it AVOID for this patient (... contraindicated in the last trimester ...)".

@pytest.mark.parametrize("weeks, rating", [(31, "CONTRAINDICATED"), (25, "AVOID")])
def test_a_sheet_not_offered_is_named_with_the_rating_its_reasons_give(window, qtbot, context, weeks, rating):
    dialog = _dialog(window, qtbot, context, f"P-PREG-{weeks}", ["paracetamol 1g qds"], weeks)
    items = {dialog.sheets.item(i).data(Qt.UserRole): dialog.sheets.item(i) for i in range(dialog.sheets.count())}
    title = items["med_nsaid"].text()
    assert title.endswith("(not offered)")
    note = " ".join(dialog.note.text().split())
    assert f"Not offered: {title.removesuffix(' (not offered)')} ({rating}: Pregnant, {weeks} weeks" in note, note
    _close(window, qtbot, dialog)
