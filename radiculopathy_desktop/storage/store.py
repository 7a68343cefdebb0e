"""CaseStore: the one API the window and the commands use to read and write cases.

Everything returned is a domain object (:class:`~radiculopathy_desktop.domain.intake.Case`,
:class:`~radiculopathy_desktop.domain.settings.ReviewSettings`) or a small frozen
record defined here; SQL never leaks out. Mutating methods return a
:class:`Changes` saying what a view should refresh (Anki's ``OpChanges``).

Thread use: one ``CaseStore`` per thread (it wraps one SQLite connection). Two
processes (the window and a command) may write at once: each write takes the
lock with ``BEGIN IMMEDIATE`` and waits up to the busy timeout for the other.

Typical use::

    store = CaseStore.open(data_dir)            # or CaseStore.open(None): env / user folder
    result = store.import_cases(cases, user="dr.a")
    rows = store.worklist(as_of=today, limit=100)   # first page; offset=100 for the next
    counts = store.status_counts(as_of=today)
    change = store.add_visit("C-1", visit, user="dr.a")
    store.close()
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import json
import logging
import os
import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence

from radiculopathy_desktop.domain import clinic
from radiculopathy_desktop.domain.clinic import ClinicSettings
from radiculopathy_desktop.domain.followup import (ReviewStatus, freeze_legacy_acknowledgements, review_facts,
                                                   surgical_review)
from radiculopathy_desktop.domain.settings import ReviewSettings, decode_stored_json, default_review_settings
from radiculopathy_desktop.digests import sha256
from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.storage import db as dbmod
from radiculopathy_desktop.storage import engine_common
from radiculopathy_desktop.storage import upgrade_progress
from radiculopathy_desktop.storage import opening
from radiculopathy_desktop.storage.facts import (
    FACT_COLUMNS,
    HISTORY_VERSION,
    _json,
    facts_columns as _facts_columns,
    facts_key,
    history_insert_sql,
    history_rows,
)
from radiculopathy_desktop.storage.access import ACCESS_ACTIONS
from radiculopathy_desktop.storage.changes import Changes
from radiculopathy_desktop.domain.frozen import FrozenRecord
from radiculopathy_desktop.storage.outcome_counts import outcome_counts
from radiculopathy_desktop.storage.paths import database_path
from radiculopathy_desktop.storage import worklist as wl

if TYPE_CHECKING:  # pragma: no cover
    from radiculopathy_desktop.domain.followup import SurgicalReview
    from radiculopathy_desktop.domain.intake import Case, Decision, FollowUpVisit, Patient

# The case format (domain.intake: parsing, validation, the canonical JSON) is imported
# where a case is read or written, not here: showing the worklist needs none of it,
# and leaving it out keeps the window's start-up short.

log = logging.getLogger(__name__)

REVIEW_SETTING_NAMES = tuple(name for name in ReviewSettings._fields if name != "content_version")
CLINIC_NAME_KEY = "clinic_name"
#: The settings key naming the rule versions the stored derived data (review facts,
#: medicine alerts) was made with; a different value makes :meth:`CaseStore.open` run
#: :meth:`CaseStore.upgrade_derived_data` once.
DERIVED_VERSION_KEY = engine_common.DERIVED_VERSION_KEY
#: Who the local recompute's audit entry names: no person asked for it (the first open after an
#: upgrade runs it), as the local schema upgrade's own entries name "upgrade" (m011).
DERIVED_RECOMPUTED_USER = "upgrade"
#: Bump when domain.medications.dose_reductions / case_dose_reductions change what they
#: report (the medicine data files are covered by their digest): the next open then
#: recomputes every stored dose alert once.
#: 3 (wl17): the rows also keep the medicine-safety alerts as spans of days and the pregnancy.
#: 4 (rt17 F1, F6): every pregnancy answer recorded (visits too) and the spans followed over
#: the pregnancies recorded at visits and each birthday from the intake on.
#: 5 (fxa18, gp18 F3): a dose read from a name ("codeine 30mg qds") is checked too.
#: 6 (dose19, gp18 F9, F11): a dose far above a label maximum is "check the dose", every dose
#: above a label maximum "Reduce dose", and an interaction's mark keeps its reason and MME.
#: 7 (sheet21, gp20 F13): a regimen in a name with no strength typed says so ("no strength
#: typed"), not "the regimen in its name cannot be read".
#: 8 (mme22): a mark whose only reason is the opioid total keeps the rule's own label ("High
#: opioid dose", "Reassess opioid dose"), not "Avoid"; the labels and their order are code too.
#: 9 (mmx22, gp21 F1/F2): a patch brand with a marketed bare strength ("Mezolar Matrix 50") and a
#: count of patches ("25mcg/h x2") are counted in the opioid total, so a stored case on one now
#: has the opioid-total alert its worklist row lacked.
#: 10 (mme23): a mark keeps the patient's own opioid total with its label ("High opioid dose:
#: 120 MME/day") whatever else rates it (a fentanyl patch with diazepam read only "Avoid"); merged
#: with rx23's reading (a count with no space, "x2", "&"/"and" sums of patches, a 12 mcg/h patch at
#: its delivered 12.5, a patch's change interval), which changes stored marks too.
#: 11 (rt26): names as repeat-prescription lists write them are read ("apixaban (for AF)" with an
#: NSAID is now "Avoid"; "Apixaban®", "enoxaparin 40mg sc", "3/day", "2x10mg", "1,500 mg", "2.5 mg bd"
#: read; a dose by injection asked about), so a stored case on one has marks its row lacked.
#: 12 (route27): "ibuprofen 1200mg/day", "enoxaparin sc", "oxycodone 5mg q4-6hrs" are now recognised (their
#: interactions checked), and an injected opioid with a typed dose is "Check the dose", not counted in the MME
#: total, so a stored case on one has marks its row lacked (the code changed, not only the data digest).
#: 12 also (preg27, the same round; one bump derives both): an NSAID without a row of its own (diclofenac, celecoxib...) is rated by the NSAID
#: rows' rules about the patient (pregnancy, kidneys, heart failure...), so a stored case of a
#: pregnant patient on diclofenac has the Contraindicated mark its row lacked.
#: 13 (nsaiddose, H-MED-459): meloxicam, ketorolac (by mouth), celecoxib, diclofenac, etodolac, dexketoprofen
#: (and under uk piroxicam, indometacin, ketoprofen) have a label maximum (drugs.toml [dose_checks]); a stored case of "meloxicam 15mg bd" had no Reduce dose mark.
#: 14 (ukcv; 13 is another helper's of the same round): under uk diclofenac and the COX-2 inhibitors with
#: cardiovascular disease or heart failure are Contraindicated, aspirin at an analgesic dose is rated as
#: an NSAID and an antiplatelet with an anticoagulant is an interaction (new code: dose classes and
#: superseding notes, not only the data digest), so a stored case on one has marks its row lacked.
#: 15 (spell28; 13 and 14 are other round-28 branches'): "morphine 10mg 4 hrly", "every six hours", "thrice daily",
#: "cada 8 horas", "s.c.", "(sc)", "SQ", "PR", Targin, Zubsolv, Sublocade, levorphanol and pentazocine are now read
#: (their interactions checked, their doses counted or asked about), "every 1 hour" is asked about instead of read as
#: 24 doses, an injected opioid with no MME factor (diamorphine sc) is "Check the dose", and an NSAID with an
#: anticoagulant is one alert, not two: a stored case on one has marks its row lacked (code changed, not only data).
#: 17 (redteam; 16 is another round-28 branch's): "1/2 tab" is half a tablet (it was read as one), "10 μg" (Greek
#: mu) is micrograms (it was read as 10 mg), an opioid or NSAID written in micrograms ("morphine 10mcg qds") is asked
#: about, and aspirin is an analgesic dose when two lines add up above 325 mg a day or one line has a strength above
#: 325 mg ("aspirin 75mg + 600mg"), and "fentanyl 25 mcg/hr qds" is asked about (it was 100 mg a day): a stored case
#: on one has marks its row lacked (code changed, not only data).
#: 18 (combo28, H-MED-487): "Targin 10/5 bd", "Zubsolv 5.7/1.4mg od" and "Suboxone 8/2 od" are read as their
#: opioid (code changed, not only data): a stored case on one has a "Check the dose" mark its row no longer has,
#: and Targin's oxycodone now counts towards the MME.
#: 19 (the lead, merging round 28): one version above every branch of the round, so a tracker
#: derived by any of them is derived once more with all of them.
#: 20 (mtx, H-MED-497): methotrexate written with a daily dose ("methotrexate 10mg od", or a daily dose typed) is
#: "Check the dose" (drugs.toml weekly_only, read by new code): a stored case on one had no mark; aspirin above
#: its label maximum (H-MED-498, data) is "Reduce dose".
#: 26 (ukibu, H-MED-542/543): under uk, ibuprofen at 2400 mg a day or more (dexibuprofen 1200) with cardiovascular
#: disease, heart failure or a recent MI is "Avoid" (MHRA 2015; new [[dose_class]] and on_row code) and aceclofenac
#: "Contraindicated" (MHRA 2014): a stored uk case on one had a Caution mark or none.
#: 21 (esread, H-MED-502): Spanish regimens in a name ("2 comprimidos tres veces al día", "c/8h", "5 veces al día",
#: "10 mg al día") are read by new code: a stored case on one gets the Reduce dose / Check the dose mark it lacked.
#: 27 (round 29 merge): one value above every branch's (esread 21, ukibu 26), so a tracker upgraded by either
#: branch alone derives its marks once more with both.
#: 25 (forms29, H-MED-534..541): typed forms read by new code: "fentanyl 25mcg/24h" is no longer counted as a
#: 25 mcg/h patch, "bd x2", "stat" and "monthly" are "Check the dose", "½", "ii tabs", "1-0-1", "every other day"
#: (methotrexate so written: "Check the dose") and Arthrotec 50/75, Napratec, Suboxone 4/1 and 12/3 are read.
#: 28 (round 29 merge): above forms29's 25 and 27, so a tracker upgraded by an earlier build derives once more.
#: 22 (grams, H-MED-510; 21 is another round-29 branch's): a daily dose far below any usual dose ("paracetamol" with
#: 4 typed, 4 g meant) is "Check the dose" (drugs.toml [dose_check_far_below], read by new code): a stored case on one had no mark.
#: 29 (round 29 merge): above grams's 22 and 28.
#: 23 (handout29, H-UI-444): a pregnancy note's alert (misoprostol in pregnancy) carries the rating's action, so a
#: stored case's mark reads "Contraindicated: misoprostol 200 micrograms. Stop it and choose another option."
#: 30 (round 29 merge): above handout29's 23 and 29.
#: 34 (farbelow2, H-MED-566): a dose far below any usual dose of a medicine without a row (diclofenac 0.15 typed,
#: 150 mg meant; aspirin 0.3; codeine 0.24) is "Check the dose" (drugs.toml [dose_check_far_below.medicines]).
#: 31 (gptry29, H-MED-550/551): a Spanish course length ("durante 5 días") or "gramo(s)" in a name no longer
#: leaves the medicine not recognised, so a stored case gets its alerts (a second NSAID, a dose over the maximum).
#: 35 (round 29 merge): above gptry29's 31 and farbelow2's 34.
#: 32 (redteam29, H-MED-555..557): "every day", "every morning", "at night", "2 a day" are read (a stored
#: "methotrexate 10mg every day" had no mark; now "Check the dose"); "twice", "3 times" with no "a day" and
#: "2 tabs 2 a day" (two counts) ask.
#: 36 (round 29 merge): above redteam29's 32 and 35.
#: 33 (wording29): three or more NSAIDs' stored mark says "More than two NSAIDs ...; stop all but one", not "Two ...; stop one".
#: 37 (round 29 merge): above wording29's 33 and 36.
#: 38 (review29, H-MED-570/571/573): two counts with one frequency and "times" with no number are "Check the dose"
#: (were read to a lower dose), and weekly methotrexate in Spanish is recognised (its NSAID interaction was lost).
#: 39 (unread30, H-MED-574..576): a known medicine written with a regimen not read is recognised with its dose asked
#: (its interactions were lost as NOT RECOGNISED); "prn" with no most a day and "2 x 3" ask too.
#: 40 (esread2, H-MED-580..585): Spanish regimens that left a medicine NOT RECOGNISED ("c/8 hs", "todos los días",
#: "sobres", "1 comprimido de 600 mg") are read or asked, and methotrexate as needed or every second day is asked.
#: 44 (farbelow3, H-MED-590..592): a dose far below any usual dose of nortriptyline, carbamazepine, baclofen,
#: venlafaxine, tapentadol or dexibuprofen, or of a combination product's component (a strength typed in grams), is "Check the
#: dose", and dexibuprofen above 1200 mg a day is "Reduce dose" (its dose was not checked): stored marks change.
#: 42 (wording30, H-UI-461..463): an alert about several medicines says "them" ("stop or change them"; a contraindicated
#: pair "stop one of them"), and a "Check the dose" mark names only the product to check (fentanyl 25mcg/24h, not codeine).
#: 43 (intakemed, H-UI-468): "as needed" with no frequency and no daily dose ("ibuprofen 400 mg prn") is "Check the
#: dose" (how many a day at most?); it was shown OK, its maximum unchecked.
#: question is unread30's (one reading, its words).
#: 52 (weekly, H-MED-605): methotrexate written on more than one day a week ("twice weekly", "2 veces por semana", "on
#: Mondays and Thursdays", "every 3 days", "biweekly") is "Check the dose" naming the weekly hazard; it was silent, and
#: Spanish "N veces por semana" names were NOT RECOGNISED.
#: 51 (avoidside, H-MED-600..602): an NSAID with an anticoagulant names the NSAID(s) to review and keeps the
#: anticoagulant (a stored mark carries the medicine to keep as a fifth item); two NSAIDs beside it say that keeping one
#: does not end the risk: stored marks change.
#: 57 (readers31, H-MED-623/624): "2 comp/6h" (a count, a slash, the hours) is read as every 6 hours ("Reduce dose" at
#: 6,400 mg of ibuprofen), and "3 x 4" with no frequency is "Check the dose": the reader's code changed, stored marks change.
#: 53 (opioidnum, H-MED-611/612): an MME total counting an opioid dose to check is "provisional" in the opioid-total
#: marks ("High opioid dose: 600 MME/day, provisional"); a dose check's few words are its own kind's (a patch's
#: interval, a rate per 24 hours, methotrexate written daily, an injected opioid ...), never "far above any usual
#: dose", and a patch's check no longer reads "0 mg/day".
#: 62 (avoid2, H-MED-634..636): an NSAID row no longer repeats an NSAID + anticoagulant pair holding another NSAID (its
#: mark folds into the pair's); methotrexate written "bd once a week" (a weekly dose split over one day) is no longer
#: "Check the dose"; the once-weekly check's words ask for the one named day: stored marks change.
#: 73 and below (round 31 merge): above every round-31 branch (51..63) and the earlier merges.
#: 75 (round 31, H-MED-650): a patch count ("Durogesic 12 x3") is no longer asked as tablets: stored marks change.
#: 63 (readers32, H-MED-638..640): "ibuprofen 800 mg/4h" (a strength, a slash, the hours) is read as every 4 hours for a
#: medicine that is no patch ("Reduce dose" at 4,800 mg; it was silent), "cáps" is a count word (a stored "Nolotil 575 mg
#: 1 cáps c/8h" was NOT RECOGNISED) and metamizole with methotrexate is "Avoid": the reader's code changed, stored marks
#: change. (Assigned 63, below main's 70: the merge is to set a number above both.)
#: 85 (patch31, H-MED-665..667): a patch changed "c/72h" / "cada 72 horas" / "c/3 días" is read as its change interval
#: (a settled MME, no tablet question), alerts name the patch as recorded, and two counts of patches ("2 x 3") are
#: asked: stored marks change.
#: 83 (dialog31, H-UI-517): a dose check of a medicine whose name already says the dose ("paracetamol 16000 mg/day") no longer repeats it: stored texts change.
#: 84 (mtx31, H-MED-660..662): methotrexate once a day then a week word ("od weekly", "daily a week"), 3 or more doses on
#: one day ("qds sunday") and a bare week word after bd ("bd a week", "c/12h 1 semana") are asked again (round 31 made
#: them silent as a split weekly dose): stored marks change.
#: 91 (nxm, H-MED-675..677): an "N x M" with no frequency ("co-codamol 30/500 3 x 4") above a maximum whichever order
#: was meant is "Reduce dose" (or a far-above "Check the dose"), not only the question: stored marks change.
#: 90 (mtxavoid, H-MED-670..672): an interaction of two different kinds with no side to keep (an NSAID with methotrexate
#: or lithium, the triple whammy, clopidogrel with omeprazole, tramadol with an antidepressant ...) is a mark of the
#: pair reviewed with the prescriber ("ibuprofen and methotrexate together (review both with the prescriber)", a sixth
#: item 1 after an empty fifth), never both listed as to avoid; its plain action and a duplicate beside it say so:
#: stored marks change.
#: 92 (readers33, H-MED-680..685): names newly read or recognised ("ibuprofen 800mg per 4 hours", "por 4 horas" asked,
#: "paracetamol 100mg/5ml/8h", "methotrexate 15mg/week", "tramadol retard/LP", Zaldiar, dexketoprofeno, Enantyum) give
#: dose alerts, interactions and checks they did not: stored alerts change.
#: 96 (fold33, H-MED-698): an opioid written "N x M" ("oxycodone 20mg 3 x 4", N x M tablets a day either way) is counted
#: in the MME total, so stored marks gain the opioid-total labels ("High opioid dose: 360 MME/day"): stored alerts
#: change; and one pair matched by two rules (tramadol with phenelzine) is one mark at the stronger rating (H-MED-699).
#: And a row reason a pair alert already says is folded by the medicines it is about ("lithium 400mg"), H-MED-700.
#: 94 (path33, H-FU-910): a case whose patient would not consider surgery (the intake's answer "no") keeps
#: ``"consider": "no"`` in its row (the worklist's status says it), a case with nothing else marked included.
#: 103 (unrec34, H-MED-701): a current medicine whose name is not recognised but close to a known one ("naproxn 500mg
#: bd" beside "apixban 5mg bd": did you mean naproxen, apixaban?) is a "Not recognised" mark, so the Medicine alerts filter lists the case and its Why says to check the name:
#: stored marks change.
#: 104 (mmefold34, H-MED-706): an opioid row that carries the opioid total (MME_RULES) no longer repeats a reason a
#: pair alert says (morphine 60 mg/day with diazepam: the row's mark is "Reassess opioid dose", the pair's "Avoid";
#: it was "Avoid" on both): stored marks change.
#: 107 (nxread34, H-MED-710..712): an "N x M" before a week word ("oxycodone 20mg 3 x 4 per week") is a "check the dose"
#: (it said nothing); "N x M daily" / "a day" is read either way as plain "N x M" (its opioid total counted); a typed
#: daily dose that disagrees with an "N x M" is a "check the dose": stored marks change.
#: 109 (fhir34, H-MED-715): a medicine above its maximum beside a pair whose warning its row repeated (ibuprofen 3600
#: mg/day with lithium) is marked "Reduce dose" for its dose, the pair's "Avoid" being the pair's mark: stored marks change.
#: 112 (round 33 merge of fhir34): above every number before it.
#: 115 (fhirnsaid35, H-MED-724, H-MED-725): one medicine entered twice (dexketoprofeno with Enantyum) is the same
#: medicine twice (ix-same-nsaid-twice), not "Two NSAIDs together"; a strength with a decimal comma ("Zaldiar 37,5/325")
#: is read, so its dose alerts can appear: stored marks change.
#: 113 (typed35, H-MED-717/719): a dose to check is its own "Check the dose" mark even when the medicine's row or a pair
#: alerts for another reason (it was folded away: "oxycodone 20mg 3 x 4" with 40 mg/day typed showed only "Reassess
#: opioid dose"); "N x M x week", "x wk", "x weekly" are asked as "per week" (read as daily before): stored marks change.
#: 116 (round 35 merge of typed35): above every number before it.
#: 117 (zalmax35, H-MED-727): a row whose whole dose is one product with its own lower label maximum (Zaldiar 12 tablets
#: a day) has no "> max 400 mg/day" line beside the product's "> max 300 mg/day": stored marks change.
#: 118 (dose36, H-MED-730..737): a week frequency of a medicine not taken weekly ("oxycodone 20mg 2 x week") and a week
#: frequency beside a typed dose are "check the dose" (they said nothing); "3x4xweek" is read (NOT RECOGNISED before);
#: "3 x 4/d" is counted either way; a medicine entered twice beside another of its class is its own alert: stored
#: marks change.
#: 119 (sheets36, H-MED-746): a Reduce dose alert over a maximum read from a name cites the maximum's source only, not
#: the name-reading sources (the BNF frequency list quoted in full): stored alerts' sources change.
#: 120 (round 36 merge of sheets36): above every number before it.
#: 122 (nxd36, H-MED-757..762): an "N x M" question's verdict says the first two readings' total and the last's apart;
#: the opioid total says which reading it counted; "2 qds" is "2 tablets ... 4 times a day, 8 tablets a day"; a product
#: maximum names a count read from the name once: stored alerts' text changes.
#: 121 (arthro36, H-MED-750/751): "Arthrotec 75 3 times a day" is read as Arthrotec 75 (75/200), 225 mg diclofenac a day,
#: Reduce dose (it was "check the dose: no strength"); the Arthrotec check-the-dose asks misoprostol in micrograms: stored
#: alerts change.
#: 123 (round 36 merge of arthro36): above every number before it.
DOSE_ALERTS_VERSION = 123
#: domain.outcomes.OUTCOME_FACTS_VERSION (a test checks they are equal), here so that
#: reading the derived version imports no case-format code.
OUTCOME_FACTS_VERSION = 5


# --------------------------------------------------------------------------- records
# Hand-written frozen records (domain/frozen.py): a @dataclass(frozen=True) here cost about 4 M
# instructions at every start, before the window's first paint (issue 17).
class ImportResult(FrozenRecord):
    """Case ids added, updated (content changed) and unchanged (identical re-import)."""

    _fields = ("added", "updated", "unchanged", "acknowledged", "replaced", "removed", "changed",
               "closed_unanswered", "new_episodes", "pregnancy_differs", "kept_apart")

    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    #: the imported decisions that close or pause a case while acknowledging red flags, new to
    #: the tracker (``engine_common.imported_acknowledgements``): kept in the import's audit entry
    acknowledged: tuple
    #: what ``replace_records`` replaced at the intake of a stored case: a red flag answered
    #: "yes", a red flag the intake's examination, age or conditions raised, the patient's name,
    #: birth date, sex or age (``engine_common.ImportGuard``, rt10 F1/F5, rt11 F1)
    replaced: tuple
    #: the visits and decisions ``replace_records`` removed from stored cases
    #: (``engine_common.records_removed_in_detail``, red-team rt11 F13)
    removed: tuple
    #: what an update changed that moves what the clinician relies on, allowed and named: a
    #: case leaving Immediate, a red flag cleared by an added visit, the intake's medicines and
    #: conditions (``engine_common.ImportGuard.changed``, ``changed_summary``)
    changed: tuple
    #: the imported decisions new to the tracker that discharge a case or record that the patient
    #: declined over unanswered cauda equina questions (``engine_common.imported_closings_unanswered``,
    #: red-team rt14 F7): kept in the import's audit entry as ``closed_with_unanswered_red_flags``
    closed_unanswered: tuple
    #: the new cases added as a deliberate new episode while their patient had an open case
    #: (``engine_common.OpenCaseCheck.audit``, gp14 G10): kept in the import's audit entry
    new_episodes: tuple
    #: the pregnancy answers contradicted between one patient's cases, new with this import
    #: (``engine_common.OpenCaseCheck.pregnancy_audit``, gp17 F5): dicts with the day, the two
    #: cases, the weeks and ``text``; kept in the import's audit entry (without the text)
    pregnancy_differs: tuple
    #: new patient IDs whose patient key other IDs already hold for different people (name, birth
    #: date or sex differ; ``engine_common.OpenCaseCheck.kept_apart_audit``, fxc18): dicts with
    #: ``case_id``, ``patient_id`` and ``other_patient_ids``; kept in the import's audit entry
    #: as ``patient_ids_kept_apart``
    kept_apart: tuple

    def __init__(self, added: tuple[str, ...] = (), updated: tuple[str, ...] = (), unchanged: tuple[str, ...] = (),
                 acknowledged: tuple = (), replaced: tuple = (), removed: tuple = (), changed: tuple = (),
                 closed_unanswered: tuple = (), new_episodes: tuple = (), pregnancy_differs: tuple = (),
                 kept_apart: tuple = ()):
        self._set_fields(added, updated, unchanged, acknowledged, replaced, removed, changed, closed_unanswered,
                         new_episodes, pregnancy_differs, kept_apart)

    @classmethod
    def of_import(cls, added: Sequence[str], updated: Sequence[str], unchanged: Sequence[str],
                  acknowledged: Sequence, guard: "engine_common.ImportGuard",
                  opened: "engine_common.OpenCaseCheck | None") -> "ImportResult":
        """What an import did, from its lists and checks, the same on both engines."""
        return cls(tuple(added), tuple(updated), tuple(unchanged), tuple(acknowledged),
                   tuple(guard.replaced), tuple(guard.removed), tuple(guard.changed),
                   tuple(guard.closed_unanswered), tuple(opened.audit() if opened is not None else ()),
                   tuple(opened.pregnancy_audit() if opened is not None else ()),
                   tuple(opened.kept_apart_audit() if opened is not None else ()))

    @property
    def changes(self) -> "Changes":
        ids = self.added + self.updated
        return Changes(case_ids=ids, worklist=bool(ids), patients=bool(ids))


class AuditEntry(FrozenRecord):
    _fields = ("id", "at", "user", "action", "case_id", "detail")
    id: int
    at: str  # UTC ISO timestamp
    user: str
    action: str
    case_id: str | None
    detail: dict

    def __init__(self, id: int, at: str, user: str, action: str, case_id: str | None, detail: dict):
        self._set_fields(id, at, user, action, case_id, detail)


class PatientMatch(FrozenRecord):
    _fields = ("patient_id", "name", "birth_date", "age_years", "sex", "case_ids")
    patient_id: str
    name: str | None
    birth_date: dt.date | None
    age_years: int | None
    sex: str
    case_ids: tuple[str, ...]

    def __init__(self, patient_id: str, name: str | None, birth_date: dt.date | None, age_years: int | None,
                 sex: str, case_ids: tuple[str, ...]):
        self._set_fields(patient_id, name, birth_date, age_years, sex, case_ids)


class StoredAssessment(FrozenRecord):
    _fields = ("id", "case_id", "visit_date", "content_version", "assessment", "created_at", "created_by")
    id: int
    case_id: str
    visit_date: dt.date
    content_version: str
    assessment: dict
    created_at: str
    created_by: str

    def __init__(self, id: int, case_id: str, visit_date: dt.date, content_version: str, assessment: dict,
                 created_at: str, created_by: str):
        self._set_fields(id, case_id, visit_date, content_version, assessment, created_at, created_by)


class CaseNotFound(UserError):
    def __init__(self, case_id: str):
        super().__init__(f"There is no case with ID {case_id!r}. `radiculopathy-desktop worklist --status all` "
                         "lists the cases.", exit_code=2)
        self.case_id = case_id


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def latest_event_date(case: Case) -> dt.date:
    dates = [case.intake.visit_date] + [v.date for v in case.visits] + [d.date for d in case.decisions]
    return max(dates)


def _guarded(method):
    """Map SQLite failures the user can act on to :class:`StorageError`. On a reader
    (:meth:`CaseStore.reader`) the outermost call waits for another program's lock in slices
    (:meth:`CaseStore._wait_in_slices`), so :meth:`CaseStore.interrupt` ends the wait promptly."""

    @functools.wraps(method)
    def wrapper(self: "CaseStore", *args, **kwargs):
        with dbmod.sqlite_errors(self._path, self._busy_timeout_ms):
            if self._stop is None or self._slicing:
                return method(self, *args, **kwargs)
            return self._wait_in_slices(method, args, kwargs)

    return wrapper


#: How long a reader's connection lets SQLite wait for another program's lock at a time (ms): the
#: reader then looks whether it was interrupted and waits again, up to the store's busy timeout in
#: all (sav21: ``sqlite3_interrupt`` does not end SQLite's own busy wait, st20 measured 5.3 s).
READER_BUSY_SLICE_MS = 50


def _is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite's "database is locked" (raw, or as the store's StorageError)."""
    if isinstance(exc, sqlite3.OperationalError):
        code = getattr(exc, "sqlite_errorcode", None)
        return (isinstance(code, int) and code & 0xFF in (5, 6)) or "database is locked" in str(exc)  # BUSY, LOCKED
    return getattr(exc, "kind", None) == dbmod.StorageErrorKind.LOCKED


# --------------------------------------------------------------------------- rows
def _case_rows(case: Case, s: ReviewSettings, key: str) -> tuple[dict, list[tuple], list[tuple], str]:
    """The derived rows for one case: the cases row, visit rows, decision rows, canonical JSON."""
    from radiculopathy_desktop.domain.episodes import patient_key
    from radiculopathy_desktop.domain.intake import case_to_dict

    canonical = _json(case_to_dict(case))
    last_event = latest_event_date(case)
    facts = review_facts(case, last_event, s)
    i = case.intake
    last_visit = case.visits[-1] if case.visits else None
    latest_leg = next((v.leg_nrs for v in reversed(case.visits) if v.leg_nrs is not None), None)
    row = {
        "case_id": case.case_id,
        "patient_id": i.patient.id,
        "patient_key": patient_key(i.patient.id),
        "patient_name": i.patient.name,
        "onset_date": i.onset_date.isoformat(),
        "intake_date": i.visit_date.isoformat(),
        "care_start_date": i.care_start_date.isoformat(),
        "side": i.side,
        # the baseline Progress is judged from: the intake's day's latest leg pain (rt21 F5)
        "baseline_leg_nrs": baseline_leg(case),
        "latest_leg_nrs": latest_leg if latest_leg is not None else i.leg_nrs,
        "last_visit_date": (last_visit.date if last_visit else i.visit_date).isoformat(),
        "visit_count": 1 + len(case.visits),
        "intake_ord": i.visit_date.toordinal(),
        **_facts_columns(facts),
        # the pregnancy answers recorded (intake, visits) for the cases CSV on any date (m009)
        "pregnancy": _pregnancy_column(case),
        "facts_key": key,
    }
    visits = [(case.case_id, i.visit_date.isoformat(), 1, i.leg_nrs, i.back_nrs, i.function.odi_percent,
               i.function.rmdq, _json([_treatment(t) for t in i.treatments_tried]), _json(dict(i.red_flags)),
               _json(dict(i.examination.power)), i.clinician, None)]
    for v in case.visits:
        visits.append((case.case_id, v.date.isoformat(), 0, v.leg_nrs, v.back_nrs, v.odi_percent, v.rmdq,
                       _json([_treatment(t) for t in v.treatments_tried]), _json(dict(v.red_flags)),
                       _json(dict(v.power)), v.clinician, v.entry))
    decisions = [(case.case_id, d.date.isoformat(), d.kind, d.until.isoformat() if d.until else None, d.by, d.note,
                  d.entry) for d in case.decisions]
    return row, visits, decisions, canonical


def _pregnancy_column(case: Case) -> str | None:
    """``cases.pregnancy``: :func:`~radiculopathy_desktop.domain.intake.pregnancy_records` as
    compact JSON, or None (no answer recorded: most cases)."""
    from radiculopathy_desktop.domain.intake import pregnancy_records

    records = pregnancy_records(case)
    return None if records is None else _json(records)


_INSERT_ALERT = "INSERT INTO medicine_alerts (case_id, profile, alerts_json) VALUES (?, ?, ?)"
# With the facts, the baseline leg pain they are judged from (REVIEW_FACTS_VERSION 14: the
# intake's day's latest record, rt21 F5), so an upgrade rewrites both.
_UPDATE_FACTS = (f"UPDATE cases SET {', '.join(f'{n} = ?' for n in FACT_COLUMNS)}, baseline_leg_nrs = ?, "
                 "facts_key = ? WHERE case_id = ?")


def baseline_leg(case: Case) -> int:
    """The leg pain baseline the worklist shows and stores (``baseline_leg_nrs``): the latest
    recorded on the intake's day (:meth:`Case.review_baseline`, rt21 F5)."""
    return case.review_baseline().leg_nrs
_INSERT_HISTORY = history_insert_sql("?")


def medicine_alert_digest(folder: Path) -> str:
    """A digest of the medicine data files in ``folder`` that can change a stored dose
    alert (``domain.medicine_files.ALERT_DATA_FILES``): a change of citations or handout
    wording keeps it, so it does not make every tracker rewrite its derived data."""
    from radiculopathy_desktop.domain.medicine_files import ALERT_DATA_FILES

    digest = sha256()
    for name in sorted(ALERT_DATA_FILES):
        digest.update(name.encode() + b"\0" + (Path(folder) / name).read_bytes())
    return digest.hexdigest()[:16]


_PROFILES: dict[str, tuple[float, tuple[str, ...]]] = {}


def _alert_profiles() -> tuple[str, ...]:
    """The guideline profiles (``available_profiles``), read again only when the manifest
    changes: an import of many cases read and parsed it once per case (2 ms each)."""
    from radiculopathy_desktop.domain.guideline import _MANIFEST, available_profiles
    from radiculopathy_desktop.resources import resource_path

    manifest = resource_path("guidelines") / _MANIFEST
    stamp = manifest.stat().st_mtime_ns
    kept = _PROFILES.get(str(manifest))
    if kept is None or kept[0] != stamp:
        kept = _PROFILES[str(manifest)] = (stamp, available_profiles())
    return kept[1]


def _alert_rows(case: Case, memo=None) -> list[tuple[str, str, str]]:
    """medicine_alerts rows for one case, one per guideline profile with anything to mark:
    ``{"dose": [...], "spans": [...], "pregnancy": [[date, weeks or false, 0/1], ...]}`` (each only when there is
    one): its doses above the patient's maximum on its latest record ("Reduce dose" in the
    Why: :func:`~radiculopathy_desktop.domain.medications.case_dose_reductions`), its
    medicine-safety alerts as spans of days from the intake on
    (:func:`~radiculopathy_desktop.domain.worklist_marks.alert_spans`: the case page's alerts,
    wl17) and a pregnancy as recorded (worded on the worklist's date). A case with no
    current medicine and no pregnancy has none (no medicine engine run: imports stay fast).
    ``memo``: a :class:`~radiculopathy_desktop.domain.medications.MedicineMemo` for a batch of
    cases (an import, an upgrade); without one the case gets its own, so its medicines are read
    once for all its days and profiles (the memo keeps only what is a function of a medicine's
    text and dose: nothing of a patient)."""
    from radiculopathy_desktop.domain.intake import pregnancy_records

    # every pregnancy answer recorded (the intake's and each visit's: the worklist reads the one
    # standing on its date, as the case page and the cases CSV do; rt17 F1), when one says pregnant
    pregnancy = pregnancy_records(case)
    if pregnancy and not any(value is not False for _, value, _ in pregnancy):
        pregnancy = None
    # path33: the patient would not consider surgery (the intake's answer): said by the worklist's
    # status, so a clinician scanning it sees the wish before the review (engine_common.CONSIDER_NO)
    declines = case.intake.would_consider_intervention == "no"
    if not case.intake.medicines and pregnancy is None and not declines:
        return []
    from radiculopathy_desktop.domain.medications import (MedicineMemo, case_dose_reductions, dose_reductions,
                                                          latest_record_day)
    from radiculopathy_desktop.domain.worklist_marks import alert_spans

    if memo is None:
        memo = MedicineMemo()

    profiles = _alert_profiles()
    latest = latest_record_day(case)
    out = []
    for profile in profiles:
        entry: dict = {}
        reports: dict = {}
        spans = alert_spans(case, profile, reports, memo)
        if latest in reports and any(m.daily_dose_mg is not None for m in case.intake.medicines):
            doses = dose_reductions(reports[latest])  # the very report case_dose_reductions would make
        else:
            doses = case_dose_reductions(case, (profile,), memo).get(profile, ())
        if doses:
            entry["dose"] = list(doses)
        if spans:
            entry["spans"] = [s.to_json() for s in spans]
        if pregnancy is not None:
            entry["pregnancy"] = pregnancy
        if declines:
            entry["consider"] = "no"
        if entry:
            out.append((case.case_id, profile, _json(entry)))
    return out


def _outcome_key(s: ReviewSettings) -> str:
    from radiculopathy_desktop.domain.outcomes import outcome_facts_key

    return outcome_facts_key(s)


def _outcome_row(case: Case, s: ReviewSettings, key: str | None = None) -> tuple:
    """The outcome_facts row for one case (domain.outcomes.case_outcome_facts; both engines)."""
    from radiculopathy_desktop.domain.outcomes import case_outcome_facts

    return tuple(case_outcome_facts(case, s, key))


def derived_rows_builder(s: ReviewSettings):
    """``case -> (medicine alert rows, outcome_facts row, review facts history rows)`` under settings ``s``: what
    the full one-time rewrite stores for each case, for either engine (``engine_common.rederive_stored_cases``;
    passed to it so that module never imports this one, which imports it)."""
    key, outcome_key = facts_key(s), _outcome_key(s)

    def build(case: Case) -> tuple[list, tuple, list]:
        return _alert_rows(case), _outcome_row(case, s, outcome_key), history_rows(case, s, key)

    return build


def outcome_upsert_sql(mark: str) -> str:
    """Insert or replace one outcome_facts row (``mark``: the driver's placeholder)."""
    from radiculopathy_desktop.domain.outcomes import OUTCOME_FACT_COLUMNS as cols

    return (f"INSERT INTO outcome_facts ({', '.join(cols)}) VALUES ({', '.join([mark] * len(cols))}) "
            f"ON CONFLICT (case_id) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in cols[1:]))


def outcome_rows_in_period(fetch, intake_from: dt.date, intake_to: dt.date, mark: str) -> list[tuple[str, Any]]:
    """(case_id, OutcomeFacts or None) for every case whose intake is in the period, in
    case_id order (byte order), for both engines; ``fetch(sql, params)`` returns rows."""
    from radiculopathy_desktop.domain.outcomes import OUTCOME_FACT_COLUMNS, OutcomeFacts

    lo, hi = intake_from.toordinal(), intake_to.toordinal()
    if hi < lo:
        return []
    make = tuple.__new__
    out = [(row[0], make(OutcomeFacts, row)) for row in fetch(
        f"SELECT {', '.join(OUTCOME_FACT_COLUMNS)} FROM outcome_facts WHERE intake_ord BETWEEN {mark} AND {mark}",
        (lo, hi))]
    period = (intake_from.isoformat(), intake_to.isoformat())
    count = fetch(f"SELECT count(*) FROM cases WHERE intake_date BETWEEN {mark} AND {mark}", period)[0][0]
    if count != len(out):  # cases without a row (none after the upgrade): the exact path reads them
        missing = fetch(f"SELECT case_id FROM cases c WHERE intake_date BETWEEN {mark} AND {mark} AND NOT EXISTS "
                        f"(SELECT 1 FROM outcome_facts o WHERE o.case_id = c.case_id)", period)
        out.extend((row[0], None) for row in missing)
    out.sort(key=lambda r: r[0].encode())  # byte order, as iter_cases
    return out


def _treatment(t) -> dict:
    return {k: v for k, v in {"code": t.code, "started": t.started.isoformat() if t.started else None,
                              "stopped": t.stopped.isoformat() if t.stopped else None,
                              "response": t.response}.items() if v is not None}


_CASE_COLUMNS = ("case_id", "patient_id", "patient_key", "patient_name", "onset_date", "intake_date", "care_start_date", "side",
                 "baseline_leg_nrs", "latest_leg_nrs", "last_visit_date", "visit_count", "intake_ord",
                 "care_start_ord", "latest_event_ord", "has_follow_up", "improving", "trend_rank", "resolved",
                 "immediate", "immediate_reason", "last_decision_kind", "last_decision_date", "continue_until",
                 "continue_until_ord", "follow_up_ord", "facts_key", "pregnancy")
_UPSERT_CASE = (
    f"INSERT INTO cases ({', '.join(_CASE_COLUMNS)}, revision, created_at, updated_at) "
    f"VALUES ({', '.join('?' * len(_CASE_COLUMNS))}, 1, ?, ?) "
    f"ON CONFLICT(case_id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _CASE_COLUMNS[1:])
    + ", revision = cases.revision + 1, updated_at = excluded.updated_at"
)
_UPSERT_PATIENT = (
    "INSERT INTO patients (patient_id, name, birth_date, age_years, sex, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT(patient_id) DO UPDATE SET name = excluded.name, birth_date = excluded.birth_date, "
    "age_years = excluded.age_years, sex = excluded.sex, updated_at = excluded.updated_at"
)
# Keep the worklist's copy of the name in step when a patient's name changes.
_SYNC_PATIENT_NAME = "UPDATE cases SET patient_name = ? WHERE patient_id = ? AND patient_name IS NOT ?"
_UPSERT_DOCUMENT = (
    "INSERT INTO case_documents (case_id, format_version, case_json) VALUES (?, ?, ?) "
    "ON CONFLICT(case_id) DO UPDATE SET format_version = excluded.format_version, case_json = excluded.case_json"
)
_INSERT_VISIT = ("INSERT INTO visits (case_id, visit_date, is_baseline, leg_nrs, back_nrs, odi_percent, rmdq, "
                 "treatments_json, red_flags_json, power_json, clinician, entry) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_INSERT_DECISION = ("INSERT INTO decisions (case_id, decision_date, kind, until_date, decided_by, note, entry) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)")
_INSERT_AUDIT = "INSERT INTO audit (at, user, action, case_id, detail_json) VALUES (?, ?, ?, ?, ?)"
#: The audit table's columns, in the one order every reader selects them.
_AUDIT_COLUMNS = ("id", "at", "user", "action", "case_id", "detail_json")
# Settings written only through their own, validated method (clinic details, review settings).
_OWN_KEYS = frozenset({"review", DERIVED_VERSION_KEY, *clinic.SETTING_KEYS.values()})


class _EntrySequence:
    """The tracker's entry order (``entry_counter``, m007): numbers handed out inside the write
    transaction that saves the records (SQLite lets one writer at a time, so no two saves
    get the same number and a later save gets a larger one)."""

    def __init__(self, conn):
        self._conn = conn
        self._last = conn.execute("SELECT last FROM entry_counter").fetchone()[0]
        self._start = self._last

    def take(self, n: int) -> range:
        first = self._last + 1
        self._last += n
        return range(first, self._last + 1)

    def save(self) -> None:
        if self._last != self._start:
            self._conn.execute("UPDATE entry_counter SET last = ?", (self._last,))

    def next_saved(self) -> int:
        number = self.take(1)[0]
        self.save()
        return number


def _audit_entry(row: Mapping[str, Any]) -> AuditEntry:
    try:
        detail = json.loads(row["detail_json"])
    except (TypeError, ValueError):
        detail = {}
    return AuditEntry(row["id"], row["at"], row["user"], row["action"], row["case_id"],
                      detail if isinstance(detail, dict) else {})


# --------------------------------------------------------------------------- the store
class CaseStore(engine_common.ClinicNameFromSettings, engine_common.DerivedVersion):
    """The local case database (the SQLite engine of :class:`~radiculopathy_desktop.storage.contract.Store`).

    Open with :meth:`open`; close with :meth:`close` (or ``with``). Everything other
    modules may use is listed in the contract; the rest (the connection included) is
    private: modules outside storage/ never touch it (``tests/storage/test_contract.py``).
    """

    #: Which storage engine this is (the PostgreSQL store says "postgresql").
    engine = "sqlite"

    def __init__(self, db, path: Path, busy_timeout_ms: int):
        self._db = db
        self._path = path
        self._busy_timeout_ms = busy_timeout_ms
        self._settings_cache: ReviewSettings | None = None
        self._clinic_cache: ClinicSettings | None = None
        self._cache_version: int | None = None  # PRAGMA data_version when the settings caches were filled
        self._exact_cache: tuple | None = None  # storage.worklist's memo of the exact-path rows
        self._stop: "threading.Event | None" = None  # a reader's: set by interrupt() (sav21)
        self._slicing = False  # a reader's outermost call is waiting in slices
        self._first_statements: tuple[str, ...] = ()  # a reader's set-up still to run

    # ---- lifecycle
    @classmethod
    def open(cls, data_dir: str | os.PathLike | None = None, create: bool = True,
             busy_timeout_ms: int = dbmod.DEFAULT_BUSY_TIMEOUT_MS, *, upgrade: bool = True,
             progress: "Callable[[int, int], None] | None" = None) -> "CaseStore":
        """Open the database in ``data_dir`` (None: the environment variable, then the
        user data folder). ``create=False`` refuses to make a new one. Raises
        :class:`~radiculopathy_desktop.storage.db.StorageError` for a database that
        cannot be used safely (locked, read-only, damaged, newer, not ours).

        The first open after an upgrade of the app rewrites the derived data
        (:meth:`upgrade_derived_data`; minutes at 100,000 cases): ``progress(done, total)``
        hears how far it is (else :data:`.upgrade_progress.listener`, which a front end may set),
        and ``upgrade=False`` leaves it to :meth:`upgrade_derived_data_if_needed`, so a
        window can run it in a thread with a progress dialog (:attr:`upgrade_pending`)."""
        path = database_path(data_dir)
        db = opening.open_database(path, create=create, busy_timeout_ms=busy_timeout_ms)
        store = cls(db, path, busy_timeout_ms)
        if upgrade:
            store.upgrade_derived_data_if_needed(progress)
        return store

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    @property
    def data_dir(self) -> Path:
        """The data folder (the database file, its backups folder and notes)."""
        return self._path.parent

    def location_label(self) -> str:
        """Where the data is, in words for the window and the logs of the user: "Local file <path>"."""
        return f"Local file {self._path}"

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "CaseStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _write(self):
        return dbmod.write_transaction(self._db)

    @contextlib.contextmanager
    def transaction(self) -> Iterator["CaseStore"]:
        """One write transaction: every store write inside it commits together or not at
        all (a nested call joins the outer one as a savepoint). The write lock is taken
        up front, waiting up to the busy timeout for another writer; SQLite failures
        become :class:`StorageError` (``locked``, ``read_only``, ``disk_full``,
        ``replaced``...)."""
        with dbmod.sqlite_errors(self._path, self._busy_timeout_ms), self._write():
            yield self

    def forget_cached(self) -> None:
        """Drop what this store keeps in memory (settings, the worklist's exact-path memo):
        the next read goes to the database (benchmarks measure a cold query with it)."""
        self._settings_cache = None
        self._clinic_cache = None
        self._exact_cache = None

    def _settings_caches_current(self) -> None:
        """Drop the settings caches when another connection (the CLI, another workstation's
        window, IT) committed since they were filled: SQLite's ``PRAGMA data_version``
        changes only for other connections' commits, and reading it is cheap. Without
        this the window kept showing, and its Settings save wrote back, stale clinic
        details for its whole life."""
        version = self._db.conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._cache_version:
            self._settings_cache = None
            self._clinic_cache = None
            self._cache_version = version

    @contextlib.contextmanager
    def reader(self) -> Iterator["CaseStore"]:
        """A store on a read-only connection of its own to this file, for one worker thread
        (the contract's ``reader``): the window's connection is shared with its runner's writes,
        so a read in another thread on it could see half a write, and the exact path's commit
        (``storage.worklist._prepare_exact``) could commit one. This connection cannot write the
        database (SQLite opens it read-only; its temporary tables are its own), sees only
        committed data, and waits for another program's lock as the store does (the busy
        timeout), raising ``locked`` after it. Closed at the end of the ``with``."""
        path, timeout_ms = self._path, self._busy_timeout_ms
        with dbmod.sqlite_errors(path, timeout_ms):
            conn = dbmod.connect(path, uri=dbmod.sqlite_uri(path, "ro"),
                                 timeout=min(timeout_ms, READER_BUSY_SLICE_MS) / 1000,
                                 check_same_thread=False)  # interrupt() comes from the GUI thread
            try:
                # SQLite waits for a lock a slice at a time; the twin waits out the busy timeout
                # in all, between slices looking whether interrupt() was called (sav21)
                conn.execute(f"PRAGMA busy_timeout = {min(int(timeout_ms), READER_BUSY_SLICE_MS)}")
                conn.execute("PRAGMA temp_store = MEMORY")
                twin = CaseStore(dbmod.Database(conn), path, timeout_ms)
                twin._stop = threading.Event()
                # this one reads the schema, so waits for a lock: run by the first call, in slices
                twin._first_statements = ("PRAGMA cache_size = -16384",)
            except BaseException:
                conn.close()
                raise
        try:
            yield twin
        finally:
            twin.close()

    def interrupt(self) -> None:
        """Stop the statement running on this store's connection (any thread; it then raises).
        A reader waiting for another program's lock stops waiting within one slice
        (:data:`READER_BUSY_SLICE_MS`), as SQLite's own busy wait does not see an interrupt."""
        if self._stop is not None:
            self._stop.set()
        with contextlib.suppress(sqlite3.ProgrammingError):  # already closed: nothing runs
            self._db.conn.interrupt()

    def _wait_in_slices(self, method, args, kwargs):
        """A reader's outermost call: run it; while another program holds the lock (SQLite gave
        up after one slice), run it again until the busy timeout has passed in all, unless
        :meth:`interrupt` was called, which ends the wait at once ("interrupted"). A reader only
        reads, so running a call again changes nothing; a read transaction left open is ended first."""
        import time

        deadline = time.monotonic() + self._busy_timeout_ms / 1000
        self._slicing = True
        try:
            while True:
                if self._stop.is_set():
                    raise sqlite3.OperationalError("interrupted")
                try:
                    for statement in self._first_statements:
                        self._db.conn.execute(statement)
                    self._first_statements = ()
                    return method(self, *args, **kwargs)
                except (sqlite3.OperationalError, dbmod.StorageError) as exc:
                    if _is_busy(exc) and self._stop.is_set():
                        raise sqlite3.OperationalError("interrupted") from exc  # nobody waits for it
                    if not _is_busy(exc) or time.monotonic() >= deadline:
                        raise
                    with contextlib.suppress(sqlite3.Error):
                        if self._db.conn.in_transaction:
                            self._db.conn.rollback()
        finally:
            self._slicing = False

    # ---- the database itself (maintenance)
    @_guarded
    def journal_mode(self) -> str:
        """SQLite's journal mode, lower-case ("wal" on a local disk, "delete" on a network share)."""
        return str(self._db.conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()

    @_guarded
    def set_read_only(self, on: bool) -> None:
        """Refuse (``on``) or allow again every write on this connection (``PRAGMA query_only``):
        a damaged database is kept from further harm while the user decides what to do."""
        self._db.conn.execute(f"PRAGMA query_only = {'ON' if on else 'OFF'}")

    @_guarded
    def quick_check(self) -> list[str]:
        """``PRAGMA quick_check`` lines; ``["ok"]`` when the file is sound."""
        return [r[0] for r in self._db.conn.execute("PRAGMA quick_check")]

    def wait_for_write_lock(self) -> None:
        """Wait, on a connection of its own, until no other program holds the SQLite write lock.

        The store's one connection is shared with the GUI thread, and SQLite holds a
        connection's mutex for as long as a statement waits on its busy timeout: a write
        waiting there would block every read the window makes meanwhile. So a writer in a
        worker thread waits here first (the same busy timeout; a ``locked`` StorageError when
        it runs out), lets go, and the write then finds the database free (another program
        taking the lock in that instant only makes it wait again, on the store's own
        connection). A database this connection cannot open (read-only, damaged) is left to
        the write itself, which explains its own errors.
        """
        path, timeout_ms = self._path, self._busy_timeout_ms
        try:
            probe = dbmod.connect(path, uri=dbmod.sqlite_uri(path, "rw"), timeout=timeout_ms / 1000)
        except sqlite3.Error:
            return
        try:
            probe.isolation_level = None
            probe.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")
            try:
                probe.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    raise dbmod.locked_error(path, timeout_ms) from None
                return  # read-only, damaged...: the write itself says so
            probe.execute("ROLLBACK")
        finally:
            probe.close()

    # ---- derived data after an upgrade
    @staticmethod
    def derived_version() -> str:
        """The versions of the rules behind the stored derived data: the review facts'
        (``REVIEW_FACTS_VERSION``) and a digest of the medicine data files that can change a
        dose alert (:func:`medicine_alert_digest`: not the citations or handout wording).
        Cheap: reads a few small files and imports no case-format or medicine code."""
        from radiculopathy_desktop.domain.followup import REVIEW_FACTS_VERSION
        from radiculopathy_desktop.resources import resource_path

        digest = medicine_alert_digest(resource_path("medicines"))
        outcomes = sha256(resource_path("rules", "outcome_measures.toml").read_bytes()).hexdigest()[:16]
        return (f"facts {REVIEW_FACTS_VERSION}; alerts {DOSE_ALERTS_VERSION}; medicines {digest}; "
                f"outcomes {OUTCOME_FACTS_VERSION} {outcomes}; history {HISTORY_VERSION}")

    def upgrade_derived_data_if_needed(self, progress: "Callable[[int, int], None] | None" = None) -> None:
        """Run :meth:`upgrade_derived_data` when the stored derived version differs from
        this version's (the first open after an upgrade); otherwise one settings read.
        A database that is busy or read-only now is left for the next open."""
        try:
            if not self.upgrade_pending:
                return
            self.upgrade_derived_data(progress)
        except dbmod.StorageError as exc:
            # Busy or read-only now: the worklist stays right (stale facts take the exact
            # path), and the next open tries again. Anything else (a stored case that
            # cannot be read) is for `check --full`; opening still works.
            level = logging.INFO if exc.kind in ("locked", "read_only") else logging.WARNING
            log.log(level, "derived data not refreshed this time (%s)", exc.kind)

    @_guarded
    def upgrade_derived_data(self, progress: "Callable[[int, int], None] | None" = None) -> tuple[int, int]:
        """Rewrite what an older version stored: review facts from an older rule version
        (:meth:`refresh_stale_review_facts`) and every case's dose alerts. One write
        transaction; records the version so it runs once. Returns (facts rewritten,
        cases with a dose alert). ``progress(done, total)`` (default
        :data:`.upgrade_progress.listener`) is told the case rewrites done so far (the stale review facts, then every
        case's derived rows): at the start, every
        :data:`.upgrade_progress.STEP` cases and at the end."""
        version = self.derived_version()
        conn = self._db.conn
        tell = progress or upgrade_progress.listener or (lambda done, total: None)
        with self._write(), upgrade_progress.upgrading(self._path):  # others are told who holds the lock
            stored = self._stored_derived_version()
            if stored == version:  # another process did it first
                return 0, 0
            if engine_common.alerts_only_change(stored, version):
                alerted = self._rewrite_alerts_only(tell)
                cases = conn.execute("SELECT count(*) FROM case_documents").fetchone()[0]
                self._record_derived_version(stored, version, cases, cases_with_medicine_alerts=alerted)
                return 0, alerted
            # Two passes over the cases (stale review facts, then every case's derived rows),
            # told as one count of case rewrites.
            cases = conn.execute("SELECT count(*) FROM case_documents").fetchone()[0]
            stale = conn.execute("SELECT count(*) FROM cases WHERE facts_key <> ?",
                                 (facts_key(self.get_settings()),)).fetchone()[0]
            total = cases + stale
            tell(0, total)
            refreshed = self._refresh_stale_facts(
                history=False, tick=lambda n: n % upgrade_progress.STEP or tell(n, total))
            conn.execute("DELETE FROM medicine_alerts")
            conn.execute("DELETE FROM case_fact_history")
            conn.execute("DELETE FROM outcome_facts")
            alerts = 0

            def write(rows: list, outcomes: list, history: list) -> None:
                nonlocal alerts
                conn.executemany(_INSERT_HISTORY, history)
                conn.executemany(_INSERT_ALERT, rows)
                conn.executemany(outcome_upsert_sql("?"), outcomes)
                alerts += len(rows)

            alerted = engine_common.rederive_stored_cases(self._stored_chunks(), self._parse_stored,
                                                          derived_rows_builder(self.get_settings()), write, tell,
                                                          refreshed, total)
            self._record_derived_version(stored, version, cases, review_facts_rewritten=refreshed,
                                         cases_with_medicine_alerts=alerted)
        tell(total, total)
        if refreshed or alerts:
            log.info("upgrade: review facts rewritten for %d cases; %d dose alerts", refreshed, alerts)
        return refreshed, alerted

    def _record_derived_version(self, stored, version: str, cases: int, **counts: int) -> None:
        """Record the derived version the data now has, inside the caller's write transaction.
        With cases recomputed, ONE ``derived_data_recomputed`` audit entry says what was
        recomputed, how many cases and the versions before and after, as the clinic server's
        settings trigger writes it (m013; pg21 leftover: the local recompute wrote none, so the
        file's audit did not show that its derived data was rewritten, nor when). A file with no
        cases yet only records the version, as the server does."""
        conn = self._db.conn
        now = _now()
        conn.execute("INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?) "
                     "ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json, "
                     "updated_at = excluded.updated_at", (DERIVED_VERSION_KEY, _json(version), now))
        if cases:
            detail = engine_common.recompute_audit_detail(stored, version, cases, **counts)
            detail["from"] = engine_common._version_parts(stored) or stored
            detail["to"] = engine_common._version_parts(version)
            self._audit(DERIVED_RECOMPUTED_USER, engine_common.DERIVED_RECOMPUTED_ACTION, None, detail, at=now)

    def _rewrite_alerts_only(self, tell: "Callable[[int, int], None]") -> int:
        """The one-time rewrite when only the medicine alerts' rules or data changed
        (:func:`.engine_common.alerts_only_change`): every medicine_alerts row made again (the
        Medicine alerts index follows by its triggers), from the cases that can have one; the
        review facts, their history and the outcome facts are left as they are. Inside the
        caller's write transaction; returns the cases with an alert."""
        conn = self._db.conn
        return engine_common.rewrite_alerts_only(
            lambda sql, params: conn.execute(sql, params).fetchall(), conn.execute,
            lambda rows: conn.executemany(_INSERT_ALERT, rows), "?",
            "(json_array_length(d.case_json, '$.medicines') > 0 "
            "OR json_extract(d.case_json, '$.would_consider_intervention') = 'no')",
            lambda cid, text: _alert_rows(self._parse_stored(cid, text)), tell)

    def _stored_chunks(self, stale_key: str | None = None) -> Iterator[Sequence[tuple[str, str]]]:
        """:func:`.engine_common.stored_document_chunks` on this store's connection."""
        conn = self._db.conn
        return engine_common.stored_document_chunks(lambda sql, params: conn.execute(sql, params).fetchall(),
                                                    "?", stale_key)

    def _audit(self, user: str, action: str, case_id: str | None, detail: Mapping[str, Any] | None = None,
               at: str | None = None) -> None:
        self._db.conn.execute(_INSERT_AUDIT, (at or _now(), user or "unknown", action, case_id, _json(dict(detail or {}))))

    # ---- cases
    @_guarded
    def import_cases(self, cases: Iterable[Case], user: str = "import", batch_size: int = 2000,
                     replace_records: bool = False, acknowledge_red_flags: bool = True,
                     legacy_decisions: bool = True, one_case_per_episode: bool = False,
                     close_with_unanswered_red_flags: bool = True, open_case_as_of: dt.date | None = None,
                     new_episode: "bool | Iterable[str]" = False) -> ImportResult:
        """Add or update whole cases, all or nothing (one transaction).

        With ``open_case_as_of`` (the ``import`` command, the window's intake) a new case whose
        patient has an open case on that date is refused (``domain.episodes.OpenCaseExists``)
        unless ``new_episode``, when it is named in the import's audit entry
        (``engine_common.OpenCaseCheck``, gp14 G10).

        With ``one_case_per_episode`` (the ``import`` command, the window's intake) a new case
        that is the same episode as another (``domain.identity.same_episode``) is refused
        (``engine_common.episode_conflicts``, ``EpisodeExists``).

        An update that would remove a visit or decision recorded in the tracker is refused
        (``UserError``, nothing imported) unless ``replace_records``. A decision new to the
        tracker that closes or pauses a case while naming red flags as acknowledged is kept in
        the ``import`` audit entry (``ImportResult.acknowledged``); without
        ``acknowledge_red_flags`` it is refused (``UserError``, nothing imported), as ``decide``
        refuses it without ``--acknowledge-red-flags``.

        A decision new to the tracker that leaves ``acknowledged_red_flags`` out is read as
        one recorded before the field existed while ``legacy_decisions`` (a copy of a
        tracker's own records: ``server migrate-from``, the demo). Without it (the ``import``
        command: a hand-written or scripted file) it names the red flags standing on its date,
        as ``decide`` records it, and so needs ``acknowledge_red_flags`` when it closes or
        pauses a case while they stand (``engine_common.acknowledge_left_out``, red-team rt9 F7).

        ``cases`` may be a generator: rows are written in batches inside the one
        transaction, so memory stays flat however many cases come in; any failure
        (a repeated case_id, a full disk, a kill) leaves the database as before.
        A case whose canonical JSON equals the stored one is left alone
        (``unchanged``). Assessments already stored for an updated case are kept.
        """
        s = self.get_settings()
        key = facts_key(s)
        now = _now()
        added: list[str] = []
        updated: list[str] = []
        unchanged: list[str] = []
        conflicts: list[str] = []  # one patient ID holding different people (domain.identity)
        identities: dict[str, tuple[str, Any]] = {}  # patient ID -> (case_id, Patient) in this import
        removals: list[str] | None = None if replace_records else []
        acknowledged: list[dict] = []
        guard = engine_common.ImportGuard(replace_records, s)
        episodes = engine_common.EpisodeCheck() if one_case_per_episode else None
        opened = engine_common.OpenCaseCheck(open_case_as_of, new_episode) if open_case_as_of is not None else None
        if opened is not None:
            opened.settings = s
        with self._write():
            entries = _EntrySequence(self._db.conn)
            for batch in engine_common.import_batches(cases, batch_size):
                self._import_batch(batch, s, key, now, user, added, updated, unchanged, conflicts, identities,
                                   removals, acknowledged, legacy_decisions, guard, episodes, entries, opened)
            entries.save()
            refused = engine_common.import_refusal(guard, removals, conflicts, episodes, opened, acknowledged,
                                                   acknowledge_red_flags, close_with_unanswered_red_flags)
            if refused is not None:
                raise refused
            if added or updated:
                self._audit(user, "import", None,
                            engine_common.import_audit_detail(added, updated, unchanged, acknowledged, guard,
                                                              opened), at=now)
        log.info("import: %d added, %d updated, %d unchanged", len(added), len(updated), len(unchanged))
        return ImportResult.of_import(added, updated, unchanged, acknowledged, guard, opened)

    def _import_batch(self, cases: list[Case], s: ReviewSettings, key: str, now: str, user: str,
                      added: list[str], updated: list[str], unchanged: list[str],
                      conflicts: list[str], identities: dict, removals: list[str] | None = None,
                      acknowledged: list[dict] | None = None, legacy_decisions: bool = True,
                      guard: engine_common.ImportGuard | None = None,
                      episodes: engine_common.EpisodeCheck | None = None,
                      entries: "_EntrySequence | None" = None,
                      opened: engine_common.OpenCaseCheck | None = None) -> None:
        if not cases:
            return
        from radiculopathy_desktop.domain.intake import FORMAT_VERSION

        if entries is None:
            entries = _EntrySequence(self._db.conn)

        conn = self._db.conn
        conflicts.extend(self.patient_conflicts.__wrapped__(self, cases, identities))
        existing = self._existing_documents([c.case_id for c in cases])
        if episodes is not None:  # the one rule for "this case already exists" (domain.identity.same_episode)
            episodes.check(cases, existing, self._patients_cases)
        if opened is not None:
            opened.check(cases, existing, self._patients_cases)
        patient_rows, case_rows, doc_rows, visit_rows, decision_rows, audit_rows = [], [], [], [], [], []
        alert_rows: list[tuple[str, str, str]] = []
        from radiculopathy_desktop.domain.medications import MedicineMemo
        memo = MedicineMemo()  # a name typed on many intakes of the batch is read once
        outcome_rows: list[tuple] = []
        history: list[tuple] = []
        outcome_key = _outcome_key(s)
        replaced: list[tuple[str]] = []
        for case in cases:
            checked = engine_common.import_case_checked(case, existing.get(case.case_id),
                                                        lambda c: _case_rows(c, s, key), entries.take,
                                                        legacy_decisions, unchanged, guard, removals, acknowledged)
            if checked is None:
                continue
            case, before, (row, visits, decisions, canonical) = checked
            p = case.patient
            patient_rows.append((p.id, p.name, p.birth_date.isoformat() if p.birth_date else None, p.age_years,
                                 p.sex, now))
            case_rows.append(tuple(row[c] for c in _CASE_COLUMNS) + (now, now))
            doc_rows.append((case.case_id, FORMAT_VERSION, canonical))
            alert_rows.extend(_alert_rows(case, memo))
            outcome_rows.append(_outcome_row(case, s, outcome_key))
            history.extend(history_rows(case, s, key))
            visit_rows.extend(visits)
            decision_rows.extend(decisions)
            detail = _json({"visits": len(case.visits), "decisions": len(case.decisions)})
            if before is None:
                added.append(case.case_id)
                audit_rows.append((now, user, "case_added", case.case_id, detail))
            else:
                updated.append(case.case_id)
                replaced.append((case.case_id,))
                audit_rows.append((now, user, "case_updated", case.case_id, detail))
        if replaced:
            conn.executemany("DELETE FROM visits WHERE case_id = ?", replaced)
            conn.executemany("DELETE FROM decisions WHERE case_id = ?", replaced)
            conn.executemany("DELETE FROM medicine_alerts WHERE case_id = ?", replaced)
            conn.executemany("DELETE FROM case_fact_history WHERE case_id = ?", replaced)
        conn.executemany(_UPSERT_PATIENT, patient_rows)
        conn.executemany(_UPSERT_CASE, case_rows)
        conn.executemany(_SYNC_PATIENT_NAME, [(r[1], r[0], r[1]) for r in patient_rows])
        conn.executemany(_UPSERT_DOCUMENT, doc_rows)
        conn.executemany(_INSERT_VISIT, visit_rows)
        conn.executemany(_INSERT_DECISION, decision_rows)
        conn.executemany(_INSERT_ALERT, alert_rows)
        conn.executemany(outcome_upsert_sql("?"), outcome_rows)
        conn.executemany(_INSERT_HISTORY, history)
        conn.executemany(_INSERT_AUDIT, audit_rows)

    @_guarded
    def patient_conflicts(self, cases: Sequence[Case], seen: dict | None = None) -> list[str]:
        """Cases whose patient ID already belongs to a different person (``domain.identity``), in words.

        Compared with the stored patient when it has another case (re-importing the patient's
        only case may correct its details), and with earlier cases of ``seen`` (this import).
        """
        by_name = self._db.conn.cursor()
        by_name.row_factory = sqlite3.Row

        def other_case(case_id: str, patient_id: str):
            row = by_name.execute(
                "SELECT p.name, p.birth_date, p.sex, (SELECT c.case_id FROM cases c WHERE c.patient_id = p.patient_id "
                "AND c.case_id != ? LIMIT 1) AS other_case FROM patients p WHERE p.patient_id = ?",
                (case_id, patient_id)).fetchone()
            if row is None or row["other_case"] is None:
                return None
            return row["name"], row["birth_date"], row["sex"], row["other_case"]

        return engine_common.patient_conflicts(cases, {} if seen is None else seen, other_case)

    def _existing_documents(self, case_ids: Sequence[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        conn = self._db.conn
        if not case_ids:
            return out
        if conn.execute("SELECT NOT EXISTS (SELECT 1 FROM case_documents)").fetchone()[0]:
            return out
        for start in range(0, len(case_ids), 500):
            chunk = list(case_ids[start:start + 500])
            marks = ",".join("?" * len(chunk))
            for cid, text in conn.execute(
                    f"SELECT case_id, case_json FROM case_documents WHERE case_id IN ({marks})", chunk):
                out[cid] = text
        return out

    def _write_case(self, case: Case, now: str) -> None:
        """Rewrite one existing case's derived rows (inside a write transaction)."""
        from radiculopathy_desktop.domain.intake import FORMAT_VERSION

        s = self.get_settings()
        key = facts_key(s)
        row, visits, decisions, canonical = _case_rows(case, s, key)
        conn = self._db.conn
        p = case.patient
        conn.execute(_UPSERT_PATIENT, (p.id, p.name, p.birth_date.isoformat() if p.birth_date else None,
                                       p.age_years, p.sex, now))
        conn.execute(_UPSERT_CASE, tuple(row[c] for c in _CASE_COLUMNS) + (now, now))
        conn.execute(_SYNC_PATIENT_NAME, (p.name, p.id, p.name))
        conn.execute(_UPSERT_DOCUMENT, (case.case_id, FORMAT_VERSION, canonical))
        conn.execute("DELETE FROM visits WHERE case_id = ?", (case.case_id,))
        conn.execute("DELETE FROM decisions WHERE case_id = ?", (case.case_id,))
        conn.executemany(_INSERT_VISIT, visits)
        conn.executemany(_INSERT_DECISION, decisions)
        conn.execute("DELETE FROM medicine_alerts WHERE case_id = ?", (case.case_id,))
        conn.executemany(_INSERT_ALERT, _alert_rows(case))
        conn.execute(outcome_upsert_sql("?"), _outcome_row(case, s))
        conn.execute("DELETE FROM case_fact_history WHERE case_id = ?", (case.case_id,))
        conn.executemany(_INSERT_HISTORY, history_rows(case, s, key))

    def _load(self, case_id: str) -> Case:
        row = self._db.conn.execute("SELECT case_json FROM case_documents WHERE case_id = ?", (case_id,)).fetchone()
        if row is None:
            raise CaseNotFound(case_id)
        return self._parse_stored(case_id, row[0])

    def _parse_stored(self, case_id: str, text: str) -> Case:
        from radiculopathy_desktop.domain.intake import ValidationError, parse_case

        try:
            return parse_case(json.loads(text))
        except (ValueError, ValidationError) as exc:
            raise dbmod.corrupt_error(self._path, f"the stored record of case {case_id} cannot be read: "
                                                 f"{type(exc).__name__}") from None

    def _read_stored(self, case_id: str, text: str) -> Case:
        """A stored case through the trusted reader (no re-validation: it was validated on the
        way in, issue 17); a document it cannot build goes through :meth:`_parse_stored`,
        which names the damage. Never for files from outside the store."""
        from radiculopathy_desktop.domain.stored_case import case_from_stored

        try:
            return case_from_stored(json.loads(text))
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return self._parse_stored(case_id, text)

    @_guarded
    def get_case(self, case_id: str) -> Case:
        """The case with its visits and decisions; raises :class:`CaseNotFound`."""
        return self._load(case_id)

    def _patients_cases(self, patient_ids: Sequence[str]) -> Iterator[Case]:
        """Every stored case of these patients, their IDs compared by ``domain.episodes.patient_key``
        (``p-josé`` is ``P-JoSÉ``, rt16 F2; the open-case rule's input), through the indexed
        ``cases.patient_key`` column (m009, ep17): no scan of the cases table, and no reliance on
        SQLite's ``lower()``, which folds ASCII letters only."""
        from radiculopathy_desktop.domain.episodes import patient_key

        conn = self._db.conn
        keys = sorted({patient_key(p) for p in patient_ids})
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(f"SELECT d.case_id, d.case_json FROM cases c JOIN case_documents d "
                                f"ON d.case_id = c.case_id WHERE c.patient_key IN ({marks})", chunk).fetchall()
            for cid, text in rows:
                yield self._parse_stored(cid, text)

    @_guarded
    def open_cases(self, patient_id: str, as_of: dt.date, exclude: str | None = None,
                   patient: Patient | None = None) -> list:
        """The patient's open cases on ``as_of`` (``domain.episodes.open_cases``), but ``exclude``;
        a new ID's person is ``patient`` as typed (``domain.identity.cases_of_person``)."""
        from radiculopathy_desktop.domain.episodes import open_cases

        from radiculopathy_desktop.domain.identity import cases_of_person

        return open_cases(cases_of_person(self._patients_cases([patient_id]), patient_id, patient), as_of,
                          self.get_settings(), exclude)

    @_guarded
    def patient_cases(self, patient_id: str, exclude: str | None = None,
                      patient: Patient | None = None) -> list[Case]:
        """Every stored case of the patient (``domain.episodes.patient_key``), but ``exclude``,
        by case ID; a new ID's person is ``patient`` as typed (``domain.identity.cases_of_person``)."""
        from radiculopathy_desktop.domain.identity import cases_of_person

        return sorted((c for c in cases_of_person(self._patients_cases([patient_id]), patient_id, patient)
                       if c.case_id != exclude), key=lambda c: c.case_id)

    @_guarded
    def has_case(self, case_id: str) -> bool:
        return self._db.conn.execute("SELECT 1 FROM cases WHERE case_id = ?", (case_id,)).fetchone() is not None

    @_guarded
    def stored_ids(self) -> tuple[list[str], list[str]]:
        conn = self._db.conn
        return ([r[0] for r in conn.execute("SELECT patient_id FROM patients")],
                [r[0] for r in conn.execute("SELECT case_id FROM cases")])

    @_guarded
    def case_count(self, intake_from: dt.date | None = None, intake_to: dt.date | None = None) -> int:
        if intake_from is not None and intake_to is not None:
            return self._db.conn.execute("SELECT count(*) FROM cases WHERE intake_date BETWEEN ? AND ?",
                                        (intake_from.isoformat(), intake_to.isoformat())).fetchone()[0]
        return self._db.conn.execute("SELECT count(*) FROM cases").fetchone()[0]

    @_guarded
    def pregnancy_records(self) -> dict[str, list]:
        """case_id -> its recorded pregnancy answers (``cases.pregnancy``, m009), for the cases recording one."""
        return {case_id: json.loads(text) for case_id, text in self._db.conn.execute(
            "SELECT case_id, pregnancy FROM cases WHERE pregnancy IS NOT NULL")}

    @_guarded
    def real_case_count(self) -> int:
        """How many cases are real patients' (not the invented demo cohort's, whose IDs start ``DEMO-``)."""
        from radiculopathy_desktop.demo import DEMO_PREFIX  # the generator is not loaded to open the store
        return self._db.conn.execute("SELECT count(*) FROM cases WHERE case_id NOT LIKE ?",
                                     (DEMO_PREFIX + "%",)).fetchone()[0]

    @_guarded
    def iter_cases(self, batch: int = 1000, intake_from: dt.date | None = None,
                   intake_to: dt.date | None = None, validate: bool = False) -> Iterator[Case]:
        """Every case, in case_id order (for exports and checks); with ``intake_from`` and
        ``intake_to`` only the cases whose intake visit is in that period (outcomes audit).

        Cases are read through the trusted reader (they were validated when stored);
        ``validate=True`` re-validates each one with ``parse_case`` (for checks)."""
        read = self._parse_stored if validate else self._read_stored
        last = ""
        period = intake_from is not None and intake_to is not None
        while True:
            if period:
                rows = self._db.conn.execute(
                    "SELECT d.case_id, d.case_json FROM case_documents d JOIN cases c ON c.case_id = d.case_id "
                    "WHERE d.case_id > ? AND c.intake_date BETWEEN ? AND ? ORDER BY d.case_id LIMIT ?",
                    (last, intake_from.isoformat(), intake_to.isoformat(), batch)).fetchall()
            else:
                rows = self._db.conn.execute(
                    "SELECT case_id, case_json FROM case_documents WHERE case_id > ? ORDER BY case_id LIMIT ?",
                    (last, batch)).fetchall()
            if not rows:
                return
            for cid, text in rows:
                yield read(cid, text)
            last = rows[-1][0]

    @_guarded
    def outcome_facts(self, intake_from: dt.date, intake_to: dt.date) -> list[tuple[str, Any]]:
        """Every case with its intake in the period, with its stored outcome facts (the Outcomes view)."""
        return outcome_rows_in_period(lambda sql, params: self._db.conn.execute(sql, params).fetchall(),
                                      intake_from, intake_to, "?")

    @_guarded
    def outcome_counts(self, intake_from: dt.date, intake_to: dt.date, as_of: dt.date,
                       settings: ReviewSettings) -> tuple[Any, list[str]]:
        """The period's outcome numbers counted in SQL over the stored facts, and the ids of the
        cases whose stored facts do not hold (storage/outcome_counts.py)."""
        return outcome_counts(lambda sql, params: self._db.conn.execute(sql, params).fetchall(),
                              lambda name: f":{name}", intake_from, intake_to, as_of, settings, scan_hint="+")

    @_guarded
    def review(self, case_id: str, as_of: dt.date, settings: ReviewSettings | None = None) -> SurgicalReview:
        """The engine's exact surgical review of one case (what the case view shows)."""
        return surgical_review(self._load(case_id), as_of, settings or self.get_settings())

    def _keyed_entry(self, case_id: str, write_key: str):
        """The audit entry's (action, detail_json) of the visit or decision saved with ``write_key``."""
        return self._db.conn.execute(
            "SELECT action, detail_json FROM audit WHERE case_id = ? AND action IN (?, ?) AND CASE WHEN "
            "json_valid(detail_json) THEN lower(json_extract(detail_json, '$.' || ?)) END = ? LIMIT 1",
            (case_id, *engine_common.KEYED_ACTIONS, engine_common.WRITE_KEY,
             engine_common.checked_write_key(write_key))).fetchone()

    def _written(self, case_id: str, write_key: str) -> bool:
        return self._keyed_entry(case_id, write_key) is not None

    @_guarded
    def written(self, case_id: str, write_key: str) -> bool:
        """True when a visit or decision carrying ``write_key`` is saved on this case."""
        return self._written(case_id, engine_common.checked_write_key(write_key))

    @_guarded
    def keyed_record_state(self, case_id: str, write_key: str) -> str:
        """Where the visit or decision saved with ``write_key`` is (see ``Store.keyed_record_state``):
        "none", "on_case" or "replaced"."""
        entry = self._keyed_entry(case_id, engine_common.checked_write_key(write_key))
        if entry is None:
            return "none"
        return engine_common.keyed_record_state(entry[0], entry[1], self._load(case_id))

    @_guarded
    def add_visit(self, case_id: str, visit: FollowUpVisit, user: str, *, write_key: str | None = None,
                  typed_as: str | None = None) -> Changes:
        """Add a follow-up visit (validated against the case as the importer would); ``write_key``,
        ``typed_as``: see ``Store.add_visit`` (saved once; the kept copy's typist named)."""
        from radiculopathy_desktop.domain.intake import ValidationError

        engine_common.refuse_broken_text(visit, "visit")  # not storable: said, nothing written (rt17 F13)
        now = _now()
        key = engine_common.keyed_detail(write_key, visit)
        detail = {"date": visit.date.isoformat(), "leg_nrs": visit.leg_nrs, "back_nrs": visit.back_nrs,
                  "odi_percent": visit.odi_percent, "rmdq": visit.rmdq, **engine_common.visit_pregnancy_detail(visit),
                  **key, **engine_common.typed_as_detail(typed_as, user)}
        with self._write():
            case = self._load(case_id)
            entry = self._keyed_entry(case_id, write_key) if key else None
            if entry is not None:
                saved = engine_common.check_same_keyed_record(entry[0], entry[1], "visit_added", detail,
                                                              record=visit, held=case.visits)
                return Changes(case_ids=(case_id,), worklist=True, case=case, already_saved=True, saved_record=saved)
            try:
                # old decisions name what they acknowledge before a record is added (rt10 F11);
                # the visit is entered now, after every record the case holds (rt12 F2)
                visit = dataclasses.replace(visit, entry=_EntrySequence(self._db.conn).next_saved())
                updated = freeze_legacy_acknowledgements(case).with_visit(visit)
            except ValidationError as exc:
                raise exc.with_context(f"case {case_id}") from None
            self._write_case(updated, now)
            if visit.pregnancy is not None:  # a contradiction with another case of the patient, kept (gp17 F5)
                detail.update(engine_common.visit_pregnancy_differs(
                    case, updated, self._patients_cases([case.patient.id]), visit.date))
            self._audit(user, "visit_added", case_id, detail, at=now)
        log.info("visit added to a case")
        return Changes(case_ids=(case_id,), worklist=True, case=updated)

    @_guarded
    def record_decision(self, case_id: str, decision: Decision, user: str,
                        acknowledged_red_flags: Mapping[str, Any] | None = None, *,
                        write_key: str | None = None, unanswered_confirmed: Sequence[str] = (),
                        open_case_as_of: dt.date | None = None,
                        new_episode: "bool | Iterable[str]" = False, typed_as: str | None = None) -> Changes:
        """Record a clinician decision (referred, continue until, declined, resolved).

        With ``open_case_as_of``, a decision that re-opens the case, closed on that date, while
        the patient has another open case is refused (``domain.episodes.ReopenRefused``, nothing
        saved) unless ``new_episode`` allows it, which the audit entry keeps under
        ``new_episode_while_open`` (``engine_common.reopen_check``, rt16 F2).

        ``acknowledged_red_flags``: the standing emergency/urgent red flags the clinician
        acknowledged to close or pause the case (``domain.followup.red_flags_to_acknowledge``);
        kept in the audit entry. What the decision itself acknowledges is its
        ``acknowledged_red_flags`` (set by the caller; if unset, these flags or none). ``write_key``: see ``Store.add_visit`` (saved once).
        """
        from radiculopathy_desktop.domain.intake import ValidationError

        engine_common.refuse_broken_text(decision, "decision")  # not storable: said, nothing written (rt17 F13)
        now = _now()
        decision, detail = engine_common.decision_to_write(decision, acknowledged_red_flags, unanswered_confirmed)
        key = engine_common.keyed_detail(write_key, decision)
        detail |= key | engine_common.typed_as_detail(typed_as, user)
        with self._write():
            case = self._load(case_id)
            entry = self._keyed_entry(case_id, write_key) if key else None
            if entry is not None:
                saved = engine_common.check_same_keyed_record(entry[0], entry[1], "decision_recorded", detail,
                                                              record=decision, held=case.decisions)
                return Changes(case_ids=(case_id,), worklist=True, case=case, already_saved=True, saved_record=saved)
            try:
                decision = dataclasses.replace(engine_common.typed_against_kept(decision, case),
                                               entry=_EntrySequence(self._db.conn).next_saved())
                updated = case.with_decision(decision)
            except ValidationError as exc:
                raise exc.with_context(f"case {case_id}") from None
            if open_case_as_of is not None:
                from radiculopathy_desktop.domain.episodes import NEW_EPISODE_AUDIT_KEY

                reopened = engine_common.reopen_check(case, updated, open_case_as_of, self.get_settings(),
                                                      self._patients_cases, new_episode)
                if reopened:
                    detail[NEW_EPISODE_AUDIT_KEY] = reopened
            self._write_case(updated, now)
            self._audit(user, "decision_recorded", case_id, detail, at=now)
        log.info("decision recorded on a case")
        return Changes(case_ids=(case_id,), worklist=True, case=updated,
                       new_episode_while_open=tuple(detail.get("new_episode_while_open", ())))

    @_guarded
    def set_medicines(self, case_id: str, medicines: Sequence, user: str, *, shown: Sequence) -> Changes:
        """Replace the case's current medicines (``Store.set_medicines``): refused
        (``MedicinesChangedMeanwhile``, nothing written) when the stored list is not ``shown``, the
        list the editor opened with; audited ``medicines_changed`` with the lists before and after;
        the stored dose alerts, outcome and fact history are derived again (``_write_case``)."""
        from radiculopathy_desktop.domain import medicine_edit
        from radiculopathy_desktop.domain.intake import ValidationError

        medicines = tuple(medicines)
        now = _now()
        with self._write():
            case = self._load(case_id)
            medicine_edit.check_unchanged(case, tuple(shown))
            try:
                updated = medicine_edit.with_medicines(case, medicines)
            except ValidationError as exc:
                raise exc.with_context(f"case {case_id}") from None
            detail = medicine_edit.audit_detail(case.intake.medicines, updated.intake.medicines)
            if updated.intake.medicines == case.intake.medicines:
                return Changes(case_ids=(case_id,), case=case)  # nothing changed: nothing written or audited
            self._write_case(updated, now)
            self._audit(user, medicine_edit.MEDICINES_CHANGED, case_id, detail, at=now)
        log.info("medicines of a case corrected")
        return Changes(case_ids=(case_id,), worklist=True, case=updated)

    @_guarded
    def set_conditions(self, case_id: str, conditions, user: str, *, shown) -> Changes:
        """Replace the case's conditions (``Store.set_conditions``, medfix2): refused
        (``ConditionsChangedMeanwhile``, nothing written) when the stored conditions are not those of
        ``shown``, the case the editor opened with; audited ``conditions_changed`` with the
        conditions before and after; the stored dose alerts, outcome and fact history are derived
        again in the same write (``_write_case``)."""
        from radiculopathy_desktop.domain import conditions_edit

        now = _now()
        with self._write():
            case = self._load(case_id)
            corrected = conditions_edit.correction(case, shown, conditions, case_id)
            if corrected is None:
                return Changes(case_ids=(case_id,), case=case)  # nothing changed: nothing written or audited
            updated, detail = corrected
            self._write_case(updated, now)
            self._audit(user, conditions_edit.CONDITIONS_CHANGED, case_id, detail, at=now)
        log.info("conditions of a case corrected")
        return Changes(case_ids=(case_id,), worklist=True, case=updated)

    # ---- assessments
    @_guarded
    def save_assessment(self, case_id: str, assessment: Mapping[str, Any], *, visit_date: dt.date,
                        content_version: str, user: str) -> Changes:
        """Keep the assessment shown at a visit (the engine's JSON) with its guideline content version."""
        if not content_version:
            raise UserError("An assessment must carry the guideline content version it was made with.")
        text = _json(dict(assessment))
        now = _now()
        with self._write():
            if not self.has_case.__wrapped__(self, case_id):
                raise CaseNotFound(case_id)
            cur = self._db.conn.execute(
                "INSERT INTO assessments (case_id, visit_date, content_version, assessment_json, created_at, "
                "created_by) VALUES (?, ?, ?, ?, ?, ?)",
                (case_id, visit_date.isoformat(), content_version, text, now, user))
            self._audit(user, "assessment_saved", case_id, {"visit_date": visit_date.isoformat(),
                                                           "content_version": content_version,
                                                           "assessment_id": cur.lastrowid}, at=now)
        return Changes(case_ids=(case_id,), assessments=True)

    @_guarded
    def assessments(self, case_id: str) -> list[StoredAssessment]:
        rows = self._rows(
            "SELECT id, case_id, visit_date, content_version, assessment_json, created_at, created_by "
            "FROM assessments WHERE case_id = ? ORDER BY visit_date, id", (case_id,))
        return [StoredAssessment(r["id"], r["case_id"], dt.date.fromisoformat(r["visit_date"]), r["content_version"],
                                 json.loads(r["assessment_json"]), r["created_at"], r["created_by"]) for r in rows]

    # ---- worklist
    @_guarded
    def worklist(self, as_of: dt.date, statuses: Iterable[ReviewStatus | str] | None = None,
                 search: str | None = None, settings: ReviewSettings | None = None,
                 limit: int | None = None, offset: int = 0, profile: str = "us",
                 medicine_alerts_only: bool = False, today: dt.date | None = None) -> list[wl.WorklistRow]:
        """Cases needing attention on ``as_of``, in worklist order.

        ``statuses`` defaults to :data:`~radiculopathy_desktop.domain.followup.WORKLIST_STATUSES`;
        ``search`` matches patient name, patient id or case id; ``limit``/``offset``
        page through the list for lazy loading. Statuses equal the engine's
        :func:`~radiculopathy_desktop.domain.followup.surgical_review` for every case.
        Cases whose intake is after ``as_of`` did not exist yet and are left out.
        Each row carries ``dose_alerts``: current doses above the patient's maximum
        under the guideline ``profile`` (stored when the case was saved), and its
        ``medicine_alerts`` and ``pregnancy`` on ``as_of``. ``medicine_alerts_only``: only the
        cases with a medicine-safety alert on ``as_of`` under ``profile``. ``today``: the date
        today, when ``as_of`` may be a past one (the pregnancy words say "on DATE"; rt21 F6).
        """
        s = settings or self.get_settings()
        if medicine_alerts_only:  # the cases listed for a pregnancy differing are read with the alert cases
            differs = self._pregnancy_differs(as_of, profile, today)
            rows = wl.query(self, as_of, s, statuses=statuses, search=search, limit=limit, offset=offset,
                            alerts_profile=profile, also_ids=wl.listed_for_pregnancy(differs))
        else:  # only the rows' own patients can differ on a row (st20: not every patient's, at every page)
            rows = wl.query(self, as_of, s, statuses=statuses, search=search, limit=limit, offset=offset)
            differs = self._pregnancy_differs(as_of, profile, today, on=wl.case_ids(rows))
        return wl.attach_pregnancy_differs(wl.attach_dose_alerts(self, rows, profile), differs)

    def _pregnancy_differs(self, as_of: dt.date, profile: str, today: dt.date | None = None,
                           on: "Sequence[str] | None" = None) -> dict:
        """``storage.worklist.pregnancy_differs_cases`` of the patients who may have one (``on``: only
        the patients of these cases; an empty list: none)."""
        if on is None:
            found = self._db.conn.execute(wl.PREGNANCY_CANDIDATES_SQL)
        elif not on:
            return {}
        elif len(on) >= wl.PREGNANCY_SCAN_FROM:  # a long list: its few candidates, not each listed case's key
            found = wl.listed_pregnancy_candidates(self._db.conn, on)
        else:
            found = self._db.conn.execute(wl.PREGNANCY_CANDIDATES_ON_SQL, {"ids": json.dumps(list(on))})
        found = wl.pregnancy_candidates(found, as_of)
        return wl.pregnancy_differs_cases(self, found, as_of, profile, today) if found else {}

    @_guarded
    def medicine_alert_count(self, as_of: dt.date, statuses: Iterable[ReviewStatus | str] | None = None,
                             profile: str = "us", settings: ReviewSettings | None = None) -> int:
        """How many cases the Medicine alerts filter lists: ``len(self.worklist(as_of, statuses,
        profile=profile, medicine_alerts_only=True))``, counted in the database from the stored
        spans (the window runs it after every reload of the list; wl18)."""
        return wl.count_medicine_alerts(self, as_of, settings or self.get_settings(), statuses, profile,
                                        wl.listed_for_pregnancy(self._pregnancy_differs(as_of, profile)))

    @_guarded
    def status_counts(self, as_of: dt.date, settings: ReviewSettings | None = None) -> dict[ReviewStatus, int]:
        """How many cases have each status on ``as_of`` (every status present, zeros included)."""
        return wl.counts(self, as_of, settings or self.get_settings())

    # ---- patients
    @_guarded
    def search_patients(self, text: str, limit: int = 50) -> list[PatientMatch]:
        """Patients whose name, id or case id contains ``text`` (case-insensitive; an ID also by
        its ``patient_key``: ``pid-ñ`` finds ``PİD-Ñ``), and every other ID of each patient found
        (the same key: one patient, shown with each ID as typed; id18)."""
        from radiculopathy_desktop.domain.episodes import patient_key

        like = "%" + wl.escape_like(text.strip()) + "%"
        rows = self._rows(
            "SELECT p.patient_id, p.name, p.birth_date, p.age_years, p.sex, "
            "       (SELECT group_concat(case_id, char(31)) FROM "
            "          (SELECT case_id FROM cases WHERE patient_id = p.patient_id ORDER BY intake_date)) AS case_ids "
            "FROM patients p WHERE p.name LIKE :q ESCAPE '\\' OR p.patient_id LIKE :q ESCAPE '\\' "
            "   OR p.patient_id IN (SELECT patient_id FROM cases WHERE case_id LIKE :q ESCAPE '\\' "
            "                       OR patient_key LIKE :key ESCAPE '\\') "
            "ORDER BY p.name COLLATE NOCASE, p.patient_id LIMIT :limit",
            {"q": like, "key": "%" + wl.escape_like(patient_key(text.strip())) + "%", "limit": limit})
        rows += self._same_key_patients(rows)
        return [PatientMatch(r["patient_id"], r["name"], dt.date.fromisoformat(r["birth_date"]) if r["birth_date"]
                             else None, r["age_years"], r["sex"],
                             tuple(r["case_ids"].split("\x1f")) if r["case_ids"] else ()) for r in rows]

    def _same_key_patients(self, rows) -> list:
        """The stored patients whose ID has the ``cases.patient_key`` (m009) of a matched patient's
        but was not matched itself (``LIKE`` folds ASCII capitals only: a search for ``ñuñez``
        misses ``P-ÑUÑEZ``), so the patient list shows every ID one patient was typed with
        (id18); by the key's index, at most one look-up of the matched keys."""
        from radiculopathy_desktop.domain.episodes import patient_key

        have = {r["patient_id"] for r in rows}
        keys = sorted({patient_key(p) for p in have})
        if not keys:
            return []
        marks = ", ".join("?" * len(keys))
        found = self._rows(
            "SELECT p.patient_id, p.name, p.birth_date, p.age_years, p.sex, "
            "       (SELECT group_concat(case_id, char(31)) FROM "
            "          (SELECT case_id FROM cases WHERE patient_id = p.patient_id ORDER BY intake_date)) AS case_ids "
            f"FROM patients p WHERE p.patient_id IN (SELECT patient_id FROM cases WHERE patient_key IN ({marks})) "
            "ORDER BY p.name COLLATE NOCASE, p.patient_id", keys)
        # only another ID of a matched *person*: one whose patient differs is someone else (rt19 F5)
        from radiculopathy_desktop.domain.identity import same_person
        from radiculopathy_desktop.domain.intake import Patient

        def person(r) -> Patient:
            return Patient(id=r["patient_id"], name=r["name"], sex=r["sex"],
                           birth_date=dt.date.fromisoformat(r["birth_date"]) if r["birth_date"] else None)

        matched = [person(r) for r in rows]
        return [r for r in found if r["patient_id"] not in have and any(same_person(m, person(r)) for m in matched)]

    # ---- audit
    def _rows(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        """Rows read by column name (``row["case_id"]``), never by position."""
        cur = self._db.conn.cursor()
        cur.row_factory = sqlite3.Row
        return cur.execute(sql, params).fetchall()

    @_guarded
    def audit(self, case_id: str | None = None, limit: int | None = None,
              newest_first: bool = False) -> list[AuditEntry]:
        """Audit entries, oldest first (``newest_first``: newest first), for one case or all;
        at most ``limit``. The one reader of the audit table: a detail that cannot be read
        (damaged JSON) comes back as ``{}``, never as an error."""
        sql = f"SELECT {', '.join(_AUDIT_COLUMNS)} FROM audit"
        params: list[Any] = []
        if case_id is not None:
            sql += " WHERE case_id = ?"
            params.append(case_id)
        sql += " ORDER BY id DESC" if newest_first else " ORDER BY id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [_audit_entry(r) for r in self._rows(sql, params)]

    @_guarded
    def latest_audit(self, action: str) -> AuditEntry | None:
        """The newest audit entry of ``action`` not about one case (an upgrade's, a setting's),
        or None; through the ``audit_case`` index (case_id NULL), not a scan of every case's
        entries (the window reads it at each open: the IDs an upgrade kept apart, fxc18)."""
        sql = (f"SELECT {', '.join(_AUDIT_COLUMNS)} FROM audit WHERE case_id IS NULL AND action = ? "
               "ORDER BY id DESC LIMIT 1")
        rows = self._rows(sql, [action])
        return _audit_entry(rows[0]) if rows else None

    @_guarded
    def audit_count(self, case_id: str | None = None) -> int:
        """How many audit entries there are (for one case, or all)."""
        if case_id is None:
            return self._db.conn.execute("SELECT count(*) FROM audit").fetchone()[0]
        return self._db.conn.execute("SELECT count(*) FROM audit WHERE case_id = ?", (case_id,)).fetchone()[0]

    # ---- settings
    def _raw_setting(self, key: str, default: Any = None) -> Any:
        row = self._db.conn.execute("SELECT value_json FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else decode_stored_json(row[0])  # names written twice kept (rt10 F9)

    def _put_setting(self, key: str, value: Any, now: str) -> None:
        self._db.conn.execute("INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?) "
                              "ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json, "
                              "updated_at = excluded.updated_at", (key, _json(value), now))

    @_guarded
    def setting(self, key: str, default: Any = None) -> Any:
        """One stored clinic setting's value (``default`` when unset), for the storage helpers
        that keep their own setting (the access lock, the number of backups to keep).
        Raises ``ValueError`` when the stored value is damaged (not JSON)."""
        return self._raw_setting(key, default)

    @_guarded
    def put_setting(self, key: str, value: Any, *, user: str, detail: Mapping[str, Any]) -> Changes:
        """Store one setting and audit it as ``settings_changed`` with ``detail``, in one
        transaction (joining the caller's :meth:`transaction` when one is open)."""
        if key in _OWN_KEYS:
            raise ValueError(f"{key} is written through its own method, not put_setting")
        now = _now()
        with self._write():
            self._put_setting(key, value, now)
            self._audit(user, "settings_changed", None, detail, at=now)
        return Changes(settings=True)

    @_guarded
    def delete_setting(self, key: str, *, user: str, detail: Mapping[str, Any]) -> bool:
        """Remove one setting (audited as ``settings_changed`` with ``detail``); False when unset."""
        if key in _OWN_KEYS:
            raise ValueError(f"{key} is written through its own method, not delete_setting")
        with self._write():
            cur = self._db.conn.execute("DELETE FROM settings WHERE key = ?", (key,))
            if not cur.rowcount:
                return False
            self._audit(user, "settings_changed", None, detail)
        return True

    @_guarded
    def get_settings(self) -> ReviewSettings:
        """The clinic's review settings: the packaged defaults with any stored changes."""
        self._settings_caches_current()
        if self._settings_cache is None:
            row = self._db.conn.execute("SELECT value_json FROM settings WHERE key = 'review'").fetchone()
            self._settings_cache = engine_common.review_settings_from_text(None if row is None else row[0],
                                                                           REVIEW_SETTING_NAMES)
        return self._settings_cache

    @_guarded
    def set_settings(self, values: Mapping[str, Any], user: str) -> Changes:
        """Change review settings (validated; raises ``SettingsError``). Review facts are
        recomputed for every case, in the same transaction, when a threshold that
        decides improvement or resolution changes."""
        now = _now()
        with self._write():
            self._settings_cache = None
            before = self.get_settings()
            after = before.updated(dict(values))
            stored = {k: getattr(after, k) for k in REVIEW_SETTING_NAMES
                      if getattr(after, k) != getattr(default_review_settings(), k)}
            self._db.conn.execute("INSERT INTO settings (key, value_json, updated_at) VALUES ('review', ?, ?) "
                                 "ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json, "
                                 "updated_at = excluded.updated_at", (_json(stored), now))
            changed = {k: [getattr(before, k), getattr(after, k)] for k in REVIEW_SETTING_NAMES
                       if getattr(before, k) != getattr(after, k)}
            self._audit(user, "settings_changed", None, changed, at=now)
            self._settings_cache = after
            if facts_key(before) != facts_key(after):
                self._recompute_facts(after)  # the review facts and the outcome facts
            elif _outcome_key(before) != _outcome_key(after):  # the review window: the outcome facts only
                self._recompute_outcome_facts(after)
        self._settings_cache = None
        return Changes(settings=True, worklist=bool(changed))

    @_guarded
    def refresh_stale_review_facts(self) -> int:
        """Recompute the stored review facts made under other settings or an older rule
        version (``REVIEW_FACTS_VERSION``); returns how many cases were rewritten.

        Worklist results are right without it (stale rows take the exact path, case by
        case, on every query); this makes them fast again after an upgrade. One write
        transaction; a no-op when every row is current. Run once by
        :meth:`upgrade_derived_data` on the first open after an upgrade.
        """
        key = facts_key(self.get_settings())
        if self._db.conn.execute("SELECT 1 FROM cases WHERE facts_key <> ? LIMIT 1", (key,)).fetchone() is None:
            return 0
        with self._write():
            return self._refresh_stale_facts()

    def _refresh_stale_facts(self, history: bool = True, tick: "Callable[[int], object] | None" = None) -> int:
        """Rewrite the review facts (and, with ``history``, the facts history) of the cases
        whose stored facts were made under other settings or an older rule version;
        ``tick(n)`` after the n-th case."""
        s = self.get_settings()
        key = facts_key(s)
        conn = self._db.conn
        done = 0
        for chunk in self._stored_chunks(stale_key=key):  # rewritten rows are no longer stale: keyset-safe
            updates = []
            for cid, text in chunk:
                done += 1
                if tick is not None:
                    tick(done)
                case = self._parse_stored(cid, text)
                facts = _facts_columns(review_facts(case, latest_event_date(case), s))
                updates.append(tuple(facts[n] for n in FACT_COLUMNS) + (baseline_leg(case), key, cid))
                if history:
                    conn.execute("DELETE FROM case_fact_history WHERE case_id = ?", (cid,))
                    conn.executemany(_INSERT_HISTORY, history_rows(case, s, key))
            conn.executemany(_UPDATE_FACTS, updates)
        return done

    def _recompute_outcome_facts(self, s: ReviewSettings) -> None:
        conn, key = self._db.conn, _outcome_key(s)
        for chunk in self._stored_chunks():
            conn.executemany(outcome_upsert_sql("?"),
                             [_outcome_row(self._parse_stored(cid, text), s, key) for cid, text in chunk])

    def _recompute_facts(self, s: ReviewSettings) -> None:
        key = facts_key(s)
        conn = self._db.conn
        outcome_key = _outcome_key(s)
        conn.execute("DELETE FROM case_fact_history")  # every case's history, under the new thresholds
        for chunk in self._stored_chunks():
            updates, outcomes = [], []
            for cid, text in chunk:
                case = self._parse_stored(cid, text)
                facts = _facts_columns(review_facts(case, latest_event_date(case), s))
                updates.append(tuple(facts[n] for n in FACT_COLUMNS) + (baseline_leg(case), key, cid))
                outcomes.append(_outcome_row(case, s, outcome_key))  # they depend on the same settings
                conn.executemany(_INSERT_HISTORY, history_rows(case, s, key))
            conn.executemany(_UPDATE_FACTS, updates)
            conn.executemany(outcome_upsert_sql("?"), outcomes)

    # ---- the clinic's details
    @_guarded
    def clinic_settings(self) -> ClinicSettings:
        """The clinic's name, address, country and default guideline profile (defaults when unset)."""
        self._settings_caches_current()
        if self._clinic_cache is None:
            keys = tuple(clinic.SETTING_KEYS.values())
            rows = self._db.conn.execute(
                f"SELECT key, value_json FROM settings WHERE key IN ({', '.join('?' * len(keys))})", keys)
            stored = {}
            for key, text in rows:
                try:
                    stored[key] = json.loads(text)
                except ValueError:
                    log.warning("a stored clinic setting is damaged; using its default")
            self._clinic_cache = clinic.from_stored(stored)
        return self._clinic_cache

    @_guarded
    def set_clinic_settings(self, settings: ClinicSettings, user: str) -> Changes:
        """Store the clinic's details (validated: :class:`~radiculopathy_desktop.domain.clinic.ClinicSettingsError`,
        a ``ValueError``, names the field). One transaction; one ``settings_changed`` audit
        entry with each changed field's old and new value; nothing written when nothing changed.
        ``Changes(settings=True)`` (and ``worklist=True`` when the profile, whose dose maxima
        the worklist marks, changed)."""
        after = settings.validated(new_input=False)  # the new text was checked by ClinicSettings.updated (rt10 F8)
        now = _now()
        with self._write():
            self._clinic_cache = None
            before = self.clinic_settings.__wrapped__(self)
            changed = before.differences(after)
            if not changed:
                return Changes()
            for field_name in changed:
                value = getattr(after, field_name)
                key = clinic.SETTING_KEYS[field_name]
                if value is None:
                    self._db.conn.execute("DELETE FROM settings WHERE key = ?", (key,))
                else:
                    self._put_setting(key, value, now)
            self._audit(user, "settings_changed", None,
                        {clinic.SETTING_KEYS[k]: v for k, v in changed.items()}, at=now)
            self._clinic_cache = None
        self._clinic_cache = None
        return Changes(settings=True, worklist="profile" in changed)

    # ---- audit of access (who viewed, printed or exported which case) and of the lock
    AUDITED_ACTIONS = frozenset({"case_viewed", "handout_printed", "handout_saved", "summary_pdf_exported",
                                 "fhir_exported", "cases_csv_exported", "worklist_csv_exported",
                                 "worklist_listed"}) | frozenset(ACCESS_ACTIONS)

    @_guarded
    def record_audit(self, user: str, action: str, case_id: str | None,
                     detail: Mapping[str, Any] | None = None) -> Changes:
        """Append one access event (view, print, export; unlock, lock, change of user) to the
        append-only audit table; ``action`` must be one of :attr:`AUDITED_ACTIONS`
        (``ValueError`` otherwise: changes of data are audited by the method that makes them).
        Joins the caller's :meth:`transaction` when one is open."""
        if action not in self.AUDITED_ACTIONS:
            raise ValueError(f"not an audited access action: {action}")
        with self._write():
            self._audit(user, action, case_id, detail)
        return Changes(case_ids=(case_id,) if case_id else ())

    # ---- drafts (the intake wizard's half-finished forms)
    @_guarded
    def save_draft(self, key: str, value: Any) -> Changes:
        self._db.execute("INSERT INTO drafts (key, value_json, updated_at) VALUES (?, ?, ?) "
                        "ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json, "
                        "updated_at = excluded.updated_at", (key, _json(value), _now()))
        return Changes(drafts=True)

    @_guarded
    def load_draft(self, key: str) -> Any | None:
        row = self._db.conn.execute("SELECT value_json FROM drafts WHERE key = ?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    @_guarded
    def delete_draft(self, key: str) -> Changes:
        self._db.execute("DELETE FROM drafts WHERE key = ?", (key,))
        return Changes(drafts=True)

    @_guarded
    def list_drafts(self) -> list[tuple[str, str]]:
        """(key, updated_at) of every draft, newest first."""
        return [tuple(r) for r in self._db.conn.execute("SELECT key, updated_at FROM drafts ORDER BY updated_at DESC, key")]

    # ---- maintenance
    @_guarded
    def integrity_check(self) -> list[str]:
        """``PRAGMA integrity_check`` lines; ``["ok"]`` when the file is sound."""
        return [r[0] for r in self._db.conn.execute("PRAGMA integrity_check")]

