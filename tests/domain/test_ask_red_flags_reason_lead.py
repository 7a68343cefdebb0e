"""The worklist's reason for an incomplete cauda equina screen leads, as the red-flag data's
ask-now action does since sn16 (H-TRI-226), with the data's lead "Cauda equina syndrome has not
been excluded" (wl17). The worklist said only "Red-flag screen incomplete: ...", which a GP can
read as paperwork.

NICE CKS Sciatica, interpreting red flags (resources/rules/red_flags.toml,
``cks-sciatica-red-flags``): "Red flags should be explicitly looked for: the person may not
report symptoms such as perineal numbness unless asked; cauda equina syndrome would usually
warrant immediate admission" (the data marks the current CKS text [unverified]).
"""

from __future__ import annotations

import datetime as dt

from radiculopathy_desktop.domain.followup import ReviewStatus, surgical_review
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.settings import ReviewSettings
from radiculopathy_desktop.domain.triage import load_rules

DAY = dt.date(2026, 6, 1)
FLAGS = {q: "no" for q in ("saddle_anaesthesia", "urinary_retention_or_incontinence",
                           "faecal_incontinence_or_loss_of_rectal_sensation", "bilateral_leg_symptoms",
                           "new_sexual_dysfunction", "fever", "history_of_cancer", "unexplained_weight_loss",
                           "significant_trauma", "progressive_neurological_deficit")}


def _case(**flags):
    return parse_case({
        "case_id": "C-1", "patient": {"id": "P-1", "name": "Invented Patient", "age_years": 45, "sex": "female"},
        "onset_date": "2026-04-01", "visit_date": "2026-04-08", "care_start_date": "2026-04-08", "side": "left",
        "regions": ["buttock", "lateral_leg"], "pain": {"leg_nrs": 7, "back_nrs": 4},
        "red_flags": {**FLAGS, **flags}, "examination": {"power": {"great_toe_extension": 5}},
        "function": {"odi_percent": 40}})


def test_an_unanswered_cauda_equina_question_reason_leads_with_not_excluded():
    review = surgical_review(_case(new_sexual_dysfunction="unknown"), DAY, ReviewSettings())
    assert review.status == ReviewStatus.ASK_RED_FLAGS
    lead = load_rules().ask_now_lead
    assert lead == "Cauda equina syndrome has not been excluded"
    assert review.reason == (f"{lead}. Red-flag screen incomplete: cauda equina questions unanswered: ask now "
                             "about sexual function. Unknown is not no: record the answers (if any is yes, this "
                             "is an emergency).")


def test_every_question_answered_has_no_such_reason():
    review = surgical_review(_case(), DAY, ReviewSettings())
    assert review.status != ReviewStatus.ASK_RED_FLAGS and "not been excluded" not in review.reason
