"""handout29 (H-MED-522, H-UI-444): misoprostol taken now (Cytotec, "misoprostol 200mcg"), no NSAID sheet about
it: the handout tells a patient who could get pregnant to use reliable birth control and to say at once if she
may be pregnant; the worklist's Why line of a pregnant patient on it says what to do.

Sources (resources/medicines/sources.toml): misoprostol-label, boxed warning: misoprostol given to pregnant
women "can cause birth defects, abortion, premature birth or uterine rupture"; it should not be taken by pregnant
women to reduce the risk of NSAID ulcers; for women of childbearing potential only with effective
contraception; arthrotec-label, the same boxed warning. Boundaries: not pregnant, sex female / other / not
recorded -> the birth-control box; male -> none; pregnant -> "Do not take it" (no birth-control box beside it);
Arthrotec with its NSAID sheet printed -> the sheet's own bullet, no second box."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.worklist_marks import alert_marks
from radiculopathy_desktop.resources import resource_path
from radiculopathy_desktop.storage.store import DOSE_ALERTS_VERSION
from tests.helpers.pdf_text import handout_pdf_words
from tests.reports.test_contraindicated_words_agree import AS_OF, case

BOX = {"en": ("If you could get pregnant",
              "It contains misoprostol, which must not be taken at any time in pregnancy: it can cause a miscarriage, "
              "birth defects or a baby born too early.",
              "If you could get pregnant, use reliable birth control while you take it.",
              "If you think you may be pregnant, do not take your next dose: call Clinic on 555 straight away."),
       "es": ("Si puede quedarse embarazada",
              "Contiene misoprostol, que no debe tomarse en ningún momento del embarazo",
              "Si puede quedarse embarazada, use un método anticonceptivo fiable mientras lo tome.",
              "Si cree que puede estar embarazada, no tome la siguiente dosis y llame enseguida a Clinic al 555.")}
GENERAL = ["about_sciatica", "warning_signs"]


def _with_sex(c, sex):
    d = copy.deepcopy(json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8")))
    d["patient"].update(birth_date="1994-01-01", weight_kg=70, **({"sex": sex} if sex else {}))
    if not sex:
        d["patient"].pop("sex", None)
    d["medicines"] = [{"name": m.name} for m in c.intake.medicines]
    return parse_case(d)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("name", ["misoprostol 200mcg", "Cytotec"])
def test_misoprostol_not_pregnant_gets_birth_control_advice(tmp_path, lang, name):
    text = handout_pdf_words(case([(name, None)]), tmp_path, lang, sheets=GENERAL)
    for words in BOX[lang]:
        assert words in text, text
    assert {"en": "US misoprostol (Cytotec) label", "es": "misoprostol (Cytotec)"}[lang] in text  # Sources line


@pytest.mark.parametrize("sex, said", [("female", True), ("other", True), (None, True), ("male", False)])
def test_the_box_follows_whether_a_pregnancy_can_be_recorded(sex, said):
    from radiculopathy_desktop.reports import handouts as h
    alerts = h.other_medicine_alerts(_with_sex(case([("misoprostol 200mcg", None)]), sex), AS_OF)
    assert any(a.heading == "contraception" for a in alerts) is said


@pytest.mark.parametrize("lang", ["en", "es"])
def test_pregnant_on_misoprostol_is_do_not_take_it_and_no_birth_control_box(tmp_path, lang):
    text = handout_pdf_words(case([("misoprostol 200mcg", None)], 10), tmp_path, lang, sheets=GENERAL)
    assert {"en": "Do not take it: it contains misoprostol", "es": "No lo tome: contiene misoprostol"}[lang] in text
    assert BOX[lang][0] not in text and BOX[lang][2] not in text


def test_arthrotec_with_its_nsaid_sheet_has_the_sheets_bullet_and_no_second_box(tmp_path):
    text = handout_pdf_words(case([("Arthrotec 50", None)]), tmp_path, "en", sheets=["med_nsaid"])
    assert "If you could get pregnant, use reliable birth control while you take it." in text
    assert text.count("If you could get pregnant") == 1 and BOX["en"][3] not in text  # the sheet's bullet only


def test_the_worklist_why_of_misoprostol_in_pregnancy_says_what_to_do():
    c = case([("misoprostol 200mcg", None)], 10)
    [mark] = alert_marks(c, AS_OF, "us")
    assert mark.words() == "Contraindicated: misoprostol 200mcg. Stop it and choose another option."
    assert DOSE_ALERTS_VERSION >= 23  # stored marks are rewritten with the action
