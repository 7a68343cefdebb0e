"""A UK clinic's paracetamol sheet names UK sources and no US name; the pregnancy box of a UK
clinic's opioid sheet rests on UK sources, not the FDA boxed warning (gp17 F13; src18).

Before (gp17, uk profile and clinic, preg1.pdf p12): the paracetamol sheet's Sources were "ACP
2017, NICE NG59, acetaminophen label, Hylek 1998" and its text said "In the United States it is
called acetaminophen"; the opioid sheet's pregnancy box added "FDA opioid labels (withdrawal in
the newborn)" for every clinic.

Primary sources (resources/handouts/README.md, read 2026-11-30 through the search tool):
- Paracetamol Tablets B.P. 500mg, UK SmPC (emc 100828) 4.2: "Under no circumstances must the
  daily dose of paracetamol exceed four grams in 24 hours"; 4.4: "Care is advised in the
  administration of paracetamol to patients with severe renal or severe hepatic impairment" and
  "Do not take anything else containing paracetamol while taking this medicine." (``paracetamol-uk``)
- NHS "Can I take paracetamol if I'm on warfarin?": more likely "if paracetamol is taken in doses
  greater than 2g (4 tablets) daily for more than a few days" (``nhs-paracetamol-warfarin``)
- UKMi Q&A 200.4 (read in a copy): "long-term use may lead to withdrawal symptoms (neonatal
  abstinence syndrome) in the neonate" (``ukmi-opioids-pregnancy``), with UKTIS "Codeine" 2022.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h
from radiculopathy_desktop.resources import resource_path

AS_OF = dt.date(2026, 11, 30)
ROUTINE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))
PREGNANT = json.loads(resource_path("examples", "routine_med_pregnant_opioid.json").read_text(encoding="utf-8"))

UK_NAMES = {"en": ("UK paracetamol SmPC and NHS (paracetamol)", "NHS (paracetamol with warfarin)"),
            "es": ("ficha técnica británica del paracetamol y NHS (paracetamol)", "NHS (paracetamol con warfarina)")}
US_LABEL = {"en": "acetaminophen label", "es": "ficha técnica del paracetamol"}


def _sheet(data, sheet_id, *, country, lang="en", meds=None, profile="us"):
    d = copy.deepcopy(data)
    if meds is not None:
        d["medicines"] = [{"name": n, "daily_dose_mg": mg} for n, mg in meds]
    req = h.request_for_case(parse_case(d), AS_OF, clinic_name="Riverside Surgery", clinic_contact="01632 960000",
                             lang=lang, sheets=[sheet_id], country=country, profile=profile)
    sheet = h.filled_sheets(req)[0]
    return sheet, " ".join(hc.plain_text(sheet).split())


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("meds", [None, [("paracetamol", 3000)], [("co-codamol 30/500", 4000)]])
def test_a_uk_clinics_paracetamol_sheet_names_the_uk_sources(lang, meds):
    sheet, text = _sheet(ROUTINE, "med_acetaminophen", country="uk", lang=lang, meds=meds, profile="uk")
    printed = hc.printed_sources(sheet, lang)
    assert set(UK_NAMES[lang]) <= set(printed)
    assert US_LABEL[lang] not in printed
    # Hylek 1998 (the warfarin study) stays beside the NHS page; ACP and NICE are unchanged
    assert {"ACP 2017", hc.source_label("nice-ng59", lang), "Hylek et al. 1998"} <= set(printed)
    assert printed.count(UK_NAMES[lang][0]) == 1
    assert "paracetamol-uk" in sheet.sources and "acetaminophen-label" not in sheet.sources


def test_a_uk_clinics_english_paracetamol_sheet_never_gives_the_us_name():
    sheet, text = _sheet(ROUTINE, "med_acetaminophen", country="uk", profile="uk")
    assert "acetaminophen" not in text.lower() and "United States" not in text and "Tylenol" not in text
    assert "Paracetamol is a common pain pill." in text


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("country", ["us", "eu", "other"])
def test_other_clinics_keep_the_sheets_sources_and_words(lang, country):
    sheet, text = _sheet(ROUTINE, "med_acetaminophen", country=country, lang=lang)
    printed = hc.printed_sources(sheet, lang)
    assert US_LABEL[lang] in printed and not set(UK_NAMES[lang]) & set(printed)
    if lang == "en":
        assert "Acetaminophen is a common pain pill. In many countries it is called paracetamol." in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_uk_clinics_opioid_pregnancy_box_rests_on_uk_sources(lang):
    sheet, text = _sheet(PREGNANT, "med_opioid", country="uk", lang=lang, meds=[("codeine 30mg", 120)], profile="uk")
    assert sheet.sections[0].important  # the pregnancy box is printed first
    assert {"uktis-codeine-2022", "ukmi-opioids-pregnancy"} <= set(sheet.sources)
    assert "fda-opioid-nows" not in sheet.sources
    assert not any("FDA opioid labels" in p or "fichas técnicas de opioides de la FDA" in p
                   for p in hc.printed_sources(sheet, lang))


@pytest.mark.parametrize("country", ["us", "eu", "other"])
def test_other_clinics_opioid_pregnancy_box_keeps_the_fda_source(country):
    sheet, _text = _sheet(PREGNANT, "med_opioid", country=country, meds=[("codeine 30mg", 120)])
    assert {"fda-opioid-nows", "uktis-codeine-2022"} <= set(sheet.sources)
    assert "ukmi-opioids-pregnancy" not in sheet.sources


def test_a_not_pregnant_patients_opioid_sheet_adds_no_pregnancy_source():
    d = copy.deepcopy(PREGNANT)
    d["patient"].pop("pregnancy_weeks", None)
    d["patient"]["pregnant"] = False
    sheet, _text = _sheet(d, "med_opioid", country="uk", meds=[("codeine 30mg", 120)], profile="uk")
    assert not {"uktis-codeine-2022", "ukmi-opioids-pregnancy", "fda-opioid-nows"} & set(sheet.sources)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_country_source_has_a_printed_name(lang):
    swapped = 0
    for sheet in hc.list_sheets(lang):
        for _country, swaps in sheet.country_sources:
            for _old, new in swaps:
                for x in new:
                    swapped += 1
                    assert hc.source_label(x, lang) != x, (sheet.id, x)
    assert swapped >= 3
    for x in ("uktis-codeine-2022", "ukmi-opioids-pregnancy", "fda-opioid-nows"):
        assert hc.source_label(x, lang) != x


def _raw_sheet():
    import tomllib
    return tomllib.loads((hc.handouts_dir("en") / "med_acetaminophen.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("value, message", [
    ({"xx": {"acetaminophen-label": ["paracetamol-uk"]}}, "unknown country code"),
    ({"uk": {"boyer-2005": ["paracetamol-uk"]}}, "not one of the sheet's sources"),
    ({"uk": {"acetaminophen-label": []}}, "needs at least one source id"),
    ({"uk": {}}, "must map source ids"),
])
def test_a_bad_country_sources_table_is_refused(value, message):
    data = _raw_sheet()
    data["country_sources"] = value
    with pytest.raises(hc.HandoutFormatError, match=message):
        hc.parse_sheet(data, source="test", expected_id="med_acetaminophen", expected_lang="en")
