"""pathstep31 (GP tryout item 5, surgstep's "noticed"): the worklist's review status and the
pathway say one thing, in both profiles, in the domain, in `assess` json and text.

* The review is due and the patient said they would not consider surgery (Rae-like): the review
  is still due (the clinician discusses it): the step is Now, led by the review, and names the
  patient's wish and the decision to record ("patient declined"); never "Not now" beside "Due".
* The review is due and nobody asked whether the patient would consider surgery (Zev-like): the
  step says the question to ask, since imaging (before a surgical opinion in us) waits for it.
* After a referral for a surgical opinion no other step is Now, the current step is the referral,
  and a referral with no MRI on record where the ladder puts imaging first says so.
* `current_step_id` is the step whose state is "current" (the text prints recommendations under
  it only), so a snoozed review does not leave "surgical_opinion" current while the step is later."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.assess import SURGICAL_STEP, assess_case
from radiculopathy_desktop.domain.intake import parse_case

from helpers.cli_run import assess_output
from tests.domain.test_surgical_step_every_status_surgstep import TODAY, case, decided

PROFILES = ["us", "uk"]


def assessed(c: dict, profile: str, as_of: dt.date = TODAY):
    return assess_case(parse_case(c), as_of, profile)


def step(a, step_id=SURGICAL_STEP):
    return next(s for s in a.pathway.steps if s.id == step_id)


def current_states(a) -> list[str]:
    return [s.id for s in a.pathway.steps if s.state == "current"]


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("days,status", [(42, "due"), (84, "due"), (85, "overdue")])
def test_due_review_with_a_patient_who_would_not_consider_surgery_is_now_and_names_the_wish(profile, days, status):
    a = assessed(dict(case(days), would_consider_intervention="no"), profile)
    assert a.surgical_review.status.value == status
    s = step(a)
    assert s.state == "current"
    assert s.why[0].startswith(f"Review {status} now")
    assert "would not consider surgery" in s.why[1]
    assert 'record the decision "patient declined"' in s.why[1]
    assert not any(w.startswith("Not now") for w in s.why)


@pytest.mark.parametrize("profile", PROFILES)
def test_not_due_patient_who_would_not_consider_surgery_stays_not_applicable(profile):
    # day 41: the window is not open; the patient's "no" leaves the step not on offer
    a = assessed(dict(case(41), would_consider_intervention="no"), profile)
    assert a.surgical_review.status.value != "due"
    assert step(a).state == "not_applicable"


@pytest.mark.parametrize("profile", PROFILES)
def test_due_review_with_the_question_not_asked_says_to_ask_it(profile):
    a = assessed(case(70), profile)
    s = step(a)
    assert s.state == "current"
    assert s.why[1].startswith("Ask whether the patient would consider an injection or surgery")
    answered = step(assessed(dict(case(70), would_consider_intervention="yes"), profile))
    assert not any(w.startswith("Ask whether") for w in answered.why)


@pytest.mark.parametrize("profile", PROFILES)
def test_after_a_referral_no_other_step_is_now_and_the_current_step_is_the_referral(profile):
    a = assessed(case(70, decisions=[decided("referred_for_surgical_opinion")]), profile)
    assert a.surgical_review.status.value == "closed"
    assert step(a).state == "done"
    assert current_states(a) == []
    assert not any(s.state == "next" for s in a.pathway.steps)
    assert a.pathway.current_step_id == SURGICAL_STEP
    held = [s for s in a.pathway.steps if s.why and s.why[0].startswith("Referred for a surgical opinion on")
            and s.id != SURGICAL_STEP]
    assert held and all(s.state == "later" and "continue it only if you decide to" in s.why[0] for s in held)


def test_us_referral_without_mri_says_imaging_is_not_on_record_and_with_mri_does_not():
    no_mri = step(assessed(case(70, decisions=[decided("referred_for_surgical_opinion")]), "us"))
    assert any(w.startswith("No MRI is on record") for w in no_mri.why)
    with_mri = step(assessed(case(70, decisions=[decided("referred_for_surgical_opinion")],
                                  tried=[{"code": "imaging_mri"}]), "us"))
    assert with_mri.state == "done"
    assert not any(w.startswith("No MRI") for w in with_mri.why)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("c", [
    case(70, decisions=[decided("continue_conservative_care", until=(TODAY + dt.timedelta(days=28)).isoformat())]),
    case(70), case(35, leg_now=None), case(60, leg_now=4), case(70, decisions=[decided("patient_declined")]),
], ids=["snoozed", "due", "upcoming", "improving", "declined"])
def test_current_step_id_is_the_step_whose_state_is_current(profile, c):
    a = assessed(c, profile)
    now = current_states(a)
    # path33: with the review due the surgical opinion is the current step (the decision to make);
    # only a step that goes with every step (self-care) or that it needs first (us imaging) may be
    # Now beside it, saying so
    expected = (("imaging" if "imaging" in now else SURGICAL_STEP) if SURGICAL_STEP in now
                else (now[0] if now else None))  # us imaging, needed first, is led with (rd13)
    assert a.pathway.current_step_id == expected
    assert set(now) - {SURGICAL_STEP} <= ({"self_care", "imaging"} if SURGICAL_STEP in now else set(now))
    assert a.pathway.resume_step_id == a.pathway.current_step_id


def _assess_cli(capsys, tmp_path, c, profile, fmt):
    return assess_output(capsys, tmp_path, c, TODAY, profile, fmt)


@pytest.mark.parametrize("profile", PROFILES)
def test_cli_json_and_text_for_a_would_not_consider_due_case(capsys, tmp_path, profile):
    c = dict(case(70), would_consider_intervention="no")
    data = json.loads(_assess_cli(capsys, tmp_path, c, profile, "json"))
    s = next(s for s in data["pathway"]["steps"] if s["id"] == SURGICAL_STEP)
    assert s["state"] == "current" and "would not consider surgery" in s["why"][1]
    text = _assess_cli(capsys, tmp_path, c, profile, "text")
    at = text.index("6. Surgical opinion")
    block = " ".join(text[at: at + 700].split())
    assert block.startswith("6. Surgical opinion [current]")
    assert "would not consider surgery" in block


@pytest.mark.parametrize("profile", PROFILES)
def test_cli_snoozed_text_prints_no_recommendations_under_later(capsys, tmp_path, profile):
    c = case(70, decisions=[decided("continue_conservative_care", until=(TODAY + dt.timedelta(days=28)).isoformat())])
    data = json.loads(_assess_cli(capsys, tmp_path, c, profile, "json"))
    s = next(s for s in data["pathway"]["steps"] if s["id"] == SURGICAL_STEP)
    assert s["state"] == "later"
    assert data["pathway"]["current_step_id"] != SURGICAL_STEP
    text = _assess_cli(capsys, tmp_path, c, profile, "text")
    at = text.index("6. Surgical opinion [later]")
    block = text[at:].split("\n 7.", 1)[0].split("\n\n", 1)[0]
    assert "Reviewed again on" in block
    assert "       - " not in block  # no recommendation bullets under a step that is not Now


@pytest.mark.parametrize("profile", PROFILES)
def test_cli_referral_json(capsys, tmp_path, profile):
    c = case(70, decisions=[decided("referred_for_surgical_opinion")])
    data = json.loads(_assess_cli(capsys, tmp_path, c, profile, "json"))
    assert data["pathway"]["current_step_id"] == SURGICAL_STEP
    assert not [s["id"] for s in data["pathway"]["steps"] if s["state"] in ("current", "next")]


# ---- tryout31 D6: the medicines step says which side of an NSAID + anticoagulant pair to review
# and which to keep (rules.toml ix-nsaid-anticoagulant keep = [2], source anticoagulant-
# discontinuation), as the banner does; a pair whose rule keeps no side is not given one.

def medicines_step(names: list[str], profile: str):
    c = dict(case(70), medicines=[{"name": n} for n in names])
    return step(assessed(c, profile), "medicines")


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("anticoagulant", ["apixaban 5mg bd", "rivaroxaban 20mg od", "warfarin 5mg od"])
def test_medicines_step_says_review_the_nsaid_and_keep_the_anticoagulant(profile, anticoagulant):
    s = medicines_step(["ibuprofen 400mg tds", anticoagulant], profile)
    assert s.state == "review"
    assert (f"review ibuprofen 400mg tds now and keep {anticoagulant} (do not stop without its prescriber)"
            in s.why[0])


@pytest.mark.parametrize("profile", PROFILES)
def test_medicines_step_keeps_no_side_of_nsaid_with_methotrexate(profile):
    # ix-nsaid-methotrexate has no keep in rules.toml: no cited source says which side to keep
    s = medicines_step(["ibuprofen 400mg tds", "methotrexate 2.5mg weekly"], profile)
    assert s.state == "review"
    assert "methotrexate" in s.why[0] and " keep " not in s.why[0]
