"""Personalised patient handouts: the sheets of ``handout_content`` filled in for one
patient and laid out for print (A4 or US Letter, normal or large print).

The text is not written here: :mod:`radiculopathy_desktop.reports.handout_content`
loads it and fills the placeholders. This module decides the values (patient, clinic,
clinician, dates, this patient's doses from the medication engine), turns the filled
sheets into HTML and hands them to :class:`~radiculopathy_desktop.reports.paged.PagedDocument`.

Black and white by design: hierarchy comes from size and weight, and safety sections
("important") are boxed with a heavy rule - no meaning is carried by colour.
"""

from __future__ import annotations

import contextlib
import contextvars
import html
import functools
import tomllib
import re
from collections import Counter
from functools import lru_cache

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping, NamedTuple, Sequence

from radiculopathy_desktop.domain.characters import printed, printed_html as escape  # rt8 F8, rt12 F12: as stored
from radiculopathy_desktop.domain.intake import Case
from radiculopathy_desktop.domain.medications import MME_RULES, load_medicine_data
from radiculopathy_desktop.domain.vocab import CHECK_DOSE_LABEL, MedicineStatus
from radiculopathy_desktop.domain.worklist_marks import strongest_label
from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports.common import guideline_content_version, long_date, profile_words, version_line
from radiculopathy_desktop.reports.paged import PagedDocument, px
from radiculopathy_desktop.resources import resource_path

NORMAL_POINT_SIZE = 11.5
LARGE_POINT_SIZE = 16.0

GENERAL_SHEETS = ("about_sciatica", "warning_signs", "exercise_plan", "follow_up")

LABELS = {
    "en": {"for": "For", "date": "Date", "clinician": "Clinician", "page": "Page {n} of {total}",
           "reviewed": "Sheet reviewed", "sources": "Sources", "next": "Next visit",
           "contact": "Contact", "your_clinician": "your clinician", "your_clinic": "your clinic",
           "appointment_card": "the number on your appointment card",
           "above_max": "Your dose is too high for you",
           "check_dose": "Check your dose before you take more",
           # sheet2 (H-UI-505): a recorded dose far above the most that is safe in a day (sheetwords F4's box)
           "check_dose_far": "Your recorded dose is far too high: contact your prescriber today",
           # a skin patch is put on, not taken (mmx22, gp21 F5)
           "check_dose_patch": "Check your dose before you put on your next patch",
           "together": "Two of your medicines should not be taken together",
           # wording29 (H-UI-456): three or more products in the box ("Two of your medicines" named three)
           "together_several": "Some of your medicines should not be taken together",
           "avoid": "Ask before your next dose",
           "avoid_heading": "Before your next dose",
           # the same for a skin patch, which is put on, not taken (gp20 F13, fxl20 leftover)
           "avoid_patch": "Ask before your next patch",
           "avoid_heading_patch": "Before your next patch",
           "high_dose": "Your opioid dose is high",
           # methadone or buprenorphine taken now (rules opioid-mme-*-oud-medicine): the window's
           # "High opioid dose if for pain"; the sheet never tells a patient treated for opioid use
           # disorder that their dose is high (rt24 F8)
           "high_dose_if_pain": "Ask about your opioid dose",
           # 50-89 MME/day, the window's "Reassess opioid dose": a review, not "high" (sht24)
           "reassess_dose": "Ask your prescriber to review your opioid dose",
           "stop": "Do not take it",
           "stop_them": "Do not take them",
           "stop_heading": "Your dose",
           "caution": "Ask about your other medicines", "pregnant": "You are pregnant",
           "pregnant_ask": "If you are pregnant or breastfeeding",
           # handout29: misoprostol taken now by a patient who could get pregnant (H-MED-522)
           "contraception": "If you could get pregnant"},
    "es": {"for": "Para", "date": "Fecha", "clinician": "Profesional", "page": "Página {n} de {total}",
           "reviewed": "Hoja revisada", "sources": "Fuentes", "next": "Próxima visita",
           "contact": "Contacto", "your_clinician": "su profesional", "your_clinic": "su centro de salud",
           "appointment_card": "teléfono que figura en su tarjeta de cita",
           "above_max": "Su dosis es demasiado alta para usted",
           "check_dose": "Revise su dosis antes de tomar más",
           "check_dose_far": "La dosis de su historia es demasiado alta: hable hoy con su profesional",
           "check_dose_patch": "Revise su dosis antes de ponerse el próximo parche",
           "together": "Dos de sus medicamentos no deben tomarse juntos",
           "together_several": "Algunos de sus medicamentos no deben tomarse juntos",
           "avoid": "Pregunte antes de su próxima dosis",
           "avoid_heading": "Antes de su próxima dosis",
           "avoid_patch": "Pregunte antes de ponerse el próximo parche",
           "avoid_heading_patch": "Antes de ponerse el próximo parche",
           "high_dose": "Su dosis de opioide es alta",
           "high_dose_if_pain": "Pregunte por su dosis de opioide",
           "reassess_dose": "Pida a quien se lo recetó que revise su dosis de opioide",
           "stop": "No lo tome",
           "stop_them": "No los tome",
           "stop_heading": "Su dosis",
           "caution": "Pregunte por sus otros medicamentos", "pregnant": "Está embarazada",
           "pregnant_ask": "Si está embarazada o da el pecho",
           "contraception": "Si puede quedarse embarazada"},
}


@dataclass(frozen=True)
class MedicineDose:
    """What a medicine sheet prints for this patient (from the medication engine)."""

    dose_range: str  # phrase with the medicine name, no final full stop
    max_daily_dose: str  # amount with unit, e.g. "2400 mg"
    #: The patient's current dose is above their maximum (the worklist's "Reduce dose"):
    #: what the sheet says first, in a box, instead of a starting dose (None otherwise).
    above_max: str | None = None
    #: combo28: the source ids of the label maximum ``above_max`` prints when it is a medicine's own
    #: (drugs.toml ``[dose_checks]``: "meloxicam-label" for meloxicam 30 mg a day over 15 mg), added
    #: to the sheet's "Sources" line: the sheet's static sources name only the row medicines' labels
    limit_sources: tuple[str, ...] = ()
    #: With ``above_max``: the ingredient over its limit, for the clinician, in English (the
    #: profile's names applied): "codeine 360 mg a day, above this patient's maximum of 240 mg a
    #: day" ("; "-joined when several), so the note names exactly what is over, never the sheet's
    #: class (gp18 F8: "Paracetamol ... is above this patient's maximum" for codeine).
    over: str | None = None
    #: ``above_max`` is worded step by step (the ingredient over its limit is never stopped at once)
    over_taper: bool = False
    #: coco34 (H-MED-708): ``above_max`` is about one product holding an ingredient above its maximum
    #: that is stopped at once (paracetamol) AND one never stopped at once (codeine: classes.toml
    #: ``[stop_gradually]``): co-codamol 30/500 at 12 tablets a day. The product as recorded ("co-codamol
    #: 30/500"), for the clinician's note; every sheet that shows it gives the one plan: the prescriber
    #: changes it today, the patient does not cut it down or stop it on their own.
    combined: str | None = None
    #: sheetplan35 (H-MED-722): with ``above_max``: the amount over its maximum counts a regimen in a name read either
    #: way ("co-codamol 30/500 3 x 4", "tramacet 3 x 4", no dose typed: :func:`_guessed_in`): the sheets print no
    #: amount (never "acetaminophen 6000 mg a day", "tramadol 450 mg a day"), only that as written it may be more
    #: than is safe, headed "Check your dose"
    amount_guessed: bool = False
    #: sheets36 (H-MED-742): with ``above_max``: the ingredient over its limit is not the sheet's own medicine (the
    #: tramadol of Zaldiar on the paracetamol sheet): the paragraph printed in place of the sheet's "Do not take more
    #: than {max_daily_dose} in a day" paragraph, whose harm is the sheet medicine's own ("More than this can harm
    #: your liver" was printed for Zaldiar at 9 tablets, its paracetamol within its limit); names what the limit is
    #: about, with ``limit_harm_sources`` for the Sources line. None: the sheet's own paragraph
    limit_harm: str | None = None
    limit_harm_sources: tuple[str, ...] = ()
    #: The patient takes this medicine now at or below their maximum, or at a dose not
    #: recorded: what they take, in English for the clinician's note (e.g. "gabapentin
    #: 3600 mg a day"). The sheet then says to keep taking it as prescribed and prints no
    #: starting bullets (sheet key ``starting``): "start 300 mg a day" is not for someone
    #: already on 3600 (red-team rt9 F2). None: not taken now (the starting regimen).
    taken_now: str | None = None
    #: Paragraphs printed right after "Your dose: ..." (for a medicine taken now whose label
    #: warns against stopping it abruptly: "Do not stop it suddenly ...").
    after_dose: tuple[str, ...] = ()
    #: The patient takes two current products the medicine engine rates "avoid" together
    #: (the same ingredient twice, or two of this class): the boxed text naming both, saying
    #: they count toward one daily maximum and to ask before the next dose which one to keep
    #: taking. The sheet then never says "keep taking" (red-team rt10 F2). None otherwise.
    together_box: str | None = None
    #: The same for the clinician's note, in English (e.g. "acetaminophen 4000 mg a day and
    #: co-codamol 30/500 (dose not recorded), both containing acetaminophen").
    together: str | None = None
    #: What the together box asks, for the clinician's note: "same" (one ingredient twice: one
    #: daily maximum, which one to keep), "taper" (two different opioids or gabapentinoids: one
    #: plan, neither stopped suddenly) or "class" (two of a kind: not to be taken together at all, which one)
    together_kind: str = "same"
    #: how many products the together box names (its heading says "Two of your medicines" for 2 only)
    together_count: int = 2
    #: words33 (H-UI-522): how many products of the sheet the patient takes now (as recorded, each name once):
    #: two or more print the sheet's ``taken_now_several`` lines ("You already take them")
    taken_count: int = 0
    #: the together box also asks whether to keep taking them at all (:func:`_together_also_avoid`): the
    #: sheet then prints no how-to-take bullets ("Take it with food"), as a sheet that asks first (uk17)
    together_asks_at_all: bool = False
    #: avoid2 (H-MED-633): for the clinician's note, the other medicines (as recorded) the together box says they
    #: should not be taken with, and those of them it tells the patient to keep taking (an anticoagulant beside
    #: two NSAIDs: rules.toml ``keep``), so the note says what the sheet says
    together_not_with: tuple[str, ...] = ()
    together_kept: tuple[str, ...] = ()
    #: sheet3 (H-MED-652): (product taken together, other medicine) for an other medicine that clashes with only
    #: that product (co-codamol with tramadol), as the box names them
    together_pairs: tuple[tuple[str, str], ...] = ()
    #: Kidney function is unknown for a medicine dosed by it (the data's renal bands or kidney
    #: rules): why, for the clinician ("no creatinine recorded"). The sheet then does not say
    #: the dose is set for the kidneys; it asks the patient to ask whether it is (rt10 F3).
    kidney_unchecked: str | None = None
    #: The intake records long-term use that changes how this medicine may be stopped (for
    #: steroid pills, prolonged corticosteroid use: adrenal suppression), for the clinician's
    #: note, in English (e.g. "prolonged corticosteroid use is recorded"). None otherwise.
    long_term: str | None = None
    #: The patient takes this medicine now and the medicine check rates it "avoid" (or worse)
    #: for them (an interaction with another current medicine, or a patient factor such as age
    #: with falls): the boxed text asking them to ask before the next dose whether to keep
    #: taking it, and why in plain words. The sheet then never says "keep taking ... as
    #: prescribed" (red-team rt11 F3). None otherwise.
    avoid_box: str | None = None
    #: ``avoid_box`` says "Do not take it" (contraindicated, and safe to stop at once), headed so
    stop_now: bool = False
    #: Every medicine of the sheet taken now is a skin patch, or fentanyl/buprenorphine printed as
    #: one (``may_be_opioid_patch``): its ask-first words say "before you put on your next patch"
    #: and "keep using", never "before your next dose" (gp20 F13, fxl20 leftover)
    patch: bool = False
    #: The pregnancy box asks whether to keep taking it (an NSAID below 20 weeks) and the dose line
    #: defers to that question ("pregnancy_ask_dose"): the clinician's note never says the sheet
    #: keeps the current dose (fxo20 leftover)
    pregnancy_asks: bool = False
    #: Where the CAUTION with another medicine went on a sheet whose box is stronger than
    #: CAUTION: "ask" (said in the ask-first or taken-together box, before the next dose, never
    #: "take care"), "stop" (the sheet says not to take it: the pair is moot, not printed) or ""
    #: (its own "Ask about your other medicines" box). A sheet is never softer than the window's
    #: rating of its medicine (fxo20 leftover)
    caution_in: str = ""
    #: The ask-first (or "Do not take it") box's only reason is the pregnancy: the pregnancy's own
    #: sentences (weeks, tell the midwife) open that box and no second pregnancy box repeats its
    #: question or its reason (gp20 F13 at 31 weeks; rt22 F12 at 20-29 weeks)
    pregnancy_only: bool = False
    #: With ``stop_now``: what the "Do not take it" box says after its own sentence (the dose to
    #: check), kept when the pregnancy box's words take that box's place (``pregnancy_only``)
    box_note: str = ""
    #: A medicine of the sheet taken now is never stopped at once by its own ingredient, although
    #: its class may be (baclofen, tizanidine: :func:`_sheet_tapers`): the clinician's note says
    #: "not to stop it suddenly" as for a tapered class (src19)
    tapered: bool = False
    #: ``stop_now`` for two or more products: "Do not take them" (fxa18: "Do not take it" for two)
    stop_them: bool = False
    #: sheetplan35 (H-MED-720): a product of the sheet taken now also holds an ingredient of another class never
    #: stopped at once (:func:`_tapered_also`: the codeine of co-codamol on the paracetamol sheet, of Nurofen Plus on
    #: the NSAID sheet): the sheet's how-to-take lines are its ``taking_if_tapered`` ones, never "stop and tell us"
    holds_tapered: bool = False
    #: ``avoid_box`` is rated avoid only for the opioid total (rules.toml opioid-mme-50/-90; mme21,
    #: gp20 F2): headed "Your opioid dose is high", it says not to change or stop the dose on their
    #: own and to ask at the next review about the dose and naloxone (CDC 2022 recommendations 5
    #: and 8), never "keep taking" and never "ask before your next dose" (a missed dose of a high
    #: opioid dose is the sudden stop CDC warns against)
    high_dose: bool = False
    #: With ``high_dose``: the rule that rated it is the one for methadone or buprenorphine taken
    #: now (rules.toml ``taking_generic``; the window's "High opioid dose if for pain"): the CDC
    #: thresholds are for pain, not for treating opioid use disorder, so the box says "if you take
    #: it for pain" and never "your dose is high" outright (rt24 F8)
    high_dose_if_pain: bool = False
    #: With ``high_dose``: the rule that rated it is one the window labels "Reassess opioid dose"
    #: (50-89 MME/day: rules.toml opioid-mme-50, ``alert_label``), not "High opioid dose" (90 or
    #: more): the box asks the patient to ask the prescriber to review the dose and never says the
    #: dose is high (sht24; the band is the window's rule's own, :func:`_mme_band`)
    reassess: bool = False
    #: The form of each medicine of the sheet taken now (:func:`product_form`: "patch", "buccal
    #: tablet" ..., "other"): each product gets its own form's sections (``forms``), a patch beside
    #: another form the mixed title, never one form's sheet for both (rt24 F5). Empty: a new
    #: prescription.
    forms: tuple[str, ...] = ()
    #: With ``stop_now``: the ingredients of the product stopped that must not be stopped
    #: suddenly, in English ("codeine" of Nurofen Plus at 31 weeks): the sheet asks the patient
    #: to contact the clinician today about a replacement for them (fxa18). None otherwise.
    replaced: str | None = None
    #: The same for the clinician, in English: the engine's reason texts ("; "-joined).
    avoid: str | None = None
    #: The rating those reasons give, as the clinician's medicine table says it: "AVOID", or
    #: "CONTRAINDICATED" (ibuprofen from 30 weeks of pregnancy), never a milder word (gp16 F3)
    avoid_rating: str = "AVOID"
    #: The medicine check rates this sheet's medicine CAUTION with another medicine the patient
    #: takes now (ibuprofen beside long-term prednisolone: GI bleeding): the boxed text naming
    #: the other medicine and what to ask, in plain words (rules.toml ``patient_words``), so a
    #: flagged pair is never printed as a silent "keep taking" or starting dose (red-team rt12
    #: F9, med12's ibuprofen + prednisolone). None otherwise.
    caution_box: str | None = None
    #: The same for the clinician, in English: "<other medicines>: <the engine's reasons>".
    caution: str | None = None
    #: The patient is pregnant, takes this medicine now and the medicine check carries a
    #: pregnancy warning for it (caution or worse): the boxed text in plain words (tell the
    #: maternity team you take it; for the classes whose labels warn against it, do not stop
    #: it suddenly; for opioids, withdrawal in the baby after birth). None otherwise (rd13 D1).
    pregnancy_box: str | None = None
    #: The box's heading (LABELS key): "pregnant", or "pregnant_ask" when the pregnancy recorded
    #: is past its plausible end on the sheet's date (``PregnancyOnDate.beyond_plausible_end``)
    pregnancy_heading: str = "pregnant"
    #: The pregnancy rules whose plain "why" the box gives (:data:`PREGNANCY_STOP_WHY`): their
    #: sources are printed on the sheet's Sources line
    pregnancy_rules: tuple[str, ...] = ()
    #: The same for the clinician, in English: the engine's pregnancy reason texts.
    pregnancy: str | None = None
    #: The medicine the sheet is about, as the patient reads it (``{medicine}``): the recorded
    #: medicine's generic name in the sheet's language, with the product name as recorded in
    #: brackets when it is another name ("metilprednisolona (Medrol)"); for a new prescription
    #: the dose's medicine. None: not known (a sheet naming it then cannot be printed).
    medicine: str | None = None
    #: The generic names of that medicine (medicine data): the sheet's sections about one
    #: medicine of its class are printed only for it (``handout_content.for_medicines``).
    generics: tuple[str, ...] = ()
    #: The recorded daily dose is far above any usual dose of a medicine whose label states no
    #: maximum (drugs.toml ``check_above_daily_mg``; a likely typing or unit slip): the
    #: clinician's words (the engine's reason). The sheet's ``above_max`` box then asks the
    #: patient to check the dose with the prescriber, never "keep taking" (rt14 F1).
    dose_check: str | None = None
    #: ``dose_check`` is a combination product recorded in mg that could not be turned into
    #: its components (no strength in the name; G17): the note says that, not "far above".
    dose_unread: bool = False
    #: ``dose_check`` is a regimen written in the name that cannot be read or disagrees with the
    #: recorded dose (cmb17): the note says that
    dose_from_name: bool = False
    #: grams (H-MED-511): ``dose_check`` is a daily dose far BELOW any usual dose (a daily dose typed
    #: in grams?): the box and the note say "far less" / "far below", never "far above"
    dose_below: bool = False
    #: sheetwords F4 (H-MED-615): ``dose_check`` is a daily dose far above the medicine's own label maximum
    #: (``DoseCheck.far_above_max``): the box says contact today, take no more
    far_above_max: bool = False
    #: sheet2 (H-MED-645): what kind of check ``dose_check`` is (``DoseCheck.what``: "patch_strength",
    #: "patch_per_hours", "patch_interval", "injected", "weekly", "slip", "far_above") and its own few words
    #: (``medications.dose_check_why``): the clinician's note says which, never "far above the usual amount" for
    #: a patch's interval or a route
    dose_check_what: str = ""
    dose_check_why: str = ""
    #: With ``above_max`` (or a dose to check): what the patient reads about the dose UNDER an
    #: ask-first box, when the medicine's rating is stronger than its dose's (Avoid or
    #: Contraindicated > Reduce dose > Check the dose, :func:`_asks_before_dose`): that it is also
    #: above the maximum, or that the dose in the record needs checking, never an instruction to go
    #: on taking it ("take no more than 2400 mg a day from now on": rt21 F1, F2).
    ask_first_note: str | None = None
    #: handout29 (H-MED-519): the handout sources of a plain "why" the box asking before the next dose
    #: gives for a pregnancy rule rated Avoid (:data:`PREGNANCY_AVOID_WHY`: NSAIDs from 20 weeks, the
    #: FDA's 2020 communication, under uk the MHRA's 2023 update), added to the sheet's Sources line
    why_sources: tuple[str, ...] = ()
    #: handout29 (H-MED-521): the source ids of the daily maximum the sheet prints ("Do not take more than
    #: 150 mg in a day") when it is the medicine's own label's (a medicine without a row: diclofenac)
    max_sources: tuple[str, ...] = ()
    #: The medicines taken now (their names on the sheet, :func:`_med_name`) that this sheet tells
    #: the patient not to stop suddenly: its own medicines of the taper data, and the others a
    #: box names with "Do not stop your diazepam 5mg tds suddenly". Recorded where the sentence is
    #: built, so the general "Do not stop it suddenly" box is left out for exactly these, never
    #: because a name merely appears on a sheet (rt21 F3: diazepam named only in a caution box).
    not_suddenly_for: tuple[str, ...] = ()
    #: The current medicines (as recorded) of this sheet's class taken now (its boxes follow their
    #: alerts, a pair with one of them included): the handout's block about the other alerted
    #: medicines leaves out an alert naming one of them, so no medicine is said twice (sheet28).
    covers: tuple[str, ...] = ()
    #: The other current medicines its Avoid, taken-together or caution box names and asks about
    #: (ibuprofen on a steroid sheet): an alert about these alone is left out of that block too.
    also_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class OtherMedicineAlert:
    """A current medicine (or a pair taken together) the medicine check rates Contraindicated or
    Avoid, for the handout's block about medicines no printed sheet covers (sheet28: misoprostol in
    pregnancy, clopidogrel with omeprazole were on no sheet): the recorded names (to leave out what
    a printed sheet covers), the heading (LABELS key) and the paragraphs in the sheet's language
    (``{clinic_name}`` and ``{clinic_contact}`` filled at print time)."""

    medicines: tuple[str, ...]
    heading: str
    paragraphs: tuple[str, ...]
    #: the alert's rating ("contraindicated", "avoid"), for the clinician's note
    status: str = ""
    #: handout source ids (resources/handouts/sources.toml) the plain "why" rests on
    sources: tuple[str, ...] = ()
    #: an interaction's pair or more, taken together (the clinician's note says "a with b"; wording30)
    together: bool = False


@dataclass(frozen=True)
class HandoutRequest:
    patient_name: str
    clinician: str
    clinic_name: str
    clinic_contact: str
    date: dt.date
    #: the next visit printed ("Your next visit is on ..."); None while a surgical opinion is
    #: awaited and the clinician gave no date (path34: the sheets print ``awaiting_opinion`` then)
    next_follow_up_date: dt.date | None
    lang: str = "en"
    sheets: tuple[str, ...] = GENERAL_SHEETS
    doses: Mapping[str, MedicineDose] = field(default_factory=dict)  # medicine_class -> dose
    large_print: bool = False
    paper: str = "a4"
    content_version: str | None = None
    #: the clinic's country code (domain.emergency.COUNTRIES): decides the emergency number
    country: str = "other"
    #: the clinic name and contact as the clinic gave them ("" when not given)
    clinic_name_given: str | None = None
    clinic_contact_given: str | None = None
    clinician_given: str | None = None
    #: The emergency or urgent red flags standing for this patient on ``date``
    #: (``domain.followup.StandingRedFlags``), or None: the handout then leads with the
    #: tier's sheet (:data:`.handout_content.RED_FLAG_SHEETS`).
    red_flags: object | None = None
    #: The reassuring sheets left out because a red flag stands (the default selection).
    left_out: tuple[str, ...] = ()
    #: Red-flag questions still to ask (an incomplete screen: ``TriageResult.must_ask``):
    #: the routine sheets' reassurance assumes answers nobody has given yet.
    ask_first: tuple[str, ...] = ()
    #: What a decision recorded since the red flag stood says about it (a referral on a date),
    #: or None: the red-flag sheet still leads, and the clinician is told why (rt9 F4).
    decided: str | None = None
    #: Medicine sheets of the default selection (a medicine the patient was given) left out
    #: because the medicine check gives no dose for this patient: (sheet id, why), so the
    #: clinician is told which and why (red-team rt11 F3).
    not_offered: tuple[tuple[str, str], ...] = ()
    #: The patient wears a fentanyl or buprenorphine skin patch now: the sheets print their
    #: patch sections (``opioid_patch``) and leave out the heat pad and hot bath, which the
    #: fentanyl label warns raise the dose through the patch (gp19 F1).
    opioid_patch: bool = False
    #: No recognised opioid patch, but a medicine not recognised is written as a skin patch
    #: ("nicotine patch 21mg", "Carlosafine 10 micrograms/hour patch"): the sheets about the
    #: illness and exercise leave out the heat advice and say "if you wear a pain patch"; a
    #: medicine sheet follows its own medicine's form, so a codeine tablet's sheet stays a
    #: tablet's sheet with its daily limit (rt23 F2, H-MED-397).
    unrecognised_patch: bool = False
    #: The medicines taken now that are never stopped at once (:func:`_never_stopped_at_once`),
    #: each as (its name on the sheet, its generic names in the sheet's language): one no printed
    #: sheet names gets a "Do not stop it suddenly" box on the first sheet (gp19 F3: diazepam
    #: beside ibuprofen was on no sheet).
    never_stopped_at_once: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Current medicines (as recorded) that are fentanyl or buprenorphine written with no form
    #: ("fentanyl 25"): printed as a patch (``opioid_patch``), and the clinician is told (rt21 F4).
    possible_patches: tuple[str, ...] = ()
    #: Current medicines (as recorded) the engine does not recognise, each with a close known name
    #: or None: no sheet gives advice for them, the heat advice included, so the clinician is told
    #: whatever sheets are printed (:func:`unrecognised_note`; rt22 F2).
    unrecognised: tuple[tuple[str, str | None], ...] = ()
    #: Current medicines (as recorded) that are buprenorphine written in mg with no form
    #: ("buprenorphine 8mg od"): not a patch (a patch is micrograms an hour), form not known; the
    #: clinician is told (:func:`form_not_known_note`; rt22 F6).
    form_not_known: tuple[str, ...] = ()
    #: The substances of the skin plasters or patches that are no opioid the patient uses now
    #: (routes.toml ``topical_patches``: "lidocaine" for Versatis, Ralvo, Lidoderm or "lidocaine 5%
    #: plaster"; "capsaicin" for Qutenza): the general sheets print their own boxes (``topical``
    #: sections), never the possible opioid patch's words (sht24).
    topical_patches: tuple[str, ...] = ()
    #: Every current medicine the medicine check rates Contraindicated or Avoid (the window's
    #: alerts), worded for the patient (:func:`other_medicine_alerts`): the ones no printed medicine
    #: sheet covers are printed in a block of their own (sheet28).
    other_medicines: tuple[OtherMedicineAlert, ...] = ()
    #: mtx (H-MED-496): the medicine check's dose lines ("Check the dose", "Reduce dose") about medicines no medicine
    #: sheet is made for (methotrexate written daily): no sheet can carry them, so the clinician is told whatever
    #: sheets are printed (:func:`unsheeted_dose_checks`)
    unsheeted_dose_checks: tuple[str, ...] = ()
    #: sheet3 (H-MED-654): current medicines (recorded name, generics) taken once a week (drugs.toml weekly_only:
    #: methotrexate) whose regimen the medicine check asks about (written daily or on more than one day a week):
    #: a sheet naming one names it without that regimen and asks the patient to check it is taken once a week
    #: (:func:`weekly_asked_medicines`)
    weekly_asked: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: the guideline profile the doses, maxima and ratings were worked out under, said on every
    #: sheet's review line ("UK guidance"; prof30); None for a request made by hand without one
    profile: str | None = None
    #: path34: the date of the referral for a surgical opinion awaited (the case's last decision),
    #: when no next visit date was given: the sheets say no routine visit is booked and the patient
    #: waits for the surgical opinion (``awaiting_opinion`` paragraphs), never a date the app made up
    awaiting_opinion: dt.date | None = None
    #: redflag36 (H-PATH-914): the case's next-visit decision (``domain.monitoring.next_visit_decision``: the
    #: triage tier and the referral awaited), the one the case page and the visit form show; None for a
    #: request made by hand without a case (then the standing red flags stand for it, as before)
    visit: object | None = None

    @property
    def red_flag_no_visit(self) -> str | None:
        """The tier ("emergency", "urgent") when no routine visit is printed because an emergency or urgent
        red flag stands (the decision's, never the sheets chosen), else None."""
        if self.visit is not None:
            from radiculopathy_desktop.domain.monitoring import NEXT_VISIT_RED_FLAG_NOW
            return self.visit.tier if self.visit.kind == NEXT_VISIT_RED_FLAG_NOW else None
        return self.red_flags.tier if self.red_flags is not None else None

    def values(self, sheet: hc.HandoutSheet | None = None) -> dict[str, str]:
        from radiculopathy_desktop.domain.emergency import COUNTRIES, emergency_words
        out = {
            "patient_name": self.patient_name,
            "date": long_date(self.date, self.lang),
            "clinician": self.clinician,
            "clinic_name": self.clinic_name,
            "clinic_contact": self.clinic_contact,
            # None only while a surgical opinion is awaited: no sheet prints it then (for_awaiting_opinion);
            # a sheet that still did would be refused by name (render_text), never print an empty date
            "next_follow_up_date": (None if self.next_follow_up_date is None
                                    else long_date(self.next_follow_up_date, self.lang)),
            "clinic_details": clinic_details(
                self.clinic_name if self.clinic_name_given is None else self.clinic_name_given,
                self.clinic_contact if self.clinic_contact_given is None else self.clinic_contact_given,
                self.lang, self.clinician if self.clinician_given is None else self.clinician_given),
            "given_by": given_by(
                self.clinician if self.clinician_given is None else self.clinician_given,
                self.clinic_name if self.clinic_name_given is None else self.clinic_name_given, self.lang),
            **emergency_words(COUNTRIES.get(self.country, COUNTRIES["other"]), self.lang),
            # the day the record that raised the standing red flag was made, not the print date
            "flag_date": long_date(getattr(self.red_flags, "since", None) or self.date, self.lang),
        }
        if sheet is not None and sheet.medicine_class:
            dose = self.doses.get(sheet.medicine_class)
            if dose is not None:
                out["dose_range"] = dose.dose_range
                out["max_daily_dose"] = dose.max_daily_dose
                if dose.medicine is not None:
                    out["medicine"] = dose.medicine
        return out


_CLINIC_DETAILS = {
    "en": ("Your clinic is {name}. The phone number is {contact}.",
           "Your clinic is {name}. The phone number is on your appointment card.",
           "Your clinic's phone number is {contact}.",
           "Your clinic's phone number is on your appointment card."),
    "es": ("Su centro es {name}. El teléfono es el {contact}.",
           "Su centro es {name}. El teléfono está en su tarjeta de cita.",
           "El teléfono de su centro es el {contact}.",
           "El teléfono de su centro está en su tarjeta de cita."),
}


_CLINICIAN_SENTENCE = {"en": " Your clinician is {clinician}.", "es": " Su profesional es {clinician}."}
_GIVEN_BY = {
    "en": ("{clinician} at {clinic}", "{clinician}", "{clinic}", "Your clinic"),
    # "Se la dio su profesional, Dr Demo, el ...": a noun of both genders before the name, never
    # "Se la dio Dr Demo" without the article the name's gender would need (rd13 D5)
    "es": ("su profesional, {clinician}, de {clinic},", "su profesional, {clinician},", "{clinic}", "su centro"),
}


def clinic_details(name: str, contact: str, lang: str = "en", clinician: str = "") -> str:
    """The clinic, its phone and the clinician, from what was given (any may be empty): never
    "Your clinic is your clinic" or "Your clinician is your clinician"."""
    both, name_only, contact_only, neither = _CLINIC_DETAILS.get(lang, _CLINIC_DETAILS["en"])
    name, contact, clinician = (name or "").strip(), (contact or "").strip(), (clinician or "").strip()
    if name and contact:
        out = both.format(name=name, contact=contact)
    elif name:
        out = name_only.format(name=name)
    elif contact:
        out = contact_only.format(contact=contact)
    else:
        out = neither
    if clinician:
        out += _CLINICIAN_SENTENCE.get(lang, _CLINICIAN_SENTENCE["en"]).format(clinician=clinician)
    return out


def given_by(clinician: str, clinic: str, lang: str = "en") -> str:
    """Who gave the sheet: "Dr Ruiz at Riverside", "Dr Ruiz", "Riverside" or "Your clinic"."""
    both, clinician_only, clinic_only, neither = _GIVEN_BY.get(lang, _GIVEN_BY["en"])
    clinician, clinic = (clinician or "").strip(), (clinic or "").strip()
    if clinician and clinic:
        return both.format(clinician=clinician, clinic=clinic)
    if clinician:
        return clinician_only.format(clinician=clinician)
    if clinic:
        return clinic_only.format(clinic=clinic)
    return neither


# --------------------------------------------------------------------------- values from a case
def default_next_follow_up(case: Case, as_of: dt.date, profile: str = "us") -> dt.date:
    """The next visit date to print when the clinic gives none (``domain.monitoring``):
    a "continue conservative care until" date not yet reached; otherwise the day the
    surgical-review window opens if that is still ahead; otherwise two weeks from
    ``as_of``; at 65 or over, never more than two weeks away (the intervals are the ``profile``'s
    follow-up interval data; interval36).
    """
    from radiculopathy_desktop.domain.monitoring import suggested_next_visit

    return suggested_next_visit(case, as_of, profile=profile)


def clinician_of(case: Case) -> str | None:
    for visit in reversed(case.visits):
        if visit.clinician:
            return visit.clinician
    return case.intake.clinician


def medicine_classes_for(case: Case, as_of: dt.date | None = None) -> list[str]:
    """Medicine classes this patient takes now (their medicine list, as the medicine table
    recognises it, on ``as_of``) or has been given or tried (intake and visits).

    A medicine taken now counts by its CLASS in the medicine data, as the sheet's dose does
    (:func:`doses_from_engine`): dexamethasone, methylprednisolone or hydrocortisone is a
    systemic corticosteroid and gets the steroid sheet ("do not stop it suddenly") like
    prednisolone, celecoxib the NSAID sheet, although no row of the table doses them
    (red-team rt12 F7)."""
    seen: list[str] = []
    if as_of is not None:
        from radiculopathy_desktop.domain.medications import assess_medications
        for code in sorted(sheet_classes_taken_now(assess_medications(case.intake_as_of(as_of), as_of))):
            seen.append(code)
    for t in case.all_treatments():
        if t.code in hc.MEDICINE_SHEETS and t.code not in seen:
            seen.append(t.code)
    return seen


def sheet_classes_of(report):
    """``report`` with each current medicine's classes as the medicine sheets count them: its own, and
    the class a rules.toml ``[[dose_class]]`` gives it at its dose (``MedicationReport.dose_classed``):
    aspirin 900 mg four times a day is an NSAID, so the NSAID sheet is about it too and asks about it
    (handout29, H-MED-518: beside meloxicam and apixaban the sheet asked about the meloxicam only, the
    aspirin was only "your aspirin 900mg qds" it should not be taken with)."""
    extra: dict[str, list[str]] = {}
    for name, cls in getattr(report, "dose_classed", ()):
        extra.setdefault(name, []).append(cls)
    if not extra:
        return report
    meds = tuple(m._replace(classes=tuple(dict.fromkeys((*m.classes, *extra[m.name])))) if m.name in extra else m
                 for m in report.current_medicines)
    return replace(report, current_medicines=meds)


def sheet_classes_taken_now(report) -> frozenset[str]:
    """The medicine sheets' treatment codes (``oral_corticosteroid``, ``nsaid``...) of the
    medicines the patient takes now: a row of the medicine table takes it (prednisolone on the
    prednisone row), or a current medicine is of the row's drug class in the medicine data
    (dexamethasone is a ``systemic_corticosteroid``, like the prednisone row). The same test
    as :func:`doses_from_engine`'s "taking", so the default selection and the sheet agree."""
    taken = {c for m in sheet_classes_of(report).current_medicines for c in m.classes}
    return frozenset(r.treatment_code for r in report.rows
                     if r.treatment_code in hc.MEDICINE_SHEETS and (r.currently_taking or r.drug_class in taken))


class UnrecognisedMedicineError(UserError):
    """A handout with doses was asked for while a current medicine is not recognised."""


def standing_red_flags(case: Case, as_of: dt.date):
    """The emergency or urgent red flags standing for this patient on ``as_of`` (the same
    rule that makes the case Immediate and that a decision must acknowledge:
    ``domain.followup.standing_red_flags``), or None. A decision acknowledging them does
    not make them go away for the patient: what the handout tells them to do stays."""
    from radiculopathy_desktop.domain.followup import standing_red_flags as standing

    return standing(case, as_of)


_DECISION_WORDS = {
    "referred_for_surgical_opinion": "a referral for a surgical opinion",
    "continue_conservative_care": "a decision to continue conservative care",
    "patient_declined": "the patient's decision to decline a surgical opinion",
    "resolved_discharged": "a decision that the case is resolved or discharged",
}


def decided_despite_flag(case: Case, flags, day: dt.date) -> str | None:
    """The clinician's note when a decision acknowledging a standing red flag was recorded
    (on or after the day it was raised, up to ``day``): the red-flag sheet still leads, because a decision does
    not clear the flag (a later visit answering its questions "no" does). None otherwise.

    The handout is given to the patient: after a referral they must still know to go now if
    it happens or continues (red-team rt9 F4)."""
    if flags is None:
        return None
    # the decisions that acted on these flags: recorded since they stood, acknowledging one of
    # them (a decision stored before acknowledgements were recorded acknowledges by its date)
    later = [d for d in case.decisions if flags.since <= d.date <= day
             and (d.acknowledged_red_flags is None or set(d.acknowledged_red_flags) & set(flags.flags))]
    if not later:
        return None
    last = max(later, key=lambda d: d.date)
    kind = getattr(last.kind, "value", last.kind)
    sheet = "emergency" if flags.tier == "emergency" else "urgent"
    return (f"{_DECISION_WORDS.get(kind, 'a decision')} was recorded on {last.date.isoformat()}; the {sheet} sheet "
            "still leads because the red flag stands (a decision does not clear it; a later visit answering its "
            "questions \u201cno\u201d does)")


def awaiting_opinion_notice(req: "HandoutRequest") -> str | None:
    """path34: what the clinician is told when the sheets print no next visit because a surgical
    opinion is awaited (the referral is the case's last decision and no date was given), or None."""
    if req.awaiting_opinion is None:
        return None
    return (f"referred for a surgical opinion on {req.awaiting_opinion.isoformat()}: no routine next visit is "
            "booked, so the sheets say the patient is waiting for the surgical opinion (call sooner if worse; "
            "do not wait if a warning sign starts) and print no visit date; give --next-visit if you booked one.")


def red_flag_no_visit_notice(req: "HandoutRequest") -> str | None:
    """redsheet35: what the clinician is told when the sheets print no next visit because an emergency
    or urgent red flag stands, no referral is awaited and no date was given, or None."""
    tier = req.red_flag_no_visit  # redflag36: the triage tier's decision, whatever sheets were chosen
    if req.next_follow_up_date is not None or req.awaiting_opinion is not None or tier is None:
        return None
    return (f"an {tier} red flag stands: no routine next visit is booked, so the sheets print no visit "
            "date and send the patient to the red-flag sheet first; give --next-visit if you booked one.")


def red_flag_notice(req: "HandoutRequest") -> str | None:
    """What the clinician is told when the handout leads with a red-flag sheet (the command
    prints it on stderr, the window shows it), or None."""
    flags = req.red_flags
    if flags is None:
        if req.ask_first:
            from radiculopathy_desktop.domain.triage import ASK_NOW_SHORT
            asks = ", ".join(ASK_NOW_SHORT.get(q, q.replace("_", " ")) for q in req.ask_first)
            return (f"red-flag screen incomplete: ask about {asks} before giving this handout; its reassurance "
                    "(\u201cWill it get better? Yes\u201d) assumes no red flag, and the warning-signs sheet tells "
                    "the patient what to do if one appears.")
        return None
    sheet = hc.RED_FLAG_SHEETS[flags.tier]
    title = hc.load_sheet(sheet, req.lang).title
    text = f"{flags.tier.upper()} red flag standing ({flags.headline}; since {flags.since.isoformat()}): "
    if req.date < flags.since:
        # --as-of before the flag (rt9 F12): the flag as stored today decides, not the date printed
        text += (f"the red flag recorded on {flags.since.isoformat()} stands today, although the sheet is dated "
                 f"{req.date.isoformat()}, before it; ")
    text += f"the handout leads with \u201c{title}\u201d"
    if req.left_out:
        text += (" and leaves out the routine sheets it would otherwise print (" + ", ".join(req.left_out)
                 + "); name them to print them after it")
    if req.decided:
        text += f". {req.decided[0].upper()}{req.decided[1:]}"
    return text + ". Act on the red flag now: the handout does not replace that."


def dose_notices(req: "HandoutRequest") -> list[str]:
    """What the clinician is told about medicine sheets printed for a medicine the patient
    takes now: above their maximum, or at or below it ("keep taking your current dose")
    (the command prints them on stderr, the window shows them). A note that concerns two
    sheets (two products taken together, each on its own sheet) is said once, naming both."""
    said: dict[str, list[str]] = {}  # note -> the sheets it concerns, in the order first met
    for cls, dose in req.doses.items():
        sheet = hc.MEDICINE_SHEETS.get(cls)
        if sheet not in req.sheets:
            continue
        for note in _dose_notes(cls, dose):
            sheets = said.setdefault(note, [])
            if sheet not in sheets:
                sheets.append(sheet)
    out = [f"{', '.join(sheets)}: {note}" for note, sheets in said.items()]
    out.extend(f"{sheet}: not printed, although the patient was given this kind of medicine: {why}."
               for sheet, why in req.not_offered)
    if req.possible_patches:
        out.append(possible_patch_note(req.possible_patches))
    if req.form_not_known:
        out.append(form_not_known_note(req.form_not_known))
    out.extend(f"No medicine sheet covers it: {text}" for text in req.unsheeted_dose_checks)
    boxed = other_medicines_printed(req)
    if boxed:  # sheet28: said on the first sheet, in a box of their own
        from radiculopathy_desktop.domain.medicine_alerts import together_names

        # a pair taken together "a with b", three "a, b and c" (never "a with b with c"); the medicines of another
        # box (two products containing misoprostol: birth-control advice) "a and b" (wording30)
        out.append("The handout names, in a box of its own (no printed sheet covers them), what the medicine check "
                   "rates: " + "; ".join(f"{together_names(a.medicines) if a.together else and_joined(a.medicines)}: "
                                         f"{a.status.upper()}" for a in boxed) + ".")
    return out


def unsheeted_dose_checks(case: Case, day: dt.date, profile: str = "us") -> tuple[str, ...]:
    """The dose lines of the medicine check (``report.dose_checks``) about medicines none of whose classes has a
    medicine sheet (methotrexate written daily, mtx H-MED-496): said to the clinician with the handout, since no
    sheet can carry them."""
    from radiculopathy_desktop.domain import medications

    report = sheet_classes_of(medications.assess_medications(case.intake_as_of(day), day, profile=profile))
    classes = {m.name: m.classes for m in report.current_medicines}
    return tuple(dict.fromkeys(c.text for c in report.dose_checks
                               if not any(cls in hc.MEDICINE_SHEETS for n in c.medicines for cls in classes.get(n, ()))))


def weekly_asked_medicines(case: Case, day: dt.date, profile: str = "us") -> tuple[tuple[str, tuple[str, ...]], ...]:
    """sheet3 (H-MED-654): the current medicines (recorded name, generics) of a medicine taken once a week
    (drugs.toml ``weekly_only``: methotrexate) that a dose check asks about: written daily ("methotrexate 2.5mg od")
    or on more than one day a week ("methotrexate 2.5mg twice weekly"), the known fatal error of the MHRA's 2020
    once-weekly update (mhra-methotrexate-weekly)."""
    from radiculopathy_desktop.domain import medications

    report = medications.assess_medications(case.intake_as_of(day), day, profile=profile)
    data = medications.load_medicine_data()
    weekly = {g for g, limit in data.dose_limits.items() if limit.kind == "weekly"}
    asked = {n for c in report.dose_checks for n in c.medicines}
    return tuple((m.name, tuple(m.generics)) for m in report.current_medicines
                 if m.name in asked and weekly.intersection(m.generics))


def _weekly_asked_box(sheets: list[hc.HandoutSheet], req: "HandoutRequest") -> list[hc.HandoutSheet]:
    """sheet3 (H-MED-654): every printed sheet that names a medicine of ``req.weekly_asked`` names it without its
    regimen ("methotrexate", never "methotrexate 2.5mg twice weekly" repeated as if right) and opens with a box
    asking the patient to check with their prescriber, before the next dose, that it is taken once a week
    (tryout31 D7: the NSAID sheet repeated "methotrexate 2.5mg twice weekly" and nothing warned)."""
    if not req.weekly_asked:
        return sheets
    from types import SimpleNamespace

    out = []
    for sheet in sheets:
        named = []
        words: dict[str, str] = {}
        for name, generics in req.weekly_asked:
            med = SimpleNamespace(name=name, generics=generics)
            bare = tr_drug(req.lang, generics[0]) if len(generics) == 1 else _med_name(med, req.lang).split()[0]
            said = _said_name(med, req.lang)
            # every shape plainwords prints the name in (bracketed, at a clause's end, inline) and the name as recorded
            for shown in sorted({str(said), said.at_clause_end, _med_name(med, req.lang, plain=True),
                                 display_name(" ".join(name.split()))}, key=len, reverse=True):
                words[shown] = bare
            if any(shown in t for shown in words for t in _sheet_texts(sheet)) and bare not in named:
                named.append(bare)
        if not named:
            out.append(sheet)
            continue

        def plain(text: str) -> str:
            for shown, bare in words.items():
                text = text.replace(shown, bare)
            return text

        sections = tuple(replace(sec, heading=plain(sec.heading), paragraphs=tuple(map(plain, sec.paragraphs)),
                                 bullets=tuple(map(plain, sec.bullets)), after=tuple(map(plain, sec.after)))
                         for sec in sheet.sections)
        boxes = tuple(hc.HandoutSection(heading=tr(req.lang, "weekly_check_heading", name=n),
                                        paragraphs=(tr(req.lang, "weekly_check_box", name=n, name_cap=n[:1].upper() + n[1:]),),
                                        important=True)
                      for n in named)
        out.append(replace(sheet, sections=(*boxes, *sections),
                           sources=tuple(dict.fromkeys((*sheet.sources, "mhra-methotrexate-weekly")))))
    return out


def _sheet_texts(sheet: hc.HandoutSheet):
    for sec in sheet.sections:
        yield sec.heading
        yield from sec.paragraphs
        yield from sec.bullets
        yield from sec.after


def other_medicines_printed(req: "HandoutRequest") -> list["OtherMedicineAlert"]:
    """The alerts of ``req.other_medicines`` the handout prints in a block of their own: those about
    medicines no printed medicine sheet covers (:func:`_other_medicines_box`)."""
    printed = [d for cls, d in req.doses.items() if hc.MEDICINE_SHEETS.get(cls) in req.sheets]
    covered = frozenset(n for d in printed for n in d.covers)
    named = frozenset(n for d in printed for n in d.also_names)
    return [a for a in req.other_medicines
            if not covered.intersection(a.medicines) and not set(a.medicines) <= covered | named]


def form_not_known_medicines(case: Case, as_of: dt.date) -> tuple[str, ...]:
    """The current medicines (as recorded) whose dose in mg says they are not a skin patch but
    which name no other form ("buprenorphine 8mg od"; routes.toml ``not_patch_in_mg``; rt22 F6)."""
    from radiculopathy_desktop.domain import medications

    data = medications.load_medicine_data()
    return tuple(dict.fromkeys(m.name for m in medications.assess_medications(case.intake, as_of).current_medicines
                               if data.form_not_known(m)))


def form_not_known_note(names: Sequence[str]) -> str:
    """What the clinician is told (the command on stderr, the window's handout dialog) about
    buprenorphine written in mg with no form: not printed as a patch (rt22 F6)."""
    joined = and_joined(f"\u201c{display_name(n)}\u201d" for n in names)
    one = len(names) == 1
    return (f"{joined} {'is' if one else 'are'} written in mg and name{'s' if one else ''} no form: a skin patch is "
            "written in micrograms an hour, so the sheets do not treat "
            f"{'it' if one else 'them'} as a patch (no patch box; the heat advice is printed) and do not say which "
            "form it is. Record the form (for example \u201cbuprenorphine 8 mg tablets\u201d, or "
            "\u201cbuprenorphine 10 micrograms/hour patch\u201d if it is a patch) and print the handout again.")


def unrecognised_current(case: Case, as_of: dt.date) -> tuple[tuple[str, str | None], ...]:
    """The current medicines the engine does not recognise, as recorded, each with the close known
    name it suggests (or None)."""
    from radiculopathy_desktop.domain import medications

    return tuple(dict.fromkeys((m.name, m.suggestion) for m in
                               medications.assess_medications(case.intake, as_of).current_medicines if not m.generics))


def unrecognised_note(unknown: Sequence[tuple[str, str | None]]) -> str | None:
    """What the clinician is told (the command on stderr, the window's handout dialog) whenever a
    handout is printed while a current medicine is not recognised, whichever sheets are chosen:
    the general sheets' advice (heat included) was not checked against it (rt22 F2: an
    unrecognised fentanyl patch got the heat pad and nobody was told)."""
    if not unknown:
        return None
    from radiculopathy_desktop.domain import medications

    data = medications.load_medicine_data()
    # sht24: a lidocaine plaster or a capsaicin patch (routes.toml topical_patches) is said as what it
    # is, never "not recognised" nor a possible opioid patch
    plasters = [(name, data.topical_patch(name)) for name, _hint in unknown]
    plasters = [(name, substance) for name, substance in plasters if substance is not None]
    shown = {name for name, _ in plasters}
    topical = [(name, data.non_opioid_written_as_patch(name)) for name, _hint in unknown if name not in shown]
    topical = [(name, generic) for name, generic in topical if generic is not None]
    shown |= {name for name, _ in topical}
    patches = [(name, hint) for name, hint in unknown if name not in shown and data.written_as_patch(name)]
    others = [(name, hint) for name, hint in unknown if name not in shown and not data.written_as_patch(name)]
    out = [_topical_patch_note(plasters)] if plasters else []
    if topical:  # rt23 F5: a known non-opioid medicine written as a patch is no possible opioid patch
        parts = [f"\u201c{display_name(name)}\u201d ({generic} as a skin patch)" for name, generic in topical]
        one = len(topical) == 1
        out.append(f"{and_joined(parts)} {'is' if one else 'are'} not checked: a skin patch of "
                   f"{'that medicine' if one else 'those medicines'} is not the medicine by mouth the medicine checks "
                   f"are for; the sheets give no advice for {'it' if one else 'them'} (heat advice included, since "
                   f"{'it is' if one else 'they are'} not an opioid patch).")
    if others:
        parts = [f"\u201c{display_name(name)}\u201d" + (f" (did you mean {hint}?)" if hint else "") for name, hint in others]
        one = len(others) == 1
        out.append(f"{and_joined(parts)} {'is' if one else 'are'} not recognised: the sheets give no advice for "
                   f"{'it' if one else 'them'} (heat advice included); check the name. If it is a skin patch "
                   "(fentanyl, buprenorphine), record it as one (for example \u201cfentanyl 25 micrograms/hour "
                   "patch\u201d) so that the sheets leave out the heat pad and hot bath.")
    if patches:  # src21 (gp20 F3): written as a patch, so printed as a possible opioid patch
        parts = [f"\u201c{display_name(name)}\u201d" + (f" (did you mean {hint}?)" if hint else "") for name, hint in patches]
        one = len(patches) == 1
        out.append(f"{and_joined(parts)} {'is' if one else 'are'} not recognised but written as a skin patch: the "
                   f"sheets treat {'it' if one else 'them'} as a possible opioid patch (no heat pad or hot bath; "
                   "\u201cif you wear a pain patch\u201d; no medicine sheet becomes a patch sheet) and give no other advice for "
                   f"{'it' if one else 'them'}; check the name. If it is fentanyl or buprenorphine, record it by "
                   "that name (for example \u201cfentanyl 25 micrograms/hour patch\u201d) so that the medicine "
                   "checks count it.")
    return " ".join(out)


#: What each substance of :func:`topical_patches_used` is (one, several) and what the sheets print for
#: it, for the clinician (sht24)
_TOPICAL_SAYS = {
    "lidocaine": ("a lidocaine plaster", "lidocaine plasters",
                  "the sciatica sheet prints its own box from its label (no more than 12 hours in a day, only on "
                  "unbroken skin, no heat on or near it, new and used plasters away from children) and keeps the "
                  "general heat advice"),
    "capsaicin": ("a capsaicin patch, put on in the clinic", "capsaicin patches, put on in the clinic",
                  "the sciatica sheet says it is put on and taken off in the clinic and asks the patient to ask "
                  "you before putting heat on the treated skin"),
}


def _topical_patch_note(plasters: Sequence[tuple[str, str]]) -> str:
    """The clinician's note for the current lidocaine plasters and capsaicin patches (sht24): what each
    is, that it is no opioid and not counted in MME, and what the sheets print for it."""
    parts = []
    for substance in dict.fromkeys(x for _name, x in plasters):
        names = [name for name, x in plasters if x == substance]
        one_is, several_are, says = _TOPICAL_SAYS.get(
            substance, (f"a {substance} skin patch", f"{substance} skin patches", "the sheets give no advice for it"))
        one = len(names) == 1
        parts.append(f"{and_joined(f'“{display_name(n)}”' for n in names)} {'is ' + one_is if one else 'are ' + several_are} "
                     f"(no opioid, not counted in MME; the medicine checks do not hold {substance}): {says}.")
    return " ".join(parts)


def possible_patch_note(names: Sequence[str]) -> str:
    """What the clinician is told (the command on stderr, the window's handout dialog) about
    fentanyl or buprenorphine recorded with no form: printed as a skin patch (rt21 F4)."""
    joined = and_joined(f"\u201c{display_name(n)}\u201d" for n in names)
    return (f"{joined} names no form (patch, buccal, sublingual or nasal): the sheets treat "
            f"{'it' if len(names) == 1 else 'them'} as a skin patch, with no heat pad or hot bath and the patch box. "
            "If it is not a patch, record the form (for example \u201cfentanyl 100 micrograms buccal tablet\u201d) "
            "and print the handout again.")


def _dose_notes(cls: str, dose: MedicineDose) -> list[str]:
    """The notes of :func:`dose_notices` for one sheet's dose, without the sheet's name."""
    out = []
    tapered = cls in TAPERED_CLASSES or dose.tapered  # the class, or the medicine itself (src19)
    if dose.avoid_box is not None and dose.stop_now:
        # "Do not take it" (fxa18): never "asks whether to keep taking it" nor "check the dose"
        out.append("taken now" + (f" ({dose.taken_now})" if dose.taken_now else "") + " although the medicine check "
                   f"rates it {dose.avoid_rating} for this patient ({dose.avoid}); {_stop_note(dose)}"
                   + (f" Its dose check, for the record: {dose.dose_check}" if dose.dose_check else ""))
    elif dose.avoid_box is not None and (dose.over or dose.dose_check):
        # rated avoid (or asked about while the pregnancy is not settled) and its dose also above the
        # maximum or to be checked: the ask-first box wins, the dose is said under it (rt21 F1, F2)
        out.append(f"taken now ({dose.taken_now or dose.over or 'dose as recorded'}) although the medicine check "
                   f"rates it {dose.avoid_rating} for this patient ({dose.avoid}); the sheet does not say to keep "
                   "taking it or how much to take: it asks the patient to ask you before their next dose whether to "
                   "keep taking it, and why, and says under that "
                   + (f"that the dose written in the record needs checking with you (its dose check: "
                      f"{as_clause(dose.dose_check)})" if dose.dose_check else
                      f"that the dose is also above the maximum ({dose.over})")
                   + (", and not to stop it or cut it down all at once (you lower it step by step)"
                      if tapered or dose.over_taper else "") + ", with no daily maximum.")
    elif dose.dose_check and dose.dose_from_name:
        out.append(f"{dose.dose_check} The sheet does not say to keep taking it: it says the record does not say "
                   "clearly how much the patient takes a day and asks them to check the dose with you or their "
                   "pharmacist before their next dose; record the daily dose or correct the name.")
    elif dose.dose_check and dose.dose_unread:
        out.append(f"{dose.dose_check} The sheet does not say to keep taking it: it says the record does not say "
                   "how much of each medicine in the product the patient takes and asks them to check the dose with "
                   "you or their pharmacist before their next dose; record the strength and the dose.")
    elif dose.dose_check:
        # sheet2 (H-MED-645): the note says what the sheet's box says for this kind of check (DoseCheck.what),
        # never "far above the usual amount" for a patch's rate per 24 hours, its interval or an injected dose
        patch = dose.patch or dose.dose_check_what.startswith("patch_")
        if dose.far_above_max:
            says = ("the recorded dose is far above the most that is safe in a day and asks the patient to contact "
                    "you or their pharmacist today, before their next dose, and "
                    + ("to take no more than now and not to stop it suddenly" if tapered
                       else "to take no more of it until the dose is checked"))
        elif dose.dose_below:
            says = ("the recorded dose is far below the usual amount (perhaps grams written as milligrams) and asks "
                    "the patient to check it with you or their pharmacist before their next dose")
        elif dose.dose_check_what in ("", "far_above"):
            says = ("the recorded dose is far above the usual amount and asks the patient to check it with you or "
                    "their pharmacist before their next dose")
        else:
            says = (f"the recorded dose needs checking ({dose.dose_check_why}) and asks the patient to check it with "
                    f"you or their pharmacist before their next {'patch' if patch else 'dose'}")
        out.append(f"{dose.dose_check} The sheet does not say to keep {'using' if patch else 'taking'} it: it says "
                   f"{says}" + (", and not to stop it suddenly" if tapered and not dose.far_above_max else "")
                   + "; confirm or correct the recorded dose.")
    elif dose.above_max and dose.combined:
        # coco34 (H-MED-708): one plan for a product holding paracetamol and an opioid
        out.append(f"{dose.combined}: {dose.over}"
                   + (" (counted from the regimen in its name read either way, with no daily dose recorded: the "
                      "sheet prints no amount, only that as written it may be more than is safe; confirm the dose)"
                      if dose.amount_guessed else "")
                   + "; it also holds a medicine never stopped at once; the sheet "
                   "says so first, names the product and what it contains, and asks them to contact the prescriber "
                   + ("today, who checks the dose and changes it if needed" if dose.amount_guessed else
                      "today, who changes it")
                   + ", and meanwhile to take no more and not to cut it down or stop it on their "
                   "own (no \"take no more than the maximum from now on\"), with no starting dose.")
    elif dose.above_max and dose.amount_guessed:
        # sheetplan35 (H-MED-722): counted from a regimen read either way: the sheet prints no amount
        out.append((f"{dose.over}" if dose.over else "the current dose is above this patient's maximum")
                   + " (counted from the regimen in a name read either way, with no daily dose recorded); the sheet "
                   "prints no amount: it says that as written it may be more than the maximum and asks them to check "
                   "the dose with you or their pharmacist before their next dose"
                   + (", and not to stop it suddenly" if cls in TAPERED_CLASSES or dose.over_taper else "")
                   + "; confirm the dose.")
    elif dose.above_max:
        out.append((f"{dose.over}" if dose.over else "the current dose is above this patient's maximum")
                   + "; the sheet says so first and "
                   + ("asks them to follow your plan to lower it step by step (give them that plan)"
                      if cls in TAPERED_CLASSES or dose.over_taper
                      else "tells them to take no more than the maximum from now on")
                   + ", with no starting dose."
                   # taken together too (opi18 put both in one box): the clinician still reads the
                   # products and how a combination's dose was read
                   + (f" Also taken together ({dose.together}), which the medicine check rates avoid; the sheet "
                      f"{_together_says(dose)}." if dose.together is not None else ""))
    elif dose.together is not None:
        out.append(f"taken together ({dose.together}), which the medicine check rates avoid; the "
                   f"sheet does not say to keep taking them: it {_together_says(dose)}."
                   # and above the maximum (fxl20): the together box leads, the dose said under it
                   + (f" The dose is also above the maximum ({dose.over}): the sheet says so under that box as a "
                      "fact, with no \"take no more than\" from now on"
                      + (" and not to stop it or cut it down all at once (you lower it step by step)"
                         if tapered or dose.over_taper else "") + "."
                      if dose.over else ""))
    elif dose.avoid_box is not None and dose.high_dose:
        out.append(f"taken now ({dose.taken_now}) at an opioid total the medicine check labels {dose.avoid_rating} for this patient "
                   f"({dose.avoid}); {_high_dose_says(dose)}")
    elif dose.avoid_box is not None:
        out.append(f"taken now ({dose.taken_now}) although the medicine check rates it {dose.avoid_rating} for this patient "
                   f"({dose.avoid}); the sheet does not say to keep {_taking(dose)} it: it asks the patient to ask you "
                   f"before {_next(dose)} whether to keep {_taking(dose)} it, and why"
                   + (", and not to stop it suddenly (you lower it step by step)" if tapered else "")
                   + ", with no starting dose and no daily maximum.")
    elif dose.taken_now is not None and dose.pregnancy_asks:
        # the pregnancy box asks and the dose line defers to it (rt22 F10): never "keep taking" (fxo20 leftover)
        out.append(f"taken now ({dose.taken_now}); the sheet does not say to keep taking it: its pregnancy box asks "
                   "the patient to ask you whether to keep taking it, and its dose line defers to that question "
                   "(the daily maximum is kept), with no starting dose.")
    elif dose.taken_now is not None:
        # a skin patch is "keep using", as its sheet says (fxl20 leftover)
        out.append(f"taken now ({dose.taken_now}); the sheet says to keep {_taking(dose)} the current "
                   f"{'patch' if dose.patch else 'dose'} as prescribed unless you change it"
                   + (", and not to stop it suddenly (you lower it step by step)" if tapered
                      else "")
                   + ", with no starting dose.")
    if dose.avoid and dose.avoid_box is None:
        out.append(f"the medicine check also rates it {dose.avoid_rating} for this patient ({dose.avoid}).")
    if dose.kidney_unchecked and (dose.taken_now is not None or dose.together is not None):
        out.append(f"the kidney maximum could not be checked ({dose.kidney_unchecked}); the sheet does "
                   "not say the dose is set for the kidneys: it asks the patient to ask you whether the dose is "
                   "right for their kidneys (they may need a blood test).")
    elif dose.kidney_unchecked and dose.after_dose and dose.above_max is None:
        # not taken yet, a kidney condition or kidney rule: the starting dose (red-team rt11 F5)
        out.append(f"the kidney maximum was not checked ({dose.kidney_unchecked}); the sheet gives the usual "
                   "starting dose, does not say it is set for the kidneys, and tells the patient to ask you about "
                   "their kidneys before starting it (they may need a blood test).")
    if dose.caution:
        out.append(_caution_note(dose))
    if dose.pregnancy:
        out.append(f"pregnant: the medicine check warns ({dose.pregnancy}); the sheet says so first in plain words "
                   "and asks the patient to tell their maternity team they take it"
                   + (" and not to stop it suddenly." if tapered else "."))
    if dose.long_term:
        out.append(_long_term_note(dose))
    return out


def _high_dose_says(dose: MedicineDose) -> str:
    """What the sheet of an opioid rated only for the opioid total says, for the clinician (mme21);
    with methadone or buprenorphine, "if for pain" as the window's label (rt24 F8)."""
    if dose.reassess:
        # 50-89 MME/day, the window's "Reassess opioid dose" (sht24)
        high = ("it asks the patient to ask their prescriber to review the opioid dose (never that it is high)"
                + (", if it is taken for pain, and says that if it treats opioid dependence the team treating it "
                   "sets that dose" if dose.high_dose_if_pain else ""))
    else:
        high = ("it says that if it is taken for pain the opioid dose is high, and that if it treats opioid "
                "dependence the team treating it sets that dose" if dose.high_dose_if_pain
                else "it says the opioid dose is high")
    return ("the sheet does not say to keep taking it as it is, nor to ask before the next dose: "
            f"{high}, not to change it or stop it on their own, and to ask at their next review about the dose and "
            "about naloxone, with no starting dose and no daily maximum.")


def _taking(dose: MedicineDose) -> str:
    """"using" for a skin patch (its sheet says "keep using"), else "taking" (fxl20 leftover)."""
    return "using" if dose.patch else "taking"


def _next(dose: MedicineDose) -> str:
    """"their next patch" for a skin patch (its sheet asks "before you put on your next patch"),
    else "their next dose" (gp20 F13)."""
    return "they put on their next patch" if dose.patch else "their next dose"


def _together_says(dose: MedicineDose) -> str:
    """What the sheet's "taken together" box says, for the clinician (as the box is worded): what it asks about the
    medicines taken together, then, when the box also asks whether to keep taking them at all (another medicine
    they should not be taken with), that too, and the medicine it tells the patient to keep taking (avoid2,
    H-MED-633: two NSAIDs with apixaban, the note said only "which one to keep taking" while the sheet says to keep
    taking the apixaban)."""
    said = _together_kind_says(dose)
    if not dose.together_asks_at_all:
        return said
    said += ", and also whether to keep taking them at all"
    if dose.together_not_with:
        said += f" (they should not be taken with {and_joined(dose.together_not_with)})"
    for member, other in dose.together_pairs:
        said += f" ({member} should not be taken with {other})"
    if dose.together_kept:
        them = len(dose.together_kept) > 1
        said += (f"; it tells the patient to keep taking {and_joined(dose.together_kept)} and not to stop "
                 f"{'them' if them else 'it'} unless the doctor who prescribed {'them' if them else 'it'} says so")
    return said


def _together_kind_says(dose: MedicineDose) -> str:
    """What the "taken together" box asks about the medicines taken together, by its kind."""
    if dose.together_kind == "taper":
        # two different opioids (or gabapentinoids): no shared mg maximum, never "which one"
        return ("names them, says they should not be taken together and asks the patient to ask you soon how "
                "to go on to one plan, and not to stop either one suddenly")
    if dose.together_kind == "class":
        # wording29 (H-MED-562): two different NSAIDs do not share "one daily maximum"; the labels say not
        # to combine them at all
        return ("names them, says they should not be taken together (no added benefit, more harm), and asks the "
                "patient to ask you before their next dose which one to keep taking")
    return ("names them, says they contain the same medicine and count toward one daily maximum, and asks the "
            "patient to ask you before their next dose which one to keep taking")


def mid_sentence(name: str) -> str:
    """A medicine class's name as it reads inside a sentence: "Paracetamol" -> "paracetamol",
    "Opioid (including tramadol)" -> "opioid (including tramadol)"; an initialism ("NSAID") is
    kept (gp18 F8: class names were capitalised mid-sentence)."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def and_joined(items) -> str:
    """"a", "a and b", "a, b and c" (English, for the clinician's notes); items that hold commas themselves
    ("codeine 30mg qds: no daily dose recorded, read from the name ...") are kept apart by semicolons, "a; b; and c"
    (wording30: three were "a and b and c")."""
    items = list(items)
    if len(items) < 3:
        return " and ".join(items)
    if any("," in i for i in items):
        return f"{'; '.join(items[:-1])}; and {items[-1]}"
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _stop_note(dose: MedicineDose) -> str:
    """What a "Do not take it" sheet (``stop_now``) says, for the clinician: never "asks whether
    to keep taking it"."""
    return ("the sheet says not to take it and to contact you about another option, with no dose to keep taking"
            + (f"; it asks the patient to contact you today about a replacement for the {dose.replaced} in it, "
               "so that is not stopped all at once." if dose.replaced else "."))


def _caution_note(dose: MedicineDose) -> str:
    """What the clinician is told about a CAUTION with a medicine taken now (rt12 F9)."""
    if dose.caution_in == "ask":
        return (f"the medicine check rates it CAUTION with {as_clause(dose.caution)}; the sheet names the other "
                "medicine in the box that asks first and asks the patient to ask you about it before their next "
                "dose (no softer \"take care\" box beside it).")
    if dose.caution_in == "stop":
        return (f"the medicine check rates it CAUTION with {as_clause(dose.caution)}; the sheet says not to take it, "
                "so it does not ask about taking them together.")
    kept = dose.taken_now is not None or dose.above_max is not None or dose.together is not None
    return (f"the medicine check rates it CAUTION with {as_clause(dose.caution)}; the sheet names the other medicine and "
            + ("asks the patient to ask you about taking them together." if kept else
               "asks the patient to ask you before starting it (it gives the starting dose)."))


def _long_term_note(dose: MedicineDose) -> str:
    """What the clinician is told when the intake records long-term steroid use (rt10 F6)."""
    kept = dose.taken_now is not None or dose.above_max is not None or dose.together is not None
    return (f"{as_clause(dose.long_term)}: the adrenal glands may be suppressed, so stopping it or cutting it down quickly "
            "can cause adrenal insufficiency (prednisone label; BNF: withdraw gradually after more than 3 weeks' "
            "treatment). "
            + ("The sheet tells the patient not to stop it suddenly: give them your plan to lower it step by step."
               if kept else
               "The sheet prints the new course, which steps down and stops: decide whether it needs a slower "
               "taper at the end."))


def as_clause(text) -> str:
    """``text`` as a clause inside a sentence: without its own full stop (gp17 F13: "ductus
    arteriosus).; betnesol", "added for sciatica.):")."""
    return str(text).strip().rstrip(".").rstrip()


def taken_now_note(doses: Mapping[str, MedicineDose], ticked=None) -> str | None:
    """:func:`taken_now_notes` as one paragraph (sheets named by their ids), or None."""
    return " ".join(taken_now_notes(doses, ticked)) or None


def taken_now_notes(doses: Mapping[str, MedicineDose], ticked=None, sheet_name=None) -> list[str]:
    """The notes for the window's handout dialog, one sentence each: the medicines whose sheet
    says "keep taking your current dose" (taken now, at or below the maximum), those taken
    although advised against or together, the kidney checks not made, a pregnancy. Each note is
    said once, also when two sheets share it (two products taken together). A CAUTION with a
    medicine taken now is named for the sheets in ``ticked`` (every sheet when None), each sheet
    by ``sheet_name(sheet_id)`` (its id when None: the window passes its title)."""
    name = sheet_name or (lambda sheet_id: sheet_id)
    kept = [dose for dose in doses.values()
            if dose.taken_now is not None and not dose.above_max and dose.avoid_box is None
            and not dose.pregnancy_asks]
    # the pregnancy box asks and the dose line defers to it: never "keep taking" (fxo20 leftover)
    asked = list(dict.fromkeys(as_clause(dose.taken_now) for dose in doses.values()
                               if dose.taken_now is not None and not dose.above_max and dose.avoid_box is None
                               and dose.pregnancy_asks))
    taken = list(dict.fromkeys(as_clause(dose.taken_now) for dose in kept if not dose.patch))
    worn = list(dict.fromkeys(as_clause(dose.taken_now) for dose in kept if dose.patch))  # "keep using" (fxl20)
    # one note per medicine taken although advised against, with its own rating (gp17 F13: the
    # entries were joined into one long sentence under "AVOID or CONTRAINDICATED")
    avoid = list(dict.fromkeys(
        # its own rating, as the CLI's note says it: "ASK FIRST (PREGNANT)" before 20 weeks is no AVOID (fxh20)
        (d.avoid_rating,
         f"{as_clause(d.taken_now or d.together or d.over or 'taken now')}: {as_clause(d.avoid)}",
         _stop_note(d) if d.stop_now else
         _high_dose_says(d) if d.high_dose and d.avoid_box is not None else
         "the sheet leads with the dose above the maximum (said above) and does not say to keep taking it."
         if d.above_max and d.avoid_box is None else None, d.patch)
        for d in doses.values() if d.avoid))
    starting = [name(hc.MEDICINE_SHEETS[cls]) if cls in hc.MEDICINE_SHEETS and sheet_name else cls.replace("_", " ")
                for cls, dose in doses.items()
                if dose.kidney_unchecked and dose.after_dose and dose.taken_now is None and dose.together is None
                and dose.above_max is None]
    together = list(dict.fromkeys((as_clause(dose.together), _together_says(dose))
                                  for dose in doses.values() if dose.together is not None))
    unchecked = list(dict.fromkeys(as_clause(dose.taken_now or dose.together) for dose in doses.values()
                                   if dose.kidney_unchecked and (dose.taken_now is not None or dose.together is not None)))
    long_term = list(dict.fromkeys(_long_term_note(dose) for dose in doses.values() if dose.long_term))
    # a CAUTION with a medicine taken now: for the sheets ticked (``ticked``: the classes the
    # window ticks by default; None: every sheet), not a sheet nobody prints
    caution = list(dict.fromkeys(f"{name(hc.MEDICINE_SHEETS.get(cls, cls))}: " + _caution_note(dose)
                                 for cls, dose in doses.items()
                                 if dose.caution and (ticked is None or cls in ticked)))
    out = []
    if taken:
        out.append("Taken now, so its sheet says to keep taking the current dose as prescribed (no starting dose): "
                   + "; ".join(taken) + ".")
    if asked:
        out.append("Taken now while pregnant, so its sheet asks the patient to ask you whether to keep taking it "
                   "(the dose line defers to that question; no starting dose): " + "; ".join(asked) + ".")
    if worn:
        out.append("Worn now (a skin patch), so its sheet says to keep using it as prescribed (no starting dose): "
                   + "; ".join(worn) + ".")
    for rating, entry, stop, patch in avoid:
        if stop is not None:  # "Do not take it" (fxa18) or the "too high" box: never "asks whether to keep taking it"
            out.append(f"{rating} for this patient, yet taken now ({entry}): {stop[0].upper()}{stop[1:]}")
            continue
        out.append(f"{rating} for this patient, yet taken now ({entry}): its sheet does not say to keep taking it; "
                   "it asks the patient to ask you before the next dose whether to keep taking it." if not patch else
                   f"{rating} for this patient, yet worn now ({entry}): its sheet does not say to keep using it; "
                   "it asks the patient to ask you before they put on the next patch whether to keep using it.")
    for products, says in together:
        out.append(f"Taken together although they should not be ({products}): the sheet does not say to keep "
                   f"taking them; it {says}.")
    if unchecked:
        reasons = sorted({as_clause(d.kidney_unchecked) for d in doses.values() if d.kidney_unchecked})
        out.append("The kidney maximum could not be checked (" + "; ".join(reasons) + ") for "
                   + "; ".join(unchecked) + ": the sheet asks the patient to ask you whether the dose is right "
                   "for their kidneys.")
    if starting:
        reasons = sorted({as_clause(d.kidney_unchecked) for d in doses.values()
                          if d.kidney_unchecked and d.after_dose and d.taken_now is None and d.together is None})
        out.append("The kidney maximum was not checked (" + "; ".join(reasons) + ") for the starting dose of "
                   + "; ".join(starting) + ": the sheet tells the patient to ask you about their kidneys before "
                   "starting it.")
    pregnancy = list(dict.fromkeys(as_clause(dose.pregnancy) for dose in doses.values() if dose.pregnancy))
    if pregnancy:
        out.append("Pregnant (" + "; ".join(pregnancy) + "): the medicine sheet says so first and asks the "
                   "patient to tell their maternity team they take it.")
    out.extend(note[0].upper() + note[1:] for note in long_term)
    out.extend(caution)  # "NSAID (ibuprofen...): the medicine check rates it CAUTION with ..."
    return out


def no_dose_reasons(case: Case, as_of: dt.date, classes, profile: str = "us", short: bool = False) -> dict[str, str]:
    """Sheet id -> why the medicine check gives no dose for it for this patient (a sheet
    not offered), in English for the clinician: the engine's reason when it rates every
    medicine of the sheet avoid (or worse), else that it gives no maximum for this patient.
    ``short``: each reason cut to its lead (before its first colon), for the dialog's note."""
    from radiculopathy_desktop.domain import medications

    classes = [c for c in classes if c in hc.MEDICINE_SHEETS]
    if not classes:
        return {}
    report = medications.assess_medications(case.intake_as_of(as_of), as_of, profile=profile)
    out = {}
    for cls in classes:
        texts: list[str] = []
        rating = "AVOID"
        for row in report.rows:
            if row.treatment_code != cls:
                continue
            for reason in row.reasons:
                try:
                    rank = MedicineStatus(reason.severity).rank
                except ValueError:
                    continue
                if rank < MedicineStatus.AVOID.rank:
                    continue
                if rank >= MedicineStatus.CONTRAINDICATED.rank:
                    # the rating its reason gives (gptry: "rates it AVOID (... NSAIDs are contraindicated
                    # in the last trimester ...)" at 32 weeks, where the window says Contraindicated)
                    rating = "CONTRAINDICATED"
                text = reason.text.split(": ")[0].rstrip(".") if short else reason.text
                if text not in texts:
                    texts.append(text)
        out[hc.MEDICINE_SHEETS[cls]] = (
            (f"{rating}: " + "; ".join(texts[:2]) if short else
             f"the medicine check rates it {rating} for this patient (" + "; ".join(texts[:2]) + ")") if texts
            else "no dose or maximum for this patient" if short
            else "the medicine check gives no dose or maximum for this patient")
    return out


def unrecognised_medicines(case: Case, as_of: dt.date) -> tuple[str, ...]:
    """Current medicines the engine does not recognise (their interactions were not checked)."""
    from radiculopathy_desktop.domain import medications

    return medications.assess_medications(case.intake, as_of).unrecognised_medicines


def _pregnancy_on(case: Case, as_of: dt.date, weeks_on: dt.date | None):
    """The pregnancy standing on ``as_of`` (the record as it stands then), its weeks counted on
    ``weeks_on`` (the sheet's date) when given (sheet28)."""
    on = case.pregnancy_on(as_of)
    return replace(on, day=weeks_on) if on is not None and weeks_on is not None else on


def doses_from_engine(case: Case, as_of: dt.date, lang: str = "en", profile: str = "us",
                      self_care: bool = False, unsettled: Sequence[str] = (),
                      weeks_on: dt.date | None = None) -> dict[str, MedicineDose]:
    """This patient's dose per medicine class from ``domain.medications``.

    ``weeks_on``: the date printed on the sheet when it is not ``as_of`` (the command line's
    ``--as-of`` before today): the record is the case as it stands on ``as_of``, the pregnancy weeks
    (said on the sheet, and rated by the pregnancy bands) those on the sheet's date, so a sheet
    dated 21 November never says the weeks of 2 December (sheet28).

    ``unsettled``: medicines as recorded that another case's pregnancy would rate avoid or
    contraindicated while the pregnancy differs between her cases
    (:func:`pregnancy_unsettled_medicines`): their sheet never says "keep taking" but asks
    before the next dose (gp19 F2).

    A class the patient already takes gets the medicine they take, never another of the
    class: its own row's dose when the engine doses it, else no dose and "follow your
    prescriber and the label" naming that medicine (celecoxib, oxycodone, a combination
    product whose component doses are not recorded). A class the patient does not take
    gets the first row the engine doses and does not advise against. Rows the engine marks
    ``avoid`` or worse, or without a maximum for this patient (under 18), give no sheet.

    Gabapentinoids: the label's starting dose and titration, capped by the kidney band;
    with kidney function unknown the sheet says the dose depends on it. Ibuprofen on a
    self-care sheet: the over-the-counter dose and 1200 mg maximum.
    """
    from radiculopathy_desktop.domain import medications

    report = sheet_classes_of(medications.assess_medications(case.intake_as_of(as_of), weeks_on or as_of,
                                                             profile=profile))
    # words33 (H-MED-694): names printed on the sheet leave out a dose written in them that the check asks about
    with _judging(report):
        return _doses_of_report(report, case, as_of, lang, profile, self_care, unsettled, weeks_on)


def _doses_of_report(report, case: Case, as_of: dt.date, lang: str, profile: str, self_care: bool,
                     unsettled: Sequence[str], weeks_on: dt.date | None) -> dict[str, MedicineDose]:
    """:func:`doses_from_engine` for the medicine check ``report`` of the case."""
    from radiculopathy_desktop.domain import medications

    data = medications.load_medicine_data()
    drugs = {d.id: d for d in data.drugs}
    by_class: dict[str, list] = {}
    for row in report.rows:
        if row.treatment_code in hc.MEDICINE_SHEETS:
            by_class.setdefault(row.treatment_code, []).append(row)
    out: dict[str, MedicineDose] = {}
    for cls, rows in by_class.items():
        engine_classes = {r.drug_class for r in rows}
        taking = [m for m in report.current_medicines if engine_classes.intersection(m.classes)]
        together = _taken_together(engine_classes, taking, report) if taking else None
        named: set[str] = set()  # other medicines an AVOID box already names
        if together is not None:
            dose = _together_dose(cls, together, report, drugs, data, lang)
            named.update(m.name for m in together[0])  # the together box names them
            also = _avoid_beyond_together(together, taking, rows, report)
            stopped = _together_contraindicated(dose, together, rows, report, data)
            if stopped:
                # one of the two is contraindicated for the patient herself (uk: diclofenac with
                # cardiovascular disease, meloxicam only cautioned): say which to stop, never ask
                # "which one to keep taking" (pairs, H-MED-500); the dose of the one stopped is not
                # said, and one kept above its maximum (or to check) is asked about, never "keep taking"
                gone = {m.name for m in stopped}
                kept_doses = [o for o in (_dose_for_taken(m, rows, drugs, report, lang, self_care, data, profile)
                                          for m in _distinct_medicines([m for m in taking if m.name not in gone]))
                              if o is not None]
                unsure = any(o.above_max or o.dose_check for o in kept_doses)
                dose = _together_stop_one(dose, together, stopped, also, rows, report, data, lang, unsure)
            elif also is not None:
                named.update(m.name for m in also[0])
                # gabapentin + pregabalin + oxycodone: "which one to keep" is not the whole
                # story; every AVOID reason reaches the sheet and the clinician (med12)
                dose = _together_also_avoid(dose, also, lang,
                                            pregnancy_avoid_why(taking, rows, data, report, profile),
                                            together=together, report=report)
            above = [o for o in (_dose_for_taken(m, rows, drugs, report, lang, self_care, data, profile)
                                 for m in _distinct_medicines(taking)
                                 if not stopped or m.name not in {g.name for g in stopped})
                     if o is not None and o.above_max and not o.dose_check]
            over = [o.above_max for o in above]
            if over and dose is not None and dose.together_box:
                # taken together AND one above its maximum (paracetamol with co-codamol, 8 g a
                # day; tramadol 600 mg with oxycodone): one box, chosen by the one strongest-first
                # order (fxh20, :func:`_asks_before_dose`). The pair is rated Avoid together,
                # stronger than the dose's Reduce dose, so the together box leads and asks before
                # the next dose which one to keep (two opioids: how to go on to one plan), and
                # each dose above its maximum is said under it as a fact, never "take no more
                # than X a day from now on" beside "which one to keep" (fxh20 leftover)
                merged = replace(dose, above_max=" ".join(dict.fromkeys([*over, dose.together_box])),  # each once (gp18 F2)
                                 over="; ".join(dict.fromkeys(o.over for o in above if o.over)) or None,
                                 over_taper=any(o.over_taper for o in above))
                dose = (_together_over_dose(merged, above, lang) if _asks_before_dose(merged, "AVOID")
                        else merged)
            far = _far_above_max_check(cls, taking, report, data) if not stopped else None
            if far is not None and dose is not None and dose.together_box:
                # sheet3 (H-MED-651): one product (or the products' total) far above the label maximum
                # (paracetamol 16000 mg a day beside co-codamol) is an overdose if really taken: the
                # "contact your prescriber today, take no more" box wins over "which one to keep taking",
                # which printed 16000 mg as her dose (tryout31 D2)
                dose = _far_above_wins(dose, far, cls, taking, lang, _guessed_in(far, report))
        elif taking:
            dose = _dose_for_taken(taking[0], rows, drugs, report, lang, self_care, data, profile)
            distinct = _distinct_medicines(taking)
            others = [_dose_for_taken(m, rows, drugs, report, lang, self_care, data, profile) for m in distinct[1:]]
            if dose is not None and any(o is not None and (o.above_max or o.dose_check) for o in others):
                # two different medicines of the sheet, one above its maximum (or far above any
                # usual dose): each one's box and dose, never the first alone (hd16)
                dose = _each_taken(dose, others, lang)
            elif (len(taking) > 1 and dose is not None and not dose.above_max and dose.dose_check is None
                    and (not _dosed_by_row(taking[0], rows, drugs) or len(distinct) > 1)):
                # several products of a medicine the app does not dose (oxycodone and OxyContin),
                # or two different medicines of the sheet (prednisolone and dexamethasone): every
                # one named with its own dose, and the total of one medicine (red-team rt11 F4;
                # a second steroid was left off the sheet, hd16)
                dose = _several_taken(cls, taking, lang, _to_check(report))
            avoid = _avoid_for(taking, rows, report)
            if dose is not None and avoid is not None:
                dose = replace(dose, avoid_rating=_avoid_rating(taking, rows, report))
            if dose is not None and avoid is not None and _steroid_kept(cls, taking, rows, report, data):
                # rated avoid only for the NSAID beside it (rt13 F5) or only because the guideline
                # does not offer a steroid for sciatica (rt14 F3): the steroid is kept with "do not
                # stop it suddenly", the NSAID (if any) is the one to review; the clinician is told
                dose = replace(dose, avoid="; ".join(avoid[1]))
            elif dose is not None and avoid is not None:
                # "Do not take it" only for the patient's own contraindication (pregnancy, a
                # condition): with another medicine in it (tizanidine with fluvoxamine) which one
                # stops is the prescriber's choice, so the sheet asks
                stop_now = (_avoid_rating(taking, rows, report) == "CONTRAINDICATED" and not avoid[0]
                            and _stop_words(cls, taking, True) == "pregnancy_stop")
                if not stop_now and _high_dose_only(taking, rows, report, avoid) and dose.combined:
                    # coco34 (H-MED-708): co-codamol above the paracetamol maximum at an opioid total to review:
                    # the one plan for the product leads (contact your prescriber today, who changes it), the
                    # opioid total's review and naloxone said after it; both say not to change it on your own
                    high = _high_dose(dose, taking, report, avoid, lang, *_mme_band(taking, rows))
                    dose = replace(dose, above_max=f"{dose.above_max} {high.avoid_box}", avoid=high.avoid,
                                   avoid_rating=_high_dose_rating(taking, rows))
                elif not stop_now and _high_dose_only(taking, rows, report, avoid):
                    dose = replace(_high_dose(dose, taking, report, avoid, lang, *_mme_band(taking, rows)),
                                   avoid_rating=_high_dose_rating(taking, rows))
                else:
                    dose = _avoid_dose(cls, dose, taking, avoid, lang, stop_now,
                                       pregnancy_stop_why(taking, rows, data, report) if stop_now else (),
                                       stop_rules=pregnancy_stop_rules(taking, rows, data, report) if stop_now else (),
                                       to_check=_slipped(report), in_pregnancy=_pregnancy_avoided(taking, rows, data, report),
                                       patch=all(medications.may_be_opioid_patch(m, data) for m in taking),
                                       own_reason=bool(_own_contraindications(taking, rows, report, data)),
                                       pregnancy_why=pregnancy_avoid_why(taking, rows, data, report, profile))
                named.update(m.name for m in avoid[0])
        if (taking and dose is not None and (dose.above_max or dose.together_box) and not dose.stop_now
                and _stop_words(cls, taking, True) == "pregnancy_stop"
                and _pregnancy_contraindicated(taking, rows, data, report)
                and not _pregnancy_on(case, as_of, weeks_on).beyond_plausible_end):
            # contraindicated for the patient herself (an NSAID from 30 weeks) and safe to stop at
            # once: "Do not take it", and no other box says how much ("take no more than 3200 mg a
            # day from now on") or which one to keep taking (rt19 F2); the clinician keeps them
            dose = _stop_now_dose(dose, taking, rows, report, lang)
        stop_for = _stopped_for_another(cls, taking, report, drugs, data) if taking else ()
        if stop_for and _pregnancy_on(case, as_of, weeks_on).beyond_plausible_end:
            stop_for = ()  # past its plausible end the pregnancy is asked about, not assumed
        if stop_for and dose is not None:
            # one product, one instruction (fxa18, rt19 F1): Nurofen Plus at 31 weeks is stopped
            # for its ibuprofen, so its opioid sheet says so too, and asks for the codeine to be
            # replaced, never "keep taking your nurofen plus" beside the NSAID sheet's "Do not take it"
            dose = _stop_product_dose(dose, taking, stop_for, lang)
        if (taking and dose is not None and unsettled and not dose.stop_now
                and any(m.name in unsettled for m in taking)):
            # while another case records her pregnant (weeks that rate it avoid or contraindicated)
            # and this case reads her not pregnant, "keep taking" is never printed: ask first (gp19
            # F2), also when the dose is above the maximum or to be checked (rt21 F2)
            dose = _unsettled_pregnancy_dose(dose, [m for m in taking if m.name in unsettled], lang,
                                             to_check=_slipped(report))
        if taking and dose is not None and dose.stop_now and dose.replaced is None and _tapered_also(cls, taking, "en"):
            dose = replace(dose, replaced=_tapered_also(cls, taking, "en"))  # its pregnancy box asks for one
        if taking:
            # the pregnancy box whatever else the sheet says: two products taken together lost
            # it (gp17 F6: codeine and oxycodone at 33 weeks, no neonatal-withdrawal box)
            # a note's pregnancy rule (diclofenac, Arthrotec) gets the pregnancy box as a row's does,
            # unless the sheet's own "Do not take it" already says why (sheet28): never said twice
            pregnancy = _pregnancy_reasons(taking, rows, data, report)
            if dose is not None and pregnancy:
                on_date = _pregnancy_on(case, as_of, weeks_on)  # the intake's or the latest visit's
                if (_dose_label(dose) and not (dose.stop_now or dose.avoid_box or dose.together_box)
                        and _stop_words(cls, taking, _pregnancy_contraindicated(taking, rows, data, report)
                                        and not on_date.beyond_plausible_end) == "pregnancy_ask"):
                    # the pregnancy box asks whether to keep taking it (an NSAID before 20 weeks): the
                    # dose box above the maximum or to check must not say "take no more than X from now
                    # on" beside it; it asks first too, the dose said under it (fxh20: no two boxes
                    # of one sheet contradict each other)
                    dose = _ask_first_dose(dose, taking, lang, "avoid_in_pregnancy", _PREGNANCY_ASKS_NOTE,
                                           "ASK FIRST (PREGNANT)", _slipped(report))
                elif (not (dose.stop_now or dose.avoid_box or dose.together_box) and dose.dose_range
                        and dose.dose_range.startswith(_KEEP_TAKING_OPENING[lang if lang in _KEEP_TAKING_OPENING
                                                                             else "en"])
                        and _stop_words(cls, taking, _pregnancy_contraindicated(taking, rows, data, report)
                                        and not on_date.beyond_plausible_end) == "pregnancy_ask"):
                    # the pregnancy box asks whether to keep taking it (an NSAID before 20 weeks): its
                    # question governs, so "How to take it" never says "keep taking" beside it (rt22
                    # F10); the most in a day stays (a limit, not an instruction to go on)
                    names = _joined(list(dict.fromkeys(_med_name(m, lang) for m in taking)), lang)
                    dose = replace(dose, dose_range=tr(lang, "pregnancy_ask_dose", name=names), pregnancy_asks=True)
                stop_rules = (pregnancy_stop_rules(taking, rows, data, report)
                              if _stop_words(cls, taking, True) == "pregnancy_stop" else ())
                # the box that asks (or says "Do not take it") for the pregnancy alone: the pregnancy's
                # own sentences open it, its question and reason said once (gp20 F13; rt22 F12)
                # (a dose to check keeps its own box: it names the product "(dose to check)", gp19 F13)
                merged = (dose.pregnancy_only and dose.avoid_box is not None and not stop_for
                          and not on_date.beyond_plausible_end and dose.dose_check is None)
                dose = replace(dose, pregnancy_box=_pregnancy_box(cls, taking, on_date, lang,
                                                                  _pregnancy_contraindicated(taking, rows, data, report)
                                                                  and not on_date.beyond_plausible_end,
                                                                  stop_for=stop_for,
                                                                  stop_why=(pregnancy_stop_why(taking, rows, data, report)
                                                                            if stop_rules else ()),
                                                                  bare=merged and not dose.stop_now),
                               pregnancy_only=merged,
                               pregnancy_rules=stop_rules if not on_date.beyond_plausible_end else (),
                               pregnancy="; ".join(pregnancy),
                               pregnancy_heading="pregnant_ask" if on_date.beyond_plausible_end else "pregnant")
                dose = replace(dose, not_suddenly_for=(*dose.not_suddenly_for, *_replacement_asked_for(
                    cls, taking, lang, _pregnancy_contraindicated(taking, rows, data, report)
                    and not on_date.beyond_plausible_end, stop_for)))
        usable = []
        unread_own = _unrecognised_of_sheet(report, engine_classes, data) if together is None and not taking else []
        if unread_own:
            # sheet2 (H-MED-644): a current medicine the engine does not recognise whose name begins with (or is
            # close to) a medicine of this sheet ("tramadol 50mg twice daily-ish", "morfina 10 mg xyz", confirmed
            # by the clinician): never a starting dose for a medicine the patient may already take; the sheet asks
            # for the dose to be checked before the next one (an opioid: not stopped suddenly)
            dose = _unrecognised_own_dose(unread_own, cls, lang, data)
        elif together is None and not taking:
            usable = [r for r in rows if _doses_one_medicine(drugs[r.drug])
                      and MedicineStatus(r.status).rank < MedicineStatus.AVOID.rank
                      and r.adjusted_max_daily_mg]
            dose = _row_dose(usable[0], drugs[usable[0].drug], report, lang, self_care) if usable else None
            if dose is not None and _kidney_unknown(drugs[usable[0].drug], report, data):
                dose = replace(dose, kidney_unchecked=_kidney_why(report))
                if _kidney_concern(case, as_of, usable[0], data):
                    # not taken yet: the starting dose, and "ask about your kidneys before you
                    # start it"; the clinician is told the maximum was not checked (rt11 F5)
                    dose = replace(dose, after_dose=(tr(lang, "kidney_check_start"),))
        if dose is not None:
            caution = (_caution_taken(taking, report, data, named) if taking else
                       _caution_starting(usable[0], report, data) if usable else None)
            if caution is not None:
                # the other medicines its caution box names and asks about (sheet28: not said again)
                named.update(m.name for group, _words in caution[0] for m in group)
                dose = _caution_dose(dose, caution, taken=bool(taking),
                                     name=_med_name(taking[0], lang) if taking else tr_drug(lang, usable[0].drug),
                                     lang=lang)
            flag = LONG_TERM_FLAGS.get(cls)
            if flag is not None and case.intake_as_of(as_of).red_flag(flag[0]) == "yes":
                dose = replace(dose, long_term=flag[1])
            # every medicine of the sheet the patient takes, never only the first (hd16)
            named_as = (together[0] if together is not None else taking) if taking else ()
            # the sheet's own medicines of the taper data: its "do not stop it suddenly" (the keep,
            # ask, too-high, taken-together and pregnancy wordings of a sheet that tapers, or the
            # medicine's own section: baclofen, tizanidine) is printed for them
            own = (_tapered_names([m for m in taking if _sheet_tapers(cls, [m])], lang)
                   if taking and not dose.stop_now else ())
            dose = replace(dose, medicine=_sheet_medicine(named_as, usable[0].drug if usable else None, lang),
                           covers=tuple(dict.fromkeys(m.name for m in (*taking, *named_as))),
                           also_names=tuple(sorted(named)),
                           forms=tuple(dict.fromkeys(product_form(m, data) for m in taking)),
                           patch=bool(taking) and all(medications.may_be_opioid_patch(m, data) for m in taking),
                           not_suddenly_for=tuple(dict.fromkeys((*own, *dose.not_suddenly_for))),
                           tapered=bool(taking) and _sheet_tapers(cls, taking),
                           holds_tapered=bool(taking) and bool(_tapered_also(cls, taking, "en")),
                           generics=tuple(dict.fromkeys(g for m in named_as for g in m.generics)) if named_as else
                           tuple(sorted(drugs[usable[0].drug].own)) if usable else ())
            if unread_own:  # sheet2: the sheet is about the medicine as recorded, never the class's first row
                dose = replace(dose, medicine=_joined([display_name(" ".join(m.name.split())) for m in unread_own],
                                                      lang),
                               covers=tuple(m.name for m in unread_own))
            out[cls] = replace(dose, taken_count=len({m.name for m in taking}))
    if report.profile_names:
        # the clinician's notes in the profile's medicine names (uk: paracetamol; uk17)
        t = report.profile_names.text
        out = {cls: replace(d, taken_now=t(d.taken_now), together=t(d.together), avoid=t(d.avoid), over=t(d.over),
                            caution=t(d.caution), pregnancy=t(d.pregnancy), dose_check=t(d.dose_check),
                            kidney_unchecked=t(d.kidney_unchecked), long_term=t(d.long_term))
               for cls, d in out.items()}
    return out


def _unrecognised_of_sheet(report, engine_classes, data) -> list:
    """sheet2 (H-MED-644): the current medicines not recognised whose name may be one of this sheet's: a leading
    part of the name names a medicine of ``engine_classes`` ("tramadol 50mg as prescribed by dr x"), or the close
    known name the engine suggests for it does ("tramdol 50mg")."""
    found = []
    for m in report.current_medicines:
        if m.generics:
            continue
        words = data.spelled(" ".join(m.name.split())).split()
        generics = {g for k in range(1, len(words) + 1) for g in data._resolve_as_typed(" ".join(words[:k]))[0]}
        if m.suggestion:
            generics.update(data._resolve_as_typed(m.suggestion)[0])
        if any(engine_classes.intersection(data.generic_classes.get(g, ())) for g in generics):
            found.append(m)
    return found


def _unrecognised_own_dose(meds, cls: str, lang: str, data) -> MedicineDose:
    """sheet2 (H-MED-644): the dose wording of a sheet whose medicine the patient may take under a name the engine
    does not recognise: the unread-dose box and line, naming it as recorded, never a starting dose."""
    names = [display_name(" ".join(m.name.split())) for m in meds]
    name = _joined(names, lang)
    box = tr(lang, "name_unread_box", name=name)
    tapered = cls in TAPERED_CLASSES
    if tapered:
        box = f"{box} {tr(lang, 'check_dose_not_suddenly')}"
    note = "; ".join(f"\u201c{n}\u201d is not recognised but may be this sheet's medicine: no starting dose printed"
                     for n in names)
    return MedicineDose(tr(lang, "combo_unread_dose", name=name), tr(lang, "check_dose_amount"), box,
                        dose_check=note, dose_unread=True, dose_from_name=True, taken_now=note,
                        ask_first_note=tr(lang, "ask_first_unread")
                        + (" " + tr(lang, "ask_first_not_suddenly") if tapered else ""))


def _sheet_medicine(meds, row_drug: str | None, lang: str) -> str | None:
    """``{medicine}``: the medicines taken now as the patient reads them (generic name, the
    product as recorded in brackets when it is another name), else the new prescription's
    medicine; None when a name has no wording in ``lang`` (the sheet is then refused, never
    printed in another language or with another medicine's name: rd13 D9)."""
    try:
        if meds:
            # arthro36 (H-MED-753): a product of a medicine also taken under another name ("ibuprofen 400mg tds" and
            # "Nurofen 200mg") is named as the patient knows it, with what it is in brackets ("Nurofen (ibuprofen)"),
            # so the sheet tells them it is the same medicine; "ibuprofen, ibuprofen (nurofen)" read as a typo
            twice = {g for g, n in Counter(g for m in meds for g in set(m.generics)).items() if n > 1}
            return _joined(list(dict.fromkeys(
                _patient_name(m, lang, brand_first=bool(twice.intersection(m.generics))) for m in meds)), lang)
        return tr_drug(lang, row_drug) if row_drug else None
    except MissingTranslationError:
        return None


def _distinct_medicines(taking) -> list:
    """``taking`` with one product per medicine (its generics): two products of prednisolone
    are one medicine, prednisolone and dexamethasone two."""
    seen: dict[frozenset, object] = {}
    for med in taking:
        seen.setdefault(frozenset(med.generics) or frozenset({med.name}), med)
    return list(seen.values())


def _each_taken(first: MedicineDose, others, lang: str) -> MedicineDose:
    """Two or more different medicines of one sheet taken now, one of them above its maximum
    (or far above any usual dose): each one's dose phrase and box, in the order recorded."""
    doses = [first, *(o for o in others if o is not None)]
    boxes = [d.above_max for d in doses if d.above_max]
    checks = [d.dose_check for d in doses if d.dose_check]
    return replace(first,
                   dose_range=_joined([d.dose_range for d in doses], lang),
                   max_daily_dose=tr(lang, "label_amount") if len(doses) > 1 else first.max_daily_dose,
                   above_max=" ".join(boxes) or None,
                   limit_sources=tuple(dict.fromkeys(x for d in doses if d.above_max for x in d.limit_sources)),
                   over="; ".join(dict.fromkeys(d.over for d in doses if d.above_max and d.over)) or None,
                   over_taper=any(d.over_taper for d in doses if d.above_max),
                   dose_check="; ".join(checks) or None,
                   ask_first_note=" ".join(dict.fromkeys(d.ask_first_note for d in doses if d.ask_first_note)) or None,
                   taken_now="; ".join(d.taken_now for d in doses if d.taken_now) or None,
                   after_dose=tuple(dict.fromkeys(a for d in doses for a in d.after_dose)))


def _patient_name(med, lang: str, brand_first: bool = False) -> str:
    """"prednisolone", "methylprednisolone (Medrol)", "metilprednisolona (Medrol)", "codeine +
    paracetamol (Tylenol No. 3)": the generic name(s) in ``lang`` and, in brackets, the recorded
    product name without its strength and regimen (:func:`~radiculopathy_desktop.domain.
    medications.product_words`) when it is neither the generic's English nor its ``lang`` name."""
    if not med.generics:
        return _med_name(med, lang)
    generic = " + ".join(tr_drug(lang, g) for g in med.generics)
    from radiculopathy_desktop.domain.medications import product_words

    # the name as typed without its regimen and strength, never cut at its first digit (opi18:
    # "tylenol no. 3 x2 qds" was "(tylenol no.)")
    product = display_name(product_words(med.name))  # the brand as its maker prints it (sht24)
    same = {g.lower() for g in med.generics} | {generic.lower(), " + ".join(med.generics).lower()}
    if product and _without_form_words(product).lower() in same:
        # "fentanyl patch" is the generic and its form, no product name: "fentanilo (fentanyl patch)"
        # put English words in a Spanish sheet, "fentanyl (fentanyl patch)" said it twice (rt24 F9)
        return generic
    if product and product.lower() not in same:
        return f"{product} ({generic})" if brand_first else f"{generic} ({product})"
    return generic


def _without_form_words(text: str) -> str:
    """``text`` without the words that name a form (routes.toml ``[patch_forms]``: "patch", "buccal",
    "tablets" ...): what is left of "fentanyl patch" is its generic."""
    from radiculopathy_desktop.domain.medications import load_medicine_data

    forms = load_medicine_data().patch_forms
    if forms is None:
        return text
    marks = forms.words | forms.other_form_words | forms.weak_words
    return " ".join(w for w in text.split() if w.lower() not in marks)


def _dosed_by_row(med, rows, drugs) -> bool:
    """A row of the sheet doses ``med`` itself (gabapentin: the engine sums every product of it)."""
    return len(med.generics) == 1 and any(
        _doses_one_medicine(drugs[r.drug]) and drugs[r.drug].own.intersection(med.generics) for r in rows)


#: The verb template of each form (:func:`product_form`): a patch is worn, a buccal tablet put between
#: cheek and gum, a sublingual tablet under the tongue, a nasal spray sprayed; a lozenge, film or
#: another form used as shown; a tablet or anything else taken (sht24)
_FORM_VERB = {"patch": "use_form_patch", "buccal tablet": "use_form_buccal tablet",
              "sublingual tablet": "use_form_sublingual tablet", "nasal spray": "use_form_nasal spray",
              "lozenge": "use_form_other_use", "buccal film": "use_form_other_use",
              "transmucosal form": "use_form_other_use", "oral lyophilisate": "use_form_other_use"}


def _each_by_form(taking, lang: str) -> str | None:
    """The products of ``taking`` each with its own form's verb ("wear your Fentalis 25, put your
    Effentora 100 between your cheek and gum and take your oxycodone 10mg bd"), when they are of
    more than one form; None when one verb says them all (sht24: "take your fentalis 25" for a patch
    beside tablets)."""
    verbs = [_FORM_VERB.get(product_form(m), "use_form_take") for m in taking]
    if len(set(verbs)) < 2:
        return None
    return _joined([tr(lang, verb, name=_med_name(m, lang)) for verb, m in zip(verbs, taking)], lang)


def _several_taken(cls: str, taking, lang: str, to_check: tuple[str, ...] = ()) -> MedicineDose:
    """The dose wording for several current products of a sheet the app does not dose (two
    opioids, or two products of one opioid): each named with the dose recorded for it, and,
    when they are the same single medicine with every dose recorded in mg, the daily total."""
    products = [_product(m, lang, several=len(taking) > 1, to_check=to_check) for m in taking]
    joined = _joined([p[0] for p in products], lang)
    note = and_joined(p[1] for p in products)
    generics = {g for m in taking for g in m.generics}
    total = None
    if (len(generics) == 1 and all(len(m.generics) == 1 for m in taking)
            and all(_other_unit(m) is None and not _not_a_dose(m.daily_dose_mg) for m in taking)
            # typed35 (H-MED-718): never a total that adds a recorded dose still to check
            and not any(m.name in to_check for m in taking)):
        total = sum(float(m.daily_dose_mg) for m in taking)
    if total is not None:
        generic = next(iter(generics))
        phrase = tr(lang, "keep_several_total", products=joined, total=_num(total), generic=tr_drug(lang, generic))
        note += f" ({_num(total)} mg of {generic} a day in all)"
    else:
        each = _each_by_form(taking, lang)
        phrase = tr(lang, "keep_several", products=joined) if each is None else tr(lang, "keep_several_each", each=each)
    return MedicineDose(phrase, tr(lang, "label_amount"), taken_now=note,
                        after_dose=_keep_after(cls, lang, len({p[0] for p in products})))


def _avoid_rating(taking, rows, report) -> str:
    """"CONTRAINDICATED" when a reason of the rows of ``taking``, or an interaction with one of
    them, is rated contraindicated, else "AVOID" (the clinician's note said AVOID for an NSAID
    the table rates Contraindicated at 33 weeks of pregnancy: gp16 F3)."""
    names = {m.name for m in taking}
    worst = MedicineStatus.CONTRAINDICATED
    if any(True for _ in _taken_reasons(rows, names, worst)):
        return "CONTRAINDICATED"
    for ix in report.interactions:
        if ix.severity == worst and names.intersection(ix.medicines):
            return "CONTRAINDICATED"
    # a note about a medicine without a row of its own rated contraindicated (preg27: diclofenac at
    # 31 weeks, by the NSAID rows' pregnancy rule; misoprostol in pregnancy): as the window says
    if any(True for _ in _taken_notes(report, names, worst)):
        return "CONTRAINDICATED"
    return "AVOID"


def _high_dose_rating(taking, rows) -> str:
    """The rating the clinician's note names for a sheet whose only avoid reason is the opioid
    total: the row's own label ("REASSESS OPIOID DOSE" at 50-89 MME/day, "HIGH OPIOID DOSE" at 90
    or more: mme22), as the window, the worklist and the CSV say it, never a bare "AVOID" for a
    stable patient at 60 MME/day (a colleague may read "AVOID" as "stop it": gp21 F3)."""
    names = {m.name for m in taking}
    labels = [row.status_label for row in rows
              if row.currently_taking and names.intersection(row.current_medicines)]
    return next((label.upper() for label in labels if "opioid dose" in label.lower()), "AVOID")


def _avoid_for(taking, rows, report) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """Why the medicine check rates a medicine of this sheet that the patient takes now
    "avoid" (or worse) for them: (the other current medicines it should not be taken with,
    the engine's reason texts for the clinician), or None. The reasons are the rows' own
    (an interaction with another current medicine, or a patient factor such as age with
    falls: Beers 2023) and the interactions rated avoid with a medicine of another kind."""
    names = {m.name for m in taking}
    avoid = MedicineStatus.AVOID.rank
    texts = [reason.text for reason in _taken_reasons(rows, names, MedicineStatus.AVOID)]
    others: list[str] = []
    ix_texts: list[str] = []
    for ix in report.interactions:
        try:
            serious = MedicineStatus(ix.severity).rank >= avoid
        except ValueError:
            serious = False
        if not serious or not names.intersection(ix.medicines):
            continue
        others.extend(n for n in ix.medicines if n not in names and n not in others)
        ix_texts.append(ix.text)
    # the row's own reason names the other medicine; else the interaction's; else a note about a
    # medicine without a row of its own (dexamethasone under uk: NICE does not offer oral
    # corticosteroids for sciatica; med16), so the sheet and the clinician's alert agree
    texts = texts or ix_texts or [n.text for n in _taken_notes(report, names, MedicineStatus.AVOID)]
    if not texts:
        return None
    # a note rating a medicine of the sheet contraindicated (diclofenac with cardiovascular disease
    # under uk, a class NSAID at 31 weeks) is named beside an interaction's words: the clinician's note
    # said "CONTRAINDICATED (NSAID with an anticoagulant ...)", the reason for the rating left out (gptry)
    texts = [*texts, *(n.text for n in _taken_notes(report, names, MedicineStatus.CONTRAINDICATED))]
    # a rule that counts the other current medicines ("already taking diazepam and codeine: this
    # would be a third CNS-active medicine", Beers 2023) rates the combination avoid: the ones it
    # counted are named as medicines not to take it with, never left to a "take care" box (gp20 F10)
    others.extend(n for n in _counted_by_avoid_rule(taking, rows, report) if n not in others)
    by_name = {m.name: m for m in report.current_medicines}
    return tuple(by_name[n] for n in others if n in by_name), tuple(dict.fromkeys(texts))


def _counted_by_avoid_rule(taking, rows, report) -> tuple[str, ...]:
    """The other current medicines (as recorded) counted by a rule rated avoid (or worse) on the
    row of a medicine of this sheet that the patient takes now, when that rule needs several of
    them (rules.toml ``current_count_at_least``: Beers 2023, "avoid total of 3 or more CNS-active
    drugs"): the combination is what the check rates avoid. A rule about one other medicine has
    its interaction, which :func:`_avoid_for` already names."""
    from radiculopathy_desktop.domain.medications import load_medicine_data

    data = load_medicine_data()
    names = {m.name for m in taking}
    found: list[str] = []
    for row in rows:
        if not row.currently_taking or not names.intersection(row.current_medicines):
            continue
        rules = {r.id: r for r in data.rules_by_drug.get(row.drug, ())}
        for reason in row.reasons:
            rule = rules.get(reason.rule)
            if rule is None or rule.min_matches < 2 or _rank(reason.severity) < MedicineStatus.AVOID.rank:
                continue
            wanted = set(rule.classes) | set(rule.generics) | set(rule.classes_all)
            found.extend(m.name for m in report.current_medicines
                         if m.name not in names and m.name not in found
                         and wanted.intersection((*m.classes, *m.generics))
                         and not rule.except_generics.issuperset(m.generics))
    return tuple(found)


#: AVOID reasons that do not make a steroid taken now one to ask about before the next dose:
#: the guideline's "do not offer" for sciatica (NICE NG59 1.2.20 "Do not offer oral
#: corticosteroids for managing sciatica") is about starting one for sciatica, not about a
#: steroid prescribed for another illness (red-team rt14 F3).
_STEROID_KEPT_RULES = frozenset({"guideline-do-not-offer", "uk-oral-corticosteroid-not-offered"})


def _taken_notes(report, names, at_least: MedicineStatus):
    """The current-medicine notes (no row of their own), ``at_least`` as serious, naming one of
    the current medicines ``names``; a "check the dose" note is a dose, not a rating."""
    for note in report.current_notes:
        if note.rule != "check-dose" and names.intersection(note.medicines) and _rank(note.severity) >= at_least.rank:
            yield note


def _steroid_kept(cls: str, taking, rows, report, data) -> bool:
    """A steroid taken now that the check rates avoid only because an NSAID is taken with it
    (AGS Beers 2023: a corticosteroid with an NSAID, GI bleeding; rule ``pred-nsaid-older``)
    or only because the profile's guideline does not offer a steroid for sciatica: every
    AVOID reason of its row is a rule about taking it with an NSAID or the guideline's "do not
    offer", and every interaction rated avoid is with an NSAID. Stopping a steroid taken for
    weeks at once can make a patient very unwell (prednisone label; BNF), while the NSAID can
    simply be stopped: the sheet asking "whether to keep taking" the steroid invited a missed
    dose (red-team rt13 F5; under the uk profile, for every long-term prednisolone, rt14 F3).
    The NSAID's sheet asks; the steroid's keeps "do not stop it suddenly" and names the NSAID
    (the CAUTION box); the clinician is told the AVOID rating and its reason."""
    if cls != "oral_corticosteroid":
        return False
    names = {m.name for m in taking}
    rules = {r.id: r for drug_rules in data.rules_by_drug.values() for r in drug_rules}
    reasons = list(_taken_reasons(rows, names, MedicineStatus.AVOID))
    notes = [n.rule for n in _taken_notes(report, names, MedicineStatus.AVOID)]
    if not (reasons or notes) or not all(r.rule in _STEROID_KEPT_RULES
                                         or (r.rule in rules and set(rules[r.rule].classes) == {"nsaid"})
                                         for r in reasons) or not all(n in _STEROID_KEPT_RULES for n in notes):
        return False
    nsaids = {m.name for m in report.current_medicines if "nsaid" in m.classes}
    for ix in report.interactions:
        if _rank(ix.severity) >= MedicineStatus.AVOID.rank and names.intersection(ix.medicines):
            if not set(ix.medicines) - names <= nsaids:
                return False
    return True


def _dose_label(dose: MedicineDose) -> str | None:
    """The label the sheet's dose alone gives (as the worklist labels a dose line): "Check the dose"
    for a likely slip or a dose that cannot be read, "Reduce dose" above the maximum, else None."""
    if dose.dose_check or dose.dose_unread:
        return CHECK_DOSE_LABEL
    if dose.above_max:
        return MedicineStatus.REDUCE_DOSE.label
    return None


def _asks_before_dose(dose: MedicineDose, rating: str) -> bool:
    """The sheet's box follows the strongest of the medicine's rating (``rating``: "AVOID" or
    "CONTRAINDICATED", as :attr:`MedicineDose.avoid_rating`) and its dose's label, in the one order
    of the worklist (:func:`~radiculopathy_desktop.domain.worklist_marks.strongest_label`):
    Contraindicated > Avoid > Reduce dose > Check the dose. True: the ask-first (or "Do not take
    it") box, with the dose's own words under it; False: the dose's box (rt21 F1)."""
    label = (MedicineStatus.CONTRAINDICATED if rating == "CONTRAINDICATED" else MedicineStatus.AVOID).label
    return strongest_label({label, _dose_label(dose) or label}) == label


def _slipped(report) -> frozenset[str]:
    """The current medicines (as recorded) whose recorded daily dose is a likely typing or unit
    slip (``DoseCheck`` kind "check", over the slip bound; "below", far below any usual dose: grams,
    H-MED-511), or any other dose to check (rule "check-dose"; typed35, H-MED-718: a typed daily dose the
    name's regimen contradicts, "oxycodone 20mg 3 x 4" with 40 mg a day typed): a sheet never prints their
    total as the patient's dose (gp19 F13: "You take ibuprofen 4000mg qds (16000 mg a day in all)";
    "paracetamol 4 mg a day", 4 g meant; "oxycodone 20mg (40 mg a day in all)" in the opioid dose's box)."""
    return frozenset(n for c in getattr(report, "dose_checks", ()) if c.kind in ("check", "below")
                     or c.rule == "check-dose" for n in c.medicines)


def _to_check(report) -> tuple[str, ...]:
    """typed35 (H-MED-718): the products a sheet names "(dose to check)", never with their recorded amount: those
    whose dose the medicine check asks about (:func:`_slipped`) and those an opioid total counts provisionally
    (``MedicationReport.mme_to_check``)."""
    return tuple(dict.fromkeys((*getattr(report, "mme_to_check", ()), *_slipped(report))))


def _products_said(taking, lang: str, to_check=frozenset()) -> str:
    """The products of an ask-first or "Do not take it" box as the patient reads them, each with
    its daily amount, or "(dose to check)" for one whose recorded dose is a likely slip."""
    return _joined([tr(lang, "product_dose_to_check", name=_med_name(m, lang)) if m.name in to_check
                    else _product(m, lang, several=len(taking) > 1)[0] for m in taking], lang)


def _dose_note(dose: MedicineDose, lang: str, stop_now: bool) -> str:
    """" <sentence>" put under an ask-first box about the dose (also above the maximum, or to be
    checked), or "" (:attr:`MedicineDose.ask_first_note`). Under "Do not take it" only a likely
    slip is said: the dose in the record may be a mistake (gp19 F13)."""
    if stop_now:
        return " " + tr(lang, "stop_check") if dose.dose_check and not dose.dose_unread else ""
    return " " + dose.ask_first_note if dose.ask_first_note and _dose_label(dose) else ""


def _avoid_dose(cls: str, dose: MedicineDose, taking, avoid, lang: str, stop_now: bool = False,
                stop_why: Sequence[str] = (), to_check=frozenset(), in_pregnancy: bool = False,
                patch: bool = False, stop_rules: Sequence[str] = (), own_reason: bool = False,
                pregnancy_why: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())) -> MedicineDose:
    """``dose`` (taken now) for a medicine the check rates avoid for this patient: never
    "keep taking ... as prescribed"; a box that asks the patient to ask before the next dose
    whether to keep taking it and says why in plain words, "do not stop it suddenly" kept
    for the classes whose labels warn against it (red-team rt11 F3). A dose also above the
    maximum, or one to check, does not keep its own box: the rating is stronger
    (:func:`_asks_before_dose`), so the box asks first and the dose is said under it, with no
    "take no more than" and no daily maximum (rt21 F1). ``to_check``: the products whose
    recorded dose is a likely slip (:func:`_slipped`). ``in_pregnancy``: a pregnancy rule rates it
    avoid (:func:`_pregnancy_avoided`): the box says the pregnancy is the reason, never only "your
    clinician will tell you why" (rt22 F12). ``patch``: every medicine asked about is a skin
    patch: "before you put on your next patch whether to keep using it" (gp20 F13)."""
    others, texts = avoid
    if not stop_now and not _asks_before_dose(dose, dose.avoid_rating):
        return replace(dose, avoid="; ".join(texts))
    note = _dose_note(dose, lang, stop_now)
    joined = _products_said(taking, lang, to_check)
    # two medicines or more asked about (meloxicam and diclofenac): "whether to keep taking them: they
    # should not be taken with ...", never "it" (pairs, H-UI-441)
    plural = "_them" if len({_med_name(m, lang) for m in taking}) > 1 else ""
    whys = []
    if others:
        whys.append(tr(lang, "avoid_with" + plural, others=_joined([_med_name(m, lang) for m in others], lang)))
    if in_pregnancy and pregnancy_why[0]:
        # the rule's own reason in plain words (handout29: NSAIDs from 20 weeks, FDA 2020 / MHRA 2023)
        whys.append("; ".join(tr(lang, key + "_clause") for key in pregnancy_why[0]))
    elif in_pregnancy:
        whys.append(tr(lang, "avoid_in_pregnancy" + plural))
    if own_reason and others:
        # contraindicated for the patient herself too (diclofenac with cardiovascular disease under
        # uk): never only "should not be taken with your apixaban", which reads as safe once the
        # apixaban stops (gptry); the clinician says why, as the box without another medicine does
        whys.append(tr(lang, "avoid_general" + plural))
    why = _joined(whys, lang) if whys else tr(lang, "avoid_general" + plural)
    # "should not be taken with your diazepam" never reads as "stop the diazepam" (gp19 F3)
    not_suddenly = _others_not_suddenly(others, lang, taking)
    told = _tapered_names(others, lang)
    names = _joined(list(dict.fromkeys(_med_name(m, lang) for m in taking)), lang)
    if stop_now:
        # contraindicated and safe to stop at once (an NSAID at 31 weeks): the window's "Stop it
        # and choose another option" in the patient's words, never "ask whether to keep taking
        # it" (gp17 F7)
        them = "_them" if len({_med_name(m, lang) for m in taking}) > 1 else ""  # "Do not take them" (fxa18)
        if stop_why:  # why, from the rule that makes it "Do not take it" (NSAIDs from 30 weeks; fxa18),
            # in the words of the source it rests on under the profile (uk: the MHRA's 28 weeks)
            why = "; ".join(tr(lang, _numbered(key + "_clause", 2 if them else 1)) for key in stop_why)
            not_suddenly, told = "", ()  # the others are not named
        elif them and not others:
            why = tr(lang, "avoid_general_them")
        return replace(dose, dose_range=tr(lang, "stop_dose", name=names), stop_them=bool(them),
                       pregnancy_only=bool(stop_why), box_note=(not_suddenly + note).strip(),
                       # the sources of the "why" said (printed on the Sources line; sheet28)
                       pregnancy_rules=tuple(stop_rules) if stop_why else dose.pregnancy_rules,
                       avoid_box=tr(lang, "stop_box" + them, products=joined, why=why) + not_suddenly + note,
                       avoid="; ".join(texts), above_max=None, not_suddenly_for=(*dose.not_suddenly_for, *told),
                       stop_now=True, after_dose=())  # no "is your dose right for your kidneys" for a dose not taken
    # the dose's own box (too high, check the dose) gives way: its words sit under this one (rt21 F1)
    worn = "_patch" if patch else ""
    return replace(dose, dose_range=tr(lang, "avoid_dose" + worn, name=names), patch=patch,
                   pregnancy_only=in_pregnancy and not others,
                   why_sources=pregnancy_why[1] if in_pregnancy else dose.why_sources,
                   avoid_box=tr(lang, "avoid_box" + worn + plural, products=joined, why=why) + not_suddenly + note,
                   avoid="; ".join(texts), above_max=None, not_suddenly_for=(*dose.not_suddenly_for, *told))


#: The rules that rate an opioid avoid for the patient's own opioid total alone (rules.toml; the
#: medicine engine's own list, with the methadone/buprenorphine wording of mme22).
_HIGH_DOSE_RULES = MME_RULES


def _high_dose_only(taking, rows, report, avoid) -> bool:
    """Whether a medicine of this sheet taken now is rated avoid only for the current opioids'
    total (rules.toml opioid-mme-50/-90), with no other medicine and no other reason (mme21)."""
    others, _texts = avoid
    if others or not taking:
        return False
    names = {m.name for m in taking}
    reasons = list(_taken_reasons(rows, names, MedicineStatus.AVOID))
    serious = MedicineStatus.AVOID.rank
    for ix in report.interactions:
        try:
            if MedicineStatus(ix.severity).rank >= serious and names.intersection(ix.medicines):
                return False
        except ValueError:
            continue
    return bool(reasons) and all(r.rule.split("@")[0] in _HIGH_DOSE_RULES for r in reasons)


def _for_pain_only(taking, rows) -> bool:
    """Whether the opioid-total rule that rates a medicine of ``taking`` is the one for methadone or
    buprenorphine taken now (rules.toml, a rule of the MME group with ``taking_generic``): the one the
    window labels "High opioid dose if for pain" / "Reassess opioid dose if for pain" (rt24 F8)."""
    from radiculopathy_desktop.domain.medications import load_medicine_data

    names = {m.name for m in taking}
    fired = {r.rule.split("@")[0] for r in _taken_reasons(rows, names, MedicineStatus.AVOID)} & _HIGH_DOSE_RULES
    return any(rule.taking for rules in load_medicine_data().rules_by_drug.values() for rule in rules
               if rule.id in fired)


#: The window's label of each opioid-total rule (rules.toml ``alert_label``) -> what the sheet says:
#: (the dose is to be reviewed, not called high; the total is for pain only if the opioid is for
#: pain). The band comes from the rule that fired, as the window's label does: no second copy of
#: the 50 and 90 MME/day thresholds (sht24). A rule whose label is not here is refused (a test
#: asks it for every opioid-total rule of the data), never worded as another band.
_MME_BAND_BY_LABEL = {
    "High opioid dose": (False, False),
    "High opioid dose if for pain": (False, True),
    "Reassess opioid dose": (True, False),
    "Reassess opioid dose if for pain": (True, True),
}


def mme_band_of_rule(rule_id: str) -> tuple[bool, bool]:
    """(reassess, if for pain) for an opioid-total rule of the medicine data, from its ``alert_label``
    (:data:`_MME_BAND_BY_LABEL`); KeyError for a rule or label the sheets have no words for."""
    from radiculopathy_desktop.domain.medications import load_medicine_data

    labels = {rule.id: rule.alert_label for rules in load_medicine_data().rules_by_drug.values() for rule in rules}
    return _MME_BAND_BY_LABEL[labels[rule_id]]


def _mme_band(taking, rows) -> tuple[bool, bool]:
    """(if for pain, reassess) for the opioid-total rule that rates a medicine of ``taking``: the rule
    the window labels the row by ("Reassess opioid dose" at 50-89 MME/day, "High opioid dose" at 90 or
    more, "... if for pain" with methadone or buprenorphine taken now). Should two fire, the higher
    band is said."""
    names = {m.name for m in taking}
    fired = {r.rule.split("@")[0] for r in _taken_reasons(rows, names, MedicineStatus.AVOID)} & _HIGH_DOSE_RULES
    bands = [mme_band_of_rule(rule_id) for rule_id in sorted(fired)]
    if not bands:
        return _for_pain_only(taking, rows), False
    reassess = all(b[0] for b in bands)
    if_pain = any(b[1] for b in bands if b[0] == reassess)
    return if_pain, reassess


def _high_dose(dose: MedicineDose, taking, report, avoid, lang: str, if_pain: bool = False,
               reassess: bool = False) -> MedicineDose:
    """``dose`` for an opioid taken now whose only avoid reason is the opioid total (mme21):
    CDC 2022 recommendation 5, opioids "should not be discontinued abruptly" and doses not
    rapidly reduced; recommendation 8, offer naloxone. So: do not change or stop it on your own,
    ask at your next review about the dose and naloxone; never "keep taking" as if nothing were
    said, never "ask before your next dose" (a missed dose is a sudden stop)."""
    names = _joined(list(dict.fromkeys(_med_name(m, lang) for m in taking)), lang)
    mme = report.current_daily_mme
    amount = tr(lang, "high_dose_amount", mme=_num(mme)) if mme else tr(lang, "high_dose_amount_unknown")
    from radiculopathy_desktop.domain.medications import load_medicine_data, may_be_opioid_patch

    # a patch is used, not taken (fxl20; the box too: mmx22, gp21 F5)
    worn = all(may_be_opioid_patch(m, load_medicine_data()) for m in taking)
    each = _each_by_form(taking, lang)  # a patch beside tablets: each its own verb (sht24)
    # "You use" in the box when a patch is among other forms: a patch is never "taken" (sht24)
    used = worn or (each is not None and any(may_be_opioid_patch(m, load_medicine_data()) for m in taking))
    # methadone or buprenorphine: "if you take it for pain", as the window's label (rt24 F8)
    # 50-89 MME/day (the window's "Reassess opioid dose"): ask for a review, never "your dose is high" (sht24)
    band = "reassess_dose_box" if reassess else "high_dose_box"
    box = tr(lang, band + ("_if_pain" if if_pain else "") + ("_patch" if used else ""),
             products=_products_said(taking, lang, _slipped(report)), amount=amount)
    line = "high_dose_dose_patch" if worn else "high_dose_dose"
    said = tr(lang, line, name=names) if each is None else tr(lang, "high_dose_dose_each", each=each)
    if any(m.name in _slipped(report) for m in taking):
        # redsheet35 (H-MED-729): a dose to check (the box names it "(dose to check)") is checked with the
        # prescriber first, never "take ... as prescribed"; still never stopped on one's own (CDC 2022 rec. 5)
        said = tr(lang, "high_dose_dose_check_patch" if worn else "high_dose_dose_check", name=names)
    return replace(dose, dose_range=said, avoid_box=box,
                   avoid="; ".join(avoid[1]), above_max=None, high_dose=True, high_dose_if_pain=if_pain,
                   reassess=reassess)


def _never_stopped_at_once(med) -> bool:
    """A recognised medicine an ingredient of which the taper data lists (classes.toml
    ``[stop_gradually]``: a benzodiazepine, baclofen, tizanidine, an opioid, a gabapentinoid, a
    steroid), a combination too: co-codamol, Zapain and Nurofen Plus hold codeine, an opioid the
    FDA's 2019 tapering communication says not to stop abruptly (fda-opioid-tapering-2019; rt22
    F8). Whether paper says so is decided by what each printed sheet records
    (``MedicineDose.not_suddenly_for``): a sheet that tells the patient to stop the product and ask
    about a replacement for its codeine records it."""
    from radiculopathy_desktop.domain.medications import load_medicine_data

    data = load_medicine_data()
    return any(data.stopped_gradually((g,)) is not None for g in med.generics)


def _tapered_names(meds, lang: str) -> tuple[str, ...]:
    """The names on the sheet (:func:`_med_name`) of ``meds`` that are never stopped at once."""
    return tuple(dict.fromkeys(_med_name(m, lang) for m in meds if _never_stopped_at_once(m)))


def _others_not_suddenly(others, lang: str, taking=()) -> str:
    """" Do not stop your diazepam 5mg tds suddenly: ..." for the medicines a box names as ones
    not to take with this sheet's medicine that are never stopped at once; "" for none (gp19 F3).
    Whoever prints it records :func:`_tapered_names` of the same ``others`` in
    ``MedicineDose.not_suddenly_for``."""
    tapered = _tapered_names(others, lang)
    said = " " + tr(lang, "others_not_suddenly", others=_joined(list(tapered), lang)) if tapered else ""
    # avoidside (H-UI-482): "they should not be taken with your apixaban" never reads as "stop the apixaban": a
    # medicine an interaction keeps (rules.toml ``keep``: an anticoagulant beside an NSAID) is kept, in words
    kept = tuple(dict.fromkeys(_med_name(m, lang) for m in others if _kept_by_a_rule(m)
                               and _med_name(m, lang) not in tapered))
    if kept:
        said += " " + tr(lang, "others_keep" + ("_them" if len(kept) > 1 else ""), others=_joined(list(kept), lang))
    # fold33 (H-UI-530): a medicine of a pair reviewed with the prescriber (ibuprofen with methotrexate: mtxavoid) is
    # not stopped by the patient either; a second medicine of the sheet's own kind (another NSAID) is never told so
    reviewed = tuple(dict.fromkeys(_med_name(m, lang) for m in others if _reviewed_with(m, taking)
                                   and _med_name(m, lang) not in tapered and _med_name(m, lang) not in kept))
    if reviewed:
        said += " " + tr(lang, "others_reviewed", others=_joined(list(reviewed), lang))
    return said


def _reviewed_with(med, taking) -> bool:
    """fold33 (H-UI-530): whether ``med`` and one of ``taking`` (the sheet's medicines) are on two different sides of
    an interaction rule whose pair is reviewed with the prescriber (rated avoid or contraindicated, no side kept, not
    a duplicate: ``medicine_alerts.reviewed_with_prescriber``)."""
    from radiculopathy_desktop.domain.medicine_alerts import _KEEP_FIRST, _duplicate_rules

    if not taking:
        return False
    data = load_medicine_data()
    duplicates = _duplicate_rules(data)

    def on(m, side) -> bool:
        return bool(set(side).intersection(m.classes) or set(side).intersection(m.generics))

    for rule in data.interactions:
        if rule.keep or rule.id in duplicates or rule.severity not in _KEEP_FIRST:
            continue
        mine = [i for i, side in enumerate(rule.sides) if on(med, side)]
        theirs = [i for i, side in enumerate(rule.sides) if any(on(t, side) for t in taking)]
        if any(i != j for i in mine for j in theirs) and not any(on(med, rule.sides[j]) for j in theirs):
            return True
    return False


def _kept_by_a_rule(med) -> bool:
    """Whether ``med`` (a current medicine) is of a side an interaction rule keeps (rules.toml ``keep``)."""
    data = load_medicine_data()
    kept = {item for rule in data.interactions for k in rule.keep for item in rule.sides[k - 1]}
    return bool(kept.intersection(med.classes) or kept.intersection(med.generics))


def pregnancy_unsettled_medicines(differs) -> tuple[str, ...]:
    """The current medicines (as recorded) that the other case's pregnancy would rate avoid or
    contraindicated while ``differs`` (``domain.episodes.PregnancyDiffers`` or None) stands: the
    alerts the case page lists "if she is pregnant as case X records". An interaction's alert is
    about two medicines together, not the pregnancy, so it is left out."""
    if differs is None:
        return ()
    serious = (MedicineStatus.AVOID, MedicineStatus.CONTRAINDICATED)
    return tuple(dict.fromkeys(name for a in differs.if_pregnant
                               if a.kind != "interaction" and MedicineStatus(a.status) in serious
                               for name in a.medicines))


_UNSETTLED_NOTE = ("another case of this patient records her pregnant (the pregnancy differs between her cases) and "
                   "at those weeks the check rates it avoid or contraindicated")


def _unsettled_pregnancy_dose(dose: MedicineDose, taking, lang: str, to_check=frozenset()) -> MedicineDose:
    """``dose`` while the record of her pregnancy is not settled (gp19 F2): the "Before your next
    dose" box of a medicine rated avoid (:func:`_avoid_dose`'s wording), saying why: another
    record says she is pregnant, and this medicine may not be safe then. Every sheet of such a
    medicine (rt21 F2): one whose dose is also above the maximum or to be checked gets this box
    too, rated as Avoid is (:func:`_asks_before_dose`), with the dose said under it; a box that
    already asks (another reason to avoid it, two taken together) adds the pregnancy to it; "Do
    not take it" stays as it is."""
    if dose.stop_now:
        return dose
    also = tr(lang, "also_pregnancy_unsettled")
    if dose.together_box:
        return replace(dose, together_box=f"{dose.together_box} {also}",
                       avoid="; ".join(t for t in (dose.avoid, _UNSETTLED_NOTE) if t))
    if dose.avoid_box:
        return replace(dose, avoid_box=f"{dose.avoid_box} {also}",
                       avoid="; ".join(t for t in (dose.avoid, _UNSETTLED_NOTE) if t))
    if not _asks_before_dose(dose, "AVOID"):
        return dose
    return _ask_first_dose(dose, taking, lang, "avoid_pregnancy_unsettled", _UNSETTLED_NOTE,
                           "ASK FIRST (PREGNANCY NOT SETTLED)", to_check)


def _ask_first_dose(dose: MedicineDose, taking, lang: str, why: str, note: str, rating: str,
                    to_check=frozenset()) -> MedicineDose:
    """``dose`` with the "Before your next dose" box (:func:`_avoid_dose`'s wording) for the reason
    ``why`` (an EN_TEMPLATES key), the dose's own words (too high, to check) under it and no daily
    maximum; ``note`` and ``rating`` for the clinician."""
    said = list(dict.fromkeys(_med_name(m, lang) for m in taking))
    names = _joined(said, lang)
    joined = _products_said(taking, lang, to_check)
    # two medicines or more: "whether to keep taking them: they may not be safe ..." (pairs, H-UI-441)
    plural = "_them" if len(said) > 1 else ""
    worded = tr(lang, why + plural) if plural and why + plural in EN_TEMPLATES else tr(lang, why)
    return replace(dose, dose_range=tr(lang, "avoid_dose", name=names),
                   avoid_box=tr(lang, "avoid_box" + plural, products=joined, why=worded) + _dose_note(dose, lang, False),
                   above_max=None, avoid=note, avoid_rating=rating, pregnancy_only=why == "avoid_in_pregnancy")


_PREGNANCY_ASKS_NOTE = ("pregnant, and the medicine check warns about it in pregnancy: the pregnancy box asks whether to "
                        "keep taking it, so the dose box does not say how much to go on taking")


def _stop_now_dose(dose: MedicineDose, taking, rows, report, lang: str) -> MedicineDose:
    """``dose`` for a medicine the patient must not take at all (contraindicated for her, safe to
    stop at once) that was also above its maximum, or taken with another of its kind: the one
    "Do not take it" box and dose line of :func:`_avoid_dose`, without the "too high" box ("take
    no more than X a day from now on") or the "which one to keep taking" box (rt19 F2). What
    those boxes told the clinician stays in the clinician's note."""
    avoid = _avoid_for(taking, rows, report) or ((), ())
    note = [*avoid[1], *(t for t in (dose.together,) if t)]
    cleared = replace(dose, above_max=None, over=None, together_box=None, dose_check=dose.dose_check,
                      avoid_rating="CONTRAINDICATED")
    from radiculopathy_desktop.domain.medications import load_medicine_data

    return _avoid_dose("", cleared, taking, ((), tuple(dict.fromkeys(note))), lang, stop_now=True,
                       stop_why=pregnancy_stop_why(taking, rows, load_medicine_data()), to_check=_slipped(report))


def _stopped_for_another(cls: str, taking, report, drugs, data) -> tuple:
    """The products of ``taking`` that must be stopped now because ANOTHER of their ingredients,
    of another sheet, is contraindicated by the patient's own pregnancy and is safe to stop at
    once (the ibuprofen of Nurofen Plus from 30 weeks), on the sheet of a class that is never
    stopped suddenly (its codeine): ((the product, that other ingredient's generics, the check's
    reasons), ...), in the order taken; () otherwise. Such a product gets one instruction on
    every sheet: stop it, and have its opioid replaced so it is not stopped all at once."""
    if cls not in TAPERED_CLASSES:
        return ()
    ids = pregnancy_rule_ids(data)
    out = []
    for med in taking:
        others: list[str] = []
        reasons: list[str] = []
        for row in report.rows:
            if (row.treatment_code == cls or row.treatment_code in TAPERED_CLASSES
                    or med.name not in row.current_medicines):
                continue
            texts = [r.text for r in _taken_reasons([row], {med.name}, MedicineStatus.CONTRAINDICATED)
                     if r.rule in ids]
            if not texts:
                continue
            own = drugs[row.drug].own if row.drug in drugs else frozenset()
            others.extend(g for g in med.generics if g in own and g not in others)
            reasons.extend(t for t in texts if t not in reasons)
        if others:
            out.append((med, tuple(others), tuple(reasons)))
    return tuple(out)


def _stop_product_dose(dose: MedicineDose, taking, stop_for, lang: str) -> MedicineDose:
    """``dose`` on the sheet of the opioid in a product stopped for another ingredient (see
    :func:`_stopped_for_another`): a "Do not take it" box saying which ingredient makes it unsafe
    and asking for a replacement of this sheet's ingredient today, so it is not stopped all at
    once (FDA 2019 on opioid tapering; the NSAID sheet says the same: ``pregnancy_stop_also``).
    Another product of the sheet taken as well is named: not stopped suddenly."""
    stopped = [m for m, _o, _r in stop_for]
    other = _joined([tr_drug(lang, g) for g in dict.fromkeys(g for _m, o, _r in stop_for for g in o)], lang)
    own = _joined([tr_drug(lang, g) for g in dict.fromkeys(g for m in stopped for g in m.generics
                                                            if not any(g in o for _m, o, _r in stop_for))], lang)
    names = _joined(list(dict.fromkeys(_med_name(m, lang) for m in stopped)), lang)
    plural = "_them" if len(stopped) > 1 else ""
    box = tr(lang, "stop_product_box" + plural, products=names, other=other, own=own)
    line = tr(lang, "stop_product_dose", name=names, own=own)
    kept = [m for m in taking if m not in stopped]
    reasons = tuple(dict.fromkeys(r for _m, _o, rs in stop_for for r in rs))
    note = "; ".join(dict.fromkeys((*reasons, *(t for t in (dose.avoid,) if t))))
    replaced = and_joined(dict.fromkeys(g for m in stopped for g in m.generics
                                        if not any(g in o for _m, o, _r in stop_for)))
    if kept:
        rest = _joined(list(dict.fromkeys(_med_name(m, lang) for m in kept)), lang)
        # "which one to keep taking" is answered (not the product stopped): no together box; the
        # clinician's note keeps the pair
        return replace(dose, avoid_box=box, stop_now=True, avoid=note, avoid_rating="CONTRAINDICATED",
                       replaced=replaced, together_box=None,
                       dose_range=f"{line}; {tr(lang, 'stop_product_others', others=rest)}")
    return replace(dose, dose_range=line, avoid_box=box, stop_now=True, avoid=note, replaced=replaced,
                   avoid_rating="CONTRAINDICATED", above_max=None, over=None, together_box=None, after_dose=())


def _together_contraindicated(dose: MedicineDose, together, rows, report, data) -> tuple:
    """The medicines of a "taken together" pair of one kind (two NSAIDs; never two opioids, which are
    never stopped at once) that are contraindicated for the patient herself (:func:`_own_contraindications`:
    diclofenac with cardiovascular disease under uk), when at least one of the pair is not: () otherwise
    (none of them, or all of them: then "which one to keep" or the Avoid box stands)."""
    if dose is None or not dose.together_box or dose.together_kind == "taper":
        return ()
    meds = together[0]
    stopped = tuple(m for m in meds if _own_contraindications([m], rows, report, data))
    return stopped if 0 < len({m.name for m in stopped}) < len({m.name for m in meds}) else ()


def _together_stop_one(dose: MedicineDose, together, stopped, also, rows, report, data, lang: str,
                       unsure: bool = False) -> MedicineDose:
    """The "taken together" box when ``stopped`` (some of the pair) is contraindicated for the patient
    herself: "Do not take your diclofenac: for you, it may do more harm than good", and for the others
    "keep taking ... as prescribed", or, when they are rated Avoid for another reason as well (another
    medicine, apixaban), "ask before your next dose whether to keep taking your meloxicam: it should not be
    taken with your apixaban". Never "which one to keep taking" (pairs, H-MED-500)."""
    meds, _shared, _texts = together
    products = [_product(m, lang, several=len(meds) > 1, to_check=_to_check(report)) for m in meds]
    joined = tr(lang, "and_join", first=", ".join(p[0] for p in products[:-1]), last=products[-1][0])
    gone = list(dict.fromkeys(_med_name(m, lang) for m in stopped))
    kept_meds = [m for m in meds if m not in stopped]
    kept = _joined(list(dict.fromkeys(_med_name(m, lang) for m in kept_meds)), lang)
    them = "_them" if len(gone) > 1 else ""
    own = _own_contraindications(stopped, rows, report, data)
    box = tr(lang, "together_stop_box" + them, products=joined, stopped=_joined(gone, lang))
    line = tr(lang, "stop_dose", name=_joined(gone, lang))
    rest = None
    if also is not None:
        others, texts = also
        texts = tuple(t for t in texts if t not in own)
        if others or texts:
            rest = (others, texts)
    plural = "_them" if len({_med_name(m, lang) for m in kept_meds}) > 1 else ""
    told = ()
    if rest is None and unsure:
        # the one kept is above its maximum (said under the box) or its dose is to check: how much to take
        # is asked, never "keep taking ... as prescribed"
        box += " " + tr(lang, "together_ask_amount", kept=kept)
        line = f"{line}; {tr(lang, 'together_ask_amount_dose', name=kept)}"
        not_suddenly = ""
    elif rest is None:
        box += " " + tr(lang, "together_keep_other", kept=kept)
        line = f"{line}; {tr(lang, 'keep_dose_unrecorded', name=kept)}"
        not_suddenly = ""
    else:
        others, _t = rest
        why = (tr(lang, "avoid_with" + plural, others=_joined([_med_name(m, lang) for m in others], lang)) if others
               else tr(lang, "avoid_general" + plural))
        box += " " + tr(lang, "together_ask_other", kept=kept, why=why)
        line = f"{line}; {tr(lang, 'avoid_dose', name=kept)}"
        not_suddenly = _others_not_suddenly(others, lang)
        told = _tapered_names(others, lang)
    note = "; ".join(dict.fromkeys((*own, *(rest[1] if rest else ()))))
    return replace(dose, together_box=box + not_suddenly, dose_range=line, avoid=note,
                   avoid_rating="CONTRAINDICATED", not_suddenly_for=(*dose.not_suddenly_for, *told))


def _far_above_max_check(cls: str, taking, report, data):
    """The dose check of this sheet's medicine that is far above its label maximum (``DoseCheck.far_above_max``:
    one product's dose, or the total of the products holding it, over the slip bound) for the medicines taken,
    or None (sheet3, H-MED-651)."""
    names = {m.name for m in taking}
    classes = data.generic_classes
    return next((c for c in getattr(report, "dose_checks", ()) if c.far_above_max and names.intersection(c.medicines)
                 and cls in classes.get(c.generic, ())), None)


def _far_above_wins(dose: MedicineDose, check, cls: str, taking, lang: str, guessed: bool = False) -> MedicineDose:
    """The "taken together" sheet of ``dose`` when ``check`` is far above the label maximum: the far-above box
    (contact today, take no more; :func:`_dose_check_dose`) in its place, naming the products the total counts
    and the other products that hold the same medicine, to ask about at once. The together box's question
    ("which one to keep taking") is not asked beside it: nothing on the sheet says to keep taking either."""
    far = _dose_check_dose(check, cls, lang, guessed)
    counted = [m for m in taking if m.name in check.medicines]
    rest = [m for m in _distinct_medicines(taking) if m.name not in check.medicines and check.generic in m.generics]
    box = far.above_max
    if len(counted) > 1:
        # after the first sentence ("Your record says you take acetaminophen 12001 mg a day.") what the total counts
        first, _sep, after = box.partition(". ")
        # H-MED-714: a total that counts a regimen only read either way is no sum the sheet states
        total = tr(lang, "check_dose_guess_total" if guessed else "check_dose_far_total",
                   products=_joined([_med_name(m, lang) for m in counted], lang))
        box = f"{first}. {total} {after}"
    if rest:
        box += " " + tr(lang, "check_dose_far_also" + ("_them" if len(rest) > 1 else ""),
                        others=_joined([_med_name(m, lang) for m in rest], lang), name=tr_drug(lang, check.generic))
    return replace(dose, dose_range=far.dose_range, max_daily_dose=far.max_daily_dose, above_max=box,
                   together_box=None, together=None, together_asks_at_all=False, together_not_with=(),
                   together_pairs=(), together_kept=(), over=None, over_taper=False, after_dose=(),
                   dose_check=far.dose_check, dose_below=False, far_above_max=True,
                   dose_check_what=far.dose_check_what, dose_check_why=far.dose_check_why,
                   ask_first_note=far.ask_first_note,
                   not_suddenly_for=tuple(n for n in dose.not_suddenly_for
                                          if any(_med_name(m, lang) == n for m in taking)))


def _together_over_dose(dose: MedicineDose, above, lang: str) -> MedicineDose:
    """The "taken together" box of ``dose`` (two products rated Avoid together) with each dose of
    ``above`` (its medicines above their maximum) said under it as a fact
    (:attr:`MedicineDose.ask_first_note`: "You take acetaminophen 8000 mg a day now: that is also
    more than the most for you (4000 mg a day)"), and no "too high" box of its own. The together
    box of two opioids already says not to stop either one suddenly and that the clinician lowers
    it step by step: said once, not again under each dose."""
    notes = []
    for o in above:
        note = o.ask_first_note or ""
        if dose.together_kind == "taper":
            note = note.replace(" " + tr(lang, "ask_first_not_suddenly"), "")
        if note:
            notes.append(note)
    notes = list(dict.fromkeys(notes))
    return replace(dose, above_max=None, together_box=" ".join([dose.together_box, *notes]),
                   ask_first_note=" ".join(notes) or None,
                   limit_sources=tuple(dict.fromkeys(x for o in above for x in o.limit_sources)))


def _avoid_beyond_together(together, taking, rows, report) -> tuple | None:
    """The AVOID reasons of the medicines taken together that are not the "taken together"
    pair itself (gabapentin + pregabalin + oxycodone: the gabapentinoids with the opioid), as
    :func:`_avoid_for` gives them, or None (med12: the together box hid them)."""
    meds, _shared, together_texts = together
    avoid = _avoid_for(taking, rows, report)
    if avoid is None:
        return None
    others, texts = avoid
    together_names = {m.name for m in meds}
    others = tuple(m for m in others if m.name not in together_names)
    # the opioid total (mme21) is the pair's own dose, which the together box already asks about:
    # never "they may do more harm than good" for it
    total = {r.text for r in _taken_reasons(rows, {m.name for m in taking}, MedicineStatus.AVOID)
             if r.rule.split("@")[0] in _HIGH_DOSE_RULES}
    texts = tuple(t for t in texts if t not in together_texts and t not in total)
    if not others and not texts:
        return None
    if not texts:  # the row's reasons were all about the pair: the interactions with the others say why
        texts = tuple(ix.text for ix in report.interactions
                      if _rank(ix.severity) >= MedicineStatus.AVOID.rank
                      and any(m.name in ix.medicines for m in others))
    return others, texts


def _clash_pairs(together_meds, others, report) -> tuple:
    """(product taken together, other medicine, the other as recorded) for each other medicine that the medicine
    check rates Avoid or worse with only SOME of the products taken together (tramadol with co-codamol, not with
    plain paracetamol: its reason is the codeine); an other medicine that clashes with all of them, or with none
    by a named interaction, is not here (sheet3, H-MED-652)."""
    names = [t.name for t in together_meds]
    out = []
    for m in others:
        with_ = [t for t in names if any(t in ix.medicines and m.name in ix.medicines
                                         and _rank(ix.severity) >= MedicineStatus.AVOID.rank
                                         for ix in report.interactions)]
        if with_ and len(with_) < len(names):
            out.extend((t, m.name, m) for t in with_)
    return tuple(out)


def _together_also_avoid(dose: MedicineDose, also, lang: str,
                         pregnancy_why: tuple[tuple[str, ...], tuple[str, ...]] = ((), ()),
                         together=None, report=None) -> MedicineDose:
    """The "taken together" box with the other AVOID reason added: also ask whether to keep
    taking them at all, and why (another medicine they should not be taken with; a pregnancy
    rule's own reason, :func:`pregnancy_avoid_why`: handout29, two NSAIDs at 25 weeks read only
    "for you, they may do more harm than good")."""
    others, texts = also
    # sheet3 (H-MED-652): a medicine that clashes with only ONE of the products taken together (tramadol with the
    # codeine of co-codamol, never with plain paracetamol) is named with that product, never "they should not be
    # taken with your tramadol", which told the patient paracetamol and tramadol clash (tryout31 D3)
    pairs = _clash_pairs(together[0], others, report) if together is not None and report is not None else ()
    whole = [m for m in others if not any(o == m.name for _t, o, _x in pairs)]
    whys = []
    if whole:
        whys.append(tr(lang, "avoid_with_them", others=_joined([_med_name(m, lang) for m in whole], lang)))
    whys.extend(tr(lang, key + "_clause") for key in pregnancy_why[0])
    if pregnancy_why[0]:
        dose = replace(dose, why_sources=pregnancy_why[1])
    asks = []
    if whys or not pairs:
        why = _joined(whys, lang) if whys else tr(lang, "avoid_general_them")  # "them", not it
        asks.append(tr(lang, 'together_also_avoid', why=why))
    by_member: dict[str, list] = {}
    for member, _o, m in pairs:
        by_member.setdefault(member, []).append(m)
    for member, ms in by_member.items():
        member_med = next(t for t in together[0] if t.name == member)
        asks.append(tr(lang, "together_also_avoid_one", member=_med_name(member_med, lang),
                       others=_joined(list(dict.fromkeys(_med_name(m, lang) for m in ms)), lang)))
    if pairs:
        said = {(t, o) for t, o, _m in pairs}
        texts = tuple(dict.fromkeys(
            [f"{t} with {o}: {ix.text}" for ix in report.interactions for t, o in said
             if t in ix.medicines and o in ix.medicines and _rank(ix.severity) >= MedicineStatus.AVOID.rank]
            + [t for t in texts if not any(ix.text == t for ix in report.interactions
                                           if any(o in ix.medicines for _t, o in said))]))
    return replace(dose, together_box=" ".join([dose.together_box, *asks]) + _others_not_suddenly(
        others, lang, together[0] if together is not None else ()),
                   together_asks_at_all=True,
                   together_not_with=tuple(dict.fromkeys(m.name for m in whole)),
                   together_pairs=tuple(dict.fromkeys((t, o) for t, o, _m in pairs)),
                   together_kept=tuple(dict.fromkeys(m.name for m in others if _kept_by_a_rule(m)
                                                     and _med_name(m, lang) not in _tapered_names(others, lang))),
                   avoid="; ".join(texts),
                   not_suddenly_for=(*dose.not_suddenly_for, *_tapered_names(others, lang)))


def _rank(severity: str) -> int:
    try:
        return MedicineStatus(severity).rank
    except ValueError:
        return -1


def _caution_taken(taking, report, data, named=frozenset()) -> tuple | None:
    """The CAUTION interactions (not AVOID: those have their own box) between a medicine of
    this sheet that the patient takes now and another current medicine of another sheet or
    kind (ibuprofen with prednisolone: GI bleeding): ((the other medicines, their
    ``patient_words`` key or None), ...), the engine's texts), or None. Two products of this
    sheet (two opioids) are not this: the sheet already names both; nor a medicine in
    ``named`` (the sheet's AVOID box already names it: ibuprofen with prednisolone at 75)."""
    names = {m.name for m in taking}
    by_name = {m.name: m for m in report.current_medicines}
    found = []
    for ix in report.interactions:
        if _rank(ix.severity) != MedicineStatus.CAUTION.rank or not names.intersection(ix.medicines):
            continue
        others = [by_name[n] for n in ix.medicines if n not in names and n in by_name]
        if others and not all(m.name in named for m in others):
            found.append((ix.rule, others, ix.text))
    return _caution_groups(found, data)


def _caution_groups(found, data) -> tuple | None:
    """(rule id, other medicines, engine text) found -> the other medicines grouped by the
    rule's ``patient_words`` key, and the texts; None when nothing was found."""
    groups: dict[str | None, list] = {}
    for rule, others, _text in found:
        group = groups.setdefault(data.patient_words.get(rule), [])
        group.extend(m for m in others if m not in group)
    if not found:
        return None
    return (tuple((tuple(ms), words) for words, ms in groups.items()),
            tuple(dict.fromkeys(text for _r, _o, text in found)))


def _caution_starting(row, report, data) -> tuple | None:
    """The same for the row whose starting dose a sheet prints (not taken yet): its CAUTION
    reasons from a rule about another medicine taken now (ibuprofen's "Taking prednisolone
    (systemic corticosteroid): higher GI ulcer and bleeding risk; add gastroprotection"), with
    the current medicines that made the rule fire, or None (red-team rt12 F9)."""
    rules = {r.id: r for r in data.rules_by_drug.get(row.drug, ())}
    found = []
    for reason in row.reasons:
        rule = rules.get(reason.rule)
        if rule is None or _rank(reason.severity) != MedicineStatus.CAUTION.rank:
            continue
        wanted = set(rule.classes) | set(rule.generics) | set(rule.classes_all)
        others = [m for m in report.current_medicines
                  if wanted.intersection((*m.classes, *m.generics))
                  and not rule.except_generics.issuperset(m.generics)]
        if others:
            found.append((reason.rule, others, reason.text))
    return _caution_groups(found, data)


def _caution_dose(dose: MedicineDose, caution, *, taken: bool, name: str, lang: str) -> MedicineDose:
    """``dose`` with the CAUTION box: the other medicines named and what to ask, in plain
    words (``why_<patient_words>``, else "they may not mix well"); the clinician is told the
    engine's reasons."""
    groups, texts = caution
    sentences = []
    for meds, words in groups:
        others = _joined([_med_name(m, lang) for m in meds], lang)
        why = tr(lang, f"why_{words}" if words else "why_general")
        # sheets36 (H-MED-745): "taking them" when the other medicines are two or more ("taking it" was printed)
        them = "_them" if len(meds) > 1 else ""
        sentences.append(tr(lang, ("caution_taken" + them) if taken else "caution_start", others=others, name=name,
                            why=why))
    # "ask your clinician about taking it with your diazepam" never reads as "stop the diazepam":
    # the other medicines of the taper data are named with "do not stop ... suddenly" (rt21 F3)
    tapered = _tapered_names([m for meds, _w in groups for m in meds], lang)
    if tapered:
        sentences.append(_others_not_suddenly([m for meds, _w in groups for m in meds], lang).strip())
    english = list(dict.fromkeys(display_name(" ".join(m.name.split())) for meds, _w in groups for m in meds))
    caution_note = f"{', '.join(english)} ({'; '.join(t.rstrip('.') for t in texts)})"
    if dose.stop_now:
        # "Do not take it": the pair is moot and "ask about taking it with ..." would contradict the
        # box; a medicine of the taper data is still told not to stop suddenly (the separate box)
        return replace(dose, caution=caution_note, caution_in="stop")
    if dose.avoid_box or dose.together_box:
        # the sheet already asks before the next dose: the other medicine is asked about there, at
        # that strength, never in a softer "take care" box beside it (fxo20 leftover: pregabalin
        # rated Avoid for the opioid, diazepam Caution with it, under 65)
        worn = "_patch" if dose.patch else ""
        asked = [tr(lang, "caution_also_ask" + worn, others=_joined([_med_name(m, lang) for m in meds], lang),
                    why=tr(lang, f"why_{words}" if words else
                           "why_general_ask" + ("_them" if len(meds) > 1 else ""), name=name))
                 for meds, words in groups]
        if tapered:
            asked.append(_others_not_suddenly([m for meds, _w in groups for m in meds], lang).strip())
        extra = " " + " ".join(asked)
        return replace(dose, caution=caution_note, caution_in="ask",
                       not_suddenly_for=(*dose.not_suddenly_for, *tapered),
                       **({"avoid_box": dose.avoid_box + extra} if dose.avoid_box else
                          {"together_box": dose.together_box + extra}))
    return replace(dose, caution_box=" ".join(sentences), not_suddenly_for=(*dose.not_suddenly_for, *tapered),
                   caution=caution_note)
def pregnancy_rule_ids(data) -> frozenset[str]:
    """The medicine rules that fire on a pregnancy (``pregnant`` or a pregnancy-weeks band)."""
    return frozenset(r.id for rules in data.rules_by_drug.values() for r in rules
                     if r.pregnant or r.pregnancy_weeks_at_least is not None
                     or r.pregnancy_weeks_below is not None)


def _pregnancy_reasons(taking, rows, data, report=None) -> tuple[str, ...]:
    """The medicine check's pregnancy warnings (caution or worse) on the rows of the
    medicines of this sheet the patient takes now, for the clinician (English); with ``report``,
    also its notes about a medicine without a row of its own rated by a pregnancy rule (gptry:
    diclofenac at 31 weeks beside apixaban printed no pregnancy box at all)."""
    names = {m.name for m in taking}
    found = pregnancy_warnings(rows, data, names)
    return tuple(dict.fromkeys((*found, *(n.text for n in _pregnancy_notes(report, names, data,
                                                                            MedicineStatus.CAUTION)))))


def _own_contraindications(taking, rows, report, data) -> tuple[str, ...]:
    """The reasons rating a medicine of ``taking`` contraindicated for the patient herself: not a
    rule about another current medicine (an interaction says that) nor a pregnancy rule (the
    pregnancy box says that): diclofenac or a COX-2 inhibitor with cardiovascular disease under uk
    (MHRA Drug Safety Update, June 2013), from a row's reasons or a note's."""
    names = {m.name for m in taking}
    skip = {*pregnancy_rule_ids(data), *PREGNANCY_STOP_WHY}
    rules = {r.id: r for drug_rules in data.rules_by_drug.values() for r in drug_rules}
    worst = MedicineStatus.CONTRAINDICATED
    found = [(r.rule, r.text) for r in _taken_reasons(rows, names, worst)]
    found += [(n.rule, n.text) for n in _taken_notes(report, names, worst)]
    return tuple(dict.fromkeys(text for rule, text in found
                               if rule not in skip and not getattr(rules.get(rule), "meds_needed", ())))


def _pregnancy_notes(report, names, data, at_least: MedicineStatus):
    """The notes (no row of their own) about the current medicines ``names`` that a pregnancy
    rule rates ``at_least`` (diclofenac at 31 weeks by the NSAID rows' rule; Arthrotec's
    misoprostol): as the rows' pregnancy reasons are, so the sheet says the same for a class
    NSAID as for ibuprofen."""
    if report is None:
        return ()
    ids = {*pregnancy_rule_ids(data), *PREGNANCY_STOP_WHY}
    return tuple(n for n in _taken_notes(report, names, at_least) if n.rule in ids)


#: how a "keep taking" dose line opens (``keep_dose``, ``keep_dose_unrecorded``, ``keep_several``)
_KEEP_TAKING_OPENING = {"en": "keep taking ", "es": "siga tomando "}


def _pregnancy_avoided(taking, rows, data, report=None) -> bool:
    """A pregnancy rule rates a medicine of ``taking`` avoid or worse (an NSAID from 20 weeks);
    with ``report``, a note about a medicine without a row of its own too (gptry)."""
    ids = pregnancy_rule_ids(data)
    names = {m.name for m in taking}
    return (any(r.rule in ids for r in _taken_reasons(rows, names, MedicineStatus.AVOID))
            or bool(_pregnancy_notes(report, names, data, MedicineStatus.AVOID)))


def _pregnancy_contraindicated(taking, rows, data, report=None) -> bool:
    """A pregnancy rule rates a medicine of ``taking`` contraindicated (an NSAID from 30 weeks);
    with ``report``, a note about a medicine without a row of its own too (gptry: diclofenac at 31
    weeks beside apixaban was asked about for the apixaban alone, the pregnancy never said)."""
    ids = pregnancy_rule_ids(data)
    names = {m.name for m in taking}
    return (any(r.rule in ids for r in _taken_reasons(rows, names, MedicineStatus.CONTRAINDICATED))
            or bool(_pregnancy_notes(report, names, data, MedicineStatus.CONTRAINDICATED)))


def pregnancy_warnings(rows, data, names) -> tuple[str, ...]:
    """The pregnancy warnings (caution or worse) of ``rows`` for the current medicines ``names``."""
    ids = pregnancy_rule_ids(data)
    return tuple(dict.fromkeys(reason.text for reason in _taken_reasons(rows, names, MedicineStatus.CAUTION)
                                if reason.rule in ids))


def _taken_reasons(rows, names, at_least: MedicineStatus):
    """The reasons, ``at_least`` as serious, of the rows of the current medicines ``names``."""
    floor = at_least.rank
    for row in rows:
        if not row.currently_taking or not names.intersection(row.current_medicines):
            continue
        for reason in row.reasons:
            try:
                serious = MedicineStatus(reason.severity).rank >= floor
            except ValueError:
                serious = False
            if serious:
                yield reason


#: The sentence a pregnancy box adds for a class whose label has a pregnancy warning the
#: patient must hear (EN_TEMPLATES key): opioids, neonatal opioid withdrawal syndrome (the
#: boxed warning of the US opioid labels; UKTIS codeine leaflet 2022).
PREGNANCY_WHY = {"opioid": "pregnancy_opioid"}

#: The handout sources a pregnancy box adds to its sheet (resources/handouts/sources.toml), by
#: the clinic's country: a UK clinic's box rests on UK sources (UKTIS, UK Medicines Information),
#: not on the FDA's boxed warning (gp17 F13, src18); every other country as before.
PREGNANCY_SOURCES = {"opioid": {"uk": ("uktis-codeine-2022", "ukmi-opioids-pregnancy"),
                                None: ("fda-opioid-nows", "uktis-codeine-2022")}}


#: Why a pregnancy rule of the medicine data makes a medicine "Do not take it", in plain words
#: (EN_TEMPLATES key), and the handout sources the box then cites by the clinic's country
#: (resources/handouts/sources.toml). The rule nsaid-pregnancy-30 (rules.toml, source
#: fda-nsaid-pregnancy-2020): the FDA Drug Safety Communication of 15 October 2020 and its podcast,
#: "At around 30 weeks, NSAIDs can cause a problem that may result in heart issues in the unborn
#: baby" (premature closure of the ductus arteriosus). A UK clinic's box cites the MHRA reminder
#: as the medicine data does (mhra-nsaid-pregnancy-2023, read in press reports: [unverified]).
#: The uk rule nsaid-pregnancy-28-uk (28 and 29 weeks; source mhra-nsaid-pregnancy-2023, the MHRA
#: Drug Safety Update of June 2023 read on gov.uk: systemic NSAIDs are "contraindicated in the last
#: trimester of pregnancy (after 28 weeks of pregnancy)") gives its own "why" from 28 weeks: before,
#: a uk sheet at 28-29 weeks said only "Your clinician will tell you why" (gp19 F10).
PREGNANCY_STOP_WHY = {"nsaid-pregnancy-30": ("pregnancy_why_nsaid_30",
                                             {"uk": ("mhra-nsaid-pregnancy-2023", "fda-nsaid-pregnancy-2020"),
                                              None: ("fda-nsaid-pregnancy-2020",)}),
                      "nsaid-pregnancy-28-uk": ("pregnancy_why_nsaid_28", {None: ("mhra-nsaid-pregnancy-2023",)}),
                      # misoprostol (Cytotec; in Arthrotec with diclofenac) at any week of a pregnancy: the
                      # labels' boxed warning, birth defects, abortion (miscarriage), premature birth,
                      # uterine rupture; not to be taken by a pregnant woman (sheet28)
                      "misoprostol-pregnancy": ("pregnancy_why_misoprostol",
                                                {None: ("misoprostol-label", "arthrotec-label")})}

#: The plain "why" a pregnancy rule's box gives follows the source the rule rests on under the
#: clinic's profile (the reason row's ``source_ids``: a rule's ``[rule.in_profile.<p>]`` may give
#: it another source), not the rule's id alone. nsaid-pregnancy-30 under uk rests on the MHRA
#: (``in_profile.uk``: "after 28 weeks", fxk20), so its sheet says "From 28 weeks", as the window
#: does; before, a uk sheet at 30 weeks and over said the FDA's "From 30 weeks" (fxk20 leftover).
PREGNANCY_WHY_BY_SOURCE = {"mhra-nsaid-pregnancy-2023": "pregnancy_why_nsaid_28",
                           "fda-nsaid-pregnancy-2020": "pregnancy_why_nsaid_30"}


#: handout29 (H-MED-519): why a pregnancy rule rates a medicine Avoid (not yet "Do not take it"), in plain
#: words (EN_TEMPLATES key, with a "_clause" form), and the handout sources it rests on, by the profile
#: (its rule bands follow the profile). nsaid-pregnancy-20 (20 weeks up to the profile's stop band: us 30,
#: uk 28): the FDA Drug Safety Communication of 15 October 2020 ("use of NSAIDs around 20 weeks or later
#: in pregnancy may cause rare but serious kidney problems in an unborn baby. This can lead to low levels
#: of amniotic fluid"; limit use between about 20 and 30 weeks; the labels already advise against use from
#: about 30 weeks, premature closure of the ductus arteriosus), read 2026-12-02 on fda.gov and its podcast;
#: under uk the MHRA Drug Safety Update of June 2023 (gov.uk): "prolonged use of NSAIDs from week 20 of
#: pregnancy onwards may be associated with an increased risk of oligohydramnios ... and fetal renal
#: dysfunction. Some cases of constriction of the ductus arteriosus ... have also been identified at this
#: early stage"; contraindicated after 28 weeks. Before, the box said only "it may not be safe in pregnancy".
PREGNANCY_AVOID_WHY = {"nsaid-pregnancy-20": {"uk": ("pregnancy_why_nsaid_20_uk", ("mhra-nsaid-pregnancy-2023",)),
                                              None: ("pregnancy_why_nsaid_20", ("fda-nsaid-pregnancy-2020",))}}


def pregnancy_avoid_why(taking, rows, data, report=None, profile: str = "us") -> tuple[tuple[str, ...],
                                                                                     tuple[str, ...]]:
    """(EN_TEMPLATES keys, handout source ids) of the plain "why" of each pregnancy rule rating a
    medicine of ``taking`` Avoid (:data:`PREGNANCY_AVOID_WHY`), from the rows' reasons and, with
    ``report``, the notes about a medicine without a row of its own (diclofenac at 22 weeks), chosen
    by ``profile``; each once."""
    names = {m.name for m in taking}
    rules = [r.rule for r in _taken_reasons(rows, names, MedicineStatus.AVOID) if r.rule in PREGNANCY_AVOID_WHY]
    if report is not None:
        rules += [n.rule for n in _taken_notes(report, names, MedicineStatus.AVOID) if n.rule in PREGNANCY_AVOID_WHY]
    keys: list[str] = []
    sources: list[str] = []
    for rule in dict.fromkeys(rules):
        by_profile = PREGNANCY_AVOID_WHY[rule]
        key, ids = by_profile.get(profile, by_profile[None])
        keys.append(key)
        sources.extend(ids)
    return tuple(dict.fromkeys(keys)), tuple(dict.fromkeys(sources))


def _stop_reasons(taking, rows, data, report=None):
    """(rule id, its source ids under the profile) of each reason rating a medicine of ``taking``
    contraindicated for a pregnancy with a plain "why" (:data:`PREGNANCY_STOP_WHY`): the rows' own
    reasons, and the notes about a medicine without a row of its own (``report``; sheet28: diclofenac
    at 31 weeks, by the NSAID rows' pregnancy rule, and Arthrotec's misoprostol said only "Your
    clinician will tell you why"). A note's sources are those of the same rule on the report's rows
    (the profile's wording), else none."""
    ids = pregnancy_rule_ids(data)
    names = {m.name for m in taking}
    for r in _taken_reasons(rows, names, MedicineStatus.CONTRAINDICATED):
        if r.rule in ids and r.rule in PREGNANCY_STOP_WHY:
            yield r.rule, tuple(r.source_ids)
    if report is None:
        return
    for note in _taken_notes(report, names, MedicineStatus.CONTRAINDICATED):
        if note.rule in PREGNANCY_STOP_WHY:
            same = next((tuple(x.source_ids) for row in report.rows for x in row.reasons if x.rule == note.rule), ())
            yield note.rule, same


def pregnancy_stop_rules(taking, rows, data, report=None) -> tuple[str, ...]:
    """The pregnancy rules rating a medicine of ``taking`` contraindicated that have a plain "why"
    (:data:`PREGNANCY_STOP_WHY`), in the order found (with ``report``: a note's rule too)."""
    return tuple(dict.fromkeys(rule for rule, _s in _stop_reasons(taking, rows, data, report)))


def pregnancy_stop_why(taking, rows, data, report=None) -> tuple[str, ...]:
    """The EN_TEMPLATES keys of the plain "why" of the pregnancy rules of
    :func:`pregnancy_stop_rules`, each chosen by the source its reason row cites under the
    clinic's profile (:data:`PREGNANCY_WHY_BY_SOURCE`), else the rule's own key; each once."""
    out: list[str] = []
    for rule, source_ids in _stop_reasons(taking, rows, data, report):
        by_source = [PREGNANCY_WHY_BY_SOURCE[s] for s in source_ids if s in PREGNANCY_WHY_BY_SOURCE]
        out.append(by_source[0] if by_source else PREGNANCY_STOP_WHY[rule][0])
    return tuple(dict.fromkeys(out))


def pregnancy_sources(cls: str | None, country: str, rules: Sequence[str] = ()) -> tuple[str, ...]:
    """The sources a pregnancy box of ``cls``'s sheet adds for a clinic in ``country``."""
    by_country = PREGNANCY_SOURCES.get(cls or "", {})
    out = list(by_country.get(country, by_country.get(None, ())))
    for rule in rules:  # the source of the "why" the box gives (PREGNANCY_STOP_WHY)
        why_sources = PREGNANCY_STOP_WHY[rule][1] if rule in PREGNANCY_STOP_WHY else {}
        out.extend(why_sources.get(country, why_sources.get(None, ())))
    return tuple(dict.fromkeys(out))


def _stop_words(cls: str, taking, contraindicated: bool) -> str:
    """What ``cls``'s sheet tells a patient who takes ``taking`` now and should not (the
    EN_TEMPLATES key of its last sentence): "do not stop it suddenly" when the sheet's own class is
    one whose sudden stop is itself a harm (medicine data ``[stop_gradually]``: opioids, steroids
    taken for weeks, gabapentinoids); "do not take it, your clinician will talk to you about
    another option" for any other medicine the check rates contraindicated (an NSAID at 31 weeks:
    gp17 F7); else "ask your clinician whether to keep taking it". The sheet's class decides, not
    any ingredient of the product: Nurofen Plus's NSAID sheet at 31 weeks said "do not stop it
    suddenly" because of its codeine (rt19 F1)."""
    if _sheet_tapers(cls, taking):
        return "pregnancy_keep_taper"
    return "pregnancy_stop" if contraindicated else "pregnancy_ask"


def _tapered_also(cls: str, taking, lang: str) -> str:
    """The other ingredients of ``taking`` (not of ``cls``'s sheet) that must not be stopped
    suddenly, in ``lang`` ("codeine"); "" when none (Nurofen Plus on the NSAID sheet: codeine)."""
    from radiculopathy_desktop.domain.medications import load_medicine_data

    data = load_medicine_data()
    if _sheet_tapers(cls, taking):
        return ""
    others: list[str] = []
    for m in taking:
        for g in m.generics:
            if data.stopped_gradually((g,)) is not None and g not in others:
                others.append(g)
    return _joined([tr_drug(lang, g) for g in others], lang) if others else ""


def _replacement_asked_for(cls: str, taking, lang: str, contraindicated: bool, stop_for=()) -> tuple[str, ...]:
    """The products (their names on the sheet) whose opioid the pregnancy box of :func:`_stop_text`
    asks to have replaced "so the codeine is not stopped all at once": that box tells the patient
    not to stop it suddenly, so the general box need not (rt22 F8: "Do not take it" beside "Do not
    stop it suddenly" for one Nurofen Plus)."""
    if stop_for:
        return _tapered_names([m for m, _o, _r in stop_for], lang)
    if _stop_words(cls, taking, contraindicated) == "pregnancy_stop" and _tapered_also(cls, taking, lang):
        return _tapered_names(taking, lang)
    return ()


def _stop_text(cls: str, taking, lang: str, contraindicated: bool, stop_for=()) -> str:
    """The sentence of :func:`_stop_words`, with "it also contains codeine: ask today about a
    replacement so the codeine is not stopped all at once" when a product to stop now holds an
    ingredient that must not be stopped suddenly (rt19 F1); on that ingredient's own sheet
    (``stop_for``, :func:`_stopped_for_another`), "do not take it: it also contains ibuprofen,
    which is not safe for you now", and the same request for a replacement."""
    if stop_for:
        stopped = [m for m, _o, _r in stop_for]
        other = _joined([tr_drug(lang, g) for g in dict.fromkeys(g for _m, o, _r in stop_for for g in o)], lang)
        own = _joined([tr_drug(lang, g) for g in dict.fromkeys(
            g for m in stopped for g in m.generics if not any(g in o for _m, o, _r in stop_for))], lang)
        kept = [m for m in taking if m not in stopped]
        names = _joined(list(dict.fromkeys(_med_name(m, lang) for m in stopped)), lang)
        # beside another product the box names the one not to take, never a bare "it"
        key = "pregnancy_stop_product" + ("_them" if len(stopped) > 1 else "") + ("_named" if kept else "")
        text = tr(lang, key, other=other, own=own, name=names)
        if kept:
            text += " " + tr(lang, "pregnancy_stop_product_others",
                             others=_joined(list(dict.fromkeys(_med_name(m, lang) for m in kept)), lang))
        return text
    key = _stop_words(cls, taking, contraindicated)
    also = _tapered_also(cls, taking, lang) if key == "pregnancy_stop" else ""
    # two products are "them", never "it": to stop (ibuprofen and naproxen at 31 weeks; fxa18), not
    # to stop suddenly or to ask about (a buprenorphine patch and tramadol; gp19 F9)
    them = "_them" if len({_med_name(m, lang) for m in taking}) > 1 else ""
    if also:
        return tr(lang, "pregnancy_stop_also" + them, other=also)
    return tr(lang, key + them)


def _pregnancy_box(cls: str, taking, pregnancy, lang: str, contraindicated: bool = False, stop_for=(),
                   stop_why: Sequence[str] = (), bare: bool = False) -> str:
    """The boxed pregnancy text of a medicine sheet for a medicine taken now (rd13 D1): the
    weeks on the sheet's date (``pregnancy``: :class:`~radiculopathy_desktop.domain.intake.
    PregnancyOnDate`, the weeks at the intake moved on). Past the plausible end of a pregnancy
    the sheet does not say "you are pregnant": it keeps the advice for a pregnancy (tell the
    midwife, ask before the next dose) for a patient who still is, or who breastfeeds."""
    names = _joined(list(dict.fromkeys(_med_name(m, lang) for m in taking)), lang)
    why = tr(lang, PREGNANCY_WHY[cls]) + " " if cls in PREGNANCY_WHY else ""
    if bare:
        # the weeks, the class's own point and the midwife: the box it opens says what to do and
        # the rule's reason, once (``pregnancy_only``)
        return tr(lang, "pregnancy_box", weeks=pregnancy.weeks, why=why, name=names, stop="").strip()
    if contraindicated and not stop_for:
        # why it is "Do not take it" now, from the rule that says so (fxa18: the NSAID sheet did
        # not say NSAIDs are unsafe from 30 weeks)
        # (its words follow the source the rule rests on under the profile: pregnancy_stop_why)
        why += "".join(tr(lang, _numbered(key, len(set(_med_name(m, lang) for m in taking)))) + " "
                       for key in stop_why)
    stop = _stop_text(cls, taking, lang, contraindicated, stop_for)
    if pregnancy.beyond_plausible_end:
        return tr(lang, "pregnancy_box_ask", weeks=pregnancy.recorded_weeks,
                  date=pregnancy.recorded_on.isoformat(), why=why, name=names, stop=stop)
    return tr(lang, "pregnancy_box", weeks=pregnancy.weeks, why=why, name=names, stop=stop)


def _numbered(key: str, count: int) -> str:
    """The EN_TEMPLATES key of ``key``'s sentence for ``count`` products: its ``_them`` form for two or more when the
    sentence has a pronoun to agree ("each of them contains misoprostol"; wording30, H-UI-465), else ``key``
    (a sentence already worded for any number: "these medicines can cause ...")."""
    return f"{key}_them" if count > 1 and f"{key}_them" in EN_TEMPLATES else key


def _joined(items: list[str], lang: str) -> str:
    """"a", "a and b", "a, b and c" in ``lang``. A name in a list is said "naproxen 500mg (twice a day)", never
    with the comma of a clause's end (plainwords: "... and pregabalin 75mg, twice a day suddenly")."""
    if len(items) == 1:
        return items[0]
    return tr(lang, "and_join", first=", ".join(items[:-1]), last=str(items[-1]))


def _kidney_unknown(drug, report, data) -> bool:
    """Kidney function is unknown (no clearance, no eGFR, not on dialysis) and the data doses
    ``drug`` by it: renal bands, or a kidney rule with a clearance threshold for it."""
    if report.renal.value is not None or report.renal.dialysis:
        return False
    return bool(drug.renal_bands) or any(r.renal_below is not None for r in data.rules_by_drug.get(drug.id, ()))


def _kidney_concern(case: Case, as_of: dt.date, row, data) -> bool:
    """Kidney function unknown matters for a medicine not taken yet: chronic kidney disease is
    recorded, or the engine raises a kidney rule with kidney function unknown for it (NSAIDs at
    65 or over: caution). A younger patient with no kidney condition is not asked (the sheet
    gives the label's starting dose, as the engine's row does)."""
    if case.intake_as_of(as_of).conditions.has("ckd"):
        return True
    kidney_rules = {r.id for r in data.rules_by_drug.get(row.drug, ()) if r.renal_unknown or r.renal_below is not None}
    for reason in row.reasons:
        try:
            rank = MedicineStatus(reason.severity).rank
        except ValueError:
            continue
        if reason.rule in kidney_rules and rank >= MedicineStatus.CAUTION.rank:
            return True
    return False


def _kidney_why(report) -> str:
    """Why the kidney maximum could not be checked, for the clinician."""
    import re

    found = re.search(r"not computed \((.*?)\) and no eGFR", report.renal.basis)
    if found is None:
        return "no creatinine/weight recorded"
    why = found.group(1)
    if why.startswith("no "):  # "no weight, serum creatinine": the facts Cockcroft-Gault needs
        items = [i.strip().replace("serum creatinine", "creatinine") for i in why[3:].split(",")]
        return "no " + " or ".join(items) + " recorded"
    return why


def _taken_together(engine_classes, taking, report) -> tuple | None:
    """The current medicines, with one of ``taking`` among them, that the medicine engine rates
    avoid (or worse) together and that are the same medicine twice or two of this sheet's
    class (``ix-two-acetaminophen-products``, ``ix-two-tramadol-products``, ``ix-two-nsaids``,
    ``ix-two-gabapentinoids``): (medicines in the report's order, their shared generics,
    the engine's texts), or None. An interaction with a medicine of another kind (ibuprofen
    with warfarin) is not this: "which one to keep taking" is not the question there."""
    from radiculopathy_desktop.domain.medications import load_medicine_data

    classes_of = load_medicine_data().generic_classes

    def sheets_own(generic: str) -> bool:
        return generic in engine_classes or bool(engine_classes.intersection(classes_of.get(generic, ())))

    taking_generics = {g for m in taking for g in m.generics}
    by_name = {m.name: m for m in report.current_medicines}
    class_pair = False  # an interaction between medicines all of this sheet's class (two opioids)
    names: list[str] = []
    texts: list[str] = []
    for ix in report.interactions:
        try:
            serious = MedicineStatus(ix.severity).rank >= MedicineStatus.AVOID.rank
        except ValueError:
            serious = False
        if not serious:
            continue
        meds = [by_name[n] for n in ix.medicines if n in by_name]
        related = [m for m in meds if engine_classes.intersection(m.classes) or taking_generics.intersection(m.generics)]
        if len(related) < 2 or not any(m in taking for m in related):
            continue
        pair = all(engine_classes.intersection(m.classes) for m in meds)
        common = set(related[0].generics).intersection(*(m.generics for m in related[1:]))
        if not pair and not any(sheets_own(g) for g in common):
            # the box belongs on the sheet of the ingredient it is about: codeine 30 mg with Tylenol
            # #3 share codeine, not paracetamol, so the paracetamol sheet has no "which one to keep
            # taking" box for them (fxa18; ix-two-codeine-products); the opioid sheet has it
            continue
        if pair:
            class_pair = True
        names.extend(m.name for m in related if m.name not in names)
        texts.append(ix.text)
    if not names:
        return None
    meds = [m for m in report.current_medicines if m.name in names]
    shared = set(meds[0].generics)
    for m in meds[1:]:
        shared &= set(m.generics)
    # the medicine they share must be this sheet's: on the opioid sheet, Tylenol #3 with Percocet
    # are two different opioids, not "the same medicine, paracetamol" (opi18); that is the
    # paracetamol sheet's box
    own = {g for g in shared if sheets_own(g)}
    if not own and class_pair:
        shared = set()  # two different medicines of this sheet's class: the class box
    elif own:
        shared = own
    return meds, tuple(g for g in meds[0].generics if g in shared), tuple(dict.fromkeys(texts))


def _product(med, lang: str, several: bool = False, to_check: tuple[str, ...] = ()) -> tuple[str, str]:
    """A current medicine as the patient reads it (``lang``) and as the clinician's note says it
    (English), with its recorded daily dose: a dose that was recorded is never "not recorded".
    ``several``: listed beside other products, its daily amount says which medicine it counts
    ("codeine 30mg qds (codeine 120 mg a day)"), never "(120 mg a day in all)", read as the total of
    a fentanyl patch and the codeine (gp19 F9)."""
    name = _med_name(med, lang)

    def amount(current: str) -> str:
        key = _with_strength("product_dose", name)
        if several and key == "product_dose_strength" and len(med.generics) == 1:
            return tr(lang, "product_dose_strength_of", name=name, current=current,
                      generic=tr_drug(lang, med.generics[0]))
        return tr(lang, key, name=name, current=current)

    english = display_name(" ".join(med.name.split()))
    unit = _other_unit(med)
    if unit is not None:
        # each product by its own form (rt24 F6): a buccal tablet beside a patch was "prescribed in
        # micrograms an hour (skin patch)" and the real patch lost its rate and MME; the words and
        # numbers are the single product's note's (:func:`_form_said`), as the window counts them
        return name, f"{english} ({_recorded_as(med)}{_form_said(med, to_check=med.name in to_check)})"
    if med.daily_dose_mg is None:
        # no dose recorded, a regimen written in the name (cmb17): the dose read from it, as the
        # alert reads it ("codeine 30mg qds: ... read from the name (qds) as ..."), never "dose
        # not recorded" beside an alert that summed it (gp18 F8)
        from radiculopathy_desktop.domain.medications import read_recorded_dose

        reading = read_recorded_dose(med.name, med.generics, None)
        if reading is not None and reading.read and reading.regimen_note:
            # sheet3 (H-MED-653): taken less often than every day ("tramadol 50 mg días alternos") is repeated as
            # taken, in plain words ("tramadol 50 mg every other day"), as its own sheet says (sheetwords F5), never
            # the per-day average the maximum is checked with ("tramadol 25 mg a day"), beside another product too
            return _med_name(med, lang, plain=True), reading.text
        if reading is not None and reading.read and len(med.generics) > 1:
            return _tablets_said(lang, "product_tablet", name, reading), reading.text
        if reading is not None and reading.read:
            return amount(_num(reading.components[0][1])), reading.text
        if reading is not None:
            return tr(lang, "product_dose_to_check", name=name), f"{reading.text} (check the dose)"
        unread = _unread_shorthand(med)
        if unread is not None:
            # nxsheet34 (H-MED-713): a number shorthand the medicine check read nothing from ("3 x 4 per week"): its
            # dose is to check beside another product too, never the bare name as if its dose were known
            return (tr(lang, "product_dose_to_check", name=name),
                    f"{english} (the regimen in its name, \u201c{unread}\u201d, was not read: check the dose)")
    if _not_a_dose(med.daily_dose_mg):
        return name, f"{english} ({_stored_zero(med.daily_dose_mg)})"
    current = _num(med.daily_dose_mg)
    reading = _combination_reading(med)
    # typed35 (H-MED-718): a recorded dose the medicine check asks about (``to_check``: the name's regimen contradicts
    # it, a likely slip) is never printed as the patient's dose, in mg or in tablets: "(dose to check)"; the note keeps
    # what was typed
    if reading is not None:
        # its recorded mg are one component's: the patient reads tablets, the clinician the reading
        if reading.read and med.name not in to_check:
            return _tablets_said(lang, "product_tablet", name, reading), reading.text
        return tr(lang, "product_dose_to_check", name=name), f"{reading.text} (check the dose)"
    if med.name in to_check:
        return tr(lang, "product_dose_to_check", name=name), f"{english} {current} mg a day (check the dose)"
    return amount(current), f"{english} {current} mg a day"


def _units_key(key: str, reading) -> str:
    """forms29 (H-MED-541): the "doses" wording of a "tablets" template for a product counted in doses (Napratec:
    one dose is a naproxen tablet with a misoprostol tablet), never "2 tablets a day" for 4 tablets."""
    return key.replace("tablets", "doses") if getattr(reading, "unit", "tablets") == "doses" else key


def _tablets_said(lang: str, key: str, name: str, reading) -> str:
    """``key`` ("product_tablet": one tablet a day) or its plural ``key + "s"`` with the count (handout29), in
    doses for a product counted in doses (:func:`_units_key`; "1 dose a day": ``_one_dose``), never "1 tablets"."""
    doses = getattr(reading, "unit", "tablets") == "doses"
    if reading.tablets == 1:
        return tr(lang, key.replace("_tablet", "_one_dose") if doses else key, name=name)
    return tr(lang, _units_key(key + "s", reading), name=name, tablets=_num(reading.tablets))


def _combination_reading(med):
    """How a combination product's recorded daily dose was read (G17), or None for a single
    medicine or a combination without a recorded dose."""
    from radiculopathy_desktop.domain.medications import read_recorded_dose

    if len(med.generics) < 2 or (med.daily_dose_mg is not None and _not_a_dose(med.daily_dose_mg)):
        return None
    # with no dose recorded, a regimen written in the name ("2 tablets four times a day", cmb17)
    return read_recorded_dose(med.name, med.generics, med.daily_dose_mg)


def _with_strength(key: str, name: str) -> str:
    """``key``, or its "_strength" form when the recorded name carries a number (a tablet
    strength: "nurofen 200mg"): the daily amount then goes in brackets, never as a second bare
    number beside the strength ("nurofen 200mg 1200 mg a day", rd13 D10)."""
    return f"{key}_strength" if any(ch.isdigit() for ch in name) else key


class DisplayNamesError(ValueError):
    """``resources/medicines/display_names.toml`` does not follow its format."""


@lru_cache(maxsize=1)
def display_names() -> tuple["re.Pattern[str] | None", dict[str, str]]:
    """The brand names of ``resources/medicines/display_names.toml`` (sht24): (one pattern finding any
    of them as whole words in a lower-case recorded name, lower-case name -> the name as its maker
    prints it). Checked: each key a name the medicine data knows, its spelling the key's, a source the
    medicine data lists."""
    from radiculopathy_desktop.domain.medications import load_medicine_data

    path = resource_path("medicines", "display_names.toml")
    with open(path, "rb") as fh:
        entries = tomllib.load(fh).get("display_names") or {}
    with open(resource_path("medicines", "sources.toml"), "rb") as fh:
        cited = set(tomllib.load(fh).get("sources", {}))
    data = load_medicine_data()
    forms = data.patch_forms
    known = set(data.synonyms) | set(forms.topical_patches if forms else ()) | set(
        forms.non_opioid_patches if forms else ())
    table: dict[str, str] = {}
    for key, entry in entries.items():
        where = f"{path}: {key!r}"
        if not isinstance(entry, dict) or set(entry) != {"name", "source"}:
            raise DisplayNamesError(f"{where}: must be {{ name = ..., source = ... }}")
        name, source = entry["name"], entry["source"]
        # fhirnsaid35 (H-MED-726): a key in any case or spacing is the name it spells ("Ultracet" is "ultracet"), as
        # a recorded name is matched (below: any case); two keys that are one name are refused
        key = " ".join(str(key).lower().split())
        if key in table:
            raise DisplayNamesError(f"{where}: the same name as another key (keys are matched in any case)")
        if key not in known:
            raise DisplayNamesError(f"{where}: not a name the medicine data knows")
        if not isinstance(name, str) or " ".join(name.lower().split()) != key:
            raise DisplayNamesError(f"{where}: the display name {name!r} must spell the key")
        if source not in cited:
            raise DisplayNamesError(f"{where}: source {source!r} is not in resources/medicines/sources.toml")
        table[key] = name
    if not table:
        return None, {}
    words = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(table, key=len, reverse=True))
    # a whole name: no letter or hyphen before it ("depo-medrol" is not "medrol"), no letter after it
    # (a number typed on to it is read, as the medicine data reads "butrans5")
    return re.compile(rf"(?<![^\W\d_])(?<!-)({words})(?![^\W\d_])(?!-[^\W\d_])", re.IGNORECASE), table


def display_name(text: str) -> str:
    """``text`` (a medicine's name as recorded) with each brand of :func:`display_names` as its maker
    prints it: "fentalis 25" -> "Fentalis 25", "pecfent 100" -> "PecFent 100"; the rest as typed
    (sht24: the sheets printed "take your fentalis 25")."""
    pattern, table = display_names()
    if pattern is None:
        return text
    return pattern.sub(lambda m: table[" ".join(m.group(1).lower().split())], text)


@functools.lru_cache(maxsize=1)
def _regimen_words() -> tuple[tuple[str, str, str], ...]:
    """(written form, English, Spanish) of resources/handouts/regimen_words.toml, longest form first."""
    with resource_path("handouts", "regimen_words.toml").open("rb") as fh:
        data = tomllib.load(fh)
    rows = [(w.lower(), e["en"], e["es"]) for e in data["words"] for w in e["written"]]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


@functools.lru_cache(maxsize=1)
def _inline_regimen_words() -> frozenset[str]:
    """arthro36 (H-FMT-911): the written forms of regimen_words.toml marked ``inline`` ("a day"): said in place after
    the count they belong to ("9 comprimidos al día"), never moved after the name."""
    with resource_path("handouts", "regimen_words.toml").open("rb") as fh:
        data = tomllib.load(fh)
    return frozenset(w.lower() for e in data["words"] if e.get("inline") for w in e["written"])


@functools.lru_cache(maxsize=1)
def _as_prescribed_words() -> tuple[str, ...]:
    """sheet2 (H-MED-643): the written forms of regimen_words.toml marked ``as_prescribed`` ("as directed",
    "según pauta"), longest first."""
    with resource_path("handouts", "regimen_words.toml").open("rb") as fh:
        data = tomllib.load(fh)
    return tuple(sorted((w.lower() for e in data["words"] if e.get("as_prescribed") for w in e["written"]),
                        key=lambda w: -len(w)))


def as_prescribed_name(name: str) -> str | None:
    """sheet2 (H-MED-643): ``name`` without its closing "as directed" words ("tramadol 50mg as directed" ->
    "tramadol 50mg", "morfina 10 mg según pauta médica" -> "morfina 10 mg"), or None when the name does not end
    with them or holds any other regimen word after them ("tramadol 50mg 2 tabs as directed": the count is a dose
    the sheet cannot check, so it is asked about as before)."""
    words = _as_prescribed_words()
    if not words:
        return None
    phrases = "|".join(re.escape(w) for w in words)
    m = re.search(rf"(?<![\w.-])(?:{phrases})(?:\s+(?:{phrases}))*\s*$", name.strip(), flags=re.IGNORECASE)
    if m is None:
        return None
    head = name.strip()[:m.start()].rstrip()
    return head or None


def plain_regimen(name: str, lang: str) -> str:
    """``name`` with each regimen written in it said in plain words in ``lang`` (sheetwords F5/F6, H-MED-616):
    "tramadol 50mg prn" -> "tramadol 50mg when needed", "tramadol 50 mg días alternos" -> "... every other day";
    a patient is never given a prescriber's abbreviation."""
    rows = _regimen_words()
    said = {w: (es if lang == "es" else en) for w, en, es in rows}
    # one pass, longest form first: a plain word printed is never read again ("every other day" -> "en días
    # alternos", never "en en días alternos")
    pattern = r"(?<![\w.-])(" + "|".join(re.escape(w) for w, _en, _es in rows) + r")(?![\w-])"
    return re.sub(pattern, lambda m: said[m.group(1).lower()], name, flags=re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _count_words() -> tuple[re.Pattern | None, dict[str, dict], dict[str, str], dict[str, float]]:
    """esnames (H-MED-689), sheets36 (H-MED-740): the count words a recorded name may hold, each with the entry of
    regimen_words.toml [[count_words]] that says it in full: the English words of that table and every word of the
    medicine data's unit vocabulary (drugs.toml [name_reading.count_units]: "comp", "cáps", "comprimidos" ...),
    joined to the entry whose ``written`` holds what it counts ("tablets"); the English numbers said in Spanish
    ([count_numbers]), the number words the reader reads (number_words, count_fractions) and the pattern."""
    from radiculopathy_desktop.domain.medications import load_medicine_data

    with resource_path("handouts", "regimen_words.toml").open("rb") as fh:
        data = tomllib.load(fh)
    entries = list(data.get("count_words", ()))
    nouns = {w.lower(): e for e in entries for w in e["written"]}
    reading = load_medicine_data().name_reading
    for word, counts in reading.count_units.items():
        entry = nouns.get(counts.lower())
        if entry is None:
            raise ValueError(f"regimen_words.toml [[count_words]]: no entry says {counts!r} (drugs.toml count_units "
                             f"{word!r})")
        nouns.setdefault(word.lower(), entry)
    for entry in entries:
        for key in ("en", "en_plural", "es", "es_plural", "es_one", "es_half"):
            nouns.setdefault(entry[key].lower(), entry)  # the words said are count words too
    numbers = {k.lower(): v for k, v in data.get("count_numbers", {}).items()}
    values = {k.lower(): float(v) for k, v in reading.number_words.items() if k.isalpha() and len(k) > 1
              and k.lower() not in {"i", "ii", "iii", "iv"}}
    halves = {k.lower(): float(v) for k, v in reading.count_fractions.items()}
    if not nouns:
        return None, {}, {}, {}
    words = "|".join(re.escape(w) for w in sorted(nouns, key=len, reverse=True))
    said_numbers = "|".join(re.escape(w) for w in sorted({*numbers, "one", *values, *halves}, key=len, reverse=True))
    pattern = re.compile(
        r"(?<![\w.-])(?:(?P<num>\d+(?:[.,]\d+)?(?:\s*/\s*\d+)?|½|half(?:\s+an?)?|" + said_numbers + r")\s*"
        r"(?:x\s*)?)?(?P<noun>" + words + r")(?![\w-])\.?(?P<of>\s+(?:of|de)(?=\s+\d))?", re.IGNORECASE)
    return pattern, nouns, numbers, {**values, **halves}


def said_counts(text: str, lang: str) -> str:
    """``text`` with each count of tablets, capsules or sachets said in full in ``lang``, from the medicine data's
    unit vocabulary (sheets36, H-MED-740): "Zaldiar 3 comp" -> "Zaldiar 3 tablets" (en), "Zaldiar 3 comprimidos"
    (es); "2 tabs" -> "2 tablets"; in Spanish as Spanish leaflets write it (esnames, H-MED-689): "300mg 1 capsule" ->
    "300mg 1 cápsula", "one tablet" -> "un comprimido", "half a tablet" -> "medio comprimido", "2 tablets of 400mg" ->
    "2 comprimidos de 400mg". A sheet never prints a prescriber's abbreviation or another language's count word;
    the clinician's text keeps the name as recorded."""
    pattern, nouns, numbers, values = _count_words()
    if pattern is None:
        return text
    spanish = lang == "es"
    english_numbers = {v: k for k, v in (("one", 1.0), ("two", 2.0), ("three", 3.0), ("four", 4.0))}

    def said(m: re.Match) -> str:
        entry = nouns[m.group("noun").lower()]
        one, many = (entry["es"], entry["es_plural"]) if spanish else (entry["en"], entry["en_plural"])
        num = (m.group("num") or "").strip()
        low = " ".join(num.lower().split())
        if not num:
            written = m.group("noun").lower()
            plural = written.endswith("s") and written not in {entry["es"].lower(), entry["en"].lower()}
            head = many if plural else one
        elif low.startswith("half") or values.get(low) == 0.5:
            head = f"{entry['es_half']} {one}" if spanish else f"half a {one}"
        elif low.isalpha():
            value = values.get(low, 1.0 if low == "one" else None)
            if value is None:  # an English number word of [count_numbers] ("two")
                value = next((v for v, k in english_numbers.items() if k == low), 2.0)
            if spanish:
                word = entry["es_one"] if value == 1 else numbers.get(english_numbers.get(value, ""), low)
                if low in values and low not in english_numbers.values():
                    word = low if value != 1 else entry["es_one"]  # a Spanish number kept (its gender: the entry's)
            else:
                word = english_numbers.get(value, f"{value:g}")
            head = f"{word} {one if value <= 1 else many}"
        else:
            if "/" in num:
                a, _, b = num.partition("/")
                value = float(a) / float(b) if float(b) else 2.0
            elif num == "½":
                value = 0.5
            else:
                value = float(num.replace(",", "."))
            head = f"{num} {one if value <= 1 else many}"
        return head + ((" de" if spanish else " of") if m.group("of") else "")

    return pattern.sub(said, text)


def spanish_counts(text: str) -> str:
    """esnames (H-MED-689): :func:`said_counts` in Spanish."""
    return said_counts(text, "es")


@functools.lru_cache(maxsize=1)
def _bare_count_words() -> dict[str, str]:
    with resource_path("handouts", "regimen_words.toml").open("rb") as fh:
        return dict(tomllib.load(fh).get("bare_count", {}))


#: sheets36 (H-MED-741): a strength (a number with a unit of weight, or a combination's "30/500", "37,5/325") and right
#: after it, at the end of the name without its regimen, a number with no count word: how many are taken each time
_BARE_COUNT_RE = re.compile(
    r"(?P<strength>(?<![\w./])\d+(?:[.,]\d+)?(?:\s*/\s*\d+(?:[.,]\d+)?)*\s*(?:mg|mcg|µg|ug|g|micrograms?)?)"
    r"\s+(?P<count>\d+(?:[.,]\d+)?|½|1/2)\s*$", re.IGNORECASE)


def said_bare_count(name: str, lang: str, tablets: bool) -> str:
    """sheets36 (H-MED-741): ``name`` (without its regimen) whose count is written with no count word after its
    strength, said so a patient can read it: "paracetamol 500mg 2" -> "paracetamol 2 doses of 500mg" ("2 dosis de
    500mg"); a combination product's count is of tablets: "co-codamol 30/500 2" -> "co-codamol 2 tablets of
    30/500" ("2 comprimidos de 30/500"). A strength with no unit is a strength only in a combination ("30/500"): a
    lone "Tylenol 3" keeps its number. Any other name is as given."""
    m = _BARE_COUNT_RE.search(name)
    if m is None:
        return name
    strength = " ".join(m.group("strength").split())
    if not re.search(r"[a-zµ]", strength, re.IGNORECASE) and "/" not in strength:
        return name  # a number alone ("Tylenol 3 2"? a product's number): never read as a strength
    if m.start() == 0 or not name[:m.start()].strip():
        return name
    count = m.group("count")
    words = _bare_count_words()
    key = "es" if lang == "es" else "en"
    value = 0.5 if count in {"½", "1/2"} else float(count.replace(",", "."))
    if tablets:
        pattern, nouns, _numbers, _values = _count_words()
        entry = nouns["tablets"]
        unit = entry[key] if value <= 1 else entry[f"{key}_plural"]
        said = words[f"{key}_tablets"].format(count=count, tablets=unit, strength=strength)
    else:
        unit = words[f"{key}_dose"] if value <= 1 else words[f"{key}_doses"]
        said = words[key].format(count=count, doses=unit, strength=strength)
    return f"{name[:m.start()].rstrip()} {said}"


class SaidName(str):
    """A medicine's name as a patient sheet says it (plainwords, H-MED-647): the name and strength as recorded,
    and the regimen written in it in plain words after them. As a string it is "naproxen 500mg (twice a day)",
    the shape that reads in any place of a sentence and in a list of names, in English and Spanish; :func:`tr`
    prints "naproxen 500mg, twice a day" where the name ends a clause (before ".", ";", ":"), and "naproxen 500mg
    twice a day (1000 mg a day in all)" before the template's own bracket."""

    base: str
    regimen: str

    def __new__(cls, base: str, regimen: str = "") -> "SaidName":
        self = super().__new__(cls, f"{base} ({regimen})" if regimen else base)
        self.base, self.regimen = base, regimen
        return self

    @property
    def at_clause_end(self) -> str:
        return f"{self.base}, {self.regimen}" if self.regimen else self.base


def _regimen_pattern() -> str:
    return r"(?<![\w.-])(" + "|".join(re.escape(w) for w, _en, _es in _regimen_words()) + r")(?![\w-])"


def split_regimen(name: str, lang: str) -> tuple[str, str]:
    """(``name`` without the regimen written in it, that regimen in plain words in ``lang``): "naproxen 500mg bd"
    -> ("naproxen 500mg", "twice a day"), "tramadol 50mg bd prn" -> ("tramadol 50mg", "twice a day when needed")
    (plainwords, H-MED-647). A name with no regimen word of resources/handouts/regimen_words.toml gives ("name", "")."""
    rows = _regimen_words()
    said = {w: (es if lang == "es" else en) for w, en, es in rows}
    found: list[str] = []
    written: list[str] = []
    inline = _inline_regimen_words()
    in_place: list[bool] = []

    def take(m: re.Match) -> str:
        if m.group(1).lower() in inline:
            # arthro36: "9 tablets a day" -> "9 tablets al día" (es), said where it is written
            in_place.append(m.group(1).lower() != said[m.group(1).lower()].lower())
            return f" {said[m.group(1).lower()]} "
        found.append(said[m.group(1).lower()])
        written.append(" ".join(m.group(1).lower().split()))
        return " "

    base = re.sub(_regimen_pattern(), take, name, flags=re.IGNORECASE)
    base = " ".join(base.split()).strip(" ,;")
    if not found and any(in_place) and base:
        return base, ""
    if not found or not base or written == [w.lower() for w in found]:
        # none, or already the plain words of ``lang`` ("2 tablets four times a day" on an English sheet): as recorded
        return name, ""
    return base, " ".join(dict.fromkeys(found))


def _med_name(med, lang: str, plain: bool = False) -> SaidName | str:
    """The recorded name as a patient sheet says it (:class:`SaidName`): each brand as its maker prints it
    (:func:`display_name`); in Spanish, a generic recorded by its English name (alone or before a strength) is
    given its Spanish name ("oxycodone 5 mg" -> "oxicodona 5 mg") when the wording has one (rt10 F4); a regimen
    written in it ("bd", "prn", "si precisa", "c/8h") is said in plain words after the name and strength, never as
    the prescriber's abbreviation (sheetwords F6, plainwords H-MED-647). The clinician's notes, the CSV, JSON,
    FHIR and the case page keep the name as recorded."""
    said = _said_name(med, lang)
    if plain:
        # sheet3 (H-MED-653/654): a dose line that repeats the regimen as taken ("tramadol 50 mg every other day",
        # "methotrexate 2.5mg twice weekly" named in the once-weekly box) says it inline, with no brackets
        return f"{said.base} {said.regimen}" if said.regimen else said.base
    return said


#: words33 (H-MED-693/694): the current medicines (as recorded) whose recorded daily dose the medicine check doubts
#: (``report.dose_checks`` other than "label_max": a likely slip, far above or below any usual dose) while a
#: sheet is made: a dose written in such a name is never printed to the patient as their dose (:func:`_sheet_base`)
_JUDGED: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar("handout_judged_doses", default=frozenset())


@contextlib.contextmanager
def _judging(report):
    """Names printed inside this block leave out a dose written in the name that ``report`` asks about."""
    # a dose the check doubts (a likely slip, far above or below any usual dose, a regimen not read), not one it
    # believes is taken above the label maximum ("meloxicam 15mg bd": the sheet asks how much of it to take)
    token = _JUDGED.set(frozenset(n for c in getattr(report, "dose_checks", ()) if c.kind != "label_max"
                                  for n in c.medicines))
    try:
        yield
    finally:
        _JUDGED.reset(token)


#: words33 (H-MED-693): a regimen written only in numbers and the signs between them ("3 x 4", "2x4", "1-2 x 3")
_NUMBERS_ONLY_RE = re.compile(r"[\d\s.,/x\u00d7*+-]*\d[\d\s.,/x\u00d7*+-]*", re.IGNORECASE)


#: nxsheet34 (H-MED-713): a prescriber's shorthand written only in numbers and the signs between them, wherever it
#: stands in a name: "3 x 4", "2x4", "1-2 x 3", "4 x 1", "3 x 4 x 1" (a number times a number), and a time-of-day
#: pattern "1-0-0", "1-1-1", "1+0+1" (three numbers or more joined by "-" or "+"). Never a strength: no number of it
#: is written with a unit ("2 x 500 mg" is two tablets of 500 mg), a slash ("30/500") or as part of a word, and a
#: range of two ("1-2 tablets") is no such pattern
_SHORTHAND_NUM = r"(?:\d+(?:[.,]\d+)?|\u00bd)"
_SHORTHAND_END = r"(?![\w./%\u00b5-])(?!\s*(?:mg|mcg|\u00b5g|ug|g|gr|grams?|gramos?|ml|micrograms?|microgramos?)\b)"
_SHORTHAND_RE = re.compile(
    rf"(?<![\w./#\u00b5-])(?:{_SHORTHAND_NUM}(?:\s*-\s*{_SHORTHAND_NUM})?\s*[x\u00d7*]\s*{_SHORTHAND_NUM}"
    rf"(?:\s*-\s*{_SHORTHAND_NUM})?(?:\s*[x\u00d7*]\s*{_SHORTHAND_NUM})*"
    rf"|{_SHORTHAND_NUM}(?:\s*[-+]\s*{_SHORTHAND_NUM}){{2,}})"
    # nxd36 (H-MED-758): a "per day" written after it ("3 x 4/d", "3 x 4/day", "3 x 4/día", dose36) is part of the
    # shorthand: it was left whole in the name, and the sheet printed "oxycodone 20mg 3 x 4/d"
    rf"(?:\s*/\s*[^\W\d_]{{1,4}}\.?)?{_SHORTHAND_END}", re.IGNORECASE)
#: the number before the shorthand that names the product ("Tylenol No. 3 3 x 4", "tylenol #3 x2"): never a count
_NUMBERED_NAME_RE = re.compile(r"(?:\bno\.?|#|n\u00ba|n\u00b0)\s*$", re.IGNORECASE)
#: a count of dose units written just before the shorthand ("2 tabs", "1 capsule", "one tablet", "1 comprimido", "2 cp"):
#: a number and a word that is no unit of a strength
_COUNT_BEFORE_RE = re.compile(
    r"(?<![\w./])(?:\d+(?:[.,]\d+)?|\u00bd|one|two|three|four|half(?:\s+an?)?|un|una|medio|media)\s*"
    r"(?!(?:mg|mcg|\u00b5g|ug|g|gr|grams?|gramos?|ml|micrograms?|microgramos?|mg/\S*)\b)[^\W\d_]+\.?\s*$",
    re.IGNORECASE)


def _shorthand_in(name: str) -> re.Match | None:
    """nxsheet34 (H-MED-713): the first number shorthand of :data:`_SHORTHAND_RE` in ``name`` that is no part of the
    product's own name ("Tylenol No. 3 x2": the 3 is the product's number), or None."""
    for m in _SHORTHAND_RE.finditer(name):
        if not _NUMBERED_NAME_RE.search(name[:m.start()]):
            return m
    return None


def _without_shorthand(name: str) -> str | None:
    """nxsheet34 (H-MED-713): ``name`` (as recorded) cut before the regimen that holds a number shorthand
    (:func:`_shorthand_in`), or None when it holds none. The regimen is cut whole: the shorthand, what follows it
    ("3 x 4 daily", "3 x 4 per week", "3 x 4 prn") and the count and regimen words just before it ("2 tabs 3 x 4",
    "1 cap 4 x 1", "prn 3 x 4"): any part of it printed alone would be read as the patient's dose ("2 tabs", "3 x 4
    (once a day)"). The name and strength before it are kept: "tramadol 50mg 2 tabs 3 x 4" -> "tramadol 50mg"."""
    m = _shorthand_in(name)
    if m is None:
        return None
    head = name[:m.start()]
    regimen = _regimen_pattern()
    while True:
        before = head
        head = head.rstrip(" ,;")
        count = _COUNT_BEFORE_RE.search(head)
        if count is not None and count.start() > 0 and not _NUMBERED_NAME_RE.search(head[:count.start()]):
            head = head[:count.start()]
        words = list(re.finditer(regimen, head, flags=re.IGNORECASE))
        if words and not head[words[-1].end():].strip(" ,;") and words[-1].start() > 0:
            head = head[:words[-1].start()]
        if head == before:
            break
    head = " ".join(head.split()).strip(" ,;")
    return head or None


@lru_cache(maxsize=512)
def _name_reading(name: str, generics: tuple[str, ...]):
    from radiculopathy_desktop.domain.medications import read_recorded_dose

    return read_recorded_dose(name, generics, None)


def _sheet_base(name: str, generics: tuple[str, ...], daily_dose_mg) -> str:
    """words33: the recorded ``name`` as a patient sheet may print it (before its regimen is said in plain words).

    - H-MED-693: a regimen written in the name that the reader cannot read and that has no plain words
      (resources/handouts/regimen_words.toml) is left out: "co-codamol 30/500 3 x 4" is "co-codamol 30/500" (the
      sheet says beside it that the record does not say clearly how much is taken); the prescriber's "3 x 4"
      (3 tablets 4 times a day? 4 tablets 3 times? 3 for 4 days?) is never printed to the patient as if it were
      their dose.
    - H-MED-694: a dose written in the name ("paracetamol 16000 mg/day", "paracetamol 4g qds"), no dose typed in
      the dose field, that the medicine check asks about (:data:`_JUDGED`) is left out with its strength:
      "paracetamol", never "should not be taken with your paracetamol 16000 mg/day"."""
    if not generics:
        return name
    reading = _name_reading(name, tuple(generics))
    if not _patch_named(name, generics):
        # nxsheet34 (H-MED-713): a number shorthand ("3 x 4", "1-0-0") is never printed, read or not, nor the rest of
        # the regimen around it ("2 tabs 3 x 4", "3 x 4 daily", "3 x 4 per week"); a patch's count ("Durogesic 12 x3")
        # is read as patches and kept as before
        cut = _without_shorthand(name)
        if cut is not None:
            if (reading is not None and reading.read and daily_dose_mg is None and name in _JUDGED.get()
                    and not _weekly_only(generics)):
                from radiculopathy_desktop.domain.medications import _without_strengths

                cut = " ".join(_without_strengths(cut).split()).strip(" ,;") or cut  # H-MED-694 as below
            return cut
    if reading is None or not reading.from_name:
        return name
    if not reading.read:
        words = " ".join(reading.from_name.split())
        if not _NUMBERS_ONLY_RE.fullmatch(words):
            # words a patient reads ("2 tabs as directed") are kept, and those said in plain words ("qod" -> "every
            # other day"): the weekly box and the unread-dose box name them; only numbers the reader cannot read
            # ("3 x 4", "2x4", "1-2 x 3") are a prescriber's shorthand with no meaning for the patient
            return name
        typed = r"\s+".join(re.escape(w) for w in words.split())
        cut = re.sub(rf"(?<![\w/]){typed}(?![\w/])", " ", name, flags=re.IGNORECASE)
        cut = " ".join(cut.split()).strip(" ,;")
        return cut or name
    if daily_dose_mg is None and name in _JUDGED.get() and not _weekly_only(generics):
        # a once-a-week medicine (methotrexate) written daily keeps its shape: the weekly box (H-MED-654) finds
        # it by that shape, names it bare and asks the patient to check it is taken once a week
        from radiculopathy_desktop.domain.dose_in_name import find_regimen
        from radiculopathy_desktop.domain.medications import _without_strengths, load_medicine_data

        data = load_medicine_data()
        bare = " ".join(_without_strengths(find_regimen(spell_name(name, data), data.name_reading)[0]).split())
        return bare.strip(" ,;") or name
    return name


def _patch_named(name: str, generics) -> bool:
    """The name reads as an opioid skin patch, or may be one (``MedicineData.patch_form``)."""
    from radiculopathy_desktop.domain.medications import CurrentMedicine, load_medicine_data

    return load_medicine_data().patch_form(CurrentMedicine(name, tuple(generics), None)) is not None


def _weekly_only(generics) -> bool:
    from radiculopathy_desktop.domain.medications import load_medicine_data

    limits = load_medicine_data().dose_limits
    return any(g in limits and limits[g].kind == "weekly" for g in generics)


def spell_name(name: str, data) -> str:
    from radiculopathy_desktop.domain.dose_in_name import spell

    return spell(name, data.name_reading)


def _said_name(med, lang: str, bare: bool = True) -> SaidName:
    recorded = " ".join(med.name.split())
    shown = _sheet_base(recorded, tuple(med.generics), getattr(med, "daily_dose_mg", None))
    name, regimen = split_regimen(display_name(shown), lang)
    # esnames (H-MED-689), sheets36 (H-MED-740): "1 capsule" -> "1 cápsula", "3 comp" -> "3 tablets"
    name = said_counts(name, lang)
    if bare and regimen and med.generics and " ".join(name.lower().split()) in " ".join(shown.lower().split()):
        # sheets36 (H-MED-741): "paracetamol 500mg 2" (four times a day) -> "paracetamol 2 doses of 500mg": only a
        # count written right after the strength (the name as recorded holds them together) that the reader read;
        # "co-codamol 30/500 qds 2" (2 what?) is asked about and printed as before
        reading = _name_reading(shown, tuple(med.generics))
        if reading is not None and reading.read and reading.from_name:
            name = said_bare_count(name, lang, tablets=len(med.generics) > 1)
    if lang == "en" or len(med.generics) != 1:
        return SaidName(name, regimen)
    generic = med.generics[0]
    first, _, rest = name.partition(" ")
    if first.lower() != generic:  # a brand or a product name is printed as recorded
        return SaidName(name, regimen)
    translated = dose_wording(lang)[0].get(generic, first)
    return SaidName(f"{translated} {rest}" if rest else translated, regimen)


def _together_dose(cls: str, together, report, drugs, data, lang: str) -> MedicineDose:
    """The sheet's wording for two current products the engine rates avoid together (rt10 F2)."""
    meds, shared, texts = together
    products = [_product(m, lang, several=len(meds) > 1, to_check=_to_check(report)) for m in meds]
    joined = tr(lang, "and_join", first=", ".join(p[0] for p in products[:-1]), last=products[-1][0])
    note = and_joined(p[1] for p in products)
    limit = None
    if shared:
        generic = shared[0]
        for row in report.rows:
            drug = drugs[row.drug]
            # only this sheet's own medicine gives its maximum: on the acetaminophen sheet of
            # tramadol + Tramacet, "400 mg of tramadol ... can harm your liver" would be wrong
            if row.treatment_code == cls and _doses_one_medicine(drug) and generic in drug.own:
                limit = row.dose_limit_mg if row.dose_limit_mg is not None else row.adjusted_max_daily_mg
                if limit is not None:
                    break
        box = tr(lang, "together_same_box", products=joined, generic=tr_drug(lang, generic))
        amount = (tr(lang, "together_same_amount", limit=_num(limit), generic=tr_drug(lang, generic))
                  if limit is not None else tr(lang, "together_amount"))
        note += f", both containing {generic}"
    elif cls in TAPERED_CLASSES:
        # two different opioids: no shared mg maximum (their total is counted in MME), and never
        # "which one to keep ... before your next dose", which stops the other at once (rt19 F4,
        # gp18 F2; FDA 2019 on sudden discontinuation)
        box = tr(lang, "together_class_taper_box", products=joined)
        amount = tr(lang, "together_amount")
    else:
        box = tr(lang, "together_class_box", products=joined)
        amount = tr(lang, "together_amount")
    kidney = None
    for m in meds:
        for drug in drugs.values():
            if _doses_one_medicine(drug) and drug.own.intersection(m.generics) and _kidney_unknown(drug, report, data):
                kidney = _kidney_why(report)
    after = _keep_after(cls, lang, len(meds)) + ((tr(lang, "kidney_check"),) if kidney else ())
    return MedicineDose(tr(lang, "together_taper_dose" if not shared and cls in TAPERED_CLASSES else "together_dose"),
                        amount, after_dose=after, together_box=box,
                        together=note, kidney_unchecked=kidney, together_count=len(meds),
                        together_kind="same" if shared else "taper" if cls in TAPERED_CLASSES else "class")


def _doses_one_medicine(drug) -> bool:
    """The row gives a dose for named medicines (not a whole class such as "other opioids")."""
    return drug.label_max is not None or drug.default_max is not None


#: Medicine classes whose dose comes down over days or weeks, never at once: the
#: gabapentin and pregabalin labels (discontinue gradually over at least a week:
#: withdrawal, seizures), the FDA's 2019 opioid safety communication (no abrupt
#: discontinuation or rapid dose decrease), and for steroid pills the prednisone label
#: (reduce the dose gradually: drug-induced adrenocortical insufficiency) and the BNF
#: (gradual withdrawal after more than 3 weeks' treatment, or more than 40 mg prednisolone a
#: day for more than a week; red-team rt10 F6), and the dexamethasone, methylprednisolone and
#: hydrocortisone labels (withdraw gradually after long-term therapy: every member of the data's
#: systemic corticosteroid class is on this sheet, rt12 F7). A medicine of these classes taken now gets
#: "do not stop it suddenly"; a dose above the maximum is lowered by the clinician's plan,
#: step by step, never "take no more than the maximum from now on".
class _TaperedClasses:
    """The sheets' classes (treatment codes) whose medicines are never stopped at once: read from
    the medicine data (classes.toml ``[stop_gradually]``, each with its source; opi18), not a list
    kept here. ``cls in TAPERED_CLASSES`` as before."""

    def __contains__(self, cls: object) -> bool:
        return cls in tapered_classes()

    def __iter__(self):
        return iter(tapered_classes())


@lru_cache(maxsize=1)
def tapered_classes() -> frozenset[str]:
    from radiculopathy_desktop.domain.medications import load_medicine_data

    data = load_medicine_data()
    codes = data.treatment_codes_of_class()
    return frozenset(code for key in data.stop_gradually for code in codes.get(key, ()))


TAPERED_CLASSES = _TaperedClasses()


def _sheet_tapers(cls: str, taking) -> bool:
    """Whether the medicines ``taking`` on ``cls``'s sheet are never stopped at once: the sheet's
    whole class (opioids, steroids, gabapentinoids), or an ingredient of the sheet's own class that
    the data lists by name (classes.toml ``[stop_gradually]``: baclofen and tizanidine on the
    muscle-relaxant sheet, whose cyclobenzaprine is stopped at once; src19). Another class's
    ingredient of the same product does not count (the codeine of Nurofen Plus on the NSAID sheet
    is :func:`_tapered_also`'s: rt19 F1)."""
    if cls in TAPERED_CLASSES:
        return True
    from radiculopathy_desktop.domain.medications import load_medicine_data

    data = load_medicine_data()
    codes = data.treatment_codes_of_class()
    return any(data.stopped_gradually((g,)) is not None
               and any(cls in codes.get(c, ()) for c in data.generic_classes.get(g, ()))
               for m in taking for g in m.generics)

#: The "do not stop it suddenly" wording (EN_TEMPLATES key) of each tapered class.
KEEP_AFTER = {"gabapentinoid": "keep_taper", "opioid": "keep_taper", "oral_corticosteroid": "keep_taper_steroid"}

#: The intake's red-flag answer that records long-term use of a sheet's medicine class, and
#: what the clinician is told when it is "yes" (the prednisone label and the BNF: after
#: prolonged use the adrenal glands may be suppressed; stop only by a gradual taper).
LONG_TERM_FLAGS = {"oral_corticosteroid": ("prolonged_corticosteroid_use", "prolonged corticosteroid use is recorded")}


def _above_max(row, cls: str, name: str, lang: str, generic: str | None = None) -> MedicineDose | None:
    """The dose wording for a medicine taken at a daily dose above this patient's maximum
    (the same check as the worklist's "Reduce dose", ``medications.dose_reductions``)."""
    if not (row.currently_taking and row.over_max and row.current_daily_dose_mg is not None
            and row.dose_limit_mg is not None):
        return None
    values = {"name": name, "current": _num(row.current_daily_dose_mg), "limit": _num(row.dose_limit_mg)}
    over = _over_words(generic or row.drug, row.current_daily_dose_mg, row.dose_limit_mg)
    if cls in TAPERED_CLASSES:
        return MedicineDose(tr(lang, "above_max_taper_dose", **values), tr(lang, "above_max_taper_amount", **values),
                            tr(lang, "above_max_taper_box", **values), over=over, over_taper=True,
                            ask_first_note=_over_note(values, True, lang))
    return MedicineDose(tr(lang, "above_max_dose", **values), f"{values['limit']} mg",
                        tr(lang, "above_max_box", **values), over=over, ask_first_note=_over_note(values, False, lang))


@functools.lru_cache(maxsize=1)
def _dose_check_entries() -> dict:
    """drugs.toml ``[dose_checks]`` as written (its source ids), read once."""
    with resource_path("medicines", "drugs.toml").open("rb") as fh:
        return tomllib.load(fh).get("dose_checks", {})


def limit_source_ids(generic: str, limit_mg: float) -> tuple[str, ...]:
    """The source ids of ``generic``'s own label maximum of ``limit_mg`` a day (drugs.toml
    ``[dose_checks.<generic>]``, or its ``profile_max`` whose figure it is), for the sheet's
    "Sources" line (combo28); () when none gives that figure."""
    entry = _dose_check_entries().get(generic) or {}
    found: list[str] = []
    if entry.get("label_max_daily_mg") == limit_mg:
        found += list(entry.get("source") or ())
    for alt in (entry.get("profile_max") or {}).values():
        if alt.get("daily_mg") == limit_mg:
            found += list(alt.get("source") or ())
    return tuple(dict.fromkeys(found))


def _over_note(values: Mapping[str, str], taper: bool, lang: str) -> str:
    """The sentence under an ask-first box for a dose also above the maximum: a fact, no "take no
    more than"; "do not stop it or cut it down all at once" for a medicine lowered step by step."""
    return tr(lang, "ask_first_over", **values) + (" " + tr(lang, "ask_first_not_suddenly") if taper else "")


def _over_words(generic: str, current_mg, limit_mg) -> str:
    """The clinician's words for one ingredient above its maximum (:attr:`MedicineDose.over`)."""
    return f"{generic} {_num(current_mg)} mg a day, above this patient's maximum of {_num(limit_mg)} mg a day"


#: sheets36 (H-MED-742): what too much of an ingredient does, said when a limit printed on another medicine's sheet is
#: that ingredient's (the paracetamol sheet of Zaldiar above its tramadol limit), by generic first, then by its sheet's
#: treatment code: (template key, source ids of resources/handouts/sources.toml). The words are the opioid sheet's own
#: ("Feeling sleepy", "Slow, shallow or noisy breathing", "A seizure (fit)": med_opioid.toml); a seizure is tramadol's
#: own warning (its label, the source the medicine data's tramadol maximum already cites: drugs.toml label_max_source)
LIMIT_HARM: dict[str, tuple[str, tuple[str, ...]]] = {
    "tramadol": ("limit_harm_tramadol", ("tramadol-label",)),
    "opioid": ("limit_harm_opioid", ("cdc-2022",)),
}


def _limit_harm(generic: str, cls: str | None, lang: str, amount: str) -> tuple[str | None, tuple[str, ...]]:
    """sheets36 (H-MED-742): the "Do not take more than ..." paragraph for ``generic``'s limit on ``cls``'s sheet
    when ``generic`` is not of the sheet's own class (:data:`LIMIT_HARM`), or (None, ()) when the sheet's own
    paragraph says it (its own medicine) or no wording is held for it (the sheet's paragraph without its harm)."""
    from radiculopathy_desktop.domain.medications import load_medicine_data

    if cls is None:
        return None, ()
    data = load_medicine_data()
    codes = data.treatment_codes_of_class()
    own = {code for c in data.generic_classes.get(generic, ()) for code in codes.get(c, ())}
    if cls in own:
        return None, ()
    entry = LIMIT_HARM.get(generic) or next((LIMIT_HARM[c] for c in sorted(own) if c in LIMIT_HARM), None)
    if entry is None:
        return tr(lang, "limit_harm_other", amount=amount), ()
    key, sources = entry
    return tr(lang, key, amount=amount, name=tr_drug(lang, generic)), sources


def _guessed_in(check, report) -> bool:
    """nxsheet34 (H-MED-714): ``check``'s daily amount counts a product whose regimen in its name could not be read
    (a "name" dose check of its own: "Enantyum 25 mg 3 x 4", read either way for the clinician's alert) and that
    has no dose typed: the number is the app's reading, not the record's."""
    unread = {n for c in getattr(report, "dose_checks", ()) if c.kind == "name" for n in c.medicines}
    typed = {m.name for m in getattr(report, "current_medicines", ()) if m.daily_dose_mg is not None}
    return any(n in unread and n not in typed for n in check.medicines)


def _dose_check_dose(check, cls: str | None, lang: str, guessed: bool = False, med=None,
                     sheet: str | None = None) -> MedicineDose:
    """The sheet's wording for a medicine above its own daily limit (``medications.DoseCheck``):
    a label maximum, as :func:`_above_max` words a row's; a bound where the label states none,
    "check your dose with your prescriber before your next dose" (a likely typing or unit slip).
    ``guessed`` (:func:`_guessed_in`, H-MED-714): a slip's box names no daily amount ("Your record does not say
    clearly how much ... you take"), since the amount counts a regimen the app only read either way.
    ``sheet``: the sheet's treatment code, for what a limit of another ingredient is said to do (:func:`_limit_harm`).
    ``med``: the product taken (sheetplan35, H-MED-722): a combination product whose own ingredient never stopped
    at once is over its maximum (Zaldiar, Tramacet above the tramadol limit) is named, with what it holds, on every
    sheet that shows it, as co-codamol's one plan is: "You take tramadol 450 mg a day" named no product the patient
    knows (GP tryout N5)."""
    from radiculopathy_desktop.domain.medications import load_medicine_data

    values = {"name": tr_drug(lang, check.generic), "current": _num(check.daily_mg), "limit": _num(check.limit_mg)}
    if check.kind == "label_max":
        # the ingredient over its limit decides, on whichever sheet it shows: codeine over its
        # maximum on the paracetamol sheet is lowered step by step too, never "take no more than
        # 240 mg a day from now on" (gp18 F2)
        over = _over_words(check.generic, check.daily_mg, check.limit_mg)
        tapered = cls in TAPERED_CLASSES or load_medicine_data().stopped_gradually((check.generic,)) is not None
        product = med is not None and len(med.generics) > 1 and tuple(check.medicines) == (med.name,)
        # the product as the patient knows it, what it holds, and the ingredient over its maximum (N5)
        named = {**values, "first": _med_name(med, lang), "product": _product_said(med, lang),
                 "contains": _joined([tr_drug(lang, g) for g in dict.fromkeys(med.generics)], lang)} if product else values
        if guessed:
            # sheetplan35 (H-MED-722): the amount counts a regimen only read either way ("tramacet 3 x 4", no dose
            # typed; or a total with it): no amount is printed as the patient's, only the maximum and that as
            # written it may be more; checked before the next dose, and a medicine never stopped at once is not
            over_note = tr(lang, "ask_first_over_guess", **named)
            return MedicineDose(tr(lang, "check_dose_dose", name=named["product"] if product else values["name"]),
                                tr(lang, "check_dose_amount"),
                                f"{tr(lang, 'above_max_guess' + ('_product' if product else '') + '_box', **named)} "
                                f"{tr(lang, 'ask_first_not_suddenly' if tapered else 'check_dose_ask_change')}",
                                over=over, over_taper=tapered, amount_guessed=True,
                                # the box names the product and says not to stop it suddenly: no second box for it
                                not_suddenly_for=(named["first"],) if product and tapered else (),
                                ask_first_note=over_note + (" " + tr(lang, "ask_first_not_suddenly") if tapered else ""),
                                limit_sources=limit_source_ids(check.generic, check.limit_mg))
        if tapered:
            amount = tr(lang, "above_max_taper_amount", **values)
            harm, harm_sources = _limit_harm(check.generic, sheet, lang, amount)
            if product:
                return MedicineDose(tr(lang, "above_max_taper_product_dose", **named), amount,
                                    tr(lang, "above_max_taper_product_box", **named), over=over, over_taper=True,
                                    not_suddenly_for=(named["first"],),
                                    ask_first_note=tr(lang, "ask_first_over_product", **named) + " "
                                    + tr(lang, "ask_first_not_suddenly"),
                                    limit_sources=limit_source_ids(check.generic, check.limit_mg),
                                    limit_harm=harm, limit_harm_sources=harm_sources)
            return MedicineDose(tr(lang, "above_max_taper_dose", **values), amount,
                                tr(lang, "above_max_taper_box", **values), over=over, over_taper=True,
                                ask_first_note=_over_note(values, True, lang),
                                limit_sources=limit_source_ids(check.generic, check.limit_mg),
                                limit_harm=harm, limit_harm_sources=harm_sources)
        amount = tr(lang, "above_max_product_amount", **named) if product else f"{values['limit']} mg"
        harm, harm_sources = _limit_harm(check.generic, sheet, lang, amount)
        if product:
            # sheets36 (H-MED-744): a product over one ingredient's limit is named as the patient knows it ("You take
            # diclofenac 450 mg a day" named no Arthrotec): "Your Arthrotec 75 gives you diclofenac 450 mg a day now"
            return MedicineDose(tr(lang, "above_max_product_dose", **named), amount,
                                tr(lang, "above_max_product_box", **named), over=over,
                                ask_first_note=tr(lang, "ask_first_over_product", **named),
                                limit_sources=limit_source_ids(check.generic, check.limit_mg),
                                limit_harm=harm, limit_harm_sources=harm_sources)
        return MedicineDose(tr(lang, "above_max_dose", **values), amount,
                            tr(lang, "above_max_box", **values), over=over, ask_first_note=_over_note(values, False, lang),
                            limit_sources=limit_source_ids(check.generic, check.limit_mg),
                            limit_harm=harm, limit_harm_sources=harm_sources)
    # a likely slip: under an ask-first box, the implausible total is not printed as her dose (gp19 F13)
    tapered = cls in TAPERED_CLASSES or load_medicine_data().stopped_gradually((check.generic,)) is not None
    # grams (H-MED-511): far below any usual dose (a daily dose typed in grams?) is "far less", never "far more"
    box = "check_dose_low_box" if check.kind == "below" else "check_dose_box"
    end = "check_dose_not_suddenly" if tapered else "check_dose_ask_change"  # wording30 (H-UI-464)
    if check.kind == "check" and check.far_above_max:
        # sheetwords F4 (H-MED-615): far above the label maximum (the check's slip bound over a label maximum:
        # paracetamol 16000 mg a day), not only "far above any usual dose": if it is really taken it is an
        # overdose, so the patient contacts the prescriber or pharmacist today and takes no more, never "do not
        # change how much you take" (which told them to keep taking it); a medicine never stopped at once is
        # also not stopped suddenly
        box = "check_dose_far_box"
        end = "check_dose_far_not_suddenly" if tapered else "check_dose_far_no_more"
    if guessed and check.kind == "check":
        # nxsheet34 (H-MED-714): "Your record says you take dexketoprofen 375 mg a day" counted 300 mg read from an
        # unread "3 x 4": a patient sheet never states as their dose an amount the app only read either way
        box = "check_dose_guess_far_box" if box == "check_dose_far_box" else "check_dose_guess_box"
    return MedicineDose(tr(lang, "check_dose_dose", **values), tr(lang, "check_dose_amount"),
                        f"{tr(lang, box, **values)} {tr(lang, end)}", dose_check=check.text,
                        dose_below=check.kind == "below", far_above_max=check.far_above_max,
                        dose_check_what=check.what, dose_check_why=_check_why(check),
                        ask_first_note=tr(lang, "ask_first_check")
                        + (" " + tr(lang, "ask_first_not_suddenly") if tapered else ""))


_COUNT_AFTER = re.compile(r"^(?P<head>.*?)\s+\d+(?:[.,]\d+)?(?:\s*(?:tablets?|tabs?|capsules?|caps?|comprimidos?|"
                          r"c\u00e1psulas?))?$", re.IGNORECASE)


def _without_count(product: str, generics, data) -> str:
    """``product`` without a count of tablets written after it ("co-codamol 30/500 3" -> "co-codamol 30/500",
    "Zaldiar 4 tablets" -> "Zaldiar") when the rest still names the same medicines in the medicine data; kept when
    it does not ("tylenol 3 tabs": "tylenol" alone is plain acetaminophen, so its 3 is the product's number)."""
    m = _COUNT_AFTER.match(product)
    if m is None:
        return product
    named = data.combination_product(product)
    if named is not None and product[m.end("head"):].split()[0] in named.name.split():
        # arthro36 (H-MED-752): "Arthrotec 75" is the product's name (its one strength, 75/200), never Arthrotec
        # and a count of 75: "your Arthrotec" dropped the strength the patient knows it by
        return product
    try:
        same = set(data.resolve(m.group("head").lower())[0]) == set(generics)
    except (KeyError, ValueError):
        same = False
    return m.group("head") if same else product


def _product_said(med, lang: str, data=None) -> str:
    """The product as a box names it after its first mention: the name as recorded, without the regimen written in
    it and without a count of tablets after it ("your co-codamol 30/500", "your Zaldiar"; coco34)."""
    from radiculopathy_desktop.domain.medications import load_medicine_data

    # sheets36: the count said as the product's ("2 tablets of 30/500") is the count, not the product
    name = _said_name(med, lang, bare=False)
    product = name.base if isinstance(name, SaidName) and name.regimen else str(name)
    return _without_count(product, med.generics, data or load_medicine_data())


def _combined_over_dose(med, checks, lang: str, data=None, report=None) -> MedicineDose | None:
    """coco34 (H-MED-708): one product holding an ingredient above its own label maximum that is stopped at
    once (paracetamol) and an ingredient never stopped at once (classes.toml ``[stop_gradually]``: the codeine
    of co-codamol, the dihydrocodeine of co-dydramol, the tramadol of Zaldiar), found by the medicine data, never
    by name. "Take no more than 4000 mg a day from now on" on the paracetamol sheet cut the codeine at once,
    which the opioid sheet forbids, and never said the product held paracetamol (GP tryout). So every sheet
    that shows the product gives ONE plan: the product as recorded, what it contains, each ingredient above its
    maximum, contact the prescriber today, who changes it; do not take more, and do not cut it down or stop it
    on your own. None for anything else: a single medicine (plain paracetamol keeps "take no more than"), an
    over-max check counting other products too (taken together: that box leads), a likely slip (far above the
    maximum: contact today, take no more), or only the tapered ingredient over its maximum (lowered step by
    step on every sheet, as before)."""
    from radiculopathy_desktop.domain.medications import load_medicine_data

    data = data or load_medicine_data()
    if len(med.generics) < 2:
        return None
    over = [c for c in checks if c.kind == "label_max" and c.generic in med.generics
            and tuple(c.medicines) == (med.name,)]
    far = next((c for c in checks if c.far_above_max and tuple(c.medicines) == (med.name,)), None)
    if far is not None and over and any(data.stopped_gradually((g,)) is not None for g in med.generics):
        # far above a maximum (tylenol #4 at 16 tablets: codeine 960 mg a day): the far-above box (contact today, take
        # no more, do not stop it suddenly) on every sheet of the product, never "take no more than 4000 mg a day
        # from now on" on the paracetamol sheet beside it
        return _dose_check_dose(far, None, lang)
    if far is not None or not over:
        return None
    # one figure an ingredient: the lowest maximum it is over (tramadol in Zaldiar: the product's 300 mg, not 400)
    over = [min((c for c in over if c.generic == g), key=lambda c: c.limit_mg)
            for g in dict.fromkeys(c.generic for c in over)]
    abrupt = [c for c in over if data.stopped_gradually((c.generic,)) is None]
    tapered = [g for g in med.generics if data.stopped_gradually((g,)) is not None]
    if not abrupt or not tapered:
        return None
    name = _med_name(med, lang)
    contains = _joined([tr_drug(lang, g) for g in dict.fromkeys(med.generics)], lang)
    amounts = _joined([tr(lang, "combined_over_amount", generic=tr_drug(lang, c.generic), current=_num(c.daily_mg),
                          limit=_num(c.limit_mg)) for c in over], lang)
    # "You take tylenol #3 4 tablets, four times a day" once; after that the product alone ("your tylenol #3")
    # (a count after the name, "30/500 3" or "Zaldiar 4 tablets", is how many a time, not the product: left out there
    # too)
    product = _product_said(med, lang, data)
    values = {"name": name, "product": product, "contains": contains, "amounts": amounts,
              "tapered": _joined([tr_drug(lang, g) for g in tapered], lang),
              "over": _joined([tr_drug(lang, c.generic) for c in over], lang),
              # the maxima are the patient's, not counted from the reading: said beside a guessed amount too
              "limits": _joined([tr(lang, "combined_guess_limit", generic=tr_drug(lang, c.generic),
                                    limit=_num(c.limit_mg)) for c in over], lang)}
    first = abrupt[0]
    # sheetplan35 (H-MED-722): an amount counted from "3 x 4" read either way (no dose typed) is the app's guess, not
    # the record: no amount is printed ("acetaminophen 6000 mg a day" was), only that as written it may be too much
    guessed = report is not None and any(_guessed_in(c, report) for c in over)
    words = "combined_guess" if guessed else "combined_over"
    return MedicineDose(tr(lang, words + "_dose", **values),
                        tr(lang, "combined_over_max", generic=tr_drug(lang, first.generic), limit=_num(first.limit_mg)),
                        tr(lang, words + "_box", **values), amount_guessed=guessed,
                        over="; ".join(_over_words(c.generic, c.daily_mg, c.limit_mg) for c in over),
                        combined=display_name(" ".join(med.name.split())),
                        # the box says why it is not cut down or stopped on their own (its codeine): no general
                        # "Do not stop it suddenly" box beside it (gp19 F3)
                        not_suddenly_for=(name,),
                        ask_first_note=tr(lang, words + "_note", **values),
                        limit_sources=tuple(dict.fromkeys(x for c in over
                                                          for x in limit_source_ids(c.generic, c.limit_mg))))


def _product_not_suddenly(dose: MedicineDose, med, sheet_class: str | None, lang: str) -> MedicineDose:
    """sheetplan35 (H-MED-721): ``dose`` (about an ingredient stopped at once over its maximum: the paracetamol of
    Tramacet or co-dydramol counted with plain paracetamol) on the sheet of a product that is never stopped at once
    (its opioid's sheet, :func:`_sheet_tapers`): "do not stop it or cut it down all at once" said under the box that
    asks before the next dose, and in its own too-high box. The opioid sheet said it at or below the maximum, and
    lost it above (GP tryout N2: "ask before your next dose whether to keep taking your Tramacet" and nothing more).
    Unchanged when the dose already says it (the ingredient over is the tapered one) or the sheet is another's (the
    paracetamol sheet's own box names the product: "Do not stop it suddenly")."""
    if sheet_class is None or not _sheet_tapers(sheet_class, [med]) or dose.over_taper or dose.combined:
        return dose
    if tr(lang, "ask_first_not_suddenly") in " ".join(x for x in (dose.ask_first_note, dose.above_max) if x):
        return dose
    # named: said right after "You take acetaminophen 4600 mg a day now", a bare "it" reads as the paracetamol
    said = tr(lang, "ask_first_not_suddenly_named", product=_product_said(med, lang))
    return replace(dose, ask_first_note=f"{dose.ask_first_note} {said}" if dose.ask_first_note else said,
                   above_max=f"{dose.above_max} {said}" if dose.above_max else dose.above_max)


def _check_why(check) -> str:
    from radiculopathy_desktop.domain.medications import dose_check_why

    return dose_check_why(check)


def sheet_status_words(status_label: str, dose: MedicineDose | None) -> str:
    """The handout dialog's words beside a medicine sheet rated other than OK (sheetwords F8, H-UI-486): the
    medicine table's status, except a dose asked about (``dose_check``), which says which way it is off, as the
    medicine check's verdict does: "dose to check: far below usual" (a daily dose typed in grams?), "dose to
    check: far above usual", never "reduce dose" for a dose far too low."""
    if dose is not None and dose.dose_check:
        return "dose to check: far below usual" if dose.dose_below else (
            "dose to check: far above the maximum" if dose.far_above_max else "dose to check: far above usual")
    if dose is not None and dose.dose_unread:
        return "dose to check: not clear how much a day"
    return status_label.lower()


def _not_a_dose(mg) -> bool:
    """No dose to print: not recorded, or a stored dose below the floor new input accepts (0
    mg a day, stored before it was refused: red-team rt10 F16)."""
    from radiculopathy_desktop.domain.intake import MIN_DAILY_DOSE_MG

    return mg is None or mg < MIN_DAILY_DOSE_MG


def _stored_zero(mg) -> str:
    """The clinician's words for a dose the sheet says is not recorded."""
    if mg is None:
        return "dose not recorded"
    return f"dose not recorded: the stored {_num(mg)} mg a day is not a dose; correct it in the case's record"


def _other_unit(med) -> str | None:
    """The unit ``med`` is prescribed in when it is not mg a day (a fentanyl patch: micrograms
    an hour; classes.toml ``[dose_units]``), or None. Its recorded mg-a-day figure is not printed
    for the patient (red-team rt10 F10)."""
    from radiculopathy_desktop.domain import medications

    if len(med.generics) != 1:
        return None
    return medications.load_medicine_data().dose_units.get(med.generics[0])


#: The forms a fentanyl or buprenorphine name can say it is besides a patch (routes.toml
#: ``other_form_words``), in the clinician's words (mme21, gp20 F9: "fentanyl 100mcg tablets" was
#: called "prescribed in micrograms an hour (skin patch)")
#: rt23 F1: the transmucosal brands by the form their SmPC or leaflet names (routes.toml sources)
_OTHER_FORMS = (("lozenge", ("lozenge", "lozenges", "lollipop", "troche", "actiq")),
                ("buccal film", ("film", "films", "belbuca", "breakyl")),
                ("buccal tablet", ("buccal", "bucal", "effentora")),
                ("sublingual tablet", ("sublingual", "sublinguales", "sl", "abstral", "subutex", "temgesic", "suboxone")),
                ("oral lyophilisate", ("lyophilisate", "wafer", "espranor")),
                ("tablet", ("tablet", "tablets", "tab", "tabs", "tableta", "tabletas", "comprimido", "comprimidos",
                            "oral")),
                ("nasal spray", ("nasal", "spray", "nebulizador", "pulverizador", "instanyl", "pecfent")),
                ("transmucosal form", ("transmucosal", "oromucosal")),
                ("injection or infusion", ("injection", "injectable", "inj", "iv", "im", "intravenous",
                                           "intramuscular", "subcutaneous", "sc", "infusion", "buvidal")),
                ("implant", ("implant", "depot")), ("liquid", ("solution", "liquid")))


def product_form(med, data=None) -> str:
    """The form a current medicine is, as the sheets choose their sections by it (rt24 F5): "patch"
    for a fentanyl or buprenorphine skin patch (or one written with no form, printed as a patch:
    :func:`~radiculopathy_desktop.domain.medications.may_be_opioid_patch`), else the form its name
    says (:data:`_OTHER_FORMS`, the words the clinician's note reads: "Effentora 100" is a buccal
    tablet), else "other"."""
    from radiculopathy_desktop.domain.medications import load_medicine_data, may_be_opioid_patch

    data = data or load_medicine_data()
    if may_be_opioid_patch(med, data):
        return "patch"
    words = set(re.findall(r"[a-zà-ÿ]+", med.name.lower()))
    return next((label for label, marks in _OTHER_FORMS if words.intersection(marks)), "other")


def _form_said(med, data=None, to_check: bool = False) -> str:
    """What form a fentanyl or buprenorphine name says it is, and the number the sheet gives or
    why it gives none, for the clinician's note (mme21, gp20 F9). ``to_check``: its dose is to check
    (``MedicationReport.mme_to_check``), so the total counting it is provisional (opioidnum, H-MED-611)."""
    from radiculopathy_desktop.domain.medications import load_medicine_data, patch_reading

    data = data or load_medicine_data()
    generic = med.generics[0]
    form = data.patch_form(med)
    read = patch_reading(med, generic, data) if form is not None else None
    factor = data.mme_rate_factors.get(generic) if generic not in data.mme_factors else None
    counted = ""
    if read is not None:
        # the rate as counted in the MME total (mmx22, gp21 F1/F2): a bare strength and a count of
        # patches are said, so the clinician sees what was read
        worn = (f"{read.patches} patches of {_num(read.each)} micrograms an hour, {_num(read.rate)} micrograms an hour "
                "in all" if read.patches != 1 else f"{_num(read.rate)} micrograms an hour")
        if read.delivered:
            # sht24: a "12" fentanyl patch delivers 12.5 micrograms an hour (drugs.toml
            # [patch_delivered_rates]): the note names the patch as strength beside the rate counted,
            # never a bare "12.5" the clinician cannot find on the box
            each = [f"the \u201c{_num(strength)}\u201d patch (delivers {_num(rate)} micrograms an hour)"
                    for strength, rate in read.delivered]
            one_kind = len(read.delivered) == 1 and read.each == read.delivered[0][1]
            if one_kind and read.patches == 1:
                worn = each[0]
            elif one_kind:
                strength, rate = read.delivered[0]
                worn = (f"{read.patches} \u201c{_num(strength)}\u201d patches (each delivers {_num(rate)} micrograms an "
                        f"hour), {_num(read.rate)} micrograms an hour in all")
            else:  # patches of several strengths worn together ("fentanyl 12 + 25 mcg/h")
                delivers = [f"the \u201c{_num(strength)}\u201d patch delivers {_num(rate)} micrograms an hour"
                            for strength, rate in read.delivered]
                worn = f"{worn}{'' if read.patches != 1 else ' in all'} ({and_joined(delivers)})"
        bare = (" (the numbers written with no unit, each read as micrograms an hour)" if read.read_as.endswith("_sum")
                else " (the number written with no unit, read as micrograms an hour)" if read.read_as else "")
        counted = (f"{worn}{bare}, counted as {_num(round(read.rate * factor, 1))} MME/day (x {_num(factor)}, CDC 2022) "
                   "in a provisional total: its dose is to check" if factor and to_check else
                   f"{worn}{bare}, counted as {_num(round(read.rate * factor, 1))} MME/day (x {_num(factor)}, CDC 2022)"
                   if factor else f"{worn}{bare}, not counted in MME (no factor in the CDC 2022 table)")
    if form == "patch":
        if read is None:
            return ("a skin patch, prescribed in micrograms an hour; its rate (e.g. \"25 mcg/h\") was not read, so it is "
                    "not counted in MME: record the rate of each patch worn; the sheet gives no number")
        return f"a skin patch, prescribed in micrograms an hour: {counted}: the sheet gives no number (a patch is used as prescribed)"
    if form == "possible":
        if read is not None:
            return (f"form not written (the sheet treats it as a skin patch, since heat over a patch is dangerous, and "
                    f"the MME total counts it as one): {counted}: record the form; the sheet gives no number")
        return ("form not written (the sheet treats it as a skin patch, prescribed in micrograms an hour, since heat "
                "over a patch is dangerous): record the form; the sheet gives no number")
    words = set(re.findall(r"[a-zà-ÿ]+", med.name.lower()))
    said = next((label for label, marks in _OTHER_FORMS if words.intersection(marks)), None)
    if said is None:
        return ("form not known (written in mg: not a patch rate): record the form; the sheet gives no number, since "
                "the dose of this form is not in the app's dose tables")
    return (f"a {said}, not a skin patch: the sheet gives no number, since {generic} {said} doses are not in the app's "
            f"dose tables, and it is not counted in MME (the CDC 2022 factor for {generic} is for patches only)"
            if generic in data.mme_rate_factors else
            f"a {said}, not a skin patch: the sheet gives no number, since {generic} {said} doses are not in the app's "
            "dose tables")


def _recorded_as(med) -> str:
    return "" if med.daily_dose_mg is None else f"recorded as {_num(med.daily_dose_mg)} mg a day, "


def _dose_for_taken(med, rows, drugs, report, lang: str, self_care: bool, data=None,
                    profile: str = "us") -> MedicineDose | None:
    combination = len(med.generics) > 1
    unit = _other_unit(med)
    if unit is not None:
        # Prescribed in another unit (a patch): "keep taking your fentanyl as prescribed", never
        # a mg-a-day figure the patient would not find on their box.
        from radiculopathy_desktop.domain.medications import load_medicine_data, may_be_opioid_patch

        cls = rows[0].treatment_code if rows else None
        english = display_name(" ".join(med.name.split()))
        patch = may_be_opioid_patch(med, data)
        slip = next((c for c in report.dose_checks if med.name in c.medicines and c.rule == "check-dose"), None)
        if patch and slip is not None:
            # a patch strength no single patch is made in (mme21): never "keep using it as
            # prescribed"; the patient checks the strength on the box before the next patch
            name = _med_name(med, lang)
            from radiculopathy_desktop.domain.medications import dose_check_why

            # sheet2 (H-MED-645): each patch check in its own words: a rate per 24 hours or a change interval is
            # no strength "no single patch comes in"
            box = {"patch_per_hours": "patch_check_box_per_hours",
                   "patch_interval": "patch_check_box_interval"}.get(slip.what, "patch_check_box")
            return MedicineDose(tr(lang, "patch_check_dose" if box == "patch_check_box" else "patch_check_how_dose",
                                   name=name), tr(lang, "check_dose_amount"),
                                tr(lang, box, name=name), dose_check=slip.text, patch=True,
                                dose_check_what=slip.what, dose_check_why=dose_check_why(slip),
                                taken_now=f"{english}, {_recorded_as(med)}"
                                          f"{_form_said(med, data, med.name in report.mme_to_check)}",
                                ask_first_note=tr(lang, "ask_first_check") + " " + tr(lang, "ask_first_not_suddenly"))
        # a skin patch (or fentanyl written with no form, printed as one) is used, not taken (fxl20)
        keep = "keep_patch" if patch else "keep_dose_unrecorded"
        return MedicineDose(tr(lang, keep, name=_med_name(med, lang)), tr(lang, "label_amount"),
                            taken_now=f"{english}, {_recorded_as(med)}{_form_said(med, data)}",
                            after_dose=_keep_after(cls, lang))
    checks = [c for c in report.dose_checks if med.name in c.medicines]
    # the sheet's own medicine first: the paracetamol in co-codamol on the paracetamol sheet,
    # its codeine on the opioid sheet (G17)
    sheet_class = rows[0].treatment_code if rows else None
    from radiculopathy_desktop.domain.medications import load_medicine_data
    classes = (data or load_medicine_data()).generic_classes
    check = next((c for c in checks if sheet_class in classes.get(c.generic, ())), checks[0] if checks else None)
    if check is None and med.daily_dose_mg is None:
        unread = _unread_shorthand(med)
        if unread is not None:
            # nxsheet34 (H-MED-713): a number shorthand in the name that the medicine check did not read and asked
            # nothing about ("oxycodone 20mg 3 x 4 per week"): the sheet never says "take it exactly as your
            # prescriber and its label say" of a dose the app could not read; it asks for it to be checked, as for
            # any regimen in the name that cannot be read (the unread-dose box and line below)
            check = _UnreadCheck(generic=med.generics[0], kind="name", daily_mg=0.0, text=(
                f"{display_name(' '.join(med.name.split()))}: no daily dose recorded, and the regimen in its name "
                f"(\u201c{unread}\u201d) was not read as a daily dose, so it is not checked against the maximum."))
    if check is not None and check.kind == "name" and not combination:
        kept = _as_prescribed_dose(med, check, sheet_class, lang, data)
        if kept is not None:
            return kept
    if check is not None and check.kind in ("unread", "name"):
        # a combination product whose recorded mg could not be turned into its components
        # (no strength in the name), or a regimen written in the name that cannot be read or
        # disagrees with the recorded dose (cmb17): never "keep taking", never "take as the label says"
        name = _med_name(med, lang)  # sheetwords F6: "tramadol 50mg when needed", never "prn"
        box = (tr(lang, "combo_unread_box", name=name, current=_num(check.daily_mg)) if check.kind == "unread" else
               tr(lang, "name_unread_box", name=name))
        # sheetwords F5b (H-MED-617): a medicine never stopped at once (an opioid, a gabapentinoid: classes.toml
        # [stop_gradually]) is "not stopped suddenly" whatever the reading of its regimen ("tramadol 50mg prn")
        tapered = sheet_class in TAPERED_CLASSES or load_medicine_data().stopped_gradually((check.generic,)) is not None
        if tapered:
            box = f"{box} {tr(lang, 'check_dose_not_suddenly')}"
        return MedicineDose(tr(lang, "combo_unread_dose", name=name), tr(lang, "check_dose_amount"), box,
                            dose_check=check.text, dose_unread=True, dose_from_name=check.kind == "name",
                            ask_first_note=tr(lang, "ask_first_unread")
                            + (" " + tr(lang, "ask_first_not_suddenly") if tapered else ""))
    combined = _combined_over_dose(med, checks, lang, data, report) if check is not None else None
    if combined is not None:
        return combined
    if check is not None:
        # above the medicine's own maximum (codeine: 360 mg a day under us), or far above any
        # usual dose where its label states none: never "keep taking" (rt14 F1)
        # worded for the medicine over its limit: the paracetamol in co-codamol on the opioid
        # sheet is "no more than 4000 mg", not the opioid's step-by-step plan
        over = _dose_check_dose(check, sheet_class if sheet_class in classes.get(check.generic, ()) else None, lang,
                                _guessed_in(check, report), med, sheet=sheet_class)
        return _product_not_suddenly(over, med, sheet_class, lang)
    for row in rows:
        drug = drugs[row.drug]
        if not combination and _doses_one_medicine(drug) and drug.own.intersection(med.generics):
            taken = next(g for g in med.generics if g in drug.own)
            # Taken now above the maximum: the sheet says so and how it comes down, even when
            # the table says avoid (that is what "above the maximum" makes it): never no
            # sheet at all, which left the patient with nothing (red-team rt9 F1).
            over = _above_max(row, row.treatment_code, tr_drug(lang, taken), lang, taken)
            if over is not None:
                return over
            # A row rated avoid for this patient: the sheet is kept (the patient takes it) and
            # :func:`_avoid_dose` turns "keep taking" into "ask before your next dose" (rt11 F3).
            # Taken now at or below the maximum: keep taking it, never "start low" (rt9 F2).
            # The maximum is the prescription one: the self-care (over-the-counter) amount is
            # for a medicine the patient starts on their own, not one already prescribed.
            limits = _row_dose(row, drug, report, lang, False, taken)
            rated_avoid = MedicineStatus(row.status).rank >= MedicineStatus.AVOID.rank
            if limits is None and not rated_avoid:
                return None
            kidney_unknown = drug.renal_bands and report.renal.value is None and not report.renal.dialysis
            # a row rated avoid has no maximum "for this patient": the label's is printed (the
            # sheet asks them to ask before the next dose, it does not give a dose)
            maximum = (limits.max_daily_dose if limits is not None else
                       tr(lang, "prescriber_after_kidney_test") if kidney_unknown else tr(lang, "label_amount"))
            limit = row.dose_limit_mg if row.dose_limit_mg is not None else row.adjusted_max_daily_mg
            if not kidney_unknown and limit is not None:
                # The maximum their dose is checked against (the worklist's "Reduce dose"), not the
                # lower pain-indication cap of a starting sheet: "keep taking 3600 mg" next to "no
                # more than 1800 mg" would tell them to cut down at once. Kidney function unknown:
                # "the amount your prescriber sets after a kidney blood test", as before.
                maximum = f"{_num(limit)} mg"
            current = row.current_daily_dose_mg
            if current is None and not combination:
                current = med.daily_dose_mg  # the dose recorded for this product is never "not recorded"
            kept = _keep_taking(row.treatment_code, taken, current, maximum, lang)
            if med.daily_dose_mg is None and current is not None and not combination:
                # no dose recorded: the dose is the regimen written in the name (cmb17); the
                # clinician's note says how it was read
                from radiculopathy_desktop.domain.medications import read_recorded_dose

                reading = read_recorded_dose(med.name, med.generics, None)
                if reading is not None and reading.read:
                    kept = replace(kept, taken_now=reading.text)
                    if reading.regimen_note:
                        # sheetwords F5 (H-MED-618): taken less often than every day ("tramadol 50 mg días
                        # alternos"): the per-day average the maximum is checked with (25 mg) is never printed as
                        # a daily instruction; the regimen is repeated as it is taken, in plain words
                        kept = replace(kept, dose_range=tr(lang, "keep_dose_unrecorded",
                                                           name=_med_name(med, lang)))
            course = next((r.text for r in row.reasons if r.rule == "above-course-dose"), None)
            if course is not None:  # prednisone above the sciatica course, taken for another illness
                kept = replace(kept, taken_now=f"{kept.taken_now}; {course[0].lower()}{course[1:].rstrip('.')}")
            if data is not None and _kidney_unknown(drug, report, data):
                kept = replace(kept, after_dose=(*kept.after_dose, tr(lang, "kidney_check")),
                               kidney_unchecked=_kidney_why(report))
            return kept
    name = _med_name(med, lang)
    english = display_name(" ".join(med.name.split()))
    cls = rows[0].treatment_code if rows else None
    reading = _combination_reading(med)
    if reading is not None and reading.read:
        # a combination product read as tablets (G17): "keep taking your co-codamol 30/500 (8
        # tablets a day)", never its recorded mg, which are one component's
        return MedicineDose(_tablets_said(lang, "follow_label_tablet", name, reading),
                            tr(lang, "label_amount"), taken_now=reading.text, after_dose=_keep_after(cls, lang))
    # handout29 (H-MED-521): an NSAID without a row of its own whose label states a daily maximum (drugs.toml
    # [dose_checks]: diclofenac 200 mg, 150 under uk; meloxicam 15; celecoxib 400), taken at or below it (above
    # it, :func:`_dose_check_dose` above says so): the maximum a row's NSAID prints ("Do not take more than
    # 200 mg in a day", the label named on the Sources line) and the dose read from the name, never only "the
    # amount on its label". (Other classes keep their wording: not reviewed here.)
    own = _own_label_max(med, data, profile) if not combination and cls == "nsaid" else None
    if own is not None:
        limit, sources = own
        current = med.daily_dose_mg
        if current is None:
            from radiculopathy_desktop.domain.medications import read_recorded_dose

            reading = read_recorded_dose(med.name, med.generics, None)
            current = reading.components[0][1] if reading is not None and reading.read else None
        if _not_a_dose(current):
            kept = MedicineDose(tr(lang, "follow_label", name=name), f"{_num(limit)} mg",
                                taken_now=f"{english}, " + ("dose as prescribed" if current is None
                                                            else _stored_zero(current)))
        else:
            kept = MedicineDose(tr(lang, _with_strength("follow_label_dose", name), name=name, current=_num(current)),
                                f"{_num(limit)} mg", taken_now=f"{english}, {_num(current)} mg a day")
        return replace(kept, max_sources=sources, after_dose=_keep_after(cls, lang))
    if not _not_a_dose(med.daily_dose_mg) and not combination:  # name the dose recorded (a combination's is ambiguous)
        current = _num(med.daily_dose_mg)
        return MedicineDose(tr(lang, _with_strength("follow_label_dose", name), name=name, current=current),
                            tr(lang, "label_amount"),
                            taken_now=f"{english}, {current} mg a day", after_dose=_keep_after(cls, lang))
    return MedicineDose(tr(lang, "follow_label", name=name), tr(lang, "label_amount"),
                        taken_now=f"{english}, " + ("dose as prescribed" if med.daily_dose_mg is None or combination
                                                    else _stored_zero(med.daily_dose_mg)),
                        after_dose=_keep_after(cls, lang))


class _UnreadCheck(NamedTuple):
    """nxsheet34: the fields of ``medications.DoseCheck`` the sheet's unread-dose wording reads, for a regimen the
    medicine check left without a check of its own (:func:`_unread_shorthand`)."""

    generic: str
    kind: str
    daily_mg: float
    text: str


def _unread_shorthand(med) -> str | None:
    """nxsheet34 (H-MED-713): the number shorthand in ``med``'s recorded name ("3 x 4", "1-0-0") when the name's
    regimen was not read as a daily dose (``read_recorded_dose``: nothing read, or not read), else None. A patch's
    count is read as patches (never asked here)."""
    name = " ".join(med.name.split())
    if not med.generics or _patch_named(name, med.generics):
        return None
    found = _shorthand_in(name)
    if found is None:
        return None
    reading = _name_reading(name, tuple(med.generics))
    if reading is not None and reading.read:
        return None
    return " ".join(found.group(0).split())


def _as_prescribed_dose(med, check, sheet_class, lang: str, data=None) -> MedicineDose | None:
    """sheet2 (H-MED-643): a medicine already taken whose recorded name ends with "as directed" words
    (:func:`as_prescribed_name`) and holds no other regimen: "keep taking your tramadol 50mg as your prescriber
    told you" (an opioid, a gabapentinoid, a steroid: do not stop it suddenly), never a starting dose and never a
    daily figure. The clinician's note keeps the engine's dose check (the daily dose is not known, so it is not
    checked against a maximum). None for any other name: the unread-regimen box asks as before."""
    from radiculopathy_desktop.domain.medications import load_medicine_data

    head = as_prescribed_name(display_name(" ".join(med.name.split())))
    if head is None:
        return None
    loaded = data or load_medicine_data()
    read = loaded.unread_regimen(med.name)
    if read is None or not _only_as_prescribed(read[1]):
        return None  # other words after the medicine's name than the "as directed" ones ("2 tabs as directed")
    name = head
    if lang != "en" and len(med.generics) == 1:
        first, _, rest = head.partition(" ")
        if first.lower() == med.generics[0]:
            translated = dose_wording(lang)[0].get(med.generics[0], first)
            name = f"{translated} {rest}" if rest else translated
    after = _keep_after(sheet_class, lang)
    if not after and loaded.stopped_gradually(tuple(med.generics)) is not None:
        after = (tr(lang, "check_dose_not_suddenly"),)
    return MedicineDose(tr(lang, "keep_as_prescribed", name=name), tr(lang, "label_amount"),
                        # the engine's check text ("... no handout says to keep taking it") is not repeated: this
                        # sheet does say keep taking it, as the prescriber told them
                        taken_now=f"{display_name(' '.join(med.name.split()))}, dose as prescribed: "
                                  f"\u201c{read[1]}\u201d gives no daily dose, so it is not checked against the "
                                  "maximum; record the daily dose",
                        after_dose=after)


def _only_as_prescribed(tail: str) -> bool:
    """Every word of an unread regimen ``tail`` is one of the "as directed" forms (sheet2)."""
    words = _as_prescribed_words()
    left = tail.lower()
    for w in words:
        left = re.sub(rf"(?<![\w.-]){re.escape(w)}(?![\w-])", " ", left)
    return not left.strip(" .")


def _own_label_max(med, data, profile: str) -> tuple[float, tuple[str, ...]] | None:
    """(the daily maximum, its handout source ids) of a single medicine's own label (drugs.toml
    ``[dose_checks.<generic>]`` of kind "label_max" that applies under ``profile``), for a product by mouth
    the check counts against it; None otherwise (no such maximum, another route, a likely-slip bound)."""
    from radiculopathy_desktop.domain.medications import load_medicine_data

    if len(med.generics) != 1:
        return None
    data = data or load_medicine_data()
    found = data.dose_limits.get(med.generics[0])
    if found is None or found.kind != "label_max" or not found.applies(profile):
        return None
    if found.by_mouth and found.route_of(med.name, data):
        return None  # given another way: the by-mouth maximum is not this product's
    if any(w in med.name.lower().split() for w in found.other_form_words):
        return None  # another form with a label of its own (etodolac extended-release): not this maximum
    limit, _text = found.for_profile(profile)
    sources = limit_source_ids(med.generics[0], limit)
    return (limit, sources) if sources else None


def _keep_after(cls: str | None, lang: str, count: int = 1) -> tuple[str, ...]:
    """"Do not stop it suddenly" for the classes whose labels warn against abrupt stopping ("them" for ``count``
    products of two or more: wording30)."""
    return (tr(lang, _numbered(KEEP_AFTER[cls], count)),) if cls in TAPERED_CLASSES else ()


def _keep_taking(cls: str, generic: str, current_mg, maximum: str, lang: str) -> MedicineDose:
    """The dose wording for a medicine taken now at or below this patient's maximum (or at a
    dose not recorded): keep taking the current dose as prescribed unless the clinician
    changes it (gabapentinoids and opioids: do not stop it suddenly)."""
    name = tr_drug(lang, generic)
    if not _not_a_dose(current_mg):
        phrase = tr(lang, "keep_dose", name=name, current=_num(current_mg))
        taken = f"{generic} {_num(current_mg)} mg a day"
    else:
        phrase = tr(lang, "keep_dose_unrecorded", name=name)
        taken = f"{generic}, {_stored_zero(current_mg)}"
    return MedicineDose(phrase, maximum, taken_now=taken, after_dose=_keep_after(cls, lang))


def _row_dose(row, drug, report, lang: str, self_care: bool, generic: str | None = None) -> MedicineDose | None:
    """The row's dose, named as the medicine the patient takes (prednisolone, not prednisone)."""
    if not row.adjusted_max_daily_mg:
        return None
    name = tr_drug(lang, generic or drug.id)
    maximum = float(row.adjusted_max_daily_mg)
    renal = report.renal
    if self_care and drug.self_care_max is not None:
        phrase = tr(lang, drug.self_care_dose_range)
        maximum = min(maximum, drug.self_care_max)
    elif drug.renal_bands:
        bands = drug.renal_bands
        if renal.dialysis:
            band = bands[-1]
            phrase = f"{tr(lang, band.text)}, {tr(lang, drug.hd_supplement)}"
        elif renal.value is None:
            phrase = f"{tr(lang, drug.usual_dose_range)}{tr(lang, 'renal_unknown_suffix')}"
            return MedicineDose(_named(name, phrase), tr(lang, "prescriber_after_kidney_test"))
        else:
            band = next((b for b in bands if b.holds(renal.banded)), bands[-1])
            if band is bands[0]:
                phrase = tr(lang, drug.usual_dose_range)  # the label's start and titration
            else:
                phrase = tr(lang, band.text) + tr(lang, "starting_at", mg=_num(band.min_mg))
        if drug.handout_max is not None:
            maximum = min(maximum, drug.handout_max)
    else:
        phrase = tr(lang, row.adjusted_dose_range or row.usual_dose_range)
    return MedicineDose(_named(name, phrase), f"{_num(maximum)} mg")


def _named(name: str, phrase: str) -> str:
    phrase = phrase.rstrip(".").replace(". ", ", ")
    return phrase if name.lower() in phrase.lower() else f"{name} {phrase}"


def _rows(report) -> list:
    if isinstance(report, Mapping):
        return list(report.get("rows", []))
    rows = getattr(report, "rows", None)
    if rows is None and hasattr(report, "to_dict"):
        return list(report.to_dict().get("rows", []))
    return list(rows or [])


def _num(value) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:g}"


#: The English wording of the phrases this module adds around the engine's dose text.
EN_TEMPLATES = {
    "follow_label": "take your {name} exactly as your prescriber and its label say",
    "follow_label_dose": "keep taking your {name}, {current} mg a day, exactly as your prescriber and its label say",
    "follow_label_dose_strength": "keep taking your {name} ({current} mg a day in all), exactly as your prescriber "
                                  "and its label say",
    "follow_label_tablets": "keep taking your {name} ({tablets} tablets a day), exactly as your prescriber and its "
                            "label say",
    # forms29 (H-MED-541): a pack whose one dose is two tablets (Napratec: a naproxen and a misoprostol tablet)
    "follow_label_doses": "keep taking your {name} ({tablets} doses a day), exactly as your prescriber and its "
                          "label say",
    # one tablet a day (handout29): never "1 tablets a day"
    "follow_label_tablet": "keep taking your {name} (1 tablet a day), exactly as your prescriber and its label say",
    "follow_label_one_dose": "keep taking your {name} (1 dose a day), exactly as your prescriber and its label say",
    "label_amount": "the amount on its label or your prescriber's instructions",
    "renal_unknown_suffix": "; the right dose depends on how well your kidneys work, which has not been checked yet",
    "prescriber_after_kidney_test": "the amount your prescriber sets after a kidney blood test",
    "starting_at": ", starting at {mg} mg a day",
    # the current dose is above this patient's maximum (the worklist's "Reduce dose")
    "above_max_taper_dose": "your clinician will give you a plan to lower your {name} from {current} mg a day, "
                            "step by step",
    "above_max_taper_amount": "the amount in that plan",
    # sheetplan35 (H-MED-722): above a maximum only as a regimen read either way counts it ("tramacet 3 x 4", no dose
    # typed): no amount printed as the patient's dose; checked before the next dose
    "above_max_guess_box": "Your record does not say clearly how much {name} you take in a day, and as it is written "
                           "it may be more than the most for you ({limit} mg a day). Before your next dose, check the "
                           "dose on your medicine's label with your prescriber or pharmacist.",
    "above_max_guess_product_box": "You take {first}. It contains {contains}. Your record does not say clearly how "
                                   "much you take in a day, and as it is written it may give you more {name} than the "
                                   "most for you ({limit} mg a day). Before your next dose, check the dose on its "
                                   "label with your prescriber or pharmacist.",
    # sheetplan35 (H-MED-722): the same for a combination product whose opioid is over its maximum (Zaldiar, Tramacet
    # above the tramadol limit): the product named, with what it holds (GP tryout N5)
    "above_max_taper_product_dose": "your clinician will give you a plan to lower your {product} (now {name} {current} "
                                    "mg a day), step by step",
    "above_max_taper_product_box": "You take {first}. It contains {contains}. The way you take it now gives you {name} "
                                   "{current} mg a day. For you, the most is {limit} mg a day. Do not stop it or cut "
                                   "it down all at once: that can make you unwell. Your clinician will tell you how "
                                   "to lower it, step by step.",
    "above_max_taper_box": "You take {name} {current} mg a day now. For you, the most is {limit} mg a day. "
                           "Do not stop it or cut it down all at once: that can make you unwell. Your clinician "
                           "will tell you how to lower it, step by step.",
    # far above any usual dose of a medicine whose label states no maximum (rt14 F1)
    "check_dose_dose": "check your {name} dose with your prescriber before your next dose",
    "check_dose_amount": "the amount your prescriber confirms",
    "check_dose_box": "Your record says you take {name} {current} mg a day. That is far more than the usual "
                      "amount, so it may be a mistake in the record. Before your next dose, check the dose on "
                      "your medicine's label with your prescriber or pharmacist.",
    # grams (H-MED-511): a daily dose far below any usual dose, e.g. grams typed as milligrams
    "check_dose_low_box": "Your record says you take {name} {current} mg a day. That is far less than any usual "
                          "amount, so it may be a mistake in the record (for example grams written as milligrams). "
                          "Before your next dose, check the dose on your medicine's label with your prescriber or "
                          "pharmacist.",
    # wording30 (H-UI-464): how either box ends, by the medicine data (classes.toml [stop_gradually]): "do not
    # stop it suddenly" only for a medicine never stopped at once (an opioid, a gabapentinoid ...); paracetamol or
    # an NSAID, whose sudden stop is no harm, is told not to change the amount without asking
    "check_dose_not_suddenly": "Do not stop it suddenly.",
    "check_dose_ask_change": "Until then, do not change how much you take on your own.",
    # sheetwords F4 (H-MED-615): far above the label's daily maximum (paracetamol 16000 mg a day): an overdose if
    # it is really taken, so contact today and take no more; never "do not change how much you take"
    "check_dose_far_box": "Your record says you take {name} {current} mg a day. That is far more than the most that "
                          "is safe to take in a day. It may be a mistake in the record, but if you really take this "
                          "much, it can harm you. Contact your prescriber or pharmacist today, before your next "
                          "dose.",
    "check_dose_far_no_more": "Do not take any more of it until they have checked your dose.",
    # nxsheet34 (H-MED-714): the same boxes when the amount counts a regimen the app only read either way ("3 x 4"):
    # no amount is printed as the patient's dose
    "check_dose_guess_box": "Your record does not say clearly how much {name} you take in a day, and as it is "
                            "written it may be far more than the usual amount, so it may be a mistake in the record. "
                            "Before your next dose, check the dose on your medicine's label with your prescriber or "
                            "pharmacist.",
    "check_dose_guess_far_box": "Your record does not say clearly how much {name} you take in a day, and as it is "
                                "written it may be far more than the most that is safe to take in a day. It may be "
                                "a mistake in the record, but if you really take this much, it can harm you. Contact "
                                "your prescriber or pharmacist today, before your next dose.",
    "check_dose_guess_total": "This is about your {products} together.",
    # sheet3 (H-MED-651): the far-above box over several products: what the total counts, and the others holding it
    "check_dose_far_total": "That is your {products} added together.",
    "check_dose_far_also": "Your {others} also has {name} in it: ask about it at the same time.",
    "check_dose_far_also_them": "Your {others} also have {name} in them: ask about them at the same time.",
    "check_dose_far_not_suddenly": "Do not take more than you take now, and do not stop it suddenly.",
    # a combination product recorded in mg that cannot be turned into its components (G17)
    "combo_unread_dose": "check the dose of your {name} with your prescriber before your next dose",
    "combo_unread_box": "Your record says you take {name} {current} mg a day, but not how much of each medicine "
                        "in it that is. Before your next dose, check the dose on your medicine's label with your "
                        "prescriber or pharmacist, and take no more than the label says.",
    # a regimen written in the name that cannot be read, or that disagrees with the recorded dose (cmb17)
    "name_unread_box": "Your record says you take {name}, but not clearly how much of it you take in a day. "
                       "Before your next dose, "
                       "check the dose on your medicine's label with your prescriber or pharmacist, and take no "
                       "more than the label says.",
    # coco34 (H-MED-708): one product holding an ingredient above its maximum that is stopped at once (paracetamol)
    # and one never stopped at once (codeine, FDA 2019): one plan on every sheet, the prescriber changes it
    "combined_over_amount": "{generic} {current} mg a day (for you, the most is {limit} mg a day)",
    "combined_over_box": "You take {name}. It contains {contains}. The way you take it now gives you {amounts}. "
                         "Contact your prescriber today: they will change your {product}. Until then, do not take more "
                         "than you take now, and do not cut it down or stop it on your own: the {tapered} in it "
                         "should not be cut down or stopped all at once.",
    "combined_over_dose": "contact your prescriber today about your {product}: they will change it; do not cut it "
                          "down or stop it on your own",
    "combined_over_max": "{limit} mg of {generic}",
    # sheetplan35 (H-MED-722): the same when the amounts count a regimen in the name read either way ("3 x 4", no dose
    # typed): no amount is printed, only that as written it may be more than is safe
    "combined_guess_box": "You take {name}. It contains {contains}. Your record does not say clearly how much you take "
                          "in a day, and as it is written it may be more {over} than is safe for you (for you, the "
                          "most is {limits}). Contact your "
                          "prescriber today: they will check your {product} and change it if needed. Until then, do "
                          "not take more than you take now, and do not cut it down or stop it on your own: the "
                          "{tapered} in it should not be cut down or stopped all at once.",
    "combined_guess_limit": "{limit} mg of {generic} a day",
    "combined_guess_dose": "contact your prescriber today about your {product}: they will check how much you take; do "
                           "not cut it down or stop it on your own",
    "combined_guess_note": "Your {product} contains {contains}, and your record does not say clearly how much you take "
                           "in a day: as it is written it may be more {over} than is safe for you. Your prescriber "
                           "will check it: do not cut it down or stop it on your own.",
    "combined_over_note": "Your {product} contains {contains}, and the way you take it now gives you {amounts}. Your "
                          "prescriber will change it: do not cut it down or stop it on your own.",
    "above_max_dose": "no more than {limit} mg of {name} a day",
    # sheets36 (H-MED-744): a combination product over one ingredient's limit, named as the patient knows it
    "above_max_product_dose": "no more than {limit} mg of {name} a day from your {product}",
    "above_max_product_amount": "{limit} mg of {name}",
    "above_max_product_box": "Your {product} ({contains}) gives you {name} {current} mg a day now. For you, the most "
                             "is {limit} mg of {name} a day. Take no more than that from now on, and ask your "
                             "clinician if you are not sure how.",
    # sheets36 (H-MED-742): the limit printed on another medicine's sheet is this ingredient's (LIMIT_HARM)
    "limit_harm_tramadol": "Do not take more than {amount} in a day. Too much tramadol can make you very sleepy, slow "
                           "your breathing or cause a seizure (fit).",
    "limit_harm_opioid": "Do not take more than {amount} in a day. Too much {name} can make you very sleepy and slow "
                         "your breathing.",
    "limit_harm_other": "Do not take more than {amount} in a day.",
    "above_max_box": "You take {name} {current} mg a day now. For you, the most is {limit} mg a day. Take no "
                     "more than {limit} mg a day from now on, and ask your clinician if you are not sure how.",
    # taken now at or below the maximum (red-team rt9 F2): no starting dose for them
    "keep_dose": "keep taking {name} {current} mg a day, as prescribed, unless your clinician changes it",
    "keep_dose_unrecorded": "keep taking your {name} as prescribed, unless your clinician changes it",
    # sheet2 (H-MED-643): a name recorded "as directed" ("tramadol 50mg as directed"): taken already, its daily dose
    # not recorded
    "keep_as_prescribed": "keep taking your {name} as your prescriber told you, unless your clinician changes it",
    # a skin patch worn now (or fentanyl written with no form, printed as a patch: rt21 F4)
    "keep_patch": "keep using your {name} as prescribed, unless your clinician changes it",
    # a patch strength no single patch is made in (mme21): check it before the next patch
    # {name} is the record's ("fentanyl 30mcg/h patch"): no "patch" after it (rt24 F9: "patch patch")
    "patch_check_dose": "check the strength of your {name} with your prescriber before you put on your next patch",
    # sheet2 (H-MED-645): a patch written per 24 hours, or to be changed at an interval that is not its product's:
    # the words of that check, never "no single patch comes in that strength"
    "patch_check_how_dose": "check your {name} with your prescriber before you put on your next patch",
    "patch_check_box_per_hours": ("Your record says {name}. A patch's strength is written per hour, and this is "
                                  "written per 24 hours, so it may be a mistake in the record. Before you put on your "
                                  "next patch, check the strength on the box with your prescriber or pharmacist. "
                                  "Do not stop it suddenly."),
    "patch_check_box_interval": ("Your record says {name}. That is not how often a patch of this medicine is "
                                 "usually changed, so it may be a mistake in the record. Before you put on your next "
                                 "patch, check with your prescriber or pharmacist how often you change it. "
                                 "Do not stop it suddenly."),
    "patch_check_box": ("Your record says {name}. No single patch of this medicine comes in that strength, so it may "
                        "be a mistake in the record, or you may wear more than one patch. Before you put on your next "
                        "patch, check the strength on the box with your prescriber or pharmacist. Do not stop it "
                        "suddenly."),
    "keep_taper": "Do not stop it suddenly. If it needs to stop, your clinician will lower it step by step.",
    # two products or more on the sheet (wording30: "Do not stop it suddenly" under fentanyl and codeine)
    "keep_taper_them": "Do not stop them suddenly. If they need to stop, your clinician will lower them step by step.",
    # steroid pills taken now (red-team rt10 F6): after weeks of use the body makes less of its own steroid
    "keep_taper_steroid": "Do not stop it suddenly. After some weeks of steroid pills, stopping at once can make "
                          "you very unwell. Your clinician will tell you how to lower it step by step.",
    "keep_taper_steroid_them": "Do not stop them suddenly. After some weeks of steroid pills, stopping at once can "
                               "make you very unwell. Your clinician will tell you how to lower them step by step.",
    # kidney function unknown for a medicine dosed by it (red-team rt10 F3)
    "kidney_check": "Ask your clinician whether your dose is right for your kidneys. You may need a blood test.",
    # a dose above this patient's maximum is not "set for how well your kidneys work" (rd13 D8)
    "kidney_set_new": "Your new, lower dose will be set for how well your kidneys work. Tell us if you have kidney "
                      "problems or if this changes.",
    # two current products the medicine check rates "avoid" together (red-team rt10 F2)
    "product_dose": "{name} {current} mg a day",
    "product_dose_strength": "{name} ({current} mg a day in all)",
    # beside another product: which medicine the amount counts (gp19 F9)
    "product_dose_strength_of": "{name} ({generic} {current} mg a day)",
    # a combination product's recorded dose read as tablets (G17): its mg are one component's
    "product_tablets": "{name} ({tablets} tablets a day)",
    "product_doses": "{name} ({tablets} doses a day)",
    "product_tablet": "{name} (1 tablet a day)",
    "product_one_dose": "{name} (1 dose a day)",
    # nxd36 (H-MED-758): in the patient's words, not the staff's "(dose to check)"
    "product_dose_to_check": "{name} (the dose in your record needs checking)",
    "and_join": "{first} and {last}",
    "together_same_box": "You take {products}. They contain the same medicine, {generic}, so they add up: "
                         "together they count toward one daily maximum. Ask your clinician before your next "
                         "dose which one to keep taking.",
    # wording29 (H-MED-562): two different NSAIDs were said to "count toward one daily maximum"; the
    # NSAID labels (sources.toml nsaid-class-label) say not to combine them at all, whatever the doses
    "together_class_box": "You take {products}. They are the same kind of medicine and should not be taken "
                          "together: taking them together does not help more and makes harm more likely. Ask "
                          "your clinician before your next dose which one to keep taking.",
    "together_dose": "ask your clinician before your next dose which one to keep taking",
    # pairs (H-MED-500): one of the two is contraindicated for the patient herself (uk: diclofenac with
    # cardiovascular disease): which one to stop is said, never "which one to keep taking"
    "together_stop_box": "You take {products}. They are the same kind of medicine and should not be taken "
                         "together. Do not take your {stopped}: for you, it may do more harm than good. Your "
                         "clinician will tell you why and talk to you about another option.",
    "together_stop_box_them": "You take {products}. They are the same kind of medicine and should not be taken "
                              "together. Do not take your {stopped}: for you, they may do more harm than good. Your "
                              "clinician will tell you why and talk to you about another option.",
    "together_keep_other": "Keep taking your {kept} as prescribed, unless your clinician changes it.",
    "together_ask_amount": "Ask your clinician before your next dose how much of your {kept} to take.",
    "together_ask_amount_dose": "ask your clinician before your next dose how much of your {name} to take",
    "together_ask_other": "Ask your clinician before your next dose whether to keep taking your {kept}: {why}.",
    # two different opioids (rt19 F4, gp18 F2): no shared mg maximum, never stopped at once
    "together_class_taper_box": "You take {products}. They are the same kind of medicine and should not be taken "
                                "together: together they add to the risk of slowed breathing and drowsiness. Ask "
                                "your clinician soon how to go on to one plan. Do not stop either one suddenly: your clinician "
                                "will tell you how to lower it, step by step.",
    "together_taper_dose": "ask your clinician soon how to go on to one plan; do not stop either one suddenly",
    "together_same_amount": "{limit} mg of {generic} from all your medicines together",
    "together_amount": "the amount your clinician tells you",
    # several products of a medicine the app does not dose, taken now (red-team rt11 F4)
    "keep_several": "keep taking your {products}, exactly as your prescriber and their labels say",
    # sht24: products of different forms, each with its form's verb (:func:`_each_by_form`)
    "keep_several_each": "{each}, each exactly as your prescriber and its label say",
    "high_dose_dose_each": ("{each}, each only as prescribed, and do not change the dose or stop it on your own; "
                            "ask at your next review about your dose and about naloxone"),
    # the verb of each form (fentanyl-patch-label: a patch is worn; effentora-epar: "placed between the
    # gum and the cheek"; abstral-uk: "administered directly under the tongue"; a nasal spray is
    # sprayed; a lozenge as the prescriber showed, its use not read in its SmPC)
    "use_form_patch": "wear your {name}",
    "use_form_buccal tablet": "put your {name} between your cheek and gum",
    "use_form_sublingual tablet": "put your {name} under your tongue",
    "use_form_nasal spray": "spray your {name} into your nose",
    "use_form_other_use": "use your {name} as your prescriber showed you",
    "use_form_take": "take your {name}",
    "keep_several_total": "keep taking your {products} ({total} mg of {generic} a day in all), exactly as your "
                          "prescriber and their labels say",
    # taken now although the medicine check rates it avoid for this patient (red-team rt11 F3)
    "avoid_box": "You take {products}. Ask your clinician before your next dose whether to keep taking it: {why}.",
    "avoid_with": "it should not be taken with your {others}",
    # pairs (H-UI-441): the box asking about two medicines or more
    "avoid_box_them": "You take {products}. Ask your clinician before your next dose whether to keep taking them: {why}.",
    "avoid_box_patch_them": "You use {products}. Ask your clinician before you put on your next patch whether to keep "
                            "using them: {why}.",
    "avoid_in_pregnancy_them": "they may not be safe in pregnancy",
    "avoid_pregnancy_unsettled_them": ("your records do not agree on whether you are pregnant, and these medicines may "
                                       "not be safe in pregnancy. Your clinician will check with you"),
    # the other medicines named there that are never stopped at once (classes.toml
    # [stop_gradually]: diazepam, baclofen, tizanidine, an opioid ...; gp19 F3)
    "others_not_suddenly": "Do not stop your {others} suddenly: your clinician will plan any change.",
    "others_keep": "Keep taking your {others}: do not stop it unless the doctor who prescribed it tells you to.",
    "others_reviewed": "Do not stop your {others} yourself: your prescriber will review both.",
    "others_keep_them": "Keep taking your {others}: do not stop them unless the doctor who prescribed them tells you "
                        "to.",
    # a medicine of the taper data that no printed sheet names (diazepam beside ibuprofen; gp19 F3)
    "not_suddenly_heading": "Do not stop it suddenly",
    "not_suddenly_heading_them": "Do not stop them suddenly",
    "not_suddenly_box": "You also take {others}. Do not stop it suddenly: your clinician will plan any change.",
    "not_suddenly_box_them": "You also take {others}. Do not stop them suddenly: your clinician will plan any "
                             "change.",
    "avoid_general": "for you, it may do more harm than good. Your clinician will tell you why",
    "avoid_in_pregnancy": "it may not be safe in pregnancy",
    "avoid_pregnancy_unsettled": ("your records do not agree on whether you are pregnant, and this medicine may "
                                  "not be safe in pregnancy. Your clinician will check with you"),
    "avoid_dose": "ask your clinician before your next dose whether to keep taking your {name}",
    # the same for a skin patch: put on, not taken (gp20 F13, fxl20 leftover)
    "avoid_box_patch": "You use {products}. Ask your clinician before you put on your next patch whether to keep "
                       "using it: {why}.",
    "avoid_dose_patch": "ask your clinician before you put on your next patch whether to keep using your {name}",
    "avoid_contact_patch": "Before you put on your next patch, call {clinic_name} on {clinic_contact} or the doctor "
                           "who prescribed it, and ask what to do.",
    # an opioid taken now at 50 MME/day or more (mme21; CDC 2022 recommendations 5 and 8)
    "high_dose_dose": ("take your {name} as prescribed, and do not change the dose or stop it on your own; ask at "
                       "your next review about your dose and about naloxone"),
    "high_dose_dose_patch": ("use your {name} as prescribed, and do not change the dose or stop it on your own; "
                             "ask at your next review about your dose and about naloxone"),
    # redsheet35 (H-MED-729): a product whose dose is to check ("oxycodone 20mg 3 x 4" with 40 mg a day typed) is
    # never "take ... as prescribed": the dose is checked with the prescriber first (check_dose_dose's words)
    # nxd36 (H-MED-759): and if the prescriber cannot be reached before then, the high-dose box's reviewed words (CDC
    # 2022 rec. 5; FDA 2019 tapering communication): nothing changed or stopped on one's own
    "high_dose_dose_check": ("check your {name} dose with your prescriber before your next dose. If you cannot reach "
                             "them before then, do not change the dose or stop it on your own: stopping suddenly can "
                             "cause withdrawal and worse pain. Ask at your next review about your dose and about "
                             "naloxone"),
    "high_dose_dose_check_patch": ("check your {name} dose with your prescriber before you put on your next patch. If "
                                   "you cannot reach them before then, do not change the dose or stop it on your own: "
                                   "stopping suddenly can cause withdrawal and worse pain. Ask at your next review "
                                   "about your dose and about naloxone"),
    "high_dose_box": ("You take {products}. Your dose of opioid pain medicine is high ({amount}). A higher dose "
                      "raises the risk of an overdose, so your clinician will review it with you. Do not change the "
                      "dose or stop it on your own: stopping suddenly can cause withdrawal and worse pain. At your "
                      "next review, ask about your dose and about naloxone, a medicine that can reverse an opioid "
                      "overdose."),
    "high_dose_box_patch": ("You use {products}. Your dose of opioid pain medicine is high ({amount}). A higher "
                            "dose raises the risk of an overdose, so your clinician will review it with you. Do not "
                            "change the dose or stop it on your own: stopping suddenly can cause withdrawal and worse "
                            "pain. At your next review, ask about your dose and about naloxone, a medicine that can "
                            "reverse an opioid overdose."),
    # methadone or buprenorphine taken now (rt24 F8): the MME thresholds are for pain (CDC 2022), not
    # for treating opioid use disorder, whose programme sets the dose: true for both, never "stop"
    "high_dose_box_if_pain": ("You take {products}. If you take it for pain, your opioid dose is high for pain "
                              "treatment ({amount}), so your clinician will review it with you. If it is treatment for "
                              "opioid dependence, the team that treats it sets that dose. Either way, do not change the "
                              "dose or stop it on your own: stopping suddenly can cause withdrawal. At your next "
                              "review, tell us what you take it for, and ask about your dose and about naloxone, a "
                              "medicine that can reverse an opioid overdose."),
    "high_dose_box_if_pain_patch": ("You use {products}. If you use it for pain, your opioid dose is high for pain "
                                    "treatment ({amount}), so your clinician will review it with you. If it is "
                                    "treatment for opioid dependence, the team that treats it sets that dose. Either "
                                    "way, do not change the dose or stop it on your own: stopping suddenly can cause "
                                    "withdrawal. At your next review, tell us what you use it for, and ask about your "
                                    "dose and about naloxone, a medicine that can reverse an opioid overdose."),
    # 50-89 MME/day, the window's "Reassess opioid dose" (rules.toml opioid-mme-50: CDC, reassess benefits
    # and risks before any increase, offer naloxone, do not stop it or cut it rapidly): a review, never
    # "your dose is high" (sht24)
    "reassess_dose_box": ("You take {products}. Your opioid dose ({amount}) is at the level where doctors review "
                          "it with you before any increase. Ask your prescriber to review your dose. Do not change "
                          "the dose or stop it on your own: stopping suddenly can cause withdrawal and worse pain. "
                          "At your next review, ask about your dose and about naloxone, a medicine that can reverse "
                          "an opioid overdose."),
    "reassess_dose_box_patch": ("You use {products}. Your opioid dose ({amount}) is at the level where doctors "
                                "review it with you before any increase. Ask your prescriber to review your dose. Do "
                                "not change the dose or stop it on your own: stopping suddenly can cause withdrawal "
                                "and worse pain. At your next review, ask about your dose and about naloxone, a "
                                "medicine that can reverse an opioid overdose."),
    "reassess_dose_box_if_pain": ("You take {products}. If you take it for pain, your opioid dose ({amount}) is at "
                                  "the level where doctors review it with you before any increase: ask your "
                                  "prescriber to review it. If it is treatment for opioid dependence, the team that "
                                  "treats it sets that dose. Either way, do not change the dose or stop it on your "
                                  "own: stopping suddenly can cause withdrawal. At your next review, tell us what you "
                                  "take it for, and ask about your dose and about naloxone, a medicine that can "
                                  "reverse an opioid overdose."),
    "reassess_dose_box_if_pain_patch": ("You use {products}. If you use it for pain, your opioid dose ({amount}) is "
                                        "at the level where doctors review it with you before any increase: ask your "
                                        "prescriber to review it. If it is treatment for opioid dependence, the team "
                                        "that treats it sets that dose. Either way, do not change the dose or stop it "
                                        "on your own: stopping suddenly can cause withdrawal. At your next review, "
                                        "tell us what you use it for, and ask about your dose and about naloxone, a "
                                        "medicine that can reverse an opioid overdose."),
    "high_dose_amount": "about {mme} mg of morphine a day, counted the way doctors compare these medicines",
    "high_dose_amount_unknown": "as your clinician has counted it",
    # the dose line of a sheet whose pregnancy box asks whether to keep taking it (rt22 F10)
    "pregnancy_ask_dose": "ask your clinician whether to keep taking your {name} (see above)",
    # said UNDER that box when the dose is also above the maximum or to be checked: the rating is
    # stronger than the dose's label, so no "take no more than X from now on" (rt21 F1, F2; gp19 F13)
    "ask_first_over": "You take {name} {current} mg a day now: that is also more than the most for you ({limit} mg "
                      "a day).",
    # sheetplan35 (H-MED-722): the same when the amount counts a regimen read either way ("3 x 4"): no amount
    "ask_first_over_guess": "As your record is written, you may take more {name} than the most for you ({limit} mg a "
                            "day), so the dose needs checking with your clinician.",
    # sheetplan35 (H-MED-722): the same of a combination product's opioid, naming the product
    "ask_first_over_product": "Your {product} gives you {name} {current} mg a day now: that is also more than the "
                              "most for you ({limit} mg a day).",
    "ask_first_not_suddenly": "Do not stop it or cut it down all at once: that can make you unwell. If it needs to "
                              "come down, your clinician will lower it step by step.",
    # sheetplan35 (H-MED-721): the same for a product holding an opioid over another ingredient's maximum, named
    "ask_first_not_suddenly_named": "Do not stop your {product} or cut it down all at once: that can make you unwell. "
                                    "If it needs to come down, your clinician will lower it step by step.",
    "ask_first_check": "The dose written in your record may be a mistake, so it needs checking with your clinician "
                       "before your next dose.",
    "ask_first_unread": "Your record does not say clearly how much you take a day, so the dose needs checking with "
                        "your clinician before your next dose.",
    "stop_check": "The dose written in your record may be a mistake: your clinician will check with you how much "
                  "you have been taking.",
    # a box that already asks (two taken together, another reason to avoid it) on the sheet of a
    # medicine asked about while her records disagree on the pregnancy (rt21 F2)
    "also_pregnancy_unsettled": "Also, your records do not agree on whether you are pregnant, and this medicine may "
                                "not be safe in pregnancy.",
    # what to do instead of the how-to-take bullets on that sheet (uk17)
    "avoid_contact": "Before you take another dose, call {clinic_name} on {clinic_contact} or the doctor who "
                     "prescribed it, and ask what to do.",
    "stop_contact": "Call {clinic_name} on {clinic_contact} or the doctor who prescribed it to talk about another "
                    "option.",
    # handout29: the same about two medicines or more, which more than one doctor may have prescribed
    "avoid_contact_them": "Before you take another dose, call {clinic_name} on {clinic_contact} or whoever prescribed "
                          "them, and ask what to do.",
    "avoid_contact_patch_them": "Before you put on your next patch, call {clinic_name} on {clinic_contact} or whoever "
                                "prescribed them, and ask what to do.",
    "stop_contact_them": "Call {clinic_name} on {clinic_contact} or whoever prescribed them to talk about another "
                         "option.",
    # the "taken together" box when one of them is also rated avoid with another medicine (med12)
    "together_also_avoid": "Also ask whether to keep taking them at all: {why}.",
    "avoid_with_them": "they should not be taken with your {others}",
    # sheet3 (H-MED-652): another medicine that clashes with only one of the products taken together
    # sheet3 (H-MED-654): a once-weekly medicine (methotrexate) written on more than one day a week or daily
    # (MHRA Drug Safety Update 2020, mhra-methotrexate-weekly)
    "weekly_check_heading": "Check how often you take {name}",
    "weekly_check_box": "Your record does not say that you take {name} once a week. {name_cap} is usually taken "
                        "only once a week, on the same day each week: taking it more often, even every day, can be "
                        "very harmful. Before your next dose of {name}, check with your prescriber or pharmacist that "
                        "you take it once a week, and on which day.",
    "together_also_avoid_one": "Also ask whether to keep taking your {member} at all: it should not be taken with "
                               "your {others}.",
    # rated CAUTION with another medicine taken now (red-team rt12 F9; rules.toml patient_words)
    "caution_taken": "You also take {others}. Ask your clinician about taking it with your {name}: {why}.",
    # sheets36 (H-MED-745): two or more other medicines: "them"
    "caution_taken_them": "You also take {others}. Ask your clinician about taking them with your {name}: {why}.",
    "caution_start": "You take {others}. Before you start {name}, ask your clinician whether it is right for you: "
                     "{why}.",
    "why_stomach_bleeding": "together they raise the chance of bleeding from the stomach, and you may need a "
                            "medicine to protect your stomach",
    "why_kidneys": "together they can harm the kidneys, and you may need a kidney blood test",
    "why_general": "the medicine check says to take care with them together",
    # the same inside a box that already asks before the next dose (fxo20 leftover): no "take care"
    "caution_also_ask": "Also ask about your {others} before your next dose: {why}.",
    "caution_also_ask_patch": "Also ask about your {others} before you put on your next patch: {why}.",
    "why_general_ask": "the medicine check also warns about taking it with your {name}",
    "why_general_ask_them": "the medicine check also warns about taking them with your {name}",
    # pregnant and taking it now, the medicine check warns about it in pregnancy (rd13 D1)
    "pregnancy_box": "You are {weeks} weeks pregnant. {why}Tell your midwife or maternity team that you take "
                     "{name}. {stop}",
    # the pregnancy recorded is past its plausible end on the sheet's date: asked, not assumed
    "pregnancy_box_ask": "Your record says you were {weeks} weeks pregnant on {date}. If you are still pregnant, or "
                         "you are breastfeeding, tell your midwife, doctor or pharmacist that you take {name}. "
                         "{why}{stop}",
    "pregnancy_opioid": "Taking an opioid for a long time while pregnant can cause withdrawal symptoms in your "
                        "baby after birth.",
    "pregnancy_keep_taper": "Do not stop it suddenly: if it needs to stop, your clinician will lower it step by "
                            "step.",
    "pregnancy_ask": "Ask your clinician whether to keep taking it.",
    # contraindicated and safe to stop at once (an NSAID from 30 weeks): the window's "Stop it and
    # choose another option" in the patient's words (gp17 F7; FDA 2020, MHRA: NSAIDs in pregnancy)
    "pregnancy_stop": "Do not take it. Your clinician will talk to you about another option.",
    # the product to stop also holds an opioid (Nurofen Plus: ibuprofen and codeine; rt19 F1):
    # the NSAID stops now, the codeine is replaced, never stopped all at once (FDA 2019)
    "pregnancy_stop_also": "Do not take it. It also contains {other}: contact your clinician today about a "
                           "replacement, so the {other} is not stopped all at once.",
    "stop_box": "You take {products}. Do not take it: {why}. Your clinician will talk to you about another "
                "option.",
    "stop_box_them": "You take {products}. Do not take them: {why}. Your clinician will talk to you about another "
                     "option.",
    "pregnancy_stop_them": "Do not take them. Your clinician will talk to you about another option.",
    "pregnancy_keep_taper_them": "Do not stop them suddenly: if they need to stop, your clinician will lower them "
                                 "step by step.",
    "pregnancy_ask_them": "Ask your clinician whether to keep taking them.",
    "pregnancy_stop_also_them": "Do not take them. One also contains {other}: contact your clinician today about a "
                                "replacement, so the {other} is not stopped all at once.",
    # why an NSAID is "Do not take it" from 30 weeks (rule nsaid-pregnancy-30; FDA 2020; MHRA)
    "pregnancy_why_nsaid_30": "From 30 weeks of pregnancy, these medicines can cause heart problems in the unborn "
                              "baby.",
    "pregnancy_why_nsaid_30_clause": "from 30 weeks of pregnancy, these medicines can cause heart problems in the "
                                     "unborn baby",
    # why an NSAID is asked about from 20 weeks (rule nsaid-pregnancy-20, handout29): FDA 2020 (us) and
    # MHRA 2023 (uk: prolonged use from week 20; some narrowing of the ductus arteriosus already then)
    "pregnancy_why_nsaid_20_clause": "from about 20 weeks of pregnancy, these medicines can cause rare but serious "
                                     "kidney problems in the unborn baby, which can lead to too little fluid around "
                                     "the baby",
    "pregnancy_why_nsaid_20_uk_clause": "from 20 weeks of pregnancy, these medicines can cause kidney problems in the "
                                        "unborn baby and too little fluid around the baby, and can narrow a blood "
                                        "vessel in the baby's heart",
    # the same from 28 weeks under uk (rule nsaid-pregnancy-28-uk; MHRA 2023: after 28 weeks)
    "pregnancy_why_nsaid_28": "From 28 weeks of pregnancy, these medicines can cause heart and kidney problems in "
                              "the unborn baby.",
    "pregnancy_why_nsaid_28_clause": "from 28 weeks of pregnancy, these medicines can cause heart and kidney problems "
                                     "in the unborn baby",
    "avoid_general_them": "for you, they may do more harm than good. Your clinician will tell you why",
    # why a medicine containing misoprostol is "Do not take it" at any week of a pregnancy (rule
    # misoprostol-pregnancy; boxed warning of the misoprostol (Cytotec) and Arthrotec labels: birth
    # defects, abortion, premature birth, uterine rupture; not to be taken by pregnant women; sheet28)
    "pregnancy_why_misoprostol": "It contains misoprostol. Misoprostol must not be taken at any time in pregnancy: "
                                 "it can cause a miscarriage, birth defects or a baby born too early.",
    "pregnancy_why_misoprostol_clause": "it contains misoprostol, which must not be taken at any time in pregnancy, as "
                                        "it can cause a miscarriage, birth defects or a baby born too early",
    # wording30 (H-UI-465): two products or more ("arthrotec and misoprostol"): never "it contains" (:func:`_numbered`)
    "pregnancy_why_misoprostol_them": "Each of them contains misoprostol. Misoprostol must not be taken at any time in "
                                      "pregnancy: it can cause a miscarriage, birth defects or a baby born too early.",
    "pregnancy_why_misoprostol_clause_them": "each of them contains misoprostol, which must not be taken at any time in "
                                             "pregnancy, as it can cause a miscarriage, birth defects or a baby born "
                                             "too early",
    # the handout's block about a medicine no printed sheet covers (sheet28): a pair rated avoid
    # together (which one changes is the prescriber's choice, neither stopped on their own), and a
    # medicine never stopped at once (classes.toml [stop_gradually])
    "other_together_box": "You take {products}. The medicine check says they should not be taken together: {why}. "
                          "Ask your clinician or pharmacist before your next dose what to do. Do not stop either of "
                          "them on your own.",
    # handout29 (H-MED-522): misoprostol taken now by a patient who could get pregnant (misoprostol-label,
    # arthrotec-label: contraindicated in pregnancy; effective contraception)
    "contraception_misoprostol_box": ("You take {products}. It contains misoprostol, which must not be taken at any "
                                      "time in pregnancy: it can cause a miscarriage, birth defects or a baby born "
                                      "too early. If you could get pregnant, use reliable birth control while you "
                                      "take it. If you think you may be pregnant, do not take your next dose: call "
                                      "{clinic_name} on {clinic_contact} straight away."),
    "contraception_misoprostol_box_them": ("You take {products}. Each of them contains misoprostol, which must not be "
                                           "taken at any time in pregnancy: it can cause a miscarriage, birth defects "
                                           "or a baby born too early. If you could get pregnant, use reliable birth "
                                           "control while you take them. If you think you may be pregnant, do not take "
                                           "your next dose of either: call {clinic_name} on {clinic_contact} straight "
                                           "away."),
    "other_taper_box": "You take {products}. Ask your clinician soon whether it is still right for you: {why}. Do "
                       "not stop it suddenly: if it needs to stop, your clinician will lower it step by step.",
    "other_taper_box_them": "You take {products}. Ask your clinician soon whether they are still right for you: "
                            "{why}. Do not stop them suddenly: if they need to stop, your clinician will lower them "
                            "step by step.",
    # clopidogrel with omeprazole or esomeprazole (rule ix-clopidogrel-omeprazole; Plavix label 7.1,
    # FDA 2009 and 2012, MHRA 2010): the stomach medicine lowers clopidogrel's effect
    "why_clopidogrel_ppi": "the stomach medicine can make clopidogrel work less well, so it may protect you less "
                           "against a heart attack or stroke. Another stomach medicine may suit you better",
    # a product stopped for another ingredient, on its opioid's sheet (Nurofen Plus at 31 weeks,
    # fxa18): the same "Do not take it" as the NSAID sheet, and the opioid replaced, never
    # stopped all at once (FDA 2019, stopping opioids suddenly)
    "stop_product_box": "You take {products}. Do not take it: it also contains {other}, which is not safe for you "
                        "now. Contact your clinician today about a replacement for the {own} in it, so the {own} is "
                        "not stopped all at once.",
    "stop_product_box_them": "You take {products}. Do not take them: they also contain {other}, which is not safe "
                             "for you now. Contact your clinician today about a replacement for the {own} in them, "
                             "so the {own} is not stopped all at once.",
    "stop_product_dose": "do not take your {name}; contact your clinician today about a replacement for the {own}, "
                         "so it is not stopped all at once",
    "stop_product_others": "keep taking your {others} until your clinician tells you how to go on, and do not stop "
                           "it suddenly",
    "pregnancy_stop_product": "Do not take it: it also contains {other}, which is not safe for you now. Contact "
                              "your clinician today about a replacement for the {own}, so the {own} is not stopped "
                              "all at once.",
    "pregnancy_stop_product_them": "Do not take them: they also contain {other}, which is not safe for you now. "
                                   "Contact your clinician today about a replacement for the {own}, so the {own} is "
                                   "not stopped all at once.",
    "pregnancy_stop_product_named": "Do not take your {name}: it also contains {other}, which is not safe for you "
                                    "now. Contact your clinician today about a replacement for the {own}, so the "
                                    "{own} is not stopped all at once.",
    "pregnancy_stop_product_them_named": "Do not take your {name}: they also contain {other}, which is not safe for "
                                         "you now. Contact your clinician today about a replacement for the {own}, so "
                                         "the {own} is not stopped all at once.",
    "pregnancy_stop_product_others": "Do not stop your {others} suddenly: if it needs to stop, your clinician will "
                                     "lower it step by step.",
    "stop_dose": "do not take your {name}; your clinician will talk to you about another option",
    # not taken yet, kidney function not known for a medicine limited by it (red-team rt11 F5)
    "kidney_check_start": "Before you start it, ask your clinician whether it is safe for your kidneys and what "
                          "dose is right for them. You may need a blood test first.",
}


class MissingTranslationError(LookupError):
    """A dose phrase has no wording in the handout's language (a Spanish sheet must not print English)."""


@lru_cache(maxsize=4)
def dose_wording(lang: str) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(drug names, dose phrases, templates) in ``lang``; empty for English."""
    path = resource_path("medicines", f"dose_phrases_{lang}.toml")
    if lang == "en" or not path.exists():
        return {}, {}, {}
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    return dict(data.get("drugs", {})), dict(data.get("phrases", {})), dict(data.get("templates", {}))


_DECIMAL_POINT_RE = re.compile(r"(?<![\d.,])(\d+)\.(\d+)(?![\d.,]*\.\d)(?![\d])")


def decimal_comma(text: str) -> str:
    """arthro36 (H-FMT-911): ``text`` with each decimal number written with the Spanish decimal comma ("337.5" ->
    "337,5"); a dotted run of more than two numbers (a date or version "2026.12.1") is kept."""
    return _DECIMAL_POINT_RE.sub(r"\1,\2", text)


def tr(lang: str, key_or_phrase: str, **values) -> str:
    """The engine's English dose phrase (or one of :data:`EN_TEMPLATES`) in ``lang``.

    Strict: a phrase without wording in ``lang`` raises :class:`MissingTranslationError`,
    so a Spanish sheet never prints an English dose (a test generates every phrase the
    engine can produce and renders it)."""
    if key_or_phrase in EN_TEMPLATES:
        text = EN_TEMPLATES[key_or_phrase]
        if lang != "en":
            templates = dose_wording(lang)[2]
            if key_or_phrase not in templates:
                raise MissingTranslationError(f"no {lang} wording for the dose template {key_or_phrase!r}")
            text = templates[key_or_phrase]
        for key, value in values.items():
            # plainwords (H-MED-647): a name ending a clause is "naproxen 500mg, twice a day"
            if isinstance(value, SaidName) and value.regimen and key_or_phrase != "and_join":
                if re.search(r"\{" + key + r"\}(?=$|[.;:])", text):
                    values[key] = value.at_clause_end
                elif re.search(r"\{" + key + r"\} \(", text):
                    # before the template's own bracket: "pregabalin 75mg twice a day (150 mg a day in all)"
                    values[key] = f"{value.base} {value.regimen}"
            if lang == "es" and not isinstance(value, SaidName) and re.fullmatch(r"\d+\.\d+", str(value)):
                # arthro36 (H-FMT-911): a Spanish sheet writes a decimal amount with a comma ("tramadol 337,5 mg al
                # día", not "337.5 mg"); a name (a product's strength "7.46/500") is printed as recorded
                values[key] = decimal_comma(str(value))
        return text.format(**values)
    if lang == "en":
        return key_or_phrase
    phrases = dose_wording(lang)[1]
    if key_or_phrase not in phrases:
        raise MissingTranslationError(f"no {lang} wording for the dose phrase {key_or_phrase!r}")
    return phrases[key_or_phrase]


@lru_cache(maxsize=4)
def alert_label_wording(lang: str) -> dict[str, str]:
    """The ``[alert_labels]`` of ``dose_phrases_{lang}.toml``: a rule's own alert label
    (rules.toml ``alert_label``: "Reassess opioid dose", "High opioid dose", "... if for pain") ->
    its wording in ``lang``; empty for English."""
    path = resource_path("medicines", f"dose_phrases_{lang}.toml")
    if lang == "en" or not path.exists():
        return {}
    with open(path, "rb") as fh:
        return dict(tomllib.load(fh).get("alert_labels", {}))


def tr_alert_label(lang: str, label: str) -> str:
    """A rule's own alert label (the opioid total's, mme22) in ``lang``. Strict, like :func:`tr`:
    a label without wording in ``lang`` raises :class:`MissingTranslationError`, so a Spanish
    surface never prints "High opioid dose" in English (mme23; a test asks it for every label the
    medicine data carry)."""
    if lang == "en":
        return label
    labels = alert_label_wording(lang)
    if label not in labels:
        raise MissingTranslationError(f"no {lang} wording for the alert label {label!r}")
    return labels[label]


def tr_drug(lang: str, drug_id: str) -> str:
    """A row id or generic name in ``lang`` (strict, like :func:`tr`)."""
    if lang == "en":
        return drug_id
    names = dose_wording(lang)[0]
    if drug_id not in names:
        raise MissingTranslationError(f"no {lang} name for the medicine {drug_id!r}")
    return names[drug_id]


def default_sheets(case: Case, day: dt.date, doses: Mapping[str, MedicineDose]) -> tuple[list[str], list[str]]:
    """The routine sheets a handout holds when none are named, and the medicine classes left
    out for want of a dose: the general sheets; "extra_care" only when the patient needs it
    (:func:`~radiculopathy_desktop.domain.monitoring.needs_extra_care`: 65 or over, or a
    special consideration recorded); one sheet per medicine class taken or given with a dose
    in ``doses``. One rule for the command line (:func:`request_for_case`) and the window's
    handout dialog, which ticks these (gp14 G8: it ticked "extra care" for everyone)."""
    from radiculopathy_desktop.domain.monitoring import needs_extra_care

    chosen = list(GENERAL_SHEETS)
    if needs_extra_care(case, day):
        chosen.append("extra_care")
    dropped = []
    for cls in medicine_classes_for(case, day):
        if cls in doses:
            chosen.append(hc.MEDICINE_SHEETS[cls])
        else:  # said to the clinician, with why (rt11 F3)
            dropped.append(cls)
    return chosen, dropped


def request_for_case(case: Case, as_of: dt.date, *, clinic_name: str, clinic_contact: str,
                     lang: str = "en", sheets: Sequence[str] | None = None, large_print: bool = False,
                     paper: str = "a4", clinician: str | None = None,
                     next_follow_up: dt.date | None = None,
                     doses: Mapping[str, MedicineDose] | None = None, profile: str = "us",
                     self_care: bool = False, confirm_unrecognised: bool = False,
                     country: str = "other", today: dt.date | None = None,
                     unsettled: Sequence[str] = ()) -> HandoutRequest:
    """Everything a handout for ``case`` needs, with the defaults a clinic would pick.

    ``as_of`` is the date printed on the sheet. With ``today`` given (the command's
    ``--as-of`` may be an earlier day), what the sheet says comes from the case as it stands
    on the later of the two: a red flag recorded after ``as_of`` and standing today still
    leads the handout (red-team rt9 F12), and the medicines are the ones taken now.

    Without ``sheets``: the general sheets plus one per medicine class the patient
    has been given and for which the engine has a dose.

    A medicine sheet prints a dose; while a current medicine is not recognised (its
    interactions were not checked) that needs ``confirm_unrecognised`` (the window asks
    the clinician; the CLI has a flag), else :class:`UnrecognisedMedicineError`.
    """
    day = max(as_of, today) if today is not None else as_of
    if doses is None:
        # the weeks of a pregnancy are those on the date printed (sheet28: --as-of before today)
        doses = doses_from_engine(case, day, lang, profile=profile, self_care=self_care, unsettled=unsettled,
                                  weeks_on=as_of if as_of != day else None)
    flags = standing_red_flags(case, day)
    lead = hc.RED_FLAG_SHEETS[flags.tier] if flags is not None else None
    left_out: tuple[str, ...] = ()
    not_offered: tuple[tuple[str, str], ...] = ()
    if sheets is None:
        chosen, dropped = default_sheets(case, day, doses)
        not_offered = tuple(no_dose_reasons(case, day, dropped, profile).items())
        if lead is not None:
            # "Will it get better? Yes", "rarely a sign of something serious", a titration
            # plan: none of it for a patient who must act on a red flag now.
            left_out = tuple(chosen)
            chosen = [lead]
        sheets = chosen
    else:
        wrong = [s for s in sheets if s in hc.RED_FLAG_SHEETS.values() and s != lead]
        if wrong:
            raise UserError(
                f"The sheet {wrong[0]!r} tells the patient they have "
                f"{'emergency' if wrong[0] == hc.RED_FLAG_SHEETS['emergency'] else 'urgent'} red-flag signs, "
                + (f"but this case's standing red flag is {flags.tier} ({flags.headline}); its sheet is {lead!r}."
                   if flags is not None else "but no emergency or urgent red flag stands for this case. To teach "
                   "the warning signs, print 'warning_signs' (when to get help today); the routine next visit "
                   "is kept.")
                + " Nothing was printed.", exit_code=2)
        if lead is not None and lead not in sheets:
            sheets = [lead, *sheets]  # always first, whatever else was asked for
    medicine_sheets = [s for s in sheets if s in hc.MEDICINE_SHEETS.values()]
    if medicine_sheets and not confirm_unrecognised:
        unknown = unrecognised_medicines(case, day)
        if unknown:
            raise UnrecognisedMedicineError(
                f"Not recognised: {', '.join(repr(n) for n in unknown)}. Its interactions were not checked, so "
                f"the medicine sheet(s) {', '.join(medicine_sheets)} would print a dose that is not fully checked. "
                "Correct the medicine name, leave the medicine sheets out, or confirm (--confirm-unrecognised).",
                exit_code=2)
    from radiculopathy_desktop.domain.monitoring import next_visit_decision

    # redflag36 (H-PATH-914): whether a routine visit is printed is the assessment's one decision (the
    # triage tier and the referral awaited), never read from the sheets chosen: an emergency case printed
    # with only routine sheets still gets no routine visit (the red-flag sheet is put first and the notice
    # says why)
    visit = next_visit_decision(case, day, profile=profile)
    awaiting = visit.referred_on
    p = case.patient
    return HandoutRequest(
        patient_name=p.name or p.id,
        clinician=clinician or clinician_of(case) or LABELS[lang]["your_clinician"],
        clinic_name=clinic_name or LABELS[lang]["your_clinic"],
        clinic_contact=clinic_contact or LABELS[lang]["appointment_card"],
        date=as_of,
        # path34: after a referral no routine visit is booked: no date unless the clinician gives one;
        # redsheet35: nor while an emergency or urgent red flag stands (its action is now or today)
        next_follow_up_date=next_follow_up or visit.date,
        awaiting_opinion=awaiting if next_follow_up is None else None,
        visit=visit,
        lang=lang,
        sheets=tuple(sheets),
        doses=dict(doses),
        large_print=large_print,
        paper=paper,
        country=country,
        clinic_name_given=clinic_name or "",
        clinic_contact_given=clinic_contact or "",
        clinician_given=clinician or clinician_of(case) or "",
        red_flags=flags,
        left_out=left_out,
        ask_first=_questions_to_ask(case, day) if flags is None else (),
        decided=decided_despite_flag(case, flags, day),
        not_offered=not_offered,
        opioid_patch=wears_opioid_patch(case, day),
        unrecognised_patch=wears_unrecognised_patch(case, day),
        possible_patches=possible_opioid_patches(case, day),
        unrecognised=unrecognised_current(case, day),
        form_not_known=form_not_known_medicines(case, day),
        topical_patches=topical_patches_used(case, day),
        never_stopped_at_once=_taken_never_stopped_at_once(case, day, lang),
        other_medicines=other_medicine_alerts(case, day, lang, profile, weeks_on=as_of if as_of != day else None),
        unsheeted_dose_checks=unsheeted_dose_checks(case, day, profile),
        weekly_asked=weekly_asked_medicines(case, day, profile),
        profile=profile,
    )


def _taken_never_stopped_at_once(case: Case, as_of: dt.date, lang: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    from radiculopathy_desktop.domain import medications

    out = []
    report = medications.assess_medications(case.intake, as_of)
    for med in report.current_medicines:
        if _never_stopped_at_once(med):
            generics = []
            for g in med.generics:
                try:
                    generics.append(tr_drug(lang, g))
                except MissingTranslationError:
                    generics.append(g)
            with _judging(report):  # named as the sheets name it (words33, H-MED-694)
                out.append((_med_name(med, lang), tuple(generics)))
    return tuple(dict.fromkeys(out))


def _not_suddenly_box(sheets: list[hc.HandoutSheet], req: "HandoutRequest",
                      told: frozenset[str] = frozenset()) -> list[hc.HandoutSheet]:
    """A boxed "Do not stop it suddenly" naming each medicine of the taper data taken now for which
    no printed sheet prints a taper sentence (``told``: ``MedicineDose.not_suddenly_for`` of the
    printed sheets), first on the first sheet that is not a red-flag sheet (gp19 F3). Whether a
    sheet merely names the medicine does not count: a caution box that asks about diazepam said
    nothing of stopping it (rt21 F3)."""
    if not sheets or not req.never_stopped_at_once:
        return sheets
    missing = list(dict.fromkeys(name for name, _generics in req.never_stopped_at_once if name not in told))
    if not missing:
        return sheets
    them = "_them" if len(missing) > 1 else ""
    box = hc.HandoutSection(heading=tr(req.lang, "not_suddenly_heading" + them),
                            paragraphs=(tr(req.lang, "not_suddenly_box" + them, others=_joined(missing, req.lang)),),
                            important=True)
    at = next((i for i, s in enumerate(sheets) if s.id not in hc.RED_FLAG_SHEETS.values()), 0)
    sheets = list(sheets)
    sheets[at] = replace(sheets[at], sections=(box, *sheets[at].sections))
    return sheets


#: The handout sources (resources/handouts/sources.toml) of a ``patient_words`` key's plain words,
#: printed on the Sources line of the sheet that carries the block (sheet28): the Plavix label and
#: the FDA's 2009 and 2012 notices, and the MHRA's 2010 advice (rules.toml ix-clopidogrel-omeprazole).
PATIENT_WORDS_SOURCES = {"clopidogrel_ppi": ("clopidogrel-omeprazole-fda", "mhra-clopidogrel-ppi-2010")}


def _alert_rules(alert, report) -> tuple[str, ...]:
    """The rule ids behind one of :func:`~radiculopathy_desktop.domain.medicine_alerts.medicine_alerts`'
    alerts (rated avoid or worse), from the same report: an interaction's, a note's, or the reasons of
    the rows of the medicines it names."""
    meds = set(alert.medicines)
    if alert.kind == "interaction":
        return tuple(i.rule for i in report.interactions if set(i.medicines) == meds)
    if alert.kind == "note":
        return tuple(n.rule for n in report.current_notes if set(n.medicines) == meds)
    return tuple(r.rule for row in report.rows if row.currently_taking and meds.intersection(row.current_medicines)
                 for r in row.reasons if _rank(r.severity) >= MedicineStatus.AVOID.rank)


def _alert_why(rules, report, data, lang: str, together: bool, profile: str = "us",
               count: int = 1) -> tuple[str, tuple[str, ...]]:
    """Why, in plain words (a clause), the check rates it, and the handout sources of those words:
    a pregnancy rule's own "why" (:data:`PREGNANCY_STOP_WHY`, worded by the source the rule rests on
    under the profile), a pair's ``patient_words`` (rules.toml), "it may not be safe in pregnancy",
    else "your clinician will tell you why". From the rules, never from a medicine's name; worded for ``count``
    products (wording30: "each of them contains misoprostol", "they may not be safe")."""
    country = "uk" if profile == "uk" else None
    pregnancy = pregnancy_rule_ids(data) | {n.id for n in data.current_notes if getattr(n, "pregnant", False)}
    for rule in rules:
        if rule in PREGNANCY_STOP_WHY:
            ids = next((tuple(x.source_ids) for row in report.rows for x in row.reasons if x.rule == rule), ())
            by_source = [PREGNANCY_WHY_BY_SOURCE[x] for x in ids if x in PREGNANCY_WHY_BY_SOURCE]
            key = by_source[0] if by_source else PREGNANCY_STOP_WHY[rule][0]
            why_sources = PREGNANCY_STOP_WHY[rule][1]
            return (tr(lang, _numbered(key + "_clause", count)),
                    tuple(why_sources.get(country, why_sources.get(None, ()))))
    for rule in rules:
        if rule in PREGNANCY_AVOID_WHY:  # handout29: NSAIDs from 20 weeks, the profile's source's reason
            key, ids = PREGNANCY_AVOID_WHY[rule].get(profile, PREGNANCY_AVOID_WHY[rule][None])
            return tr(lang, _numbered(key + "_clause", count)), ids
    for rule in rules:
        words = data.patient_words.get(rule)
        if words and together:
            return tr(lang, f"why_{words}"), PATIENT_WORDS_SOURCES.get(words, ())
    if any(rule in pregnancy for rule in rules):
        return tr(lang, _numbered("avoid_in_pregnancy", count)), ()
    return tr(lang, _numbered("avoid_general", 2 if together else count)), ()


#: the placeholders a block's sentence keeps for print time (HandoutRequest.values)
_KEPT = {"clinic_name": "{clinic_name}", "clinic_contact": "{clinic_contact}"}


def other_medicine_alerts(case: Case, day: dt.date, lang: str = "en", profile: str = "us",
                          weeks_on: dt.date | None = None) -> tuple[OtherMedicineAlert, ...]:
    """Every current medicine the window's alerts rate Contraindicated or Avoid (one rule:
    :func:`~radiculopathy_desktop.domain.medicine_alerts.medicine_alerts`, on the case as it
    stands on ``day`` and the pregnancy weeks on ``weeks_on``, the sheet's date), worded for the
    patient with the reason in plain words (sheet28). "Do not take it" for one medicine rated
    Contraindicated for the patient herself and safe to stop at once (misoprostol in pregnancy), as
    a sheet says it (H-MED-452); for a pair taken together (clopidogrel with omeprazole) which one
    changes is the prescriber's choice, so it asks, and says not to stop either on their own; a
    medicine never stopped at once (classes.toml ``[stop_gradually]``) is never "do not take it"."""
    from radiculopathy_desktop.domain import medications
    from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts

    report = medications.assess_medications(case.intake_as_of(day), weeks_on or day, profile=profile)
    data = medications.load_medicine_data()
    by_name = {m.name: m for m in report.current_medicines}
    out: list[OtherMedicineAlert] = []
    for alert in medicine_alerts(report):
        if _rank(alert.status) < MedicineStatus.AVOID.rank:
            continue
        meds = [by_name[n] for n in alert.medicines if n in by_name]
        if not meds:
            continue
        with _judging(report):  # words33 (H-MED-694): no dose the check asks about printed in a name
            names = _joined(list(dict.fromkeys(_med_name(m, lang) for m in meds)), lang)
            shown = len(set(_med_name(m, lang) for m in meds))
        together = alert.kind == "interaction" and len(meds) > 1
        why, sources = _alert_why(_alert_rules(alert, report), report, data, lang, together, profile, shown)
        tapered = any(_never_stopped_at_once(m) for m in meds)
        if together:
            heading, paragraphs = "avoid", (tr(lang, "other_together_box", products=names, why=why),)
        elif tapered:
            heading, paragraphs = "avoid", (tr(lang, _numbered("other_taper_box", len(meds)), products=names,
                                               why=why),)
        elif alert.status == MedicineStatus.CONTRAINDICATED:
            them = "_them" if len(meds) > 1 else ""  # "or whoever prescribed them" (handout29)
            heading, paragraphs = "stop" + them, (tr(lang, "stop_box" + them, products=names, why=why),
                                           tr(lang, "stop_contact" + them, **_KEPT))
        else:
            them = "_them" if len(meds) > 1 else ""
            heading, paragraphs = "avoid", (tr(lang, "avoid_box" + them, products=names, why=why),
                                            tr(lang, "avoid_contact" + them, **_KEPT))
        out.append(OtherMedicineAlert(tuple(alert.medicines), heading, paragraphs, MedicineStatus(alert.status).value,
                                      sources, together))
    return (*out, *_contraception_boxes(case, report, lang, out))


#: handout29 (H-MED-522): the generics whose label requires effective birth control of a patient who could
#: get pregnant while she takes them -> (the EN_TEMPLATES key of the box, the handout sources it rests on).
#: Misoprostol (Cytotec; in Arthrotec with diclofenac): boxed warning, contraindicated in pregnancy (birth
#: defects, abortion, premature birth, uterine rupture); a woman of childbearing potential only with effective
#: contraception (misoprostol-label, arthrotec-label).
CONTRACEPTION_BOXES = {"misoprostol": ("contraception_misoprostol_box", ("misoprostol-label", "arthrotec-label"))}


def _contraception_boxes(case: Case, report, lang: str, alerts) -> tuple[OtherMedicineAlert, ...]:
    """The block telling a patient not recorded male who takes a medicine of :data:`CONTRACEPTION_BOXES` now
    to use reliable birth control and to say at once if she may be pregnant (in conditional words: "If you
    could get pregnant"; no age bound is read from a source). Left out when an alert about that medicine is
    already said (pregnant: "Do not take it"); a printed sheet that covers the medicine (the NSAID sheet of
    Arthrotec, whose own bullet says so) leaves it out too (:func:`other_medicines_printed`)."""
    from radiculopathy_desktop.domain.intake import pregnancy_allowed

    if not pregnancy_allowed(case.intake.patient.sex):  # the one rule the intake reads a pregnancy by
        return ()
    alerted = {n for a in alerts for n in a.medicines}
    out = []
    for generic, (key, sources) in CONTRACEPTION_BOXES.items():
        meds = [m for m in report.current_medicines if generic in m.generics and m.name not in alerted]
        if meds:
            said = list(dict.fromkeys(_med_name(m, lang) for m in meds))
            out.append(OtherMedicineAlert(tuple(m.name for m in meds), "contraception",
                                          (tr(lang, _numbered(key, len(said)), products=_joined(said, lang), **_KEPT),),
                                          "birth control advice", sources))
    return tuple(out)


def _other_medicines_box(sheets: list[hc.HandoutSheet], req: "HandoutRequest") -> list[hc.HandoutSheet]:
    """The boxes naming each current medicine rated Contraindicated or Avoid that no printed medicine
    sheet covers (:func:`other_medicines_printed`: ``MedicineDose.covers`` of the printed sheets, an
    alert naming one of them is that sheet's, whose box names the pair; ``MedicineDose.also_names``,
    the other medicines their boxes ask about: an alert about those alone is said there), first on
    the first sheet that is not a red-flag sheet, else last on the red-flag sheet (sheet28)."""
    if not sheets or not req.other_medicines:
        return sheets
    left = other_medicines_printed(req)
    if not left:
        return sheets
    values = req.values()
    boxes = tuple(hc.HandoutSection(heading=LABELS[req.lang][a.heading],
                                    paragraphs=tuple(hc.fill(t, values) for t in a.paragraphs), important=True)
                  for a in left)
    sources = tuple(x for a in left for x in a.sources)
    at = next((i for i, s in enumerate(sheets) if s.id not in hc.RED_FLAG_SHEETS.values()), None)
    sheets = list(sheets)
    if at is None:
        last = sheets[-1]
        sheets[-1] = replace(last, sections=(*last.sections, *boxes),
                             sources=tuple(dict.fromkeys((*last.sources, *sources))))
    else:
        first = sheets[at]
        sheets[at] = replace(first, sections=(*boxes, *first.sections),
                             sources=tuple(dict.fromkeys((*first.sources, *sources))))
    return sheets


def wears_opioid_patch(case: Case, as_of: dt.date) -> bool:
    """A current medicine on ``as_of`` is, or may be, a fentanyl or buprenorphine skin patch
    (gp19 F1): "fentanyl 25" with no form written is treated as one (rt21 F4). A medicine not
    recognised whose name says it is a patch is :func:`wears_unrecognised_patch` (rt23 F2)."""
    from radiculopathy_desktop.domain import medications

    data = medications.load_medicine_data()
    return any(medications.may_be_opioid_patch(m, data)
               for m in medications.assess_medications(case.intake, as_of).current_medicines)


def wears_unrecognised_patch(case: Case, as_of: dt.date) -> bool:
    """A current medicine on ``as_of`` is not recognised but its name says it is a skin patch
    ("Carlosafine 10 micrograms/hour patch": src21, gp20 F3): it may be an opioid patch not yet in
    the data, so the sheets never advise heat over it; but it makes no medicine sheet a patch
    sheet (rt23 F2)."""
    from radiculopathy_desktop.domain import medications

    data = medications.load_medicine_data()
    # a lidocaine plaster or a capsaicin patch is known to be no opioid: its own words (sht24)
    return any(data.unrecognised_patch(m) and data.topical_patch(m.name) is None
               for m in medications.assess_medications(case.intake, as_of).current_medicines)


def topical_patches_used(case: Case, as_of: dt.date) -> tuple[str, ...]:
    """The substances of the skin plasters or patches that are no opioid among the current medicines
    on ``as_of`` (the medicine data's ``topical_patch``: "Versatis", "Lidoderm", "lidocaine 5% plaster"
    -> "lidocaine"; "Qutenza" -> "capsaicin"), in the order recorded (sht24)."""
    from radiculopathy_desktop.domain import medications

    data = medications.load_medicine_data()
    found = (data.topical_patch(m.name) for m in medications.assess_medications(case.intake, as_of).current_medicines)
    return tuple(dict.fromkeys(x for x in found if x is not None))


def possible_opioid_patches(case: Case, as_of: dt.date) -> tuple[str, ...]:
    """The current medicines (as recorded) that are fentanyl or buprenorphine written with no
    form ("fentanyl 25"): the sheets treat them as a patch and the clinician is asked to record
    the form (rt21 F4)."""
    from radiculopathy_desktop.domain import medications

    data = medications.load_medicine_data()
    return tuple(dict.fromkeys(m.name for m in medications.assess_medications(case.intake, as_of).current_medicines
                               if data.patch_form(m) == "possible"))


def _questions_to_ask(case: Case, as_of: dt.date) -> tuple[str, ...]:
    """The red-flag questions the triage says to ask now (unanswered cauda equina questions,
    or every question when none was answered), as every other surface asks them."""
    from radiculopathy_desktop.domain.triage import triage_case

    return tuple(triage_case(case, as_of).must_ask)


# --------------------------------------------------------------------------- HTML
def filled_sheets(req: HandoutRequest) -> list[hc.HandoutSheet]:
    """The requested sheets in print order, placeholders filled; UserError if one
    cannot be filled (e.g. a medicine sheet with no dose for this patient)."""
    available = hc.sheet_ids(req.lang)
    unknown = [s for s in req.sheets if s not in available]
    if unknown:
        raise UserError(f"Unknown handout sheet(s): {', '.join(unknown)}. "
                        f"Available in {req.lang}: {', '.join(available)}.", exit_code=2)
    if not req.sheets:
        raise UserError("No handout sheets selected.", exit_code=2)
    ordered = sorted(dict.fromkeys(req.sheets), key=hc._order_key)
    out = []
    told: set[str] = set()  # the medicines a printed sheet says not to stop suddenly (rt21 F3)
    for sheet_id in ordered:
        sheet = hc.for_country(hc.load_sheet(sheet_id, req.lang), req.country)
        # path34: no routine visit after a referral unless the clinician gave a date
        # redsheet35: nor while an emergency or urgent red flag stands without a referral: the red-flag sheet first
        sheet = hc.for_awaiting_opinion(sheet, req.next_follow_up_date is None,
                                        red_flag=req.awaiting_opinion is None and req.red_flag_no_visit is not None)
        # A medicine sheet is a patch sheet only when the patient's own medicine of it is (or may
        # be) a fentanyl or buprenorphine patch; an unrecognised patch touches only the heat advice
        # of the other sheets (rt23 F2: a nicotine patch made a codeine sheet "a strong pain patch").
        if sheet.medicine_class:
            own = req.doses.get(sheet.medicine_class)
            # each product its own form's sections (a buccal tablet's beside a patch: rt24 F5)
            sheet = hc.for_patch(hc.for_forms(sheet, own.forms if own is not None else ()), req.opioid_patch)
        else:
            sheet = hc.for_patch(sheet, req.opioid_patch or req.unrecognised_patch,
                                 possible_only=not req.opioid_patch)
        # a lidocaine plaster or capsaicin patch: its own box, no opioid's words (sht24)
        sheet = hc.for_topical(sheet, req.topical_patches)
        dose = req.doses.get(sheet.medicine_class) if sheet.medicine_class else None
        if dose is not None:
            told.update(dose.not_suddenly_for)
            sheet = hc.for_taken_count(sheet, dose.taken_count)  # "you already take them" (words33, H-UI-522)
        if sheet.medicine_class:
            # each medicine's own points only for the patient's medicine (mr16, H-MED-225)
            sheet = hc.for_medicines(sheet, dose.generics if dose is not None else ())
        # a together box that also asks whether to keep taking them at all asks first too (wording29, H-UI-458)
        asks_first = dose is not None and not dose.above_max and (
            bool(dose.avoid_box) and not dose.together_box or dose.together_asks_at_all)
        # sheetplan35 (H-MED-720): a product holding an opioid is never "stop and tell us" (its own how-to-take lines)
        sheet = hc.for_holding_tapered(sheet, dose is not None and dose.holds_tapered)
        # how to take it, except on a sheet that asks whether to take it at all (uk17)
        sheet = replace(sheet, sections=tuple(replace(s, taking=(), bullets=s.bullets if asks_first
                                                      else (*s.taking, *s.bullets)) for s in sheet.sections))
        if dose is not None and dose.above_max:
            # Taking more than the maximum now: say so first; no "we start low" for them. A dose
            # far above any usual one where the label states no maximum: "check your dose".
            # sheet2 (H-UI-505): far above the label's daily maximum (sheetwords F4: contact today, take no more)
            # is headed as the overdose it may be, never "check your dose before you take more"
            heading = LABELS[req.lang][("check_dose_patch" if dose.patch else
                                        "check_dose_far" if dose.far_above_max else "check_dose") if dose.dose_check
                                       # H-MED-722: "too high" only of an amount the record says, not one read either way
                                       else "check_dose" if dose.amount_guessed else "above_max"]
            box = hc.HandoutSection(heading=heading, paragraphs=(dose.above_max,),
                                    important=True)
            # coco34 (H-MED-708): a product the prescriber changes (co-codamol above the paracetamol maximum): no
            # "Do not take more than 4000 mg in a day" under "Your dose" beside "do not cut it down on your own"
            # (the overdose line elsewhere keeps it: "4000 mg of paracetamol")
            unmaxed = _without_max if dose.combined else (lambda s: s)
            if dose.limit_harm and not dose.combined:
                # sheets36 (H-MED-742): the limit is another ingredient's: its own harm, never the sheet medicine's
                unmaxed = functools.partial(_limit_harm_said, harm=dose.limit_harm)
            sheet = replace(sheet, sections=(box, *(unmaxed(_taken_now(replace(s, starting=(), new_course=())))
                                                    for s in sheet.sections)),
                            sources=tuple(dict.fromkeys((*sheet.sources, *dose.limit_sources,
                                                         *(dose.limit_harm_sources if dose.limit_harm else ())))))
        elif dose is not None and dose.together_box:
            # Two products rated "avoid" together: say so first, never "keep taking" (rt10 F2).
            box = hc.HandoutSection(heading=LABELS[req.lang]["together_several" if dose.together_count > 2
                                                             else "together"],
                                    paragraphs=(dose.together_box,), important=True)
            sheet = replace(sheet, sections=(box, *(_keep_current(s, dose) for s in sheet.sections)))
        elif dose is not None and dose.avoid_box and dose.high_dose:
            # A high opioid dose (mme21): the box says so and not to change or stop it on their
            # own; no "ask before your next dose" (a missed dose is a sudden stop), no maximum
            box = hc.HandoutSection(heading=LABELS[req.lang]["high_dose_if_pain" if dose.high_dose_if_pain
                                                             else "reassess_dose" if dose.reassess else "high_dose"],
                                    paragraphs=(dose.avoid_box,),
                                    important=True)
            sheet = replace(sheet, sections=(box, *(_without_max(_keep_current(s, dose)) for s in sheet.sections)))
        elif dose is not None and dose.avoid_box:
            # Taken now although rated avoid for this patient: ask first, never "keep taking" (rt11 F3).
            box = hc.HandoutSection(heading=LABELS[req.lang][("stop_them" if dose.stop_them else "stop")
                                                             if dose.stop_now else
                                                             "avoid_patch" if dose.patch else "avoid"],
                                    paragraphs=(dose.avoid_box,), important=True)
            # No "do not take more than" ceiling on a sheet that asks whether to take it at all: the
            # label's maximum read as permission, 2.7 times the dose taken (rd13 D7).
            # It says what to do instead of how to keep taking it: contact us or the prescriber
            # before the next dose (uk17: "Take it with food" was printed under this box).
            sheet = replace(sheet, sections=(box, *(_ask_first(_without_max(_keep_current(s, dose)), req.lang,
                                                               dose.stop_now, dose.patch,
                                                               them=len(set(dose.covers)) > 1)
                                                    for s in sheet.sections)))
        elif dose is not None and dose.taken_now is not None:
            # Taken now: "keep taking your current dose"; no "we start low" for them (rt9 F2).
            sheet = replace(sheet, sections=tuple(_keep_current(s, dose) for s in sheet.sections))
        elif dose is not None and dose.after_dose and not any(s.kidneys for s in sheet.sections):
            # Not taken yet, kidney function unknown, no kidney section of its own: "ask about your
            # kidneys before you start it" right after the starting dose (rt11 F5).
            sheet = replace(sheet, sections=tuple(_after_dose(s, dose.after_dose) for s in sheet.sections))
        if dose is not None and dose.max_sources and not (dose.above_max or dose.avoid_box or dose.together_box):
            # the maximum printed is the medicine's own label's (diclofenac without a row): named (handout29)
            sheet = replace(sheet, sources=tuple(dict.fromkeys((*sheet.sources, *dose.max_sources))))
        if dose is not None and not dose.above_max and (dose.why_sources or dose.limit_sources):
            # handout29 (H-MED-521): the Sources line names what a box asking first says: a label maximum
            # said under it ("that is also more than the most for you (15 mg a day)": the meloxicam label),
            # and the source of its pregnancy "why" (FDA 2020, MHRA 2023)
            boxes = " ".join(b for b in (dose.avoid_box, dose.together_box) if b)
            said = dose.limit_sources if dose.ask_first_note and dose.ask_first_note in boxes else ()
            sheet = replace(sheet, sources=tuple(dict.fromkeys((*sheet.sources, *said,
                                                                *(dose.why_sources if dose.avoid_box or dose.together_box
                                                                  else ())))))
        if dose is not None and dose.caution_box:
            # Rated CAUTION with another medicine taken now: named, boxed, after any box above
            # (ibuprofen beside long-term prednisolone: ask about stomach protection; rt12 F9).
            at = 1 if (dose.above_max or dose.together_box or dose.avoid_box) else 0
            box = hc.HandoutSection(heading=LABELS[req.lang]["caution"], paragraphs=(dose.caution_box,),
                                    important=True)
            sheet = replace(sheet, sections=(*sheet.sections[:at], box, *sheet.sections[at:]))
        if dose is not None and dose.pregnancy_box:
            # Pregnant and taking it now with a pregnancy warning: said first, in a box (rd13 D1).
            sources = tuple(dict.fromkeys((*sheet.sources, *pregnancy_sources(sheet.medicine_class, req.country,
                                                                              dose.pregnancy_rules))))
            if dose.pregnancy_only and dose.avoid_box and sheet.sections and \
                    sheet.sections[0].paragraphs == (dose.avoid_box,):
                # the box asks (or says "Do not take it") for the pregnancy alone: one box, its
                # question and reason said once, opened by the weeks (gp20 F13; rt22 F12)
                # "Do not take it": the pregnancy box's words (weeks, why, midwife, "Do not take it.")
                # are the box; asking: its weeks and midwife open the box that asks, with its reason
                first = replace(sheet.sections[0], paragraphs=(
                    (dose.pregnancy_box, *((dose.box_note,) if dose.box_note else ())) if dose.stop_now
                    else (dose.pregnancy_box, dose.avoid_box)))
                sheet = replace(sheet, sections=(first, *sheet.sections[1:]), sources=sources)
            else:
                box = hc.HandoutSection(heading=LABELS[req.lang][dose.pregnancy_heading],
                                        paragraphs=(dose.pregnancy_box,), important=True)
                sheet = replace(sheet, sections=(box, *sheet.sections), sources=sources)
        if dose is not None and dose.stop_now and dose.pregnancy_rules and not dose.pregnancy_box:
            # "Do not take it" with the pregnancy's "why" and no pregnancy box (a medicine without a
            # row of its own: diclofenac at 31 weeks, Arthrotec's misoprostol): its sources (sheet28)
            sheet = replace(sheet, sources=tuple(dict.fromkeys((*sheet.sources, *pregnancy_sources(
                sheet.medicine_class, req.country, dose.pregnancy_rules)))))
        # "Your dose is set for how well your kidneys work" only when it was (rt10 F3).
        # (a taken-now bullet not moved into the bullets above is not for this patient: a new course)
        sheet = hc.without_empty_sections(replace(sheet, sections=tuple(
            replace(_kidney_bullets(s, dose, req.lang), taken_now=()) for s in sheet.sections)))
        try:
            filled = hc.render_text(sheet, req.values(sheet))
            out.append(uk_wording(filled) if req.lang == "en" and req.country == "uk" else filled)
        except KeyError as exc:
            name = exc.args[0]
            if name in ("dose_range", "max_daily_dose"):
                raise UserError(f"The sheet {sheet_id!r} needs this patient's dose, and the medication "
                                f"engine gave none for {sheet.medicine_class}; leave the sheet out or "
                                "record the medicine first.", exit_code=2) from None
            raise UserError(f"The sheet {sheet_id!r} needs a value for {name}.", exit_code=2) from None
    return _weekly_asked_box(_other_medicines_box(_not_suddenly_box(out, req, frozenset(told)), req), req)


@lru_cache(maxsize=1)
def _uk_replacements() -> tuple["re.Pattern[str]", dict[str, str]]:
    """One pattern for every UK replacement (earlier entries win where two start at the same
    place), so a replaced text is never replaced again."""
    import re

    with open(resource_path("handouts", "uk_words.toml"), "rb") as fh:
        pairs = tomllib.load(fh)["replace"]
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(old) for old, _ in pairs) + r")(?![\w-])")
    return pattern, {old: new for old, new in pairs}


def country_words(text: str, lang: str, country: str) -> str:
    """``text`` (a sheet's title, say) as the printed sheet words it: an English sheet for a
    clinic in the United Kingdom in UK words (paracetamol, A&E: :func:`uk_wording`), so the
    handout dialog lists "Your medicine: paracetamol" as the sheet is titled (gp18 F7)."""
    if lang != "en" or country != "uk":
        return text
    pattern, table = _uk_replacements()
    return pattern.sub(lambda m: table[m.group(0)], text)


def uk_wording(sheet: hc.HandoutSheet) -> hc.HandoutSheet:
    """An English sheet in UK words (paracetamol, A&E, programme: resources/handouts/uk_words.toml)
    for a clinic in the United Kingdom (rd13 D21)."""
    pattern, table = _uk_replacements()

    def words(text: str) -> str:
        return pattern.sub(lambda m: table[m.group(0)], text)

    def many(texts: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(words(t) for t in texts)

    sections = tuple(replace(s, heading=words(s.heading), paragraphs=many(s.paragraphs), bullets=many(s.bullets),
                             starting=many(s.starting), kidneys=many(s.kidneys), new_course=many(s.new_course),
                             after=many(s.after)) for s in sheet.sections)
    return replace(sheet, title=words(sheet.title), intro=many(sheet.intro), sections=sections)


def _kidney_bullets(section: hc.HandoutSection, dose: MedicineDose | None, lang: str) -> hc.HandoutSection:
    """The section's ``kidneys`` bullets folded into its bullets; with kidney function unknown
    for this medicine, "ask whether your dose is right for your kidneys" instead."""
    if not section.kidneys:
        return section
    kidneys = (tr(lang, "kidney_check"),) if dose is not None and dose.kidney_unchecked else section.kidneys
    if dose is not None and dose.above_max and not dose.kidney_unchecked:
        # the box above says the dose is too high: it was not set for the kidneys (rd13 D8)
        kidneys = (tr(lang, "kidney_set_new"),)
    if dose is not None and dose.kidney_unchecked and kidneys[0] in dose.after_dose:
        kidneys = ()  # already said right after the dose
    return replace(section, kidneys=(), bullets=(*kidneys, *section.bullets))


def _keep_current(section: hc.HandoutSection, dose: MedicineDose) -> hc.HandoutSection:
    """``section`` for a medicine taken now: no starting bullets, and ``dose.after_dose``
    right after the paragraph that gives the dose."""
    return _taken_now(replace(_after_dose(section, dose.after_dose), starting=(), new_course=()))


def _taken_now(section: hc.HandoutSection) -> hc.HandoutSection:
    """``section`` with its bullets for a medicine taken now (``taken_now``) before its other
    bullets: the steroid sheet's "take it at the times your prescriber told you" (rt14 F9)."""
    if not section.taken_now:
        return section
    return replace(section, bullets=(*section.taken_now, *section.bullets), taken_now=())


def _ask_first(section: hc.HandoutSection, lang: str, stop_now: bool = False,
               patch: bool = False, them: bool = False) -> hc.HandoutSection:
    """The section that gives the dose, on a sheet that asks the patient to ask before the next
    dose whether to keep taking it: headed "Before your next dose", with whom to contact first
    as its first bullet (its how-to-take bullets, ``taking``, are already left out; uk17). A
    skin patch (``patch``): "Before your next patch" (gp20 F13)."""
    if not any("{dose_range}" in t for t in section.paragraphs):
        return section
    worn = "_patch" if patch and not stop_now else ""
    return replace(section, heading=LABELS[lang]["stop_heading" if stop_now else "avoid_heading" + worn],
                   bullets=(tr(lang, ("stop_contact" if stop_now else "avoid_contact" + worn) + ("_them" if them else ""),
                               clinic_name="{clinic_name}", clinic_contact="{clinic_contact}"),
                            *section.bullets))


def _without_max(section: hc.HandoutSection) -> hc.HandoutSection:
    """``section`` without the text that prints the daily maximum (``{max_daily_dose}``), if it is
    the section that gives the dose (an overdose warning elsewhere on the sheet stays)."""
    if not any("{dose_range}" in t for t in section.paragraphs):
        return section

    def keep(texts: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(t for t in texts if "{max_daily_dose}" not in t)
    return replace(section, paragraphs=keep(section.paragraphs), bullets=keep(section.bullets),
                   after=keep(section.after))


def _limit_harm_said(section: hc.HandoutSection, harm: str) -> hc.HandoutSection:
    """sheets36 (H-MED-742): ``section`` (the one that gives the dose) with ``harm`` in place of its paragraph that
    prints the daily maximum (``{max_daily_dose}``: "More than this can harm your liver" is the sheet medicine's own
    harm, wrong for another ingredient's limit). Other sections, an overdose line elsewhere, stay."""
    if not any("{dose_range}" in t for t in section.paragraphs):
        return section
    said = harm.replace("{", "{{").replace("}", "}}")
    return replace(section, paragraphs=tuple(said if "{max_daily_dose}" in t and "{dose_range}" not in t else t
                                             for t in section.paragraphs))


def _after_dose(section: hc.HandoutSection, after: tuple[str, ...]) -> hc.HandoutSection:
    """``section`` with ``after`` right after the paragraph that gives the dose (if it has it)."""
    paragraphs = list(section.paragraphs)
    at = next((i for i, t in enumerate(paragraphs) if "{dose_range}" in t), None)
    if at is not None and after:
        paragraphs[at + 1:at + 1] = after
    return replace(section, paragraphs=tuple(paragraphs))


def _css(pt: float) -> str:
    return f"""
    h1 {{ font-size: {pt * 1.6:.1f}pt; font-weight: bold; margin-top: 0; margin-bottom: {px(pt * 0.5)}px; }}
    h2 {{ font-size: {pt * 1.22:.1f}pt; font-weight: bold; margin-top: {px(pt * 1.1)}px;
          margin-bottom: {px(pt * 0.35)}px; }}
    p {{ margin-top: 0; margin-bottom: {px(pt * 0.55)}px; line-height: 125%; }}
    li {{ margin-bottom: {px(pt * 0.3)}px; line-height: 125%; }}
    ul {{ margin-top: 0; margin-bottom: {px(pt * 0.55)}px; }}
    p.intro {{ font-style: italic; margin-bottom: {px(pt * 0.3)}px; }}
    p.meta {{ font-size: {max(pt * 0.72, 8):.1f}pt; margin-top: {px(pt)}px; }}
    """


def _section_html(section: hc.HandoutSection, pt: float) -> str:
    parts = []
    parts.extend(f"<p>{escape(t)}</p>" for t in (*section.paragraphs, *section.new_course))
    bullets = (*section.starting, *section.bullets)
    if bullets:
        parts.append("<ul>" + "".join(f"<li>{escape(t)}</li>" for t in bullets) + "</ul>")
    parts.extend(f"<p>{escape(t)}</p>" for t in section.after)
    inner = "".join(parts)
    if section.important:
        # a heavy black box: stands out on a black-and-white printer
        return (f'<table width="100%" cellspacing="0" cellpadding="{px(pt * 0.7)}" '
                f'style="border-collapse: collapse; margin-top: {px(pt * 1.1)}px; margin-bottom: {px(pt * 0.4)}px">'
                f'<tr><td style="border: {px(2.25)}px solid black"><h2 style="margin-top: 0">'
                f'{escape(section.heading)}</h2>{inner}</td></tr></table>')
    return f"<h2>{escape(section.heading)}</h2>{inner}"


@lru_cache(maxsize=4096)
def _italic_has(ch: str) -> bool:
    """Whether the italic of the sheets' font draws ``ch`` itself (DejaVu Sans Oblique has no
    Arabic, which the upright and bold DejaVu Sans have)."""
    from PySide6.QtGui import QFont, QFontMetricsF

    from radiculopathy_desktop.reports.common import ensure_gui_app

    ensure_gui_app()
    font = QFont("DejaVu Sans")
    font.setItalic(True)
    return QFontMetricsF(font).inFontUcs4(ord(ch))


def upright_where_italic_lacks(text: str) -> str:
    """``text`` escaped for the italic intro ("This sheet is for …"), each run of letters the
    italic font cannot draw set upright, where the sheet's font has them (red-team rt8 F8:
    an Arabic name printed as empty boxes in the italic sentence but fine in the bold header)."""
    out: list[str] = []
    run: list[str] = []
    lacking = False
    for ch in printed(text):
        missing = not ch.isspace() and not _italic_has(ch)
        if missing != lacking and run:
            chunk = html.escape("".join(run))  # printed already (above): HTML-escaped only
            out.append(f'<span style="font-style: normal">{chunk}</span>' if lacking else chunk)
            run = []
        lacking = missing
        run.append(ch)
    if run:
        chunk = html.escape("".join(run))
        out.append(f'<span style="font-style: normal">{chunk}</span>' if lacking else chunk)
    return "".join(out)


def sheet_html(sheet: hc.HandoutSheet, lang: str, pt: float, first: bool, profile: str | None = None) -> str:
    """One sheet; its review line says the guidance the sheet follows with ``profile`` ("UK
    guidance": prof30), in the body, where it is never cut as a long footer line is."""
    labels = LABELS[lang]
    brk = "" if first else ' style="page-break-before: always"'
    parts = [f"<h1{brk}>{escape(sheet.title)}</h1>"]
    parts.extend(f'<p class="intro">{upright_where_italic_lacks(t)}</p>' for t in sheet.intro)
    # The review line sits under the title: at the end it could spill alone onto a new page.
    guidance = "" if profile is None else f"{escape(profile_words(profile, lang))} · "
    parts.append(f'<p class="meta">{labels["reviewed"]}: {long_date(sheet.reviewed, lang)} · {guidance}'
                 f'{labels["sources"]}: {escape(", ".join(hc.printed_sources(sheet, lang)))}</p>')
    parts.extend(_section_html(s, pt) for s in sheet.sections)
    return "".join(parts)


def header_html(req: HandoutRequest) -> str:
    """The running header: clinic and contact on the left; patient, date and clinician on the
    right, one to a line. The date and the clinician shared a line, which the Spanish labels
    and long date ran past the column: "Profesional: Dr" on one line, "Demo" under it (hd16)."""
    labels = LABELS[req.lang]
    e = escape
    clinic = req.clinic_name
    if clinic == labels["your_clinic"]:  # no clinic named: it opens the header, as "Your clinic" on page 1 (H-UI-518)
        clinic = clinic[:1].upper() + clinic[1:]
    return (
        '<table width="100%" cellspacing="0" cellpadding="0"><tr>'
        f'<td width="50%" valign="top"><b>{e(clinic)}</b><br/>{labels["contact"]}: {e(req.clinic_contact)}</td>'
        f'<td width="50%" valign="top" align="right">{labels["for"]}: <b>{e(req.patient_name)}</b><br/>'
        f'{labels["date"]}: {e(long_date(req.date, req.lang))}<br/>{labels["clinician"]}: {e(req.clinician)}</td>'
        '</tr></table>'
    )


def build_document(req: HandoutRequest) -> PagedDocument:
    pt = LARGE_POINT_SIZE if req.large_print else NORMAL_POINT_SIZE
    sheets = filled_sheets(req)
    body = "".join(sheet_html(s, req.lang, pt, i == 0, req.profile) for i, s in enumerate(sheets))
    html = f"<html><head><style>{_css(pt)}</style></head><body>{body}</body></html>"
    cv = req.content_version or guideline_content_version()
    return PagedDocument(
        body_html=html,
        header_html=header_html(req),
        footer_text=version_line(cv, req.lang),
        page_label=LABELS[req.lang]["page"],
        base_point_size=pt,
        title=f"{sheets[0].title}" if len(sheets) == 1 else "Patient handout",
        # a red-flag sheet fits on one page (two in large print), its spacing tightened if need be
        fit_pages=len(sheets) * (2 if req.large_print else 1)
        if all(s.id in hc.RED_FLAG_SHEETS.values() for s in sheets) else None,
        lang=req.lang,
    )


def write_handout_pdf(req: HandoutRequest, path: Path, *, overwrite: bool = True, on_complete=None) -> int:
    """Write the handout PDF, checked and atomically; return the page count.
    ``on_complete(pages)`` runs once the file is whole, before it is put in place."""
    return build_document(req).write_pdf(Path(path), req.paper, overwrite=overwrite, on_complete=on_complete)
