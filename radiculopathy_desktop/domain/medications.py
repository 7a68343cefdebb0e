"""Medication safety: status, reasons, seed dose and this patient's adjusted maximum.

One row per medicine the seed summaries mention (ibuprofen, naproxen, acetaminophen,
cyclobenzaprine, gabapentin, pregabalin, a prednisone taper, opioids, tramadol), each
with a status (ok, caution, avoid, contraindicated) that is the worst of its reasons,
and every reason carries its source.

The drug knowledge is reviewed data in ``resources/medicines/``:

* ``sources.toml``  every citation, by id;
* ``classes.toml``  drug classes, their members and synonyms (UK names, brands,
  combination products such as co-codamol);
* ``drugs.toml``    the rows: seed dose, usual dose, label maximum, renal tables;
* ``rules.toml``    the rules (thresholds, severities, caps) and the interactions
  among current medicines.

The loader rejects an entry without a source or with a dangling reference. The data
are loaded once and cached; :func:`assess_medications` does no file I/O.

Kidney function
---------------
Creatinine clearance by Cockcroft-Gault (Cockcroft & Gault, Nephron 1976):
``CrCl = (140 - age) x weight / (72 x SCr)``, x 0.85 for women, with **actual body
weight** in kg, age in years on the assessment date and serum creatinine in mg/dL
(umol/L is converted by the intake at 88.42 umol/L per mg/dL). The result is shown
rounded to one decimal; the dose bands and thresholds use the unrounded value (29.96 is
below 30 even though it shows as 30.0), and the reason says so when rounding lands on a
band edge.

* Sex ``other`` or ``unknown``: computed with the female factor (x 0.85), the lower
  and therefore more conservative estimate; the basis text says so.
* Not computable (age, weight or creatinine missing): the eGFR is used as a surrogate
  with a note (the tables are by CrCl; eGFR is normalised to 1.73 m2); otherwise kidney
  function is reported as unknown and every rule that needs it says so.
* ``creatinine_clearance_override`` (a measured clearance, or a clinician's value)
  replaces the estimate.
* On dialysis the estimate is not valid: the lowest band (CrCl < 15) plus the
  post-haemodialysis supplement is used, and NSAIDs are avoided.

Band edges follow the labels: gabapentin >= 60, 30-59, 15-29, < 15; pregabalin's label
writes overlapping edges (>= 60 and 30-60 share 60; 30-60 and 15-30 share 30): at an
overlapping edge the lower, more conservative band applies (60 -> 75-300 mg, 30 -> 25-150
mg); 15 is not shared (15 -> 25-150 mg).

Recognition, statuses and profiles (issue 12)
---------------------------------------------
A recorded name is matched as typed, then without form/frequency words, then without the
strength, then without salt words, then as a combination ("codeine/paracetamol"). A name
still unknown is never substituted: :meth:`MedicineData.suggest` offers a close known name,
and every row that depends on interactions becomes at least ``not_fully_checked``. A current
dose above the patient's adjusted (renal, age, weight) maximum or above the label maximum is
``reduce_dose`` (one label, gp18 F9; ``avoid`` only from another reason); more than
``[dose_check_slip]`` times the label maximum, "check the dose" (a likely typing slip). The profile's guideline "do not offer" recommendations (the same
data the pathway shows) make a row ``avoid`` with that source; ``profile_max`` in
drugs.toml sets a profile's own maximum (ibuprofen under uk: BNF 2.4 g/day).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
import tomllib
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache, reduce
from itertools import compress
from operator import itemgetter, or_
from pathlib import Path
from typing import Any, Collection, Iterable, Mapping, NamedTuple, Sequence

from radiculopathy_desktop.domain.build import fast_init
from radiculopathy_desktop.domain.clinic import CLINIC_PROFILES as PROFILES
from radiculopathy_desktop.domain.dose_in_name import (NO_STRENGTH, NameReading, Regimen, dash_pairs, find_regimen,
                                                      load_name_reading, spell, strength_mg)
from radiculopathy_desktop.domain.intake import Intake, PregnancyOnDate
from radiculopathy_desktop.domain.phase import phase_name
from radiculopathy_desktop.domain.vocab import (ALERT_LABEL_ORDER, CHECK_DOSE_LABEL, MEDICINE_STATUS_LABELS, Direction,
                                                MedicineStatus)
from radiculopathy_desktop.domain.vocabulary import BOOLEAN_CONDITIONS, RED_FLAG_QUESTIONS, TREATMENTS

#: Row statuses, least to most serious. ``not_fully_checked``: nothing found, but a current
#: medicine was not recognised so its interactions could not be checked (never plain ok);
#: ``reduce_dose``: the current dose is above this patient's renal- or age-adjusted maximum.
STATUSES = tuple(MedicineStatus)
STATUS_LABELS = MEDICINE_STATUS_LABELS  # the one label table (domain/vocab.py), under its old name here
#: A reduce-dose rating that rests only on a dose to check (no maximum to reduce to): its label is
#: ``CHECK_DOSE_LABEL``, imported from domain/vocab.py above
SEVERITIES = ("info", "not_fully_checked", "caution", "reduce_dose", "avoid", "contraindicated")
_RANK = {"info": 0, **{status: status.rank for status in MedicineStatus}}  # a reason's severity or a status
_STATUS_OF_RANK = STATUSES
#: How close a typed name must be to a known one (difflib ratio) to be offered as "did you mean".
SUGGESTION_CUTOFF = 0.8

from radiculopathy_desktop.domain.medicine_files import DATA_FILES  # noqa: E402  (one list, read at start-up too)

_WHEN_KEYS = frozenset({
    "always", "current_class", "except_class", "current_generic", "current_classes_all", "condition",
    "age_at_least", "age_below", "pregnant", "pregnancy_weeks_at_least", "renal_below", "renal_unknown",
    "alcohol", "red_flag_yes", "symptom_weeks_over", "mme_at_least", "weight_below_kg", "profile",
    "pregnancy_weeks_below", "current_count_at_least", "taking_generic",
})
#: The keys of a rule's per-profile wording (rules.toml ``[rule.in_profile.<profile>]``).
_IN_PROFILE_KEYS = frozenset({"text", "source"})
#: Guideline recommendation directions that make a medicine row "avoid" under that profile.
NOT_OFFERED_DIRECTIONS = frozenset(d for d in Direction if d.rules_out)
_POSITION_VERB = {Direction.DO_NOT_OFFER: "does not offer", Direction.NOT_RECOMMENDED: "does not recommend"}
#: ``{mme_counted}`` (mme21): the total with how it was counted, each opioid by its CDC factor
#: ("400 MME/day (morphine 200mg bd: morphine 400 mg/day x 1)"), "at least" when an opioid
#: could not be counted, which it names and says why.
_PLACEHOLDERS = frozenset({"matched", "age", "renal", "weeks", "mme", "mme_counted", "flags", "weight", "cap"})
#: An interaction's text may name the active ingredients matched (``{generics}``: "codeine and
#: oxycodone") and the current opioids' total MME (``{mme}``: "96 MME/day", or why it is not known).
_INTERACTION_PLACEHOLDERS = frozenset({"generics", "mme"})
#: Below this age the adult doses and maxima here do not apply (NICE NG59 covers over 16s;
#: the labels' adult doses are for adults): maxima are withheld and every row says why.
ADULT_AGE = 18
_PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_]+)\}")
_SALT_WORDS = frozenset({
    "sodium", "potassium", "hydrochloride", "hcl", "sulfate", "sulphate", "phosphate", "tartrate", "bitartrate",
    "mesylate", "besylate", "maleate", "succinate", "citrate", "carbonate", "calcium", "er", "sr", "xl", "cr", "ir",
    "mr", "la", "xr", "extended-release", "modified-release", "tablets", "tablet", "capsules", "capsule",
    "epolamine",
    # readers33 (H-MED-682): the modified-release marks of Spanish and French names, "retard" (Tramadol Retard
    # Aurovitas Spain, comprimidos de liberación prolongada) and "LP" (liberación / libération prolongée: "tramadol LP
    # 100 mg c/12h"), as "SR" and "XL" are: the same medicine, its daily dose checked against the same label maximum
    # (tramadol-retard-ft); before, "tramadol retard 200mg bd" was NOT RECOGNISED and 400 mg a day (80 MME) unchecked
    "retard", "lp",
})
# Words a clinician types after the name that do not change which medicine it is: form,
# release, route by mouth and frequency. Topical forms (gel, cream, patch) are NOT here: a
# topical NSAID is not an oral one, so "ibuprofen gel" stays unrecognised ("not fully checked").
# esread2 (H-MED-580): the words a dose is counted in ("tabs", "comprimidos", "sobres", "sachets") are not here but
# in the data (drugs.toml [name_reading] count_words), and are form words too (MedicineData.form_words): one list,
# so a count word is never unknown as a form word ("ibuprofeno 600 mg sobres c/8h" was NOT RECOGNISED)
_FORM_WORDS = frozenset({
    "oral", "solution", "suspension", "liquid", "syrup", "soluble", "dispersible",
    "effervescent", "gastro-resistant", "e/c", "ec", "m/r", "s/r", "film-coated", "chewable", "orodispersible",
    "prolonged-release", "release", "modified", "extended", "prolonged", "delayed", "delayed-release",
    "po", "daily", "od", "bd", "bid", "tds", "tid", "qds", "qid", "prn", "nocte", "mane", "once", "twice",
    "a", "day", "per", "x", "weekly", "week", "every", "hours", "hourly", "at", "night", "morning", "as", "needed",
    "required", "when", "times", "one", "two", "three", "four", "up", "to", "puffs",
})
# A strength: "5mg", "400 mg", "0.5 g", "30/500", "5/325 mg", "10 micrograms", "2.5mg/5ml".
# cmb17: also a range ("200-400mg": the medicine is recognised, its dose is not read from it)
# and a liquid's concentration with no number below ("10mg/ml").
# rt19 F7: a patch's rate ("25 mcg/h", "25mcg/hr", "12 micrograms/hour", "5 micrograms per hour");
# rt21 F8: the Greek mu ("25 \u03bcg/h", U+03BC, beside the micro sign U+00B5), "mcgs",
# "microgramme(s)" and a patch's wear time ("25 mcg/72h": read as a strength, never as a rate).
_STRENGTH_RE = re.compile(
    r"(?<![a-z])\d+(?:[.,]\d+)?(?:\s*[-\u2013\u2014]\s*\d+(?:[.,]\d+)?)?"
    r"(?:\s*(?:mg|mcgs?|µg|\u03bcg|ug|micrograms?|microgrammes?|microgramos?|g|gram(?:os?|s)?|gr|ml|%|units?|iu))?"
    r"(?:\s*(?:(?:/|\.|\bper\b|\ban\b|\bpor\b)\s*(?:\d+\s*)?(?:h|hr|hrs|hours?|horas?)|hour|hora)(?![a-z]))?"
    r"(?:\s*/\s*(?:\d+(?:[.,]\d+)?(?:\s*(?:mg|mcgs?|µg|\u03bcg|ug|micrograms?|microgrammes?|g|gram(?:os?|s)?|ml|%))?|ml\b))*"
    # readers33 (H-MED-683): a liquid's concentration then how often ("paracetamol 100mg/5ml/8h"): the hours are part
    # of the strength here (the medicine is recognised); the dose reading reads them as every 8 hours and asks how
    # many ml a dose is (dose_in_name.find_regimen)
    r"(?:(?<=ml)\s*/\s*\d+\s*(?:h|hr|hrs|hours?|horas?))?(?![a-z])")
_PUNCT_RE = re.compile(r"[(),;:]")
#: strengths joined by "+", "&", "and" or the Spanish "y" ("Fentalis 50 & 25", "fentanyl 50 and 25":
#: patches worn together): one sum, taken out whole, so no "&" or "and" is left in the name (rx23, rt24 F9)
_JOINED_STRENGTHS_RE = re.compile(r"\u00a7(?:\s*(?:\+|&|\band\b|\by\b)\s*\u00a7)+")


def _without_strengths(text: str) -> str:
    """``text`` with its strengths (:data:`_STRENGTH_RE`) taken out, a sum of them as one."""
    marked = _STRENGTH_RE.sub(" \u00a7 ", text)
    if "\u00a7" not in marked:
        return text
    return _JOINED_STRENGTHS_RE.sub(" ", marked).replace("\u00a7", " ")


class MedicineDataError(ValueError):
    """The medicine data in ``resources/medicines`` is malformed (names file and entry)."""


# --------------------------------------------------------------------------- results
class Reason(NamedTuple):
    """One reason line of a row: what, how serious, and where it comes from."""

    text: str
    severity: str  # one of SEVERITIES; "info" does not raise the status above ok
    source: str  # the citations, "; "-joined
    source_ids: tuple[str, ...] = ()
    rule: str = ""

    def to_dict(self) -> dict:
        return {"text": self.text, "severity": self.severity, "source": self.source,
                "source_ids": list(self.source_ids), "rule": self.rule}


class CurrentMedicine(NamedTuple):
    """One current medicine as recorded, and what it was recognised as."""

    name: str
    generics: tuple[str, ...]  # empty when not recognised
    daily_dose_mg: float | None
    classes: tuple[str, ...] = ()
    suggestion: str | None = None  # a close known name when not recognised ("did you mean")

    @property
    def recognised(self) -> bool:
        return bool(self.generics)

    @property
    def not_recognised_text(self) -> str:
        """'"apixiban" (did you mean apixaban?)' for an unrecognised medicine."""
        hint = f" (did you mean {self.suggestion}?)" if self.suggestion else ""
        return f'"{self.name}"{hint}'

    def to_dict(self) -> dict:
        return {"name": self.name, "generics": list(self.generics), "daily_dose_mg": self.daily_dose_mg,
                "classes": list(self.classes), "recognised": self.recognised, "suggestion": self.suggestion}


def _rule_note_dict(note) -> dict:
    """The JSON of a rule's note about current medicines (an interaction or a guideline note)."""
    return {"rule": note.rule, "medicines": list(note.medicines), "severity": note.severity,
            "text": note.text, "source": note.source}


class Interaction(NamedTuple):
    """Two (or more) current medicines that interact."""

    rule: str
    medicines: tuple[str, ...]
    severity: str
    text: str
    source: str
    #: avoidside (H-MED-600): the medicines of the rule's ``keep`` sides (rules.toml), the ones NOT to stop without
    #: their prescriber (an anticoagulant beside an NSAID); the others are the medicines to review. () when the
    #: rule names no side to keep (a duplicate, or a pair where either may change).
    kept: tuple[str, ...] = ()
    #: why the kept medicines are not stopped (rules.toml ``keep_why``); "" without ``kept``
    keep_why: str = ""

    @property
    def to_review(self) -> tuple[str, ...]:
        """The medicines of the pair to review (all of them when the rule keeps none)."""
        return tuple(n for n in self.medicines if n not in self.kept)

    def to_dict(self) -> dict:
        out = _rule_note_dict(self)
        if self.kept:  # only for a rule with a side to keep: other outputs unchanged
            out.update(review=list(self.to_review), keep=list(self.kept), keep_why=self.keep_why)
        return out


class CurrentMedicineNote(NamedTuple):
    """A current medicine without a row of its own that the profile's guideline speaks about."""

    rule: str
    medicines: tuple[str, ...]
    severity: str
    text: str
    source: str

    def to_dict(self) -> dict:
        return _rule_note_dict(self)


class DoseCheck(NamedTuple):
    """One current medicine's daily dose above its own limit (drugs.toml ``[dose_checks]``):
    a label maximum (``kind`` "label_max": codeine 360 mg a day under us, 240 under uk) or,
    where the label states none, a bound far above any usual dose (``kind`` "check": a likely
    typing or unit slip, e.g. dexamethasone above 60 mg or an opioid above 900 MME a day)."""

    generic: str
    medicines: tuple[str, ...]  # the recorded names of its single-ingredient products
    daily_mg: float  # their recorded daily doses added up
    limit_mg: float
    #: "label_max", "check", "unread" (a combination's recorded mg not turned into its components)
    #: or "name" (the regimen written in the name cannot be read, or disagrees with the recorded dose; route27: or
    #: the name says an opioid is given by injection, which the MME and maxima by mouth do not check)
    kind: str
    text: str  # the clinician's reason line
    source: str
    rule: str  # "over-label-max", "over-product-max" (a combination product's own maximum) or "check-dose"
    #: opioidnum (H-MED-612): what a "check" or "name" check asks about, for its few words
    #: (:func:`dose_check_why`): "far_above" (no label maximum; far above any usual dose), "slip" (three
    #: times the label maximum or more), "weekly" (a once-a-week medicine written daily), "patch_strength"
    #: (no single patch is made at that rate), "patch_per_hours" (micrograms per 24 hours, not an hour),
    #: "patch_interval" (changed at an interval not its product's), "injected" (an opioid by injection,
    #: not counted by mouth); "" for the other kinds, whose ``kind`` says it
    what: str = ""

    @property
    def far_above_max(self) -> bool:
        """sheetwords F4 (H-MED-615): asked about because the dose is far above the medicine's own LABEL
        maximum (the slip bound, a multiple of it: paracetamol 16000 mg a day), not only far above any usual
        dose of a medicine whose label states none: the handout tells the patient to contact today, take no
        more. The same fact as ``what == "slip"`` (opioidnum), one field."""
        return self.what == "slip"


class LabelMaxChecked(NamedTuple):
    """step3dose34 (H-MED-704): a current medicine checked against its own label maximum (drugs.toml
    ``[dose_checks]``, kind label_max, one that applies under the profile), above it or not: what
    :func:`_dose_checks` compared, so that what another output says of the dose (the pathway's "Already taking
    enantyum 50mg c/8h (150 mg/day read from its name, above the label maximum of 75 mg/day ...)") is the
    number the dose check read and the maximum it checked, never "no daily dose read" beside a "Reduce dose"
    alert. A :class:`DoseCheck` is made only above the maximum; this is made at or below it too."""

    generic: str
    medicines: tuple[str, ...]  # the recorded names counted against it (a product by another route is not)
    #: their daily doses (recorded, or read from the regimen in the name) added up; None when none was read
    daily_mg: float | None
    limit_mg: float  # the label maximum under the profile, mg of ``generic`` a day (not adjusted for the patient)
    source: str


class ComboReading(NamedTuple):
    """How a combination product's recorded daily dose was turned into its components (G17).

    The window and the case file take one number per product, "Daily dose (mg a day)". For a
    combination product (co-codamol 30/500) that number is read as the daily mg of ONE of its
    components, and the strength in the name ("30/500", in the order the name lists the
    components) turns it into tablets a day and every component's mg: 240 -> 8 tablets (codeine
    240 mg, acetaminophen 4000 mg); 4000 -> the same 8 tablets. The reading must be a whole or
    half number of tablets of one component; if it is one of two (6000 for 30/500: 12 tablets of
    the paracetamol or 200 of the codeine), the fewer tablets are taken (the other reading is
    never a regimen) and the text says which. No strength in the name, or no whole number of
    tablets: ``tablets`` is None and ``problem`` says why ("check the dose", never silence)."""

    name: str  # as recorded
    recorded_mg: float
    strengths: tuple[tuple[str, float], ...]  # (generic, mg per tablet); empty when the name gives none
    tablets: float | None  # None: not turned into components
    components: tuple[tuple[str, float], ...]  # (generic, mg a day); empty when not read
    read_as: str  # the generic whose mg the recorded number was read as ("" when not read)
    problem: str  # why it could not be read ("" when read)
    #: the product's strength came from drugs.toml ``[combination_products]`` (its name fixes
    #: it: Ultracet is 37.5/325), not from a strength written in the name
    fixed_by: str = ""
    #: the product label's own maximum in tablets a day, when it states one (Ultracet: 8)
    max_tablets: float | None = None
    max_source: str = ""
    #: the regimen written in the name the daily amount was read from ("2 tablets four times a
    #: day"), when no daily dose was recorded (cmb17); "" when the recorded dose was read
    from_name: str = ""
    #: the name's regimen and the recorded dose disagree: the recorded dose is used and this
    #: says both, as a "check the dose" (cmb17); "" when they agree or the name gives none
    conflict: str = ""
    #: what the counted units are called ("tablets", "capsules"; "doses" for a single medicine)
    unit: str = "tablets"
    #: combo28 (H-MED-486): the components whose strength is written in micrograms (drugs.toml
    #: ``[component_units]``: Arthrotec's misoprostol 200 micrograms). Every amount here stays in
    #: mg (0.2 mg a tablet), so no maximum or sum ever counts micrograms as mg; only the words
    #: say micrograms ("misoprostol 600 micrograms a day")
    micrograms: tuple[str, ...] = ()
    #: combo28 (H-MED-487): a component the strength names that is not counted (Targin 10/5: "the
    #: naloxone 5 mg a tablet is not counted"), said after the reading; "" when none
    uncounted: str = ""
    #: forms29 (H-MED-537): how the regimen's other words were read ("x 5 days" is a course's length, "every
    #: other day" half a dose a day), said after the reading; "" when nothing more
    regimen_note: str = ""
    #: nxm (H-MED-675): an "N x M" written with no frequency ("3 x 4") is asked (which was meant?), and this holds its
    #: readings, each read as :class:`ComboReading`: N tablets M times a day, and M tablets N times a day (one when
    #: N = M). Both give N x M tablets a day, so the dose is checked against the maximum either way
    #: (:func:`_either_way_checks`); () when there is no such entry or its daily amount cannot be read
    either_way: tuple = ()
    #: nxd36 (H-MED-760): a single medicine whose name gives a number of tablets before its frequency with no unit word
    #: ("paracetamol 500mg 2 qds"): (tablets each time, times a day), so the reading says "2 tablets of 500 mg 4 times
    #: a day, 8 tablets a day", never "8 doses a day" (8 times a day?); () otherwise
    per_time: tuple = ()

    def amount(self, generic: str, mg: float) -> str:
        """'diclofenac 150 mg', 'misoprostol 600 micrograms' (a component's daily amount)."""
        return f"{generic} {_amount(generic, mg, self.micrograms)}"

    @property
    def strength_words(self) -> str:
        """The strength as on the pack, each number in the unit it is written in: '50/200'."""
        return "/".join(_strength(round(mg * 1000, 6) if g in self.micrograms else mg) for g, mg in self.strengths)

    @property
    def parts_words(self) -> str:
        return ", ".join(self.amount(g, mg) for g, mg in self.components)

    @property
    def read(self) -> bool:
        return self.tablets is not None

    @property
    def units_said(self) -> str:
        """``unit`` as said after the count: "1 dose a day", "1 tablet a day", never "1 doses" (handout29);
        "4 doses a day" as before."""
        return self.unit[:-1] if self.tablets == 1 and self.unit.endswith("s") else self.unit

    @property
    def text(self) -> str:
        """'co-codamol 30/500 recorded as 240 mg a day, read as 8 tablets a day of 30/500 (codeine
        240 mg, acetaminophen 4000 mg a day)'."""
        if self.from_name:
            recorded = f"{self.name}: no daily dose recorded"
            if not self.read:
                return f"{recorded}, and the regimen in the name ({self.from_name}) cannot be read: {self.problem}"
        else:
            recorded = f"{self.name} recorded as {_num(self.recorded_mg)} mg a day"
            if not self.read:
                return f"{recorded}: {self.problem}"
        strength = self.strength_words
        strength += " mg" if len(self.strengths) == 1 else ""
        parts = self.parts_words
        fixed = f", the only strength {self.fixed_by} is made in" if self.fixed_by else ""
        how = f", read from the name ({self.from_name}) as" if self.from_name else f" (mg of {self.read_as}), read as"
        note = f" ({self.regimen_note})" if self.regimen_note else ""
        if self.per_time:
            each, times = self.per_time
            often = "once" if times == 1 else f"{_num(times)} times"
            return (f"{recorded}{how} {_num(each)} tablets of {strength} {often} a day, {_num(self.tablets)} tablets a "
                    f"day{fixed} ({parts} a day){self.uncounted}{note}")
        return (f"{recorded}{how} {_num(self.tablets)} {self.units_said} a day of {strength}{fixed} "
                f"({parts} a day){self.uncounted}{note}")

    @property
    def over_product_max(self) -> bool:
        """More tablets a day than the product's own label maximum (Ultracet: 8)."""
        return self.read and self.max_tablets is not None and self.tablets > self.max_tablets


def recorded_dose_words(name: str, daily_dose_mg: float | None, data: "MedicineData | None" = None) -> str:
    """ " 240 mg a day" after a recorded medicine's name; for a combination product, with how
    the number was read (G17): " 240 mg a day (8 tablets a day of 30/500: codeine 240 mg,
    acetaminophen 4000 mg)", or " 4000 mg a day (check the dose: ...)". With no dose recorded, a
    regimen written in the name as read (cmb17): " (no dose recorded; read from the name as 8
    tablets a day of 30/500: codeine 240 mg, acetaminophen 4000 mg)". "" with neither."""
    data = data or load_medicine_data()
    generics = data.resolve(name)[0]
    reading = read_recorded_dose(name, generics, daily_dose_mg or None, data) if generics else None
    if not daily_dose_mg:
        if reading is None:
            return ""
        if not reading.read:
            return f" (no dose recorded; check the dose: {reading.problem})"
        strength = reading.strength_words + (" mg" if len(reading.strengths) == 1 else "")
        return (f" (no dose recorded; read from the name ({reading.from_name}) as {_num(reading.tablets)} "
                f"{reading.units_said} a day of {strength}: {reading.parts_words}{reading.uncounted})")
    words = f" {_num(daily_dose_mg)} mg a day"
    if reading is None:
        return words
    if reading.conflict:
        return f"{words} (check the dose: {reading.conflict})"
    if len(generics) < 2:
        return words
    if not reading.read:
        return f"{words} (check the dose: {reading.problem})"
    return f"{words} ({_num(reading.tablets)} tablets a day of {reading.strength_words}: {reading.parts_words})"


#: a combination's strength in its name: "30/500", "30mg/500mg", "37.5/325 mg", "10 / 325"; forms29 (H-MED-540): a
#: later number in micrograms as the pack writes it ("arthrotec 50mg/200mcg"), its unit checked against the
#: component's (:func:`_combo_units_problem`)
_MICRO_UNIT = r"(?:mcg|micrograms?|µg|ug)"
_COMBO_STRENGTH_RE = re.compile(
    rf"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:mg)?((?:\s*/\s*\d+(?:\.\d+)?\s*(?:mg|{_MICRO_UNIT})?)+)(?![\w.%/])")


def _combo_units_problem(name: str, strengths: Sequence[tuple[str, float]], data: "MedicineData") -> str:
    """forms29 (H-MED-540): a unit written after a combination's number that is not its component's ("arthrotec
    50mg/200mg": misoprostol is 200 micrograms): why the strength is not read, or ""."""
    found = list(_COMBO_STRENGTH_RE.finditer(data.spelled(name).replace(",", ".")))
    if len(found) != 1:
        return ""
    units = [u for _n, u in re.findall(rf"(\d+(?:\.\d+)?)\s*(mg|{_MICRO_UNIT})?", found[0].group(0))]
    for (g, _mg), unit in zip(strengths, units):
        micro = data.component_units.get(g) == "micrograms"
        if unit and (unit != "mg") != micro:
            return (f"the strength \"{found[0].group(0).strip()}\" writes {g} in {unit}, but {g} in it is in "
                    f"{'micrograms' if micro else 'mg'}")
    return ""


def combination_strengths(name: str, generics: Sequence[str]) -> tuple[tuple[str, float], ...]:
    """The mg of each component per tablet, from the one strength written in ``name`` with as
    many numbers as ``generics`` (in the order the name lists them); empty when there is none,
    more than one, or a count that does not match (never a guess)."""
    found = list(_COMBO_STRENGTH_RE.finditer(name.lower().replace(",", ".")))
    if len(found) != 1:
        return ()
    numbers = [float(found[0].group(1)), *(float(x) for x in re.findall(r"\d+(?:\.\d+)?", found[0].group(2)))]
    if len(numbers) != len(generics) or any(n <= 0 for n in numbers):
        return ()
    return tuple(zip(generics, numbers))


class CombinationProduct(NamedTuple):
    """drugs.toml ``[combination_products.<name>]``: the strengths a combination product is
    sold in (mg per tablet, in the order its synonym lists the generics) and its label's own
    maximum in tablets a day where it states one lower than its components'."""

    name: str
    sold_as: tuple[tuple[float, ...], ...]
    max_tablets_a_day: float | None
    source: str
    #: combo28 (H-MED-487): components the strength names after the counted ones that classes.toml
    #: does not count (Targin's naloxone); sold_as lists their mg too, last
    uncounted: tuple[str, ...] = ()
    #: forms29 (H-MED-541): what one of its units is called when it is no single tablet (Napratec: "doses", one
    #: naproxen tablet with one misoprostol tablet); "tablets" otherwise
    unit: str = "tablets"

    @property
    def sold_words(self) -> str:
        return ", ".join("/".join(_strength(mg) for mg in s) for s in self.sold_as)


def _each_component(generics: Sequence[str], data: "MedicineData") -> str:
    """"the mg of each component (a, b)"; arthro36 (H-MED-751): with a component dosed in micrograms
    (misoprostol), "the strength of each component (diclofenac in mg, misoprostol in micrograms)", never its mg."""
    micro = _micrograms_of(generics, data)
    if not micro:
        return f"the mg of each component ({', '.join(generics)})"
    return "the strength of each component (" + ", ".join(
        f"{g} in {'micrograms' if g in micro else 'mg'}" for g in generics) + ")"


def _combination_strengths_of(name: str, generics: Sequence[str], data: "MedicineData"
                              ) -> tuple[tuple[tuple[str, float], ...], str, "CombinationProduct | None", str]:
    """The mg a tablet of each component of the combination product ``name`` (spelled as the
    data spells names: :meth:`MedicineData.spelled`), the product name that fixes it when no
    strength is written ("" otherwise), the ``[combination_products]`` entry, and why there is no
    strength ("" when there is one)."""
    product = data.combination_product(name)
    if product is not None and len(product.sold_as[0]) != len(generics):
        product = None  # never applied to a name resolved to other components
    strengths = combination_strengths(data.spelled(name), generics)
    fixed_by = ""
    wrong_unit = _combo_units_problem(name, strengths, data) if strengths else ""
    if wrong_unit:
        return (), "", product, f"{wrong_unit}, so {_each_component(generics, data)} is not known"
    if product is not None:
        if strengths and tuple(mg for _g, mg in strengths) not in product.sold_as:
            written = "/".join(_strength(mg) for _g, mg in strengths)
            swapped = tuple(reversed([mg for _g, mg in strengths])) in product.sold_as and len(strengths) == 2
            hint = f" (written the other way round? {'/'.join(reversed(written.split('/')))} is)" if swapped else ""
            return (), "", product, (
                f"{product.name} is sold as {product.sold_words}, not {written}{hint}, so {_each_component(generics, data)} "
                "is not known")
        if not strengths and len(product.sold_as) == 1:
            strengths = tuple(zip(generics, product.sold_as[0]))
            fixed_by = " ".join(data.spelled(name).split())
            if len(product.name) > len(fixed_by):
                # arthro36 (H-MED-750): "arthrotec 75 3 times a day" is fixed by "arthrotec 75" (one strength), never
                # "the only strength arthrotec is made in" (plain Arthrotec is made in two)
                fixed_by = product.name
    if strengths:
        # combo28: a component written in micrograms (Arthrotec 50/200: misoprostol 200 micrograms)
        # is held in mg from here on, so every sum and maximum counts mg
        micro = data.component_units
        return tuple((g, round(mg / 1000, 9) if micro.get(g) == "micrograms" else mg) for g, mg in strengths), \
            fixed_by, product, ""
    if product is not None:
        return (), "", product, (
            f"{NO_STRENGTH} and {product.name} is sold as {product.sold_words} (e.g. "
            f"\"{product.name} {'/'.join(_strength(mg) for mg in product.sold_as[-1])}\"), so {_each_component(generics, data)} "
            "is not known")
    # no invented example strength: the order of the components is what the clinician needs
    return (), "", None, (
        f"{NO_STRENGTH} (write it after the name as on the pack, mg of "
        f"{' / mg of '.join(generics)}), so the mg of each component is not known")


def read_combination(name: str, generics: Sequence[str], recorded_mg: float,
                     data: "MedicineData | None" = None) -> ComboReading:
    """``recorded_mg`` a day of the combination product ``name`` as its components
    (:class:`ComboReading`). A product drugs.toml ``[combination_products]`` lists
    (H-MED-223): with no strength in the name and one strength sold, that strength; a strength in the
    name that it is not sold in, "check the dose" naming the strengths it is sold in."""
    data = data or load_medicine_data()
    strengths, fixed_by, product, problem = _combination_strengths_of(name, generics, data)
    max_tablets = product.max_tablets_a_day if product is not None else None
    max_source = product.source if max_tablets is not None else ""
    if problem:
        return ComboReading(name, recorded_mg, (), None, (), "", problem)
    micro = _micrograms_of(generics, data)
    fits = []
    for generic, mg in strengths:
        halves = recorded_mg / mg * 2
        if halves >= 0.999999 and abs(halves - round(halves)) < 1e-6:
            fits.append((round(halves) / 2, generic))
    if not fits:
        strength = ComboReading(name, recorded_mg, strengths, None, (), "", "", micrograms=micro).strength_words
        return ComboReading(name, recorded_mg, strengths, None, (), "", (
            f"{_num(recorded_mg)} mg is not a whole number of {strength} tablets of any component "
            f"({', '.join(generics)}), so the mg of each is not known"))
    tablets, read_as = min(fits)
    components = tuple((g, round(mg * tablets, 9 if g in micro else 3)) for g, mg in strengths)
    unit = product.unit if product is not None else "tablets"
    return ComboReading(name, recorded_mg, strengths, tablets, components, read_as, "", fixed_by, max_tablets,
                        max_source, micrograms=micro, unit=unit)


def _reading_from_regimen(name: str, rest: str, generics: Sequence[str], regimen: Regimen,
                          data: "MedicineData") -> ComboReading:
    """The daily amount a regimen written in the name gives (cmb17), or why it gives none."""
    unit = regimen.count_word or ("tablets" if len(generics) > 1 else "doses")
    unit = data.name_reading.count_units.get(unit, unit)  # "tabs", "comprimidos" -> "tablets" (data)

    def unread(problem: str) -> ComboReading:
        return ComboReading(name, 0.0, (), None, (), "", problem, from_name=regimen.words, unit=unit)

    if regimen.problem:
        asked = unread(f"{regimen.problem}; type the daily dose in the dose field")
        if not regimen.either_way:
            return asked
        # nxm (H-MED-675): "3 x 4": each order read as written ("3 tablets 4 times a day", "4 tablets 3 times a day")
        a, b = regimen.either_way
        readings = []
        for count, times in dict.fromkeys(((a, b), (b, a))):
            words = f"{_num(count)} tablet{'' if count == 1 else 's'} {'once' if times == 1 else _num(times) + ' times'} a day"
            one = _reading_from_regimen(name, rest, generics, regimen._replace(
                words=words, count=count, times_a_day=times, problem="", either_way=()), data)
            if not one.read:
                return asked  # no strength, a stray number...: its daily amount is not known either way
            readings.append(one)
        return asked._replace(either_way=tuple(readings))
    if regimen.times_a_day is None and regimen.as_needed:
        return unread("it is taken as needed and the name says no most a day, so the daily total is not known; ask "
                      "how many a day at most and type that daily dose in the dose field")
    if regimen.times_a_day is None:
        return unread("it says how many but not how often; type the daily dose in the dose field")
    doses = (regimen.count or 1) * regimen.times_a_day
    if regimen.as_needed:
        return unread(f"it is taken as needed (up to {_num(doses)} {unit} a day), so how much is taken a day is not "
                      "known; type the daily dose taken in the dose field")
    if abs(doses * 2 - round(doses * 2)) > 1e-6:
        return unread(f"{_num(doses)} {unit} a day is not a whole or half number; type the daily dose in the dose "
                      "field")
    if len(generics) > 1:
        strengths, fixed_by, product, problem = _combination_strengths_of(name, generics, data)
        if problem:
            return unread(f"{problem}; write the strength in the name or type the daily dose in the dose field")
        max_tablets = product.max_tablets_a_day if product is not None else None
        if product is not None and product.unit != "tablets" and not regimen.count_word:
            unit = product.unit  # forms29: "napratec bd" is 2 doses (a naproxen with a misoprostol tablet each)
        micro = _micrograms_of(generics, data)
        components = tuple((g, round(mg * doses, 9 if g in micro else 3)) for g, mg in strengths)
        return ComboReading(name, 0.0, strengths, doses, components, "", "", fixed_by, max_tablets,
                            product.source if max_tablets is not None else "", from_name=regimen.words, unit=unit,
                            micrograms=micro, regimen_note=regimen.note)
    mg, why = strength_mg(rest)
    uncounted = ""
    if mg is None:
        # combo28 (H-MED-487): a product whose strength also names a component classes.toml does
        # not count (Targin 10/5: oxycodone 10 mg with naloxone 5 mg; Zubsolv 5.7/1.4): the first
        # number is the counted medicine's mg, when the pair is a strength the product is sold in
        mg, uncounted, why_not = _strength_with_uncounted(rest, generics, data)
        if why_not:
            return unread(f"{why_not}; write the strength as on the pack or type the daily dose in the dose field")
    largest = data.name_reading.largest_count
    # rt26: a number with its unit after a space ("2.5 mg", as strength_mg reads it) has a unit
    unitless = re.findall(r"(?<![\w.#/])(\d+(?:\.\d+)?)(?![\w./%])(?!\s+(?:mg|mcg|micrograms?|microgramos?|µg|ug|gram(?:os?|s)?|g|ml|%|"
                          r"units?|iu)(?![\w./]))", rest)
    if mg is not None and unitless and float(unitless[0]) <= largest:
        # "paracetamol qds 2": a number with no unit that could be a count is never mg (fx17)
        return unread(f"the {unitless[0]} in the name has no unit, so it may be a number of tablets or a strength; "
                      "write the strength with mg after the name and the number of tablets before the frequency (e.g. "
                      "2 tablets qds), or type the daily dose in the dose field")
    if regimen.bare_count:
        if mg is None and regimen.count is not None and regimen.count > largest and why == NO_STRENGTH:
            # "naproxen 500 bd": a number too large to be a count is the strength in mg, taken once a dose
            mg, doses = regimen.count, regimen.times_a_day
            regimen = regimen._replace(words=" ".join(regimen.words.replace(
                regimen.bare_count, regimen.bare_count.split(" ", 1)[1], 1).split()))
        elif mg is None:
            # "paracetamol 2 qds": the 2 is a number of tablets (never 2 mg), of a strength not written
            return unread(f"\"{regimen.bare_count}\" gives a number of tablets but the name gives no strength in mg "
                          "(never read as mg); write the strength with mg after the name or type the daily dose in the dose field")
    if mg is None:
        return unread(f"{why}; write the strength in mg in the name or type the daily dose in the dose field")
    micrograms = _MICROGRAM_STRENGTH_RE.search(rest)
    g = generics[0]
    limit = data.dose_limits.get(g)
    if micrograms and g not in data.dose_units and (
            g in data.mme_factors or (limit is not None and limit.kind == "label_max") or g in _row_label_limits(data)):
        # redteam28 (H-MED-492): "morphine 10mcg qds", "naproxen 500mcg bd": a medicine whose label maximum or MME
        # this tool checks in mg, written in micrograms, is almost surely mg mistyped; read as written it is a
        # thousandth of the dose (0 MME), shown as fine. Asked about, never read either way. Not a medicine checked
        # only against a bound far above any usual dose (betamethasone, dexamethasone: sold as 500 microgram
        # tablets), nor one taken in micrograms (classes.toml [dose_units]: fentanyl, buprenorphine)
        return unread(f"its strength is written in micrograms (\"{micrograms.group(0)}\") but {g} is taken in mg; "
                      "check whether mg was meant, and write the strength in mg or type the daily dose in the dose field")
    # nxd36 (H-MED-760): "2 qds" is 2 tablets 4 times a day, said so (it was "8 doses a day of 500 mg")
    times = regimen.times_a_day
    per_time = ((regimen.count, times) if unit == "doses" and regimen.count is not None and regimen.count > 1
                and times >= 1 and float(times).is_integer() else ())
    return ComboReading(name, 0.0, ((generics[0], mg),), doses, ((generics[0], round(mg * doses, 3)),), "", "",
                        from_name=regimen.words, unit=unit, uncounted=uncounted, regimen_note=regimen.note,
                        per_time=per_time)


def _micrograms_of(generics: Sequence[str], data: "MedicineData") -> tuple[str, ...]:
    """The components whose strength a combination's name writes in micrograms (combo28)."""
    return tuple(g for g in generics if data.component_units.get(g) == "micrograms")


def _strength_with_uncounted(rest: str, generics: Sequence[str], data: "MedicineData"
                             ) -> tuple[float | None, str, str]:
    """combo28 (H-MED-487): for a ``[combination_products]`` entry with ``uncounted`` components
    (Targin: naloxone), the counted medicine's mg a tablet from the strength written in the name,
    the words saying what is not counted, and why there is none ("" when read). (None, "", "")
    when the name is no such product (the caller's own "no strength" stands)."""
    product = data.combination_product(rest)
    if product is None or not product.uncounted or len(generics) != 1:
        found = list(_COMBO_STRENGTH_RE.finditer(data.spelled(rest).replace(",", ".")))
        numbers = re.findall(r"\d+(?:\.\d+)?", found[0].group(0)) if len(found) == 1 else []
        if len(numbers) > len(generics):
            # "buprenorphine/naloxone 8/2mg od": more numbers than medicines counted, and no strengths held
            # for the name to tell which is whose: said as it is, never "the name gives no strength"
            return None, "", (f"the strength written ({'/'.join(numbers)}) has {len(numbers)} numbers for "
                              f"{len(generics)} medicine counted here ({', '.join(generics)}), and the strengths this "
                              "product is sold in are not held here, so which number is its mg is not known")
        return None, "", ""
    names = (*generics, *product.uncounted)
    written = combination_strengths(data.spelled(rest), names)
    if not written:
        return None, "", (f"{product.name} is sold as {product.sold_words} mg ({' / '.join(names)}) and the name "
                          "gives none of them")
    numbers = tuple(mg for _g, mg in written)
    if numbers not in product.sold_as:
        return None, "", (f"{product.name} is sold as {product.sold_words} mg ({' / '.join(names)}), not "
                          f"{'/'.join(_strength(n) for n in numbers)}, so the mg of {generics[0]} is not known")
    others = ", ".join(f"{g} {_strength(mg)} mg a tablet" for g, mg in written[1:])
    return numbers[0], f"; the {others} is not counted (no MME or maximum)", ""


#: redteam28: a strength written in micrograms ("10mcg", "500 micrograms", "10 µg")
_MICROGRAM_STRENGTH_RE = re.compile(r"(?<![\w.])\d+(?:\.\d+)?\s*(?:mcg|micrograms?|µg|ug)(?![\w./])")


def _unexplained_in_name(rest: str, generics: Sequence[str], data: "MedicineData") -> str:
    """Why a name with its regimen taken out is not only the medicine and its strength (fx17):
    it names another medicine than the whole name ("tylenol 3 tabs tds": Tylenol #3 or 3 tablets
    of Tylenol), or keeps a number that is neither its strength nor part of its name ("co-codamol
    30/500 qds 2", "ultracet 2"). "" when every word is accounted for."""
    own = data.resolve(rest)[0] if rest else ()
    if tuple(own) != tuple(generics):
        return ""  # told apart by the caller (it names both)
    if len(generics) < 2:
        return ""  # a single medicine's numbers are read by strength_mg (one number, or check the dose)
    key, with_strength, _bare_salt, _bare, no_combo_strength = _name_candidates(rest, data.form_words)
    left = re.sub(r"[#]", " ", no_combo_strength)
    if not re.search(r"\d", left):
        return ""
    for candidate in (key, with_strength, no_combo_strength):
        if data._lookup(candidate) is not None:
            return ""
    product = data.combination_product(rest)
    if product is not None and re.search(r"\d", product.name) and product.name in no_combo_strength:
        left = no_combo_strength.replace(product.name, " ")
        if not re.search(r"\d", left):
            return ""
    numbers = re.findall(r"\d+(?:\.\d+)?", left)
    return (f"the name gives a number the reading cannot place ({', '.join(numbers)}): neither its strength nor "
            "a count before its frequency; write the count as tablets before the frequency (e.g. 2 tablets qds) "
            "or type the daily dose in the dose field")


def _recorded_but_asked(name: str, generics: Sequence[str], daily_dose_mg: float, problem: str,
                        data: "MedicineData") -> ComboReading:
    """A recorded dose beside a name whose regimen cannot be read (fx17): the recorded dose is
    still counted (never dropped: that would read the dose too low), and the name is asked about."""
    if len(generics) > 1:
        recorded = read_combination(name, generics, daily_dose_mg, data)
    else:
        recorded = ComboReading(name, daily_dose_mg, ((generics[0], daily_dose_mg),), 1.0,
                                ((generics[0], daily_dose_mg),), generics[0], "")
    return recorded._replace(conflict=f"{name}: {problem}; the recorded dose is used until the name is corrected")


_UNIT_WORDS = frozenset({"mg", "mcg", "µg", "ug", "microgram", "micrograms", "g", "gram", "grams", "gr", "ml", "%",
                         "unit", "units", "iu"})
_STRENGTH_WORD_RE = re.compile(r"\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|ug|micrograms?|g|gram(?:os?|s)?|gr|ml|%|units?|iu)"
                               r"(?:/\S*)?|\d+(?:[.,]\d+)?(?:/\d+(?:[.,]\d+)?)+(?:mg|ml)?|\d+(?:[.,]\d+)?mg/ml")


_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)?")
#: a unit with what follows its slash, written apart from its number: "mg", "mg/5", "mg/ml", "mg/"
_UNIT_PER_RE = re.compile(r"(?:mg|mcg|µg|ug|micrograms?|g|gram(?:os?|s)?|gr|ml|%|units?|iu)(/\S*)?")


def _strength_words(lows: Sequence[str], n: int) -> int:
    """How many of the words ``lows[n:]`` (spelled) are one strength, written whole ("400mg",
    "10mg/5ml", "30/500") or in pieces ("400 mg", "10 mg/5 mL", "10 mg / 5 ml", "10 mg per 5 ml");
    0 when ``lows[n]`` starts none. A liquid's strength is cut whole, never at its slash (rt19 F10:
    "Morphine sulfate 10 mg/5 mL" was printed "Morphine sulfate 10 mg/5")."""
    word = lows[n]
    if _STRENGTH_WORD_RE.fullmatch(word):
        unit = word
        j = n + 1
    elif _NUMBER_RE.fullmatch(word) and n + 1 < len(lows) and _UNIT_PER_RE.fullmatch(lows[n + 1]):
        unit = lows[n + 1]
        j = n + 2
    elif word in _UNIT_WORDS:
        return 1
    else:
        return 0
    # the "per" part of a liquid's strength, where the unit left it open: "mg/5" + "ml",
    # "mg/" + "5 ml", "mg" + "/ 5 ml" or "per 5 ml"
    opened = _UNIT_PER_RE.fullmatch(unit)
    per = opened.group(1) if opened else None
    if per is None and j < len(lows) and lows[j] in ("/", "per") and j + 1 < len(lows) \
            and (_NUMBER_RE.fullmatch(lows[j + 1]) or lows[j + 1] in _UNIT_WORDS or _STRENGTH_WORD_RE.fullmatch(lows[j + 1])):
        per, j = "/", j + 1
    if per is None:
        return j - n
    if per == "/" and j < len(lows) and _STRENGTH_WORD_RE.fullmatch(lows[j]):
        return j + 1 - n  # "mg/" + "5ml"
    if per == "/" and j < len(lows) and _NUMBER_RE.fullmatch(lows[j]):
        j += 1
    if (per == "/" or _NUMBER_RE.fullmatch(per[1:])) and j < len(lows) and lows[j] in _UNIT_WORDS:
        j += 1
    return j - n


def product_words(name: str, data: MedicineData | None = None) -> str:
    """The product's name as it was typed, without the regimen the name carries ("x2 qds",
    "1 tab qid": :func:`~radiculopathy_desktop.domain.dose_in_name.find_regimen`), without a
    strength ("30/500", "400mg", "400 mg", "10mg/ml") and without trailing form words ("caps").
    Nothing else is taken out: a number that is part of the name ("Tylenol No. 3", "tylenol
    #3") and the typed spelling (capitals, "No.", "#", "w/") are kept (opi18: the sheet named
    "tylenol no. 3 x2 qds" "(tylenol no.)", cut at the first digit). Empty when the name is all
    strength and regimen."""
    data = data or load_medicine_data()
    reading = data.name_reading
    typed = name.split()
    spelled = spell(_undecorated(name), reading)  # esread2: read as the reader reads it (NFC); the typed words kept
    rest, regimen = find_regimen(spelled, reading) if reading.may_hold_regimen(name.lower().replace(".", "")) \
        else (spelled, None)
    # the typed words whose spelling is, in order, the name without its regimen (spell() only
    # lower-cases, joins "# 3" and turns "No." into "no": the regimen words are the ones left over)
    target = "".join(rest.split()) if regimen is not None else "".join(spelled.split())
    at = 0
    kept: list[str] = []
    for word in typed:
        piece = "".join(spell(_undecorated(word), reading).split())
        if piece and target.startswith(piece, at):
            kept.append(word)
            at += len(piece)
        elif not piece:
            kept.append(word)  # punctuation the spelling drops ("-")
    out: list[str] = []
    lows = [spell(_undecorated(word), reading) for word in kept]
    n = 0
    while n < len(kept):
        taken = _strength_words(lows, n)
        if taken:
            n += taken
            continue
        out.append(kept[n])
        n += 1
    unread = data.unread_regimen(name)
    if unread is not None:
        # unread30: regimen words not read ("qod", "then", "for 5-7 days") are no part of the product's name either
        # (a sheet said "ibuprofen (ibuprofen then)"); taken off its end only when they are exactly those words
        left, taken, k = "".join(unread[2].split()), "", len(out)
        while k > 0 and len(taken) < len(left):
            k -= 1
            taken = "".join(spell(out[k], reading).split()) + taken
        if taken == left:
            out = out[:k]
    while out and spell(_undecorated(out[-1]), reading) in data.form_words:
        out.pop()
    return " ".join(out)


def _unread_regimen_reading(name: str, generics: Sequence[str], data: "MedicineData") -> ComboReading | None:
    """unread30 (H-MED-574): a known medicine written with regimen words the reader does not read
    (:meth:`MedicineData.unread_regimen`: "methotrexate 10mg qod", "ibuprofen 400mg stat then tds"), and no dose
    recorded: its daily dose is asked about, naming those words, never read from the rest of the name (a frequency
    read beside words not read may not be the whole regimen: "stat then tds"). A route written in it ("morphine 10mg
    iv then") is said, as for any regimen by another route. None when the name leaves nothing unread."""
    routed = _ROUTE_AFTER_DOSE_RE.sub(r"\1", _route_spelled(name))
    unread = data.unread_regimen(name) or (data.unread_regimen(routed) if routed != name else None)
    if unread is None or tuple(unread[0][0]) != tuple(generics):
        return None
    words, left = unread[1], unread[2]
    spelled = " ".join(spell(name, data.name_reading).split())
    regimen = find_regimen(spelled, data.name_reading)[1]
    why = (f"\"{left}\" in it could not be read as how much or how often it is taken"
           if left != words and re.search(r"\w", left) else
           f"\"{words}\" could not be read as how much or how often it is taken")
    more = _more_than_weekly(regimen, [data.dose_limits[g] for g in generics
                                       if g in data.dose_limits and data.dose_limits[g].kind == "weekly"])
    if more:
        why = f"{more}; {why}"  # weekly (H-MED-605): "methotrexate 2.5mg twice weekly then ..."
    if regimen is not None and regimen.problem:
        why = f"{why}; {regimen.problem}"
    route = data.not_by_mouth(name)
    if route:
        why = f"{why}; it is {route}, and the daily maximum and the MME this tool checks are for the medicine by mouth"
    return ComboReading(name, 0.0, (), None, (), "", f"{why}; type the daily dose in the dose field",
                        from_name=words)


def _more_than_weekly(regimen: Regimen | None, weekly: Sequence["_DoseLimit"]) -> str:
    """weekly (H-MED-605): for a medicine taken once a week (``weekly``: its drugs.toml weekly_only limits), why its
    regimen written on more than one day a week ("twice weekly", "2 veces por semana", "on Mondays and Thursdays",
    "every 3 days") or in words that may mean so ("biweekly") is asked about, naming the weekly hazard; "" when it is
    not (no such medicine, once a week or less often, or a daily dose read, which the weekly check asks about)."""
    if regimen is None or not weekly or (regimen.times_a_day is not None and not regimen.problem):
        return ""
    if regimen.days_a_week is not None and regimen.days_a_week > 1:
        return f"\"{regimen.week_words}\" is on more than one day a week, and {weekly[0].reason}"
    if regimen.week_unclear:
        return f"{regimen.week_unclear}, and {weekly[0].reason}"
    return ""


def _once_weekly_problem(text: str) -> str:
    """A once-weekly medicine's name reading without its "type the daily dose in the dose field" (avoid2, H-MED-634):
    a daily dose typed for it is the very error its check asks about."""
    return re.sub(r"; type the daily dose in the dose field$", "", text)


def _split_on_one_day(regimen: Regimen | None, reading: "NameReading | None" = None) -> bool:
    """avoid2 (H-MED-635): whether ``regimen`` is a daily frequency followed by words giving exactly one day a week
    ("bd once a week", "tds weekly", "cada 12 horas una vez por semana", "bd on Mondays"): a once-weekly medicine's
    dose split over that one day. Not when the week words come first ("once a week bd": which applies to which is
    not clear), may mean two days ("biweekly"), give more or fewer days than one ("bd twice a week", "bd every 2
    weeks"), or the regimen has a problem of its own or is as needed."""
    if regimen is None or regimen.problem or regimen.as_needed or regimen.times_a_day is None:
        return False
    if regimen.days_a_week != 1 or regimen.week_unclear or not regimen.week_words:
        return False
    words = " ".join(regimen.words.split())
    week = " ".join(regimen.week_words.split())
    if not (words.endswith(week) and words != week):
        return False
    # mtx31 (H-MED-660/661): only twice on that one day ("bd", "c/12h") written with words that say once a week or
    # name the day is a split dose. Once a day ("daily a week", "od weekly", "c/24h semanal") is every day, seven days
    # a week; 3 or more doses on one day ("qds sunday": 40 mg) is no usual split; a bare week word ("bd a week", "bd
    # each week", "c/12h 1 semana") may be how long it is taken or twice a week: all are asked
    return regimen.times_a_day == 2 and _says_once_a_week(week, reading)


def _says_once_a_week(week: str, reading: "NameReading | None") -> bool:
    """mtx31 (H-MED-661): whether week words say once a week: by themselves ("weekly", "semanal") or beginning with a
    once word ("once a week", "una vez por semana", "1 vez por semana", "1 x semana"): drugs.toml [name_reading]
    week_once_words and week_once_starts (data since readers33, H-MED-686; they were a regular expression here); or
    by naming a day of the week (week_days), which says the day. A bare "a week", "each week", "semana" does not (a
    course of a week?)."""
    if reading is None:
        reading = load_medicine_data().name_reading
    if reading.once_a_week is not None and reading.once_a_week.match(week):
        return True
    return any(w.strip(",&+") in reading.week_days for w in week.split())


def _one_day_problem(regimen: Regimen | None, weekly: Sequence["_DoseLimit"], reading: "NameReading") -> str:
    """mtx31 (H-MED-661/662): why a once-weekly medicine's daily frequency followed by words giving one day a week,
    and not read as a split dose (:func:`_split_on_one_day`), is asked about: 3 or more doses on that day, or a bare
    week word ("a week", "each week", "1 semana") after twice a day, or once a day ("od weekly", "daily a week", "c/24h
    semanal": every day); "" otherwise."""
    if regimen is None or not weekly or regimen.problem or regimen.as_needed or regimen.times_a_day is None:
        return ""
    if regimen.days_a_week != 1 or regimen.week_unclear or not regimen.week_words:
        return ""
    words = " ".join(regimen.words.split())
    week = " ".join(regimen.week_words.split())
    if not (words.endswith(week) and words != week) or _split_on_one_day(regimen, reading):
        return ""
    if regimen.times_a_day > 2:
        return (f"\"{words}\" is {regimen.times_a_day:g} doses on one day, more than a weekly dose is usually "
                f"split into; confirm the weekly total, and {weekly[0].reason}")
    freq = words[: len(words) - len(week)].strip()
    if regimen.times_a_day == 1:
        return (f"\"{freq}\" is once a day, seven days a week, never a weekly dose split over one day (whatever "
                f"\"{week}\" after it means), and {weekly[0].reason}")
    if regimen.times_a_day == 2 and not _says_once_a_week(week, reading):
        return (f"\"{week}\" after \"{freq}\" may be how long it is taken (for a "
                f"week) or how often in a week (twice a week?), and {weekly[0].reason}")
    return ""


def _regimen_without_frequency(name: str, rest: str, generics: Sequence[str], regimen: Regimen,
                               data: "MedicineData") -> ComboReading | None:
    """unread30 (H-MED-576): a regimen written with no frequency the reader could read, and no dose recorded:

    - taken as needed with no most a day ("ibuprofen 400 mg prn"): how many a day at most is asked, as "prn
      up to tds" is (the BNF: "it is best to add the maximum frequency of repetition");
    - a count with a number beside it the reading cannot place ("ibuprofen 400mg 2 x 3": 2 tablets 3 times a
      day? 3 tablets twice?): asked, never passed over as if no regimen were written.

    None otherwise (a count alone, "x2", gives no daily amount, as before)."""
    if regimen.as_needed:
        return ComboReading(name, 0.0, (), None, (), "", (
            f"it is taken as needed (\"{regimen.words}\") and the name does not say how many a day at most, so how "
            "much is taken a day is not known; type the most taken in a day in the dose field"), from_name=regimen.words)
    if len(generics) != 1:
        return None  # a combination's numbers are placed by _unexplained_in_name
    mg, why = strength_mg(data.spelled(rest))
    if mg is not None or why == NO_STRENGTH or not why.startswith("the name gives more than one number"):
        return None
    return ComboReading(name, 0.0, (), None, (), "", (
        f"{why}: beside \"{regimen.words}\" a number is neither its strength nor a number of tablets before a "
        "frequency; write the number of tablets before the frequency (e.g. 2 tablets tds) or type the daily dose in "
        "the dose field"), from_name=regimen.words)


def _hours_after_strength(name: str, generics: Sequence[str], data: "MedicineData") -> str:
    """readers32 (H-MED-638): how a number of hours after a strength and a slash ("ibuprofen 800 mg/4h") is read:

    - "" (as before: a rate's hours, never read as a frequency) for a medicine that comes as an opioid skin patch
      (routes.toml ``[patch_forms]`` generics: fentanyl, buprenorphine, whose "25mcg/72h" is a rate worn 72 hours)
      and for a name written as a patch or plaster (a patch word or a rate in micrograms an hour:
      :meth:`MedicineData.written_as_patch`, ``topical_patch``);
    - "ask" for a medicine the data also holds as a skin patch of another medicine (``non_opioid_patches``:
      diclofenac, Flector) written with no word of another form: the hours may be a patch's wear time;
    - "read" (every that many hours) otherwise. A route written with it ("morphine 10mg/4h sc", "infusion") is
      asked about afterwards, as for any regimen by another route."""
    forms = data.patch_forms
    if forms is None:
        return "read"
    if not forms.generics.isdisjoint(generics) or data.written_as_patch(name) or data.topical_patch(name) is not None:
        return ""
    patched = {g for gs in forms.non_opioid_patches.values() for g in gs}
    text = " ".join(name.lower().split())
    if not patched.isdisjoint(generics) and not forms.marks_other_form(text):
        return "ask"
    return "read"


def _read_whole_after_strength(name: str, generics: Sequence[str], data: "MedicineData") -> bool:
    """readers33 (H-MED-680): whether the regimen read with hours after a strength (:func:`_hours_after_strength`
    "read") accounts for every regimen word of the name, with nothing left unread and the same medicine named by the
    rest ("ibuprofen 800 mg per 4h": "4h" is no word the unread-regimen check knows, yet "per 4h" is every 4 hours, as
    "800 mg/4h" is). Then the name is read, not asked as holding words that could not be read."""
    if _hours_after_strength(name, generics, data) != "read":
        return False
    rest, regimen = find_regimen(spell(name, data.name_reading), data.name_reading, hours_after_strength=True)
    return (regimen is not None and not regimen.problem and regimen.times_a_day is not None
            and data.unread_regimen(rest) is None and tuple(data.resolve(rest)[0]) == tuple(generics))


def read_recorded_dose(name: str, generics: Sequence[str], daily_dose_mg: float | None,
                       data: "MedicineData | None" = None) -> ComboReading | None:
    """How a current medicine's daily dose is read (cmb17), the one reading every output uses:

    - a combination product with a daily dose recorded: :func:`read_combination`;
    - a regimen written in the name ("co-codamol 30/500 2 tablets four times a day", "ibuprofen
      400mg tds", "naproxen 500 bd") and NO dose recorded: the daily amount it gives (``from_name``),
      or, when it cannot be read unambiguously (a range, as needed, no strength), why not;
    - a dose recorded AND a regimen in the name: the recorded dose wins; when the two disagree
      ``conflict`` names both ("check the dose").
    None when there is nothing to read (a single medicine with only a recorded dose, or no dose
    and no regimen in its name)."""
    if not generics:
        return None
    data = data or load_medicine_data()
    # rt26: read without pasted marks and full-width forms, and without a note after the name
    # (MedicineData.name_and_note: never one that holds a number or a regimen's words)
    recorded = name
    name, note = data.name_and_note(_undecorated(name))
    reading = _read_recorded_dose(name, generics, daily_dose_mg, data)
    # patch31 (H-MED-666): the regimen may be read from the name without its patch count and change interval
    # (H-MED-650), but every alert, note and reading names the medicine as recorded ("Durogesic 25 x 2 c/72h" was
    # named "durogesic 25 c/72h", a name never recorded). nxread34: and with the note set aside after it ("oxycodone
    # 20mg 3 x 4 for pain", "(for pain)"): its "check the dose" named "oxycodone 20mg 3 x 4", a name never recorded, so
    # the opioid total counting the recorded name was not said to be provisional
    shown = recorded if note else name
    if reading is not None and note and reading.conflict.startswith(f"{name}: "):
        reading = reading._replace(conflict=f"{recorded}: {reading.conflict[len(name) + 2:]}")
    return reading._replace(name=shown) if reading is not None and reading.name != shown else reading


def _read_recorded_dose(name: str, generics: Sequence[str], daily_dose_mg: float | None,
                        data: "MedicineData") -> ComboReading | None:
    if data.patch_intervals and not data.patch_intervals.keys().isdisjoint(generics):
        # rx23 (rt24 F4): a patch's change interval ("every 72 hours", "every 3 days", "weekly") is no
        # number of doses a day: it is read against the product's (_patch_interval_checks), not here
        med = _tuple_new(CurrentMedicine, (name, tuple(generics), daily_dose_mg, (), None))
        if data.patch_form(med) is not None:
            # round 31 (H-MED-650): a count of patches worn together ("Durogesic 12 x3") is read by patch_reading
            # (three patches of 12 mcg/h), never as "12 tablets 3 times a day" by the "N x M" question (readers31),
            # which made the MME total "provisional" and asked a question that does not apply to a patch
            if patch_count(name) is None and daily_dose_mg is None:
                # patch31 (H-MED-667): "fentanyl 25mcg/h patch 2 x 3": two counts of patches, none of them read (never
                # guessed), and no rate counted; with the counts taken out nothing was said. How many are worn is asked
                generic = next(g for g in generics if g in data.patch_intervals)
                low = " ".join(name.lower().split())
                spans = [m.span() for rx in _PATCH_COUNT_RES for m in rx.finditer(low)]
                return ComboReading(name, 0.0, (), None, (), "", (
                    f"{patch_unread_reason(med, generic, data)}, so how many patches are worn together is not known; "
                    "write the number of patches worn at once (e.g. 2 patches of 25 micrograms an hour) and how often "
                    "they are changed, or type the daily dose in the dose field"),
                    from_name=low[min(a for a, _ in spans):max(b for _, b in spans)].strip())
            without = _without_patch_count(_without_patch_intervals(" ".join(name.lower().split())))
            if without != " ".join(name.lower().split()):
                name = without
    if daily_dose_mg is None:
        asked = _unread_regimen_reading(name, generics, data)
        if asked is not None and not _read_whole_after_strength(name, generics, data):
            return asked
    combo = len(generics) > 1
    if not data.name_reading.may_hold_regimen(name.lower().replace(".", "")):  # most names: none (issue 17)
        return read_combination(name, generics, daily_dose_mg, data) if combo and daily_dose_mg is not None else None
    hours = _hours_after_strength(name, generics, data)
    rest, regimen = find_regimen(spell(name, data.name_reading), data.name_reading, hours_after_strength=bool(hours))
    if hours == "ask":
        # readers32 (H-MED-638): "diclofenac 50mg/8h": every 8 hours by mouth, or a patch worn 8 hours? Asked when no
        # dose is recorded; with one, the recorded dose is the dose and the hours are left as before
        plain = find_regimen(spell(name, data.name_reading), data.name_reading)
        if plain[0] != rest and daily_dose_mg is None and regimen is not None:
            return ComboReading(name, 0.0, (), None, (), "", (
                f"it also comes as a skin patch, and \"{regimen.words}\" after its strength may be a dose every that "
                "many hours or how long a patch is worn; write the form (e.g. tablets), or type the daily dose in the "
                "dose field"), from_name=regimen.words)
        rest, regimen = plain
    weekly = [data.dose_limits[g] for g in generics if g in data.dose_limits and data.dose_limits[g].kind == "weekly"]
    if regimen is not None and regimen.as_needed and weekly and not regimen.problem:
        # esread2 (H-MED-583): "metotrexato 10 mg si precisa", "methotrexate 10mg prn": a medicine taken once a week
        # on a set day (drugs.toml weekly_only) is never taken as needed; how often it is taken is asked, as a daily
        # frequency is (it was silent: "as needed" alone gives no daily amount)
        regimen = regimen._replace(problem=f"\"{regimen.words}\" is as needed, and {weekly[0].reason}")
    more = _more_than_weekly(regimen, weekly)
    if more:
        # weekly (H-MED-605): "methotrexate 2.5mg twice weekly", "metotrexato 2,5 mg 2 veces por semana", "on Mondays
        # and Thursdays", "every 3 days", "biweekly": a medicine taken once a week (drugs.toml weekly_only) written on
        # more than one day a week, or in words that may mean so, is asked about with the weekly hazard, as a daily
        # dose of it is. Before, the week words were dropped as form words and nothing was asked
        regimen = regimen._replace(problem="; ".join(p for p in (more, regimen.problem) if p))
    elif regimen is not None and regimen.week_nxm:
        # nxread34 (H-MED-710): "oxycodone 20mg 3 x 4 per week", "tramadol 50mg 3 x 4 weekly", "3 x 4 a la semana": N
        # tablets on M days a week or N x M tablets on one day a week, a number of tablets in a week that gives no daily
        # dose. It was set aside as week words are for a medicine not taken weekly, and nothing at all was said (no
        # "check the dose", no opioid total, no worklist mark): asked, naming what could not be read. dose36
        # (H-MED-730): with a daily dose typed too it is asked as well (the typed dose still counted): a weekly amount
        # beside a daily dose may mean the typed dose is wrong; before, the typed dose won and nothing was asked
        regimen = regimen._replace(problem="; ".join(p for p in (regimen.problem, regimen.week_nxm) if p))
    elif regimen is not None and not weekly and (regimen.days_a_week is not None or regimen.week_unclear) \
            and not regimen.problem and regimen.times_a_day is None:
        # dose36 (H-MED-730): "oxycodone 20mg 2 x week", "twice weekly", "weekly", "fortnightly": how many days a week (or
        # how few) a medicine not taken weekly (drugs.toml weekly_only) is taken, with no dose a day written, gives no
        # daily dose; it was set aside and nothing said (no "check the dose", no opioid total, no worklist mark). Asked,
        # never read as daily nor silent. A frequency a day beside it ("ibuprofen 400mg tds twice a week") is read as
        # before: the dose on the days it is taken, which a daily maximum is about (weekly, H-MED-605)
        said = (f"\"{regimen.week_words}\" is how many days a week (or how few) it is taken" if regimen.week_words
                else regimen.week_unclear)
        regimen = regimen._replace(problem=f"{said}, not how much a day, so no daily dose can be read from it")
    one_day = _one_day_problem(regimen, weekly, data.name_reading) if daily_dose_mg is None else ""
    if one_day:
        regimen = regimen._replace(problem=one_day)
    if weekly and daily_dose_mg is None and _split_on_one_day(regimen, data.name_reading):
        # avoid2 (H-MED-635): "methotrexate 7.5mg bd once a week", "metotrexato 7,5 mg cada 12 horas una vez por
        # semana": a daily frequency followed by once a week is a weekly dose split over one day (7.5 mg twice on that
        # day: 15 mg a week; drugs.toml dose_checks.methotrexate, methotrexate-split-weekly-dose), never 15 mg a day.
        # Like a name written weekly it gives no daily dose; "bd" alone, "bd twice a week" or "bd biweekly" stay asked
        return None
    if regimen is not None and daily_dose_mg is not None and not weekly and regimen.problem \
            and (regimen.week_nxm or regimen.days_a_week is not None):
        # dose36 (H-MED-730): a week frequency beside a typed daily dose ("oxycodone 20mg 3 x 4 per week", 40 mg a day
        # typed): the typed dose is counted and the name is asked about, never silently one or the other
        return _recorded_but_asked(name, generics, daily_dose_mg, regimen.problem, data)
    if regimen is not None and regimen.times_a_day is None and not regimen.problem and daily_dose_mg is None:
        asked = _regimen_without_frequency(name, rest, generics, regimen, data)
        if asked is not None:
            return asked
    if regimen is not None and regimen.times_a_day is None and not regimen.problem:
        regimen = None  # a count alone ("x2") or "as needed" alone is no daily amount
    if regimen is None:
        if combo and daily_dose_mg is not None:
            return read_combination(name, generics, daily_dose_mg, data)
        return None
    patch = (data.patch_form(_tuple_new(CurrentMedicine, (name, tuple(generics), None, (), None)))
             if regimen.times_a_day is not None and daily_dose_mg is None and data.patch_intervals
             and not data.patch_intervals.keys().isdisjoint(generics) else None)
    if patch == "patch" or (patch == "possible" and not _MG_STRENGTH_RE.search(spell(name, data.name_reading))):
        # redteam28 (H-MED-495): "fentanyl 25 mcg/hr qds", "fentanyl 25mcg patch qds", "fentanyl 25 qds": a skin
        # patch is changed every few days, never taken a number of times a day; before, the rate's number was read
        # as mg and multiplied (100 mg of fentanyl a day). The patch's MME is its rate's (patch_reading); the
        # regimen is asked about. "buprenorphine 8mg od" (a strength in mg: a sublingual tablet) is read as before
        what = "a skin patch" if patch == "patch" else "written with no form, most often a skin patch"
        return ComboReading(name, 0.0, (), None, (), "", (
            f"it is {what}, and a patch is changed every few days, not taken \"{regimen.words}\"; write the form, and "
            "for a patch how often it is changed (e.g. every 72 hours), or type the daily dose in the dose field"),
            from_name=regimen.words)
    route = data.not_by_mouth(name)
    opioids = data.class_members.get("opioid", frozenset())
    if route and daily_dose_mg is None and any(
            g in data.mme_factors or g in data.dose_limits or g in _row_label_limits(data) or g in opioids
            for g in generics):
        # rt26: "morphine 10mg im qds": a dose by injection is not a dose by mouth (morphine's MME factor and the
        # label maxima are for the medicine by mouth), so it is never read from the name into one. spell28
        # (H-MED-475): nor for an opioid with no factor ("diamorphine 5mg sc 4 hrly"), nor "pr" or "sl"
        by_hand = "by injection " if route.startswith("given by injection") else ""
        return ComboReading(name, 0.0, (), None, (), "", (
            f"it is {route}, and the daily maximum and the MME this tool checks are for the medicine by mouth, so "
            f"it is not counted as oral morphine equivalents; check the dose {by_hand}by hand"),
            from_name=regimen.words)
    rest = data.spelled(rest)
    if combo and regimen.bare_count and (regimen.count or 0) > data.name_reading.largest_count:
        # forms29 (H-MED-540): "arthrotec 50 bd": a number too large to be a count, right after a product named with it
        # ("Arthrotec 50", one strength, 50/200), is the product's name, never 50 tablets each time
        number, freq = regimen.bare_count.split(" ", 1)
        named = data.combination_product(f"{rest} {number}")
        if named is not None and number in named.name.split():
            rest = f"{rest} {number}"
            regimen = regimen._replace(count=None, bare_count="", words=" ".join(
                regimen.words.replace(regimen.bare_count, freq, 1).split()))
    own = data.resolve(rest)[0] if rest else ()
    if tuple(own) != tuple(generics):
        # "tylenol 3 tabs tds": the 3 is the product number (Tylenol #3) or the count of plain
        # Tylenol; it is never both, so neither is read (fx17)
        whole = " ".join(spell(name, data.name_reading).split())
        meanings = [f"\"{whole}\" as one product ({', '.join(generics)})"]
        meanings.append(f"\"{rest}\" ({', '.join(own)}) taken {regimen.words}" if own else
                        f"\"{rest}\" taken {regimen.words}")
        problem = (f"the name can be read two ways: {' or '.join(meanings)}; write the product's full name (e.g. "
                   "with its # number or strength) and the number of tablets, or type the daily dose in the dose field")
        if daily_dose_mg is None:
            return ComboReading(name, 0.0, (), None, (), "", problem, from_name=regimen.words)
        return _recorded_but_asked(name, generics, daily_dose_mg, problem, data)
    stray = _unexplained_in_name(rest, generics, data)
    if stray:
        if daily_dose_mg is None:
            return ComboReading(name, 0.0, (), None, (), "", stray, from_name=regimen.words)
        return _recorded_but_asked(name, generics, daily_dose_mg, stray, data)
    from_name = _reading_from_regimen(name, rest, generics, regimen, data)
    if daily_dose_mg is None:
        return from_name
    recorded = read_combination(name, generics, daily_dose_mg, data) if combo else None
    either = ""
    if not from_name.read and from_name.either_way and len({r.components for r in from_name.either_way}) == 1:
        # nxread34 (H-MED-712): "oxycodone 20mg 3 x 4" with 40 mg a day typed: every reading of the "N x M" gives 12
        # tablets a day (240 mg), so a typed dose is compared with that, as "bd" and "2 qds" are; before, the typed
        # dose won silently (60 MME/day counted, no "check the dose", no High opioid dose)
        either, from_name = " read either way", from_name.either_way[0]._replace(from_name=from_name.from_name)
    if not from_name.read:
        return recorded  # the name's regimen gives no amount: the recorded dose is the dose
    if combo:
        if recorded.read and abs(recorded.tablets - from_name.tablets) < 1e-6:
            return recorded
        field = (f"{_num(daily_dose_mg)} mg a day" + (f" ({_num(recorded.tablets)} tablets a day of "
                 + recorded.strength_words + ")" if recorded.read else ""))
    else:
        if abs(from_name.components[0][1] - daily_dose_mg) < 1e-6:
            return None
        field = f"{_num(daily_dose_mg)} mg a day"
        recorded = ComboReading(name, daily_dose_mg, ((generics[0], daily_dose_mg),), 1.0,
                                ((generics[0], daily_dose_mg),), generics[0], "")
    parts = from_name.parts_words
    conflict = (f"{name}: the name says {from_name.from_name} ({_num(from_name.tablets)} {from_name.units_said} a day{either}: "
                f"{parts} a day) but the dose recorded is {field}; the recorded dose is used until one of them is corrected")
    return recorded._replace(conflict=conflict)


@fast_init
@dataclass(frozen=True, slots=True)
class RenalFunction:
    """The kidney-function value the rules used, and how it was obtained."""

    value: float | None  # mL/min (CrCl) or mL/min/1.73m2 (eGFR); None when unknown
    measure: str  # "crcl", "egfr" or "unknown"
    method: str  # "cockcroft_gault", "override", "egfr", "unknown"
    crcl: float | None
    basis: str
    dialysis: bool = False
    exact: float | None = None  # the unrounded value: dose bands and thresholds use this

    @property
    def banded(self) -> float | None:
        """The value the bands and thresholds compare: unrounded when known."""
        return self.exact if self.exact is not None else self.value

    @property
    def label(self) -> str:
        return _renal_label(self.value, self.measure)

    def to_dict(self) -> dict:
        return {"value": self.value, "measure": self.measure, "method": self.method, "crcl": self.crcl,
                "basis": self.basis, "dialysis": self.dialysis}


class MedicationRow(NamedTuple):
    """One medicine's row of the table (immutable; built positionally for speed)."""


    drug: str  # row id, e.g. "gabapentin"
    label: str
    drug_class: str
    class_label: str
    treatment_code: str
    status: str
    reasons: tuple[Reason, ...]
    seed_dose: str
    seed: str  # which seed summary, e.g. "seed1"
    seed_source: str
    usual_dose_range: str
    adjusted_dose_range: str | None
    label_max_daily_mg: float | None
    label_max_note: str | None
    adjusted_max_daily_mg: float | None
    adjustment_reason: str
    currently_taking: bool
    current_medicines: tuple[str, ...]
    current_daily_dose_mg: float | None
    over_max: bool
    duration_note: str | None = None
    current_daily_mme: float | None = None
    fully_checked: bool = True  # False: a current medicine was not recognised (interactions unchecked)
    guideline_position: Mapping[str, Any] | None = None  # the profile's "do not offer", when it applies
    dose_limit_mg: float | None = None  # the maximum the current dose was checked against (adjusted or label)

    def to_dict(self) -> dict:
        return {
            "drug": self.drug, "label": self.label, "class": self.drug_class, "class_label": self.class_label,
            "treatment_code": self.treatment_code, "status": self.status,
            "reasons": [r.to_dict() for r in self.reasons],
            "seed_dose": {"text": self.seed_dose, "seed": self.seed, "source": self.seed_source},
            "usual_dose_range": self.usual_dose_range, "adjusted_dose_range": self.adjusted_dose_range,
            "label_max_daily_mg": self.label_max_daily_mg, "label_max_note": self.label_max_note,
            "adjusted_max_daily_mg": self.adjusted_max_daily_mg, "adjustment_reason": self.adjustment_reason,
            "currently_taking": self.currently_taking, "current_medicines": list(self.current_medicines),
            "current_daily_dose_mg": self.current_daily_dose_mg, "current_daily_mme": self.current_daily_mme,
            "over_max": self.over_max, "duration_note": self.duration_note,
            "status_label": self.status_label, "fully_checked": self.fully_checked,
            "guideline_position": dict(self.guideline_position) if self.guideline_position else None,
        }

    @property
    def dose_to_check(self) -> bool:
        """Reduce dose only because the recorded dose is to check (far above any usual dose where no
        label maximum is stated, or a combination dose that cannot be read): there is no maximum to
        reduce to, so it is labelled "Check the dose", not "Reduce dose" (gp16 F4)."""
        if self.status != MedicineStatus.REDUCE_DOSE:
            return False
        shown = self.reasons_at_least(MedicineStatus.REDUCE_DOSE)
        return bool(shown) and all(r.rule == "check-dose" for r in shown)

    @property
    def status_label(self) -> str:
        if self.dose_to_check:
            return CHECK_DOSE_LABEL
        if self.status == MedicineStatus.AVOID and self.guideline_position:
            verb = _POSITION_VERB.get(self.guideline_position.get("direction"), "does not offer")
            return f"Avoid: {self.guideline_position['organisation']} {verb}"
        if self.status in (MedicineStatus.AVOID, MedicineStatus.CONTRAINDICATED) and self.currently_taking:
            # a rule's own label when it alone makes the rating ("High opioid dose": mme22), as the
            # row's alert is labelled (worklist_marks.alert_label: the one place that decides it).
            # Only on a medicine taken now: the label names the patient's own total; a candidate
            # (tramadol beside oxycodone 120 MME/day) is rated for adding an opioid, "Avoid" (mme23)
            from radiculopathy_desktop.domain.worklist_marks import alert_label

            return alert_label(STATUS_LABELS[self.status], self.reasons_at_least(self.status))
        return STATUS_LABELS[self.status]

    def reasons_at_least(self, severity: str) -> tuple[Reason, ...]:
        floor = _RANK[severity]
        return tuple(r for r in self.reasons if _RANK[r.severity] >= floor)

    def has_rule(self, rule_id: str) -> bool:
        return any(r.rule == rule_id for r in self.reasons)


@fast_init
@dataclass(frozen=True, slots=True)
class MedicationReport:
    as_of: dt.date
    crcl: float | None  # Cockcroft-Gault (or the override), mL/min; None when not computed
    renal_basis: str
    renal: RenalFunction
    rows: tuple[MedicationRow, ...]
    interactions: tuple[Interaction, ...]
    current_medicines: tuple[CurrentMedicine, ...]
    current_daily_mme: float | None
    content_version: str
    current_notes: tuple[CurrentMedicineNote, ...] = ()
    #: current medicines above their own daily limit (:class:`DoseCheck`); each is also a
    #: reason of the row that counts it, or a current note when no row does (dexamethasone)
    dose_checks: tuple[DoseCheck, ...] = ()
    #: the naming rule of the profile the report was made for (uk: paracetamol): what is written
    #: from a machine key (a check's ``generic``) is written through it (``profile_names.name``)
    profile_names: "ProfileNames | None" = None
    #: handout29 (H-MED-518): the current medicines a rules.toml ``[[dose_class]]`` makes also of another
    #: class at their dose (aspirin above 325 mg a day, an analgesic dose, is an NSAID): (recorded name,
    #: class). ``CurrentMedicine.classes`` are the medicine's own; every NSAID rule speaks of these too, so
    #: the patient's NSAID sheet must (reports.handouts.sheet_classes_of)
    dose_classed: tuple[tuple[str, str], ...] = ()
    #: opioidnum (H-MED-611): the recorded names of the opioids whose dose is to check that the MME total
    #: counts, so that ``current_daily_mme`` is None, and the words of that provisional total ("78 MME/day,
    #: provisional: it counts fentanyl 25mcg/h patch every 7 days (...), whose dose is to check")
    mme_to_check: tuple[str, ...] = ()
    mme_provisional: str = ""
    #: step3dose34 (H-MED-704): each medicine checked against its own label maximum, above it or not
    #: (:class:`LabelMaxChecked`); not in :meth:`to_dict` (the dose checks and notes already say what is above)
    label_maxima: tuple[LabelMaxChecked, ...] = ()

    def name(self, generic: str) -> str:
        """A generic (machine key) as this report's clinicians read it."""
        return self.profile_names.name(generic) if self.profile_names else generic

    def row(self, drug: str) -> MedicationRow:
        for r in self.rows:
            if r.drug == drug:
                return r
        raise KeyError(drug)

    @property
    def unrecognised_medicines(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.current_medicines if not m.recognised)

    @property
    def fully_checked(self) -> bool:
        return not self.unrecognised_medicines

    def to_dict(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(), "crcl": self.crcl, "renal_basis": self.renal_basis,
            "renal": self.renal.to_dict(), "rows": [r.to_dict() for r in self.rows],
            "interactions": [i.to_dict() for i in self.interactions],
            "current_medicines": [m.to_dict() for m in self.current_medicines],
            "unrecognised_medicines": list(self.unrecognised_medicines),
            "unrecognised_detail": [{"name": m.name, "suggestion": m.suggestion}
                                    for m in self.current_medicines if not m.recognised],
            "fully_checked": self.fully_checked,
            "current_daily_mme": self.current_daily_mme, "content_version": self.content_version,
            "current_notes": [n.to_dict() for n in self.current_notes],
            "classes": [c.to_dict() for c in class_summaries(self)],
        }


# --------------------------------------------------------------------------- loaded data
@dataclass(frozen=True, slots=True)
class _Band:
    at_least: float
    min_mg: float
    max_mg: float
    text: str
    # The label's bands overlap at this edge (pregabalin: ">=60" and "30-60"): a clearance
    # exactly on it takes the lower, more conservative band.
    exclusive: bool = False

    def holds(self, value: float) -> bool:
        return value > self.at_least if self.exclusive else value >= self.at_least


@dataclass(frozen=True, slots=True)
class _Drug:
    id: str
    label: str
    drug_class: str
    class_label: str
    treatment_code: str
    order: int
    own: frozenset[str]  # generics that count as "currently taking" this row
    seed_dose: str
    seed: str
    seed_source: str
    usual_dose_range: str
    label_max: float | None
    label_max_source: str
    label_max_note: str | None
    default_max: float | None
    default_max_reason: str | None
    default_max_source: str
    renal_bands: tuple[_Band, ...]
    renal_source: str
    renal_source_ids: tuple[str, ...]
    hd_supplement: str | None
    duration_note: str | None
    profile_max: Mapping[str, tuple[float, str, str | None]] = field(default_factory=dict)  # profile -> (mg, source, note)
    self_care_max: float | None = None  # over-the-counter maximum for a self-care sheet
    self_care_dose_range: str | None = None
    handout_max: float | None = None  # a patient sheet's maximum when lower than the label's (pain indication)
    #: ``default_max`` is the first-day dose of the studied course (prednisone: Goldberg 2015's
    #: 60 mg), not a label maximum: a dose taken now above it is "check the indication", never
    #: "Reduce dose" (drugs.toml ``default_max_is_course_dose``)
    course_max: bool = False
    #: the row's name while the patient takes it now (drugs.toml ``taken_label``), followed by
    #: the medicines taken: "Oral corticosteroid taken now (prednisolone)", not "Prednisone taper"
    taken_label: str | None = None


@dataclass(frozen=True, slots=True)
class _Rule:
    id: str
    drugs: frozenset[str]
    group: str | None
    severity: str
    text: str
    formatted: bool
    source: str
    source_ids: tuple[str, ...]
    cap: float | None
    always: bool
    classes: tuple[str, ...]
    except_generics: frozenset[str]
    generics: frozenset[str]
    classes_all: tuple[str, ...]
    condition: str | None
    age_at_least: int | None
    age_below: int | None
    pregnant: bool
    pregnancy_weeks_at_least: int | None
    renal_below: float | None
    renal_unknown: bool
    alcohol: str | None
    red_flag_yes: tuple[str, ...]
    symptom_weeks_over: float | None
    mme_at_least: float | None
    weight_below_kg: float | None
    cap_mg_per_kg: float | None
    profile: str | None
    pregnancy_weeks_below: int | None
    min_matches: int
    taking: frozenset[str]  # the row's own medicine, currently taken, is one of these
    meds_needed: frozenset[str]  # classes/generics of which one must be current
    triggers: frozenset[str] = frozenset()  # fast gate: one of these facts must hold (empty: always check)
    static_reason: Reason | None = None  # prebuilt when the text has no placeholders
    rank: int = 0  # severity rank
    #: :func:`_applies` for this rule alone, made once when the data is loaded (only the
    #: conditions the rule has; :func:`_compile_check`)
    check: Any = None
    #: the text's placeholders that depend on the rule rather than the patient
    needs_matched: bool = False
    needs_flags: bool = False
    #: a worded reason's fields after its text: (severity, source, source_ids, id)
    reason_tail: tuple = ()
    #: the profiles that word this rule their own way (``[rule.in_profile.<profile>]``): the
    #: rule as written applies under every other profile; each of those has its own copy
    profile_not_in: frozenset[str] = frozenset()
    #: the key the rule engine caches this rule's reason under: ``id``, or ``id@profile`` for
    #: a profile's own wording (two rules, one id: the reason names the id the data gives)
    key: str = ""
    #: rules.toml ``alert_label`` / ``alert_sorts_after`` (mme22): what an alert surface shows in
    #: place of the severity word when this rule alone makes the rating, and the label it ranks
    #: just after (:func:`~radiculopathy_desktop.domain.worklist_marks.alert_label_order`)
    alert_label: str | None = None
    alert_sorts_after: str | None = None


@dataclass(frozen=True, slots=True)
class _CurrentNote:
    """Something to say about a current medicine that has no row (e.g. a benzodiazepine under uk)."""

    id: str
    classes: tuple[str, ...]
    profile: str | None
    severity: str
    text: str
    source: str
    condition: str | None = None  # a BOOLEAN_CONDITIONS code recorded as true
    age_at_least: int | None = None
    #: only medicines taken by mouth (rules.toml ``by_mouth_only``): a steroid injection is not
    #: an oral corticosteroid (routes.toml ``[injected_forms]``)
    by_mouth_only: bool = False
    #: only medicines no row counts (rules.toml ``without_row``): a row (prednisolone on the
    #: prednisone row) already gives the same guideline position
    without_row: bool = False
    #: only while a pregnancy is recorded on the assessment date (rules.toml ``pregnant``, med26:
    #: misoprostol); past its plausible end the note stands and the clinician is asked, as a rule's
    pregnant: bool = False
    #: rules.toml ``rules_of`` and ``rules`` (preg27): a current medicine of the class without a row
    #: of its own is rated by these rules of that row, as the row would rate it (the same rule data:
    #: conditions, groups, profile wording, severity, text and source); severity and text unused
    rules_of: str | None = None
    rule_ids: frozenset[str] = frozenset()
    #: rules.toml ``conditions_any`` (ukcv): the note applies when any of these conditions is recorded
    #: as true (``{conditions}`` in its text names those recorded)
    conditions_any: tuple[str, ...] = ()
    #: rules.toml ``supersedes`` (ukcv): where this note applies to a medicine, these rules of a
    #: ``rules_of`` note are not said about that medicine (the UK contraindication of diclofenac and the
    #: COX-2 inhibitors in cardiovascular disease replaces the class's "cardiovascular disease: caution")
    supersedes: frozenset[str] = frozenset()
    #: rules.toml ``on_row`` (ukibu): said as a reason of the row that counts the medicine (high-dose
    #: ibuprofen on the ibuprofen row, raising its status), never as a note beside a row that reads
    #: "Caution"; a medicine no row counts (dexibuprofen) keeps the note
    on_row: bool = False
    #: rules.toml ``rules_of`` with ``severity`` and ``text`` (ukcv): each rule that applies is said
    #: at no more than this severity, worded through ``text`` (``{rule}``: the rule's own words) --
    #: aspirin whose dose is not known is an NSAID only at analgesic doses, so it is asked about
    at_most: str | None = None
    wrap: str = ""
    wrap_source: str = ""


@dataclass(frozen=True, slots=True)
class _DoseClass:
    """rules.toml ``[[dose_class]]`` (ukcv): a medicine that is also of ``cls`` above a dose (aspirin
    is an NSAID at analgesic doses, an antiplatelet only at low doses)."""

    generic: str
    cls: str
    above_mg_a_day: float
    above_mg_a_dose: float | None  # None: one dose alone never decides it (ibuprofen, ukibu)
    low_below_mg_a_dose: float | None
    unknown_class: str
    above_class: str  # of no member: filled by the dose read, as unknown_class ("": none)
    #: ukibu (H-MED-542): the bound is reached at ``above_mg_a_day`` itself ("at least", the MHRA's
    #: high-dose ibuprofen is 2400 mg a day or more), not only above it (aspirin: more than 325 mg)
    at_least: bool = False

    def over(self, daily: float) -> bool:
        """The daily dose is in the class: above the bound (or at it, ``at_least``)."""
        return daily >= self.above_mg_a_day if self.at_least else daily > self.above_mg_a_day


@dataclass(frozen=True, slots=True)
class _InteractionRule:
    id: str
    sides: tuple[tuple[str, ...], ...]  # each side: class ids or generic names
    severity: str
    text: str
    source: str
    #: only when one of the medicines matched is a combination product (more than one
    #: generic): codeine with co-codamol, not an immediate- with a long-acting oxycodone
    combination: bool = False
    #: profile -> (text, source) where that profile words and cites it its own way
    #: (``[interaction.in_profile.<profile>]``; uk: the UK SmPC, not the US label; src18)
    in_profile: tuple[tuple[str, tuple[str, str]], ...] = ()
    #: "several": only when the medicines matched hold at least two different active ingredients
    #: of the sides' classes (codeine with oxycodone: two opioids); "one": only when they all hold
    #: the same one (two products of oxycodone); "" either (opi18: co-codamol alone is one
    #: opioid, and codeine twice is the rule of two products of one opioid)
    ingredients: str = ""
    #: the harm the rule warns of (rules.toml ``hazard``, e.g. "bleeding"; "" none given). pairs (H-UI-440):
    #: two rules of one hazard rating the same medicines are said once, by the stronger
    hazard: str = ""
    #: wording29 (H-MED-561): the text when more current products match than the rule has sides
    #: (three NSAIDs: "Two NSAIDs together ... stop one" was wrong); "" the rule's ``text`` always
    text_several: str = ""
    #: avoidside (H-MED-600): the 1-based numbers of the sides whose medicines are kept (rules.toml ``keep``: an
    #: anticoagulant beside an NSAID is the essential medicine, stopping it alone is a harm); () none
    keep: tuple[int, ...] = ()
    #: why those medicines are not stopped without their prescriber (rules.toml ``keep_why``)
    keep_why: str = ""
    #: dose36 (H-MED-737): the alert's own action (rules.toml ``action``: one medicine recorded twice is confirmed and
    #: the other entry removed) in place of the generic action of its rating, and its cited source (``action_source``);
    #: "" both: the generic action
    action: str = ""
    action_source: str = ""


#: review29: a Spanish weekly regimen ("semanal", "una vez a la semana", "una vez por semana", "cada semana"), as
#: "weekly" and "once a week" are form words: "metotrexato 10 mg semanal" was NOT RECOGNISED, so its interactions
#: (an NSAID with methotrexate: Avoid) were never checked. It gives no daily dose, as the English weekly forms.
_ES_WEEKLY_RE = re.compile(r"(?<![\w/])(?:(?:(?:una|1)\s+vez\s+)?(?:a\s+la|por|cada)\s+semana|semanal(?:es|mente)?)(?!\w)")


def _name_candidates(name: str, form_words: Collection[str] = _FORM_WORDS) -> tuple[str, str, str, str, str]:
    """A typed name as :meth:`MedicineData._resolve` tries it: whole, without form and
    frequency words ("tylenol 3" names a combination product), without the strength, without
    salt words; and without only a combination's strength ("tylenol with codeine #3 300/30")."""
    key = " ".join(name.lower().split())
    formless = [w for w in _PUNCT_RE.sub(" ", _ES_WEEKLY_RE.sub(" ", key)).split() if w not in form_words]
    with_strength = " ".join(formless)
    bare_salt = " ".join(w for w in _without_strengths(with_strength).split() if w not in form_words)
    bare = " ".join(w for w in bare_salt.split() if w not in _SALT_WORDS)
    no_combo_strength = " ".join(w for w in _COMBO_STRENGTH_RE.sub(" ", with_strength).split()
                                 if w not in _SALT_WORDS)
    return key, with_strength, bare_salt, bare, no_combo_strength


#: rt26: marks pasted from a prescribing system or a label that are no part of a medicine's name:
#: "Apixaban\u00ae 5 mg bd", "Lyrica\u2122 75mg" (registered, trade mark, copyright, service mark)
_NAME_MARKS = dict.fromkeys(map(ord, "\u00ae\u2122\u00a9\u2120"), None)


def _undecorated(name: str) -> str:
    """rt26: ``name`` as it would have been typed on an ordinary keyboard: without the marks of
    :data:`_NAME_MARKS`, full-width forms (U+FF01-U+FF5E, a CJK keyboard's wide mode: "\uff41\uff50\uff49\uff58\uff41\uff42\uff41\uff4e
    \uff15\uff4d\uff47") as their ASCII letters, digits and signs, and every other space (no-break, ideographic)
    as a space. Nothing else changes: not the micro sign or the Greek mu (read as they are), not
    another script's letters, so a name is never turned into a medicine it does not spell.
    esread2 (H-MED-585): accents typed as combining characters (NFD, "di\u0301as", as some keyboards, macOS file
    names and pasted text give them) are composed (NFC, "d\u00edas"), the form the data's words are written in;
    before, "x 5 di\u0301as" was no course's length and the medicine was NOT RECOGNISED. Only the reading uses
    this: the name stored and shown is the one typed."""
    if name.isascii():
        return name
    out = []
    for ch in unicodedata.normalize("NFC", name).translate(_NAME_MARKS):
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - 0xFEE0))
        elif ch.isspace():
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


#: rt26: a note typed after a medicine's name, as on a repeat-prescription list: in brackets at the
#: end ("apixaban (for AF)", "sertraline 50mg od (for mood)") or after a dash with a space on each
#: side ("apixaban - for AF"; never "co-codamol" or "30-500"). Group 1 is the name, group 2 the note.
_TRAILING_NOTE_RES = (
    re.compile(r"(\S.*?)\s*[(\[]([^()\[\]]*)[)\]][\s.]*"),
    re.compile(r"(\S.*?)\s+[-\u2013\u2014]+\s+(\S.*?)[\s.]*"),
)
#: rt26: words in a note that say the medicine may not be taken now, or not as written: stopped,
#: held, not taken, an allergy, a question, a past or planned medicine, a change of dose, another
#: medicine instead (English and the Spanish the app reads). A note holding one is never set aside:
#: the name stays unrecognised ("did you mean ...?", every row "not fully checked"), as before rt26,
#: so "ibuprofen (stopped)" never becomes a current medicine without a trace.
_NOTE_STOP_WORDS = frozenset({
    "not", "no", "non", "never", "nil", "none", "stop", "stopped", "stopping", "stops", "discontinue",
    "discontinued", "discontinuing", "d/c", "dc", "dc'd", "ceased", "cease", "held", "hold", "holding", "withheld",
    "withhold", "withholding", "suspend", "suspended", "pause", "paused", "off", "finished", "completed", "ended",
    "expired", "omit", "omitted", "avoid", "avoided", "contraindicated", "allergy", "allergic", "allergies",
    "intolerance", "intolerant", "intolerances", "reaction", "reactions", "rash", "anaphylaxis", "sensitivity",
    "declined", "declines", "refused", "refuses", "or", "was", "were", "previously", "previous", "prev", "past",
    "former", "formerly", "old", "ex", "until", "used", "planned", "plan", "pending", "future", "start", "starting",
    "will", "may", "maybe", "possibly", "possible", "query", "unsure", "unknown", "uncertain", "check", "confirm",
    "instead", "switch", "switched", "change", "changed", "replaced", "swapped", "alternative", "alternate",
    "wean", "weaning", "weaned", "taper", "tapering", "reduce", "reduced", "reducing", "increase", "increased",
    "increasing", "titrate", "titrating", "varies", "variable", "vary", "trial", "occasionally", "rarely",
    "sometimes", "dose", "dosage",
    "suspendido", "suspendida", "retirado", "retirada", "alergia", "alergico", "al\u00e9rgico", "alergica",
    "al\u00e9rgica", "dej\u00f3", "dejo", "antes", "previo", "previa", "o", "ya", "nunca",
})
_NOTE_WORD_RE = re.compile(r"[^\W\d_]+(?:['/][^\W\d_]+)*")
#: rt26: a note set aside says what the medicine is for or who prescribed it: it starts with one of
#: these words ("for AF", "from GP", "by cardiology", "as per rheumatology", "para la tensi\u00f3n");
#: any other note ("with X", "plus X", a word the data does not know) keeps the name unrecognised,
#: so a medicine typed in a note is never hidden by it
_NOTE_FIRST_WORDS = frozenset({"for", "from", "by", "per", "as per", "via", "prescribed", "rx", "indication",
                               "para", "por"})
#: rt26: words in a note that join another medicine to the one named: never set aside
_NOTE_JOIN_WORDS = frozenset({"with", "plus", "also", "add", "added", "combined", "alongside", "con", "m\u00e1s", "mas"})
#: rt26: a word of a note closer than this to a known name is taken as a (misspelt) medicine, so the
#: note is not set aside ("(for pain with ibuprofn)"); above the suggestion cutoff, which ordinary
#: words reach ("pain" and the brand "zapain": 0.8)
_NOTE_MEDICINE_CUTOFF = 0.85


#: rt26: a route written after a dose ("enoxaparin 40mg sc", "morphine 10mg im", "s/c", "iv"): no part of the
#: medicine's name. Only right after a strength with its unit: "tylenol iv" (Tylenol No. 4?) is never read so.
_INJECTED_ROUTE_WORDS = ("s/c", "sc", "subcut", "sub-cut", "subcutaneous", "i/m", "im", "intramuscular", "i/v", "iv",
                         "intravenous", "inj", "injection", "sq")
#: spell28 (H-MED-474): routes other than injection that are not "by mouth" as the MME factors and the label maxima
#: are: "sl" (sublingual) and "pr", which UK charts write both for "per rectum" and for "prolonged-release" (a
#: tablet by mouth), so it is never taken as either. Read only right after a strength with its unit, as the
#: injected routes are: the name is then recognised, and what the route changes is said (not_by_mouth)
_OTHER_ROUTE_WORDS = {
    "pr": "written \"pr\" (per rectum, or prolonged-release by mouth?)",
    "sl": "written \"sl\" (sublingual, not swallowed)",
}
#: spell28: a route written with dots or in brackets ("s.c.", "i.m.", "(sc)", "(s/c)"): read as the bare word
_DOTTED_ROUTE_RE = re.compile(r"(?<![\w.])([a-z])\.([a-z])(?:\.(?![\w.])|(?![\w.]))", re.IGNORECASE)
_BRACKETED_ROUTE_RE = re.compile(
    r"\(\s*(" + "|".join(re.escape(w) for w in (*_INJECTED_ROUTE_WORDS, *_OTHER_ROUTE_WORDS)) + r")\s*\)",
    re.IGNORECASE)


def _route_spelled(name: str) -> str:
    """spell28: a route's dots and brackets taken away ("morphine 10mg s.c." -> "morphine 10mg sc", "(sc)" ->
    "sc"); only a letter, a dot and a letter ("s.c.", "i.m.", "p.r."), and only a route word in brackets."""
    text = _DOTTED_ROUTE_RE.sub(r"\1\2", name)
    return " ".join(_BRACKETED_ROUTE_RE.sub(r" \1 ", text).split())


_ROUTE_AFTER_DOSE_RE = re.compile(
    r"(?<=\d)(\s*(?:mg|mcg|micrograms?|\u00b5g|\u03bcg|ug|g|gram(?:os?|s)?|ml|units?|iu))\s+("
    + "|".join(re.escape(w) for w in (*_INJECTED_ROUTE_WORDS, *_OTHER_ROUTE_WORDS)) + r")(?![\w/])", re.IGNORECASE)
_OTHER_ROUTE_AFTER_DOSE_RE = re.compile(
    r"(?<=\d)\s*(?:mg|mcg|micrograms?|\u00b5g|\u03bcg|ug|g|gram(?:os?|s)?|ml)\s+(" + "|".join(_OTHER_ROUTE_WORDS)
    + r")(?![\w/])", re.IGNORECASE)
#: route27: a route written right after the name with no dose ("enoxaparin sc", "morphine s/c od"): no part of the
#: medicine's name either. Never "iv" or "i/v" there: "tylenol iv" may be Tylenol No. 4 (rt26), so it stays unread
_ROUTE_AFTER_NAME_RE = re.compile(
    r"(?<=[a-z])\s+(" + "|".join(re.escape(w) for w in _INJECTED_ROUTE_WORDS if w not in ("iv", "i/v", "sq"))
    + r")(?![\w/])", re.IGNORECASE)
_INJECTED_WORD_RE = re.compile(r"(?<![\w/])(" + "|".join(re.escape(w) for w in _INJECTED_ROUTE_WORDS)
                               + r")(?![\w/])", re.IGNORECASE)


#: a count written before or after a whole name, as clinicians write it: "x2", "x 2", "×2", "2x",
#: "2 x" (rx23, rt24 F3); group 1 or 2 is the name without it
_COUNT_FORM = r"(?:[1-9]\s*[x\u00d7]|[x\u00d7]\s*[1-9])"
_EDGE_COUNT_RE = re.compile(rf"(?i)(?:{_COUNT_FORM}\s+(\S.*?)|(\S.*?)\s+{_COUNT_FORM})")


@dataclass(frozen=True)
class MedicineData:
    content_version: str
    sources: Mapping[str, str]
    class_labels: Mapping[str, str]
    class_members: Mapping[str, frozenset[str]]  # with includes expanded
    generic_classes: Mapping[str, tuple[str, ...]]
    synonyms: Mapping[str, tuple[str, ...]]
    dose_factors: Mapping[str, tuple[str, float]]
    drugs: tuple[_Drug, ...]
    rules_by_drug: Mapping[str, tuple[_Rule, ...]]
    interactions: tuple[_InteractionRule, ...]
    mme_factors: Mapping[str, float]
    mme_source: str
    age_thresholds: tuple[int, ...] = ()
    rule_index: Mapping[str, tuple] = field(default_factory=dict)  # drug -> (ungated, token -> rules, tokens)
    week_thresholds: tuple[float, ...] = ()
    interaction_dependent: frozenset[str] = frozenset()  # rows with a rule about another current medicine
    current_notes: tuple = ()  # _CurrentNote
    dose_classes: Mapping[str, "_DoseClass"] = field(default_factory=dict)  # generic -> rules.toml [[dose_class]]
    on_row_notes: frozenset[str] = frozenset()  # ids of the [[current]] notes said on a row (ukibu)
    #: Generics whose prescribed amount is not a daily dose in mg (a fentanyl or buprenorphine
    #: patch: micrograms an hour), with the unit they are prescribed in (classes.toml
    #: ``[dose_units]``). A recorded mg-a-day figure for them is not printed for the patient.
    dose_units: Mapping[str, str] = field(default_factory=dict)
    #: Rule or interaction id -> the key of the plain words a patient's handout uses for it
    #: (rules.toml ``patient_words``, e.g. "stomach_bleeding" for an NSAID with a corticosteroid):
    #: a handout beside a medicine the check rates CAUTION with another names it in those words.
    patient_words: Mapping[str, str] = field(default_factory=dict)
    #: generic -> its own daily limit (drugs.toml ``[dose_checks]`` and ``[dose_check_mme]``)
    dose_limits: Mapping[str, "_DoseLimit"] = field(default_factory=dict)
    #: drugs.toml ``[dose_not_checked]`` (nsaiddose, H-MED-460): the classes whose members without
    #: a row are said to be "dose not checked" when no maximum of theirs could be checked, and the
    #: source that line cites; empty: none
    dose_unchecked_classes: frozenset = frozenset()
    dose_unchecked_source: str = ""
    #: drugs.toml ``[dose_check_slip]``: (times, reason) -- a daily dose above ``times`` a label
    #: maximum is asked about as a likely typing or unit slip ("check the dose", gp18 F9), never
    #: worded as an ordinary dose above the maximum; None: no such bound
    slip_check: "tuple[float, str] | None" = None
    #: grams (H-MED-510): drugs.toml ``[dose_check_far_below]`` with each row's ``smallest_unit_mg``:
    #: generic -> :class:`_FarBelow`. A single-ingredient product's daily dose above 0 and below the
    #: bound is "check the dose" (a daily dose typed in grams into the mg field); empty: none
    far_below: Mapping[str, "_FarBelow"] = field(default_factory=dict)
    #: drugs.toml ``[mme_rate_factors]``: generic -> MME per microgram an hour of its patch
    #: (CDC 2022: fentanyl transdermal 2.4), the rate read from the name (rt19 F7)
    mme_rate_factors: Mapping[str, float] = field(default_factory=dict)
    #: drugs.toml ``[patch_strengths]`` (mme21): generic -> the strengths one patch is made in
    #: (micrograms an hour), and the source; a patch written at another strength is a dose to check
    patch_strengths: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    patch_strengths_source: str = ""
    #: drugs.toml ``[patch_delivered_rates]`` (rx23, rt24 F7): generic -> {strength printed: rate
    #: delivered} ("12" fentanyl delivers 12.5 mcg/h), and the source
    patch_delivered: Mapping[str, Mapping[float, float]] = field(default_factory=dict)
    patch_delivered_source: str = ""
    #: drugs.toml ``[patch_change_intervals]`` (rx23, rt24 F4): generic -> the hours a patch is worn
    #: before it is changed; ``patch_interval_brands``: a brand's own (Transtec 96, BuTrans 168)
    patch_intervals: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    patch_interval_brands: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    patch_intervals_source: str = ""
    #: readers33 (H-MED-686): the words a patch's change interval is written in (drugs.toml
    #: ``[patch_change_intervals.words]``: "every 72 hours", "c/3 días", "q72h", "72 hourly"); they were regular
    #: expressions in the code (``_PATCH_INTERVAL_RES``)
    patch_interval_words: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: drugs.toml ``[combination_doses]``: the source of how a combination product's recorded
    #: daily dose is read and checked (G17), cited by a "check the dose" when it cannot be read
    combination_source: str = ""
    #: drugs.toml ``[combination_products]``: name as classes.toml spells it -> its strengths
    combination_products: Mapping[str, CombinationProduct] = field(default_factory=dict)
    #: drugs.toml ``[component_units]`` (combo28): a component whose strength a combination's name
    #: writes in micrograms, not mg (misoprostol in Arthrotec 50/200) -> "micrograms"
    component_units: Mapping[str, str] = field(default_factory=dict)
    #: routes.toml ``[injected_forms]``: brand names (lower case) and words that mark a recorded
    #: medicine as given by injection, not by mouth (:meth:`by_injection`).
    injected_names: frozenset[str] = frozenset()
    injected_words: frozenset[str] = frozenset()
    #: routes.toml ``[patch_forms]``: which opioids come as a skin patch and which brand names
    #: and words mark one, or mark another form (:meth:`patch_form`; rt21 F4, F8)
    patch_forms: "PatchForms | None" = None
    #: drugs.toml ``[profile_names.<profile>]``: generic -> the name that profile's clinicians
    #: read (uk: acetaminophen -> paracetamol; gp16 F7, uk17). See :class:`ProfileNames`.
    profile_names: Mapping[str, "ProfileNames"] = field(default_factory=dict)

    @property
    def form_words(self) -> frozenset[str]:
        """esread2 (H-MED-580): the form and frequency words a name is recognised without: the code's
        :data:`_FORM_WORDS` and the data's count words ([name_reading] count_words: "tabs", "sobres"), one list."""
        words = self.__dict__.get("_form_words")
        if words is None:
            words = self.__dict__["_form_words"] = _FORM_WORDS | self.name_reading.count_words
        return words

    def names_for(self, profile: str) -> "ProfileNames":
        """The naming rule of ``profile`` (no renaming for a profile the data names none for)."""
        return self.profile_names.get(profile) or ProfileNames({})
    #: drugs.toml ``[name_reading]``: spellings and regimen words read in a typed name (cmb17)
    name_reading: NameReading = field(default_factory=NameReading.empty)
    #: rule id -> (alert label, the label it sorts just after): rules.toml ``alert_label`` (mme22;
    #: read by domain/worklist_marks, the one place an alert's label and rank are decided)
    alert_labels: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    #: classes.toml ``[stop_gradually]``: class id or generic -> (why, source text): medicines whose
    #: sudden stop is itself a harm (opioids, steroids taken for weeks, gabapentinoids; opi18)
    stop_gradually: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def stopped_gradually(self, generics: Sequence[str], about: Collection[str] | None = None) -> tuple[str, str] | None:
        """(why, source) when a medicine of ``generics`` must not be stopped suddenly (its own entry
        first, then its classes'), None when stopping it at once is safe. ``about`` (class ids or
        generics; None: every ingredient) keeps only the ingredients an alert is about: the
        ibuprofen of Nurofen Plus contraindicated at 31 weeks is stopped now, although its codeine
        is not stopped suddenly (rt19 F1, F3)."""
        if about is not None:
            generics = self.ingredients_about(generics, about)
        for g in generics:
            if g in self.stop_gradually:
                return self.stop_gradually[g]
        for g in generics:
            for c in self.generic_classes.get(g, ()):
                if c in self.stop_gradually:
                    return self.stop_gradually[c]
        return None

    def ingredients_about(self, generics: Sequence[str], about: Collection[str]) -> tuple[str, ...]:
        """The generics of ``generics`` that ``about`` (class ids or generic names) names, itself
        or by one of its classes."""
        about = set(about)
        return tuple(g for g in generics
                     if g in about or any(c in about for c in self.generic_classes.get(g, ())))

    def treatment_codes_of_class(self) -> Mapping[str, frozenset[str]]:
        """Drug class -> the treatment codes of the table's rows of that class (made once)."""
        table = self.__dict__.get("_codes_of_class")
        if table is None:
            out: dict[str, set[str]] = {}
            for d in self.drugs:
                if d.treatment_code:
                    out.setdefault(d.drug_class, set()).add(d.treatment_code)
            table = self.__dict__["_codes_of_class"] = {k: frozenset(v) for k, v in out.items()}
        return table

    def by_injection(self, recorded_name: str) -> bool:
        """Whether a medicine recorded as ``recorded_name`` is given by injection ("Depo-Medrol
        80 mg", "dexamethasone injection", "methylprednisolone IV"), not taken by mouth.

        A name typed exactly as the data spells it is looked up in a table made once from the
        data (what :meth:`_by_injection` gives for it); any other name is worked out. Nothing
        is remembered per typed name (issue 17: a memo keyed on what a clinician typed would
        make the benchmark's repeated names look cheaper than an assessment is)."""
        hit = self._injection_of_known_names().get(recorded_name)
        return hit if hit is not None else self._by_injection(recorded_name)

    def not_by_mouth(self, recorded_name: str) -> str:
        """spell28 (H-MED-474): how a recorded medicine is written as given other than by mouth, as said to the
        clinician ("given by injection (\"sc\")", "written \"pr\" (per rectum, or prolonged-release by mouth?)"),
        or "" when it is not. The MME factors (cdc-mme-oral) and the label maxima are for the medicine by mouth."""
        text = _route_spelled(" ".join(_undecorated(recorded_name).split()))
        m = _INJECTED_WORD_RE.search(text)
        if m is None and self.injected_words:
            m = self._injected_words_re().search(text.lower())
        if m is not None or self.by_injection(recorded_name):
            return f"given by injection (\"{m.group(1)}\")" if m is not None else "given by injection"
        other = _OTHER_ROUTE_AFTER_DOSE_RE.search(text)
        return _OTHER_ROUTE_WORDS[other.group(1).lower()] if other is not None else ""

    def _injected_words_re(self) -> re.Pattern:
        """:meth:`not_by_mouth`'s pattern of the data's injected-form words (the same pattern, made once
        per loaded data instead of escaped and looked up on every call; issue 17)."""
        found = self.__dict__.get("_injected_words_pattern")
        if found is None:
            found = self.__dict__["_injected_words_pattern"] = re.compile(
                r"(?<![\w/])(" + "|".join(re.escape(w) for w in sorted(self.injected_words)) + r")(?![\w/])")
        return found

    def _injection_of_known_names(self) -> dict[str, bool]:
        """Every known name -> :meth:`_by_injection` of it (made once per loaded data)."""
        table = self.__dict__.get("_injection_of_known")
        if table is None:
            table = self.__dict__["_injection_of_known"] = {k: self._by_injection(k) for k in self.known_names()}
        return table

    def _by_injection(self, recorded_name: str) -> bool:
        text = _route_spelled(" ".join(recorded_name.lower().split()))  # spell28: "s.c.", "i.m."
        return (any(text == n or text.startswith(n + " ") for n in self.injected_names)
                or any(w in self.injected_words for w in re.findall(r"[a-z][a-z-]*", text))
                # route27: a route written with a slash ("morphine 10mg s/c") is one word
                or any(w in self.injected_words for w in re.findall(r"(?<![\w/])[a-z]+(?:/[a-z]+)+(?![\w/])", text)))

    def patch_form(self, medicine: "CurrentMedicine") -> str | None:
        """How a recorded medicine reads as an opioid skin patch (routes.toml ``[patch_forms]``):
        "patch" when it is fentanyl or buprenorphine written with a patch brand ("Fentalis 25",
        "BuTrans5", "(Transtec)"), a patch word ("patch", "transdermal", "parche") or a rate in
        micrograms an hour; "possible" when it is one of them written with no form at all
        ("fentanyl 25", "fentanyl 25mcg every 72 hours": fentanyl in the clinic is most often a
        patch, and the sheets must not advise heat over one: rt21 F4); None for another medicine
        or another form (a buccal tablet, a sublingual tablet, a nasal spray, Belbuca's film)."""
        forms = self.patch_forms
        if forms is None or not forms.generics.intersection(medicine.generics):
            return None
        text = " ".join(medicine.name.lower().replace("\u03bc", "\u00b5").split())
        if forms.marks_patch(text) or patch_rate(text) is not None:
            return "patch"
        if forms.marks_other_form(text) or self.form_not_known(medicine):
            return None
        return "possible"

    def written_as_patch(self, name: str) -> bool:
        """A recorded name that says it is a skin patch whatever the medicine: a patch word of
        routes.toml ``[patch_forms]`` ("patch", "transdermal", "matrix", "TTS", "parche") or a rate
        in micrograms an hour ("25 mcg/h"), and no word of another form (src21, gp20 F3)."""
        forms = self.patch_forms
        if forms is None:
            return False
        text = " ".join(name.lower().replace("\u03bc", "\u00b5").split())
        # rt23 F4: "td" ("400 mg td", "Td vaccine") or "matrix" ("Matrix vitamins") alone is no patch
        return (not forms.marks_other_form(text)
                and (forms.marks_patch_strongly(text) or patch_rate(text) is not None))

    def unrecognised_patch(self, medicine: "CurrentMedicine") -> bool:
        """A current medicine the engine does not recognise whose name says it is a skin patch
        ("Carlosafine 10 micrograms/hour patch", "Zalviso matrix 25"): the sheets treat it as a
        possible opioid patch (no heat pad or hot bath; the patch box), since a patch brand not yet
        in the data may be fentanyl or buprenorphine and heat over one can kill, while leaving the heat
        advice off another medicine's patch costs a comfort measure only; the clinician is told to
        check the name (src21, gp20 F3)."""
        if medicine.generics:
            return False
        # rx23: a capsaicin patch (Qutenza) is no possible opioid patch (non_opioid_written_as_patch);
        # a lidocaine plaster is none either, but its label says to keep external heat off it
        # (lidoderm-label): written as a patch, the sheets keep withholding the heat advice for it, as
        # before, until they word it as a lidocaine plaster (topical_patch gives what it is)
        return self.written_as_patch(medicine.name) and self.non_opioid_written_as_patch(medicine.name) is None

    def topical_patch(self, name: str) -> str | None:
        """rx23 (rcg22 leftover): the non-opioid substance of a skin patch or plaster the medicine
        checks do not hold (routes.toml ``topical_patches``): "Versatis", "Ralvo 700mg plaster",
        "Lidoderm", "lidocaine 5% plaster" -> lidocaine; "Qutenza", "capsaicin 8% patch" -> capsaicin.
        A brand is a patch by itself; a substance's own name only with a patch word ("lidocaine cream"
        is no patch). None for anything else, and for a name that also holds fentanyl or buprenorphine."""
        forms = self.patch_forms
        if forms is None or not forms.topical_patches:
            return None
        text = " ".join(name.lower().replace("\u03bc", "\u00b5").split())
        if forms._has_name(text, forms.generics) or forms._has_name(text, forms.names):
            return None
        for key, substance in forms.topical_patches.items():
            if forms._has_name(text, (key,)) and (key != substance or forms.marks_patch(text)):
                return substance
        return None

    def non_opioid_written_as_patch(self, name: str) -> str | None:
        """rt23 F5: a medicine the data knows, not fentanyl or buprenorphine, written as a skin patch
        ("diclofenac patch", "Voltarol patch", "diclofenac epolamine 1.3% patch"): its generic name.
        Such a name stays unrecognised (a topical form is not the medicine by mouth the checks are
        for), but it is no possible opioid patch: the heat advice is printed and the clinician is
        told it was not checked as a skin patch of that medicine. None for another name."""
        forms = self.patch_forms
        if forms is None:
            return None
        topical = self.topical_patch(name)
        if topical is not None and topical not in forms.topical_patch_heat:
            # rx23: a capsaicin patch (Qutenza: applied in clinic by a healthcare professional,
            # qutenza-uk) is no possible opioid patch; a lidocaine plaster stays worded as a patch
            # with no heat over it until the sheets say so of it (see unrecognised_patch)
            return topical
        text = " ".join(name.lower().replace("\u03bc", "\u00b5").split())
        for brand, generics in forms.non_opioid_patches.items():
            if forms._has_name(text, (brand,)):
                return " and ".join(generics)
        if not (forms.marks_patch(text) or patch_rate(text) is not None):
            return None
        left = forms.name_without_patch_words(text, self.form_words)
        if not left:
            return None
        hit = self._resolve_as_typed(left)
        if not hit[0] or set(hit[0]) & forms.generics:
            return None
        return " and ".join(hit[0])

    def form_not_known(self, medicine: "CurrentMedicine") -> bool:
        """A medicine of routes.toml ``not_patch_in_mg`` (buprenorphine) written with a dose in mg
        and no patch brand, word or rate: not a possible patch, since a patch is prescribed in
        micrograms an hour ("buprenorphine 8mg od", "16mg daily": a sublingual tablet), and no other
        form is written either: the sheets treat it as taken by mouth and the clinician is told to
        record the form (rt22 F6)."""
        forms = self.patch_forms
        if forms is None or not forms.not_patch_in_mg.intersection(medicine.generics):
            return False
        text = " ".join(medicine.name.lower().replace("\u03bc", "\u00b5").split())
        if forms.marks_patch(text) or patch_rate(text) is not None or forms.marks_other_form(text):
            return False
        return _DOSE_IN_MG_RE.search(text) is not None

    def resolve(self, name: str) -> tuple[tuple[str, ...], float]:
        """Generic name(s) a recorded medicine name means, and the dose factor. A name typed
        exactly as the data spells it is looked up in a table made once from the data (what
        :meth:`_resolve` gives for it); any other name goes through :meth:`_resolve`.
        Nothing is remembered per patient or per typed name (issue 17)."""
        hit = self._exact_names().get(name)
        return hit if hit is not None else self._resolve(name)

    def _exact_names(self) -> dict[str, tuple[tuple[str, ...], float]]:
        """Every known name -> :meth:`_resolve` of it (made once per loaded data)."""
        table = self.__dict__.get("_exact")
        if table is None:
            table = self.__dict__["_exact"] = {k: self._resolve(k) for k in self.known_names()}
        return table

    def combination_product(self, name: str) -> CombinationProduct | None:
        """The ``[combination_products]`` entry a recorded name means ("Ultracet", "co-codamol
        30/500 tablets", "Tylenol #3"), tried as :meth:`_resolve` tries the name; None when the
        name is not one of them."""
        if not self.combination_products:
            return None
        found = self._combination_product_as_typed(name)
        if found is None or (any(ch.isdigit() for ch in name) and self.name_reading.may_hold_regimen(name.lower())):
            spelled = self.spelled(name)
            if spelled != " ".join(name.lower().split()):
                named = self._combination_product_as_typed(spelled)
                # forms29 (H-MED-540): "arthrotec 50 1 tab tds" is Arthrotec 50 (its one strength), not plain
                # Arthrotec (two strengths): the name without its regimen names the product more closely
                if named is not None and (found is None or len(named.name) > len(found.name)):
                    found = named
            # arthro36 (H-MED-750): "Arthrotec 75 3 times a day": the regimen read takes "75 3 times a day" as a bare
            # count of 75, too large to be a count; a number right after the name that names a product with it
            # ("Arthrotec 75", one strength 75/200) is the product's name, as the name reader takes it (forms29)
            _text, regimen = find_regimen(spell(name, self.name_reading), self.name_reading)
            if regimen is not None and regimen.bare_count and (regimen.count or 0) > self.name_reading.largest_count:
                number = regimen.bare_count.split(" ", 1)[0]
                named = self._combination_product_as_typed(f"{spelled} {number}")
                if named is not None and number in named.name.split() and (
                        found is None or len(named.name) > len(found.name)):
                    found = named
        return found

    def _combination_product_as_typed(self, name: str) -> CombinationProduct | None:
        for candidate in _name_candidates(name, self.form_words):
            found = self.combination_products.get(candidate)
            if found is not None:
                return found
        return None

    def spelled(self, name: str) -> str:
        """A typed name as the data spells names, without a regimen written in it (cmb17,
        drugs.toml ``[name_reading]``): "Co-codamol 30⁄500 2 tablets QDS" -> "co-codamol 30/500".
        A dash between two numbers is a strength's "/" only when that pair is a strength the
        product is sold in ("co-codamol 30-500"); otherwise it stays (a range: "200-400")."""
        text, _regimen = find_regimen(spell(name, self.name_reading), self.name_reading)
        for m in reversed(dash_pairs(text, self.name_reading)):
            candidate = f"{text[:m.start()]}{m.group(1)}/{m.group(2)}{text[m.end():]}"
            product = self._combination_product_as_typed(candidate)
            if product is not None and (float(m.group(1)), float(m.group(2))) in product.sold_as:
                text = candidate
        return text

    def _lookup(self, key: str) -> tuple[tuple[str, ...], float] | None:
        if key in self.dose_factors:
            generic, factor = self.dose_factors[key]
            return (generic,), factor
        if key in self.generic_classes:
            return (key,), 1.0
        if key in self.synonyms:
            return self.synonyms[key], 1.0
        return None

    def _resolve(self, name: str) -> tuple[tuple[str, ...], float]:
        """As typed ("Eliquis 5mg", "sertraline 50 mg tablets", "co-codamol 30/500"): the
        whole name first, then without salt, form and frequency words, then without the
        strength, then as a combination ("codeine/paracetamol"). Never a guess: a close
        misspelling is only *suggested* (:meth:`suggest`), not substituted."""
        plain = _undecorated(name)
        if plain != name:
            return self._resolve(plain)  # rt26: "Apixaban® 5 mg bd", full-width letters
        counted = _EDGE_COUNT_RE.fullmatch(" ".join(name.split()))
        if counted:
            # rx23 (rt24 F3): a count of tablets or patches before or after the whole name ("2 x
            # tylenol 4", "tylenol with codeine no 4 x 2", "morphine 10mg 2x") is no part of the
            # name: the name is read without it ("2 x tylenol 4" was read as plain Tylenol once its
            # numbers were dropped, losing the codeine)
            return self._resolve(counted.group(1) or counted.group(2))
        hit = self._resolve_as_typed(name)
        if hit[0]:
            return hit
        spelled = self.spelled(name)  # cmb17: "30⁄500", "30-500", "x2", "2 tablets qds", "no. 3"
        if spelled and spelled != " ".join(name.lower().split()):
            hit = self._resolve_as_typed(spelled)
            if hit[0]:
                return hit
        found = self._resolve_glued_or_bracketed(spelled or " ".join(name.lower().split()))
        if found:
            return found
        # rx23 (rt24 F3): a count ("x2", "×2", "2x") or a regimen written in a patch's or another
        # form's name ("fentanyl 100mcg lozenge x2", "buprenorphine 8mg sublingual x2", "yemex 25mcg/h
        # patch x2") is read as in any other name: those readings are tried on the name without it
        # too, so a count never makes an opioid unrecognised (and its alerts lost)
        for text in dict.fromkeys((name, spelled) if spelled else (name,)):
            found = (self._resolve_written_as_patch(text) or self._resolve_written_as_other_form(text)
                     or self._resolve_with_maker(text))
            if found:
                return found
        before, note = self.name_and_note(name)
        if note:
            return self._resolve(before)  # rt26: "apixaban (for AF)", "apixaban - for AF"
        routed = _route_spelled(name)
        if routed != " ".join(name.split()):
            found = self._resolve(routed)  # spell28: "morphine 10mg s.c.", "enoxaparin 40mg (sc)"
            if found[0]:
                return found
        without_route = _ROUTE_AFTER_DOSE_RE.sub(r"\1", name)
        if without_route != name:
            found = self._resolve(without_route)  # rt26: "enoxaparin 40mg sc", "morphine 10mg im"
            if found[0]:
                return found
        without_route = _ROUTE_AFTER_NAME_RE.sub("", name)
        if without_route != name:
            found = self._resolve(without_route)  # route27: "enoxaparin sc", "morphine s/c od"
            if found[0]:
                return found
        unread = self.unread_regimen(name)  # unread30: "methotrexate 10mg qod": recognised, its dose asked
        return unread[0] if unread is not None else hit

    def name_and_note(self, name: str) -> tuple[str, str]:
        """rt26: a recorded name read as (the medicine, a note typed after it): "apixaban (for AF)"
        -> ("apixaban", "for AF"), "sertraline 50mg od (for mood)" -> ("sertraline 50mg od", "for
        mood"), "apixaban - for AF" -> ("apixaban", "for AF"). (``name``, "") when there is no note,
        or when the note may not be set aside, so that the name stays unrecognised (as before):

        - a "?" anywhere ("apixaban or rivaroxaban?", "ibuprofen (?stopped)");
        - a word of :data:`_NOTE_STOP_WORDS` ("stopped", "not taking", "allergic", "was", "or");
        - a digit ("sertraline (was 100mg)", "(1 at night)") or a regimen's words ("(twice daily)",
          "(prn)"): the note would be a dose or a regimen, so no dose is ever read past it;
        - a first word other than one of :data:`_NOTE_FIRST_WORDS` ("for", "from", "by": what the
          medicine is for or who prescribed it), a joining word ("with", "plus", "+");
        - a medicine's name, or a word close to one ("(for pain: ibuprofn)");
        - the name before it is not itself recognised.

        Only then is the medicine read from the name before the note (its dose too); the name
        shown everywhere stays as typed, with its note."""
        text = " ".join(_undecorated(name).split())
        if "?" in text:
            return name, ""
        for pattern in _TRAILING_NOTE_RES:
            m = pattern.fullmatch(text)
            if m is None:
                continue
            before, note = m.group(1).strip(), m.group(2).strip()
            if not before or not note or not self._note_set_aside(note):
                return name, ""
            if not self._resolve(before)[0]:
                return name, ""
            return before, note
        # nxread34: what it is taken for at the end of the name with no brackets or dash ("tramadol 50mg qds for pain",
        # "ibuprofeno 600 mg c/8h para el dolor"): only the data's own words ([name_reading] trailing_indications), and
        # only when the name before them is recognised; before, the medicine was NOT RECOGNISED, every alert on it lost
        indication = self.name_reading.trailing_indications
        m = indication.fullmatch(text) if indication is not None else None
        if m is not None and self._resolve(m.group(1).strip())[0]:
            return m.group(1).strip(), m.group(2)
        return name, ""

    def _note_set_aside(self, note: str) -> bool:
        """Whether ``note`` (after a name) says nothing of whether or how the medicine is taken
        (:meth:`name_and_note`)."""
        low = note.lower()
        if any(ch.isdigit() for ch in low) or self.name_reading.may_hold_regimen(low):
            return False
        import difflib

        words = _NOTE_WORD_RE.findall(low)
        if not words or (words[0] not in _NOTE_FIRST_WORDS and " ".join(words[:2]) not in _NOTE_FIRST_WORDS):
            return False
        if any(w in _NOTE_STOP_WORDS or w in _NOTE_JOIN_WORDS for w in words) or re.search(r"[+&]", low):
            return False
        if self._resolve_as_typed(low)[0]:
            return False
        for i, w in enumerate(words):
            if self._lookup(w) is not None or (i + 1 < len(words) and self._lookup(f"{w} {words[i + 1]}") is not None):
                return False
            close = self._closest(w) if len(w) >= 4 else None
            if close is not None and difflib.SequenceMatcher(None, w, close).ratio() >= _NOTE_MEDICINE_CUTOFF:
                return False
        return True

    def _resolve_with_maker(self, name: str) -> tuple[tuple[str, ...], float] | None:
        """rt23 F3: fentanyl or buprenorphine with a maker's name after it ("Fentanyl Sandoz 25",
        "fentanyl (Teva) 25", "buprenorphine Sandoz 10 micrograms/hour"): the name without the
        maker's, read as any name is; only a reading that is one of those medicines."""
        forms = self.patch_forms
        if forms is None or not forms.maker_words:
            return None
        text = " ".join(name.lower().replace("\u03bc", "\u00b5").split())
        left = forms.without_makers(text)
        if left == text or not left:
            return None
        hit = self._resolve(left)
        if not hit[0] or not set(hit[0]) <= forms.generics:
            return None
        return hit

    def _resolve_written_as_other_form(self, name: str) -> tuple[tuple[str, ...], float] | None:
        """rt23 F1: fentanyl or buprenorphine written as another form than a patch: "fentanyl 100
        micrograms buccal tablet", "buprenorphine 8mg sublingual", "buprenorphine 8mg SL", "fentanyl
        nasal spray 100", "fentanyl 100 mcg lozenge": only when the name holds a word of another form
        (routes.toml ``other_form_words``; not a topical word, not a patch word or rate) and what is
        left once those, strengths and frequency words are taken out is one of those medicines' own
        names: never a guess, never another medicine beside it."""
        forms = self.patch_forms
        if forms is None:
            return None
        text = " ".join(name.lower().replace("\u03bc", "\u00b5").split())
        words = set(_LETTER_WORD_RE.findall(text))
        if (not words & forms.other_form_words or words & forms.topical_words or forms.marks_patch(text)
                or patch_rate(text) is not None):
            return None
        left = forms.name_without_form_words(text, self.form_words)
        if not left:
            return None
        hit = self._lookup(left)
        if hit is None or not hit[0] or not set(hit[0]) <= forms.generics:
            return None
        return hit

    def _resolve_written_as_patch(self, name: str) -> tuple[tuple[str, ...], float] | None:
        """rt22 F2: fentanyl or buprenorphine written as a patch with words the names do not hold:
        "fentanyl 25 mcg/h (changed every 3 days)", "fentanyl TTS 25", "fentanyl 25 mcg/h matrix",
        "fentanilo transdérmico 25", "fentanyl patch 25 removed". Only when the name holds a patch
        word or brand, or a rate in micrograms an hour (routes.toml ``[patch_forms]``), no word of
        another form (buccal, sublingual, nasal ...), and what is left once the patch, wear, form
        and frequency words and the numbers are taken out is one of those medicines' own names:
        never a guess, and never another medicine beside it ("fentanyl patch + morphine")."""
        forms = self.patch_forms
        if forms is None:
            return None
        text = " ".join(name.lower().replace("\u03bc", "\u00b5").split())
        if forms.marks_other_form(text) or not (forms.marks_patch(text) or patch_rate(text) is not None):
            return None
        left = forms.name_without_patch_words(text, self.form_words)
        if not left:
            return None
        hit = self._lookup(left)
        if hit is None or not hit[0] or not set(hit[0]) <= forms.generics:
            return None
        return hit

    def _resolve_glued_or_bracketed(self, text: str) -> tuple[tuple[str, ...], float] | None:
        """rt21 F8: a known name with its strength typed on to it ("butrans5", "butec10",
        "butrans-5": only when the letters before the number are themselves a known name), or a
        name with the same medicine's other name in brackets ("buprenorphine 35 micrograms/hour
        (transtec)": both must name the same generics, never two medicines joined by guess)."""
        glued = re.match(r"([a-z][a-z ]*[a-z])-?(?=\d)", text)
        if glued and self._lookup(glued.group(1)) is not None:
            hit = self._resolve_as_typed(f"{glued.group(1)} {text[glued.end():].lstrip('-')}")
            if hit[0]:
                return hit
        inside = re.findall(r"\(([^()]*)\)", text)
        if inside:
            outside = self._resolve_as_typed(re.sub(r"\([^()]*\)", " ", text))
            if outside[0] and all(self._resolve_as_typed(part)[0] == outside[0] for part in inside):
                return outside
        return None

    def _resolve_as_typed(self, name: str) -> tuple[tuple[str, ...], float]:
        key, with_strength, bare_salt, bare, no_combo_strength = _name_candidates(name, self.form_words)
        hit = self._lookup(key)
        if hit is not None:
            return hit
        if no_combo_strength != key:  # "tylenol with codeine #3 300/30": the name without its strength
            hit = self._lookup(no_combo_strength)
            if hit is not None:
                return hit
        for candidate in (with_strength, bare_salt, bare):  # salt forms keep their dose factor
            hit = self._lookup(candidate)
            if hit is not None:
                return hit
        for sep in ("/", "+", " and ", " with ", " & "):
            if sep in bare:
                parts = [p.strip() for p in bare.split(sep) if p.strip()]
                out: list[str] = []
                for part in parts:
                    generics, _ = self._resolve_as_typed(part) if part != bare else ((), 1.0)
                    if not generics:
                        return (), 1.0
                    out.extend(g for g in generics if g not in out)
                return tuple(out), 1.0
        return (), 1.0

    def unread_regimen(self, name: str) -> tuple[tuple[tuple[str, ...], float], str, str] | None:
        """unread30 (H-MED-574): a known medicine's name (and its strength) followed by regimen words the reader
        does not read ("methotrexate 10mg qod", "ibuprofen 400mg stat then tds", "codeine 30mg \u00bd-1 q4h",
        "ibuprofen 400mg for 5-7 days"): the medicine :meth:`_resolve` gives for the name before them, and those
        regimen as typed after the name ("stat then tds") and the words of it not read ("then");
        :func:`read_recorded_dose` asks its daily dose, naming them. Before, the entry was NOT RECOGNISED
        and every interaction on it was lost (NSAID with methotrexate, opioid with a benzodiazepine).

        None unless every word left after the longest part of the name that names a medicine (the regimen the
        reader did read taken out) is a number, a sign of a range or fraction ("-", "/", "x"), or a regimen word
        the data lists (drugs.toml ``[name_reading]``: counts, frequencies, "as needed", ``regimen_words_not_read``;
        the form words of :data:`_FORM_WORDS`), alone or glued to a number ("2tds", "q4h"). So the entry stays NOT
        RECOGNISED, as before, when what is left could be another medicine or change which one it is: another
        word ("ibuprofen famotidine", "ibuprofen lysine", "stopped"), a route or form (gel, cream, patch,
        injection, iv, sc, spray, drops: none is a regimen word), a second strength with its unit or a "%" ("ibuprofen
        400mg famotidine 26.6mg"), "+", "&" or "?"; when a shorter part of the name names a medicine the longest does not hold (a longer part
        holding more is read whole: "tylenol 3 then tds" is Tylenol #3, codeine with acetaminophen, as "tylenol 3" is);
        or for an opioid that comes as a skin patch (fentanyl,
        buprenorphine), whose form is read by :meth:`patch_form`."""
        if "?" in name:
            return None
        words = self.spelled(_undecorated(name)).split()
        heads = [(k, self._resolve_as_typed(" ".join(words[:k]))) for k in range(1, len(words) + 1)]
        named = [(k, hit) for k, hit in heads if hit[0]]
        if not named or named[-1][0] == len(words):
            return None  # not a known name, or nothing left unread
        at, hit = named[-1]
        if any(not set(shorter[0]) <= set(hit[0]) for _k, shorter in named):
            return None  # a shorter part names a medicine the whole does not ("ibuprofen famotidine" as two names)
        forms = self.patch_forms
        if forms is not None and not forms.generics.isdisjoint(hit[0]):
            return None
        # sheet2 (H-MED-643): a form word the name's reading drops ("as") may open a regimen phrase ("as
        # directed"): the regimen is then read from the shortest part of the name giving the same medicine
        for at in [k for k, same in reversed(named) if same == hit]:
            tail = " ".join(words[at:])
            if self._all_regimen_words(tail):
                break
        else:
            return None
        typed = spell(_undecorated(name), self.name_reading).split()  # the regimen as typed, read words and all
        return hit, " ".join(typed[at:]) if typed[:at] == words[:at] else tail, tail

    def _all_regimen_words(self, tail: str) -> bool:
        """unread30: every word of ``tail`` is a number, a sign of a range or fraction, or a regimen word
        (:meth:`_regimen_vocabulary`) that names no medicine; see :meth:`unread_regimen`."""
        vocab, phrases = self._regimen_vocabulary()
        left = tail
        for phrase in phrases:
            left = re.sub(rf"(?<![\w/]){re.escape(phrase)}(?![\w/])", " ", left)
        for token in left.split():
            if re.search(r"[+&%?]", token):
                return False
            for word in _LETTER_WORD_RE.findall(token):
                if word not in vocab or self._lookup(word) is not None:
                    return False
        return True

    def _regimen_vocabulary(self) -> tuple[frozenset[str], tuple[str, ...]]:
        """unread30: the words (and phrases of more than one word, longest first) a regimen is written in, as
        :meth:`unread_regimen` accepts them (made once per loaded data)."""
        found = self.__dict__.get("_regimen_words")
        if found is None:
            r = self.name_reading
            every = {*r.count_words, *r.number_words, *r.hour_words, *r.times_a_day, *r.as_needed, *r.once_only,
                     *r.not_daily, *r.every_words, *r.range_words, *r.times_after_number, *r.total_a_day_words,
                     *r.not_read, *_FORM_WORDS}
            words = frozenset(w for w in every if " " not in w)
            phrases = tuple(sorted((w for w in every if " " in w), key=len, reverse=True))
            found = self.__dict__["_regimen_words"] = (words, phrases)
        return found

    def known_names(self) -> tuple[str, ...]:
        """Every name the engine recognises: generic names, synonyms and brands, salt forms."""
        return tuple(sorted(set(self.generic_classes) | set(self.synonyms) | set(self.dose_factors)))

    def suggest(self, name: str) -> str | None:
        """A known name close to an unrecognised one ("apixiban" -> "apixaban"), or None.

        difflib's ratio with :data:`SUGGESTION_CUTOFF`, on the name without strength and
        form words; each word of a two-word entry is also tried. Only ever offered to the
        clinician ("did you mean ..."), never used in its place."""
        ambiguous = self.name_reading.ambiguous.get(" ".join(name.lower().split()))
        if ambiguous is not None:
            return ambiguous  # a name that means two medicines (cmb17): never one of them
        return self._suggest(name)

    def _could_match(self, word: str) -> list[str]:
        """The known names that pass difflib's ``quick_ratio`` test against ``word`` (the
        shared letters, counted with repeats: 2 x shared / both lengths >= the cutoff), in
        :meth:`known_names` order. ``difflib.get_close_matches`` drops every other name by that
        same test before it computes a ratio, so over these names it gives the same answer as
        over all of them.

        Counted for every known name at once, bit-parallel (issue 17): bit i of a mask is
        name i; each character of ``word`` (its k-th occurrence) adds the mask of the names
        holding that character at least k times to a binary counter kept as one mask per bit
        of the count; then, per name length, the names whose count reaches the fewest shared
        letters that pass the test at that length (worked out with the test's own arithmetic)
        are read off the counter. Masks made once per loaded data (:meth:`_letter_masks`)."""
        names, masks, by_length = self._letter_masks()
        total = len(word)
        counter: list[int] = []  # counter[b]: the names whose shared count has bit b set
        seen: dict[str, int] = {}
        for ch in word:
            k = seen[ch] = seen.get(ch, 0) + 1
            carry = masks.get((ch, k), 0)
            b = 0
            while carry:
                if b == len(counter):
                    counter.append(carry)
                    break
                bit = counter[b]
                counter[b] = bit ^ carry
                carry &= bit
                b += 1
        passing = 0
        reach = 1 << len(counter)  # no count reaches this
        for group, need in (self._needs(total) if total < _NEEDS_MADE else _needs(total, by_length)):
            if need >= reach:
                continue
            # the names of the group whose count is at least ``need``, most significant bit first
            above, equal = 0, group
            for b in range(len(counter) - 1, -1, -1):
                if need >> b & 1:
                    equal &= counter[b]
                else:
                    above |= equal & counter[b]
                    equal &= ~counter[b]
            passing |= above | equal
        found = []
        while passing:
            low = passing & -passing
            found.append(names[low.bit_length() - 1])
            passing ^= low
        return found

    def _needs(self, total: int) -> tuple[tuple[int, int], ...]:
        """:func:`_needs` for a word of ``total`` letters, made once per loaded data for every
        length below :data:`_NEEDS_MADE` (arithmetic on lengths: nothing of a patient)."""
        table = self.__dict__.get("_needs_")
        if table is None:
            by_length = self._letter_masks()[2]
            table = self.__dict__["_needs_"] = tuple(_needs(n, by_length) for n in range(_NEEDS_MADE))
        return table[total]

    def _letter_masks(self) -> tuple[tuple[str, ...], dict[tuple[str, int], int], tuple[tuple[int, int], ...]]:
        """The known names; (character, k) -> the mask of the names holding that character at
        least k times; and (length, mask of the names of that length), shortest first (made
        once per loaded data)."""
        found = self.__dict__.get("_letter_masks_")
        if found is None:
            names = self.known_names()
            masks: dict[tuple[str, int], int] = {}
            lengths: dict[int, int] = {}
            for i, known in enumerate(names):
                for ch, count in Counter(known).items():
                    for k in range(1, count + 1):
                        masks[(ch, k)] = masks.get((ch, k), 0) | 1 << i
                lengths[len(known)] = lengths.get(len(known), 0) | 1 << i
            found = self.__dict__["_letter_masks_"] = (names, masks, tuple(sorted(lengths.items())))
        return found

    def _closest(self, word: str) -> str | None:
        """``difflib.get_close_matches(word, self.known_names(), n=1, cutoff=SUGGESTION_CUTOFF)``,
        its one name or None. Every name :meth:`_could_match` gives passes difflib's two quick
        tests (shared letters; lengths, which shared letters never exceed), so only its ratio
        is computed, as get_close_matches does: the highest (ratio, name) at or above the cutoff.

        A name whose longest common subsequence with ``word`` is too short to reach the cutoff
        (or the best ratio so far) is passed over without its ratio: difflib's matching blocks
        are a common subsequence, so its ratio is never above ``2 x LCS / both lengths``."""
        import difflib

        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(word)
        best: tuple[float, str] | None = None
        lengths = len(word)
        # the LCS is symmetric: ``word``'s positions are worked out once for every name (issue 17),
        # each name's characters then stepped through (:func:`_lcs_length` with the two swapped)
        positions, full = _positions(word)
        for known in self._could_match(word):
            v = full
            for ch in known:
                u = v & positions.get(ch, 0)
                v = ((v + u) | (v - u)) & full
            bound = 2.0 * (lengths - v.bit_count()) / (lengths + len(known))
            if bound < SUGGESTION_CUTOFF or (best is not None and bound < best[0]):
                continue  # its ratio is at most ``bound``: it could not be chosen
            matcher.set_seq1(known)
            ratio = matcher.ratio()
            if ratio >= SUGGESTION_CUTOFF and (best is None or (ratio, known) > best):
                best = (ratio, known)
        return best[1] if best is not None else None

    def _suggest(self, name: str) -> str | None:
        import difflib

        words = [w for w in _PUNCT_RE.sub(" ", name.lower()).split() if w not in self.form_words]
        bare = " ".join(w for w in _STRENGTH_RE.sub(" ", " ".join(words)).split()
                        if w not in self.form_words and w not in _SALT_WORDS)
        if not bare:
            return None
        if " " not in bare:  # one word: its closest match, if any (no other to compare it with)
            return self._closest(bare)
        candidates = [bare] + [w for w in bare.split() if len(w) >= 4]
        best: tuple[float, str] | None = None
        for c in candidates:
            match = self._closest(c)
            if match is not None:
                ratio = difflib.SequenceMatcher(None, c, match).ratio()
                if best is None or ratio > best[0]:
                    best = (ratio, match)
        return best[1] if best else None


def _positions(a: str) -> tuple[dict[str, int], int]:
    """For :func:`_lcs_length`: each character of ``a`` -> the mask of its positions (bit i:
    position i), and the mask of every position."""
    positions: dict[str, int] = {}
    for i, ch in enumerate(a):
        positions[ch] = positions.get(ch, 0) | 1 << i
    return positions, (1 << len(a)) - 1


def _lcs_length(a: str, b: str) -> int:
    """The length of the longest common subsequence of ``a`` and ``b``, bit-parallel (Allison
    and Dix 1986; Crochemore et al. 2001): bit i of ``v`` is position i of ``a``; after every
    character of ``b``, the zero bits of ``v`` among ``a``'s positions count the LCS."""
    positions, full = _positions(a)
    v = full
    for ch in b:
        u = v & positions.get(ch, 0)
        v = ((v + u) | (v - u)) & full
    return len(a) - v.bit_count()


#: word lengths whose :func:`_needs` are made when the data loads (longer words work them out)
_NEEDS_MADE = 64


def _needs(total: int, by_length: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """For a word of ``total`` letters: (mask of the known names of one length, the fewest
    shared letters with which a name of that length passes difflib's quick_ratio test), for
    the lengths where some count passes (a name shares at most its own length and the
    word's). The test's own arithmetic, ``2.0 * shared / (total + length) >= cutoff``."""
    out = []
    for length, group in by_length:
        need = next((m for m in range(1, min(total, length) + 1)
                     if 2.0 * m / (total + length) >= SUGGESTION_CUTOFF), None)
        if need is not None:
            out.append((group, need))
    return tuple(out)


def _triggers(when: Mapping[str, Any], cls_list: tuple, all_list: tuple) -> frozenset[str]:
    """One necessary condition of a rule, as fact tokens (see :func:`_active_tokens`)."""
    if when.get("always"):
        return frozenset()
    if "condition" in when:
        return frozenset({"cond:" + when["condition"]})
    if "taking_generic" in when:
        return frozenset("med:" + g for g in when["taking_generic"])
    meds = tuple(cls_list) + tuple(when.get("current_generic", ())) + tuple(all_list[:1])
    if meds:
        return frozenset("med:" + m for m in meds)
    if "red_flag_yes" in when:
        return frozenset("flag:" + f for f in when["red_flag_yes"])
    if "pregnant" in when or "pregnancy_weeks_at_least" in when:
        return frozenset({"pregnant"})
    if "alcohol" in when:
        return frozenset({"alcohol:" + when["alcohol"]})
    if "renal_unknown" in when:
        return frozenset({"renal_unknown"})
    if "mme_at_least" in when:
        return frozenset({"med:opioid"})
    if "weight_below_kg" in when:
        return frozenset({"weight_known"})
    if "age_at_least" in when:
        return frozenset({f"age>={when['age_at_least']}"})
    if "symptom_weeks_over" in when:
        return frozenset({f"weeks>{when['symptom_weeks_over']}"})
    if "renal_below" in when:
        return frozenset({"renal_known"})
    return frozenset()


def default_data_dir() -> Path:
    from radiculopathy_desktop.resources import resource_path

    return resource_path("medicines")


@lru_cache(maxsize=4)
def load_medicine_data(directory: str | None = None) -> MedicineData:
    """Load and validate ``resources/medicines`` (cached: the files are read once)."""
    folder = Path(directory) if directory else default_data_dir()
    raw: dict[str, dict] = {}
    for name in DATA_FILES:
        path = folder / name
        try:
            with path.open("rb") as fh:
                raw[name] = tomllib.load(fh)
        except FileNotFoundError:
            raise MedicineDataError(f"{path}: missing medicine data file") from None
        except tomllib.TOMLDecodeError as exc:
            raise MedicineDataError(f"{path}: not valid TOML: {exc}") from None
    return _build(raw)


class _Citer:
    """The sources of ``sources.toml``, and the check that every citation names one of them."""

    def __init__(self, src_file: Mapping[str, Any]):
        sources = src_file.get("sources")
        if not isinstance(sources, dict) or not sources:
            raise MedicineDataError("sources.toml: [sources] is missing or empty")
        for sid, text in sources.items():
            if not isinstance(text, str) or not text.strip():
                raise MedicineDataError(f"sources.toml: source {sid!r} has no citation text")
        self.sources = sources

    def __call__(self, where: str, value: Any) -> tuple[str, tuple[str, ...]]:
        """The citation text (sources joined by "; ") and the source ids of ``value``."""
        ids = [value] if isinstance(value, str) else value
        if not ids or not isinstance(ids, list) or not all(isinstance(i, str) and i for i in ids):
            raise MedicineDataError(f"{where}: has no source")
        for sid in ids:
            if sid not in self.sources:
                raise MedicineDataError(f"{where}: source {sid!r} is not listed in sources.toml")
        return "; ".join(self.sources[s] for s in ids), tuple(ids)


class _Classes(NamedTuple):
    """What ``classes.toml`` gives: the classes, their members, synonyms and dose factors."""

    ids: Mapping[str, Any]  # class id -> its entry (membership tests: "is this a class")
    labels: dict[str, str]
    members_of: dict[str, frozenset[str]]  # with includes expanded
    generic_classes: dict[str, list[str]]  # generic name -> the classes listing it
    synonyms: dict[str, tuple[str, ...]]
    dose_factors: dict[str, tuple[str, float]]


def _load_class_entries(classes: Mapping[str, Any], cite: _Citer):
    """Each class's label, direct members and included classes, checked."""
    labels: dict[str, str] = {}
    direct: dict[str, list[str]] = {}
    includes: dict[str, list[str]] = {}
    for cid, entry in classes.items():
        where = f"classes.toml: class {cid!r}"
        cite(where, entry.get("source"))
        if not entry.get("label"):
            raise MedicineDataError(f"{where}: has no label")
        labels[cid] = entry["label"]
        members = entry.get("members")
        if not isinstance(members, list):
            raise MedicineDataError(f"{where}: members must be a list")
        for m in members:
            if not isinstance(m, str) or m != " ".join(m.lower().split()):
                raise MedicineDataError(f"{where}: member {m!r} must be a lower-case generic name")
        direct[cid] = list(members)
        includes[cid] = list(entry.get("include", []))
    for cid, inc in includes.items():
        for other in inc:
            if other not in classes:
                raise MedicineDataError(f"classes.toml: class {cid!r} includes unknown class {other!r}")
    return labels, direct, includes


def _expand_classes(classes: Mapping[str, Any], direct: Mapping[str, list[str]],
                    includes: Mapping[str, list[str]]) -> dict[str, frozenset[str]]:
    """Every class's members with its included classes' members (an include cycle is an error)."""
    def expand(cid: str, seen: tuple[str, ...] = ()) -> set[str]:
        if cid in seen:
            raise MedicineDataError(f"classes.toml: class {cid!r} includes itself")
        out = set(direct[cid])
        for other in includes[cid]:
            out |= expand(other, seen + (cid,))
        return out

    return {cid: frozenset(expand(cid)) for cid in classes}


def _load_synonyms(cls_file: Mapping[str, Any], generic_classes: Mapping[str, list[str]]) -> dict[str, tuple[str, ...]]:
    synonyms: dict[str, tuple[str, ...]] = {}
    for alias, generics in (cls_file.get("synonyms") or {}).items():
        if not isinstance(generics, list) or not generics:
            raise MedicineDataError(f"classes.toml: synonym {alias!r} must list generic names")
        for g in generics:
            if g not in generic_classes:
                raise MedicineDataError(f"classes.toml: synonym {alias!r} points at {g!r}, which no class lists")
        if alias in generic_classes:
            raise MedicineDataError(f"classes.toml: synonym {alias!r} is also a generic name")
        synonyms[alias] = tuple(generics)
    return synonyms


def _load_dose_factors(cls_file: Mapping[str, Any], generic_classes: Mapping[str, list[str]],
                       cite: _Citer) -> dict[str, tuple[str, float]]:
    dose_factors: dict[str, tuple[str, float]] = {}
    for alias, entry in (cls_file.get("dose_factors") or {}).items():
        where = f"classes.toml: dose factor {alias!r}"
        cite(where, entry.get("source"))
        if entry.get("generic") not in generic_classes:
            raise MedicineDataError(f"{where}: generic {entry.get('generic')!r} is not listed in any class")
        factor = entry.get("factor")
        if not isinstance(factor, (int, float)) or not 0 < factor <= 10:
            raise MedicineDataError(f"{where}: factor must be a positive number")
        dose_factors[alias] = (entry["generic"], float(factor))
    return dose_factors


def _load_injected_forms(route_file: Mapping[str, Any], synonyms: Mapping[str, Any],
                         cite: _Citer) -> tuple[frozenset[str], frozenset[str]]:
    """``routes.toml`` ``[injected_forms]``: names (each a known synonym) and words, cited."""
    entry = route_file.get("injected_forms")
    if entry is None:
        return frozenset(), frozenset()
    where = "routes.toml: [injected_forms]"
    if not isinstance(entry, dict) or set(entry) - {"names", "words", "source"}:
        raise MedicineDataError(f"{where}: must be a table with names, words and source")
    cite(where, entry.get("source"))
    names, words = entry.get("names") or [], entry.get("words") or []
    for n in [*names, *words]:
        if not isinstance(n, str) or n != " ".join(n.lower().split()) or not n:
            raise MedicineDataError(f"{where}: {n!r} must be a lower-case name or word")
    for n in names:
        if n not in synonyms:
            raise MedicineDataError(f"{where}: {n!r} is not a known brand name ([synonyms])")
    return frozenset(names), frozenset(words)


@lru_cache(maxsize=512)
def _whole_name_re(names: Collection[str]) -> re.Pattern | None:
    """One pattern finding any of ``names`` (the data's patch and form names) as a whole word, a
    number typed on to it allowed: what :meth:`PatchForms._has_name` asked of each name in turn,
    compiled once per set of names instead of escaped and looked up for each name on every call
    (issue 17). An alternation finds a match wherever one of its names would: at each place each
    name is tried. None for no names (nothing is found)."""
    if not names:
        return None
    return re.compile(rf"(?<![a-z])(?:{'|'.join(re.escape(n) for n in names)})(?![a-z])")


@dataclass(frozen=True)
class PatchForms:
    """routes.toml ``[patch_forms]``: the opioids that come as a skin patch, the brand names
    that are patches without saying so, the words that say "patch", and the words and brand
    names of their other forms (buccal, sublingual, nasal; Belbuca, Subutex)."""

    generics: frozenset[str]
    names: tuple[str, ...]
    words: frozenset[str]
    other_form_words: frozenset[str]
    other_form_names: tuple[str, ...]
    #: words that say how a patch is worn or changed ("changed every 3 days", "removed", "per hr"):
    #: with a patch word or a rate they do not make the name another medicine (rt22 F2)
    wear_words: frozenset[str] = frozenset()
    #: of ``generics``, those a dose in mg marks as not a patch ("buprenorphine 8mg od": a
    #: sublingual tablet; a patch is micrograms an hour): its form is not known (rt22 F6)
    not_patch_in_mg: frozenset[str] = frozenset()
    #: words of a form these opioids do not come in ("cream", "gel"): not a possible patch, but
    #: never read as fentanyl or buprenorphine either (rt23 F4)
    topical_words: frozenset[str] = frozenset()
    #: patch words that also mean something else ("td": a slip for "tds", the Td vaccine;
    #: "matrix"): they mark a patch beside fentanyl or buprenorphine, or with a rate, but alone
    #: they do not make a name the data does not hold a possible patch (rt23 F4)
    weak_words: frozenset[str] = frozenset()
    #: makers' names written after the generic ("fentanyl Sandoz 25"): taken out before the name
    #: is read, for these medicines only (rt23 F3)
    maker_words: frozenset[str] = frozenset()
    #: brand names of skin patches of a medicine that is no opioid ("flector" -> diclofenac; rt23 F5)
    non_opioid_patches: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: rx23 (rcg22 leftover): skin patches and plasters of a substance the medicine checks do not hold
    #: ("versatis", "lidocaine" -> lidocaine; "qutenza", "capsaicin" -> capsaicin): no opioid patch
    topical_patches: Mapping[str, str] = field(default_factory=dict)
    #: of those substances, the ones whose label says to keep external heat off the patch (lidocaine)
    topical_patch_heat: frozenset[str] = frozenset()

    def without_makers(self, text: str) -> str:
        """``text`` (lower case) without makers' names, as words or in brackets ("fentanyl (Teva)
        25" -> "fentanyl 25"); unchanged when it holds none."""
        words = text.split()
        if not any(w.strip("()") in self.maker_words for w in words):
            return text
        kept = " ".join(w for w in words if w.strip("()") not in self.maker_words)
        return " ".join(re.sub(r"\(\s*\)", " ", kept).split())

    @staticmethod
    def _has_name(text: str, names) -> bool:
        # a name as a whole word, with a number typed on to it allowed ("butrans5", "butec-10")
        pattern = _whole_name_re(names)
        return pattern is not None and pattern.search(text) is not None

    def marks_patch(self, text: str) -> bool:
        return (self._has_name(text, self.names)
                or any(w in self.words for w in _LETTER_WORD_RE.findall(text)))

    def marks_other_form(self, text: str) -> bool:
        return (self._has_name(text, self.other_form_names)
                or any(w in self.other_form_words or w in self.topical_words for w in _LETTER_WORD_RE.findall(text)))

    def marks_patch_strongly(self, text: str) -> bool:
        """A patch brand or a patch word other than the weak ones ("td", "matrix"; rt23 F4)."""
        return (self._has_name(text, self.names)
                or any(w in self.words and w not in self.weak_words for w in _LETTER_WORD_RE.findall(text)))

    def name_without_form_words(self, text: str, form_words: Collection[str] = _FORM_WORDS) -> str:
        """``text`` (lower case) without strengths, numbers, punctuation, the words of another form
        (buccal, sublingual, nasal, lozenge ...; not the topical ones) and form or frequency words:
        what is left names the medicine ("fentanyl 100 micrograms buccal tablet" -> "fentanyl";
        rt23 F1)."""
        text = _without_strengths(_PUNCT_RE.sub(" ", text))
        drop = self.other_form_words | self.wear_words | frozenset(form_words) | {"micrograms", "microgram", "mcg", "dose",
                                                                       "microgramos", "mg"}
        kept = [w.strip("-/.") for w in text.split()]
        return " ".join(w for w in kept if w and w not in drop and not w.isdigit())

    def name_without_patch_words(self, text: str, form_words: Collection[str] = _FORM_WORDS) -> str:
        """``text`` (lower case) without its patch rate, strengths, numbers, punctuation, patch
        words, wear words and form or frequency words: what is left names the medicine
        ("fentanyl 25 mcg/h (changed every 3 days)" -> "fentanyl"; rt22 F2)."""
        text = _PATCH_RATE_RE.sub(" ", _PATCH_SUM_RE.sub(" ", text))  # "100 + 50 mcg/h": patches worn together (mme21)
        text = _without_strengths(_PUNCT_RE.sub(" ", text))
        drop = self.words | self.wear_words | frozenset(form_words)
        kept = [w.strip("-/.") for w in text.split()]
        return " ".join(w for w in kept if w and w not in drop and not w.isdigit())


def _other_form_than_patch(name: str, data: "MedicineData") -> bool:
    """The recorded name says a form other than a skin patch (buccal, sublingual, nasal, a
    transmucosal brand: routes.toml ``other_form_words`` / ``other_form_names``) and no patch
    brand, word or rate (rt23 F1)."""
    forms = data.patch_forms
    if forms is None:
        return False
    text = " ".join(name.lower().replace("\u03bc", "\u00b5").split())
    return (forms.marks_other_form(text) and not forms.marks_patch(text) and patch_rate(text) is None)


#: a word of letters (any alphabet: "transdérmico"), hyphens allowed inside
_LETTER_WORD_RE = re.compile(r"[^\W\d_](?:[^\W\d_]|-)*")


def _load_patch_forms(route_file: Mapping[str, Any], cls: "_Classes", cite: _Citer) -> PatchForms | None:
    """``routes.toml`` ``[patch_forms]``, checked: each generic listed in a class, each brand name
    a known synonym of one of them, every word lower case, and a source (rt21 F4)."""
    entry = route_file.get("patch_forms")
    if entry is None:
        return None
    where = "routes.toml: [patch_forms]"
    keys = {"generics", "names", "words", "other_form_words", "other_form_names", "wear_words", "not_patch_in_mg",
            "topical_words", "weak_words", "maker_words", "non_opioid_patches", "topical_patches",
            "topical_patch_heat", "source"}
    if not isinstance(entry, dict) or set(entry) - keys:
        raise MedicineDataError(f"{where}: must be a table with {', '.join(sorted(keys))}")
    cite(where, entry.get("source"))
    generics = entry.get("generics") or []
    if not generics or any(g not in cls.generic_classes for g in generics):
        raise MedicineDataError(f"{where}: generics must be medicines listed in a class")
    lists = {k: entry.get(k) or [] for k in ("names", "words", "other_form_words", "other_form_names", "wear_words",
                                              "topical_words", "weak_words", "maker_words")}
    for k, values in lists.items():
        for n in values:
            if not isinstance(n, str) or n != " ".join(n.lower().split()) or not n:
                raise MedicineDataError(f"{where}: {k} {n!r} must be a lower-case name or word")
    for k in ("names", "other_form_names"):
        for n in lists[k]:
            if not set(cls.synonyms.get(n, ())) & set(generics):
                raise MedicineDataError(f"{where}: {k} {n!r} is not a known brand name ([synonyms]) of {generics}")
    in_mg = entry.get("not_patch_in_mg") or []
    if not isinstance(in_mg, list) or any(g not in generics for g in in_mg):
        raise MedicineDataError(f"{where}: not_patch_in_mg must list some of generics {generics}")
    both = (set(lists["names"]) & set(lists["other_form_names"])
            | (set(lists["words"]) | set(lists["wear_words"])) & (set(lists["other_form_words"])
                                                                  | set(lists["topical_words"])))
    if both:
        raise MedicineDataError(f"{where}: {sorted(both)} both a patch and another form")
    if set(lists["weak_words"]) - set(lists["words"]):
        raise MedicineDataError(f"{where}: weak_words must be some of words")
    others = entry.get("non_opioid_patches") or {}
    if not isinstance(others, dict) or any(
            not isinstance(k, str) or k != " ".join(k.lower().split()) or not isinstance(v, list) or not v
            or any(g not in cls.generic_classes or g in generics for g in v) for k, v in others.items()):
        raise MedicineDataError(f"{where}: non_opioid_patches must map a lower-case name to medicines listed in a "
                                f"class, none of {generics}")
    makers_too = set(lists["maker_words"]) & (set(lists["words"]) | set(lists["other_form_words"])
                                              | set(lists["wear_words"]) | set(cls.synonyms) | set(cls.generic_classes))
    if makers_too:
        raise MedicineDataError(f"{where}: maker_words {sorted(makers_too)} are also medicine names or form words")
    return PatchForms(frozenset(generics), tuple(lists["names"]), frozenset(lists["words"]),
                      frozenset(lists["other_form_words"]), tuple(lists["other_form_names"]),
                      frozenset(lists["wear_words"]), frozenset(in_mg), frozenset(lists["topical_words"]),
                      frozenset(lists["weak_words"]), frozenset(lists["maker_words"]),
                      {k: tuple(v) for k, v in others.items()}, *_load_topical_patches(entry, where, generics, cls))


def _load_topical_patches(entry: Mapping[str, Any], where: str, generics: Sequence[str],
                          cls: "_Classes") -> tuple[dict[str, str], frozenset[str]]:
    """``topical_patches`` (rx23): lower-case name -> the non-opioid substance of a skin patch or
    plaster the medicine checks do not hold (lidocaine, capsaicin), none of them an opioid's name;
    ``topical_patch_heat``: those substances whose label says to keep external heat off the patch."""
    topical = entry.get("topical_patches") or {}
    if not isinstance(topical, dict) or any(
            not isinstance(k, str) or k != " ".join(k.lower().split()) or not isinstance(v, str) or not v
            or k in generics or k in cls.synonyms or v in generics for k, v in topical.items()):
        raise MedicineDataError(f"{where}: topical_patches must map lower-case names the data does not hold to a "
                                f"substance, none of {generics}")
    heat = entry.get("topical_patch_heat") or []
    if not isinstance(heat, list) or not set(heat) <= set(topical.values()):
        raise MedicineDataError(f"{where}: topical_patch_heat must list substances of topical_patches")
    return dict(topical), frozenset(heat)


def _load_stop_gradually(cls_file: Mapping[str, Any], cls: "_Classes", cite: _Citer) -> dict[str, tuple[str, str]]:
    """``classes.toml`` ``[stop_gradually]``: class id or generic -> (why, source), each cited."""
    out: dict[str, tuple[str, str]] = {}
    for key, entry in (cls_file.get("stop_gradually") or {}).items():
        where = f"classes.toml: stop_gradually {key!r}"
        if not isinstance(entry, dict) or not isinstance(entry.get("why"), str) or not entry["why"].strip():
            raise MedicineDataError(f"{where}: must be a table with why and source")
        if key not in cls.ids and key not in cls.generic_classes:
            raise MedicineDataError(f"{where}: {key!r} is neither a class nor a listed generic")
        source, _ = cite(where, entry.get("source"))
        out[key] = (entry["why"].strip(), source)
    return out


def _load_dose_units(cls_file: Mapping[str, Any], cite: _Citer) -> dict[str, str]:
    """``classes.toml`` ``[dose_units]``: generic -> the unit it is prescribed in, each cited."""
    generics = {g for c in (cls_file.get("classes") or {}).values() if isinstance(c, dict)
                for g in c.get("members") or ()}
    out: dict[str, str] = {}
    for generic, entry in (cls_file.get("dose_units") or {}).items():
        where = f"classes.toml: dose unit {generic!r}"
        if not isinstance(entry, dict):
            raise MedicineDataError(f"{where}: must be a table with unit and source")
        cite(where, entry.get("source"))
        if generic not in generics:
            raise MedicineDataError(f"{where}: {generic!r} is not a member of any class")
        unit = entry.get("unit")
        if not isinstance(unit, str) or not unit.strip():
            raise MedicineDataError(f"{where}: has no unit")
        out[generic] = unit.strip()
    return out


def _load_classes(cls_file: Mapping[str, Any], cite: _Citer) -> _Classes:
    """``classes.toml``: classes (includes expanded), then synonyms, then dose factors."""
    classes = cls_file.get("classes") or {}
    if not classes:
        raise MedicineDataError("classes.toml: no [classes]")
    labels, direct, includes = _load_class_entries(classes, cite)
    members_of = _expand_classes(classes, direct, includes)
    generic_classes: dict[str, list[str]] = {}
    for cid in classes:
        for g in members_of[cid]:
            generic_classes.setdefault(g, []).append(cid)
    return _Classes(classes, labels, members_of, generic_classes, _load_synonyms(cls_file, generic_classes),
                    _load_dose_factors(cls_file, generic_classes, cite))


def _drug_matches(where: str, e: Mapping[str, Any], cls: _Classes) -> set[str]:
    """The generic names a drug row stands for (its class minus exclusions, or listed)."""
    if "match_class" in e:
        if e["match_class"] not in cls.ids:
            raise MedicineDataError(f"{where}: match_class {e['match_class']!r} is not in classes.toml")
        own = set(cls.members_of[e["match_class"]]) - set(e.get("exclude", []))
    else:
        own = set(e.get("matches") or [])
    if not own:
        raise MedicineDataError(f"{where}: matches nothing")
    for g in own:
        if g not in cls.generic_classes:
            raise MedicineDataError(f"{where}: matches {g!r}, which no class lists")
    return own


def _load_renal_bands(where: str, e: Mapping[str, Any], cite: _Citer):
    """A drug's renal dose bands, highest clearance first and down to 0, with their source."""
    bands: list[_Band] = []
    renal_src, renal_ids = "", ()
    if e.get("renal_bands"):
        renal_src, renal_ids = cite(f"{where} renal_bands", e.get("renal_source"))
        last = None
        for b in e["renal_bands"]:
            band = _Band(float(b["at_least"]), float(b["min_mg"]), float(b["max_mg"]), str(b["text"]),
                         bool(b.get("overlapping_edge", False)))
            if last is not None and band.at_least >= last:
                raise MedicineDataError(f"{where}: renal_bands must run from the highest clearance down")
            last = band.at_least
            bands.append(band)
        if bands[-1].at_least != 0:
            raise MedicineDataError(f"{where}: the last renal band must start at 0")
    return tuple(bands), renal_src, renal_ids


def _load_profile_max(where: str, e: Mapping[str, Any], cite: _Citer) -> dict[str, tuple[float, str, str | None]]:
    profile_max: dict[str, tuple[float, str, str | None]] = {}
    for prof, pm in (e.get("profile_max") or {}).items():
        psrc, _ = cite(f"{where} profile_max.{prof}", pm.get("source"))
        if not isinstance(pm.get("daily_mg"), (int, float)):
            raise MedicineDataError(f"{where}: profile_max.{prof} needs daily_mg")
        profile_max[prof] = (float(pm["daily_mg"]), psrc, pm.get("note"))
    return profile_max


def _optional_mg(e: Mapping[str, Any], key: str) -> float | None:
    return None if e.get(key) is None else float(e[key])


def _load_drug(did: str, e: Mapping[str, Any], cls: _Classes, cite: _Citer) -> _Drug:
    """One ``[drugs.<id>]`` row of ``drugs.toml``, checked against the classes and sources."""
    where = f"drugs.toml: drug {did!r}"
    for key in ("label", "class", "treatment_code", "seed_dose", "seed", "usual_dose_range"):
        if not isinstance(e.get(key), str) or not e[key].strip():
            raise MedicineDataError(f"{where}: {key} is required")
    if e["class"] not in cls.ids:
        raise MedicineDataError(f"{where}: class {e['class']!r} is not in classes.toml")
    if e["treatment_code"] not in TREATMENTS:
        raise MedicineDataError(f"{where}: treatment_code {e['treatment_code']!r} is not a known treatment")
    seed_source, _ = cite(f"{where} seed", e["seed"])
    cite(f"{where} usual_dose_range", e.get("usual_dose_source"))
    own = _drug_matches(where, e, cls)
    label_src = default_src = ""
    if e.get("label_max_daily_mg") is not None:
        label_src, _ = cite(f"{where} label_max_daily_mg", e.get("label_max_source"))
    if e.get("default_max_daily_mg") is not None:
        default_src, _ = cite(f"{where} default_max_daily_mg", e.get("default_max_source"))
    bands, renal_src, renal_ids = _load_renal_bands(where, e, cite)
    profile_max = _load_profile_max(where, e, cite)
    for key, src_key in (("self_care_max_daily_mg", "self_care_max_source"),
                         ("handout_max_daily_mg", "handout_max_source")):
        if e.get(key) is not None:
            cite(f"{where} {key}", e.get(src_key))
    if e.get("self_care_max_daily_mg") is not None and not e.get("self_care_dose_range"):
        raise MedicineDataError(f"{where}: self_care_max_daily_mg needs self_care_dose_range")
    return _Drug(
        id=did, profile_max=profile_max,
        self_care_max=_optional_mg(e, "self_care_max_daily_mg"), self_care_dose_range=e.get("self_care_dose_range"),
        handout_max=_optional_mg(e, "handout_max_daily_mg"), label=e["label"], drug_class=e["class"],
        class_label=cls.labels[e["class"]],
        treatment_code=e["treatment_code"], order=int(e.get("order", 99)), own=frozenset(own),
        seed_dose=e["seed_dose"], seed=e["seed"], seed_source=seed_source,
        usual_dose_range=e["usual_dose_range"],
        label_max=_optional_mg(e, "label_max_daily_mg"), label_max_source=label_src,
        label_max_note=e.get("label_max_note"),
        default_max=_optional_mg(e, "default_max_daily_mg"),
        default_max_reason=e.get("default_max_reason"), default_max_source=default_src,
        renal_bands=bands, renal_source=renal_src, renal_source_ids=renal_ids,
        hd_supplement=e.get("haemodialysis_supplement"), duration_note=e.get("duration_note"),
        course_max=_course_max(where, e), taken_label=_taken_label(where, e),
    )


def _taken_label(where: str, e: Mapping[str, Any]) -> str | None:
    """``taken_label``: the row's name while the patient takes it now, when the row's own name
    is a course ("Prednisone taper") that a long-term steroid is not (med16)."""
    value = e.get("taken_label")
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise MedicineDataError(f"{where}: taken_label must be a text")
    return value


def _course_max(where: str, e: Mapping[str, Any]) -> bool:
    flag = e.get("default_max_is_course_dose", False)
    if not isinstance(flag, bool):
        raise MedicineDataError(f"{where}: default_max_is_course_dose must be true or false")
    if flag and (e.get("default_max_daily_mg") is None or e.get("label_max_daily_mg") is not None):
        raise MedicineDataError(f"{where}: default_max_is_course_dose needs default_max_daily_mg and no label maximum")
    return flag


def _load_drugs(drug_file: Mapping[str, Any], cls: _Classes, cite: _Citer) -> list[_Drug]:
    """Every drug row, in the table's order (``order``, then file order)."""
    drugs = [_load_drug(did, e, cls, cite) for did, e in (drug_file.get("drugs") or {}).items()]
    if not drugs:
        raise MedicineDataError("drugs.toml: no [drugs]")
    drugs.sort(key=lambda d: d.order)
    return drugs


def _load_mme_factors(drug_file: Mapping[str, Any], cls: _Classes, cite: _Citer) -> tuple[dict[str, float], str]:
    """Oral morphine milligram equivalent factors per opioid, and their source."""
    mme = dict(drug_file.get("mme_factors") or {})
    mme_source, _ = cite("drugs.toml: mme_factors", mme.pop("source", None))
    for g, f in mme.items():
        if g not in cls.generic_classes or not isinstance(f, (int, float)):
            raise MedicineDataError(f"drugs.toml: mme_factors {g!r} is not a listed generic with a number")
    return {g: float(f) for g, f in mme.items()}, mme_source


def _load_mme_rate_factors(drug_file: Mapping[str, Any], cls: _Classes, cite: _Citer) -> dict[str, float]:
    """MME per microgram an hour of a patch (drugs.toml ``[mme_rate_factors]``), checked."""
    rates = dict(drug_file.get("mme_rate_factors") or {})
    if not rates:
        return {}
    cite("drugs.toml: mme_rate_factors", rates.pop("source", None))
    for g, f in rates.items():
        if g not in cls.generic_classes or not isinstance(f, (int, float)) or isinstance(f, bool) or f <= 0:
            raise MedicineDataError(f"drugs.toml: mme_rate_factors {g!r} is not a listed generic with a positive number")
    return {g: float(f) for g, f in rates.items()}


def _load_patch_strengths(drug_file: Mapping[str, Any], cls: "_Classes", cite: "_Citer") -> dict[str, Any]:
    """drugs.toml ``[patch_strengths]`` (mme21), checked: each a listed generic with positive
    strengths in micrograms an hour, with a source."""
    table = dict(drug_file.get("patch_strengths") or {})
    if not table:
        return {}
    where = "drugs.toml: patch_strengths"
    source, _ = cite(where, table.pop("source", None))
    out: dict[str, tuple[float, ...]] = {}
    for g, strengths in table.items():
        if g not in cls.generic_classes or not isinstance(strengths, list) or not strengths or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 for v in strengths):
            raise MedicineDataError(f"{where}: {g!r} must be a listed generic with positive strengths (mcg/h)")
        out[g] = tuple(sorted(float(v) for v in strengths))
    return {"patch_strengths": out, "patch_strengths_source": source, **_load_patch_delivered(drug_file, cls, cite),
            **_load_patch_intervals(drug_file, cls, cite)}


def _positive(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def _load_patch_delivered(drug_file: Mapping[str, Any], cls: "_Classes", cite: "_Citer") -> dict[str, Any]:
    """drugs.toml ``[patch_delivered_rates]`` (rx23), checked: generic -> {printed strength: rate
    delivered}, each in micrograms an hour, with a source."""
    table = dict(drug_file.get("patch_delivered_rates") or {})
    if not table:
        return {}
    where = "drugs.toml: patch_delivered_rates"
    source, _ = cite(where, table.pop("source", None))
    out: dict[str, dict[float, float]] = {}
    for g, rates in table.items():
        if g not in cls.generic_classes or not isinstance(rates, dict) or not rates:
            raise MedicineDataError(f"{where}: {g!r} must be a listed generic with printed strength -> rate delivered")
        try:
            pairs = {float(k): v for k, v in rates.items()}
        except ValueError:
            raise MedicineDataError(f"{where}: {g!r}: each printed strength must be a number") from None
        if not all(k > 0 and _positive(v) for k, v in pairs.items()):
            raise MedicineDataError(f"{where}: {g!r}: strengths and rates must be positive (mcg/h)")
        out[g] = {k: float(v) for k, v in pairs.items()}
    return {"patch_delivered": out, "patch_delivered_source": source}


def _load_patch_intervals(drug_file: Mapping[str, Any], cls: "_Classes", cite: "_Citer") -> dict[str, Any]:
    """drugs.toml ``[patch_change_intervals]`` (rx23), checked: generic -> hours, and brands (each a
    name of routes.toml's patch brands is not required here: a brand not written is never looked up)."""
    table = dict(drug_file.get("patch_change_intervals") or {})
    if not table:
        return {}
    where = "drugs.toml: patch_change_intervals"
    source, _ = cite(where, table.pop("source", None))
    brands = table.pop("brands", {}) or {}
    words = table.pop("words", {}) or {}
    word_keys = ("every", "every_glued", "hours", "q", "q_hours", "hourly", "days")
    if not isinstance(words, dict) or set(words) - set(word_keys) or not all(
            isinstance(v, list) and v and all(isinstance(w, str) and w and w == w.lower() for w in v)
            for v in words.values()):
        raise MedicineDataError(f"{where}.words: each of {', '.join(word_keys)} must list lower-case words")

    def hours(key: str, value: Any) -> tuple[float, ...]:
        if not isinstance(value, list) or not value or not all(_positive(v) for v in value):
            raise MedicineDataError(f"{where}: {key!r} must list positive hours")
        return tuple(sorted(float(v) for v in value))

    out = {}
    for g, value in table.items():
        if g not in cls.generic_classes:
            raise MedicineDataError(f"{where}: {g!r} is not a listed generic")
        out[g] = hours(g, value)
    return {"patch_intervals": out, "patch_interval_brands": {b.lower(): hours(b, v) for b, v in brands.items()},
            "patch_intervals_source": source, "patch_interval_words": {k: tuple(v) for k, v in words.items()}}


#: Patches worn together written as a sum of their strengths, each in micrograms an hour or the
#: unit written once at the end: "fentanyl 100 + 50 mcg/h", "100mcg/h + 25mcg/h", "75 and 25
#: micrograms/hour" (mme21): the rate is the sum, each part one patch.
_NUM = r"\d+(?:[.,]\d+)?"
# rt23 F3: the Spanish "microgramos" and "hora"/"horas" (as AEMPS writes "25 microgramos/h"), and
# "mcg.h-1" / "mcg h⁻¹"
_MCG = r"(?:mcgs?|µg|\u03bcg|ug|micrograms?|microgrammes?|microgramos?)"
_PER_H = r"(?:\s*(?:/|\.|\bper\b|\ban\b|\bpor\b|\bcada\b)?\s*(?:h|hr|hrs|hour|hora|horas)(?![a-z]))"
_PATCH_SUM_RE = re.compile(
    rf"(?<![\d.,/])({_NUM}(?:\s*{_MCG}{_PER_H}?)?(?:\s*(?:\+|&|\band\b|\by\b)\s*{_NUM}(?:\s*{_MCG}{_PER_H}?)?)+)"
    rf"(?=\s*{_MCG}{_PER_H}|(?<=[a-z]))")
_PATCH_PART_RE = re.compile(rf"(?<![\d.,])({_NUM})")
#: a sum of patches written with bare numbers ("Durogesic 50 + 25"; rt24 F1): read only by
#: :func:`patch_reading`, for a recognised patch, each part a strength one patch is made in
_BARE_SUM_RE = re.compile(
    rf"(?<![\d.,/x\u00d7])({_NUM}(?:\s*(?:\+|&|\band\b|\by\b)\s*{_NUM})+)"
    rf"(?![\d.,]|\s*(?:mg|mgs|milligram|g\b|gram(?:os?|s)?|ml|h\b|hr|hrs|hours?|days?|d\b|x\b|times|/))")
#: a bare number in a patch's name ("Fentalis 250", "BuTrans5"): not a wear time ("every 72
#: hours", "/72h", "3 days"), not in mg or ml (nor its first digits: "50mg" is not 5) and not the
#: count of an "x2" (mme21; mmx22: a recognised patch's bare number that is a strength one patch
#: is made in is counted, :func:`patch_reading`)
_BARE_STRENGTH_RE = re.compile(
    rf"(?<![\d.,/x\u00d7])({_NUM})(?!\d|\s*(?:[.,]\d|mg|mgs|milligram|g\b|gram(?:os?|s)?|ml|h\b|hr|hrs|hours?|days?|d\b|x\b|times|/))")


def patch_strengths_written(name: str) -> tuple[float, ...]:
    """The strength of each patch written in a patch's name, in micrograms an hour (mme21): the
    parts of a sum ("100 + 50 mcg/h": two patches), the one rate ("25 mcg/h"), else the bare
    numbers ("Fentalis 250"); () when none is written. A count of patches ("x2", "2 patches") is
    not a strength (mmx22), nor is a change interval (patch31, H-MED-665: the 3 of "cada 3 días" and the 72 of "cada
    72 horas" were read as a 3 and a 72 mcg/h patch)."""
    text = _without_patch_count(_without_patch_intervals(" ".join(name.lower().replace("\u03bc", "\u00b5").split())))
    found = _PATCH_SUM_RE.search(text)
    if found:
        return tuple(float(p.replace(",", ".")) for p in _PATCH_PART_RE.findall(re.sub(rf"{_MCG}{_PER_H}?", " ", found.group(1))))
    rates = [float(m.group(1).replace(",", ".")) for m in _PATCH_RATE_RE.finditer(text)]
    if rates:
        return tuple(rates)
    return tuple(float(m.group(1).replace(",", ".")) for m in _BARE_STRENGTH_RE.finditer(text))


#: A patch's rate as written in its name: "25 mcg/h", "25mcg/hr", "12 micrograms/hour",
#: "37.5 µg/h", "5 micrograms per hour" (rt19 F7), "25 \u03bcg/h" (Greek mu), "25mcgs/hr", "25
#: microgramme/hour" (rt21 F8). Only the microgram units: a rate is never guessed from a bare
#: number ("durogesic 25" has no MME), nor from a wear time ("25 mcg/72h").
_PATCH_RATE_RE = re.compile(
    r"(?<![\d.,])(\d+(?:[.,]\d+)?)\s*(?:mcgs?|µg|\u03bcg|ug|micrograms?|microgrammes?|microgramos?)\s*"
    r"(?:/|\.|\bper\b|\ban\b|\bpor\b)?\s*(?:h|hr|hrs|hour|hora|horas)(?![a-z])")


#: a dose in milligrams or grams as written ("8mg", "16 mg", "0.4mg", "2 milligrams")
_DOSE_IN_MG_RE = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)?\s*(?:mg|mgs|milligrams?|milligrammes?|g|gram(?:os?|s)?)(?![a-z])")


def patch_rate(name: str) -> float | None:
    """The micrograms an hour written in a patch's name, or None (none, or two different ones).
    Patches worn together written as a sum ("fentanyl 100 + 50 mcg/h") give their sum (mme21)."""
    text = " ".join(name.lower().replace("\u03bc", "\u00b5").split())
    summed = _PATCH_SUM_RE.search(text)
    if summed and _PATCH_RATE_RE.search(text):
        return math.fsum(float(p.replace(",", ".")) for p in _PATCH_PART_RE.findall(
            re.sub(rf"{_MCG}{_PER_H}?", " ", summed.group(1))))
    found = {float(m.group(1).replace(",", ".")) for m in _PATCH_RATE_RE.finditer(name.lower())}
    return next(iter(found)) if len(found) == 1 else None


#: How many patches of one strength are worn together, as a prescription writes it (mmx22, gp21
#: F2): "25mcg/h x2 patches", "patch x 2", "2 x 25mcg/h", "25mcg/h 2 patches", "two fentanyl
#: 50mcg/h patches". An "x" followed by a wear or change frequency ("Transtec 35 x2 weekly",
#: "x2 a week": changed twice a week) is not a count.
_COUNT_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_PATCH_COUNT_RES = (
    re.compile(r"(?<![^\s\d)])[x\u00d7]\s*([1-9])(?![\d.,])"
               r"(?!\s*(?:/|a\b|an\b|per\b|times?\b|daily\b|weekly\b|weeks?\b|wk\b|days?\b|d\b|w\b|hours?\b|h\b|hr))"),
    re.compile(r"(?<![\d.,/])([1-9])\s*[x\u00d7]\s*(?=\d)"),
    re.compile(r"(?<![\w.,/])([2-9])\s+patches\b"),
    re.compile(r"\b(one|two|three|four|five|six)(?=\s+(?:\S+\s+){0,3}?patch(?:es)?\b)"),
    # a count written before the name ("2 x Fentalis 25", "2 Fentalis 25 patches", "two Fentalis
    # 25": rt24 F2, counted as one patch, or the 2 read as a strength)
    re.compile(r"^([2-9])\s*[x\u00d7]?\s+(?=[a-z])"),
    re.compile(r"^(two|three|four|five|six)\s+(?=[a-z])"),
)


def patch_count(name: str) -> int | None:
    """How many patches of the written strength are worn together (mmx22, gp21 F2): 1 when no
    count is written, the count written ("x2", "2 x", "2 patches", "two ... patches"), or None when
    two different counts are written (not read: never one of them guessed)."""
    text = " ".join(name.lower().split())
    found = {int(m.group(1)) if m.group(1).isdigit() else _COUNT_WORDS[m.group(1)]
             for rx in _PATCH_COUNT_RES for m in rx.finditer(text)}
    return 1 if not found else next(iter(found)) if len(found) == 1 else None


def _without_patch_count(text: str) -> str:
    """``text`` without its count of patches (so "Fentalis 50 x2" has one strength, 50)."""
    for rx in _PATCH_COUNT_RES:
        text = rx.sub(" ", text)
    return " ".join(text.split())


class PatchReading(NamedTuple):
    """How an opioid patch's rate is read for the MME total (mmx22, gp21 F1/F2)."""

    each: float  # micrograms an hour of one patch, or of a sum of patches written with "+"
    patches: int  # how many of them are worn together (a count written: "x2", "two ... patches")
    rate: float  # micrograms an hour counted: each x patches
    #: "" the rate written in micrograms an hour; "bare": a recognised patch brand or word with a
    #: bare number that is a strength one patch is made in ("Fentalis 50"); "possible": the
    #: medicine written with no form and such a bare number ("fentanyl 50"), counted as a patch
    read_as: str = ""
    #: rx23 (rt24 F7): (printed strength, rate delivered) of each patch counted at its delivered rate
    #: ("12" fentanyl: (12, 12.5)); () when every strength is its rate
    delivered: tuple[tuple[float, float], ...] = ()
    #: rx23 (rt24 F9): the numbers were written in micrograms with no "an hour" ("Fentalis 50 mcg")
    no_per_hour: bool = False


def _delivered(generic: str, parts: Sequence[float], data: "MedicineData") -> tuple[float, tuple[tuple[float, float], ...]]:
    """The rate delivered by patches of these printed strengths worn together (rx23, rt24 F7: a "12"
    fentanyl patch delivers 12.5 mcg/h, drugs.toml ``[patch_delivered_rates]``), and which were changed."""
    table = data.patch_delivered.get(generic, {})
    return (math.fsum(table.get(p, p) for p in parts),
            tuple((p, table[p]) for p in dict.fromkeys(parts) if p in table))


def _micrograms_without_per_hour(text: str, parts: Sequence[float]) -> bool:
    """Every number read was written in micrograms with no "an hour" ("Fentalis 50 mcg")."""
    found = {float(m.group(1).replace(",", ".")) for m in re.finditer(
        rf"(?<![\d.,])({_NUM})\s*{_MCG}(?!\s*(?:/|\.|\bper\b|\ban\b|\bpor\b|\bcada\b)?\s*(?:h|hr|hrs|hour|hora|horas)(?![a-z]))",
        text)}
    return bool(parts) and all(p in found for p in parts)


#: forms29 (H-MED-534): micrograms written per a number of hours ("25mcg/24h", "25 mcg per 24 hours", "25mcg/72h"):
#: a patch is made in micrograms an hour, so this is its rate only where the hours are how often that patch is
#: changed ("25 mcg/72h": a 25 mcg/h fentanyl patch worn 72 hours, as before); any other hours ("25mcg/24h": 25
#: micrograms a day? a patch changed daily?) are no rate: never counted as 25 micrograms an hour, and asked about
_PER_HOURS_RE = re.compile(
    rf"(?<![\d.,])({_NUM})\s*{_MCG}\s*(?:/|\bper\b|\bin\b|\bevery\b)\s*(\d+(?:[.,]\d+)?)\s*(?:h|hr|hrs|hours?)(?![a-z])")


def patch_hours_not_rate(medicine: "CurrentMedicine", generic: str, data: "MedicineData") -> list[tuple[float, str]]:
    """The micrograms-per-hours written in a patch's name whose hours are not how often ``generic``'s patch is
    changed (forms29, H-MED-534): (hours, the words); [] when none."""
    text = " ".join(medicine.name.lower().replace("\u03bc", "\u00b5").split())
    allowed = patch_intervals_allowed(medicine, generic, data)[0] if data.patch_intervals else ()
    return [(float(m.group(2).replace(",", ".")), m.group(0)) for m in _PER_HOURS_RE.finditer(text)
            if float(m.group(2).replace(",", ".")) not in allowed]


def patch_reading(medicine: "CurrentMedicine", generic: str, data: "MedicineData") -> PatchReading | None:
    """The rate of ``generic``'s patch counted in the MME total, or None when it cannot be read
    (mmx22, gp21 F1/F2). A rate written in micrograms an hour is read as written, a sum as its sum
    (mme21). A patch brand or patch word with a bare number ("Fentalis 50", "Durogesic DTrans 50")
    is how a patch is prescribed in the UK: when that number is a strength one patch is made in
    (drugs.toml ``[patch_strengths]``) it is that strength in micrograms an hour; any other number
    ("Fentalis 250", "0") is never counted (it is a dose to check: :func:`_patch_strength_checks`).
    Fentanyl written with no form and a marketed strength ("fentanyl 50") is counted as a patch,
    the cautious side: the sheets already treat it as one, and leaving it out made a 120 MME/day
    patient look like no opioid dose at all; how it was counted says so. A count of patches
    multiplies the rate ("25mcg/h x2" is 50 mcg/h); a count beside a sum, or two counts, is not
    read."""
    count = patch_count(medicine.name)
    if count is None or patch_hours_not_rate(medicine, generic, data):
        return None
    text = _without_patch_count(" ".join(medicine.name.lower().replace("\u03bc", "\u00b5").split()))
    rate = patch_rate(text)
    if rate is not None:
        summed = _PATCH_SUM_RE.search(text) is not None
        if count != 1 and summed:
            return None
        each, delivered = _delivered(generic, patch_strengths_written(text) if summed else (rate,), data)
        return PatchReading(each, count, each * count, delivered=delivered)
    allowed = data.patch_strengths.get(generic)
    form = data.patch_form(medicine)
    if not allowed or form is None:
        return None
    bare = patch_strengths_written(text)
    read_as = "bare" if form == "patch" else "possible"
    no_per_hour = _micrograms_without_per_hour(text, bare)
    if len(bare) > 1:
        # patches worn together written with bare numbers ("Durogesic 50 + 25", rt24 F1: counted
        # 0 MME/day, no alert, while "50 + 25 mcg/h" counted 180): their sum, when every part is a
        # strength one patch is made in and nothing else is written; a count beside the sum is not
        # read (as for a sum in micrograms an hour)
        sums = _BARE_SUM_RE.findall(text)
        parts = tuple(float(p.replace(",", ".")) for p in _PATCH_PART_RE.findall(sums[0])) if len(sums) == 1 else ()
        if count != 1 or parts != bare or any(b not in allowed for b in bare):
            return None
        each, delivered = _delivered(generic, bare, data)
        return PatchReading(each, 1, each, read_as + "_sum", delivered, no_per_hour)
    if len(bare) != 1 or bare[0] not in allowed:
        return None
    each, delivered = _delivered(generic, bare, data)
    return PatchReading(each, count, each * count, read_as, delivered, no_per_hour)


def patch_unread_reason(medicine: "CurrentMedicine", generic: str, data: "MedicineData") -> str:
    """Why a patch of ``generic`` is not counted in the MME total (:func:`patch_reading` gave None),
    in the words of what is written (rx23, rt24 F9: every such patch was "rate not written")."""
    text = " ".join(medicine.name.lower().replace("\u03bc", "\u00b5").split())
    per_hours = patch_hours_not_rate(medicine, generic, data)
    if per_hours:
        return (f"\"{per_hours[0][1]}\" is micrograms per {_num(per_hours[0][0])} hours, not the micrograms an hour a "
                f"{generic} patch is made in")
    count = patch_count(medicine.name)
    if count is None:
        counts = sorted({int(m.group(1)) if m.group(1).isdigit() else _COUNT_WORDS[m.group(1)]
                         for rx in _PATCH_COUNT_RES for m in rx.finditer(text)})
        return f"two different numbers of patches written ({', '.join(str(c) for c in counts)})"
    rest = _without_patch_count(text)
    summed = _PATCH_SUM_RE.search(rest) is not None or len(_BARE_SUM_RE.findall(rest)) == 1
    written = patch_strengths_written(rest)
    if count != 1 and summed and len(written) > 1:
        return (f"a count of patches (x{count}) written beside patches worn together "
                f"({' + '.join(_num(w) for w in written)}): which patches are worn is not clear")
    allowed = data.patch_strengths.get(generic, ())
    rates = {float(m.group(1).replace(",", ".")) for m in _PATCH_RATE_RE.finditer(rest)}
    if len(rates) > 1 and not summed:
        return f"two rates written with no sum ({', '.join(_num(r) for r in sorted(rates))} micrograms an hour)"
    if len(written) > 1 and not summed:
        return f"two numbers written with no sum ({', '.join(_num(w) for w in written)})"
    wrong = [w for w in written if allowed and w not in allowed]
    if wrong:
        return (f"{' and '.join(_num(w) for w in dict.fromkeys(wrong))} is not a strength one {generic} patch is made "
                "in (a dose to check)")
    if written and data.patch_form(medicine) is None:
        return f"{generic} not written as a patch"
    return "patch rate in micrograms an hour not written"


#: How often a patch is changed, as a prescription writes it (rx23, rt24 F4): "every 72 hours",
#: "every 72h", "q72h", "72 hourly", "every 3 days", "every 3.5 days", "every 7 days", "weekly", "once a
#: week", "twice weekly", "twice a week", "x2 a week"; Spanish "cada 72 horas", "cada 3 días", and its
#: prescription shorthand "c/72h", "c/72 hs", "c/ 72h", "c/3 días", "c/7 días" (patch31, H-MED-665: "c/72h" was
#: read as a tablet frequency and made a settled fentanyl total provisional). Each gives the hours a patch is
#: worn; a number of doses a day it never is.
_NUMX = r"\d+(?:[.,]\d+)?"
def _patch_interval_res(data: "MedicineData | None" = None) -> tuple[tuple[re.Pattern, float], ...]:
    """The change intervals a patch's name may hold, each with the hours its number is in (1 for hours, 24 for days):
    "every 72 hours", "cada 72 horas", "c/72h", "q72h", "72 hourly", "every 3 days", "cada 3 días". Made once per
    loaded data from drugs.toml ``[patch_change_intervals.words]`` (readers33, H-MED-686: they were written here as
    regular expressions, ``_PATCH_INTERVAL_RES``; the same words, the same readings); () when the data holds none."""
    data = data if data is not None else load_medicine_data()
    found = data.__dict__.get("_patch_interval_res")
    if found is None:
        w = data.patch_interval_words

        def alt(key: str) -> str:
            return "|".join(re.escape(x) for x in sorted(w.get(key, ()), key=len, reverse=True)) or r"(?!)"

        every = rf"(?:(?:{alt('every')})\s+|(?:{alt('every_glued')})\s*)"
        found = data.__dict__["_patch_interval_res"] = () if not w else (
            (re.compile(rf"(?<![\w/]){every}({_NUMX})\s*(?:{alt('hours')})(?![a-z])"), 1.0),
            (re.compile(rf"(?<![\w/])(?:{alt('q')})\s*(\d+)\s*(?:{alt('q_hours')})(?![a-z])"), 1.0),
            (re.compile(rf"(?<![\w./])(\d+)[\s-]*(?:{alt('hourly')})(?![a-z])"), 1.0),
            (re.compile(rf"(?<![\w/]){every}({_NUMX})\s*(?:{alt('days')})(?![a-z])"), 24.0),
        )
    return found


_TWICE_WEEKLY_RE = re.compile(r"(?<![\w/])(?:twice|2\s*[x\u00d7]|[x\u00d7]\s*2|2\s+times)\s+(?:a\s+|per\s+)?week(?:ly)?(?![a-z])")
_WEEKLY_RE = re.compile(r"(?<![\w/])(?:(?:once\s+)?(?:a|per)\s+week|once\s+weekly|every\s+(?:7\s*days|week)|weekly)(?![a-z])")


def patch_intervals_written(text: str, data: "MedicineData | None" = None) -> list[tuple[float, str, tuple[int, int]]]:
    """Each change interval written in a patch's (lower-case) name: (hours, the words, where)."""
    found: list[tuple[float, str, tuple[int, int]]] = []

    def free(m: re.Match) -> bool:
        return not any(a < m.end() and m.start() < b for _h, _w, (a, b) in found)

    for m in _TWICE_WEEKLY_RE.finditer(text):
        found.append((84.0, m.group(0), m.span()))
    for rx, unit in _patch_interval_res(data):
        for m in rx.finditer(text):
            if free(m):
                found.append((float(m.group(1).replace(",", ".")) * unit, m.group(0), m.span()))
    for m in _WEEKLY_RE.finditer(text):
        if free(m):
            found.append((168.0, m.group(0), m.span()))
    return sorted(found, key=lambda f: f[2])


def _without_patch_intervals(text: str) -> str:
    for _h, _w, (a, b) in reversed(patch_intervals_written(text)):
        text = text[:a] + " " + text[b:]
    return " ".join(text.split())


def patch_intervals_allowed(medicine: "CurrentMedicine", generic: str, data: "MedicineData") -> tuple[tuple[float, ...], str]:
    """The hours ``generic``'s patch is changed after, by its brand when the name holds one with its own
    (Transtec 96, BuTrans 168; drugs.toml ``[patch_change_intervals]``), else the medicine's; and
    whose they are (the brand, or the generic)."""
    text = medicine.name.lower()
    for brand, hours in data.patch_interval_brands.items():
        if PatchForms._has_name(text, (brand,)):
            return hours, brand.capitalize()
    return data.patch_intervals.get(generic, ()), generic


def _hours_words(hours: float) -> str:
    if hours == 168:
        return "every 7 days"
    if hours == 84:
        return "twice a week"
    return f"every {_num(hours)} hours"


def is_opioid_patch(medicine: "CurrentMedicine", data: "MedicineData | None" = None) -> bool:
    """True for a current medicine recognised as fentanyl or buprenorphine and written as a skin
    patch; a lozenge, tablet, film or injection of the same medicine is not (gp19 F1). Which
    names and words mark a patch is medicine data (routes.toml ``[patch_forms]``,
    :meth:`MedicineData.patch_form`), not a list kept here (rt21 F4)."""
    return (data or load_medicine_data()).patch_form(medicine) == "patch"


def may_be_opioid_patch(medicine: "CurrentMedicine", data: "MedicineData | None" = None) -> bool:
    """True for a patch (:func:`is_opioid_patch`) and for fentanyl or buprenorphine written with
    no form at all ("fentanyl 25", "fentanyl 25mcg every 72 hours"): the sheets treat both as a
    patch, since heat over a patch can kill and nothing says this one is not (rt21 F4)."""
    return (data or load_medicine_data()).patch_form(medicine) is not None


class _DoseLimit(NamedTuple):
    limit: float
    #: "label_max", "check" or "weekly" (drugs.toml ``weekly_only``: taken once a week, so any daily
    #: dose is asked about, mtx H-MED-496; ``limit`` is then 0)
    kind: str
    source: str
    reason: str  # what the number is, for the reason line
    profile: Mapping[str, tuple[float, str]]  # profile -> (limit, source)
    #: nsaiddose (H-MED-459): the maximum is for the medicine by mouth (drugs.toml ``by_mouth``): a
    #: product written as given by injection (routes.toml ``[injected_forms]``) or by another route
    #: (``not_by_mouth_names`` / ``not_by_mouth_words``: a nasal spray) is never counted against it
    by_mouth: bool = False
    not_by_mouth_names: frozenset = frozenset()
    not_by_mouth_words: frozenset = frozenset()
    #: a form whose maximum is not this one (etodolac extended-release): written with one of these
    #: words, the product is not counted and its dose is "not checked" for ``other_form_reason``
    other_form_words: frozenset = frozenset()
    other_form_reason: str = ""
    #: the profiles the limit is checked under (drugs.toml ``profiles``; empty: every profile): a maximum
    #: read only in a UK SmPC (piroxicam, indometacin, ketoprofen) is not a US label's; under another
    #: profile the dose is "not checked" (nsaiddose)
    profiles: frozenset = frozenset()

    def applies(self, profile: str) -> bool:
        return not self.profiles or profile in self.profiles

    def for_profile(self, profile: str) -> tuple[float, str]:
        return self.profile.get(profile, (self.limit, self.source))

    def route_of(self, name: str, data: "MedicineData") -> str:
        """Why ``name`` is not counted against this by-mouth maximum ("" when it is): "given by
        injection", "not taken by mouth" (a nasal spray) or "other form" (``other_form_words``)."""
        if not self.by_mouth:
            return ""
        text = " ".join(name.lower().split())
        words = set(re.findall(r"[a-z][a-z-]*", text))
        if data.by_injection(name):
            return "given by injection"
        if any(text == n or text.startswith(n + " ") for n in self.not_by_mouth_names) \
                or words & self.not_by_mouth_words:
            return "not taken by mouth"
        if words & self.other_form_words:
            return "other form"
        return ""


def _load_combination_products(drug_file: Mapping[str, Any], cls: "_Classes",
                               cite: "_Citer") -> dict[str, CombinationProduct]:
    """drugs.toml ``[combination_products]``, checked: each names a combination synonym of
    classes.toml, each strength has one positive mg per component, a maximum is positive."""
    out: dict[str, CombinationProduct] = {}
    for name, e in (drug_file.get("combination_products") or {}).items():
        where = f"drugs.toml: combination_products.{name}"
        generics = cls.synonyms.get(name)
        uncounted = e.get("uncounted") or []
        if not isinstance(uncounted, list) or not all(isinstance(u, str) and u for u in uncounted):
            raise MedicineDataError(f"{where}: uncounted must list the components not counted")
        if generics is None or len(generics) + len(uncounted) < 2:
            raise MedicineDataError(f"{where}: {name!r} is not a combination product of classes.toml [synonyms]")
        generics = (*generics, *uncounted)
        sold = e.get("sold_as")
        if not isinstance(sold, list) or not sold or not all(
                isinstance(x, list) and len(x) == len(generics)
                and all(isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 for v in x) for x in sold):
            raise MedicineDataError(f"{where}: sold_as must list strengths of {len(generics)} positive mg "
                                    f"({', '.join(generics)})")
        most = e.get("max_tablets_a_day")
        if most is not None and (isinstance(most, bool) or not isinstance(most, (int, float)) or most <= 0):
            raise MedicineDataError(f"{where}: max_tablets_a_day must be a positive number")
        unit = e.get("unit", "tablets")
        if unit not in ("tablets", "doses"):
            raise MedicineDataError(f"{where}: unit must be \"tablets\" or \"doses\"")
        src, _ = cite(where, e.get("source"))
        out[name] = CombinationProduct(name, tuple(tuple(float(v) for v in x) for x in sold),
                                       None if most is None else float(most), src, tuple(uncounted), unit)
    return out


def _combinations_above_far_below(products: dict[str, CombinationProduct], far_below: Mapping[str, "_FarBelow"],
                                  cls: "_Classes") -> dict[str, CombinationProduct]:
    """farbelow3 (H-MED-591): ``products`` unchanged, once checked that no listed strength could be asked about
    as far below: a combination product's component is checked against its medicine's far-below bound
    (:func:`_far_below_checks`), and the least a product is ever read as is half a unit a day
    (:func:`read_combination`, a regimen's half tablet), so half of each component's mg a unit must be at or
    above that bound; a product that is not would make a real dose of it "check the dose"."""
    for name, product in products.items():
        generics = cls.synonyms[name]
        for strength in product.sold_as:
            for generic, mg in zip(generics, strength):
                below = far_below.get(generic)
                if below is not None and mg / 2 < below.bound:
                    raise MedicineDataError(
                        f"drugs.toml: combination_products.{name}: half a unit holds {_num(mg / 2)} mg of {generic}, "
                        f"below its far-below bound ({_typed(below.bound)} mg a day), so a real dose would be asked about")
    return products


def _load_component_units(drug_file: Mapping[str, Any], cls: "_Classes", cite: "_Citer") -> dict[str, str]:
    """drugs.toml ``[component_units]`` (combo28): generic -> "micrograms", checked and cited."""
    e = drug_file.get("component_units")
    if not e:
        return {}
    cite("drugs.toml: component_units", e.get("source"))
    out: dict[str, str] = {}
    for g, unit in e.items():
        if g == "source":
            continue
        if g not in cls.generic_classes:
            raise MedicineDataError(f"drugs.toml: component_units.{g}: {g!r} is not a listed generic")
        if unit != "micrograms":
            raise MedicineDataError(f"drugs.toml: component_units.{g}: the only unit other than mg is 'micrograms'")
        out[g] = unit
    return out


def _load_name_reading(drug_file: Mapping[str, Any], cite: "_Citer") -> NameReading:
    """drugs.toml ``[name_reading]`` (cmb17), with its source."""
    e = drug_file.get("name_reading")
    if not e:
        return NameReading.empty()
    src, _ = cite("drugs.toml: name_reading", e.get("source"))
    try:
        return load_name_reading(e, src)
    except ValueError as exc:
        raise MedicineDataError(str(exc)) from None


def _load_dose_limits(drug_file: Mapping[str, Any], cls: _Classes, cite: _Citer, mme: Mapping[str, float],
                      drugs: Sequence[_Drug]) -> dict[str, _DoseLimit]:
    """Each medicine's own daily limit: ``[dose_checks.<generic>]`` (a label maximum, or a
    bound where the label states none), then ``[dose_check_mme]`` for every other opioid with
    an MME factor that no row gives a label maximum (tramadol's row has one)."""
    out: dict[str, _DoseLimit] = {}
    for g, e in (drug_file.get("dose_checks") or {}).items():
        where = f"drugs.toml: dose_checks.{g}"
        if g not in cls.generic_classes:
            raise MedicineDataError(f"{where}: {g!r} is not a listed generic")
        src, _ = cite(where, e.get("source"))
        label, check = e.get("label_max_daily_mg"), e.get("check_above_daily_mg")
        weekly = e.get("weekly_only", False)
        if weekly is not False:
            # mtx (H-MED-496): a medicine taken once a week (methotrexate): ANY daily dose is asked about
            if weekly is not True or label is not None or check is not None \
                    or set(e) - {"weekly_only", "source", "reason"}:
                raise MedicineDataError(f"{where}: weekly_only = true goes alone with source and reason (no daily limit)")
            if not (isinstance(e.get("reason"), str) and e["reason"].strip()):
                raise MedicineDataError(f"{where}: weekly_only needs a reason (the clinician's words)")
            out[g] = _DoseLimit(0.0, "weekly", src, e["reason"].strip(), {})
            continue
        if (label is None) == (check is None):
            raise MedicineDataError(f"{where}: give exactly one of label_max_daily_mg and check_above_daily_mg")
        value = label if label is not None else check
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
            raise MedicineDataError(f"{where}: the daily limit must be a positive number of mg")
        if check is not None and not (isinstance(e.get("reason"), str) and e["reason"].strip()):
            raise MedicineDataError(f"{where}: check_above_daily_mg needs a reason (where the bound comes from)")
        profile = {p: (mg, psrc) for p, (mg, psrc, _note) in _load_profile_max(where, e, cite).items()}
        lists = {}
        for key in ("not_by_mouth_names", "not_by_mouth_words", "other_form_words"):
            got = e.get(key) or []
            if not isinstance(got, list) or not all(isinstance(w, str) and w == " ".join(w.lower().split()) and w
                                                    for w in got):
                raise MedicineDataError(f"{where}: {key} must list lower-case names or words")
            lists[key] = frozenset(got)
        for n in lists["not_by_mouth_names"]:
            if cls.synonyms.get(n) is None or g not in cls.synonyms[n]:
                raise MedicineDataError(f"{where}: {n!r} is not a brand of {g} in classes.toml [synonyms]")
        by_mouth = e.get("by_mouth", False)
        if not isinstance(by_mouth, bool) or (not by_mouth and any(lists.values())):
            raise MedicineDataError(f"{where}: by_mouth must be true or false, and true to list other routes or forms")
        reason = e.get("other_form_reason", "")
        profiles = e.get("profiles") or []
        if not isinstance(profiles, list) or not all(isinstance(x, str) and x for x in profiles) \
                or (profiles and set(e.get("profile_max") or {}) - set(profiles)):
            raise MedicineDataError(f"{where}: profiles must list profile names (and cover every profile_max)")
        if bool(lists["other_form_words"]) != bool(isinstance(reason, str) and reason.strip()):
            raise MedicineDataError(f"{where}: other_form_words and other_form_reason go together")
        out[g] = _DoseLimit(float(value), "label_max" if label is not None else "check", src,
                            e.get("reason") or "label maximum", profile, by_mouth, lists["not_by_mouth_names"],
                            lists["not_by_mouth_words"], lists["other_form_words"], reason.strip(), frozenset(profiles))
    by_mme = drug_file.get("dose_check_mme")
    if by_mme:
        where = "drugs.toml: dose_check_mme"
        src, _ = cite(where, by_mme.get("source"))
        bound = by_mme.get("check_above_mme")
        if not isinstance(bound, (int, float)) or isinstance(bound, bool) or bound <= 0 or not by_mme.get("reason"):
            raise MedicineDataError(f"{where}: needs a positive check_above_mme and a reason")
        with_row_max = {g for d in drugs if d.label_max is not None for g in d.own}
        for g, factor in mme.items():
            if g not in out and g not in with_row_max and factor > 0:
                out[g] = _DoseLimit(round(bound / factor, 1), "check", src,
                                    f"{_num(bound)} morphine milligram equivalents a day, {by_mme['reason']}", {})
    return out


def _load_dose_not_checked(drug_file: Mapping[str, Any], cls: _Classes, cite: _Citer) -> dict[str, Any]:
    """drugs.toml ``[dose_not_checked]``: the classes whose row-less members get a "dose not
    checked" line when their dose could not be checked against a maximum (nsaiddose)."""
    e = drug_file.get("dose_not_checked")
    if e is None:
        return {}
    where = "drugs.toml: dose_not_checked"
    src, _ = cite(where, e.get("source"))
    classes = e.get("classes")
    if not isinstance(classes, list) or not classes or any(c not in cls.ids for c in classes):
        raise MedicineDataError(f"{where}: classes must list classes of classes.toml")
    return {"dose_unchecked_classes": frozenset(classes), "dose_unchecked_source": src}


def _load_slip_check(drug_file: Mapping[str, Any], cite: _Citer) -> tuple[float, str] | None:
    """drugs.toml ``[dose_check_slip]``: how many times a label maximum a daily dose must be
    to be asked about as a likely typing or unit slip, and why (gp18 F9)."""
    e = drug_file.get("dose_check_slip")
    if e is None:
        return None
    where = "drugs.toml: dose_check_slip"
    cite(where, e.get("source"))
    times = e.get("check_above_times_label_max")
    if not isinstance(times, (int, float)) or isinstance(times, bool) or times <= 2:
        # at twice the maximum a real dose is taken (two products of one medicine, each at its
        # maximum): a bound at or below it would question doses that must be lowered at once
        raise MedicineDataError(f"{where}: check_above_times_label_max must be a number above 2")
    if not (isinstance(e.get("reason"), str) and e["reason"].strip()):
        raise MedicineDataError(f"{where}: needs a reason (where the bound comes from)")
    return float(times), e["reason"].strip()


class _FarBelow(NamedTuple):
    """grams (H-MED-510): one medicine's far-below bound (drugs.toml ``[dose_check_far_below]``)."""

    bound: float  # mg a day: a daily dose above 0 and below it is asked about
    unit_mg: float  # the smallest adult tablet or capsule (the row's smallest_unit_mg)
    source: str  # the unit's source and the bound's
    reason: str  # where the bound comes from, for the reason line


def _load_far_below(drug_file: Mapping[str, Any], drugs: Sequence[_Drug], cite: _Citer, cls: "_Classes | None" = None,
                    limits: Mapping[str, "_DoseLimit"] | None = None) -> dict[str, _FarBelow]:
    """drugs.toml ``[dose_check_far_below]`` and each row's ``smallest_unit_mg`` (grams, H-MED-510),
    checked: a row that doses one medicine, a positive unit with a source, and a bound above the
    row's label maxima read in grams, so that every daily dose up to the maximum typed in grams
    (4000 mg of paracetamol typed 4) is below it and asked about. farbelow2 (H-MED-566): the
    medicines without a row, ``[dose_check_far_below.medicines.<generic>]`` (diclofenac, celecoxib,
    aspirin, codeine, duloxetine...), each a listed generic no row doses, with its own cited unit,
    checked against its own label maximum (``[dose_checks]``, every profile's) the same way; no unit
    below ``smallest_unit_at_least_mg`` (H-MED-567: a medicine dosed in a few mg or less,
    hydromorphone 2 mg, buprenorphine, colchicine, is never given a bound)."""
    rows = drug_file.get("drugs") or {}
    given = {d.id: rows[d.id] for d in drugs if rows.get(d.id, {}).get("smallest_unit_mg") is not None}
    e = drug_file.get("dose_check_far_below")
    where = "drugs.toml: dose_check_far_below"
    if e is None:
        if given:
            raise MedicineDataError(f"drugs.toml: drug {next(iter(given))!r}: smallest_unit_mg needs [dose_check_far_below]")
        return {}
    src, _ = cite(where, e.get("source"))
    fraction = e.get("check_below_fraction_of_smallest_unit")
    if not isinstance(fraction, (int, float)) or isinstance(fraction, bool) or not 0 < fraction < 1:
        raise MedicineDataError(f"{where}: check_below_fraction_of_smallest_unit must be a number between 0 and 1")
    reason = e.get("reason")
    if not (isinstance(reason, str) and reason.strip() and reason.count("{unit_mg}") == 1
            and not set(re.findall(r"\{(\w*)\}", reason)) - {"unit_mg"}):
        raise MedicineDataError(f"{where}: needs a reason (where the bound comes from) naming {{unit_mg}} once")
    least = e.get("smallest_unit_at_least_mg")
    if not isinstance(least, (int, float)) or isinstance(least, bool) or least <= 0:
        raise MedicineDataError(f"{where}: smallest_unit_at_least_mg must be a positive number of mg")
    out: dict[str, _FarBelow] = {}

    def add(generic: str, row: str, unit: Any, unit_source: Any, maxima: Sequence[float]) -> None:
        if not isinstance(unit, (int, float)) or isinstance(unit, bool) or unit <= 0:
            raise MedicineDataError(f"{row}: smallest_unit_mg must be a positive number of mg")
        if unit < least:
            # H-MED-567: a medicine whose adult unit is a few mg or less (hydromorphone 2 mg) has real daily
            # doses near a tenth of a larger unit: it is never given a bound
            raise MedicineDataError(f"{row}: smallest_unit_mg {_num(float(unit))} is below {_num(float(least))} mg: "
                                    "a medicine dosed in a few mg or less is not checked for a dose far below")
        unit_src, _ = cite(f"{row} smallest_unit_mg", unit_source)
        bound = round(float(unit) * fraction, 3)
        if any(m / 1000 >= bound for m in maxima if m):
            raise MedicineDataError(f"{row}: the far-below bound ({_num(bound)} mg a day) is not above its maximum "
                                    "read in grams, so a maximum typed in grams would not be asked about")
        out[generic] = _FarBelow(bound, float(unit), "; ".join(dict.fromkeys(x for x in (unit_src, src) if x)),
                                 reason.strip().replace("{unit_mg}", _num(float(unit))))

    for d in drugs:
        if d.id not in given:
            continue
        row = f"drugs.toml: drug {d.id!r}"
        if len(d.own) != 1:
            raise MedicineDataError(f"{row}: smallest_unit_mg is for a row that doses one medicine")
        add(next(iter(d.own)), row, given[d.id]["smallest_unit_mg"], given[d.id].get("smallest_unit_source"),
            [d.label_max, d.default_max, *(pm[0] for pm in d.profile_max.values())])
    medicines = e.get("medicines") or {}
    if not isinstance(medicines, dict):
        raise MedicineDataError(f"{where}: medicines must be a table of generics")
    # a row that doses one medicine gives its unit on the row; a row counting many (the opioids row:
    # codeine, dihydrocodeine) has no unit of its own, so those medicines have an entry here
    by_row = {next(iter(d.own)) for d in drugs if len(d.own) == 1}
    for g, m in medicines.items():
        row = f"{where}.medicines.{g}"
        if cls is None or g not in cls.generic_classes:
            raise MedicineDataError(f"{row}: {g!r} is not a listed generic")
        if g in by_row or g in out:
            raise MedicineDataError(f"{row}: {g!r} is dosed by a row of its own: give its smallest_unit_mg on the row")
        if not isinstance(m, dict) or set(m) - {"smallest_unit_mg", "source"}:
            raise MedicineDataError(f"{row}: give smallest_unit_mg and source only")
        limit = (limits or {}).get(g)
        maxima = ([limit.limit, *(mg for mg, _s in limit.profile.values())]
                  if limit is not None and limit.kind == "label_max" else [])
        add(g, row, m.get("smallest_unit_mg"), m.get("source"), maxima)
    return out


def _check_rule_when(where: str, when: Any, cls: _Classes) -> None:
    """A rule's ``when`` table: known conditions, classes, generics, condition codes, red flags."""
    if not isinstance(when, dict) or not when:
        raise MedicineDataError(f"{where}: has no 'when'")
    for key in when:
        if key not in _WHEN_KEYS:
            raise MedicineDataError(f"{where}: unknown condition {key!r}")
    if when.get("always") is not None and (when.get("always") is not True or len(when) > 1):
        raise MedicineDataError(f"{where}: 'always = true' must be the only condition")
    if "except_class" in when and "current_class" not in when:
        raise MedicineDataError(f"{where}: except_class needs current_class")
    for c in (tuple(when.get("current_class", ())) + tuple(when.get("except_class", ()))
              + tuple(when.get("current_classes_all", ()))):
        if c not in cls.ids:
            raise MedicineDataError(f"{where}: unknown class {c!r}")
    for g in tuple(when.get("current_generic", ())) + tuple(when.get("taking_generic", ())):
        if g not in cls.generic_classes:
            raise MedicineDataError(f"{where}: unknown generic {g!r}")
    cond = when.get("condition")
    if cond is not None and cond not in BOOLEAN_CONDITIONS:
        raise MedicineDataError(f"{where}: unknown condition code {cond!r}")
    for f in tuple(when.get("red_flag_yes", ())):
        if f not in RED_FLAG_QUESTIONS:
            raise MedicineDataError(f"{where}: unknown red-flag question {f!r}")


def _load_rule(rid: str, e: Mapping[str, Any], drug_ids: set[str], cls: _Classes, cite: _Citer) -> _Rule:
    """One ``[[rule]]`` of ``rules.toml``: which drugs, when, how severe, what it says, cited."""
    where = f"rules.toml: rule {rid!r}"
    source, source_ids = cite(where, e.get("source"))
    targets = e.get("drugs") or []
    if not targets:
        raise MedicineDataError(f"{where}: applies to no drug")
    for d in targets:
        if d not in drug_ids:
            raise MedicineDataError(f"{where}: unknown drug {d!r}")
    sev = e.get("severity")
    if sev not in SEVERITIES:
        raise MedicineDataError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
    text = e.get("text")
    if not isinstance(text, str) or not text.strip():
        raise MedicineDataError(f"{where}: has no text")
    for ph in _PLACEHOLDER_RE.findall(text):
        if ph not in _PLACEHOLDERS:
            raise MedicineDataError(f"{where}: unknown placeholder {{{ph}}}")
    when = e.get("when")
    _check_rule_when(where, when, cls)
    cls_list = tuple(when.get("current_class", ()))
    all_list = tuple(when.get("current_classes_all", ()))
    flags = tuple(when.get("red_flag_yes", ()))
    cap = e.get("cap_daily_mg")
    alert_label, alert_after = _alert_label_of(where, e, sev)
    excepted: set[str] = set()
    for c in tuple(when.get("except_class", ())):
        excepted |= cls.members_of[c]
    return _Rule(
        id=rid, drugs=frozenset(targets), group=e.get("group"), severity=sev, text=text,
        formatted="{" in text, source=source, source_ids=source_ids,
        cap=None if cap is None else float(cap), always=bool(when.get("always")),
        classes=cls_list, except_generics=frozenset(excepted), generics=frozenset(when.get("current_generic", ())),
        classes_all=all_list, condition=when.get("condition"), age_at_least=when.get("age_at_least"),
        age_below=when.get("age_below"), pregnant=bool(when.get("pregnant")),
        pregnancy_weeks_at_least=when.get("pregnancy_weeks_at_least"), renal_below=when.get("renal_below"),
        renal_unknown=bool(when.get("renal_unknown")), alcohol=when.get("alcohol"), red_flag_yes=flags,
        symptom_weeks_over=when.get("symptom_weeks_over"), mme_at_least=when.get("mme_at_least"),
        weight_below_kg=when.get("weight_below_kg"), cap_mg_per_kg=e.get("cap_mg_per_kg_day"),
        profile=when.get("profile"), pregnancy_weeks_below=when.get("pregnancy_weeks_below"),
        min_matches=int(when.get("current_count_at_least", 1)), taking=frozenset(when.get("taking_generic", ())),
        meds_needed=frozenset(cls_list) | frozenset(when.get("current_generic", ())) | frozenset(all_list[:1]),
        triggers=_triggers(when, cls_list, all_list),
        # a pregnancy rule is worded per patient too: past the plausible end it asks (_format)
        static_reason=None if "{" in text or e.get("cap_mg_per_kg_day") or "pregnant" in when
        or "pregnancy_weeks_at_least" in when or "pregnancy_weeks_below" in when
        else Reason(text, sev, source, source_ids, rid),
        rank=_RANK[sev], needs_matched="{matched}" in text, needs_flags="{flags}" in text,
        reason_tail=(sev, source, source_ids, rid), alert_label=alert_label, alert_sorts_after=alert_after,
    )


def _alert_label_of(where: str, e: Mapping[str, Any], sev: str) -> tuple[str | None, str | None]:
    """A rule's ``alert_label`` and ``alert_sorts_after`` (mme22): both or neither; only on a rule
    that makes an alert (avoid or contraindicated), ranked after one of the alert labels
    (:data:`~radiculopathy_desktop.domain.vocab.ALERT_LABEL_ORDER`)."""
    label, after = e.get("alert_label"), e.get("alert_sorts_after")
    if label is None and after is None:
        return None, None
    if not isinstance(label, str) or not label.strip() or not isinstance(after, str):
        raise MedicineDataError(f"{where}: alert_label and alert_sorts_after go together, as text")
    if sev not in ("avoid", "contraindicated"):
        raise MedicineDataError(f"{where}: alert_label on a rule rated {sev}, which makes no alert")
    if after not in ALERT_LABEL_ORDER:
        raise MedicineDataError(f"{where}: alert_sorts_after must be one of {', '.join(ALERT_LABEL_ORDER)}")
    if label in ALERT_LABEL_ORDER:
        raise MedicineDataError(f"{where}: alert_label {label!r} is already a severity label")
    return label.strip(), after


def _load_rules(rule_file: Mapping[str, Any], drugs: list[_Drug], cls: _Classes, cite: _Citer) -> list[_Rule]:
    """Every ``[[rule]]``, in file order; ids are unique (a rule without one is named by position)."""
    drug_ids = {d.id for d in drugs}
    rules: list[_Rule] = []
    seen_ids: set[str] = set()
    for n, e in enumerate(rule_file.get("rule") or []):
        rid = e.get("id") or f"#{n + 1}"
        if rid in seen_ids:
            raise MedicineDataError(f"rules.toml: rule {rid!r}: duplicate id")
        seen_ids.add(rid)
        for rule in _rule_in_profiles(rid, e, drug_ids, cls, cite):
            rules.append(replace(rule, check=_compile_check(rule)))
    return rules


def _rule_in_profiles(rid: str, e: Mapping[str, Any], drug_ids: set[str], cls: _Classes,
                      cite: _Citer) -> list[_Rule]:
    """A ``[[rule]]`` as the rules the engine checks: the rule itself, and, for each
    ``[rule.in_profile.<profile>]``, a copy worded and cited for that profile (its own text and
    sources, the same id, conditions, severity and cap), applied only under that profile; the
    rule as written then applies under every other profile. A uk clinic reads the UK label's
    words and source for the same check a us clinic reads from the US label (src18)."""
    where = f"rules.toml: rule {rid!r}"
    in_profile = e.get("in_profile") or {}
    if not isinstance(in_profile, dict):
        raise MedicineDataError(f"{where}: in_profile must be a table of profiles")
    base = {k: v for k, v in e.items() if k != "in_profile"}
    if not in_profile:
        return [replace(_load_rule(rid, base, drug_ids, cls, cite), key=rid)]
    when = base.get("when")
    if isinstance(when, dict) and "profile" in when:
        raise MedicineDataError(f"{where}: a rule for one profile cannot also have in_profile")
    out = []
    for profile, words in in_profile.items():
        pwhere = f"{where} in_profile.{profile}"
        if profile not in PROFILES:
            raise MedicineDataError(f"{pwhere}: unknown profile (expected one of {', '.join(PROFILES)})")
        if not isinstance(words, dict) or set(words) - _IN_PROFILE_KEYS or not {"text", "source"} <= set(words):
            raise MedicineDataError(f"{pwhere}: needs text and source (and nothing else)")
        entry = {**base, **words, "when": {**(when or {}), "profile": profile}}
        out.append(replace(_load_rule(rid, entry, drug_ids, cls, cite), key=f"{rid}@{profile}"))
    rule = _load_rule(rid, base, drug_ids, cls, cite)
    return [replace(rule, key=rid, profile_not_in=frozenset(in_profile)), *out]


#: Each condition of :func:`_applies` as an expression on ``f`` (the patient's facts) and
#: ``v`` (the rule's wanted value), in the same order; a rule's check joins those it has.
_CHECKS = (
    ("condition", "f.flags.get(v_condition) is True"),
    ("meds_needed", "not f.class_set.isdisjoint(v_meds_needed)"),
    ("age_at_least", "f.age is not None and f.age >= v_age_at_least"),
    ("age_below", "f.age is not None and f.age < v_age_below"),
    ("pregnant", "f.pregnancy_weeks is not None"),
    ("pregnancy_weeks_at_least", "f.pregnancy_weeks is not None and f.pregnancy_weeks >= v_pregnancy_weeks_at_least"),
    ("renal_below", "f.renal.value is not None and f.renal.banded < v_renal_below"),
    ("renal_unknown", "f.renal.value is None and not f.renal.dialysis"),
    ("alcohol", "f.alcohol == v_alcohol"),
    ("symptom_weeks_over", "f.symptom_weeks > v_symptom_weeks_over"),
    ("mme_at_least", "f.mme_floor is not None and f.mme_floor >= v_mme_at_least"),
    ("red_flag_yes", "any(f.red_flags.get(x) == _YES for x in v_red_flag_yes)"),
    ("weight_below_kg", "f.weight is not None and f.weight < v_weight_below_kg"),
    ("profile", "f.profile == v_profile"),
    ("profile_not_in", "f.profile not in v_profile_not_in"),
    ("taking", "any(g in f.by_generic for g in v_taking)"),
    ("pregnancy_weeks_below", "f.pregnancy_weeks is not None and f.pregnancy_weeks < v_pregnancy_weeks_below"),
)


_YES = "yes"
_WANTED_VALUE_RE = re.compile(r"\bv_([a-z_]+)")


def _check_expression(rule: _Rule, prefix: str = "v", values: dict | None = None) -> str:
    """:func:`_applies` for ``rule`` as one expression on ``f`` (the patient's facts): only the
    conditions the rule has, in the same order, joined by ``and``; "" for a rule that always
    applies. Each wanted value is the name ``<prefix>_<field>``, bound in ``values`` (never
    written into the text). :func:`_compile_check` makes it a function; the generated rule
    functions (:func:`_compiled_rules`) write it in place of a call to that function."""
    parts = []
    for name, expr in _CHECKS:
        wanted = getattr(rule, name)
        if wanted if isinstance(wanted, (bool, frozenset, tuple)) else wanted is not None:
            parts.append(f"({_WANTED_VALUE_RE.sub(lambda m: f'{prefix}_{m[1]}', expr)})")
            if values is not None:
                values[f"{prefix}_{name}"] = wanted
    if values is not None and parts:
        values["_YES"] = _YES
    return " and ".join(parts)


def _compile_check(rule: _Rule):
    """:func:`_applies` specialised to ``rule``: one function testing only the conditions
    the rule has, in the same order (a rule is checked for every patient; most have one or
    two of the sixteen conditions). The source holds field names only; the wanted values
    are bound as names, never written into the source."""
    if rule.always:
        return _always
    namespace: dict[str, Any] = {}
    expression = _check_expression(rule, "v", namespace)
    exec(f"def check(f):\n    return {expression or 'True'}\n", namespace)  # noqa: S102 (fixed text)
    return namespace["check"]


def _always(_facts) -> bool:
    return True


def _load_interactions(rule_file: Mapping[str, Any], cls: _Classes, cite: _Citer) -> tuple[_InteractionRule, ...]:
    """Every ``[[interaction]]``: two or more sides, each of classes or listed generics."""
    interactions: list[_InteractionRule] = []
    for n, e in enumerate(rule_file.get("interaction") or []):
        iid = e.get("id") or f"#{n + 1}"
        where = f"rules.toml: interaction {iid!r}"
        source, _ = cite(where, e.get("source"))
        sides = e.get("sides")
        if not isinstance(sides, list) or len(sides) < 2:
            raise MedicineDataError(f"{where}: needs at least two sides")
        for side in sides:
            for item in side:
                if item not in cls.ids and item not in cls.generic_classes:
                    raise MedicineDataError(f"{where}: {item!r} is neither a class nor a listed generic")
        if e.get("severity") not in SEVERITIES or not e.get("text"):
            raise MedicineDataError(f"{where}: needs a severity and a text")
        combination = e.get("combination", False)
        if not isinstance(combination, bool):
            raise MedicineDataError(f"{where}: combination must be true or false")
        ingredients = e.get("ingredients", "")
        if ingredients not in ("", "one", "several"):
            raise MedicineDataError(f"{where}: ingredients must be \"one\" or \"several\"")
        hazard = e.get("hazard", "")
        if not isinstance(hazard, str) or (hazard and not re.fullmatch(r"[a-z_]+", hazard)):
            raise MedicineDataError(f"{where}: hazard must be a lower-case word key")
        unknown = set(re.findall(r"\{(\w+)\}", e["text"])) - _INTERACTION_PLACEHOLDERS
        if unknown:
            raise MedicineDataError(f"{where}: unknown placeholder(s) {sorted(unknown)} in its text (allowed: "
                                    f"{sorted(_INTERACTION_PLACEHOLDERS)})")
        text_several = e.get("text_several", "")
        if not isinstance(text_several, str) or (text_several and e.get("in_profile")):
            # a profile's own text would have no several-medicine wording to go with it
            raise MedicineDataError(f"{where}: text_several must be a text, and not beside in_profile")
        if set(re.findall(r"\{(\w+)\}", text_several)) - _INTERACTION_PLACEHOLDERS:
            raise MedicineDataError(f"{where}: unknown placeholder(s) in its text_several")
        in_profile: dict[str, tuple[str, str]] = {}
        for profile, words in (e.get("in_profile") or {}).items():
            pwhere = f"{where} in_profile.{profile}"
            if profile not in PROFILES:
                raise MedicineDataError(f"{pwhere}: unknown profile (expected one of {', '.join(PROFILES)})")
            if not isinstance(words, dict) or set(words) != {"text", "source"} or not words["text"]:
                raise MedicineDataError(f"{pwhere}: needs text and source (and nothing else)")
            unknown = set(re.findall(r"\{(\w+)\}", words["text"])) - _INTERACTION_PLACEHOLDERS
            if unknown:
                raise MedicineDataError(f"{pwhere}: unknown placeholder(s) {sorted(unknown)} in its text")
            in_profile[profile] = (words["text"], cite(pwhere, words["source"])[0])
        keep = e.get("keep", [])
        keep_why = e.get("keep_why", "")
        if (not isinstance(keep, list) or any(not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= len(sides)
                                              for k in keep) or len(set(keep)) >= len(sides)):
            raise MedicineDataError(f"{where}: keep must list side numbers (1 to {len(sides)}), leaving a side to "
                                    f"review")
        if bool(keep) != bool(keep_why) or not isinstance(keep_why, str):
            raise MedicineDataError(f"{where}: keep and keep_why go together")
        # fhirnsaid35 (H-MED-724): a rule about two medicines of one class (its sides all the same) whose class holds
        # several medicines must say whether it is about two different ones ("several": ibuprofen with naproxen) or
        # the same one twice ("one": dexketoprofeno with Enantyum, one medicine entered twice): without it the same
        # medicine twice was called "Two NSAIDs together". A "several" rule needs its "one" rule (checked below)
        same_sides = len({frozenset(side) for side in sides}) == 1
        members = {g for g, classes in cls.generic_classes.items() for item in sides[0]
                   if item == g or item in classes}
        if same_sides and len(members) > 1 and not ingredients:
            raise MedicineDataError(f"{where}: its sides are one class of several medicines: say ingredients = "
                                    f"\"several\" (two different ones) or \"one\" (the same one twice)")
        action = e.get("action", "")
        if not isinstance(action, str) or bool(action) != bool(e.get("action_source")) or (action and keep):
            raise MedicineDataError(f"{where}: action and action_source go together (and not beside keep)")
        action_source = cite(f"{where} action", e["action_source"])[0] if action else ""
        interactions.append(_InteractionRule(iid, tuple(tuple(s) for s in sides), e["severity"], e["text"], source,
                                             combination, tuple(in_profile.items()), ingredients, hazard,
                                             text_several, tuple(sorted(set(keep))), keep_why, action.strip(),
                                             action_source))
    # fhirnsaid35 (H-MED-724): every rule of two different medicines of a class has a rule of the same medicine twice
    # of that class, so that one medicine entered twice (a brand and its generic) is never silent nor "two NSAIDs"
    ones = {frozenset(r.sides[0]) for r in interactions if r.ingredients == "one"
            and len({frozenset(side) for side in r.sides}) == 1}
    for r in interactions:
        if r.ingredients == "several" and len({frozenset(side) for side in r.sides}) == 1 \
                and frozenset(r.sides[0]) not in ones:
            raise MedicineDataError(f"rules.toml: interaction {r.id!r}: about two different medicines of "
                                    f"{sorted(r.sides[0])}, with no rule (ingredients = \"one\") for the same one "
                                    f"entered twice")
    return tuple(interactions)


def _load_patient_words(rule_file: Mapping[str, Any]) -> dict[str, str]:
    """Rule/interaction id -> its ``patient_words`` key (a lower-case word key; the handout
    wording of each key is checked by the handout tests in English and Spanish)."""
    out: dict[str, str] = {}
    for kind in ("rule", "interaction"):
        for n, e in enumerate(rule_file.get(kind) or []):
            words = e.get("patient_words")
            if words is None:
                continue
            rid = e.get("id") or f"#{n + 1}"
            if not isinstance(words, str) or not re.fullmatch(r"[a-z][a-z_]*", words):
                raise MedicineDataError(f"rules.toml: {kind} {rid!r}: patient_words must be a lower-case word key")
            out[rid] = words
    return out


def _class_rules_note(nid: str, where: str, e: Mapping[str, Any], cls: _Classes,
                      rules: Sequence[_Rule], cite: "_Citer") -> _CurrentNote:
    """A ``[[current]]`` entry with ``rules_of`` (a row) and ``rules`` (rule ids of that row): a
    current medicine of ``classes`` that no row counts is rated by those rules as the row rates its
    own medicine (preg27: diclofenac at 31 weeks had no pregnancy alert where ibuprofen was
    Contraindicated). Only rules about the patient (no current-medicine condition), of that row."""
    if set(e) - {"id", "classes", "without_row", "rules_of", "rules", "severity", "text", "source"}:
        raise MedicineDataError(f"{where}: rules_of takes only id, classes, without_row = true and rules "
                                "(the rules give the severity, text and source), or with severity, text and "
                                "source to say each rule at no more than that severity through the text")
    at_most, wrap, wrap_source = None, "", ""
    if "severity" in e or "text" in e:
        if e.get("severity") not in SEVERITIES or "{rule}" not in str(e.get("text", "")):
            raise MedicineDataError(f"{where}: with rules_of, severity must be one of {SEVERITIES} and the text "
                                    "must hold {rule}")
        at_most, wrap = e["severity"], e["text"]
        wrap_source = cite(where, e.get("source"))[0]
    row, ids = e.get("rules_of"), e.get("rules")
    if e.get("without_row") is not True:
        raise MedicineDataError(f"{where}: rules_of is for medicines without a row (without_row = true)")
    if not e.get("classes") or any(c not in cls.ids for c in e["classes"]):
        raise MedicineDataError(f"{where}: needs known classes")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise MedicineDataError(f"{where}: rules must list rule ids")
    of_row = {r.id: r for r in rules if row in r.drugs}
    for rid in ids:
        rule = of_row.get(rid)
        if rule is None:
            raise MedicineDataError(f"{where}: rule {rid!r} is not a rule of the row {row!r}")
        if rule.meds_needed or rule.taking or rule.classes_all:
            raise MedicineDataError(f"{where}: rule {rid!r} is about another current medicine, not the patient")
    return _CurrentNote(nid, tuple(e["classes"]), None, "info", "", "", without_row=True, rules_of=row,
                        rule_ids=frozenset(ids), at_most=at_most, wrap=wrap, wrap_source=wrap_source)


def _load_current_notes(rule_file: Mapping[str, Any], cls: _Classes, cite: _Citer,
                        rules: Sequence[_Rule] = ()) -> tuple[_CurrentNote, ...]:
    """Every ``[[current]]`` note about a medicine the patient already takes."""
    notes: list[_CurrentNote] = []
    for n, e in enumerate(rule_file.get("current") or []):
        nid = e.get("id") or f"#{n + 1}"
        where = f"rules.toml: current {nid!r}"
        if e.get("rules_of") is not None or e.get("rules") is not None:  # cited by its rules
            notes.append(_class_rules_note(nid, where, e, cls, rules, cite))
            continue
        source, _ = cite(where, e.get("source"))
        for c in e.get("classes") or []:
            if c not in cls.ids:
                raise MedicineDataError(f"{where}: unknown class {c!r}")
        if not e.get("classes") or e.get("severity") not in SEVERITIES or not e.get("text"):
            raise MedicineDataError(f"{where}: needs classes, a severity and a text")
        if e.get("condition") is not None and e["condition"] not in BOOLEAN_CONDITIONS:
            raise MedicineDataError(f"{where}: unknown condition {e['condition']!r}")
        for key in ("by_mouth_only", "without_row", "pregnant", "on_row"):
            if not isinstance(e.get(key, False), bool):
                raise MedicineDataError(f"{where}: {key} must be true or false")
        any_of = e.get("conditions_any") or []
        if not isinstance(any_of, list) or any(c not in BOOLEAN_CONDITIONS for c in any_of):
            raise MedicineDataError(f"{where}: conditions_any must list known conditions")
        allowed = ({"weeks"} if e.get("pregnant") else set()) | ({"conditions"} if any_of else set())
        unknown = set(re.findall(r"\{(\w+)\}", e["text"])) - allowed
        if unknown:
            raise MedicineDataError(f"{where}: unknown placeholder(s) {sorted(unknown)} in its text (a note may "
                                    "say {weeks} only with pregnant = true, {conditions} only with conditions_any)")
        supersedes = e.get("supersedes") or []
        known_rules = {r.id for r in rules}
        if not isinstance(supersedes, list) or any(r not in known_rules for r in supersedes):
            raise MedicineDataError(f"{where}: supersedes must list rule ids")
        notes.append(_CurrentNote(nid, tuple(e["classes"]), e.get("profile"), e["severity"], e["text"], source,
                                  e.get("condition"), e.get("age_at_least"), e.get("by_mouth_only", False),
                                  e.get("without_row", False), e.get("pregnant", False),
                                  conditions_any=tuple(any_of), supersedes=frozenset(supersedes),
                                  on_row=e.get("on_row", False)))
        if notes[-1].on_row and notes[-1].without_row:
            raise MedicineDataError(f"{where}: on_row is for medicines a row counts (not with without_row)")
    return tuple(notes)


def _load_dose_classes(rule_file: Mapping[str, Any], cls: _Classes, cite: _Citer) -> dict[str, _DoseClass]:
    """rules.toml ``[[dose_class]]`` (ukcv): a generic that is also of a class above a dose."""
    out: dict[str, _DoseClass] = {}
    for n, e in enumerate(rule_file.get("dose_class") or []):
        where = f"rules.toml: dose_class #{n + 1}"
        cite(where, e.get("source"))
        g = e.get("generic")
        if g not in cls.generic_classes or g in out:
            raise MedicineDataError(f"{where}: needs a known generic, once")
        for key in ("class", "unknown_class", *(("above_class",) if "above_class" in e else ())):
            if e.get(key) not in cls.ids:
                raise MedicineDataError(f"{where}: {key} must be a class of classes.toml")
        for key in ("unknown_class", "above_class"):
            if key in e and cls.members_of[e[key]]:
                raise MedicineDataError(f"{where}: {key} is filled from the dose read, never by members")
        # ukibu: "at_least_mg_a_day" (the bound itself is in: ibuprofen 2400 mg a day or more) or
        # "above_mg_a_day" (aspirin: more than 325 mg a day), never both
        if ("at_least_mg_a_day" in e) == ("above_mg_a_day" in e):
            raise MedicineDataError(f"{where}: needs above_mg_a_day or at_least_mg_a_day (one of them)")
        at_least = "at_least_mg_a_day" in e
        if ("above_mg_a_dose" in e) != ("low_below_mg_a_dose" in e):
            raise MedicineDataError(f"{where}: above_mg_a_dose and low_below_mg_a_dose go together")
        try:
            day = float(e["at_least_mg_a_day" if at_least else "above_mg_a_day"])
            dose, low = ((float(e["above_mg_a_dose"]), float(e["low_below_mg_a_dose"]))
                         if "above_mg_a_dose" in e else (None, None))
        except (TypeError, ValueError):
            raise MedicineDataError(f"{where}: the doses must be numbers of mg")
        if day <= 0:
            raise MedicineDataError(f"{where}: the daily bound must be above 0 mg")
        out[g] = _DoseClass(g, e["class"], day, dose, low, e["unknown_class"], e.get("above_class", ""), at_least)
    return out


def _whole_words(words: Sequence[str], word_char: str) -> re.Pattern:
    """A pattern finding any of ``words`` (tried in the order given) where neither the
    character before nor the one after is a ``word_char``: what
    ``(?<!C)(?:w1|w2|...)(?!C)`` finds, written with each word's first letter before the
    test of the character before it (``a(?<!Ca)cetaminophen``), so that the regular
    expression engine skips ahead to the words' first letters instead of trying every word
    at every position of the text (issue 17: half the time of the naming rule's renaming;
    tests/domain/test_profile_names_pass.py compares both forms)."""
    return re.compile("(?:" + "|".join(f"{re.escape(w[0])}(?<!{word_char}{re.escape(w[0])}){re.escape(w[1:])}"
                                       for w in words) + f")(?!{word_char})")


class ProfileNames:
    """The names a guideline profile's clinicians read for generics the data spells otherwise
    (drugs.toml ``[profile_names.<profile>]``; uk: acetaminophen -> paracetamol): the one naming
    rule of the profile, applied to every text the medicine check writes (:func:`assess_medications`)
    and to what is written from its machine keys (:meth:`name`). Whole words only, the capital
    kept ("Acetaminophen" -> "Paracetamol"); "acetaminophen (paracetamol)", the data's way of
    giving both, becomes the profile's name alone. Machine keys are never renamed."""

    __slots__ = ("names", "_pattern", "_table", "_keep", "_tails", "_mention", "_known")

    def __init__(self, names: Mapping[str, str], keep: Sequence[str] = ()):
        self.names = dict(names)
        # every word renamed, lower-case or capitalised, holds its name without the first letter:
        # a text holding none of these is left as it is without the pattern (issue 17: the
        # naming pass ran the pattern over every text of every row)
        self._tails = tuple(old[1:] for old in self.names)
        # ... found by substring tests in C (:func:`_substring_test`: what a search for any of
        # the tails finds, without the regular expression engine's scan; issue 17, asm23)
        self._mention = _substring_test(self._tails)
        #: text of the loaded medicine data -> that text in this profile's words (:meth:`learn`)
        self._known: dict[str, str] = {}
        self._keep = self._keep_pattern(keep)
        table: dict[str, str] = {}
        for old, new in self.names.items():
            for o, n in ((old, new), (old.capitalize(), new.capitalize())):
                table[f"{o} ({new})"] = n
                table[f"{o} ({new.capitalize()})"] = n
                table[o] = n
        self._table = table
        self._pattern = _whole_words(sorted(table, key=len, reverse=True), r"[\w-]") if table else None

    def __bool__(self) -> bool:
        return bool(self.names)

    def name(self, generic: str) -> str:
        """A generic (a machine key) as this profile's clinicians read it."""
        return self.names.get(generic, generic)

    def _keep_pattern(self, keep: Sequence[str]):
        """The names the medicines were recorded under, kept as typed wherever a text quotes
        them (red team rt17 F8: "acetaminophen wibble 500mg" was quoted as "paracetamol wibble
        500mg", a name in no record), whatever the capitals; only a name the rule would change
        needs keeping ("paracetamol" typed under uk does not)."""
        holds = _substring_test(tuple(self.names)) if keep else None
        kept = sorted({k for k in keep if k and k.strip() and holds(k.lower())},
                      key=len, reverse=True) if holds is not None else ()
        return re.compile("|".join(re.escape(k) for k in kept), re.IGNORECASE) if kept else None

    def keeping(self, recorded: Sequence[str]) -> "ProfileNames":
        """This rule, keeping ``recorded`` (the names medicines were recorded under) as typed
        (itself when none of them holds a word it renames; else a copy sharing its pattern)."""
        keep = self._keep_pattern(recorded) if self.names else None
        if keep is None:
            return self
        copy = object.__new__(ProfileNames)
        copy.names, copy._pattern, copy._table, copy._tails, copy._mention, copy._keep, copy._known = (
            self.names, self._pattern, self._table, self._tails, self._mention, keep, self._known)
        return copy

    def learn(self, texts: Iterable[str]) -> None:
        """Word once, now, each of ``texts`` (the loaded medicine data's own texts: row labels,
        dose ranges, rule and note texts) that holds a word this rule renames, as :meth:`text`
        words it when no recorded name is kept; :meth:`text` then looks such a text up instead
        of running the pattern over it for every patient (issue 17, asm23). Made from the data
        alone, never from a patient; the words are the same either way."""
        if self._pattern is None:
            return
        mention, table = self._mention, self._table
        self._known = {t: self._pattern.sub(lambda m: table[m.group(0)], t)
                       for t in dict.fromkeys(texts) if isinstance(t, str) and t and mention(t)}

    def mentions(self, text: str | None) -> bool:
        """Whether ``text`` may hold a word this rule renames (a substring test, in C)."""
        return bool(text) and self._mention is not None and self._mention(text)

    def text(self, text: str | None) -> str | None:
        """``text`` with every generic this profile renames in its words (a recorded name it
        quotes is kept as typed: :meth:`keeping`)."""
        if not text or self._pattern is None:
            return text
        if self._keep is None:
            known = self._known.get(text)
            if known is not None:  # a text of the data, worded when it loaded (:meth:`learn`)
                return known
            if not self._mention(text):
                return text
            return self._pattern.sub(lambda m: self._table[m.group(0)], text)
        if not self._mention(text):
            return text
        out, at = [], 0
        for m in self._keep.finditer(text):
            out.append(self._pattern.sub(lambda x: self._table[x.group(0)], text[at:m.start()]))
            out.append(m.group(0))
            at = m.end()
        out.append(self._pattern.sub(lambda x: self._table[x.group(0)], text[at:]))
        return "".join(out)


def _substring_test(parts: Sequence[str]):
    """A function telling whether a text holds any of ``parts`` (True or False), by Python's
    substring test in C: what ``re.compile("|".join(map(re.escape, parts))).search`` finds (a
    match or None), without the regular expression engine's scan of the text (issue 17, asm23:
    the naming pass scanned every row's texts with it). None when there are no parts."""
    if not parts:
        return None
    if len(parts) == 1:
        part = parts[0]
        return lambda text: part in text
    return lambda text: any(p in text for p in parts)


def _data_texts(data: "MedicineData"):
    """Every text the loaded medicine data holds that a row, reason, note or interaction of the
    table can carry as it stands: the drugs', rules', notes' and interactions' string fields,
    the rules' prebuilt reasons, and the labels of the classes (:meth:`ProfileNames.learn`)."""
    rules = {id(r): r for rs in data.rules_by_drug.values() for r in rs}.values()
    for item in (*data.drugs, *rules, *data.current_notes, *data.interactions):
        for name in item.__slots__:
            value = getattr(item, name, None)
            if isinstance(value, str):
                yield value
            elif isinstance(value, Reason):
                yield value.text
            elif isinstance(value, tuple):
                yield from (v for v in value if isinstance(v, str))
    yield from data.class_labels.values()


def _load_profile_names(drug_file: Mapping[str, Any], cls: "_Classes") -> dict[str, ProfileNames]:
    out: dict[str, ProfileNames] = {}
    for profile, names in (drug_file.get("profile_names") or {}).items():
        where = f"drugs.toml: profile_names.{profile}"
        if not isinstance(names, dict):
            raise MedicineDataError(f"{where} must be a table of generic = name")
        for generic, name in names.items():
            if generic not in cls.generic_classes:
                raise MedicineDataError(f"{where}: unknown generic {generic!r}")
            if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z -]*", name):
                raise MedicineDataError(f"{where}: {generic} needs a lower-case name")
        out[profile] = ProfileNames(names)
    return out


def _build(raw: Mapping[str, Mapping[str, Any]]) -> MedicineData:
    """The medicine data from the four files: sources, classes, drugs (with MME factors),
    then rules, interactions and current-medicine notes, each checked as it is read."""
    src_file = raw["sources.toml"]
    cite = _Citer(src_file)
    cls = _load_classes(raw["classes.toml"], cite)
    drug_file = raw["drugs.toml"]
    drugs = _load_drugs(drug_file, cls, cite)
    mme_factors, mme_source = _load_mme_factors(drug_file, cls, cite)
    rule_file = raw["rules.toml"]
    rules = _load_rules(rule_file, drugs, cls, cite)
    rules_by_drug = {d.id: tuple(r for r in rules if d.id in r.drugs) for d in drugs}
    interactions = _load_interactions(rule_file, cls, cite)
    injected_names, injected_words = _load_injected_forms(raw["routes.toml"], cls.synonyms, cite)
    return MedicineData(
        dose_limits=(dose_limits := _load_dose_limits(drug_file, cls, cite, mme_factors, drugs)),
        **_load_dose_not_checked(drug_file, cls, cite),
        slip_check=_load_slip_check(drug_file, cite),
        far_below=(far_below := _load_far_below(drug_file, drugs, cite, cls, dose_limits)),
        mme_rate_factors=_load_mme_rate_factors(drug_file, cls, cite),
        **_load_patch_strengths(drug_file, cls, cite),
        combination_source=cite("drugs.toml: combination_doses", (drug_file.get("combination_doses") or {}).get(
            "source"))[0] if "combination_doses" in drug_file else "",
        combination_products=_combinations_above_far_below(_load_combination_products(drug_file, cls, cite),
                                                           far_below, cls),
        component_units=_load_component_units(drug_file, cls, cite),
        profile_names=_load_profile_names(drug_file, cls),
        patient_words=_load_patient_words(rule_file),
        current_notes=(current_notes := _load_current_notes(rule_file, cls, cite, rules)),
        on_row_notes=frozenset(n.id for n in current_notes if n.on_row),
        dose_classes=_load_dose_classes(rule_file, cls, cite),
        dose_units=_load_dose_units(raw["classes.toml"], cite),
        stop_gradually=_load_stop_gradually(raw["classes.toml"], cls, cite),
        injected_names=injected_names, injected_words=injected_words,
        patch_forms=_load_patch_forms(raw["routes.toml"], cls, cite),
        name_reading=_load_name_reading(drug_file, cite),
        content_version=str(src_file.get("content_version", "")), sources=dict(cite.sources),
        class_labels=cls.labels, class_members=cls.members_of,
        generic_classes={g: tuple(c) for g, c in cls.generic_classes.items()},
        synonyms=cls.synonyms, dose_factors=cls.dose_factors, drugs=tuple(drugs), rules_by_drug=rules_by_drug,
        interactions=interactions, mme_factors=mme_factors, mme_source=mme_source,
        age_thresholds=tuple(sorted({r.age_at_least for r in rules if r.age_at_least is not None})),
        week_thresholds=tuple(sorted({r.symptom_weeks_over for r in rules if r.symptom_weeks_over is not None})),
        rule_index={d: _index_rules(rs) for d, rs in rules_by_drug.items()},
        alert_labels={r.id: (r.alert_label, r.alert_sorts_after) for r in rules if r.alert_label},
        interaction_dependent=frozenset(d for d, rs in rules_by_drug.items() if any(r.meds_needed for r in rs)),
    )


def _index_rules(rules: tuple[_Rule, ...]) -> tuple:
    """Rules without a gate, and gated rules by fact token, each with its file position."""
    ungated = tuple((n, r) for n, r in enumerate(rules) if not r.triggers)
    by_token: dict[str, list] = {}
    for n, r in enumerate(rules):
        for t in r.triggers:
            by_token.setdefault(t, []).append((n, r))
    return ungated, {t: tuple(v) for t, v in by_token.items()}, frozenset(by_token)


# --------------------------------------------------------------------------- kidney function
CG_SOURCE = ("Cockcroft DW, Gault MH. Nephron 1976;16:31-41")


def cockcroft_gault(age_years: float, weight_kg: float, serum_creatinine_mg_dl: float, female: bool) -> float:
    """Creatinine clearance (mL/min), unrounded: ((140-age) x weight) / (72 x SCr), x0.85 if female."""
    value = (140 - age_years) * weight_kg / (72 * serum_creatinine_mg_dl)
    return value * 0.85 if female else value


def renal_function(intake: Intake, as_of: dt.date, creatinine_clearance_override: float | None = None) -> RenalFunction:
    patient = intake.patient
    cond = intake.conditions
    dialysis = cond.has("dialysis") is True
    dialysis_note = (" On dialysis: Cockcroft-Gault is not valid; the dose tables use the lowest band (CrCl <15) "
                     "plus the post-haemodialysis supplement.") if dialysis else ""
    if creatinine_clearance_override is not None:
        exact = float(creatinine_clearance_override)
        value = round(exact, 1)
        return RenalFunction(value, "crcl", "override", value,
                             f"CrCl {_num(value)} mL/min entered by the clinician (replaces the Cockcroft-Gault "
                             f"estimate).{dialysis_note}", dialysis, exact)
    age = patient.age_on(as_of)
    weight = patient.weight_kg
    scr = cond.serum_creatinine_mg_dl
    missing = [label for label, v in (("age", age), ("weight", weight), ("serum creatinine", scr)) if v is None]
    impossible_age = not missing and age >= 140  # (140 - age) would give no or a negative clearance
    if not missing and scr > 0 and not impossible_age:
        female = patient.sex != "male"
        exact = cockcroft_gault(age, weight, scr, female)
        value = round(exact, 1)
        if patient.sex == "female":
            sex_note = "female (x0.85)"
        elif patient.sex == "male":
            sex_note = "male"
        else:
            sex_note = (f"sex recorded as {patient.sex}: the female factor (x0.85) is used, the lower and more "
                        "conservative estimate")
        basis = (f"CrCl {_num(value)} mL/min by Cockcroft-Gault ({CG_SOURCE}): ((140 - age {age}) x actual body "
                 f"weight {_num(weight)} kg) / (72 x serum creatinine {scr:.2f} mg/dL), {sex_note}.")
        if patient.height_cm:
            bmi = weight / (patient.height_cm / 100) ** 2
            if bmi >= 30:
                basis += f" BMI {bmi:.0f}: actual body weight may overestimate clearance in obesity."
        return RenalFunction(value, "crcl", "cockcroft_gault", value, basis + dialysis_note, dialysis, exact)
    if missing:
        why = "no " + ", ".join(missing)
    elif impossible_age:
        why = (f"an age of {age} years on the assessment date is outside what Cockcroft-Gault can estimate; "
               "check the birth date and the assessment date")
    else:
        why = "serum creatinine not usable"
    if cond.egfr is not None:
        exact = float(cond.egfr)
        value = round(exact, 1)
        return RenalFunction(value, "egfr", "egfr", None,
                             f"Creatinine clearance not computed ({why}); eGFR {_num(value)} mL/min/1.73m2 used "
                             "instead. The dose tables are by Cockcroft-Gault CrCl; eGFR (normalised to 1.73 m2) "
                             f"may overestimate clearance in small or older patients.{dialysis_note}", dialysis, exact)
    return RenalFunction(None, "unknown", "unknown", None,
                         f"Renal function unknown: creatinine clearance not computed ({why}) and no eGFR "
                         f"recorded. Kidney-dependent limits could not be checked.{dialysis_note}", dialysis)


# --------------------------------------------------------------------------- assessment
@dataclass(slots=True)
class _Facts:
    age: int | None
    renal: RenalFunction
    flags: Mapping[str, bool | None]
    alcohol: str
    pregnancy_weeks: int | None  # on the assessment date (PregnancyOnDate.rule_weeks)
    red_flags: Mapping[str, str]
    symptom_weeks: float
    by_class: dict[str, list[tuple[str, str]]]  # class -> [(recorded name, generic)]
    by_generic: dict[str, list[str]]  # generic -> recorded names
    mme: float | None
    current: tuple[CurrentMedicine, ...]
    doses: dict[str, list[float | None]]  # generic -> doses (mg/day of the generic; None unknown)
    combos: dict[str, list[str]]  # generic -> recorded names of combination products
    #: recorded name -> how a combination product's recorded daily dose was read (G17)
    readings: dict[str, ComboReading]
    class_set: frozenset[str]  # classes and generics present among current medicines
    active: frozenset[str]  # fact tokens for the rule gates
    text_values: dict | None = None
    unrecognised: tuple[CurrentMedicine, ...] = ()
    weight: float | None = None
    profile: str = "us"
    not_offered: Mapping[str, tuple[Reason, dict]] = field(default_factory=dict)
    #: rule id -> its reason for this patient, or None when it does not apply: a rule that
    #: names no other medicine says the same on every row it covers (NSAIDs, gabapentinoids,
    #: opioids), so it is checked and worded once per patient
    said: dict = field(default_factory=dict)
    #: under 18: the reason every row gives (adult maxima withheld), worded once per patient
    minor_reason: Reason | None = None
    #: the unrecognised current medicines as every "not fully checked" reason names them
    unrecognised_text: str = ""
    #: ``renal.label`` ("CrCl 53.2 mL/min"), worded once per patient
    renal_label: str = ""
    #: the reason of each rule that names no other medicine, by its number in the compiled
    #: rules (:func:`_compiled_rules`), or None when it does not apply: checked and worded once
    #: per patient, shared by every row the rule covers
    patient_reasons: list | None = None
    #: the recorded pregnancy on the assessment date (None: none recorded)
    pregnancy: PregnancyOnDate | None = None
    #: opioids taken that have no MME factor in the source (buprenorphine: CDC 2022 lists none),
    #: so the total is "not computed", never asked for as a missing dose (rt19 F7)
    mme_without_factor: tuple[str, ...] = ()
    #: the opioids that could be counted, added up (mme21): the total itself when every opioid
    #: was counted, a lower bound otherwise (an opioid without a dose, or buprenorphine, which
    #: has no CDC factor); None when no opioid could be counted. What ``mme_at_least`` reads: a
    #: patient on morphine 400 mg/day beside a buprenorphine patch is at 400 MME/day at least
    mme_floor: float | None = None
    #: how ``mme_floor`` was counted, each medicine with its factor, and what was not counted
    mme_basis: str = ""
    #: route27 (H-MED-455): (recorded name, generic, recorded mg/day) of each opioid with an MME factor by mouth
    #: written with an injected route and its daily dose typed: not counted in the MME, a "check the dose"
    injected_opioids: tuple[tuple[str, str, float], ...] = ()
    #: opioidnum (H-MED-611): (recorded name, generic, MME/day, how it was counted) of each opioid counted in
    #: ``mme_floor``, and the "not counted" words, in order: what :func:`_mme_provisional` reads
    mme_parts: tuple[tuple[str, str, float, str], ...] = ()
    mme_uncounted: tuple[str, ...] = ()  # what was not counted at all (the total is then "at least")
    #: opioidnum (H-MED-611): the recorded names of the counted opioids whose dose is to check (a "check the
    #: dose" of rule check-dose is about them): the total is then provisional (``mme`` None), worded so
    #: in ``mme_provisional`` (:func:`_mme_provisional`)
    mme_to_check: tuple[str, ...] = ()
    mme_provisional: str = ""
    #: step3dose34 (H-MED-704): what :func:`_dose_checks` checked against a label maximum (:class:`LabelMaxChecked`)
    label_maxima: tuple[LabelMaxChecked, ...] = ()


class _MedicineEntry(NamedTuple):
    """What one recorded medicine (its name as typed and its recorded daily dose) means, worked
    out from those two values and the loaded data alone: nothing of the patient. The same name
    and dose give the same entry, so a batch of assessments (:class:`MedicineMemo`) works it out
    once per batch."""

    current: "CurrentMedicine"
    #: how the recorded dose is read (:func:`read_recorded_dose`), None when nothing to read
    reading: "ComboReading | None"
    combo: bool
    #: per generic, in order: (generic, its classes, mg/day of it or None, MME part), the MME part
    #: being None (not an opioid), a float to add, "unknown" (no dose, no rate), "no-factor" or "injected" (route27)
    generics: tuple[tuple[str, tuple[str, ...], float | None, Any], ...]


def _either_way_dose(reading: ComboReading | None, generic: str, factor: float) -> float | None:
    """fold33 (H-MED-698): the daily mg of ``generic`` an unread "N x M" gives when every reading of it gives the
    same (N tablets M times a day and M tablets N times a day are both N x M tablets a day); None otherwise."""
    if reading is None or reading.read or not reading.either_way:
        return None
    amounts = {round(dict(r.components).get(generic, math.nan) * factor, 6) for r in reading.either_way}
    if len(amounts) != 1:
        return None
    amount = amounts.pop()
    return None if math.isnan(amount) else amount


def _medicine_entry(name: str, daily_dose_mg: float | None, data: MedicineData) -> _MedicineEntry:
    """The :class:`_MedicineEntry` of one recorded medicine (what :func:`_facts` adds up)."""
    generics, factor = data.resolve(name)
    cls: list[str] = []
    combo = len(generics) > 1
    # one number for a combination product: the mg of one component, turned into every
    # component's mg by the strength in the name (G17), or "check the dose"; with no dose
    # recorded, a regimen written in the name (cmb17); a recorded dose wins over it
    reading = read_recorded_dose(name, generics, daily_dose_mg, data) if generics else None
    opioid_members = data.class_members.get("opioid", frozenset())
    parts = []
    for g in generics:
        classes = data.generic_classes.get(g, ())
        for c in classes:
            if c not in cls:
                cls.append(c)
        if combo:
            dose = dict(reading.components).get(g) if reading is not None and reading.read else None
        elif daily_dose_mg is not None:
            dose = daily_dose_mg * factor
        else:
            dose = reading.components[0][1] * factor if reading is not None and reading.read else None
        mme = None
        if g in opioid_members:
            f = data.mme_factors.get(g)
            rate_f = data.mme_rate_factors.get(g)
            if rate_f is not None and f is None and _other_form_than_patch(name, data):
                # rt23 F1: buccal, sublingual, nasal fentanyl: the CDC 2022 table's only fentanyl
                # factor is "Fentanyl transdermal (in mcg/hr) 2.4": no factor for these forms
                mme = "no-factor"
            elif rate_f is not None and f is None:
                # a patch dosed in micrograms an hour (CDC 2022: fentanyl transdermal 2.4 per
                # mcg/hr), the rate read from the name as prescribed (rt19 F7)
                read = patch_reading(_tuple_new(CurrentMedicine, (name, generics, daily_dose_mg, (), None)), g, data)
                mme = "unknown" if read is None else read.rate * rate_f
            elif f is None:
                # no MME factor in CDC 2022 (buprenorphine, diamorphine); spell28 (H-MED-475): one given by injection
                # ("diamorphine 5mg sc") is said as injected, so its dose is asked about, as route27 does for the others
                mme = "injected" if data.by_injection(name) else "no-factor"
            elif data.not_by_mouth(name):
                # route27 (H-MED-455): "morphine 10mg sc" with its daily dose typed, or a regimen in the name: the
                # CDC factors are for opioids by mouth (cdc-mme-oral), so a dose by injection is never counted
                mme = "injected"
            elif dose is None and (either := _either_way_dose(reading, g, 1.0 if combo else factor)) is not None:
                # fold33 (H-MED-698): "oxycodone 20mg 3 x 4" is 12 tablets a day whichever way the "N x M" is
                # read, so its MME is counted (as a daily dose; the question which was meant stays asked)
                mme = either * f
            elif dose is None:
                mme = "unknown"
            else:
                mme = dose * f
        parts.append((g, tuple(classes), dose, mme))
    current = _tuple_new(CurrentMedicine, (name, generics, daily_dose_mg, tuple(cls),
                                           None if generics else data.suggest(name)))
    return _tuple_new(_MedicineEntry, (current, reading, combo, tuple(parts)))


class MedicineMemo:
    """The :class:`_MedicineEntry` of each recorded medicine (name as typed, recorded dose)
    met in ONE batch of assessments (:class:`radiculopathy_desktop.domain.assess.AssessmentBatch`),
    so a name typed on many intakes is recognised, its dose read and, when unrecognised, a close
    name suggested once per batch, not once per patient (issue 17).

    Only what is a function of the medicine's text, its dose and the loaded data is kept:
    nothing of a patient (age, kidneys, other medicines, dates). The key is the name and the
    dose's ``repr`` (300 and 300.0 are written differently in the output, so they are two keys).
    Bounded: at ``limit`` entries the memo is emptied and filled again, and it lives only as
    long as its batch. A memo made for one loaded medicine data is never used for another."""

    __slots__ = ("limit", "entries", "data")

    def __init__(self, limit: int = 4096) -> None:
        if limit < 1:
            raise ValueError("a medicine memo holds at least one entry")
        self.limit = limit
        self.entries: dict[tuple[str, str], _MedicineEntry] = {}
        self.data: MedicineData | None = None

    def entry(self, name: str, daily_dose_mg: float | None, data: MedicineData) -> _MedicineEntry:
        if data is not self.data:
            self.entries = {}
            self.data = data
        key = (name, repr(daily_dose_mg))
        found = self.entries.get(key)
        if found is None:
            if len(self.entries) >= self.limit:
                self.entries = {}
            found = self.entries[key] = _medicine_entry(name, daily_dose_mg, data)
        return found


def _dose_band(dc: _DoseClass, name: str, g: str, daily: float | None, reading: ComboReading | None,
               combo: bool, data: MedicineData) -> str:
    """Where a medicine of a ``[[dose_class]]`` stands (ukcv): "above" (aspirin at an analgesic dose:
    more than ``above_mg_a_day`` a day, or more than ``above_mg_a_dose`` in one dose), "low" (a daily
    dose read at or below it, or, with no regimen written, a strength below ``low_below_mg_a_dose``:
    the 75 mg or 81 mg tablet) or "unknown" (no dose, or a strength alone that an analgesic dose is
    also taken at: "aspirin 300mg" may be 300 mg once a day or 300-900 mg every four hours)."""
    if daily is not None:
        return "above" if dc.over(daily) else "low"
    if dc.above_mg_a_dose is None or dc.low_below_mg_a_dose is None:
        # ukibu: a bound on the daily dose only (ibuprofen 2400 mg a day): a strength alone
        # ("ibuprofen 800mg", "Brufen 600") never decides it, so it is asked about, never guessed
        return "unknown"
    if reading is not None:
        per_tablet = dict(reading.strengths).get(g)
        # a dose is at least one tablet: a tablet above the bound is an analgesic dose
        return "above" if per_tablet is not None and per_tablet > dc.above_mg_a_dose else "unknown"
    if combo:
        return "unknown"
    spelled = spell(data.name_and_note(_undecorated(name))[0], data.name_reading)
    mg, _why = strength_mg(spelled)
    if mg is None:
        # redteam28 (H-MED-493): "aspirin 75mg + 600mg" (two strengths on one line): a dose is at least one
        # tablet, so a strength above the bound is an analgesic dose whatever the other; before, the line was
        # "unknown" and, for most patients, nothing was said
        written = [float(n) * (1000.0 if u.startswith("g") else 1.0)
                   for n, u in _MG_STRENGTH_RE.findall(spelled)]
        return "above" if any(w > dc.above_mg_a_dose for w in written) else "unknown"
    if mg > dc.above_mg_a_dose:
        return "above"
    return "low" if mg < dc.low_below_mg_a_dose else "unknown"


#: redteam28: a strength in mg or g written in a name ("600mg", "1 g")
_MG_STRENGTH_RE = re.compile(r"(?<![\w./])(\d+(?:\.\d+)?)\s*(mg|g|gram(?:os?|s)?)(?![\w/])")


def _facts(intake: Intake, as_of: dt.date, override: float | None, data: MedicineData,
           profile: str = "us", memo: MedicineMemo | None = None) -> _Facts:
    by_class: dict[str, list[tuple[str, str]]] = {}
    by_generic: dict[str, list[str]] = {}
    doses: dict[str, list[float | None]] = {}
    combos: dict[str, list[str]] = {}
    current: list[CurrentMedicine] = []
    mme_total = 0.0
    mme_known = True
    any_opioid = False
    without_factor: list[str] = []
    counted: list[str] = []  # how each counted opioid was counted (mme21)
    parts_counted: list[tuple[str, str, float, str]] = []  # opioidnum: (name, generic, MME, how) of each
    uncounted: list[str] = []
    readings: dict[str, ComboReading] = {}
    injected: list[tuple[str, str, float]] = []
    banded: dict[str, list[tuple[str, str, float | None]]] = {}  # generic -> (name, band, daily dose) a line
    for med in intake.medicines:
        name = med.name
        m, reading, combo, parts = (memo.entry(name, med.daily_dose_mg, data) if memo is not None
                                    else _medicine_entry(name, med.daily_dose_mg, data))
        if reading is not None:
            readings[name] = reading
        for g, classes, dose, mme in parts:
            by_generic.setdefault(g, []).append(name)
            for c in classes:
                by_class.setdefault(c, []).append((name, g))
            dose_class = data.dose_classes.get(g)
            if dose_class is not None:
                band = _dose_band(dose_class, name, g, dose, reading, len(parts) > 1, data)
                banded.setdefault(g, []).append((name, band, dose))
                if band == "above":
                    by_class.setdefault(dose_class.cls, []).append((name, g))
                    if dose_class.above_class:
                        by_class.setdefault(dose_class.above_class, []).append((name, g))
                elif band == "unknown":
                    by_class.setdefault(dose_class.unknown_class, []).append((name, g))
            doses.setdefault(g, []).append(dose)
            if combo:
                combos.setdefault(g, []).append(name)
            if mme is not None:
                any_opioid = True
                if mme == "unknown":
                    mme_known = False
                    uncounted.append(f"{name} ({g}: " + (patch_unread_reason(m, g, data)
                                                        if g in data.mme_rate_factors and g not in data.mme_factors
                                                        else "daily dose not recorded or not read") + ")")
                elif mme == "injected":
                    mme_known = False
                    if dose is not None:
                        injected.append((name, g, dose))
                    route = data.not_by_mouth(name) or "given by injection"
                    injection = route.startswith("given by injection")
                    without_factor.append(f"{g} (by injection)" if injection else f"{g} (not by mouth)")
                    uncounted.append(f"{name} ({g}: {'given by injection' if injection else route}; the CDC MME "
                                     "conversion factors are for opioids by mouth, so it is not counted: check the dose "
                                     f"{'by injection ' if injection else ''}by hand)")
                elif mme == "no-factor":
                    mme_known = False
                    if g in data.mme_rate_factors:  # rt23 F1: fentanyl not as a patch
                        without_factor.append(f"{g} (not as a patch)")
                        uncounted.append(f"{name} ({g} not as a patch: no MME factor in the CDC 2022 table, "
                                         "whose fentanyl factor is for transdermal patches only)")
                    else:
                        without_factor.append(g)
                        uncounted.append(f"{name} ({g}: no MME factor in the CDC 2022 table)")
                else:
                    mme_total += mme
                    how = _mme_how(name, g, dose if dose is not None else mme / data.mme_factors.get(g, 1.0), mme, data)
                    if dose is None and reading is not None and reading.either_way:
                        # fold33 (H-MED-698): counted from an "N x M" read either way, which holds only if it is a
                        # daily dose (not N tablets for M days)
                        # nxd36 (H-MED-757): say which reading the total counts (N x M tablets a day) and what the
                        # "N tablets a day for M days" reading would count, so the band is not read as holding for all
                        first_way = reading.either_way[0]
                        lower = _days_reading(reading.problem)
                        other = (f"; read as {lower[0]} it would be {_num(round(mme * lower[1] / first_way.tablets, 1))} "
                                 "MME/day" if lower is not None and first_way.tablets else "")
                        ways = " or ".join(r.from_name for r in reading.either_way)
                        how += (f" (\"{reading.from_name}\" counted as {_num(first_way.tablets)} tablets a day: {ways}"
                                f"{other}; which was meant is still to be confirmed)")
                    counted.append(how)
                    parts_counted.append((name, g, mme, counted[-1]))
        current.append(m)
    for g, lines in banded.items():
        # redteam28 (H-MED-493): "aspirin 75mg od" and "aspirin 300mg od" on two lines are 375 mg a day, an
        # analgesic dose, though each line alone is not; the lines' daily doses are added, as the rows add them
        dose_class = data.dose_classes[g]
        # (ukibu: "ibuprofen 400mg tds" and "Nurofen 400mg tds" are 2400 mg a day, high-dose ibuprofen)
        if (len(lines) > 1 and all(band == "low" for _n, band, _d in lines)
                and dose_class.over(math.fsum(d for _n, _b, d in lines if d is not None))):
            for name, _band, _dose in lines:
                by_class.setdefault(dose_class.cls, []).append((name, g))
                if dose_class.above_class:
                    by_class.setdefault(dose_class.above_class, []).append((name, g))
    c = intake.conditions
    age = intake.patient.age_on(as_of)
    renal = renal_function(intake, as_of, override)
    weeks = (as_of - intake.onset_date).days / 7
    present = frozenset(by_class) | frozenset(by_generic)
    tokens = {"med:" + m for m in present}
    # each mapping is walked only when it holds a value that could be taken (one search in C first:
    # most patients have no red flag answered yes; issue 17)
    if True in c.flags.values():
        tokens.update("cond:" + k for k, v in c.flags.items() if v is True)
    if "yes" in intake.red_flags.values():
        tokens.update("flag:" + k for k, v in intake.red_flags.items() if v == "yes")
    tokens.add("alcohol:" + c.alcohol_use)
    pregnancy = intake.pregnancy_on(as_of)  # the weeks recorded at the intake, moved on to as_of
    if pregnancy is not None:
        tokens.add("pregnant")
    if renal.value is None:
        if not renal.dialysis:
            tokens.add("renal_unknown")
    else:
        tokens.add("renal_known")
    age_tokens, week_tokens = _threshold_tokens(data)
    if age is not None:
        tokens.update(token for t, token in age_tokens if age >= t)
    if intake.patient.weight_kg is not None:
        tokens.add("weight_known")
    tokens.update(token for t, token in week_tokens if weeks > t)
    unrecognised = tuple(m for m in current if not m.recognised)
    return _Facts(
        age=age,
        renal=renal,
        flags=c.flags, alcohol=c.alcohol_use, pregnancy_weeks=None if pregnancy is None else pregnancy.rule_weeks,
        pregnancy=pregnancy,
        red_flags=intake.red_flags, symptom_weeks=weeks,
        by_class=by_class, by_generic=by_generic,
        mme=(round(mme_total, 1) if mme_known else None) if any_opioid else 0.0,
        mme_without_factor=tuple(dict.fromkeys(without_factor)),
        mme_floor=(round(mme_total, 1) if counted else None) if any_opioid else 0.0,
        mme_basis="; ".join(counted) + (f"; not counted: {', '.join(uncounted)}" if uncounted else ""),
        injected_opioids=tuple(injected),
        mme_parts=tuple(parts_counted), mme_uncounted=tuple(uncounted),
        current=tuple(current), doses=doses, combos=combos, readings=readings,
        class_set=present, active=frozenset(tokens),
        unrecognised=unrecognised,
        weight=intake.patient.weight_kg, profile=profile,
        not_offered=_not_offered(profile, _phase_name(max((as_of - intake.onset_date).days, 0))),
        minor_reason=None if age is None or age >= ADULT_AGE else Reason(
            f"Age {age}: the doses and maxima here are adult doses (NICE NG59 covers people over 16; the "
            "labels' adult dosing). No maximum is given for this patient: dose by the product's paediatric or "
            "adolescent guidance (BNF for Children).", "caution", "; ".join(
                data.sources[s] for s in ("nice-ng59", "bnf")), ("nice-ng59", "bnf"), "under-18"),
        unrecognised_text=", ".join(m.not_recognised_text for m in unrecognised),
        renal_label=renal.label,
    )


_phase_name = phase_name


def _mme_how(name: str, generic: str, dose: float | None, mme: float, data: MedicineData) -> str:
    """How one counted opioid's MME was worked out: "morphine 200mg bd: morphine 400 mg/day x 1",
    "Matrifen 25 mcg/h: fentanyl patch 25 mcg/h x 2.4" (CDC 2022 factors, drugs.toml)."""
    rate_f = data.mme_rate_factors.get(generic)
    if rate_f is not None and generic not in data.mme_factors:
        generics = data.resolve(name)[0]
        read = patch_reading(_tuple_new(CurrentMedicine, (name, generics, None, (), None)), generic, data)
        if read is None:  # not reached: a patch counted has a reading
            return f"{name}: {generic} patch {_num(round(mme / rate_f, 2))} mcg/h x {_num(rate_f)}"
        if read.delivered and len(read.delivered) == 1 and read.read_as in ("", "bare", "possible") and not (
                _PATCH_SUM_RE.search(name.lower()) or len(_BARE_SUM_RE.findall(name.lower())) == 1):
            # rx23 (rt24 F7): a "12" patch delivers 12.5 mcg/h (its label): the rate delivered is counted
            printed, delivered = read.delivered[0]
            rate = (f"{read.patches} patches of {_num(printed)} mcg/h (each delivers {_num(delivered)} mcg/h) = "
                    f"{_num(read.rate)} mcg/h" if read.patches != 1
                    else f"{_num(printed)} mcg/h patch (delivers {_num(delivered)} mcg/h)")
        else:
            rate = (f"{read.patches} patches of {_num(read.each)} mcg/h = {_num(read.rate)} mcg/h" if read.patches != 1
                    else f"{_num(read.rate)} mcg/h")
            rate += "".join(f" (a {_num(p)} mcg/h patch delivers {_num(d)} mcg/h)" for p, d in read.delivered)
        unit = ("written in micrograms with no rate per hour" if read.no_per_hour else "written with no unit")
        shown = read.delivered[0][0] if len(read.delivered) == 1 and read.read_as in ("bare", "possible") else read.each
        said = {"bare": f"; {_num(shown)} {unit}, read as micrograms an hour, a strength one patch "
                        "is made in",
                "possible": f"; form not written, counted as a patch: {_num(shown)} read as micrograms an hour, a "
                            "strength one patch is made in",
                "bare_sum": f"; patches worn together, each number {unit}, read as micrograms an hour, "
                            "each a strength one patch is made in",
                "possible_sum": "; form not written, counted as patches worn together: each number read as micrograms "
                                "an hour, each a strength one patch is made in"}.get(read.read_as, "")
        return f"{name}: {generic} patch {rate} x {_num(rate_f)}{said}"
    factor = data.mme_factors.get(generic)
    return f"{name}: {generic} {_num(round(dose, 1) if dose is not None else None)} mg/day x {factor:g}"


def _threshold_tokens(data: MedicineData) -> tuple[tuple[tuple[int, str], ...], tuple[tuple[float, str], ...]]:
    """The age and symptom-weeks thresholds of the rules with their fact tokens ("age>=65",
    "weeks>12"), worded once per loaded data."""
    tokens = data.__dict__.get("_threshold_tokens")
    if tokens is None:
        tokens = data.__dict__["_threshold_tokens"] = (
            tuple((t, f"age>={t}") for t in data.age_thresholds),
            tuple((t, f"weeks>{t}") for t in data.week_thresholds))
    return tokens


def _matched(rule: _Rule, facts: _Facts, own: frozenset[str]) -> list[str] | None:
    """Names of current medicines that satisfy the rule's medicine conditions (None: not met)."""
    names: list[str] = []
    by_class = facts.by_class
    if rule.classes:
        for cid in rule.classes:
            for name, generic in by_class.get(cid, ()):
                if generic not in own and generic not in rule.except_generics and name not in names:
                    names.append(name)
        if not names:
            return None
    if rule.generics:
        found = [n for g in rule.generics if g not in own for n in facts.by_generic.get(g, ())]
        if not found:
            return None
        names.extend(n for n in found if n not in names)
    if rule.classes_all:
        for cid in rule.classes_all:
            hits = [name for name, generic in by_class.get(cid, ()) if generic not in own]
            if not hits:
                return None
            names.extend(n for n in hits if n not in names)
    return names


def _applies(rule: _Rule, facts: _Facts) -> bool:
    """The rule's patient conditions (everything except current medicines)."""
    if rule.always:
        return True
    if rule.condition is not None and facts.flags.get(rule.condition) is not True:
        return False
    if rule.meds_needed and not facts.class_set.intersection(rule.meds_needed):
        return False
    if rule.age_at_least is not None and (facts.age is None or facts.age < rule.age_at_least):
        return False
    if rule.age_below is not None and (facts.age is None or facts.age >= rule.age_below):
        return False
    if rule.pregnant and facts.pregnancy_weeks is None:
        return False
    if rule.pregnancy_weeks_at_least is not None and (
            facts.pregnancy_weeks is None or facts.pregnancy_weeks < rule.pregnancy_weeks_at_least):
        return False
    if rule.renal_below is not None and (facts.renal.value is None or facts.renal.banded >= rule.renal_below):
        return False
    if rule.renal_unknown and (facts.renal.value is not None or facts.renal.dialysis):
        return False
    if rule.alcohol is not None and facts.alcohol != rule.alcohol:
        return False
    if rule.symptom_weeks_over is not None and facts.symptom_weeks <= rule.symptom_weeks_over:
        return False
    if rule.mme_at_least is not None and (facts.mme_floor is None or facts.mme_floor < rule.mme_at_least):
        return False
    if rule.red_flag_yes and not any(facts.red_flags.get(f) == "yes" for f in rule.red_flag_yes):
        return False
    if rule.weight_below_kg is not None and (facts.weight is None or facts.weight >= rule.weight_below_kg):
        return False
    if rule.profile is not None and facts.profile != rule.profile:
        return False
    if rule.profile_not_in and facts.profile in rule.profile_not_in:
        return False
    if rule.taking and not any(g in facts.by_generic for g in rule.taking):
        return False
    if rule.pregnancy_weeks_below is not None and (
            facts.pregnancy_weeks is None or facts.pregnancy_weeks >= rule.pregnancy_weeks_below):
        return False
    return True


def _format(rule: _Rule, facts: _Facts, names: list[str]) -> str:
    text = _format_text(rule, facts, names)
    pregnancy = facts.pregnancy
    if pregnancy is not None and pregnancy.beyond_plausible_end and (
            rule.pregnant or rule.pregnancy_weeks_at_least is not None or rule.pregnancy_weeks_below is not None):
        # past the plausible end: the warning stands, and the clinician is asked (not told "pregnant")
        return f"{pregnancy.ask_text} If she is pregnant: {text}"
    return text


def _format_text(rule: _Rule, facts: _Facts, names: list[str]) -> str:
    if not rule.formatted:
        return rule.text
    values = facts.text_values
    if values is None:  # the patient's values, worded once per patient
        values = facts.text_values = {
            "age": facts.age if facts.age is not None else "unknown",
            "renal": facts.renal_label,
            "weeks": facts.pregnancy.label if facts.pregnancy is not None else "unknown",
            "mme": _num(facts.mme) if facts.mme is not None else "unknown",
            "mme_counted": _mme_counted(facts),
            "weight": _num(facts.weight) if facts.weight is not None else "unknown",
            "matched": "", "flags": "", "cap": "",
        }
    # the rule's own values (only those its text uses; the others are not read)
    if rule.needs_matched:
        values["matched"] = ", ".join(names)
    if rule.needs_flags:
        values["flags"] = ", ".join(f.replace("_", " ") for f in rule.red_flag_yes if facts.red_flags.get(f) == "yes")
    if rule.cap_mg_per_kg:
        values["cap"] = _num(_rule_cap(rule, facts))
    return rule.text.format_map(values)


def _mme_counted(facts: _Facts) -> str:
    """``{mme_counted}``: the current opioids' total and how it was counted (mme21)."""
    if facts.mme_floor is None:
        return f"an MME total that cannot be worked out ({facts.mme_basis.removeprefix('; ')})"
    if facts.mme_to_check:  # opioidnum (H-MED-611): it counts a dose to check
        at_least = "at least " if facts.mme_uncounted else ""
        return f"{at_least}{_num(facts.mme_floor)} MME/day, provisional ({facts.mme_basis})"
    at_least = "" if facts.mme is not None else "at least "
    return f"{at_least}{_num(facts.mme_floor)} MME/day ({facts.mme_basis})" if facts.mme_basis else \
        f"{_num(facts.mme_floor)} MME/day"


def _rule_cap(rule: _Rule, facts: _Facts) -> float | None:
    """The daily cap a rule sets for this patient: fixed, or per kg of body weight (rounded down to 10 mg)."""
    if rule.cap_mg_per_kg and facts.weight is not None:
        per_kg = rule.cap_mg_per_kg * facts.weight
        return float(int(per_kg // 10 * 10)) if rule.cap is None else min(rule.cap, float(int(per_kg // 10 * 10)))
    return rule.cap


def _not_offered(profile: str, phase: str) -> dict[str, tuple[Reason, dict]]:
    """Treatment code -> (reason, position) for what the profile's guideline says not to offer
    in this phase. The pathway step shows the same recommendation: one source of truth.

    A guideline that cannot be loaded (an unknown profile, a malformed file) gives no positions
    here and the pathway reports the error itself; that answer is never cached, so the positions
    come back as soon as the guideline loads again (only the guideline's own error is caught:
    any other failure propagates)."""
    try:
        return _not_offered_cached(profile, phase)
    except Exception as exc:  # the import stays off the path every assessment takes
        from radiculopathy_desktop.domain.guideline import GuidelineError

        if isinstance(exc, GuidelineError):
            return {}
        raise


def clear_not_offered_cache() -> None:
    """Forget the positions worked out from the loaded guidelines (``clear_guideline_cache`` calls it)."""
    _not_offered_cached.cache_clear()


@lru_cache(maxsize=16)
def _not_offered_cached(profile: str, phase: str) -> dict[str, tuple[Reason, dict]]:
    from radiculopathy_desktop.domain.guideline import load_guideline

    guideline = load_guideline(profile)  # a GuidelineError propagates: lru_cache keeps no failure
    out: dict[str, tuple[Reason, dict]] = {}
    for step, rec in guideline.recommendations():
        if rec.direction not in NOT_OFFERED_DIRECTIONS or not rec.treatments:
            continue
        if rec.phases is not None and phase not in rec.phases:
            continue
        # "NICE" from "NICE NG59": the short name of the guideline's body
        organisation = next((src.guideline.split()[0] for src in rec.sources if src.guideline), "The guideline")
        citation = "; ".join(f"{src.guideline}, {src.section}" for src in rec.sources)
        text = " ".join(rec.text.split())
        severity = rec.medicine_status or "avoid"  # the guideline data sets it (e.g. caution: not as the only medicine)
        said = (f"{organisation} {_POSITION_VERB[rec.direction]} this" if severity == "avoid"
                else f"{organisation} restricts its use")
        reason = Reason(f"{said} ({profile} profile, {step.title} step): {text}", severity,
                        citation,
                        tuple(src.source_id for src in rec.sources), "guideline-do-not-offer")
        position = {"profile": profile, "organisation": organisation, "direction": rec.direction, "status": severity,
                    "step": step.id, "recommendation": rec.id, "text": text, "source": citation}
        for code in rec.treatments:
            out.setdefault(code, (reason, position))
    return out


_UNSEEN = object()


class _RowPlan(NamedTuple):
    """What one row needs of its drug, worked out once per loaded data (issue 17): the
    drug's rule index, its limits under each profile, and the row fields that are the
    drug's own."""

    drug: _Drug
    entry: tuple  # data.rule_index[drug.id]
    default_cap: tuple[float, str] | None  # (default maximum, its reason)
    limits: Mapping[str, tuple[float | None, str, str | None]]  # profile -> (label max, source, note)
    label_limit: tuple[float | None, str, str | None]  # the label's, for any other profile
    edges: frozenset[float]  # the renal table's band edges
    exclusive_edges: frozenset[float]  # the edges where the label's bands overlap (the lower band applies)
    interaction_dependent: bool
    opioid: bool
    rules: tuple[_Rule, ...]  # the drug's rules in file order (bit n of a mask: rules[n])
    ungated_mask: int  # the rules every patient is checked against
    token_masks: Mapping[str, int]  # fact token -> the rules it gates
    #: ``limits`` and ``label_limit`` each with a fourth element: what a row the patient
    #: should not take says of the label maximum ("the label maximum is 2400 mg/day."),
    #: worded once per loaded data rather than per row and patient
    limits_worded: Mapping[str, tuple[float | None, str, str | None, str]] = {}
    label_limit_worded: tuple[float | None, str, str | None, str] = (None, "", None, "")


def _label_max_words(limit: tuple[float | None, str, str | None]) -> tuple[float | None, str, str | None, str]:
    """``limit`` (label max, source, note) with the words a row rated avoid or worse gives it."""
    label_max = limit[0]
    return (*limit, f"the label maximum is {_num(label_max)} mg/day." if label_max is not None
            else "no label maximum applies.")


#: the start of the adjustment text of a row rated avoid or contraindicated, by status rank
_NOT_RECOMMENDED_WORDS = {status.rank: f"Not recommended for this patient ({status}); " for status in MedicineStatus}


def _rule_masks(entry: tuple) -> tuple[int, dict[str, int]]:
    """A drug's rule index as bit masks over its rules in file order: the ungated rules,
    and the rules each fact token gates."""
    ungated, by_token, _tokens = entry
    ungated_mask = 0
    for n, _r in ungated:
        ungated_mask |= 1 << n
    token_masks = {}
    for token, numbered in by_token.items():
        mask = 0
        for n, _r in numbered:
            mask |= 1 << n
        token_masks[token] = mask
    return ungated_mask, token_masks


#: '0' -> 0 and '1' -> 1: a mask's binary digits (lowest first) as compress() selectors
_BIT_SELECTORS = bytes.maketrans(b"01", b"\x00\x01")


def _row_plans(data: MedicineData) -> tuple[_RowPlan, ...]:
    """Each drug's :class:`_RowPlan`, in row order (made once per loaded data)."""
    plans = data.__dict__.get("_row_plans")
    if plans is None:
        plans = data.__dict__["_row_plans"] = tuple(
            _RowPlan(drug, data.rule_index[drug.id],
                     (drug.default_max, drug.default_max_reason or "") if drug.default_max is not None else None,
                     dict(drug.profile_max), (drug.label_max, drug.label_max_source, drug.label_max_note),
                     frozenset(b.at_least for b in drug.renal_bands),
                     frozenset(b.at_least for b in drug.renal_bands if b.exclusive),
                     drug.id in data.interaction_dependent, drug.drug_class == "opioid",
                     data.rules_by_drug[drug.id], *_rule_masks(data.rule_index[drug.id]),
                     {profile: _label_max_words(limit) for profile, limit in drug.profile_max.items()},
                     _label_max_words((drug.label_max, drug.label_max_source, drug.label_max_note)))
            for drug in data.drugs)
    return plans


_tuple_new = tuple.__new__
_AVOID_RANK = _RANK["avoid"]
_CAUTION_RANK = _RANK["caution"]
_REDUCE_RANK = _RANK["reduce_dose"]
_NOT_CHECKED_RANK = _RANK["not_fully_checked"]


def _rules_to_check(plan: _RowPlan, active: frozenset[str]):
    """The drug's rules a patient with the fact tokens ``active`` is checked against: every
    ungated rule and every rule gated by one of them, in file order (bit n of the mask is
    the drug's rule n; the mask's binary digits, lowest first, select the rules). Nothing is
    remembered between patients."""
    hits = plan.entry[2].intersection(active)
    mask = reduce(or_, map(plan.token_masks.__getitem__, hits), plan.ungated_mask) if hits else plan.ungated_mask
    return compress(plan.rules, bin(mask)[:1:-1].encode().translate(_BIT_SELECTORS))


class _CompiledRules(NamedTuple):
    """The medicine rules compiled once per loaded data (issue 17): one function giving every
    patient-level reason, one function per row giving that row's rule part, so a row
    costs one call instead of a loop over rule objects, and one per row giving the whole
    row (the rule part followed by the rest of :func:`_assess_row`, specialised to the
    row's drug). ``source`` is the generated text (kept to read and for tests)."""

    patient: Any  # facts -> list of reasons (or None) of the rules naming no other medicine
    rows: tuple  # per row, in row order: facts -> (reasons, rank, caps), as _rule_reasons_loop
    numbers: Mapping[str, int]  # rule id -> its number in ``patient``'s list
    source: str
    #: per row, in row order: facts (with ``patient_reasons`` set) -> the whole MedicationRow,
    #: what :func:`_assess_row` gives with the row's rule function
    whole_rows: tuple = ()
    #: facts -> every row of the table, in row order (one call per row, no loop)
    table: Any = None


def _formatter(rule: _Rule) -> str:
    """The function a generated rule function words ``rule`` with: :func:`_format`, which asks
    about a pregnancy past its plausible end, only for a rule with a pregnancy condition (for
    any other rule it gives :func:`_format_text`'s words, so that is called directly)."""
    if rule.pregnant or rule.pregnancy_weeks_at_least is not None or rule.pregnancy_weeks_below is not None:
        return "_format"
    return "_format_text"


def _gate(rule: _Rule, name: str, values: dict) -> str:
    """The condition under which a row checks ``rule`` (as :func:`_rules_to_check` selects):
    none for an ungated rule, else one of its fact tokens among the patient's (``A``)."""
    if not rule.triggers:
        return ""
    if len(rule.triggers) == 1:
        values[name] = next(iter(rule.triggers))
        return f"{name} in A"
    values[name] = rule.triggers
    return f"not A.isdisjoint({name})"


def _compiled_rules(data: MedicineData) -> _CompiledRules:
    """Generate and compile the rule functions for ``data`` (once per loaded data). The text
    holds only numbers, local names and the fixed code below; every value of the data
    (rules, tokens, caps) is bound as a name, never written into the source."""
    found = data.__dict__.get("_compiled_rules")
    if found is not None:
        return found
    plans = _row_plans(data)
    values: dict[str, Any] = {"_tuple_new": _tuple_new, "Reason": Reason, "_format": _format,
                              "_format_text": _format_text, "_matched": _matched, "_rule_cap": _rule_cap}
    numbers: dict[str, int] = {}
    names: dict[int, str] = {}  # id(rule) -> its bound name

    def bound(rule: _Rule) -> str:
        name = names.get(id(rule))
        if name is None:
            name = names[id(rule)] = f"R{len(names)}"
            values[name] = rule
        return name

    # rules naming no other medicine: checked and worded once per patient, in first-seen order
    lines = ["def patient_reasons(f):", "    A = f.active"]
    body: list[str] = []
    for plan in plans:
        for rule in plan.rules:
            if rule.meds_needed or rule.key in numbers:
                continue
            k = numbers[rule.key] = len(numbers)
            r = bound(rule)
            # the gate, then the rule's own conditions written in place (:func:`_check_expression`,
            # what ``rule.check`` tests, without a call per rule)
            conditions = [c for c in (_gate(rule, f"{r}_gate", values), _check_expression(rule, r, values)) if c]
            body.append(f"    if {' and '.join(conditions) or 'True'}:")
            if rule.static_reason is not None:
                body.append(f"        P[{k}] = {r}.static_reason")
            else:
                body.append(f"        P[{k}] = _tuple_new(Reason, ({_formatter(rule)}({r}, f, ()), *{r}.reason_tail))")
    lines.append(f"    P = [None] * {len(numbers)}")
    lines.extend(body)
    lines.append("    return P")
    source = ["\n".join(lines)]

    for j, plan in enumerate(plans):
        own = f"OWN{j}"
        values[own] = plan.drug.own
        groups: dict[str, str] = {}
        for rule in plan.rules:
            if rule.group is not None and rule.group not in groups:
                groups[rule.group] = f"g{len(groups)}"
        lines = [f"def row_{j}(f):", "    A = f.active", "    P = f.patient_reasons",
                 "    reasons = []", "    caps = []", "    rank = 0"]
        lines.extend(f"    {g} = False" for g in groups.values())
        for rule in plan.rules:
            r = bound(rule)
            g = groups.get(rule.group) if rule.group is not None else None
            if rule.meds_needed:
                gate = _gate(rule, f"{r}_gate", values)
                check = _check_expression(rule, r, values)
                conditions = ([f"not {g}"] if g else []) + ([gate] if gate else []) + ([check] if check else [])
                lines.append(f"    if {' and '.join(conditions) or 'True'}:")
                lines.append(f"        names = _matched({r}, f, {own})")
                lines.append(f"        if names is not None and len(names) >= {int(rule.min_matches)}:")
                if rule.static_reason is not None:
                    lines.append(f"            r = {r}.static_reason")
                else:
                    lines.append(f"            r = _tuple_new(Reason, ({_formatter(rule)}({r}, f, names),"
                                 f" *{r}.reason_tail))")
                indent = "            "
            else:
                lines.append(f"    r = P[{numbers[rule.key]}]")
                lines.append(f"    if r is not None{' and not ' + g if g else ''}:")
                indent = "        "
            if g:
                lines.append(f"{indent}{g} = True")
            lines.append(f"{indent}reasons.append(r)")
            lines.append(f"{indent}if rank < {int(rule.rank)}:")
            lines.append(f"{indent}    rank = {int(rule.rank)}")
            if rule.cap_mg_per_kg:
                lines.append(f"{indent}cap = _rule_cap({r}, f)")
                lines.append(f"{indent}if cap is not None:")
                lines.append(f"{indent}    caps.append((cap, r.text))")
            elif rule.cap is not None:
                values[f"{r}_cap"] = rule.cap
                lines.append(f"{indent}caps.append(({r}_cap, r.text))")
        source.append("\n".join(lines + ["    return reasons, rank, caps"]))
        # the whole row: the same rule part, then :func:`_assess_row`'s own part with what is
        # constant for this drug decided here (renal table or none, default cap, taken label,
        # whether it depends on other medicines, opioid) rather than tested per patient
        whole = [f"def whole_row_{j}(f):"] + lines[1:] + _row_tail_lines(plan, j, values)
        source.append("\n".join(whole))
    calls = ", ".join(f"whole_row_{j}(f)" for j in range(len(plans)))
    source.append(f"def table(f):\n    return ({calls}{',' if len(plans) == 1 else ''})")
    text = "\n\n\n".join(source) + "\n"
    values.update({name: globals()[name] for name in _TAIL_NAMES})
    exec(compile(text, "<medicine rules>", "exec"), values)  # noqa: S102 (generated from fixed text, values bound)
    for names in data.profile_names.values():  # the data's own texts in each profile's words, once
        names.learn(_data_texts(data))
    found = data.__dict__["_compiled_rules"] = _CompiledRules(
        values["patient_reasons"], tuple(values[f"row_{j}"] for j in range(len(plans))), numbers, text,
        tuple(values[f"whole_row_{j}"] for j in range(len(plans))), values["table"])
    return found


#: the module's names the generated whole-row text uses (:func:`_row_tail_lines`)
_TAIL_NAMES = ("_renal_part", "_RANK", "_limit_of", "_NO_ADJUSTMENT", "_NO_SINGLE_MAXIMUM", "_AVOID_RANK",
               "_NOT_RECOMMENDED_WORDS", "_used_despite_words", "_current_use", "_CAUTION_RANK", "_withheld_words",
               "_not_recognised_reason", "_NOT_CHECKED_RANK", "_reason_order", "_taken_label_words", "MedicationRow",
               "_STATUS_OF_RANK", "_tuple_new")


def _row_tail_lines(plan: _RowPlan, j: int, values: dict) -> list[str]:
    """The generated text of :func:`_assess_row` after the rule part, for ``plan``'s drug:
    the same steps in the same order, each branch on a fact of the drug (not of the patient)
    decided here. Values of the drug are bound as names (``D<j>_<field>``), never written."""
    drug = plan.drug
    d = f"D{j}"
    for name in ("id", "label", "drug_class", "class_label", "treatment_code", "seed_dose", "seed", "seed_source",
                 "usual_dose_range", "duration_note", "own"):
        values[f"{d}_{name}"] = getattr(drug, name)
    values[f"{d}_drug"], values[f"{d}_plan"] = drug, plan
    values[f"{d}_limits"], values[f"{d}_label_limit"] = plan.limits_worded, plan.label_limit_worded
    out = ["    adjusted_range = None"]
    if drug.renal_bands:
        out += [f"    renal_reason, adjusted_range = _renal_part({d}_plan, f, caps)",
                "    reasons.append(renal_reason)",
                "    s = _RANK[renal_reason.severity]",
                "    if s > rank:",
                "        rank = s"]
    out += [f"    guideline = f.not_offered.get({d}_treatment_code)",
            "    if guideline is None:",
            "        position = None",
            "    else:",
            "        reasons.append(guideline[0])",
            "        position = guideline[1]",
            "        s = _RANK[guideline[0].severity]",
            "        if s > rank:",
            "            rank = s"]
    if plan.default_cap is not None:
        values[f"{d}_default_cap"] = plan.default_cap
        out.append(f"    caps.append({d}_default_cap)")
    out += [f"    limit_label, label_source, label_note, label_max_words = {d}_limits.get(f.profile, {d}_label_limit)"]
    if plan.default_cap is not None:
        out.append("    limit, limit_reason = _limit_of(caps, limit_label)")
    else:  # no cap: _limit_of gives the label maximum, or none
        out += ["    if caps:",
                "        limit, limit_reason = _limit_of(caps, limit_label)",
                "    elif limit_label is not None:",
                "        limit, limit_reason = limit_label, _NO_ADJUSTMENT",
                "    else:",
                "        limit, limit_reason = None, _NO_SINGLE_MAXIMUM"]
    out += ["    if rank >= _AVOID_RANK:",
            "        adjusted = None",
            "        adjustment_reason = _NOT_RECOMMENDED_WORDS[rank] + label_max_words",
            "        if limit is not None and limit != limit_label:",
            "            adjustment_reason += _used_despite_words(limit, limit_reason)",
            "    else:",
            "        adjusted, adjustment_reason = limit, limit_reason",
            "    status_rank = rank",
            "    B = f.by_generic",
            f"    if B and not {d}_own.isdisjoint(B):",
            "        taking = True",
            f"        names, current_dose, over, extra_rank = _current_use({d}_plan, f, reasons, limit, limit_label,"
            " limit_reason, label_source)",
            "    else:",
            "        taking, names, current_dose, over, extra_rank = False, (), None, False, 0",
            "    if f.minor_reason is not None:",
            "        reasons.append(f.minor_reason)",
            "        if extra_rank < _CAUTION_RANK:",
            "            extra_rank = _CAUTION_RANK",
            "        adjusted = adjusted_range = None",
            "        adjustment_reason = _withheld_words(f.age)"]
    if plan.interaction_dependent:
        out += ["    if f.unrecognised:",
                "        fully_checked = False",
                f"        reasons.append(_not_recognised_reason({d}_drug, f))",
                "        if extra_rank < _NOT_CHECKED_RANK:",
                "            extra_rank = _NOT_CHECKED_RANK",
                "    else:",
                "        fully_checked = True"]
    else:
        out.append("    fully_checked = True")
    out += ["    if extra_rank > status_rank:",
            "        status_rank = extra_rank",
            "    if len(reasons) > 1:",
            "        reasons.sort(key=_reason_order)"]
    label = f"{d}_label"
    if drug.taken_label:
        out.append(f"    label = _taken_label_words({d}_drug, f) if taking else {d}_label")
        label = "label"
    mme = "(f.mme if taking else None)" if plan.opioid else "None"
    out.append(
        f"    return _tuple_new(MedicationRow, ({d}_id, {label}, {d}_drug_class, {d}_class_label, {d}_treatment_code,"
        f" _STATUS_OF_RANK[status_rank], tuple(reasons), {d}_seed_dose, {d}_seed, {d}_seed_source,"
        f" {d}_usual_dose_range, adjusted_range, limit_label, label_note, adjusted, adjustment_reason, taking,"
        f" names, current_dose, over, {d}_duration_note, {mme}, fully_checked, position, limit))")
    return out


def _rule_reasons_loop(plan: _RowPlan, facts: _Facts) -> tuple[list[Reason], int, list[tuple[float, str]]]:
    """The row's rule part by a loop over its rule objects: the reasons of the drug's rules
    that apply to this patient (file order; a rule of a group that already fired is skipped),
    their highest severity rank, and the daily caps they set (cap, reason text). The
    reference the compiled rule functions (:func:`_compiled_rules`) are tested against."""
    drug = plan.drug
    reasons: list[Reason] = []
    caps: list[tuple[float, str]] = []
    fired_groups: set[str] = set()
    own = drug.own
    rank = 0
    candidates = _rules_to_check(plan, facts.active)
    said = facts.said
    for rule in candidates:
        if fired_groups and rule.group in fired_groups:  # (a rule without a group has None: never in it)
            continue
        if rule.meds_needed:
            if not rule.check(facts):
                continue
            names = _matched(rule, facts, own)
            if names is None or len(names) < rule.min_matches:
                continue
            reason = rule.static_reason
            if reason is None:  # Reason(text, severity, source, source_ids, rule), made from the tuple
                reason = _tuple_new(Reason, (_format(rule, facts, names), *rule.reason_tail))
        else:
            reason = said.get(rule.key, _UNSEEN)
            if reason is _UNSEEN:  # first row this rule is checked on, for this patient
                reason = said[rule.key] = (
                    (rule.static_reason or _tuple_new(Reason, (_format(rule, facts, []), *rule.reason_tail)))
                    if rule.check(facts) else None)
            if reason is None:
                continue
        if rule.group is not None:
            fired_groups.add(rule.group)
        reasons.append(reason)
        if rule.rank > rank:
            rank = rule.rank
        if rule.cap_mg_per_kg:
            cap = _rule_cap(rule, facts)
            if cap is not None:
                caps.append((cap, reason.text))
        elif rule.cap is not None:
            caps.append((rule.cap, reason.text))
    return reasons, rank, caps


def _renal_part(plan: _RowPlan, facts: _Facts, caps: list) -> tuple[Reason, str | None]:
    """The renal reason of a row whose drug has a renal table, and its adjusted dose range
    (None when renal function is unknown); the cap the band sets is appended to ``caps``."""
    drug = plan.drug
    bands = drug.renal_bands
    renal = facts.renal
    if renal.dialysis:
        band = bands[-1]
        text = f"On haemodialysis: {band.text}, {drug.hd_supplement} (label renal table)."
        caps.append((band.max_mg, text))
        return (_tuple_new(Reason, (text, "caution", drug.renal_source, drug.renal_source_ids, "renal-table")),
                f"{band.text}, {drug.hd_supplement}")
    if renal.value is not None:
        value = renal.banded
        for band in bands:
            if value > band.at_least if band.exclusive else value >= band.at_least:  # _Band.holds
                break
        else:
            band = bands[-1]  # below every band: the lowest
        via = " (eGFR used in place of CrCl)" if renal.measure == "egfr" else ""
        if renal.value in plan.edges and value != renal.value:
            via += f" (unrounded {value:.2f}, which sets the band)"
        elif value in plan.exclusive_edges:
            via += f" (the label's bands overlap at {_num(value)}: the lower band is used)"
        if band is bands[0]:
            text = f"{facts.renal_label}{via}: no renal dose adjustment needed ({band.text})."
            return _tuple_new(Reason, (text, "info", drug.renal_source, drug.renal_source_ids, "renal-table")), band.text
        text = f"{facts.renal_label}{via}: reduce to {band.text} (label renal table)."
        caps.append((band.max_mg, text))
        return _tuple_new(Reason, (text, "caution", drug.renal_source, drug.renal_source_ids, "renal-table")), band.text
    older_or_ckd = (facts.age is not None and facts.age >= 65) or facts.flags.get("ckd") is True
    text = ("Renal function unknown: the maximum shown assumes CrCl 60 mL/min or more; check creatinine "
            f"(the label lowers the dose below 60). Full-function dose: {bands[0].text}.")
    return (_tuple_new(Reason, (text, "caution" if older_or_ckd else "info", drug.renal_source, drug.renal_source_ids,
                               "renal-unknown")), None)


_NO_ADJUSTMENT = "No adjustment: label maximum."
_NO_SINGLE_MAXIMUM = "No single daily maximum: dose by morphine milligram equivalents (CDC 2022)."


def _limit_of(caps: list, limit_label: float | None) -> tuple[float | None, str]:
    """The patient's limit and its reason: the lowest cap, or the label maximum."""
    if len(caps) == 1 and (limit_label is None or caps[0][0] < limit_label):
        return caps[0]  # one cap: its own text (the join below of one text)
    if caps and (limit_label is None or min(c for c, _ in caps) < limit_label):
        limit = min(c for c, _ in caps)
        return limit, " ".join(t for c, t in caps if c == limit)
    if limit_label is not None:
        return limit_label, _NO_ADJUSTMENT
    return None, _NO_SINGLE_MAXIMUM


def _used_despite_words(limit: float, limit_reason: str) -> str:
    """What a row rated avoid or worse adds when the patient's limit is not the label's."""
    return f" If used despite this: at most {_num(limit)} mg/day ({limit_reason})"


def _withheld_words(age: int | None) -> str:
    return f"Withheld: adult maxima do not apply at age {age}."


def _taken_label_words(drug: _Drug, facts: _Facts) -> str:
    """A row's name while the patient takes it now: "Oral corticosteroid taken now (prednisolone)"."""
    return f"{drug.taken_label} ({', '.join(g for g in facts.by_generic if g in drug.own)})"


def _row_total(doses) -> float | None:
    """The daily mg of one medicine from its products' doses (None when one is not known). One
    decimal from 1 mg up (drops a salt conversion's noise: naproxen sodium 1100 mg x 0.9091 is
    naproxen 1000 mg, not 1000.01 above a 1000 mg maximum); below 1 mg three significant figures,
    so a dose the floor accepts (0.01-0.04 mg) never reads as 0 and 0.25 never as 0.2 (red-team
    rt12 F15)."""
    if not doses or any(d is None for d in doses):
        return None
    total = math.fsum(doses)
    return round(total, 1) if total >= 1 else float(f"{total:.3g}")


def data_opioids() -> frozenset[str]:
    """The opioid class's members (classes.toml)."""
    return load_medicine_data().class_members.get("opioid", frozenset())


def _current_use(plan: _RowPlan, facts: _Facts, reasons: list, limit: float | None, limit_label: float | None,
                 limit_reason: str, label_source: str) -> tuple[tuple[str, ...], float | None, bool, int]:
    """The part of a row for a patient who takes its medicine now: the names taken, their
    daily dose, whether it is over the limit, and the rank of the reasons it adds to ``reasons``
    (combination products, a dose above a course or a maximum)."""
    drug = plan.drug
    own = drug.own
    current_dose = None
    combo_names: list[str] = []
    extra_rank = 0
    found: list[str] = []
    doses: list[float | None] = []
    by_generic: dict[str, list[float | None]] = {}  # the row's own generics taken, in the order recorded
    for g in facts.by_generic:  # in the order recorded, never a set's (rt17 F10: the names' order
        if g not in own:          # changed with PYTHONHASHSEED from one run to the next)
            continue
        for n in facts.by_generic[g]:
            if n not in found:
                found.append(n)
        doses.extend(facts.doses.get(g, ()))
        by_generic[g] = list(facts.doses.get(g, ()))
        combo_names.extend(n for n in facts.combos.get(g, ()) if n not in combo_names)
    names = tuple(found)
    # the milligrams of one active ingredient add up; those of two (codeine and oxycodone on the
    # opioid row, prednisone and prednisolone) never do: "taking 280 mg/day" beside 96 MME was
    # codeine 240 mg plus oxycodone 40 mg (gp17 F6). A row holding several is given per medicine,
    # and each is checked against the row's limit on its own.
    check_dose, check_words = None, ""
    if len(by_generic) > 1:
        each = {g: _row_total(d) for g, d in by_generic.items()}
        known = {g: t for g, t in each.items() if t is not None}
        if known:
            g_max = max(known, key=lambda g: known[g])
            check_dose, check_words = known[g_max], f" of {g_max}"
            mme = "" if facts.mme is None or not (own & data_opioids()) else \
                f"; together {_num(facts.mme)} MME/day (morphine milligram equivalents)"
            reasons.append(Reason(
                "Different medicines, each with its own dose (their milligrams are not added up): "
                + ", ".join(f"{g} {_num(t)} mg/day" if t is not None else f"{g} dose not known"
                            for g, t in each.items()) + mme + ".",
                "info", load_medicine_data().mme_source if mme else (label_source or drug.default_max_source
                                                                          or drug.seed_source),
                (), "doses-per-medicine"))
    elif doses and all(d is not None for d in doses):
        current_dose = check_dose = _row_total(doses)
    from_name = [facts.readings[n] for n in names if n not in combo_names and n in facts.readings
                 and facts.readings[n].read and facts.readings[n].from_name]
    if from_name:
        # no dose recorded: the regimen written in the name is the daily dose counted (cmb17)
        reasons.append(Reason(
            "Dose read from the name: " + "; ".join(r.text for r in from_name) + ".", "info",
            "; ".join(x for x in (load_medicine_data().name_reading.source, label_source) if x), (),
            "dose-read-from-name"))
    if combo_names:
        read = [facts.readings[n] for n in combo_names if n in facts.readings and facts.readings[n].read]
        unread = [n for n in combo_names if not (n in facts.readings and facts.readings[n].read)]
        if read:
            # the components are known: they are in this row's daily total (G17)
            reasons.append(Reason(
                "Combination product counted in the daily total: "
                + "; ".join(r.text for r in read) + ".", "info",
                "; ".join(x for x in (load_medicine_data().combination_source, label_source) if x), (),
                "combination-product-read"))
        if unread:
            why = "; ".join(facts.readings[n].text for n in unread if n in facts.readings)
            reasons.append(Reason(
                f"Taking {', '.join(unread)} (combination product): "
                + (f"{why}: the daily total for this row could not be checked; check the dose and count it "
                   "toward the maximum." if why else
                   "the dose of each component is not recorded, so the daily total for this row could not be "
                   "checked; count it toward the maximum."),
                "caution", label_source or drug.seed_source, (), "combination-product"))
            extra_rank = _CAUTION_RANK
    over = False
    if (check_dose is not None and limit is not None and check_dose > limit and drug.course_max
            and limit == drug.default_max):
        # a course's first-day dose is no maximum for a steroid taken now for another illness:
        # the prednisone label gives an initial 5-60 mg a day and no maximum (med11 noticed)
        reasons.append(Reason(
            f"Current dose {_num(check_dose)} mg/day{check_words} is above the studied sciatica course ({limit_reason}): "
            "check the indication; a steroid taken for another illness is not lowered to the course dose, and "
            "any change is made step by step by its prescriber.", "caution", drug.default_max_source, (),
            "above-course-dose"))
        extra_rank = max(extra_rank, _CAUTION_RANK)
    elif check_dose is not None and limit is not None and check_dose > limit:
        slip = load_medicine_data().slip_check
        if slip is not None and limit_label is not None and check_dose > slip[0] * limit_label:
            # far above the label maximum: a likely typing or unit slip (gp18 F9, ibuprofen 16 g a
            # day). _dose_checks asks about it ("check the dose") on this row; it is never worded
            # as a dose to lower to the maximum
            pass
        elif limit_label is not None and check_dose > limit_label:
            # above the label maximum: "Reduce dose", as every medicine's own label maximum is
            # (codeine above 240/360 mg), never "Avoid" for one and "Reduce dose" for another
            # (gp18 F9): the labels say not to exceed the maximum, so the dose is lowered to it;
            # a reason to avoid the medicine itself (a rule, the guideline) still rates the row
            over = True
            lower = "" if limit >= limit_label else \
                f"; this patient's adjusted maximum is {_num(limit)} mg/day ({limit_reason.rstrip('.')})"
            reasons.append(Reason(  # an opioid's alert says "step by step" (medicine_alerts)
                f"Reduce dose: current dose {_num(check_dose)} mg/day{check_words} is above the label maximum of "
                f"{_num(limit_label)} mg/day{lower}.", "reduce_dose", label_source, (), "over-label-max"))
            extra_rank = max(extra_rank, _REDUCE_RANK)
        else:
            over = True
            reasons.append(Reason(
                f"Reduce dose: current dose {_num(check_dose)} mg/day{check_words} is above this patient's adjusted "
                f"maximum of {_num(limit)} mg/day ({limit_reason})", "reduce_dose",
                label_source or drug.default_max_source, (), "over-adjusted-max"))
            extra_rank = max(extra_rank, _REDUCE_RANK)
    return names, current_dose, over, extra_rank


def _not_recognised_reason(drug: _Drug, facts: _Facts) -> Reason:
    """A row about other current medicines when one of them is not recognised."""
    return _tuple_new(Reason, (  # every field given: no call of the named tuple's __new__ (issue 17)
        f"Not fully checked: {facts.unrecognised_text} not recognised, so its interactions with "
        f"{drug.label.lower()} were not checked. Enter the generic name, or check the interactions by hand.",
        "not_fully_checked", "Medicine list of this app (resources/medicines): the name is not in it", (),
        "not-recognised"))


def _assess_row(plan: _RowPlan, facts: _Facts, rule_reasons=None) -> MedicationRow:
    """One row of the table, the reference the generated whole-row functions
    (:func:`_compiled_rules`, ``table``) are tested against. ``rule_reasons(facts)`` gives
    the rule part (reasons, rank, caps): the drug's compiled rule function, or by default
    the reference loop :func:`_rule_reasons_loop`."""
    drug = plan.drug
    own = drug.own
    if rule_reasons is None:
        reasons, rank, caps = _rule_reasons_loop(plan, facts)
    else:
        reasons, rank, caps = rule_reasons(facts)

    adjusted_range = None
    if drug.renal_bands:
        renal_reason, adjusted_range = _renal_part(plan, facts, caps)
        reasons.append(renal_reason)
        if _RANK[renal_reason.severity] > rank:
            rank = _RANK[renal_reason.severity]
    position = None
    guideline = facts.not_offered.get(drug.treatment_code)
    if guideline is not None:
        reasons.append(guideline[0])
        position = guideline[1]
        if _RANK[guideline[0].severity] > rank:
            rank = _RANK[guideline[0].severity]
    status_rank = rank
    if plan.default_cap is not None:
        caps.append(plan.default_cap)
    limit_label, label_source, label_note, label_max_words = plan.limits_worded.get(facts.profile,
                                                                                  plan.label_limit_worded)
    # The patient's limit: the lowest cap, or the label maximum. It is shown as the
    # adjusted maximum unless the medicine should be avoided; a current dose is always
    # checked against it.
    limit, limit_reason = _limit_of(caps, limit_label)
    if status_rank >= _AVOID_RANK:
        adjusted = None
        adjustment_reason = _NOT_RECOMMENDED_WORDS[status_rank] + label_max_words
        if limit is not None and limit != limit_label:
            adjustment_reason += _used_despite_words(limit, limit_reason)
    else:
        adjusted, adjustment_reason = limit, limit_reason

    # current use
    if facts.by_generic and not own.isdisjoint(facts.by_generic):
        taking = True
        names, current_dose, over, extra_rank = _current_use(plan, facts, reasons, limit, limit_label,
                                                             limit_reason, label_source)
    else:
        taking, names, current_dose, over, extra_rank = False, (), None, False, 0
    if facts.minor_reason is not None:
        reasons.append(facts.minor_reason)
        extra_rank = max(extra_rank, _CAUTION_RANK)
        adjusted, adjusted_range = None, None
        adjustment_reason = _withheld_words(facts.age)
    fully_checked = True
    if facts.unrecognised and plan.interaction_dependent:
        fully_checked = False
        reasons.append(_not_recognised_reason(drug, facts))
        extra_rank = max(extra_rank, _NOT_CHECKED_RANK)
    if extra_rank > status_rank:
        status_rank = extra_rank
    if len(reasons) > 1:
        reasons.sort(key=_reason_order)  # most serious first; equal severities keep their order
    # every field, in field order, made straight from the tuple (what MedicationRow(*values)
    # makes, without its Python __new__; tests check the count and order)
    label = _taken_label_words(drug, facts) if taking and drug.taken_label else drug.label
    return _tuple_new(MedicationRow, (
        drug.id, label, drug.drug_class, drug.class_label, drug.treatment_code, _STATUS_OF_RANK[status_rank],
        tuple(reasons), drug.seed_dose, drug.seed, drug.seed_source, drug.usual_dose_range, adjusted_range,
        limit_label, label_note, adjusted, adjustment_reason, taking, names, current_dose, over,
        drug.duration_note, facts.mme if plan.opioid and taking else None, fully_checked,
        position, limit,
    ))


_NEGATIVE_RANK = {severity: -rank for severity, rank in _RANK.items()}


def _reason_order(reason: Reason) -> int:
    return _NEGATIVE_RANK[reason.severity]


def _interactions(facts: _Facts, data: MedicineData) -> tuple[Interaction, ...]:
    if len(facts.current) < 2:
        return ()
    out: list[Interaction] = []
    present = facts.class_set  # every class and generic among the current medicines
    by_first_side = _interaction_index(data)
    # only a rule with a current medicine on its first side can match (the loop below would
    # find its first side empty); in file order
    numbers = sorted({n for item in present for n in by_first_side.get(item, ())})
    rules = data.interactions
    for n in numbers:
        rule = rules[n]
        for side in rule.sides:
            if present.isdisjoint(side):
                break  # a side with no current medicine: no interaction (the loop below would say so too)
        else:
            side = None
        if side is not None:
            continue
        side_names: list[list[str]] = []
        for side in rule.sides:
            hits: list[str] = []
            for item in side:
                for name, _g in facts.by_class.get(item, ()):
                    if name not in hits:
                        hits.append(name)
                for name in facts.by_generic.get(item, ()):
                    if name not in hits:
                        hits.append(name)
            if not hits:
                break
            side_names.append(hits)
        else:
            involved: list[str] = []
            for hits in side_names:
                pick = next((n for n in hits if n not in involved), None)
                if pick is None:
                    break
                involved.append(pick)
            else:
                everyone = [n for hits in side_names for n in hits]
                names = tuple(dict.fromkeys(everyone))
                if rule.combination and not any(len(m.generics) > 1 for m in facts.current if m.name in names):
                    continue
                generics = _side_generics(rule, facts)
                if rule.ingredients == "one" and len(generics) > 1:
                    # dose36 (H-MED-736): ibuprofen, Nurofen and naproxen are two NSAIDs ("several": stop one) AND
                    # ibuprofen entered twice; the rule of one medicine entered twice was left out because the medicines
                    # matched held two ingredients, so "ibuprofen entered twice" (which entry is current?) was never said
                    out.extend(_same_medicine_twice(rule, names, generics, facts))
                    continue
                if (rule.ingredients == "several") != (len(generics) > 1) and rule.ingredients:
                    continue
                text, source = dict(rule.in_profile).get(facts.profile, (rule.text, rule.source))
                # three NSAIDs: "stop all but one", not "Two ...; stop one"; counted by medicine for a rule about
                # different ones (fhirnsaid35: ibuprofen, Nurofen and naproxen are two NSAIDs, not "more than two")
                counted = len(generics) if rule.ingredients == "several" else len(names)
                if rule.text_several and counted > len(rule.sides):
                    text = rule.text_several
                kept: tuple[str, ...] = ()
                if rule.keep:
                    review = {n for k, hits in enumerate(side_names, 1) if k not in rule.keep for n in hits}
                    kept = tuple(n for k, hits in enumerate(side_names, 1) if k in rule.keep
                                 for n in hits if n not in review)
                out.append(Interaction(rule.id, names, rule.severity, _interaction_text(text, generics, facts), source,
                                       kept, rule.keep_why if kept else ""))
    out.sort(key=lambda i: -_RANK[i.severity])
    if len(out) > 1:
        out = _one_line_per_pair(_one_rule_per_hazard(out, data), data)
    return tuple(out)


def _same_medicine_twice(rule: _InteractionRule, names: tuple[str, ...], generics: tuple[str, ...],
                         facts: _Facts) -> list[Interaction]:
    """dose36 (H-MED-736): a rule of one medicine entered twice (``ingredients = "one"``) said of each of ``generics``
    that two or more of ``names`` hold (ibuprofen and Nurofen beside naproxen: ibuprofen), with those entries only; none
    when no ingredient is held by two entries."""
    out = []
    for g in generics:
        held = tuple(n for n in names if n in facts.by_generic.get(g, ()))
        if len(held) < 2:
            continue
        if rule.combination and not any(len(m.generics) > 1 for m in facts.current if m.name in held):
            continue
        text, source = dict(rule.in_profile).get(facts.profile, (rule.text, rule.source))
        if rule.text_several and len(held) > len(rule.sides):
            text = rule.text_several
        out.append(Interaction(rule.id, held, rule.severity, _interaction_text(text, (g,), facts), source, (), ""))
    return out


def _one_line_per_pair(found: list[Interaction], data: MedicineData) -> list[Interaction]:
    """fold33 (H-MED-699): the same medicines matched by two rules of no common hazard (tramadol with phenelzine:
    "Tramadol with an MAO inhibitor" Contraindicated and "Opioid with an MAO inhibitor" Avoid) are one line, at the
    stronger rating, with both reasons and both rules' sources; a medicine either rule keeps (not to stop without its
    prescriber) is kept. ``found`` is strongest first; rules about other medicines are left apart."""
    out: list[Interaction] = []
    for inter in found:
        same = next((i for i, k in enumerate(out) if set(k.medicines) == set(inter.medicines)), None)
        if same is None:
            out.append(inter)
            continue
        k = out[same]
        kept = tuple(n for n in k.medicines if n in k.kept or n in inter.kept)
        out[same] = k._replace(
            text=k.text if inter.text in k.text else f"{k.text} {inter.text}",
            source="; ".join(dict.fromkeys((*_citations(k.source, data), *_citations(inter.source, data)))),
            kept=kept, keep_why=" ".join(dict.fromkeys(w for w in (k.keep_why, inter.keep_why) if w)) if kept else "")
    return out


def _citations(source: str, data: MedicineData) -> list[str]:
    """The citations a rule's "; "-joined source is made of (sources.toml texts), in order; the whole text as one
    when it is not made of them alone."""
    found = sorted({t for t in data.sources.values() if t and t in source}, key=source.index)
    return found if "; ".join(found) == source else [source]


def _one_rule_per_hazard(found: list[Interaction], data: MedicineData) -> list[Interaction]:
    """pairs (H-UI-440): the same medicines rated by two rules that warn of one hazard are said by the
    stronger only (aspirin 900 mg qds with apixaban: "NSAID with an anticoagulant" Avoid, not beside it
    "Antiplatelet with an anticoagulant" Caution, the same bleeding listed twice at two ratings). A rule
    without a hazard, or of another hazard, or about other medicines, is kept: it says something else.
    ``found`` is strongest first."""
    hazards = {r.id: r.hazard for r in data.interactions if r.hazard}
    if not hazards:
        return found
    kept: list[Interaction] = []
    for inter in found:
        hazard = hazards.get(inter.rule)
        if hazard and any(hazards.get(k.rule) == hazard and set(k.medicines) == set(inter.medicines)
                          and _RANK[k.severity] > _RANK[inter.severity] for k in kept):
            continue
        kept.append(inter)
    return kept


def _side_generics(rule: _InteractionRule, facts: _Facts) -> tuple[str, ...]:
    """The active ingredients of the current medicines an interaction's sides match, in the
    order recorded: a class's members taken and the generics named."""
    found: dict[str, None] = {}
    for side in rule.sides:
        for item in side:
            for _name, g in facts.by_class.get(item, ()):
                found.setdefault(g)
            if item in facts.by_generic:
                found.setdefault(item)
    order = list(facts.by_generic)
    return tuple(sorted(found, key=lambda g: order.index(g) if g in order else len(order)))


def _interaction_text(text: str, generics: Sequence[str], facts: _Facts) -> str:
    """An interaction's text with ``{generics}`` and ``{mme}`` filled in."""
    if "{" not in text:
        return text
    if len(generics) > 1:
        named = ", ".join(generics[:-1]) + " and " + generics[-1]
    else:
        named = "".join(generics)
    if facts.mme is not None:
        mme = f"{_num(facts.mme)} MME/day"
    elif facts.mme_to_check:
        # opioidnum (H-MED-611): a total that counts a dose to check is never said as settled
        mme = facts.mme_provisional
    elif facts.mme_without_factor:
        # rt19 F7: no factor to multiply by; recording a dose would not help, so it is not asked for
        without = " and ".join(facts.mme_without_factor)
        mme = f"a total MME that is not computed ({without} has no MME conversion factor in the CDC 2022 table)"
    else:
        mme = ("a total MME that cannot be worked out (a daily dose is not recorded or cannot be read: record each "
               "opioid's daily dose)")
    return text.replace("{generics}", named).replace("{mme}", mme)


def _interaction_index(data: MedicineData) -> dict[str, tuple[int, ...]]:
    """Class or generic -> the numbers of the interaction rules with it on their first side
    (made once per loaded data)."""
    index = data.__dict__.get("_interaction_index")
    if index is None:
        found: dict[str, list[int]] = {}
        for n, rule in enumerate(data.interactions):
            for item in rule.sides[0]:
                found.setdefault(item, []).append(n)
        index = data.__dict__["_interaction_index"] = {k: tuple(v) for k, v in found.items()}
    return index


def assess_medications(intake: Intake, as_of: dt.date,
                       creatinine_clearance_override: float | None = None, profile: str = "us",
                       memo: MedicineMemo | None = None) -> MedicationReport:
    """The medication-safety table for ``intake`` on ``as_of`` (pure; no file I/O after first load).

    ``profile`` (``us`` or ``uk``) picks the maxima a profile sets (ibuprofen: BNF 2.4 g/day
    under ``uk``, the US prescription label 3.2 g/day under ``us``) and the guideline position
    each row takes (NICE NG59 "do not offer" under ``uk``)."""
    data = load_medicine_data()
    facts = _facts(intake, as_of, creatinine_clearance_override, data, profile, memo)
    # the dose checks first (they read the recorded doses alone): an opioid dose to check is then taken out
    # of the MME total before any rule or text reads it (opioidnum, H-MED-611)
    checks = (_dose_checks(facts, data) if facts.readings or facts.injected_opioids
              or not data.dose_limits.keys().isdisjoint(facts.doses)
              or (data.slip_check is not None and not _row_label_limits(data).keys().isdisjoint(facts.doses))
              else ())
    if data.far_below and not data.far_below.keys().isdisjoint(facts.doses):
        checks = (*checks, *_far_below_checks(facts, data))
    if data.patch_strengths and not data.patch_strengths.keys().isdisjoint(facts.by_generic):
        checks = (*checks, *_patch_strength_checks(facts, data))
    if data.patch_intervals and not data.patch_intervals.keys().isdisjoint(facts.by_generic):
        checks = (*checks, *_patch_interval_checks(facts, data))
    if checks and facts.mme_parts:
        _mme_provisional(facts, checks)
    compiled = _compiled_rules(data)
    facts.patient_reasons = compiled.patient(facts)
    rows = compiled.table(facts)  # each row as _assess_row makes it, by the generated whole-row functions
    notes = _current_notes(facts, data)
    if data.dose_unchecked_classes and not data.dose_unchecked_classes.isdisjoint(facts.by_class):
        notes = (*notes, *_dose_not_checked_notes(facts, data))
    if checks:
        rows, notes = _with_dose_checks(rows, notes, checks, data)
    if notes and data.on_row_notes:
        rows, notes = _notes_on_rows(rows, notes, data.on_row_notes)
    if facts.mme_floor:
        rows = _mme_beside_dose_to_lower(rows)
    if checks:  # after the maximum an avoid rating withheld is given back (_mme_beside_dose_to_lower)
        rows = _with_product_limits(rows, checks)
        checks = _without_checks_a_product_limit_says(checks)
    interactions = _interactions(facts, data)
    names = data.profile_names.get(profile)  # data.names_for(profile), None when it renames nothing
    if names:
        names = names.keeping([m.name for m in facts.current])
        rows, interactions, notes, checks = _in_profile_names(names, rows, interactions, notes, checks)
    else:
        names = None
    return MedicationReport(
        as_of=as_of, crcl=facts.renal.crcl, renal_basis=facts.renal.basis, renal=facts.renal, rows=rows,
        interactions=interactions, current_medicines=facts.current, current_daily_mme=facts.mme,
        mme_to_check=facts.mme_to_check, mme_provisional=facts.mme_provisional, label_maxima=facts.label_maxima,
        content_version=data.content_version, current_notes=notes, dose_checks=checks, profile_names=names,
        dose_classed=tuple(dict.fromkeys((name, dc.cls) for dc in data.dose_classes.values()
                                         for name, _g in facts.by_class.get(dc.above_class, ()))),
    )


def _in_profile_names(names: ProfileNames, rows: tuple, interactions: tuple, notes: tuple, checks: tuple) -> tuple:
    """The medicine table's ``rows``, ``interactions``, current-medicine ``notes`` and dose
    ``checks`` with every text a clinician reads in the profile's names (uk: paracetamol; gp16
    F7): row labels, dose ranges and notes, reasons, interactions, notes and dose checks. Machine
    keys (row ``drug``, ``drug_class``, a check's ``generic``, rule ids) and the names the
    medicines were recorded under are kept. An item none of whose texts names a renamed generic
    is kept as it is (one search in C over its texts; issue 17)."""
    t = names.text
    mention = names._mention
    join = "\n".join
    new = _tuple_new

    def renamed(r):
        # every field in field order, each text renamed: what ``r._replace(label=t(r.label), ...,
        # reasons=...)`` gives, made from the tuple without the named tuple's Python (issue 17, asm23;
        # tests/domain/test_profile_names_pass.py holds it to the _replace reference)
        return new(MedicationRow, (
            r[0], t(r[1]), r[2], t(r[3]), r[4], r[5],
            tuple([new(Reason, (t(x[0]), *x[1:])) if mention(x[0]) else x for x in r[6]]),
            r[7], r[8], r[9], t(r[10]), t(r[11]), r[12], t(r[13]), r[14], t(r[15]), r[16], r[17], r[18], r[19],
            t(r[20]), *r[21:]))

    # a row's texts joined (the empty ones left out) and searched once; a renamed word holds no
    # newline. One renamed word (uk): its tail tested in place, no call per row
    tails = names._tails
    if len(tails) == 1:
        tail = tails[0]
        rows = tuple([renamed(r) if tail in join(filter(None, (
            r.label, r.class_label, r.usual_dose_range, r.adjusted_dose_range, r.label_max_note, r.adjustment_reason,
            r.duration_note, *map(_REASON_TEXT, r.reasons)))) else r for r in rows])
    else:
        rows = tuple([renamed(r) if mention(join(filter(None, (
            r.label, r.class_label, r.usual_dose_range, r.adjusted_dose_range, r.label_max_note, r.adjustment_reason,
            r.duration_note, *map(_REASON_TEXT, r.reasons))))) else r for r in rows])
    # (an empty tuple is given back as it is: no list to build for none)
    return (rows,
            tuple([i._replace(text=t(i.text)) if mention(i.text) else i for i in interactions]) if interactions else (),
            tuple([n._replace(text=t(n.text)) if mention(n.text) else n for n in notes]) if notes else (),
            tuple([c._replace(text=t(c.text)) if mention(c.text) else c for c in checks]) if checks else ())


#: a :class:`Reason`'s text, read in C
_REASON_TEXT = itemgetter(0)


def _row_label_limits(data: MedicineData) -> dict[str, tuple[float, str, Mapping[str, tuple[float, str, str | None]]]]:
    """generic -> (label maximum, source, profile maxima) of each row that doses one medicine
    (acetaminophen 4000 mg, tramadol 400 mg, ibuprofen 3200 / uk 2400 mg), made once per data."""
    table = data.__dict__.get("_row_label_limits")
    if table is None:
        table = data.__dict__["_row_label_limits"] = {
            next(iter(d.own)): (d.label_max, d.label_max_source, d.profile_max)
            for d in data.drugs if len(d.own) == 1 and d.label_max is not None}
    return table


def _dose_checks(facts: _Facts, data: MedicineData) -> tuple[DoseCheck, ...]:
    """The current medicines above their own daily limit (drugs.toml ``[dose_checks]``): per
    medicine, the recorded daily doses of every product holding it added up: single-ingredient
    products, and combination products whose recorded dose was turned into components
    (:class:`ComboReading`). A medicine a combination product holds is also checked against its
    row's label maximum (paracetamol 4000 mg from paracetamol and co-codamol together), which
    the row alone words without naming the product. A product whose dose is not recorded is not
    counted; a combination product whose recorded dose cannot be turned into components is a
    "check the dose" of its own (kind "unread"). At the limit: none."""
    out = []
    row_limits = _row_label_limits(data)
    slip = data.slip_check
    for generic, doses in facts.doses.items():
        found = data.dose_limits.get(generic)
        if found is not None and not found.applies(facts.profile):
            found = None  # a maximum of another profile's source (nsaiddose): "dose not checked" says so
        combos_read = [n for n in facts.combos.get(generic, ()) if n in facts.readings and facts.readings[n].read]
        row_only = False  # the row words its own dose above the maximum: only a slip is checked here
        if found is None:
            if generic not in row_limits or not (combos_read or slip):
                continue
            label, label_src, profile_max = row_limits[generic]
            mg, src, _note = profile_max.get(facts.profile, (label, label_src, None))
            found = _DoseLimit(mg, "label_max", src, "label maximum", {})
            row_only = not combos_read
        counted_names = None
        if found.by_mouth:
            # nsaiddose (H-MED-459): a product given by injection, by another route or in a form whose
            # maximum differs is not counted against a maximum by mouth ("dose not checked" says it)
            kept = [(n, d) for n, d in zip(facts.by_generic[generic], doses) if not found.route_of(n, data)]
            counted_names = {n for n, _d in kept}
            doses = [d for _n, d in kept]
        recorded = [d for d in doses if d is not None]
        counted = tuple(dict.fromkeys(n for n in facts.by_generic[generic]
                                      if counted_names is None or n in counted_names))
        if not recorded:
            if found.kind == "label_max" and not row_only and counted:  # step3dose34: a maximum, no dose to check
                facts.label_maxima = (*facts.label_maxima,
                                      LabelMaxChecked(generic, counted, None, *found.for_profile(facts.profile)))
            continue
        total = math.fsum(recorded)
        total = round(total, 1) if total >= 1 else float(f"{total:.3g}")
        limit, source = found.for_profile(facts.profile)
        if found.kind == "label_max" and not row_only:
            # step3dose34 (H-MED-704): what was checked, above the maximum or not (the pathway says it)
            facts.label_maxima = (*facts.label_maxima, LabelMaxChecked(generic, counted, total, limit, source))
        if found.kind == "weekly":
            # mtx (H-MED-496): taken once a week (methotrexate): a daily dose of any size, recorded or read from a
            # daily frequency in the name, is the known fatal error, asked about whatever the mg; a name written
            # weekly gives no daily dose, so it never reaches here
            if total <= 0:
                continue
            names = tuple(dict.fromkeys(n for n, d in zip(facts.by_generic[generic], doses) if d))
            out.append(DoseCheck(generic, names, total, 0.0, "check", (
                f"Check the dose: {', '.join(names)} is written as {_num(total)} mg a day: {found.reason}. Until it is "
                "confirmed no handout says to keep taking it."), source, "check-dose", "weekly"))
            continue
        if total <= limit:
            continue
        slipped = found.kind == "label_max" and slip is not None and total > slip[0] * limit
        if row_only and not slipped:
            continue
        combos = facts.combos.get(generic, ())
        names = tuple(dict.fromkeys(n for n in facts.by_generic[generic] if (n not in combos or n in combos_read)
                                    and (counted_names is None or n in counted_names)))
        named = ", ".join(names)
        # a name that already says the dose ("paracetamol 16000 mg/day") is not followed by it again
        # ("paracetamol 16000 mg/day 16000 mg/day": GP tryout 31 D12; dialog31, H-UI-517)
        said = f" {_num(total)} mg/day" if not _says_dose(named, total) else ""
        how = ""
        if combos_read:
            how = " (" + "; ".join(facts.readings[n].text for n in dict.fromkeys(combos_read)) + ")"
        if slipped:
            # far above the label maximum (gp18 F9: ibuprofen 4000 mg qds, 16 g a day): asked
            # about as a likely typing or unit slip, never taken at face value as a dose to lower
            bound = round(slip[0] * limit, 1)
            out.append(DoseCheck(generic, names, total, bound, "check", (
                f"Check the dose: {named}{said}{how} is {_times(total / limit)} the label maximum of "
                f"{_num(limit)} mg of {generic} a day (checked above {_num(bound)} mg/day: {slip[1]}). A typing or "
                "unit slip? Confirm the dose with the prescriber today; if it is really taken, it is far above the "
                "maximum and needs review now. Until then no handout says to keep taking it."),
                source, "check-dose", "slip"))
            continue
        if found.kind == "label_max":
            lower = ("lower it step by step, never stop it abruptly" if generic in data.class_members.get("opioid", ())
                     else "bring it down to the maximum")
            text = (f"Reduce dose: {named}{said} of {generic}{how} is above the label maximum of "
                    f"{_num(limit)} mg of {generic} a day from all products together: {lower}." if combos_read else
                    f"Reduce dose: {named}{said} is above the label maximum of {_num(limit)} mg of "
                    f"{generic} a day: {lower}.")
            rule = "over-label-max"
        else:
            text = (f"Check the dose: {named} {_num(total)} mg/day{how} is far above any usual dose of {generic} "
                    f"(checked above {_num(limit)} mg/day: {found.reason}; no label maximum). A typing or unit "
                    "slip? Confirm the dose with the prescriber before any handout says to keep taking it.")
            rule = "check-dose"
        out.append(DoseCheck(generic, names, total, limit, found.kind, text, source, rule,
                             "far_above" if rule == "check-dose" else ""))
    own_max = []
    for reading in facts.readings.values():
        if not reading.over_product_max:
            continue
        # the product label's own maximum, lower than its components' (Ultracet: 8 tablets =
        # tramadol 300 mg, below tramadol's 400): checked against the opioid component, first
        # so the sheet words the lower limit (H-MED-224)
        generic = next((g for g, _mg in reading.strengths if g in data.class_members.get("opioid", ())),
                       reading.strengths[0][0])
        mg = dict(reading.components)[generic]
        per_tablet = dict(reading.strengths)[generic]
        limit = round(per_tablet * reading.max_tablets, 3)
        at_most = ", ".join(reading.amount(g, m * reading.max_tablets) for g, m in reading.strengths)
        row_max = row_limits.get(generic) if row_limits else None
        lower = (f", lower than the {_num(row_max[2].get(facts.profile, (row_max[0],))[0])} mg of {generic} a day "
                 f"allowed from {generic} alone" if row_max else "")
        own_max.append(DoseCheck(generic, (reading.name,), mg, limit, "label_max", (
            # nxd36 (H-MED-761): a count read from the name is said by the name and the reading already ("zaldiar 9
            # tablets a day 9 tablets a day (zaldiar 9 tablets a day: ...)"); said once, in the reading
            f"Reduce dose: {reading.name}{'' if reading.from_name else f' {_num(reading.tablets)} tablets a day'} "
            f"({reading.text}) is above the "
            f"product's own label maximum of {_num(reading.max_tablets)} tablets a day ({at_most}){lower}: this "
            f"product's limit applies. Lower it step by step, never stop it abruptly."),
            reading.max_source, "over-product-max"))
    out[:0] = own_max
    for reading in facts.readings.values():
        if reading.read:
            continue
        generics = data.resolve(reading.name)[0]
        row_limits = _row_label_limits(data)
        cited = [data.dose_limits[g].for_profile(facts.profile)[1] if g in data.dose_limits else
                 row_limits[g][1] if g in row_limits else "" for g in generics]
        # each rule cites its own source (fx17): the regimen reading for a name's regimen, the
        # combination products' sources only for a combination
        how = [data.name_reading.source] if reading.from_name else []
        if len(generics) > 1:
            how.append(data.combination_source)
        source = "; ".join(dict.fromkeys(x for x in (*how, *cited) if x))
        once_weekly = [g for g in generics if g in data.dose_limits and data.dose_limits[g].kind == "weekly"]
        if reading.from_name and once_weekly:
            # avoid2 (H-MED-634): a once-weekly medicine (methotrexate: no daily maximum here) written as needed or
            # on more than one day a week: what is needed is the day, never a daily dose to check against a maximum
            # (mhra-methotrexate-weekly: the prescriber notes the day of the week on the prescription)
            text = (f"Check the dose: {_once_weekly_problem(reading.text)}. Confirm with the prescriber that "
                    f"{' and '.join(once_weekly)} is taken once a week, on one named day, and write that day in the "
                    "name (e.g. \"15mg once a week on Mondays\"); until then no handout says to keep taking it.")
        elif reading.from_name:  # the problem already says what to type (cmb17)
            text = (f"Check the dose: {reading.text}, so that {' and '.join(generics)} "
                    f"{'is' if len(generics) == 1 else 'are'} checked against the maximum; until then no handout "
                    "says to keep taking it.")
            if reading.either_way:
                above, verdict = _either_way_checks(reading, facts, data)
                out.extend(above)
                text = f"{text} {verdict}" if verdict else text
        else:
            text = (f"Check the dose: {reading.text}. Record the strength in the name (e.g. 30/500) and the daily mg "
                    f"of one component, so each ({', '.join(generics)}) is checked against its maximum; until then "
                    "no handout says to keep taking it.")
        out.append(DoseCheck(reading.name, (reading.name,), reading.recorded_mg, 0.0,
                             "name" if reading.from_name else "unread", text, source, "check-dose"))
    for reading in facts.readings.values():
        if not reading.conflict:
            continue
        # the regimen written in the name and the recorded dose disagree (cmb17): the recorded
        # dose is counted, and the clinician is asked which is right
        combo = len(data.resolve(reading.name)[0]) > 1
        source = "; ".join(dict.fromkeys(x for x in (data.name_reading.source, data.combination_source if combo else "")
                                         if x))
        out.append(DoseCheck(reading.name, (reading.name,), reading.recorded_mg, 0.0, "name", (
            f"Check the dose: {reading.conflict}. Correct the name or the dose so they agree; until then no "
            "handout says to keep taking it."), source, "check-dose"))
    asked = {c.medicines[0] for c in out if c.rule == "check-dose" and c.kind == "name"}
    for name, generic, mg in facts.injected_opioids:
        if name in asked:
            continue
        # route27 (H-MED-455): "morphine 10mg sc" with 40 typed in the dose field: the CDC MME factors (and the
        # label maxima) are for the medicine by mouth, so the dose is not counted in the MME total; asked about
        route = data.not_by_mouth(name) or "given by injection"
        injection = route.startswith("given by injection")
        out.append(DoseCheck(generic, (name,), mg, 0.0, "name", (
            f"Check the dose: {name} {_num(mg)} mg/day is {'given by injection' if injection else route}, and the MME "
            "this tool counts and the daily maximum are for the medicine by mouth, so it is not counted in the MME "
            f"total as oral morphine equivalents; check the dose {'by injection ' if injection else ''}by hand. Until "
            "then no handout says to keep taking it."),
            "; ".join(dict.fromkeys(x for x in (data.mme_source, data.sources.get("cdc-mme-oral", "")) if x)),
            "check-dose", "injected"))
    return tuple(out)


def _days_reading(problem: str) -> tuple[str, float] | None:
    """nxd36 (H-MED-757): the "N tablets a day for M days" reading an "N x M" question names
    (:mod:`dose_in_name`: '"3 x 4/d" may be ..., or 3 tablets a day for 4 days; ...'), as its words and its
    tablets a day; None when the question names none, or names it without "a day" (N tablets in all?)."""
    m = re.search(r", or ((\S+) tablets? a day for \S+ days?);", problem or "")
    if m is None:
        return None
    try:
        return m.group(1), float(m.group(2))
    except ValueError:
        return None


def _either_way_checks(reading: ComboReading, facts: _Facts, data: MedicineData) -> tuple[list[DoseCheck], str]:
    """nxm (H-MED-675): an "N x M" written with no frequency ("co-codamol 30/500 3 x 4") is asked (which was meant?),
    and each of its readings (``reading.either_way``: N tablets M times a day, M tablets N times a day) is checked
    against each medicine's daily maximum as a read dose is (drugs.toml ``[dose_checks]``, a row's label maximum under
    the profile, a product's own maximum in tablets, the slip bound ``[dose_check_slip]``), with what the other
    products of that medicine add. Both orders give N x M tablets a day, so the two readings always share one verdict
    (the maxima held are daily; no maximum of one dose is held): a medicine above its maximum gets the dose check a
    read dose would ("Reduce dose", or "Check the dose" when far above the maximum or any usual dose), naming both
    readings and still asking which was meant. Returns those checks and the sentence the question ends with: which
    maxima it is above, and which it is within."""
    row_limits = _row_label_limits(data)
    slip = data.slip_check
    first = reading.either_way[0]
    ways = " or ".join(r.from_name for r in reading.either_way)
    either = "read either way" if len(reading.either_way) > 1 else "read as written"
    said = f"{reading.name} has no daily dose recorded, and \"{reading.from_name}\" {either} ({ways}) is"
    # nxd36: "3 x 4/d" names "3 tablets a day for 4 days" (dose36), asked as "3 x 4"'s "3 tablets for 4 days" is
    days = re.search(r", or (\S+ tablets?(?: a day)? for \S+ days?);", reading.problem)
    still = (f" Which was meant{f' (or {days.group(1)})' if days else ''} is still to be confirmed: write the number of "
             "tablets before how often they are taken, or type the daily dose in the dose field.")
    checks: list[DoseCheck] = []
    within: list[str] = []
    unchecked: list[str] = []
    if all(r.over_product_max for r in reading.either_way):
        # the product label's own maximum in tablets, lower than its components' (Ultracet: 8), as a read dose's
        opioid = next((g for g, _mg in first.strengths if g in data.class_members.get("opioid", ())),
                      first.strengths[0][0])
        at_most = ", ".join(first.amount(g, m * first.max_tablets) for g, m in first.strengths)
        checks.append(DoseCheck(opioid, (reading.name,), dict(first.components)[opioid],
                                round(dict(first.strengths)[opioid] * first.max_tablets, 3), "label_max", (
            f"Reduce dose: {said} {_num(first.tablets)} tablets a day ({first.parts_words} a day), above the product's "
            f"own label maximum of {_num(first.max_tablets)} tablets a day ({at_most}): this product's limit applies. "
            f"Lower it step by step, never stop it abruptly.{still}"),
            # sheets36 (H-MED-746): the product label's maximum is what supports it (the name's reading is said in the
            # text); the regimen-reading sources (the BNF frequency list ...) were quoted in full in every such alert
            first.max_source, "over-product-max"))
    for generic, _mg in first.components:
        found = data.dose_limits.get(generic)
        if found is not None and (not found.applies(facts.profile) or found.kind == "weekly"):
            continue  # no daily maximum under this profile ("dose not checked" says so), or taken once a week
        if found is None:
            if generic not in row_limits:
                continue
            label, label_src, profile_max = row_limits[generic]
            mg, src, _note = profile_max.get(facts.profile, (label, label_src, None))
            found = _DoseLimit(mg, "label_max", src, "label maximum", {})
        if found.route_of(reading.name, data):
            continue  # not by mouth: not counted against a maximum by mouth
        limit, source = found.for_profile(facts.profile)
        others = [(n, d) for n, d in zip(facts.by_generic.get(generic, ()), facts.doses.get(generic, ()))
                  if d is not None and n != reading.name and not found.route_of(n, data)]
        totals = [round(math.fsum((*(d for _n, d in others), dict(r.components)[generic])), 3) for r in reading.either_way]
        if not all(total > limit for total in totals):
            if found.kind == "label_max":
                within.append(f"{generic} {_num(limit)} mg")
            else:  # no label maximum: only a bound far above any usual dose is checked, never called a maximum
                unchecked.append(f"{generic} has no label maximum here (checked only above {_num(limit)} mg a day, far "
                                 "above any usual dose)")
            continue
        total = min(totals)
        with_others = (f"; with {', '.join(f'{n} {_num(d)} mg/day' for n, d in others)} also taken, "
                       f"{_num(total)} mg of {generic} a day in all" if others else "")
        what = (f"{said} {_num(first.tablets)} tablets a day = {_num(dict(first.components)[generic])} mg of {generic} "
                f"a day{with_others}")
        # sheets36 (H-MED-746): an alert cites the source that supports it: the maximum's (the label, the BNF); how the
        # name was read is said in its text and cited by the "Dose read from the name" reason and the check-dose note,
        # never quoted again in a Reduce dose alert (co-codamol 30/500 3 x 4 quoted the BNF frequency list)
        cited = source
        names = tuple(dict.fromkeys((reading.name, *(n for n, _d in others))))
        if found.kind == "label_max" and slip is not None and total > slip[0] * limit:
            bound = round(slip[0] * limit, 1)
            checks.append(DoseCheck(generic, names, total, bound, "check", (
                f"Check the dose: {what}, {_times(total / limit)} the label maximum of {_num(limit)} mg of {generic} a "
                f"day (checked above {_num(bound)} mg/day: {slip[1]}). A typing or unit slip? Confirm the dose with the "
                "prescriber today; if it is really taken, it is far above the maximum and needs review now. Until then "
                f"no handout says to keep taking it.{still}"), cited, "check-dose", "slip"))
        elif found.kind == "label_max":
            lower = ("lower it step by step, never stop it abruptly" if generic in data.class_members.get("opioid", ())
                     else "bring it down to the maximum")
            checks.append(DoseCheck(generic, names, total, limit, "label_max", (
                f"Reduce dose: {what}, above the label maximum of {_num(limit)} mg of {generic} a day: {lower}.{still}"),
                cited, "over-label-max"))
        else:
            checks.append(DoseCheck(generic, names, total, limit, found.kind, (
                f"Check the dose: {what}, far above any usual dose of {generic} (checked above {_num(limit)} mg/day: "
                f"{found.reason}; no label maximum). A typing or unit slip? Confirm the dose with the prescriber before "
                f"any handout says to keep taking it.{still}"), cited, "check-dose", "far_above"))
    # nxd36 (H-MED-757): the question also names "N tablets for M days", fewer tablets a day: the total is said of the
    # N x M readings only ("the first two readings are 12 tablets a day"), never of "either reading" it just listed three
    if days:
        way = over_way = "the first two readings are" if len(reading.either_way) > 1 else "the first reading is"
        lower = _days_reading(reading.problem)
        if lower is not None and first.tablets:
            share = lower[1] / first.tablets
            amounts = ", ".join(first.amount(g, round(mg * share, 3)) for g, mg in first.components)
            fewer = f"; the last, {days.group(1)}, is {_num(lower[1])} tablets a day ({amounts} a day)"
        else:
            fewer = f"; the last, {days.group(1)}, is fewer tablets a day"
    else:
        way, over_way = ("either reading is", "either way it is") if len(reading.either_way) > 1 else ("it is", "it is")
        fewer = ""
    parts = []
    if checks:
        above = [f"{reading.name}'s own maximum of {_num(first.max_tablets)} tablets" if c.rule == "over-product-max"
                 else c.generic for c in checks]
        parts.append(f"{over_way} {_num(first.tablets)} tablets a day, above the maximum of {' and '.join(above)} "
                     f"(said with its dose){fewer}")
        if within:
            parts.append(f"within the maximum: {', '.join(within)} a day")
    elif within or unchecked:
        parts.append(f"{way} {_num(first.tablets)} tablets a "
                     f"day ({first.parts_words} a day)" + (f", within the maximum ({', '.join(within)} a day)" if within
                                                           else "") + (f"{fewer}; which was meant" if fewer else ", but which was meant")
                     + " is still to be confirmed")
    parts.extend(unchecked)
    verdict = "; ".join(parts)
    return checks, (verdict[:1].upper() + verdict[1:] + ".") if verdict else ""


def dose_unsettled(check: DoseCheck, name: str, generic: str) -> bool:
    """opioidnum (H-MED-611): whether ``check`` makes the daily dose of ``generic`` in the recorded
    medicine ``name`` one to check, never a settled number: a "check the dose" (rule check-dose) about
    that medicine's ``generic`` (the tramadol of tramadol/paracetamol typed in grams), about the product
    as a whole (a combination's mg not read, a regimen in the name not read: its ``generic`` is the
    product's name), or about this one product alone (its paracetamol typed in grams: the strength or
    count read from the name is in question, so its tramadol is not settled either). A check of another
    medicine's total that also counts this product (paracetamol 12 g with co-codamol) is not about
    its codeine."""
    if check.rule != "check-dose" or name not in check.medicines:
        return False
    return check.generic == generic or check.generic == name or check.medicines == (name,)


def _mme_provisional(facts: _Facts, checks: Sequence[DoseCheck]) -> None:
    """opioidnum (H-MED-611): an MME total that counts an opioid whose dose is to check
    (:func:`dose_unsettled`: tramadol 0.4 mg/day, 0.4 g meant?; morphine 3000 mg/day, an extra zero?; a
    fentanyl patch at a rate no patch is made in, or changed at an interval not its product's) is
    provisional, never said as settled: ``mme`` (the settled total every surface prints as a number)
    is None, and ``mme_provisional`` words it "78 MME/day, provisional: it counts <name> (<the check's
    words>), whose dose is to check" ("at least" first when an opioid could not be counted at all). The
    total the rules read (``mme_floor``) keeps counting it, as before: an alert a dose to check raises
    (a patch's rate, rx23; "High opioid dose") is never lost, and the check's own "Check the dose" is
    beside it. Before, "18.1 MME/day" or "3040 MME/day" were printed as settled totals. Nothing changes
    when no counted opioid is to check."""
    asked = {(name, g): c for name, g, _mme, _how in facts.mme_parts for c in checks
             if dose_unsettled(c, name, g)}
    if not asked:
        return
    whys: dict[str, list[str]] = {}
    for (name, _g), c in asked.items():
        whys.setdefault(name, []).append(dose_check_why(c))
    said = ", ".join(f"{name} ({'; '.join(dict.fromkeys(w))})" for name, w in whys.items())
    verb = "is" if len(whys) == 1 else "are"
    at_least = "at least " if facts.mme_uncounted else ""
    facts.mme = None
    facts.mme_to_check = tuple(whys)
    facts.mme_provisional = f"{at_least}{_num(facts.mme_floor)} MME/day, provisional: it counts {said}, whose dose {verb} to check"
    facts.mme_basis += f"; provisional: it counts {said}, whose dose {verb} to check"
    facts.text_values = None


#: The rules that rate an opioid row for the current opioids' total (rules.toml, mme21).
#: The ``-oud-medicine`` pair (mme22) is said instead when methadone or buprenorphine is taken.
MME_RULES = frozenset({"opioid-mme-50", "opioid-mme-90", "opioid-mme-50-oud-medicine", "opioid-mme-90-oud-medicine"})


def _mme_beside_dose_to_lower(rows: tuple[MedicationRow, ...]) -> tuple[MedicationRow, ...]:
    """A row taken now whose dose is above a maximum or to check (a reason rated reduce dose)
    keeps that rating and its step-by-step plan (or its "check the dose"): the opioid total
    (MME_RULES, rated avoid so that it reaches every alert surface) is said beside it as a
    caution, never turning "lower it step by step" into "ask before your next dose" (mme21).
    The alert still quotes it (medicine_alerts._row_alert)."""
    out = list(rows)
    for i, row in enumerate(rows):
        if not row.currently_taking or not any(r.severity == "reduce_dose" for r in row.reasons):
            continue
        if not any(r.severity == "avoid" and r.rule.split("@")[0] in MME_RULES for r in row.reasons):
            continue
        reasons = tuple(r._replace(severity="caution") if r.severity == "avoid" and r.rule.split("@")[0] in MME_RULES
                        else r for r in row.reasons)
        rank = max(_RANK[r.severity] for r in reasons)
        row = row._replace(reasons=reasons, status=_STATUS_OF_RANK[rank])
        if (rank < _AVOID_RANK and row.adjusted_max_daily_mg is None and row.dose_limit_mg is not None
                and row.adjustment_reason.startswith(_NOT_RECOMMENDED_WORDS[_AVOID_RANK])):
            # the maximum an avoid rating withheld is this patient's again (tramadol at 75: 300 mg)
            despite = re.search(r" If used despite this: at most [\d.]+ mg/day \((.*)\)$", row.adjustment_reason)
            row = row._replace(adjusted_max_daily_mg=row.dose_limit_mg,
                               adjustment_reason=despite.group(1) if despite else _NO_ADJUSTMENT)
        out[i] = row
    return tuple(out)


def _patch_strength_checks(facts: _Facts, data: MedicineData) -> tuple[DoseCheck, ...]:
    """A patch (or a possible one) written at a strength no single patch is made in (drugs.toml
    ``[patch_strengths]``; mme21, gp20 F2: "Fentalis 250", "fentanyl 250mcg/h patch"): a dose
    to check, as a dose far above the label maximum is, never counted as a patch to keep using
    unasked. Patches worn together written as a sum ("fentanyl 100 + 50 mcg/h") are checked part
    by part. Another form (tablets, lozenges, buccal film) is not a patch and is not checked here."""
    out = []
    for med in facts.current:
        allowed_by = [(g, data.patch_strengths[g]) for g in med.generics if g in data.patch_strengths]
        if not allowed_by or data.patch_form(med) is None:
            continue
        written = patch_strengths_written(med.name)
        for generic, allowed in allowed_by:
            wrong = [x for x in written if x not in allowed]
            if not wrong:
                continue
            made = ", ".join(_num(x) for x in allowed if x != 12.5)
            out.append(DoseCheck(generic, (med.name,), 0.0, max(allowed), "check", (
                f"Check the dose: {med.name}: no single {generic} patch is "
                f"{' or '.join(_num(x) for x in dict.fromkeys(wrong))} micrograms an hour (one patch is made in {made} "
                f"micrograms an hour). A typing slip, or several patches worn together written as one number? Record "
                f"each patch worn (e.g. \"{generic} 100 + 50 mcg/h\") and confirm the strength with the prescriber; "
                "until then no handout says to keep using it."), data.patch_strengths_source, "check-dose",
                "patch_strength"))
    return tuple(out)


def _patch_interval_checks(facts: _Facts, data: MedicineData) -> tuple[DoseCheck, ...]:
    """A patch (or a possible one) written to be changed at an interval that is not its product's
    (rx23, rt24 F4; drugs.toml ``[patch_change_intervals]``): "fentanyl 25mcg/h patch every 7 days",
    "BuTrans 10 every 3 days", two different intervals: a dose to check, never read as doses a day
    and never silently counted as right. The interval its product has is no check."""
    out = []
    for med in facts.current:
        generics = [g for g in med.generics if g in data.patch_intervals]
        if not generics or data.patch_form(med) is None:
            continue
        for generic in generics:
            per_hours = patch_hours_not_rate(med, generic, data)
            if per_hours:
                # forms29 (H-MED-534): "fentanyl 25mcg/24h" was counted as a 25 micrograms an hour patch
                hours, words = per_hours[0]
                allowed, whose = patch_intervals_allowed(med, generic, data)
                product = " or ".join(dict.fromkeys(_hours_words(h) for h in allowed))
                written = float(re.match(rf"\s*({_NUM})", words).group(1).replace(",", "."))
                example = f"{generic} {_num(written)} mcg/h patch" if written in data.patch_strengths.get(generic, ()) \
                    else f"{generic} ... mcg/h patch"
                out.append(DoseCheck(generic, (med.name,), 0.0, 0.0, "check", (
                    f"Check the dose: {med.name}: \"{words}\" is micrograms per {_num(hours)} hours, not a patch's "
                    f"rate in micrograms an hour, and a {whose} patch is changed {product} (its label), so it is not "
                    f"counted in the MME total. Type the patch's rate as on the box (e.g. \"{example}\") "
                    "and how often it is changed, or confirm with the prescriber; until then no handout says to keep "
                    "using it."), data.patch_intervals_source, "check-dose", "patch_per_hours"))
        if any(c.medicines == (med.name,) for c in out):
            continue
        written = patch_intervals_written(" ".join(med.name.lower().split()), data)
        if not written:
            continue
        for generic in generics:
            allowed, whose = patch_intervals_allowed(med, generic, data)
            hours = {h for h, _w, _s in written}
            if hours <= set(allowed) and len(hours) == 1:
                continue
            words = " and ".join(f'"{w}"' for _h, w, _s in written)
            product = " or ".join(dict.fromkeys(_hours_words(h) for h in allowed))
            out.append(DoseCheck(generic, (med.name,), 0.0, 0.0, "check", (
                f"Check the dose: {med.name}: written to be changed {words}, but a {whose} patch is changed "
                f"{product} (its label). A patch is counted by its rate in micrograms an hour, never by doses a "
                "day: confirm the patch and how often it is changed with the prescriber; until then no handout says "
                "to keep using it."), data.patch_intervals_source, "check-dose", "patch_interval"))
    return tuple(out)


def _far_below_order(data: MedicineData) -> dict[str, int]:
    """generic -> its place among the data's far-below bounds (``data.far_below``'s order), made
    once per loaded data: :func:`_far_below_checks` asks in that order about the medicines dosed."""
    order = data.__dict__.get("_far_below_order")
    if order is None:
        order = data.__dict__["_far_below_order"] = {g: i for i, g in enumerate(data.far_below)}
    return order


def _far_below_checks(facts: _Facts, data: MedicineData) -> list[DoseCheck]:
    """grams (H-MED-510): each single-ingredient product of a medicine with a far-below bound
    (drugs.toml ``[dose_check_far_below]``) whose daily dose, recorded or read from the name, is
    above 0 and below the bound: "check the dose" (:func:`far_below_question`). Never converted:
    the dose stays as recorded and the clinician is asked. Each product is checked on its own,
    never the medicine's total: paracetamol typed 4 beside co-codamol 8 tablets a day is still
    asked about (4 g meant: 8 g in all). A combination product's components are not checked (its
    recorded dose is read through its strength, [combination_doses]). 0 is not asked about here.
    farbelow2 (H-MED-568): a product of a medicine whose maximum is by mouth that is written as
    given by injection or another route (``_DoseLimit.route_of``: "ketorolac 30mg IM") is not
    asked about here: the bound is a tenth of a unit taken by mouth.
    farbelow3 (H-MED-591): a combination product's component is checked too, by its own daily mg as
    read through the product's strength ("paracetamol/codeine 0.5/0.03 2 tabs qds", a strength typed
    in grams: paracetamol 4 mg and codeine 0.24 mg a day). The least a product is read as is half a
    unit a day, and the loader refuses a listed product whose half unit of a component is below the
    bound (:func:`_combinations_above_far_below`), so a real dose of one is never asked about. A
    component whose strength is written in micrograms (misoprostol) is not."""
    out = []
    far_below = data.far_below
    # only the medicines with a dose recorded are asked about, in the data's order (issue 17: the
    # loop went over every far-below bound, most with no dose; the position index is made once per data)
    order = _far_below_order(data)
    doses_of = facts.doses
    for generic in sorted([g for g in doses_of if g in order], key=order.__getitem__):
        below = far_below[generic]
        doses = doses_of[generic]
        if not doses:
            continue
        combos = facts.combos.get(generic, ())
        limit = data.dose_limits.get(generic)
        for name, dose in zip(facts.by_generic[generic], doses):
            if limit is not None and limit.route_of(name, data):
                continue
            reading = facts.readings.get(name)
            component = name in combos
            if component and (reading is None or generic in reading.micrograms
                              or generic not in dict(reading.components)):
                continue
            text = far_below_question(name, generic, dose, facts.profile, data,
                                      from_name=reading is not None and reading.from_name, component=component)
            if text is not None:
                out.append(DoseCheck(generic, (name,), dose, below.bound, "below", text, below.source, "check-dose"))
    return out


def far_below_question(name: str, generic: str, daily_mg: float | None, profile: str = "us",
                       data: MedicineData | None = None, from_name: bool = False,
                       component: bool = False) -> str | None:
    """grams (H-MED-510): the "Check the dose" line for ``name`` (one product of ``generic``) at
    ``daily_mg`` a day when that is above 0 and below the medicine's far-below bound, else None.
    It names what was typed and, when the same number read in grams is a dose a label could give
    (up to the slip bound, ``[dose_check_slip]``), that reading ("was it typed in grams? 4 g =
    4000 mg", with "above the label maximum" when it is); otherwise "a typing or unit slip?".
    ``from_name``: the daily dose was read from a regimen written in the name, and is said so. The
    window's medicine table shows the same line as the dose is typed (ui/wizard.py). ``component``
    (farbelow3): ``daily_mg`` is the ``generic`` in the combination product ``name``, and is said so."""
    data = data or load_medicine_data()
    below = data.far_below.get(generic)
    if below is None or daily_mg is None or not 0 < daily_mg < below.bound:
        return None
    typed = _typed(daily_mg)
    in_grams = round(daily_mg * 1000, 3)
    limit = None
    row_limits = _row_label_limits(data)
    own = data.dose_limits.get(generic)
    if generic in row_limits:
        label, _label_src, profile_max = row_limits[generic]
        limit = profile_max.get(profile, (label,))[0]
    elif own is not None and own.kind == "label_max" and own.applies(profile):
        # farbelow2 (H-MED-566): a medicine without a row read against its own label maximum
        # ([dose_checks]: diclofenac 200 mg, uk 150 mg); under a profile it is not checked in
        # (piroxicam under us) no maximum is named: "a typing or unit slip?"
        limit = own.for_profile(profile)[0]
    slip = data.slip_check
    if limit and slip is not None and in_grams <= slip[0] * limit:
        over = f", above the label maximum of {_num(limit)} mg of {generic} a day" if in_grams > limit else ""
        ask = f"was it typed in grams? {typed} g = {_typed(in_grams)} mg{over}"
    else:
        ask = "a typing or unit slip?"
    if component:
        said = f"the {generic} in {name} ({typed} mg a day{' read from the name' if from_name else ''})"
    else:
        said = f"{name} ({typed} mg a day read from the name)" if from_name else f"{name} {typed} mg a day"
    return (f"Check the dose: {said} is far below any usual dose of {generic}: {ask} (checked "
            f"below {_typed(below.bound)} mg a day: {below.reason}). It is not converted: confirm the daily dose "
            "with the prescriber and record it in mg a day; until then no handout says to keep taking it.")


def _typed(value: float) -> str:
    """A dose as it was typed, with up to three decimals (0.15, 32.5, 4): :func:`_num`'s one decimal
    would print 0.15 mg as 0.1."""
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _with_dose_checks(rows: tuple[MedicationRow, ...], notes: tuple[CurrentMedicineNote, ...],
                      checks: tuple[DoseCheck, ...], data: MedicineData | None = None,
                      ) -> tuple[tuple[MedicationRow, ...], tuple[CurrentMedicineNote, ...]]:
    """Each dose check as a "reduce_dose" reason of the row that counts the medicine (the
    opioids row for codeine, the acetaminophen row for the paracetamol in co-codamol), raising
    its status; a row that already says its total is above its maximum keeps its own reason
    (the check is not said twice); a medicine no row counts (dexamethasone) or a combination
    whose dose could not be read gets a current note instead, so every check reaches the
    table, the alerts and the JSON once."""
    own = {d.id: d.own for d in (data or load_medicine_data()).drugs}
    rows = list(rows)
    extra = []
    for check in checks:
        placed = False
        for i, row in enumerate(rows):
            if row.currently_taking and check.generic in own.get(row.drug, ()) \
                    and not set(check.medicines).isdisjoint(row.current_medicines):
                placed = True
                if row.over_max and check.kind == "label_max" and check.rule != "over-product-max":
                    break  # the row's own "above the maximum" reason says it (not a product's lower one)
                reasons = sorted((*row.reasons, Reason(check.text, "reduce_dose", check.source, (), check.rule)),
                                 key=_reason_order)
                status = row.status if _RANK[row.status] >= _REDUCE_RANK else _STATUS_OF_RANK[_REDUCE_RANK]
                rows[i] = row._replace(reasons=tuple(reasons), status=status)
                break
        if not placed:
            extra.append(CurrentMedicineNote(check.rule, check.medicines, "reduce_dose", check.text, check.source))
    return tuple(rows), (*notes, *extra)


#: zalmax35 (H-MED-727): the first words of a row's ``adjustment_reason`` when a product's own lower label maximum
#: is its maximum (:func:`_with_product_limits`)
PRODUCT_LIMIT_WORDS = "The product's own label maximum"


def above_applying_max(row: MedicationRow) -> bool:
    """Whether ``row``'s dose is above the maximum that applies to it: ``over_max`` (above the ingredient's checked
    maximum), or a product's own lower maximum is its maximum (:func:`_with_product_limits`; that maximum is only
    its maximum when the dose is above it): Zaldiar 9 tablets a day, tramadol 337.5 mg, under tramadol's 400 but
    above Zaldiar's 300 (zalmax35, H-MED-727). Works on a row or its ``to_dict()``. Since dose36 (H-MED-734) the row's
    ``over_max`` is set in that case too, so the two agree; this stays for rows stored before."""
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
    return bool(get("over_max")) or PRODUCT_LIMIT_WORDS in str(get("adjustment_reason") or "")


def product_limit(row: MedicationRow, dose_checks: tuple[DoseCheck, ...]) -> DoseCheck | None:
    """The dose check of a product's own label maximum that APPLIES to ``row``: one placed on the row as a reason
    (:func:`_with_dose_checks`), for the row's whole dose (the row counts that product alone: Zaldiar 12 tablets a
    day, tramadol 450 mg, above Zaldiar's 8 tablets = 300 mg), lower than the maximum the row's dose was checked
    against (``dose_limit_mg``: tramadol's own 400); the lowest when there are several. None when there is none, or
    when the row counts other products too (Zaldiar beside plain tramadol: the total's maximum applies to the total,
    and the product's words say its own part). Moved from fhir_medicines (fhirnsaid35, H-FMT-907) so that the
    table, the worklist, the alerts and the FHIR export say one maximum (zalmax35, H-MED-727)."""
    said = {r.text for r in row.reasons}
    own = [c for c in dose_checks
           if c.kind == "label_max" and c.rule == "over-product-max" and c.text in said
           and set(c.medicines) == set(row.current_medicines) and c.daily_mg == row.current_daily_dose_mg]
    limit = row.dose_limit_mg if row.dose_limit_mg is not None else row.adjusted_max_daily_mg
    lower = [c for c in own if limit is None or c.limit_mg < limit]
    return min(lower, key=lambda c: c.limit_mg) if lower else None


def _without_checks_a_product_limit_says(checks: tuple[DoseCheck, ...]) -> tuple[DoseCheck, ...]:
    """prodmax36 (H-MED-735): a check of an ingredient's own label maximum ("over-label-max": Ultracet 450 mg a day of
    tramadol above tramadol's 400) left out when a product's own lower maximum ("over-product-max": Ultracet's 8
    tablets, 300 mg) is checked for the same dose of the same products: the product's check is the one that applies,
    and its words keep the 400 as context ("lower than the 400 mg of tramadol a day allowed from tramadol alone").
    ``report.dose_checks`` listed both, so a reader of the checks (the handout, FHIR, the worklist) could say 400. A
    label check that counts other products too (Zaldiar beside plain tramadol) is kept: its maximum is the total's."""
    products = [c for c in checks if c.kind == "label_max" and c.rule == "over-product-max"]
    if not products:
        return checks
    return tuple(c for c in checks if not (
        c.kind == "label_max" and c.rule == "over-label-max"
        and any(p.generic == c.generic and set(p.medicines) == set(c.medicines) and p.daily_mg == c.daily_mg
                and p.limit_mg < c.limit_mg for p in products)))


def _with_product_limits(rows: tuple[MedicationRow, ...], checks: tuple[DoseCheck, ...]) -> tuple[MedicationRow, ...]:
    """zalmax35 (H-MED-727): a row whose whole dose is one product with its own lower label maximum
    (:func:`product_limit`: Zaldiar/Ultracet/Tramacet, 8 tablets a day = tramadol 300 mg, under tramadol's 400) has
    that maximum as this patient's maximum (``adjusted_max_daily_mg``, which the table, the worklist's dose line and
    the FHIR export show), with why, and loses the "above the label maximum of 400 mg/day" reason: "Reduce dose:
    current dose 450 mg/day is above the label maximum of 400 mg/day" said first, then "this product's limit applies",
    read quickly as 400. The product's own reason keeps the 400 as context ("lower than the 400 mg of tramadol a day
    allowed from tramadol alone"). ``dose_limit_mg`` stays the ingredient's maximum the dose was checked against."""
    out = list(rows)
    for i, row in enumerate(rows):
        if not row.currently_taking:
            continue
        found = product_limit(row, checks)
        if found is None:
            continue
        at = found.text.find("product's own label maximum of ")
        end = found.text.find(": this product's limit applies", at)
        words = found.text[at + len("product's own label maximum of "):end] if at >= 0 and end > at else \
            f"{_num(found.limit_mg)} mg of {found.generic} a day"
        reasons = tuple(r for r in row.reasons if r.rule != "over-label-max")
        why = f"{PRODUCT_LIMIT_WORDS} ({found.medicines[0]}): {words}."
        if row.adjusted_max_daily_mg is None and row.adjustment_reason.startswith(tuple(_NOT_RECOMMENDED_WORDS.values())):
            # a rating withholds the maximum (avoid): withheld still, its "If used despite this" says the product's
            despite = re.search(r" If used despite this: at most [\d.]+ mg/day \((.*)\)$", row.adjustment_reason)
            label = re.search(r"the label maximum is [\d.]+ mg/day\.$", row.adjustment_reason)
            if despite is not None:
                why = row.adjustment_reason[:despite.start()] + _used_despite_words(found.limit_mg, why)
            elif label is not None:  # "the label maximum is 400 mg/day.": the product's is the maximum
                why = (f"{row.adjustment_reason[:label.start()]}the maximum is {_num(found.limit_mg)} mg/day. "
                       f"{why}")
            else:
                why = f"{row.adjustment_reason} {why}"
            out[i] = row._replace(reasons=reasons, adjustment_reason=why, over_max=True)
            continue
        # prodmax36 (H-MED-734): the row's over-max flag agrees with the product's maximum (Zaldiar 9 tablets a day,
        # tramadol 337.5 mg, above its own 300 though under tramadol's 400): ``over_max`` was False, so a reader of the
        # flag alone (a stored row, FHIR's High Dose Alert) missed a dose the alerts called "Reduce dose"
        out[i] = row._replace(reasons=reasons, adjusted_max_daily_mg=found.limit_mg, adjustment_reason=why,
                              over_max=True)
    return tuple(out)


def _notes_on_rows(rows: tuple[MedicationRow, ...], notes: tuple[CurrentMedicineNote, ...],
                   on_row: frozenset[str]) -> tuple[tuple[MedicationRow, ...], tuple[CurrentMedicineNote, ...]]:
    """Each note of a ``[[current]]`` marked ``on_row`` (ukibu: high-dose ibuprofen with cardiovascular
    disease under uk) whose medicines a row takes now, as a reason of that row, raising its status:
    the table, the by-class line, the alerts and the handouts then rate the ibuprofen taken now as
    the note does, never "Caution" beside an "Avoid" note. A note naming a medicine no row counts
    (dexibuprofen) stays a note."""
    rows = list(rows)
    kept = []
    for note in notes:
        if note.rule in on_row:
            for i, row in enumerate(rows):
                if row.currently_taking and set(note.medicines) <= set(row.current_medicines):
                    # a row's reason names no medicine: its alert says "Taking ibuprofen 800mg tds ..." itself
                    text = note.text.removeprefix(f"Taking {', '.join(note.medicines)}: ")
                    text = text[:1].upper() + text[1:]
                    reasons = sorted((*row.reasons, Reason(text, note.severity, note.source, (), note.rule)),
                                     key=_reason_order)
                    rank = max(_RANK[row.status], _RANK[note.severity])
                    rows[i] = row._replace(reasons=tuple(reasons), status=_STATUS_OF_RANK[rank])
                    break
            else:
                kept.append(note)
            continue
        kept.append(note)
    return tuple(rows), tuple(kept)


def _row_generics(data: MedicineData) -> frozenset[str]:
    """Every generic a row of the table counts (made once per loaded data)."""
    found = data.__dict__.get("_row_generics")
    if found is None:
        found = data.__dict__["_row_generics"] = frozenset(g for d in data.drugs for g in d.own)
    return found


def _note_names(note: _CurrentNote, facts: _Facts, data: MedicineData) -> tuple[str, ...]:
    """The current medicines a ``[[current]]`` note is about for this patient (none: it does not apply)."""
    if note.profile is not None and note.profile != facts.profile:
        return ()
    if note.condition is not None and facts.flags.get(note.condition) is not True:
        return ()
    if note.conditions_any and not any(facts.flags.get(c) is True for c in note.conditions_any):
        return ()
    if note.age_at_least is not None and (facts.age is None or facts.age < note.age_at_least):
        return ()
    if note.pregnant and facts.pregnancy_weeks is None:  # "no" and "not asked" alike: no pregnancy recorded
        return ()
    with_row = _row_generics(data) if note.without_row else frozenset()
    return tuple(dict.fromkeys(n for c in note.classes for n, g in facts.by_class.get(c, ())
                               if g not in with_row and not (note.by_mouth_only and data.by_injection(n))))
#: The rule id of a "dose not checked" line (nsaiddose, H-MED-460)
DOSE_NOT_CHECKED_RULE = "dose-not-checked"


def _dose_not_checked_notes(facts: _Facts, data: MedicineData) -> list[CurrentMedicineNote]:
    """A line for each current medicine of a ``[dose_not_checked]`` class that has no row of its
    own and whose daily dose no maximum checked (nsaiddose, H-MED-460): no label maximum held for
    it (aceclofenac, piroxicam...), a product not taken by mouth beside a maximum by mouth
    (ketorolac injection, Sprix), a form whose maximum differs (etodolac ER), or no daily dose
    recorded or read. Silence would read as "dose checked and fine". A caution, never an alert:
    nothing is known to be wrong with the dose. A combination whose recorded dose could not be
    read already has its own "check the dose"."""
    out = []
    with_row = _row_generics(data)
    seen = set()
    for c in sorted(data.dose_unchecked_classes):
        for name, generic in facts.by_class.get(c, ()):
            if generic in with_row or (name, generic) in seen:
                continue
            seen.add((name, generic))
            reading = facts.readings.get(name)
            if reading is not None and (not reading.read or reading.conflict):
                continue  # its own "check the dose" says why the dose was not read (a combination, a regimen)
            found = data.dose_limits.get(generic)
            if found is None or not found.applies(facts.profile):
                text = (f"Dose not checked: {name}: this tool holds no label maximum for {generic}"
                        f"{'' if found is None else ' for this profile'}, so its daily dose was not checked against "
                        "one. Check the dose against the product's label by hand.")
                out.append(CurrentMedicineNote(DOSE_NOT_CHECKED_RULE, (name,), "caution", text,
                                               data.dose_unchecked_source))
                continue
            limit, source = found.for_profile(facts.profile)
            route = found.route_of(name, data)
            if route == "other form":
                text = (f"Dose not checked: {name}: {found.other_form_reason}; the maximum this tool holds, "
                        f"{_num(limit)} mg of {generic} a day, is not this form's. Check the dose against the "
                        "product's own label by hand.")
            elif route:
                text = (f"Dose not checked: {name} is {route}; the maximum this tool holds, {_num(limit)} mg of "
                        f"{generic} a day, is for {generic} by mouth, so it is not counted against it. Check the dose "
                        "against the product's own label by hand.")
            else:
                doses = [d for n, d in zip(facts.by_generic.get(generic, ()), facts.doses.get(generic, ()))
                         if n == name]
                if any(d is not None for d in doses):
                    continue  # checked against the maximum (_dose_checks)
                text = (f"Dose not checked: no daily dose recorded for {name}. Record it, or write the strength and how "
                        "often in the name (\"... mg twice daily\"), so it is checked against the label maximum of "
                        f"{_num(limit)} mg of {generic} a day.")
            out.append(CurrentMedicineNote(DOSE_NOT_CHECKED_RULE, (name,), "caution", text, source))
    return out


def _notes_of_classes(facts: _Facts, data: MedicineData) -> list[_CurrentNote]:
    """The ``[[current]]`` notes about a class this patient takes a medicine of, in the data's
    order: the only ones :func:`_note_names` can give a medicine for (it looks only in
    ``facts.by_class`` under the note's classes), so the others are not asked one by one. The
    index (class -> notes) is made once per loaded data (issue 17); nothing of a patient is kept."""
    index = data.__dict__.get("_notes_by_class")
    if index is None:
        index = {}
        for i, note in enumerate(data.current_notes):
            for c in note.classes:
                index.setdefault(c, []).append(i)
        data.__dict__["_notes_by_class"] = index
    found: set[int] = set()
    for c in facts.by_class:
        hit = index.get(c)
        if hit:
            found.update(hit)
    return [data.current_notes[i] for i in sorted(found)]


def _current_notes(facts: _Facts, data: MedicineData) -> tuple[CurrentMedicineNote, ...]:
    out = []
    # ukcv: a note that applies to a medicine replaces the class rules it supersedes for that medicine
    superseded: dict[str, frozenset[str]] = {}
    notes = _notes_of_classes(facts, data)
    for note in notes:
        if note.supersedes:
            for n in _note_names(note, facts, data):
                superseded[n] = superseded.get(n, frozenset()) | note.supersedes
    for note in notes:
        names = _note_names(note, facts, data)
        if names and note.rules_of is not None:
            groups: dict[frozenset[str], list[str]] = {}
            for n in names:
                groups.setdefault(superseded.get(n, frozenset()), []).append(n)
            for skip, group in groups.items():
                out.extend(_class_rule_notes(note, tuple(group), facts, data, skip))
        elif names:
            text = note.text
            if note.conditions_any:
                text = text.replace("{conditions}", ", ".join(
                    BOOLEAN_CONDITIONS[c].lower() if i else BOOLEAN_CONDITIONS[c]
                    for i, c in enumerate(c for c in note.conditions_any if facts.flags.get(c) is True)))
            if note.pregnant and facts.pregnancy is not None:
                text = text.replace("{weeks}", facts.pregnancy.label)
                if facts.pregnancy.beyond_plausible_end:
                    # past the plausible end: the warning stands and the clinician is asked, as _format
                    text = f"{facts.pregnancy.ask_text} If she is pregnant: {text}"
            out.append(CurrentMedicineNote(note.id, names, note.severity,
                                           f"Taking {', '.join(names)}: {text}", note.source))
    return tuple(out)


def _class_rule_notes(note: _CurrentNote, names: tuple[str, ...], facts: _Facts,
                      data: MedicineData, skip: frozenset[str] = frozenset()) -> list[CurrentMedicineNote]:
    """The row ``note.rules_of``'s rules listed in ``note.rule_ids`` that apply to this patient, each
    a note about the medicines ``names`` (of the class, without a row): checked in the row's order,
    with its groups (only the first rule of a group that applies, as for the row's own medicine)
    and its profile wording, worded as the row words them."""
    out = []
    fired: set[str] = set()
    for rule in data.rules_by_drug.get(note.rules_of, ()):
        if rule.group is not None and rule.group in fired:
            continue
        if not _applies(rule, facts) or _matched(rule, facts, frozenset()) is None:
            continue
        if rule.group is not None:
            fired.add(rule.group)
        if rule.id in note.rule_ids and rule.id not in skip:
            said = _format(rule, facts, list(names))
            if note.at_most is None:
                out.append(CurrentMedicineNote(rule.id, names, rule.severity, f"Taking {', '.join(names)}: {said}",
                                               rule.source))
            else:
                # ukcv: aspirin whose dose is not known: what the rule says at an analgesic dose, asked about
                severity = min(rule.severity, note.at_most, key=lambda s: _RANK[s])
                source = "; ".join(dict.fromkeys(x for x in (note.wrap_source, rule.source) if x))
                out.append(CurrentMedicineNote(f"{note.id}/{rule.id}", names, severity,
                                               f"Taking {', '.join(names)}: {note.wrap.replace('{rule}', said)}",
                                               source))
    return out


def _renal_label(value: float | None, measure: str) -> str:
    if value is None:
        return "Renal function unknown"
    if measure == "egfr":
        return f"eGFR {_num(value)} mL/min/1.73m2"
    return f"CrCl {_num(value)} mL/min"


def _strength(mg: float) -> str:
    """A strength as written on the pack: every decimal it has (co-dydramol 7.46/500), never
    rounded as :func:`_num` rounds a daily total."""
    return f"{mg:g}"


def _amount(generic: str, mg: float, micrograms: Sequence[str] = ()) -> str:
    """'150 mg', or for a component written in micrograms (combo28) '600 micrograms' (0.6 mg)."""
    if generic in micrograms:
        return f"{_num(round(mg * 1000, 6))} micrograms"
    return f"{_num(round(mg, 3))} mg"


def _times(ratio: float) -> str:
    """How many times a limit a dose is, rounded down to one decimal so it never reads more
    than it is: "5 times", "6.6 times"."""
    return f"{_num(math.floor(ratio * 10) / 10)} times"


def _says_dose(named: str, total: float) -> bool:
    """True when ``named`` (one medicine as typed) already says ``total`` mg a day ("16000 mg/day",
    "16000 mg a day", "16000mg daily"): the text does not say it twice.

    One pattern compiled once (:data:`_MG_A_DAY_RE`), its number compared with ``_num(total)``
    (issue 17: a pattern worded from each patient's total was compiled again whenever re's cache
    did not hold it). The same answer as searching for the total itself: at a start not after a
    digit or a point, the only number followed by "mg a day" is the longest one there (a shorter
    one is followed by a digit or a point), so the total is found there exactly when that number
    is the total written as the texts print it."""
    if "," in named:
        return False
    said = _num(total)
    return any(m.group(1) == said for m in _MG_A_DAY_RE.finditer(named))


#: a number of mg a day as typed in a name ("16000 mg/day", "16000mg daily"): :func:`_says_dose`
_MG_A_DAY_RE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*mg\s*(?:/\s*day|a day|daily|per day)\b", re.IGNORECASE)


def _num(value: float | None) -> str:
    """A number as the texts print it: whole numbers without a decimal (1 and 1.0 both give
    "1"), others to one decimal."""
    if value is None:
        return "unknown"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


__all__ = [
    "CurrentMedicine", "CurrentMedicineNote", "DoseCheck", "Interaction", "LabelMaxChecked", "MedicationReport", "MedicationRow", "MedicineData", "MedicineDataError",
    "Reason", "RenalFunction", "SEVERITIES", "STATUSES", "STATUS_LABELS", "SUGGESTION_CUTOFF", "assess_medications", "cockcroft_gault",
    "load_medicine_data", "renal_function",
]


# --------------------------------------------------------------------------- dose alerts
def dose_reductions(report: MedicationReport) -> tuple[str, ...]:
    """One line per medicine row whose current daily dose is above this patient's maximum
    (the renal-, age- or weight-adjusted maximum, or the label's): what the worklist
    shows as "Reduce dose". Empty when no recorded dose is over its maximum."""
    out = []
    combined = {m.name for m in report.current_medicines if len(m.generics) > 1}
    for r in report.rows:
        if not (r.currently_taking and r.over_max and r.current_daily_dose_mg is not None):
            continue
        if product_limit(r, report.dose_checks) is not None:
            continue  # zalmax35 (H-MED-727): the product's own line below gives its maximum, never the 400 beside it
        limit = r.dose_limit_mg
        names = ", ".join(r.current_medicines) or r.label.lower()
        # a combination product's mg are not all this row's medicine (G17)
        of = f" of {r.label.split(' (')[0].lower()}" if combined.intersection(r.current_medicines) else ""
        out.append(f"{names} {_num(r.current_daily_dose_mg)} mg/day{of}"
                   + (f" > max {_num(limit)} mg/day" if limit is not None else " above its maximum"))
    own = {d.id: d.own for d in load_medicine_data().drugs}
    over = [r for r in report.rows if r.currently_taking and r.over_max]
    for check in report.dose_checks:
        names = ", ".join(check.medicines)
        if check.kind in ("unread", "name"):
            # the regimen written in the name (cmb17): it cannot be read with no dose recorded, or it
            # disagrees with the dose recorded; a combination's mg not turned into its components
            said = f"{names} {_num(check.daily_mg)} mg/day" if check.daily_mg or check.kind == "unread" else names
            out.append(f"{said}: check the dose ({dose_check_why(check)})")
        elif check.rule == "over-product-max":
            # the product label's own, lower maximum (Ultracet: 8 tablets a day), said with
            # which limit it is even when the row's line gives the medicine's own
            reading = next(iter(check.medicines))
            generic = report.name(check.generic)  # in the profile's name (uk: paracetamol)
            out.append(f"{names} {_num(check.daily_mg)} mg/day of {generic} > max {_num(check.limit_mg)} "
                       f"mg/day ({reading}'s own label maximum, lower than {generic}'s own)")
        elif check.kind == "label_max":
            if any(check.generic in own.get(r.drug, ()) and set(check.medicines) <= set(r.current_medicines)
                   for r in over):
                continue  # the row's line above says it
            of = f" of {report.name(check.generic)}" if combined.intersection(check.medicines) else ""  # co-codamol's mg are not all codeine
            out.append(f"{names} {_num(check.daily_mg)} mg/day{of} > max {_num(check.limit_mg)} mg/day")
        elif check.kind == "below":
            # grams (H-MED-510): far below any usual dose, e.g. a daily dose typed in grams ("paracetamol" 4)
            of = f" of {report.name(check.generic)}" if combined.intersection(check.medicines) else ""  # farbelow3
            out.append(f"{names} {_typed(check.daily_mg)} mg/day{of}: check the dose ({dose_check_why(check)})")
        else:
            # opioidnum (H-MED-612): a patch's check has no mg a day (its rate is in micrograms an hour): "fentanyl
            # 25mcg/h patch every 7 days 0 mg/day" was printed
            said = f"{names} {_num(check.daily_mg)} mg/day" if check.daily_mg else names
            out.append(f"{said}: check the dose ({dose_check_why(check)})")
    return tuple(out)


def dose_check_why(check: DoseCheck) -> str:
    """Why a dose check (rule "check-dose") asks, in a few words: what the worklist line and the
    pathway's "already taking" words say after "check the dose" / "dose to check" (one wording)."""
    if check.what:
        return _WHY_BY_WHAT[check.what]
    if check.kind == "unread":
        return "combination product: the mg of each component is not known"
    if check.kind == "name":
        # no strength typed ("nurofen plus 2 tabs qds"): say so, not "cannot be read" (gp20 F13)
        return ("its name says otherwise" if check.daily_mg else
                "no strength typed: the mg in each tablet is not known" if NO_STRENGTH in check.text else
                "the regimen in its name cannot be read")
    if check.kind == "below":
        return "far below any usual dose: typed in grams?"
    # opioidnum (H-MED-612): each other kind of check in its own words; before, every one of them
    # (a patch's interval, a rate per 24 hours, methotrexate written daily ...) read "far above any usual dose"
    return "far above any usual dose"


#: opioidnum (H-MED-612): :func:`dose_check_why`'s words for each ``DoseCheck.what`` (the check's own text
#: says the whole question; these are its few words after "check the dose" / "dose to check")
_WHY_BY_WHAT = {
    "far_above": "far above any usual dose",
    "slip": "far above the label maximum: a typing or unit slip?",
    "weekly": "taken once a week, written as a daily dose",
    "patch_strength": "no single patch is made at that rate",
    "patch_per_hours": "written per 24 hours, not as a patch's rate an hour",
    "patch_interval": "written to be changed at an interval that is not its product's",
    "injected": "given by injection or another route: the MME and maximum are for the medicine by mouth",
}


def latest_record_day(case) -> dt.date:
    """The date of the case's latest record (intake, visit or decision): what the stored dose
    marks are worked out on."""
    return max([case.intake.visit_date, *(v.date for v in case.visits), *(d.date for d in case.decisions)])


def case_dose_reductions(case, profiles: Sequence[str], memo: MedicineMemo | None = None) -> dict[str, tuple[str, ...]]:
    """:func:`dose_reductions` for a stored case on its latest event date, per profile
    (ibuprofen's maximum differs between profiles). Profiles with none are left out; a
    case without any recorded dose or regimen in a name is never assessed (saving stays fast).
    ``memo``: the caller's batch :class:`MedicineMemo`, if any."""
    reading = load_medicine_data().name_reading
    if not any(m.daily_dose_mg is not None or reading.may_hold_regimen(m.name) for m in case.intake.medicines):
        # no dose recorded and none written in a name ("codeine 30mg qds" is read: gp18 F3, the
        # case page said Reduce dose while the worklist and the CSV's dose_alerts said nothing)
        return {}
    day = latest_record_day(case)
    intake = case.intake_as_of(day)
    out = {}
    for profile in profiles:
        lines = dose_reductions(assess_medications(intake, day, profile=profile, memo=memo))
        if lines:
            out[profile] = lines
    return out


# --------------------------------------------------------------------------- class summaries
class ClassSummary(NamedTuple):
    """What a clinician asks of a class: can this patient take one, and which one?

    ``basis`` is ``currently_taking`` when the patient already takes a member of the
    class: the class's status is then the worst status of the members taken (a second
    NSAID is never the answer to a first one's problem). Otherwise ``best_option``: the
    most favourable status any member has, with the members at that status as the
    options; ``avoid`` lists members that are avoid or contraindicated, and
    ``shared_reasons`` the reasons every member carries (they belong to the class, so no
    switch within it removes them).
    """

    drug_class: str
    class_label: str
    status: str
    basis: str  # "currently_taking" or "best_option"
    medicines: tuple[str, ...]  # the members the status is about (taken, or the options)
    avoid: tuple[str, ...]
    shared_reasons: tuple[str, ...]
    summary: str

    def to_dict(self) -> dict:
        return {"class": self.drug_class, "class_label": self.class_label, "status": self.status,
                "status_label": STATUS_LABELS[self.status], "basis": self.basis,
                "medicines": list(self.medicines), "avoid": list(self.avoid),
                "shared_reasons": list(self.shared_reasons), "summary": self.summary}


def class_summaries(report: MedicationReport) -> tuple[ClassSummary, ...]:
    """One summary per medicine class of the report's rows, in row order (see
    :class:`ClassSummary`)."""
    by_class: dict[str, list[MedicationRow]] = {}
    for r in report.rows:
        by_class.setdefault(r.drug_class, []).append(r)
    out = []
    for cls, rows in by_class.items():
        label = rows[0].class_label
        taking = [r for r in rows if r.currently_taking]
        avoid = tuple(r.drug for r in rows if _RANK[r.status] >= _RANK["avoid"])
        shared = [r.text for r in rows[0].reasons if _RANK[r.severity] >= _RANK["caution"]
                  and all(any(o.text == r.text for o in other.reasons) for other in rows[1:])]
        if taking:
            rank = max(_RANK[r.status] for r in taking)
            basis, members = "currently_taking", tuple(r.drug for r in taking)
            status = _STATUS_OF_RANK[rank]
            said = STATUS_LABELS[status].lower()
            if status == MedicineStatus.REDUCE_DOSE and all(r.dose_to_check for r in taking if r.status == status):
                # review29: a dose to check (far below, a likely slip, a regimen not read) is never "reduce dose"
                # here either, as the row and its alert say ("paracetamol 4 mg a day": typed in grams?)
                said = CHECK_DOSE_LABEL.lower()
            summary = (f"{label}: already taking {', '.join(n for r in taking for n in r.current_medicines)} "
                       f"({said}); do not add a second "
                       f"{label if label[:2].isupper() else label[0].lower() + label[1:]}.")
        else:
            rank = min(_RANK[r.status] for r in rows)
            status = _STATUS_OF_RANK[rank]
            basis, members = "best_option", tuple(r.drug for r in rows if _RANK[r.status] == rank)
            names = ", ".join(r.label.lower() for r in rows if r.drug in members)
            if rank >= _RANK["avoid"]:
                summary = f"{label}: {STATUS_LABELS[status].lower()} for every member here ({names})."
            elif len(rows) == 1:
                summary = f"{label}: {STATUS_LABELS[status].lower()}."
            else:
                summary = f"{label}: {STATUS_LABELS[status].lower()}; best option here: {names}."
            if avoid and rank < _RANK["avoid"]:
                summary += " Avoid: " + ", ".join(r.label.lower() for r in rows if r.drug in avoid) + "."
        out.append(ClassSummary(cls, label, status, basis, members, avoid, tuple(shared), summary))
    return tuple(out)
