"""The red-flag sheets as the proofreader read them (rd13 D3, D11, D17, D4, D5, D6).

- D3: "When you were seen on ..." is the day the red flag was recorded (the visit that raised
  it), not the print date; the print date stays in the intro ("gave it to you on ...").
- D17: the one-page emergency and urgent sheets list every cauda equina sign of the full
  warning sheet (NICE NG59; GIRFT cauda equina pathway: saddle anaesthesia, bladder, bowel,
  sexual dysfunction, bilateral symptoms). The list is read from the content data.
- D11: the app's triage rule (resources/rules/red_flags.toml, NICE NG234): a history of cancer
  escalates to EMERGENCY with radicular pain, which every patient given the warning sheet
  has (sciatica): the sheet puts cancer history with new pain in an emergency box.
- D4/D5/D6: Spanish without "al el", without adjectives that assume a sex ("confuso"), and
  a Spanish footer.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.triage import triage_case
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h
from radiculopathy_desktop.reports.common import long_date, version_line
from radiculopathy_desktop.resources import resource_path


def _example(name: str) -> dict:
    return json.loads(resource_path("examples", f"{name}.json").read_text(encoding="utf-8"))


def _text(sheet) -> str:
    return " ".join(hc.plain_text(sheet).split())


@pytest.mark.parametrize("lang, seen", [("en", "When you were seen on {d},"), ("es", "Cuando le vimos el {d},")])
def test_the_red_flag_sheet_dates_the_visit_that_raised_it(lang, seen):
    data = _example("urgent_fever_at_follow_up_visit")
    case = parse_case(data)
    visit = dt.date.fromisoformat(data["visits"][0]["date"])
    as_of = visit + dt.timedelta(days=18)
    req = h.request_for_case(case, as_of, clinic_name="Clinic", clinic_contact="555", lang=lang)
    assert req.red_flags is not None and req.red_flags.since == visit  # the visit that reported the fever
    text = _text(h.filled_sheets(req)[0])
    assert seen.format(d=long_date(visit, lang)) in text
    assert seen.format(d=long_date(as_of, lang)) not in text
    assert long_date(as_of, lang) in text  # the print date, in the intro


def _key(bullet: str) -> str:
    """A sign's first clause ("Trouble passing urine"), shared by the long and short wording."""
    return re.split(r"[,.]", bullet, maxsplit=1)[0].strip()


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("sheet_id", ["emergency_now", "urgent_today"])
def test_the_one_page_sheets_list_every_cauda_equina_sign_of_the_warning_sheet(lang, sheet_id):
    warning = hc.load_sheet("warning_signs", lang)
    ces = next(s for s in warning.sections if s.important and s.bullets)  # the first box: cauda equina
    signs = [_key(b) for b in ces.bullets]
    assert len(signs) >= 6
    short = [b for s in hc.load_sheet(sheet_id, lang).sections for b in s.bullets]
    missing = [k for k in signs if not any(b.startswith(k) for b in short)]
    assert not missing, f"{sheet_id} ({lang}) lacks {missing}"


@pytest.mark.parametrize("lang, cancer", [("en", "had cancer"), ("es", "tenido cáncer")])
def test_cancer_history_with_new_pain_is_an_emergency_as_in_the_triage_rules(lang, cancer):
    with open(resource_path("rules", "red_flags.toml"), "rb") as fh:
        rules = tomllib.load(fh)["rules"]
    rule = next(r for r in rules if ["history_of_cancer"] in r["fires_when"])
    assert ["radicular_pain"] in rule["escalate_when"] and rule["escalated_tier"] == "emergency"
    # the same through the app's triage, for a sciatica patient (radicular pain) with a cancer history
    data = _example("routine_l5_acute")
    data["red_flags"]["history_of_cancer"] = "yes"
    day = dt.date.fromisoformat(data["visit_date"])
    assert str(getattr(triage_case(parse_case(data), day).tier, "value", "")).lower() == "emergency"
    sheet = hc.load_sheet("warning_signs", lang)
    boxes = [s for s in sheet.sections if any(cancer in b for b in s.bullets)]
    assert len(boxes) == 1
    box = boxes[0]
    assert box.important and any("{emergency_number}" in p for p in box.paragraphs)
    assert "{clinic_contact}" not in " ".join(box.paragraphs)


def test_spanish_sheets_never_say_al_el_and_have_a_spanish_footer():
    req = h.request_for_case(parse_case(_example("routine_l5_acute")), dt.date(2026, 11, 21),
                             clinic_name="", clinic_contact="", lang="es")
    text = " ".join(_text(s) for s in h.filled_sheets(req))
    assert "al teléfono que figura en su tarjeta de cita" in text
    assert not re.search(r"\bal el\b", text)
    assert "guideline content" not in version_line("2026.11.5", "es") and "contenido clínico" in version_line(
        "2026.11.5", "es")
    assert version_line("2026.11.5") .endswith("guideline content 2026.11.5")


@pytest.mark.parametrize("sheet_id", ["warning_signs", "emergency_now", "urgent_today", "med_muscle_relaxant",
                                      "med_gabapentinoid"])
def test_spanish_signs_do_not_assume_the_patients_sex(sheet_id):
    text = " ".join(hc.load_sheet(sheet_id, "es").texts())
    assert not re.search(r"\bconfus[oa]\b", text)
