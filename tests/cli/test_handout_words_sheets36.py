"""sheets36: what the printed handout says, read from the saved PDF (`import`, then `handout ... --out X.pdf`), EN and ES.

- H-MED-740: a count written with an abbreviation of the medicine data's unit vocabulary (drugs.toml
  [name_reading.count_units]: "comp" = tablets, as Spanish prescriptions abbreviate comprimidos) is printed in the
  patient's words ("Zaldiar 3 tablets", "Zaldiar 3 comprimidos"), never "3 comp".
- H-MED-741: a count written with no count word right after a strength ("paracetamol 500mg 2 qds") is said as the
  medicine data reads it: doses of the strength for one medicine ("2 doses of 500mg"), tablets for a combination
  product ("co-codamol 2 tablets of 30/500": drugs.toml [combination_products] are tablets).
- H-MED-742: Zaldiar (tramadol 37.5 mg + paracetamol 325 mg a tablet) above 8 tablets a day is over its TRAMADOL
  limit (the Spanish ficha técnica, zaldiar-ft: "No debe excederse la dosis total de 8 comprimidos al día
  (equivalente a 300 mg de hidrocloruro de tramadol y 2600 mg de paracetamol)"); its paracetamol is within the
  4000 mg limit: the paracetamol sheet says what too much tramadol does (the opioid sheet's own words: sleepy, slow
  breathing, a seizure (fit); seizures: the tramadol label) and never "More than this can harm your liver". 8
  tablets (300 mg, at the limit) is the boundary: the paracetamol sheet's own sentence.
- H-FMT-909: with an emergency red flag standing and no visit booked, the follow-up section is headed "Next steps"
  ("Próximos pasos"), not "Your next visit" above "No routine visit is booked here yet".
- H-MED-744: Arthrotec above its diclofenac limit is named as the product ("Your Arthrotec 75 (diclofenac and
  misoprostol) gives you diclofenac 450 mg a day"), not "You take diclofenac 450 mg a day".
- H-MED-745: the caution box says "taking them" ("tomarlos") when it names two other medicines; one: "taking it".
- H-MED-746: a Reduce dose alert cites the maximum's source, not the name-reading sources (the BNF frequency list).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re

import pytest

from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.resources import resource_path
from helpers.cli_run import cli_runner
from helpers.pdf_text import pdf_words

TODAY = dt.date(2026, 11, 30)
BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))


def _case(medicines, **changes) -> dict:
    d = copy.deepcopy(BASE)
    d["medicines"] = medicines
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(d.get(key), dict):
            d[key].update(value)
        else:
            d[key] = value
    return d


@pytest.fixture
def sheet(tmp_path, capsys, monkeypatch):
    """sheet(case, sheets, lang, *extra) -> the words of the saved handout PDF."""
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    made = []

    def render(case: dict, sheets: str, lang: str, *extra: str) -> str:
        n = len(made)
        made.append(n)
        data = tmp_path / f"data{n}"
        path = tmp_path / f"case{n}.json"
        path.write_text(json.dumps(case), encoding="utf-8")
        run = cli_runner(capsys, "--data-dir", str(data), fresh_output=True)
        code, _out, err = run("import", str(path))
        assert code == 0, err
        out = tmp_path / f"sheet{n}-{lang}.pdf"
        code, _out, err = run("handout", case["case_id"], "--sheets", sheets, "--lang", lang, *extra, "--out", str(out))
        assert code == 0, err
        return pdf_words(out)
    return render


# ---------------------------------------------------------------- H-MED-740: count words in the patient's words
@pytest.mark.parametrize("lang, said", [("en", "Zaldiar 3 tablets"), ("es", "Zaldiar 3 comprimidos")])
def test_an_abbreviated_count_is_printed_in_the_patients_words(sheet, lang, said):
    text = sheet(_case([{"name": "Zaldiar 3 comp c/6h"}]), "med_opioid", lang)
    assert said in text
    assert not re.search(r"\bcomps?\b", text), "the prescriber's abbreviation is never printed"


def test_an_english_abbreviation_on_a_spanish_sheet_and_a_spanish_word_on_an_english_one(sheet):
    es = sheet(_case([{"name": "tramadol 50mg 2 tabs qds"}]), "med_opioid", "es")
    assert "tramadol 50mg 2 comprimidos" in es and not re.search(r"\btabs?\b", es)
    en = sheet(_case([{"name": "Zaldiar 2 comprimidos c/8h"}]), "med_acetaminophen", "en")
    assert "Zaldiar 2 tablets" in en and "comprimido" not in en


# ---------------------------------------------------------------- H-MED-741: a bare count after the strength
@pytest.mark.parametrize("lang, said, never", [
    ("en", "paracetamol 2 doses of 500mg", "500mg 2"),
    ("es", "paracetamol 2 dosis de 500mg", "500mg 2"),
])
def test_a_bare_count_after_a_strength_is_said_as_doses_of_it(sheet, lang, said, never):
    # named in the box about two products holding paracetamol (a single product's sheet says its daily total)
    text = sheet(_case([{"name": "Zaldiar 3 comp c/6h"}, {"name": "paracetamol 500mg 2 qds"}]), "med_acetaminophen",
                 lang)
    assert said in text
    assert never not in text


@pytest.mark.parametrize("lang, said", [("en", "co-codamol 2 tablets of 30/500"),
                                        ("es", "co-codamol 2 comprimidos de 30/500")])
def test_a_combination_products_bare_count_is_of_tablets(sheet, lang, said):
    text = sheet(_case([{"name": "co-codamol 30/500 2 qds"}]), "med_acetaminophen", lang)
    assert said in text and "30/500 2" not in text
    # the product named again after its first mention keeps its own name, not the count
    assert "co-codamol 2 tablets of 30/500 2" not in text


# ---------------------------------------------------------------- H-MED-742: whose limit the warning is about
TRAMADOL_HARM = {"en": "Too much tramadol can make you very sleepy, slow your breathing or cause a seizure (fit).",
                 "es": "Demasiado tramadol puede darle mucho sueño, hacer que respire despacio o causarle un ataque o "
                       "convulsión."}
LIVER = {"en": "More than this can harm your liver", "es": "Tomar más puede dañar el hígado"}
TRAMADOL_LABEL = {"en": "tramadol label", "es": "ficha técnica del tramadol"}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_zaldiar_over_its_tramadol_limit_warns_of_tramadol_not_the_liver(sheet, lang):
    # 9 tablets: tramadol 337.5 mg (over 300), paracetamol 2925 mg (within 4000)
    text = sheet(_case([{"name": "Zaldiar 3 comp tds"}]), "med_acetaminophen", lang)
    assert TRAMADOL_HARM[lang] in text
    assert LIVER[lang] not in text
    assert TRAMADOL_LABEL[lang] in text  # the Sources line names what the warning rests on


@pytest.mark.parametrize("lang", ["en", "es"])
def test_zaldiar_at_its_limit_keeps_the_paracetamol_sheets_own_warning(sheet, lang):
    # 8 tablets: tramadol 300 mg, at the limit (the boundary): nothing is over, the sheet's own sentence
    text = sheet(_case([{"name": "Zaldiar 2 comp qds"}]), "med_acetaminophen", lang)
    assert LIVER[lang] in text
    assert TRAMADOL_HARM[lang] not in text


# ---------------------------------------------------------------- H-FMT-909: no visit booked, "Next steps"
RED_FLAG = {"red_flags": {"saddle_anaesthesia": "yes"}}


@pytest.mark.parametrize("lang, heading, visit, words", [
    ("en", "Next steps", "Your next visit", "No routine visit is booked here yet"),
    ("es", "Próximos pasos", "Su próxima cita", "Todavía no tiene una cita de control aquí"),
])
def test_no_visit_booked_is_headed_next_steps(sheet, lang, heading, visit, words):
    text = sheet(_case([], **RED_FLAG), "follow_up", lang)
    assert f"{heading} {words}" in text
    assert f"{visit} {words}" not in text


@pytest.mark.parametrize("lang, heading, said", [("en", "Your next visit", "Your next visit is on 14 December 2026"),
                                                 ("es", "Su próxima cita", "Su próxima cita es el 14 de diciembre")])
def test_a_visit_booked_keeps_its_heading(sheet, lang, heading, said):
    text = sheet(_case([], **RED_FLAG), "follow_up", lang, "--next-visit", "2026-12-14")
    assert f"{heading} {said}" in text
    assert "Next steps" not in text and "Próximos pasos" not in text


# ---------------------------------------------------------------- H-MED-744: the product the patient knows
@pytest.mark.parametrize("lang, said, never", [
    ("en", "Your Arthrotec 75 (diclofenac and misoprostol) gives you diclofenac 450 mg a day now",
     "You take diclofenac 450 mg a day"),
    ("es", "Su Arthrotec 75 (diclofenaco y misoprostol) le da ahora diclofenaco 450 mg al día",
     "Ahora toma diclofenaco 450 mg al día"),
])
def test_arthrotec_over_its_diclofenac_limit_is_named_as_the_product(sheet, lang, said, never):
    text = sheet(_case([{"name": "Arthrotec 75 2 tabs tds"}]), "med_nsaid", lang)
    assert said in text and never not in text


def test_plain_diclofenac_over_its_limit_is_named_as_itself(sheet):
    text = sheet(_case([{"name": "diclofenac 50mg 3 tabs tds"}]), "med_nsaid", "en")
    assert "You take diclofenac 450 mg a day now" in text


# ---------------------------------------------------------------- H-MED-745: "them" for two medicines
@pytest.mark.parametrize("lang, two, one", [("en", "taking them with your", "taking it with your"),
                                            ("es", "puede tomarlos con su", "puede tomarlo con su")])
def test_the_caution_box_says_them_for_two_medicines_and_it_for_one(sheet, lang, two, one):
    ibuprofen = {"name": "ibuprofen 400mg tds", "daily_dose_mg": 1200}
    both = sheet(_case([ibuprofen, {"name": "prednisolone 5mg od"}, {"name": "dexamethasone 2mg od"}]),
                 "med_nsaid", lang)
    assert two in both and one not in both
    single = sheet(_case([ibuprofen, {"name": "prednisolone 5mg od"}]), "med_nsaid", lang)
    assert one in single and two not in single


# ---------------------------------------------------------------- H-MED-746: an alert cites what supports it
@pytest.mark.parametrize("profile", ["us", "uk"])
def test_a_reduce_dose_alert_does_not_quote_the_prescription_abbreviations(tmp_path, capsys, profile):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(_case([{"name": "co-codamol 30/500 3 x 4"}])), encoding="utf-8")
    run = cli_runner(capsys, "--data-dir", str(tmp_path / "data"), fresh_output=True)
    code, out, err = run("assess", str(path), "--format", "json", "--as-of", "2026-11-25", "--profile", profile)
    assert code == 0, err
    alerts = json.loads(out)["medicine_alerts"]
    reduce = [a for a in alerts if a["status_label"] == "Reduce dose"]
    assert reduce
    for alert in reduce:
        assert "Frequencies written in a prescription" not in alert["source"], alert["text"][:80]
    # the reading of the name is still cited where it is the point: the "Check the dose" note on "3 x 4"
    assert any("Frequencies written in a prescription" in a["source"] for a in alerts
               if a["status_label"] == "Check the dose")
