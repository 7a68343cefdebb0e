"""The patient handout texts: load them from ``resources/handouts`` and fill in the
personal details at print time.

Pure Python (no Qt): the PDF renderer and the CLI build on this, and the readability
tests measure exactly what this returns. The file format is documented in
``resources/handouts/README.md``.

    >>> sheet = load_sheet("warning_signs", "en")
    >>> filled = render_text(sheet, {"clinic_name": "Riverside Clinic", ...})

Placeholders look like ``{clinic_name}``. Only the names in :data:`PLACEHOLDERS` are
allowed; :func:`render_text` raises ``KeyError`` naming the first placeholder the sheet
uses that ``values`` does not provide, so a handout is never printed half-filled.
"""

from __future__ import annotations

from functools import lru_cache

import datetime
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Mapping

from radiculopathy_desktop.resources import resource_path

LANGUAGES: tuple[str, ...] = ("en", "es")

#: Every placeholder a sheet may use. The renderer supplies the values.
PLACEHOLDERS: frozenset[str] = frozenset(
    {
        "patient_name",
        "date",
        "clinician",
        "clinic_name",
        "clinic_contact",
        "next_follow_up_date",
        # The clinic's name and phone as one sentence (never "Your clinic is your clinic").
        "clinic_details",
        # Who gave the sheet, from what is known: "Dr Ruiz at Riverside", "Dr Ruiz", "Your clinic".
        "given_by",
        # From the clinic's country (domain.emergency): "999", "911", "112" or "your local
        # emergency number", and what to do when the clinic cannot be reached today.
        "emergency_number",
        "urgent_help",
        # The day the standing red flag was recorded (the visit or intake that raised it; the
        # print date when none stands): "When you were seen on ..." (rd13 D3).
        "flag_date",
        # Medicine sheets only: this patient's dose from the medication engine.
        "dose_range",
        # Medicine sheets only: the medicine the sheet is about for this patient, as they read
        # it on their box: the recorded medicine's generic name, the product name in brackets
        # where the record has one ("methylprednisolone (Medrol)"); for a new prescription the
        # medicine of the dose (rd13 D9: never another medicine of the class).
        "medicine",
        "max_daily_dose",
    }
)

#: Print order of the standard sheets; a sheet not listed here sorts after them by id.
STANDARD_ORDER: tuple[str, ...] = (
    "emergency_now",
    "urgent_today",
    "about_sciatica",
    "warning_signs",
    "exercise_plan",
    "follow_up",
    "extra_care",
    "med_nsaid",
    "med_acetaminophen",
    "med_muscle_relaxant",
    "med_gabapentinoid",
    "med_oral_steroid",
    "med_opioid",
)

#: The triage tier of a standing red flag (``domain.followup.standing_red_flags``) -> the
#: sheet that leads the handout: what to do now, in place of the routine reassurance.
#: Printed only for a patient whose flag of that tier stands, always first.
RED_FLAG_SHEETS: dict[str, str] = {
    "emergency": "emergency_now",
    "urgent": "urgent_today",
}

#: Sheets whose reassurance ("most people get better", "rarely a sign of something
#: serious") would contradict a standing red flag: left out of a red-flag patient's
#: default handout (a clinician can still name them).
REASSURING_SHEETS: frozenset[str] = frozenset({"about_sciatica", "warning_signs", "exercise_plan", "follow_up"})

#: Treatment code (``domain.vocabulary.TREATMENTS``) -> the sheet that explains it.
MEDICINE_SHEETS: dict[str, str] = {
    "nsaid": "med_nsaid",
    "acetaminophen": "med_acetaminophen",
    "muscle_relaxant": "med_muscle_relaxant",
    "gabapentinoid": "med_gabapentinoid",
    "oral_corticosteroid": "med_oral_steroid",
    "opioid": "med_opioid",
}

REQUIRED_KEYS: frozenset[str] = frozenset(
    {"id", "title", "audience", "lang", "reviewed", "sources", "sections"}
)
OPTIONAL_KEYS: frozenset[str] = frozenset({"intro", "medicine_class", "country_sources", "patch_title", "mixed_title"})

#: ``forms``: a section printed only for a patient whose medicine of the sheet taken now is of one
#: of these forms (rt24 F5: a buccal tablet beside a patch lost its own advice): a form the clinician's
#: note names (reports.handouts ``_OTHER_FORMS``, "buccal tablet"), "patch", or "not patch" (any
#: product that is not a skin patch, said beside a patch).
FORMS: frozenset[str] = frozenset({"patch", "not patch", "buccal tablet", "sublingual tablet", "lozenge",
                                   "buccal film", "nasal spray", "tablet", "oral lyophilisate",
                                   "transmucosal form", "injection or infusion", "implant", "liquid"})
SECTION_KEYS: frozenset[str] = frozenset(
    {"heading", "paragraphs", "new_course", "bullets", "starting", "kidneys", "after", "important", "countries", "taken_now",
     "taken_now_several", "medicines", "taking", "sources", "opioid_patch", "possible_paragraphs", "possible_bullets", "forms",
     "topical", "unless_medicines", "awaiting_opinion", "red_flag_now", "red_flag_now_heading", "taking_if_tapered",
     "taking_if_tapered_sources"})

_PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class HandoutFormatError(ValueError):
    """A handout file does not follow the documented format."""


@dataclass(frozen=True)
class HandoutSection:
    """One headed block: paragraphs, then bullets, then paragraphs ``after`` the bullets."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    #: Draw it so it stands out (a box or a bold rule) - safety text such as "call us".
    important: bool = False
    #: Bullets about starting the medicine ("we start low and raise it slowly"), printed
    #: before ``bullets`` except for a patient whose current dose is above their maximum
    #: (the sheet then says how it comes down instead).
    starting: tuple[str, ...] = ()
    #: Bullets that say the dose was set for the patient's kidney function ("Your dose is
    #: set for how well your kidneys work"), printed after ``starting`` and before
    #: ``bullets`` only when it was: with kidney function unknown for a medicine dosed by it
    #: the sheet says to ask whether the dose is right for the kidneys instead (rt10 F3).
    kidneys: tuple[str, ...] = ()
    #: Paragraphs for a new prescription only, printed after ``paragraphs`` and left out
    #: with ``starting`` (a medicine taken now, or above its maximum): e.g. what a short
    #: course of steroid pills did in a study, not for someone on them for years (rt10 F6).
    new_course: tuple[str, ...] = ()
    #: The clinic countries (``domain.emergency.COUNTRIES`` codes) the section is printed for;
    #: empty: every country. Where the primary sources of two countries place the same sign
    #: differently (the NHS page for a UK clinic, the FDA Medication Guide elsewhere: rd13 D22),
    #: the sheet carries one section per placement and :func:`for_country` keeps the clinic's.
    countries: tuple[str, ...] = ()
    #: Bullets for a medicine the patient takes now (kept at its dose, or above its maximum),
    #: printed before ``bullets`` in place of ``starting``; left out of a new prescription:
    #: e.g. "take it at the times your prescriber told you" instead of a new course's "in the
    #: morning with breakfast", wrong for hydrocortisone taken two or three times a day (rt14 F9).
    taken_now: tuple[str, ...] = ()
    #: words33 (H-UI-522): ``taken_now`` for a patient who takes two or more medicines of the sheet now
    #: ("You already take them", "Usted ya los toma"): printed in its place (:func:`for_taken_count`), so the
    #: sheet never says "it" of tramadol and codeine. Empty: ``taken_now`` serves any count.
    taken_now_several: tuple[str, ...] = ()
    #: The generic names (medicine data) the section is about; empty: every medicine of the
    #: sheet. A class sheet (muscle relaxants) says each medicine's own points only to a
    #: patient whose medicine it is: :func:`for_medicines` keeps them and joins them to the
    #: shared section of the same heading (mr16: cyclobenzaprine's label was printed for
    #: tizanidine and baclofen too).
    medicines: tuple[str, ...] = ()
    #: Bullets that tell how to take the medicine ("take it with food", "leave 4 hours between
    #: doses"), printed before ``bullets``, except on a sheet that asks the patient to ask before
    #: the next dose whether to keep taking it at all (rated avoid or contraindicated for them):
    #: that sheet must not tell how to keep taking it (uk17: ibuprofen at 33 weeks of pregnancy
    #: still read "Take it with food" under "Ask before your next dose").
    taking: tuple[str, ...] = ()
    #: sheetplan35 (H-MED-720): ``taking`` line for line, printed in its place for a patient who takes a product of
    #: the sheet now that also holds an ingredient of another class never stopped at once (classes.toml
    #: ``[stop_gradually]``: the codeine of co-codamol, the tramadol of Tramacet on the paracetamol sheet; the codeine
    #: of Nurofen Plus on the NSAID sheet): "If it does not help after a few days, stop and tell us" told them to stop
    #: an opioid at once (GP tryout N3). Empty: ``taking`` serves everyone. :func:`for_holding_tapered` applies it.
    taking_if_tapered: tuple[str, ...] = ()
    #: Source ids (of the sheet's ``sources``) that only ``taking_if_tapered`` rests on (FDA 2019, under uk the MHRA
    #: 2020 update, on stopping opioids suddenly): left off the Sources line when it is not printed.
    taking_if_tapered_sources: tuple[str, ...] = ()
    #: Source ids (of the sheet's ``sources``) that only this section's text rests on: left off
    #: the printed Sources line when the section is not printed (a muscle-relaxant sheet for
    #: baclofen lists no cyclobenzaprine label; uk17).
    sources: tuple[str, ...] = ()
    #: ``opioid_patch = true``: printed only for a patient who wears an opioid skin patch now
    #: (fentanyl or buprenorphine, ``domain.medications.is_opioid_patch``); ``false``: printed
    #: only for one who does not (the sciatica sheet's heat pad and hot bath, which the fentanyl
    #: label warns against over a patch: gp19 F1). None: for everyone. :func:`for_patch` applies it.
    opioid_patch: bool | None = None
    #: For an ``opioid_patch = true`` section: its paragraphs and bullets as printed when the
    #: patch is only possible, an unrecognised name written as a patch ("nicotine patch 21mg",
    #: "Carlosafine 10 micrograms/hour patch"): said conditionally ("If you wear a pain patch"),
    #: never "You wear a pain patch" to a patient who may wear none (rt23 F2). Empty: as printed.
    possible_paragraphs: tuple[str, ...] = ()
    possible_bullets: tuple[str, ...] = ()
    #: The forms (:data:`FORMS`) the section is for; empty: every form. :func:`for_forms` applies it.
    forms: tuple[str, ...] = ()
    #: The substances of a skin plaster or patch that is no opioid (medicine data, routes.toml
    #: ``topical_patches``: "lidocaine", "capsaicin") the section is about: printed only for a
    #: patient who uses one now (sht24: a lidocaine plaster was worded as a "possible opioid
    #: patch"). Empty: for everyone. :func:`for_topical` applies it.
    topical: tuple[str, ...] = ()
    #: The generic names (medicine data) for which the section is NOT printed: the NSAID sheet's
    #: "not safe from about 20 weeks of pregnancy" is wrong for a product containing misoprostol,
    #: which must not be taken at any time in pregnancy (sheet28: Arthrotec); that product's own
    #: section (``medicines``) says so instead. :func:`for_medicines` applies it.
    unless_medicines: tuple[str, ...] = ()
    #: path34: the paragraphs printed in place of ``paragraphs`` while a surgical opinion is awaited
    #: (a referral is the case's last decision) and the clinician gave no next visit date: no routine
    #: visit is booked then (the pathway's monitoring says so), so the sheet never prints a date the
    #: app made up ("Your next visit is on ..."; tryout33 F7). A section whose paragraphs print
    #: ``{next_follow_up_date}`` must have them. :func:`for_awaiting_opinion` applies it.
    awaiting_opinion: tuple[str, ...] = ()
    #: redsheet35 (H-UI-542): the paragraphs printed in place of ``paragraphs`` while an emergency or
    #: urgent red flag stands, no referral is awaited and the clinician gave no next visit date: the
    #: red flag's action is now or the same day, so no routine visit is booked and the sheet sends the
    #: patient to the red-flag sheet first (never "Your next visit is on ..." after "Go to the emergency
    #: department now"). A section with ``awaiting_opinion`` must have them. :func:`for_awaiting_opinion`.
    red_flag_now: tuple[str, ...] = ()
    #: sheets36 (H-FMT-909): the heading printed in place of ``heading`` with ``red_flag_now`` ("Next
    #: steps"): "Your next visit" above "No routine visit is booked here yet ..." named a visit there is
    #: not. Required beside ``red_flag_now`` (every sheet that has them heads the section with the visit).
    red_flag_now_heading: str = ""

    def texts(self) -> tuple[str, ...]:
        """The text a new prescription's sheet prints (``taken_now`` replaces ``starting`` only
        for a medicine taken now; the steroid sheet's tests check those lines)."""
        return (self.heading, *self.paragraphs, *self.new_course, *self.starting, *self.kidneys, *self.taking,
                *self.bullets, *self.after)


@dataclass(frozen=True)
class HandoutSheet:
    id: str
    lang: str
    title: str
    sections: tuple[HandoutSection, ...]
    sources: tuple[str, ...]
    reviewed: datetime.date
    audience: str = "patient"
    #: Short personal line(s) printed under the title (who it is for, who gave it).
    intro: tuple[str, ...] = ()
    #: For medicine sheets, the treatment code it explains (see MEDICINE_SHEETS).
    medicine_class: str | None = None
    #: ``[country_sources.<country>]``: for a clinic in that country, a source id of the sheet
    #: -> the ids the same text rests on there (a UK clinic's paracetamol sheet cites the UK
    #: SmPC and NHS pages, not the US label: gp17 F13, src18). :func:`for_country` applies it.
    country_sources: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = ()
    #: ``patch_title``: the title printed for a patient who wears (or may wear) an opioid skin
    #: patch, in place of ``title`` ("strong pain pills" on a patch wearer's sheet: fxf19).
    #: :func:`for_patch` applies it. None: the one title for everyone.
    patch_title: str | None = None
    #: ``mixed_title``: the title for a patient who wears a skin patch and also takes another form of
    #: the sheet's medicine (a buccal tablet, codeine tablets): neither "pills" nor "a patch" alone
    #: (rt24 F5). :func:`for_forms` applies it.
    mixed_title: str | None = None

    def texts(self) -> tuple[str, ...]:
        """Every piece of text in reading order: title, intro, then each section."""
        out: list[str] = [self.title, *self.intro]
        for section in self.sections:
            out.extend(section.texts())
        return tuple(out)


def handouts_dir(lang: str | None = None) -> Path:
    base = resource_path("handouts")
    if lang is None:
        return base
    _check_lang(lang)
    return base / lang


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown handout language {lang!r}; expected one of {', '.join(LANGUAGES)}")


def _order_key(sheet_id: str) -> tuple[int, str]:
    try:
        return (STANDARD_ORDER.index(sheet_id), sheet_id)
    except ValueError:
        return (len(STANDARD_ORDER), sheet_id)


def sheet_ids(lang: str) -> list[str]:
    """The ids of the sheets available in ``lang``, in print order."""
    folder = handouts_dir(lang)
    if not folder.is_dir():
        return []
    return sorted((p.stem for p in folder.glob("*.toml")), key=_order_key)


def list_sheets(lang: str) -> list[HandoutSheet]:
    """Every sheet in ``lang``, in print order."""
    return [load_sheet(sheet_id, lang) for sheet_id in sheet_ids(lang)]


def load_sheet(sheet_id: str, lang: str) -> HandoutSheet:
    """Load one sheet; ``FileNotFoundError`` if it does not exist in that language."""
    _check_lang(lang)
    if not re.fullmatch(r"[a-z0-9_]+", sheet_id):
        raise ValueError(f"not a handout id: {sheet_id!r}")
    path = handouts_dir(lang) / f"{sheet_id}.toml"
    if not path.is_file():
        raise FileNotFoundError(f"no {lang} handout {sheet_id!r} (looked for {path})")
    with path.open("rb") as fh:
        try:
            data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise HandoutFormatError(f"{path}: {exc}") from exc
    return parse_sheet(data, source=str(path), expected_id=sheet_id, expected_lang=lang)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise HandoutFormatError(f"{where}: expected a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _countries(value: Any, where: str) -> tuple[str, ...]:
    from radiculopathy_desktop.domain.emergency import COUNTRIES

    codes = _strings(value, where)
    unknown = [c for c in codes if c not in COUNTRIES]
    if unknown:
        raise HandoutFormatError(f"{where}: unknown country code(s) {', '.join(unknown)}; "
                                 f"expected some of {', '.join(COUNTRIES)}")
    return codes


def for_country(sheet: HandoutSheet, country: str) -> HandoutSheet:
    """The sheet as printed for a clinic in ``country``: sections limited to other countries
    left out (``countries`` key; an unknown code is treated as "other")."""
    from radiculopathy_desktop.domain.emergency import COUNTRIES

    code = country if country in COUNTRIES else "other"
    kept = tuple(s for s in sheet.sections if not s.countries or code in s.countries)
    if len(kept) != len(sheet.sections):
        # a source only the left-out sections rest on is not printed (a UK NSAID sheet does not
        # cite the FDA Medication Guide whose placement it does not print: gp18 F7)
        left_out = {x for s in sheet.sections if s.countries and code not in s.countries for x in s.sources}
        left_out -= {x for s in kept for x in s.sources}
        sheet = replace(sheet, sections=kept, sources=tuple(x for x in sheet.sources if x not in left_out))
    swaps = dict(dict(sheet.country_sources).get(code, ()))
    if swaps:
        sheet = replace(sheet, sources=tuple(dict.fromkeys(
            new for x in sheet.sources for new in swaps.get(x, (x,)))), sections=tuple(
            replace(s, sources=tuple(dict.fromkeys(new for x in s.sources for new in swaps.get(x, (x,)))),
                    taking_if_tapered_sources=tuple(dict.fromkeys(
                        new for x in s.taking_if_tapered_sources for new in swaps.get(x, (x,)))))
            for s in sheet.sections))
    return sheet


def _country_sources(value: Any, sources: tuple[str, ...], where: str):
    """``[country_sources.<country>]``: known countries, each a table of a source id of the sheet
    -> the non-empty list of ids printed in its place for a clinic in that country."""
    from radiculopathy_desktop.domain.emergency import COUNTRIES

    if value is None:
        return ()
    if not isinstance(value, dict):
        raise HandoutFormatError(f"{where}: must be a table of countries")
    out = []
    for country, swaps in value.items():
        if country not in COUNTRIES:
            raise HandoutFormatError(f"{where}: unknown country code {country!r}; expected some of {', '.join(COUNTRIES)}")
        if not isinstance(swaps, dict) or not swaps:
            raise HandoutFormatError(f"{where}.{country}: must map source ids to lists of source ids")
        pairs = []
        for old, new in swaps.items():
            if old not in sources:
                raise HandoutFormatError(f"{where}.{country}: {old!r} is not one of the sheet's sources")
            ids = _strings(new, f"{where}.{country}.{old}")
            if not ids:
                raise HandoutFormatError(f"{where}.{country}.{old}: needs at least one source id")
            pairs.append((old, ids))
        out.append((country, tuple(pairs)))
    return tuple(out)


def _optional_bool(value: Any, where: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise HandoutFormatError(f"{where}: must be true or false")


def _patch_title(value, source: str, key: str = "patch_title") -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise HandoutFormatError(f"{source}: {key} must be a non-empty string")
    return value.strip()


def _section_heading(value, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise HandoutFormatError(f"{where} must be a non-empty string")
    return value.strip()


def for_awaiting_opinion(sheet: HandoutSheet, awaiting: bool, red_flag: bool = False) -> HandoutSheet:
    """The sheet as printed when no next visit was given (``awaiting``): each section's
    ``awaiting_opinion`` paragraphs in place of its ``paragraphs`` while a surgical opinion is
    awaited (path34), its ``red_flag_now`` paragraphs while an emergency or urgent red flag stands
    without a referral (``red_flag``; redsheet35); no "Your next visit is on ..." either way.
    Otherwise as it is."""
    if not any(s.awaiting_opinion or s.red_flag_now for s in sheet.sections):
        return sheet

    def printed(s: HandoutSection) -> tuple[str, ...]:
        if not awaiting:
            return s.paragraphs
        if red_flag and s.red_flag_now:
            return s.red_flag_now
        return s.awaiting_opinion or s.paragraphs

    def heading(s: HandoutSection) -> str:
        # sheets36 (H-FMT-909): no visit is booked: the heading says what the words under it are about
        if awaiting and red_flag and s.red_flag_now and s.red_flag_now_heading:
            return s.red_flag_now_heading
        return s.heading
    return replace(sheet, sections=tuple(
        replace(s, heading=heading(s), paragraphs=printed(s), awaiting_opinion=(), red_flag_now=(),
                red_flag_now_heading="") for s in sheet.sections))


def for_patch(sheet: HandoutSheet, opioid_patch: bool, possible_only: bool = False) -> HandoutSheet:
    """The sheet as printed for a patient who does (``True``) or does not wear an opioid skin
    patch now: sections for the other case (``opioid_patch`` key) left out, with the sources
    only they rest on (gp19 F1: no heat pad or hot bath for a patient with a fentanyl patch),
    and the patch wearer's title (``patch_title``: not "strong pain pills"; fxf19).
    ``possible_only``: the only patch is an unrecognised name written as a patch (rt23 F2): the
    patch sections say it conditionally (``possible_paragraphs``/``possible_bullets``)."""
    if opioid_patch and sheet.patch_title:
        sheet = replace(sheet, title=sheet.patch_title)
    sheet = replace(sheet, patch_title=None)
    if all(s.opioid_patch is None for s in sheet.sections):
        return sheet

    def as_printed(s: HandoutSection) -> HandoutSection:
        if possible_only and opioid_patch and s.opioid_patch:
            s = replace(s, paragraphs=s.possible_paragraphs or s.paragraphs, bullets=s.possible_bullets or s.bullets)
        return replace(s, opioid_patch=None, possible_paragraphs=(), possible_bullets=())

    kept = tuple(as_printed(s) for s in sheet.sections
                 if s.opioid_patch is None or s.opioid_patch == opioid_patch)
    dropped = {x for s in sheet.sections if s.opioid_patch is not None and s.opioid_patch != opioid_patch
               for x in s.sources} - {x for s in kept for x in s.sources}
    return replace(sheet, sections=kept, sources=tuple(x for x in sheet.sources if x not in dropped))


def for_topical(sheet: HandoutSheet, substances) -> HandoutSheet:
    """The sheet as printed for a patient who uses skin plasters or patches of ``substances`` now
    (no opioid: "lidocaine", "capsaicin"; empty: none): sections about another substance's plaster
    (``topical`` key) left out, with the sources only they rest on (sht24)."""
    if not any(s.topical for s in sheet.sections):
        return sheet
    worn = set(substances)
    kept = tuple(replace(s, topical=()) for s in sheet.sections if not s.topical or worn.intersection(s.topical))
    dropped = {x for s in sheet.sections if s.topical and not worn.intersection(s.topical)
               for x in s.sources} - {x for s in kept for x in s.sources}
    return replace(sheet, sections=kept, sources=tuple(x for x in sheet.sources if x not in dropped))


def for_forms(sheet: HandoutSheet, forms) -> HandoutSheet:
    """The sheet as printed for a patient whose medicines of it taken now are of ``forms`` (a form of
    :data:`FORMS` per product; empty for a new prescription): sections for other forms left out, with
    the sources only they rest on; "not patch" stands for any product that is not a patch. A patch
    beside another form: ``mixed_title`` (rt24 F5). Apply it before :func:`for_patch`."""
    had = set(forms)
    if "patch" in had and had - {"patch"}:
        had.add("not patch")
        if sheet.mixed_title:
            sheet = replace(sheet, patch_title=sheet.mixed_title)
    sheet = replace(sheet, mixed_title=None)
    if not any(s.forms for s in sheet.sections):
        return sheet
    kept = tuple(replace(s, forms=()) for s in sheet.sections if not s.forms or had.intersection(s.forms))
    dropped = {x for s in sheet.sections if s.forms and not had.intersection(s.forms)
               for x in s.sources} - {x for s in kept for x in s.sources}
    return replace(sheet, sections=kept, sources=tuple(x for x in sheet.sources if x not in dropped))


def without_empty_sections(sheet: HandoutSheet) -> HandoutSheet:
    """The sheet without the sections left with nothing to print (a section of ``starting`` or
    ``taken_now`` lines only, for the other case: rt24 F9's driving lines)."""
    return replace(sheet, sections=tuple(s for s in sheet.sections
                                         if s.paragraphs or s.bullets or s.starting or s.new_course or s.after))


def for_medicines(sheet: HandoutSheet, generics) -> HandoutSheet:
    """The sheet as printed for a patient whose medicine is ``generics``: sections about other
    medicines (``medicines`` key) left out; a kept section about this medicine is joined to the
    section just before it when that has the same heading (its paragraphs, bullets and
    paragraphs after added), so each heading is printed once, and a bullet two medicines' labels
    both give ("You have kidney problems." for tizanidine and baclofen) is printed once (src23)."""
    if not any(s.medicines or s.unless_medicines for s in sheet.sections):
        return sheet
    wanted = set(generics)
    out: list[HandoutSection] = []
    left_out: set[str] = set()
    for section in sheet.sections:
        if (section.medicines and wanted.isdisjoint(section.medicines)) or wanted.intersection(section.unless_medicines):
            left_out.update(section.sources)
            continue
        if (section.medicines or section.unless_medicines) and out and out[-1].heading == section.heading:
            last = out[-1]
            out[-1] = replace(last, paragraphs=last.paragraphs + section.paragraphs,
                              bullets=tuple(dict.fromkeys(last.bullets + section.bullets)),
                              after=last.after + section.after,
                              important=last.important or section.important,
                              starting=last.starting + section.starting, taken_now=last.taken_now + section.taken_now,
                              taken_now_several=last.taken_now_several + section.taken_now_several,
                              taking=last.taking + section.taking,
                              taking_if_tapered=(last.taking_if_tapered or last.taking)
                              + (section.taking_if_tapered or section.taking)
                              if last.taking_if_tapered or section.taking_if_tapered else (),
                              taking_if_tapered_sources=tuple(dict.fromkeys(
                                  (*last.taking_if_tapered_sources, *section.taking_if_tapered_sources))),
                              sources=tuple(dict.fromkeys((*last.sources, *section.sources))))
            continue
        out.append(replace(section, medicines=(), unless_medicines=()))
    # the Sources line names only what the printed text rests on (uk17)
    left_out -= {x for s in out for x in s.sources}
    return replace(sheet, sections=tuple(out), sources=tuple(x for x in sheet.sources if x not in left_out))


def parse_sheet(
    data: Mapping[str, Any],
    *,
    source: str = "<sheet>",
    expected_id: str | None = None,
    expected_lang: str | None = None,
) -> HandoutSheet:
    """Check a parsed TOML table against the format and build a :class:`HandoutSheet`."""
    missing = REQUIRED_KEYS - data.keys()
    if missing:
        raise HandoutFormatError(f"{source}: missing {', '.join(sorted(missing))}")
    unknown = data.keys() - REQUIRED_KEYS - OPTIONAL_KEYS
    if unknown:
        raise HandoutFormatError(f"{source}: unknown key(s) {', '.join(sorted(unknown))}")
    if expected_id is not None and data["id"] != expected_id:
        raise HandoutFormatError(f"{source}: id {data['id']!r} does not match the file name")
    if expected_lang is not None and data["lang"] != expected_lang:
        raise HandoutFormatError(f"{source}: lang {data['lang']!r} does not match its folder")
    if data["audience"] != "patient":
        raise HandoutFormatError(f"{source}: audience must be 'patient'")
    reviewed = data["reviewed"]
    if not isinstance(reviewed, datetime.date) or isinstance(reviewed, datetime.datetime):
        raise HandoutFormatError(f"{source}: reviewed must be a TOML date such as 2026-11-21")
    for key in ("id", "title", "lang"):
        if not isinstance(data[key], str) or not data[key].strip():
            raise HandoutFormatError(f"{source}: {key} must be a non-empty string")
    sources = _strings(data["sources"], f"{source}: sources")
    if not sources:
        raise HandoutFormatError(f"{source}: sources must not be empty")
    raw_sections = data["sections"]
    if not isinstance(raw_sections, list) or not raw_sections:
        raise HandoutFormatError(f"{source}: needs at least one [[sections]]")
    sections: list[HandoutSection] = []
    for n, raw in enumerate(raw_sections, start=1):
        where = f"{source}: section {n}"
        if not isinstance(raw, dict):
            raise HandoutFormatError(f"{where}: must be a table")
        extra = raw.keys() - SECTION_KEYS
        if extra:
            raise HandoutFormatError(f"{where}: unknown key(s) {', '.join(sorted(extra))}")
        heading = raw.get("heading")
        if not isinstance(heading, str) or not heading.strip():
            raise HandoutFormatError(f"{where}: heading must be a non-empty string")
        section = HandoutSection(
            heading=heading.strip(),
            paragraphs=_strings(raw.get("paragraphs"), f"{where} paragraphs"),
            bullets=_strings(raw.get("bullets"), f"{where} bullets"),
            after=_strings(raw.get("after"), f"{where} after"),
            important=bool(raw.get("important", False)),
            starting=_strings(raw.get("starting"), f"{where} starting"),
            kidneys=_strings(raw.get("kidneys"), f"{where} kidneys"),
            new_course=_strings(raw.get("new_course"), f"{where} new_course"),
            countries=_countries(raw.get("countries"), f"{where} countries"),
            taken_now=_strings(raw.get("taken_now"), f"{where} taken_now"),
            taken_now_several=_strings(raw.get("taken_now_several"), f"{where} taken_now_several"),
            medicines=_strings(raw.get("medicines"), f"{where} medicines"),
            taking=_strings(raw.get("taking"), f"{where} taking"),
            taking_if_tapered=_strings(raw.get("taking_if_tapered"), f"{where} taking_if_tapered"),
            taking_if_tapered_sources=_strings(raw.get("taking_if_tapered_sources"),
                                               f"{where} taking_if_tapered_sources"),
            sources=_strings(raw.get("sources"), f"{where} sources"),
            opioid_patch=_optional_bool(raw.get("opioid_patch"), f"{where} opioid_patch"),
            possible_paragraphs=_strings(raw.get("possible_paragraphs"), f"{where} possible_paragraphs"),
            possible_bullets=_strings(raw.get("possible_bullets"), f"{where} possible_bullets"),
            forms=_strings(raw.get("forms"), f"{where} forms"),
            topical=_strings(raw.get("topical"), f"{where} topical"),
            unless_medicines=_strings(raw.get("unless_medicines"), f"{where} unless_medicines"),
            awaiting_opinion=_strings(raw.get("awaiting_opinion"), f"{where} awaiting_opinion"),
            red_flag_now=_strings(raw.get("red_flag_now"), f"{where} red_flag_now"),
            red_flag_now_heading=_section_heading(raw.get("red_flag_now_heading"), f"{where} red_flag_now_heading"),
        )
        if bool(section.red_flag_now) != bool(section.red_flag_now_heading):
            raise HandoutFormatError(f"{where}: red_flag_now and red_flag_now_heading go together (the heading printed "
                                     "above the words for no visit booked, never \"Your next visit\")")
        if any("{next_follow_up_date}" in t for t in section.paragraphs) and not section.awaiting_opinion:
            raise HandoutFormatError(f"{where}: paragraphs printing {{next_follow_up_date}} need awaiting_opinion "
                                     "(what the sheet says while a surgical opinion is awaited and no visit is booked)")
        if any("{next_follow_up_date}" in t for t in (*section.awaiting_opinion, *section.bullets, *section.after)):
            raise HandoutFormatError(f"{where}: {{next_follow_up_date}} only in paragraphs (never in awaiting_opinion)")
        if bool(section.awaiting_opinion) != bool(section.red_flag_now):
            raise HandoutFormatError(f"{where}: awaiting_opinion and red_flag_now go together (what the sheet says with "
                                     "no visit booked: after a referral, and while an emergency or urgent red flag "
                                     "stands without one)")
        if any("{next_follow_up_date}" in t for t in section.red_flag_now):
            raise HandoutFormatError(f"{where}: {{next_follow_up_date}} only in paragraphs (never in red_flag_now)")
        unknown_forms = set(section.forms) - FORMS
        if unknown_forms:
            raise HandoutFormatError(f"{where}: unknown form(s) {', '.join(sorted(unknown_forms))}; "
                                     f"expected some of {', '.join(sorted(FORMS))}")
        if (section.possible_paragraphs or section.possible_bullets) and section.opioid_patch is not True:
            raise HandoutFormatError(f"{where}: possible_paragraphs and possible_bullets need opioid_patch = true")
        stray = set(section.sources) - set(sources)
        if stray:
            raise HandoutFormatError(f"{where}: sources {', '.join(sorted(stray))} are not in the sheet's sources")
        if section.taken_now_several and len(section.taken_now_several) != len(section.taken_now):
            # words33: the lines for several medicines stand in for those for one, line for line
            raise HandoutFormatError(f"{where}: taken_now_several needs as many lines as taken_now")
        if section.taking_if_tapered and len(section.taking_if_tapered) != len(section.taking):
            # sheetplan35: the lines for a product holding an ingredient never stopped at once stand in for
            # ``taking``, line for line
            raise HandoutFormatError(f"{where}: taking_if_tapered needs as many lines as taking")
        if section.taking_if_tapered_sources and not section.taking_if_tapered:
            raise HandoutFormatError(f"{where}: taking_if_tapered_sources needs taking_if_tapered")
        stray = set(section.taking_if_tapered_sources) - set(sources)
        if stray:
            raise HandoutFormatError(f"{where}: taking_if_tapered_sources {', '.join(sorted(stray))} are not in the "
                                     "sheet's sources")
        if not (section.paragraphs or section.bullets or (section.starting and section.taken_now)):
            # a section of lines for a new prescription (starting) and for one taken now (taken_now)
            # only always prints one of them (rt24 F9)
            raise HandoutFormatError(f"{where}: needs paragraphs or bullets (or both starting and taken_now)")
        sections.append(section)
    medicine_class = data.get("medicine_class")
    if medicine_class is not None and not isinstance(medicine_class, str):
        raise HandoutFormatError(f"{source}: medicine_class must be a string")
    if medicine_class is None and any(s.medicines or s.unless_medicines for s in sections):
        raise HandoutFormatError(f"{source}: only a medicine sheet (medicine_class) has sections with medicines")
    sheet = HandoutSheet(
        id=data["id"],
        lang=data["lang"],
        title=data["title"].strip(),
        sections=tuple(sections),
        sources=sources,
        reviewed=reviewed,
        audience=data["audience"],
        intro=_strings(data.get("intro"), f"{source}: intro"),
        medicine_class=medicine_class,
        country_sources=_country_sources(data.get("country_sources"), sources, f"{source}: country_sources"),
        patch_title=_patch_title(data.get("patch_title"), source),
        mixed_title=_patch_title(data.get("mixed_title"), source, "mixed_title"),
    )
    # awaiting_opinion is printed in place of paragraphs (for_awaiting_opinion), and taking_if_tapered in place of
    # taking (for_holding_tapered), so checked here too
    unknown_placeholders = (placeholders_used(sheet) | frozenset(
        m.group(1) for s in sheet.sections for t in (*s.awaiting_opinion, *s.red_flag_now, *s.taking_if_tapered)
        for m in _PLACEHOLDER_RE.finditer(t))
    ) - PLACEHOLDERS
    if unknown_placeholders:
        raise HandoutFormatError(
            f"{source}: unknown placeholder(s) {', '.join('{' + p + '}' for p in sorted(unknown_placeholders))}"
        )
    return sheet


def for_taken_count(sheet: HandoutSheet, count: int) -> HandoutSheet:
    """``sheet`` for a patient who takes ``count`` medicines of it now: with two or more, each section's
    ``taken_now_several`` lines replace its ``taken_now`` lines ("You already take them": words33, H-UI-522)."""
    if count < 2:
        return sheet
    return replace(sheet, sections=tuple(replace(s, taken_now=s.taken_now_several) if s.taken_now_several else s
                                         for s in sheet.sections))


def for_holding_tapered(sheet: HandoutSheet, holds: bool) -> HandoutSheet:
    """``sheet`` for a patient who does (``holds``) or does not take a product of it now that also holds an
    ingredient of another class never stopped at once (sheetplan35, H-MED-720: co-codamol on the paracetamol
    sheet): each section's ``taking_if_tapered`` lines in place of its ``taking`` lines when it does; the variant
    is dropped either way, so nothing after this prints both."""
    if not any(s.taking_if_tapered for s in sheet.sections):
        return sheet
    sections = tuple(replace(s, taking=s.taking_if_tapered if holds and s.taking_if_tapered else s.taking,
                             taking_if_tapered=(), taking_if_tapered_sources=()) for s in sheet.sections)
    # the Sources line names what the printed text rests on: the variant's own sources only when it is printed
    dropped = set() if holds else {x for s in sheet.sections for x in s.taking_if_tapered_sources}
    dropped -= {x for s in sections for x in s.sources}
    return replace(sheet, sections=sections, sources=tuple(x for x in sheet.sources if x not in dropped))


def placeholders_used(sheet: HandoutSheet) -> frozenset[str]:
    """The placeholder names that appear anywhere in the sheet's text."""
    return frozenset(m.group(1) for text in sheet.texts() for m in _PLACEHOLDER_RE.finditer(text))


def fill(text: str, values: Mapping[str, object]) -> str:
    """Substitute ``{name}`` placeholders in one string; ``KeyError`` naming a missing one."""

    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values or values[name] is None:
            raise KeyError(name)
        return str(values[name])

    return _PLACEHOLDER_RE.sub(sub, text)


def render_text(sheet: HandoutSheet, values: Mapping[str, object]) -> HandoutSheet:
    """A copy of ``sheet`` with every placeholder filled from ``values``.

    Values not used by the sheet are ignored (one dict can serve every sheet). A
    placeholder the sheet uses but ``values`` lacks (or maps to ``None``) raises
    ``KeyError`` with its name. Values are inserted as plain text; escaping for HTML is
    the renderer's job.
    """
    missing = sorted(n for n in placeholders_used(sheet) if values.get(n) is None)
    if missing:
        raise KeyError(missing[0])

    def section(s: HandoutSection) -> HandoutSection:
        return replace(
            s,
            heading=fill(s.heading, values),
            paragraphs=tuple(fill(t, values) for t in s.paragraphs),
            bullets=tuple(fill(t, values) for t in s.bullets),
            starting=tuple(fill(t, values) for t in s.starting),
            kidneys=tuple(fill(t, values) for t in s.kidneys),
            new_course=tuple(fill(t, values) for t in s.new_course),
            taken_now=tuple(fill(t, values) for t in s.taken_now),
            taken_now_several=tuple(fill(t, values) for t in s.taken_now_several),
            taking=tuple(fill(t, values) for t in s.taking),
            taking_if_tapered=tuple(fill(t, values) for t in s.taking_if_tapered),
            after=tuple(fill(t, values) for t in s.after),
        )

    return replace(
        sheet,
        title=fill(sheet.title, values),
        intro=tuple(fill(t, values) for t in sheet.intro),
        sections=tuple(section(s) for s in sheet.sections),
    )


def plain_text(sheet: HandoutSheet) -> str:
    """The sheet as running text, one sentence-ended line per piece (for measuring,
    searching and a plain-text fallback). Headings and bullets get a full stop if they
    do not already end with sentence punctuation."""
    lines = []
    for text in sheet.texts():
        text = text.strip()
        if text and text[-1] not in ".!?:":
            text += "."
        lines.append(text)
    return "\n".join(lines)


@lru_cache(maxsize=1)
def _source_labels() -> dict:
    import tomllib
    with open(resource_path("handouts", "sources.toml"), "rb") as fh:
        return tomllib.load(fh)


#: Source ids a sheet may record for its reviewers but never print for patients: the
#: AI-generated seed summaries are not clinical sources (see domain/citations.py).
REVIEWER_ONLY_SOURCE_PREFIXES = ("seed-summary", "seed")


def is_reviewer_only_source(source_id: str) -> bool:
    return source_id.startswith(REVIEWER_ONLY_SOURCE_PREFIXES)


def printed_sources(sheet: HandoutSheet, lang: str) -> list[str]:
    """The sheet's sources as the patient reads them: published sources by name, reviewer-only
    ids left out, each name once (two label ids share the steroid sheet's one name)."""
    return list(dict.fromkeys(source_label(x, lang) for x in sheet.sources if not is_reviewer_only_source(x)))


def source_label(source_id: str, lang: str) -> str:
    """How a sheet's source id is printed for patients ("NICE NG59 (2016, updated 2020)"),
    from ``resources/handouts/sources.toml``; the id itself only if it is missing there (a test
    stops that from shipping)."""
    labels = _source_labels()
    return labels.get(lang, {}).get(source_id) or labels.get("en", {}).get(source_id) or source_id
