"""The controlled vocabulary of the case format.

Every code here appears in the JSON case format (``resources/schemas/case.schema.json``),
in the guideline data (``resources/guidelines/``) and in the database. Labels are the
words a clinician sees. Changing a code is a format change: add, never rename.
"""

from __future__ import annotations

import datetime as _dt

from radiculopathy_desktop.domain.vocab import DECISION_LABELS, DecisionKind

# --- Red-flag screen ------------------------------------------------------------
# Each question is answered "yes", "no" or "unknown"; unknown is never treated as no.
RED_FLAG_QUESTIONS: dict[str, str] = {
    "saddle_anaesthesia": "Saddle (perineal) numbness or altered sensation",
    "urinary_retention_or_incontinence": "Urinary retention, hesitancy or incontinence",
    "faecal_incontinence_or_loss_of_rectal_sensation": "Faecal incontinence or loss of rectal sensation",
    "bilateral_leg_symptoms": "Sciatica or neurological symptoms in both legs",
    "new_sexual_dysfunction": "New sexual dysfunction",
    "progressive_neurological_deficit": "Progressive neurological deficit (worsening weakness or numbness)",
    "fever": "Fever or feeling systemically unwell",
    "iv_drug_use": "Intravenous drug use",
    "immunosuppression": "Immunosuppression (drugs, HIV, transplant, chemotherapy)",
    "recent_bacterial_infection": "Recent bacterial infection (e.g. urinary, skin) or spinal procedure",
    "history_of_cancer": "History of cancer",
    "unexplained_weight_loss": "Unexplained weight loss",
    "night_or_rest_pain": "Pain at night or at rest, not eased by position",
    "significant_trauma": "Significant trauma (e.g. a fall from a height or a road traffic collision)",
    "minor_trauma": "Minor trauma (e.g. a fall from standing height, lifting, a cough)",
    "prolonged_corticosteroid_use": "Prolonged corticosteroid use",
}
ANSWERS = ("yes", "no", "unknown")
#: Questions about the patient's history or a lasting state, not a symptom or an event that
#: can happen again between visits: a "yes" answered again confirms what was known, it is
#: not a new report (red-team rt13 F9: a history of cancer re-confirmed at every re-screen
#: made the case Immediate again after every decision). A change from no or unknown to yes
#: is still new. Trauma, infection and every symptom can recur, so a "yes" to them is new.
HISTORY_QUESTIONS = frozenset({"history_of_cancer", "iv_drug_use", "immunosuppression",
                               "prolonged_corticosteroid_use"})

# --- Symptom distribution ---------------------------------------------------------
SIDES = ("left", "right", "bilateral")

# Regions are fine enough to tell L3, L4, L5 and S1 apart (see domain/roots.py for
# the dermatome mapping and its sources).
SYMPTOM_REGIONS: dict[str, str] = {
    "buttock": "Buttock",
    "anterior_thigh": "Front of thigh",
    "anterior_knee": "Front of knee",
    "lateral_thigh": "Outer thigh",
    "posterior_thigh": "Back of thigh",
    "medial_knee": "Inner knee",
    "medial_leg": "Inner shin (to the inner ankle)",
    "lateral_leg": "Outer calf / outer shin",
    "posterior_calf": "Back of calf",
    "medial_ankle": "Inner ankle (medial malleolus)",
    "dorsum_foot": "Top of foot",
    "great_toe": "Big toe and first web space",
    "lateral_foot": "Outer edge of foot",
    "sole": "Sole of foot",
    "heel": "Heel",
    "little_toe": "Little toe",
}

# --- Examination -------------------------------------------------------------------
NERVE_TENSION_RESULTS = ("positive", "negative", "not_tested")
MUSCLE_GROUPS: dict[str, str] = {
    "hip_flexion": "Hip flexion",
    "knee_extension": "Knee extension",
    "ankle_dorsiflexion": "Ankle dorsiflexion",
    "great_toe_extension": "Great-toe extension",
    "plantar_flexion": "Plantar flexion",
    "ankle_eversion": "Ankle eversion",
}
REFLEX_RESULTS = ("normal", "reduced", "absent", "brisk", "not_tested")
REFLEXES: dict[str, str] = {"patellar": "Patellar (knee) reflex", "achilles": "Achilles (ankle) reflex"}
# Upper motor neurone signs and sensation: none of these come from a lumbar nerve root
# lesion except sensory loss; see domain/triage.py (brisk reflexes, an extensor plantar
# response or clonus are not radiculopathy).
PLANTAR_RESULTS = ("flexor", "extensor", "equivocal", "not_tested")
CLONUS_RESULTS = ("absent", "present", "not_tested")
SENSORY_RESULTS = ("normal", "reduced", "not_tested")

SEXES = ("female", "male", "other", "unknown")

# --- Conditions ----------------------------------------------------------------------
# Boolean conditions: true, false or null (not recorded). Null is not "no".
BOOLEAN_CONDITIONS: dict[str, str] = {
    "ckd": "Chronic kidney disease",
    "dialysis": "On dialysis",
    "gi_bleed_or_ulcer": "GI bleed or peptic ulcer (history)",
    "heart_failure": "Heart failure",
    "cardiovascular_disease": "Cardiovascular disease (MI, stroke, angina, PAD)",
    "hepatic_impairment": "Hepatic impairment",
    "diabetes": "Diabetes",
    "copd": "COPD or other respiratory disease",
    "arrhythmia": "Arrhythmia or heart block",
    "hyperthyroidism": "Hyperthyroidism",
    "osteoporosis": "Osteoporosis",
    "recent_myocardial_infarction": "Myocardial infarction in the past 3 months",
    "falls_history": "History of falls or fractures",
}
ALCOHOL_USE = ("none", "within_limits", "above_limits", "unknown")

# --- Treatments tried (shared with guideline steps) ----------------------------------
TREATMENTS: dict[str, str] = {
    "advice_self_management": "Advice, reassurance and self-management",
    "stay_active": "Staying active / graded activity",
    "heat": "Local heat",
    "exercise_therapy": "Exercise therapy / physiotherapy",
    "manual_therapy": "Manual therapy (manipulation, mobilisation)",
    "massage": "Massage",
    "acupuncture": "Acupuncture",
    "psychological_therapy": "Psychological therapy (e.g. CBT)",
    "combined_physical_psychological": "Combined physical and psychological programme",
    "mind_body": "Yoga, tai chi, mindfulness-based stress reduction",
    "nsaid": "NSAID",
    "acetaminophen": "Acetaminophen (paracetamol)",
    "muscle_relaxant": "Skeletal muscle relaxant",
    "gabapentinoid": "Gabapentin or pregabalin",
    "oral_corticosteroid": "Oral corticosteroid taper",
    "opioid": "Opioid (including tramadol)",
    "epidural_steroid_injection": "Epidural steroid injection",
    "imaging_mri": "MRI of the lumbar spine",
    "surgical_opinion": "Surgical opinion",
    "surgery": "Spinal surgery (e.g. discectomy)",
    "bed_rest": "Bed rest (more than a day or two)",
}
#: What a treatment taken NOW is called when it differs from the step's name: a steroid the
#: patient takes now may be a long-term maintenance dose, not a taper (med16).
TAKING_NOW_LABELS: dict[str, str] = {
    "oral_corticosteroid": "Oral corticosteroid",
}

# --- Clinician decisions -------------------------------------------------------------
DECISIONS = DECISION_LABELS  # the one label table of decision kinds (domain/vocab.py)

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def clinic_date(value) -> str:
    """A date as a clinician reads it: "10 Jan 2027" (unambiguous in every country; never
    the locale's month names). Accepts a ``datetime.date`` or an ISO "YYYY-MM-DD" string."""
    if isinstance(value, str):
        try:
            value = _dt.date.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, _dt.date):
        return "" if value is None else str(value)
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def decision_sentence(kind: str | None, until=None) -> str:
    """A decision as a sentence: "Continue conservative care until 10 Jan 2027"."""
    if kind == DecisionKind.CONTINUE_CONSERVATIVE_CARE:
        return "Continue conservative care" + (f" until {clinic_date(until)}" if until else "")
    return DECISIONS.get(kind or "", str(kind or ""))

# --- Pain classification and special considerations (issue 18) ------------------------
# The clinician's classification of the pain mechanism (IASP terms); more than one may
# apply (mixed pain). Not recorded = an empty list, never "none of these".
PAIN_CLASSIFICATIONS: dict[str, str] = {
    "nociceptive": "Nociceptive (tissue, e.g. facet joint or muscle)",
    "neuropathic": "Neuropathic (nerve root: radicular pain)",
    "nociplastic": "Nociplastic (altered pain processing, no clear tissue or nerve cause)",
}
# Special considerations recorded in the intake conditions (true, false or null). Age
# (older patients) comes from the birth date or age, not from a tick.
SPECIAL_CONSIDERATIONS: dict[str, str] = {
    "connective_tissue_disorder": "Connective tissue disorder (e.g. hypermobility, Ehlers-Danlos)",
    "pelvic_floor_dysfunction": "Pelvic floor dysfunction (long-standing, already assessed)",
}
#: Age from which the pathway treats a patient as an older patient (Beers Criteria: 65).
OLDER_PATIENT_AGE = 65
