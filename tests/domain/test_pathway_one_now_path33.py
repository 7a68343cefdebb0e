"""path33 (H-PATH-907, H-PATH-908): the stepped pathway shows one step Now.

A clinician read "Injections and procedures [current]" beside "Surgical opinion [current]" on a
patient whose 6-12 week review was due: two things to do now, one of them (an epidural already
given, "continue this step") contradicting the review's question. With the review due or overdue
the surgical-opinion step is the decision to make now, so:

* a step already tried that the ladder kept Now only because no later step was indicated is
  Tried (or "Tried: review" when a medicine of it taken now needs review), saying that the review
  decides whether it goes on;
* a step not tried yet is Next: what to offer if the review decides to continue conservative care;
* self-care goes with every step (NICE NG59: support self-management at every step), so it stays
  Now beside the review, saying why;
* before the review is due (day 41) the ladder's own step stays the one Now.

And after a referral (H-FU-909) the monitoring says what follows: the surgical opinion awaited, the
red-flag safety net and "sooner if worse", not a routine "Suggested next visit"."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from radiculopathy_desktop.cli import main
from radiculopathy_desktop.domain.assess import SURGICAL_STEP, assess_case
from radiculopathy_desktop.domain.intake import parse_case

from tests.domain.test_surgical_step_every_status_surgstep import TODAY, case, decided

PROFILES = ["us", "uk"]
#: tried in this episode: self-care, a non-drug therapy, a medicine and an epidural (Zev-like)
ALL_TRIED = [{"code": "advice_self_management"}, {"code": "manual_therapy"}, {"code": "nsaid"},
             {"code": "epidural_steroid_injection"}]


def assessed(c: dict, profile: str, as_of: dt.date = TODAY):
    return assess_case(parse_case(c), as_of, profile)


def states(a) -> dict[str, str]:
    return {s.id: s.state for s in a.pathway.steps}


def step(a, step_id: str):
    return next(s for s in a.pathway.steps if s.id == step_id)


def now_steps(a) -> list[str]:
    return [s.id for s in a.pathway.steps if s.state == "current"]


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("days", [42, 70, 84, 85])  # due from day 42, overdue after day 84
def test_with_everything_tried_only_the_surgical_opinion_is_now(profile, days):
    a = assessed(case(days, tried=ALL_TRIED), profile)
    assert a.surgical_review.status.value in ("due", "overdue")
    assert now_steps(a) == [SURGICAL_STEP]
    assert a.pathway.current_step_id == SURGICAL_STEP
    # no tried step is "continue this step" beside the review
    assert not any("continue this step and review" in w for s in a.pathway.steps for w in s.why)
    assert step(a, "injections").state in ("done", "not_applicable")  # uk: not offered when chronic (path14)


@pytest.mark.parametrize("days", [42, 70, 84])
def test_the_epidural_the_ladder_kept_now_is_tried_and_says_what_the_review_decides(days):
    # us: the ladder's Now was the injections step ("No later step is indicated yet: continue this step")
    inj = step(assessed(case(days, tried=ALL_TRIED), "us"), "injections")
    assert inj.state == "done"
    assert inj.why[0].startswith("Already tried: Epidural")
    assert inj.why[1] == ("Step 6 (Surgical opinion) is Now: the review is due. It decides whether this care goes "
                          'on (record "continue conservative care") or a surgical opinion is sought.')


@pytest.mark.parametrize("profile", PROFILES)
def test_an_untried_non_surgical_step_is_next_and_says_it_is_the_alternative(profile):
    # the patient would not consider surgery and has had no non-drug therapy (Cai-like)
    tried = [{"code": "advice_self_management"}, {"code": "stay_active"}, {"code": "nsaid"}]
    a = assessed(dict(case(60, tried=tried), would_consider_intervention="no"), profile)
    assert a.surgical_review.status.value == "due"
    assert now_steps(a) == [SURGICAL_STEP]
    non_drug = step(a, "non_drug")
    assert non_drug.state == "next"
    assert non_drug.why[0].startswith("Not tried yet. Step 6 (Surgical opinion) is Now: the review is due.")
    assert 'continue conservative care' in non_drug.why[0]
    assert "Not tried yet in this episode" not in non_drug.why  # said once, in the sentence


@pytest.mark.parametrize("profile", PROFILES)
def test_untried_self_care_stays_now_beside_the_review_and_says_why(profile):
    a = assessed(case(70), profile)  # nothing tried: self-care is the ladder's Now
    assert a.surgical_review.status.value == "due"
    assert set(now_steps(a)) == {"self_care", SURGICAL_STEP}
    assert a.pathway.current_step_id == SURGICAL_STEP  # the decision to make first
    assert step(a, "self_care").why[0].startswith("Now together with step 6 (Surgical opinion), the review due")


def test_us_imaging_the_surgical_opinion_needs_first_stays_now_and_is_led_with():
    # us: ACP/APS 2007 keeps MRI for candidates for surgery; the surgical step needs imaging first
    tried = [{"code": "advice_self_management"}, {"code": "manual_therapy"}, {"code": "nsaid"}]
    a = assessed(dict(case(70, tried=tried), would_consider_intervention="yes"), "us")
    assert set(now_steps(a)) == {"imaging", SURGICAL_STEP}
    assert a.pathway.current_step_id == "imaging"  # done first: the page leads with it (rd13)
    assert step(a, "imaging").why[0] == ("Now together with step 6 (Surgical opinion), the review due: the pathway "
                                         "puts this step before a surgical opinion (see step 6).")
    assert any(w.startswith("Needs step 4 (Imaging) first") for w in step(a, SURGICAL_STEP).why)


def test_uk_imaging_not_needed_before_a_referral_is_next_in_the_datas_words():
    # uk: NICE 1.1.5, someone referred for a specialist opinion may not need imaging first
    tried = [{"code": "advice_self_management"}, {"code": "manual_therapy"}, {"code": "nsaid"}]
    a = assessed(dict(case(70, tried=tried), would_consider_intervention="yes"), "uk")
    assert now_steps(a) == [SURGICAL_STEP]
    imaging = step(a, "imaging")  # the uk ladder's Now step
    assert imaging.state == "next"
    assert imaging.why[0].startswith("Step 6 (Surgical opinion) is Now: the review is due. NICE considers")
    assert "the specialist decides on it" in imaging.why[0]


@pytest.mark.parametrize("profile", PROFILES)
def test_a_medicine_to_review_stays_tried_review_beside_the_due_review(profile):
    # a medicine taken now above this patient's maximum: "Tried: review" keeps its review line first
    c = dict(case(70, tried=[{"code": "advice_self_management"}, {"code": "exercise_therapy"}]),
             medicines=[{"name": "paracetamol", "daily_dose_mg": 8000}])
    a = assessed(c, profile)
    assert now_steps(a) == [SURGICAL_STEP]
    meds = step(a, "medicines")
    assert meds.state == "review"
    assert meds.why[0].startswith("Review: ")
    if profile == "us":  # the us ladder kept it Now (continue it); the uk ladder's Now was the surgical opinion
        assert meds.why[1].startswith("Step 6 (Surgical opinion) is Now")


@pytest.mark.parametrize("profile", PROFILES)
def test_before_the_review_is_due_the_ladders_step_is_the_one_now(profile):
    a = assessed(case(41, tried=ALL_TRIED), profile)  # day 41: the window opens tomorrow
    assert a.surgical_review.status.value not in ("due", "overdue")
    now = now_steps(a)
    # (uk: the ladder's Now was the surgical opinion itself, which follows the review: later; so no
    # step is Now on day 41, as before path33)
    assert len(now) <= 1 and SURGICAL_STEP not in now
    assert a.pathway.current_step_id == (now[0] if now else None)
    assert not any("Surgical opinion) is Now" in w for s in a.pathway.steps for w in s.why)


@pytest.mark.parametrize("profile", PROFILES)
def test_assess_text_marks_one_step_current(capsys, tmp_path, profile):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case(70, tried=ALL_TRIED)))
    assert main(["assess", str(path), "--as-of", TODAY.isoformat(), "--profile", profile]) == 0
    out = capsys.readouterr().out
    current = [line for line in out.splitlines() if line.rstrip().endswith("[current]")]
    assert current == [" >> 6. Surgical opinion [current]"]


# --------------------------------------------------------------------------- after a referral
@pytest.mark.parametrize("profile", PROFILES)
def test_after_a_referral_monitoring_says_what_follows_not_a_next_visit(profile):
    a = assessed(case(70, decisions=[decided("referred_for_surgical_opinion")]), profile)
    assert a.next_visit is None
    ids = [m.id for m in a.monitoring]
    assert ids[0] == "after_referral"
    assert "follow_up_interval" not in ids and "adjust_plan" not in ids  # no routine visit, no "next step"
    first = a.monitoring[0]
    assert first.detail == (f"Referred for a surgical opinion on {TODAY.strftime('%-d %b %Y')} (decision recorded): "
                            "awaiting the surgical opinion.")
    for words in ("waits for the surgical opinion", "same day", "bladder or bowel", "worsening weakness",
                  "gets worse while waiting", "red flags override every step"):
        assert words in first.text
    assert first.sources and "[unverified]" in first.evidence_note
    d = a.to_dict()["monitoring"]
    assert d["next_visit"] is None and d["items"][0]["id"] == "after_referral"


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("decisions", [
    [],  # no decision: conservative care
    [decided("continue_conservative_care", until=(TODAY + dt.timedelta(days=28)).isoformat())],
    [decided("patient_declined")],
], ids=["none", "continue", "declined"])
def test_without_a_referral_the_next_visit_stays_and_after_referral_is_left_out(profile, decisions):
    a = assessed(case(70, decisions=decisions), profile)
    assert a.next_visit is not None
    ids = [m.id for m in a.monitoring]
    assert "after_referral" not in ids and "follow_up_interval" in ids


@pytest.mark.parametrize("profile", PROFILES)
def test_a_referral_after_the_date_assessed_or_followed_by_a_new_decision_is_not_awaited(profile):
    referred = decided("referred_for_surgical_opinion")
    # seen on the day before the referral: conservative care, a next visit
    before = assessed(case(70, decisions=[referred]), profile, TODAY - dt.timedelta(days=1))
    assert before.next_visit is not None and "after_referral" not in [m.id for m in before.monitoring]
    # a referral, then conservative care continued (the opinion came back): a next visit again
    later = dict(referred, date=(TODAY - dt.timedelta(days=10)).isoformat())
    again = decided("continue_conservative_care", until=(TODAY + dt.timedelta(days=14)).isoformat())
    a = assessed(case(70, decisions=[later, again]), profile)
    assert a.next_visit == TODAY + dt.timedelta(days=14)
    assert "after_referral" not in [m.id for m in a.monitoring]


@pytest.mark.parametrize("profile", PROFILES)
def test_assess_text_after_a_referral_names_the_wait_not_a_next_visit(capsys, tmp_path, profile):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case(70, decisions=[decided("referred_for_surgical_opinion")])))
    assert main(["assess", str(path), "--as-of", TODAY.isoformat(), "--profile", profile]) == 0
    out = capsys.readouterr().out
    assert "MONITORING WHILE AWAITING THE SURGICAL OPINION (no routine next visit)" in out
    assert "suggested next visit" not in out.lower()
