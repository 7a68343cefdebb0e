"""Which red flags still stand: one rule (``intake.answers_after_rescreen``), and the
assessment the CLI prints, the surgical-review status, the window's re-screen
(``triage.rescreen``) and the standing answers all follow it (issue 14).

Written from the clinical meaning, not the code:

* a red flag answered yes at intake and not asked again at a later visit still stands;
* answered yes and cleared (no) at a later re-screen, it no longer stands;
* answered "unknown" at a later re-screen, it still stands: unknown is never no;
* a later yes raises a flag answered no before; a later unknown does not bring a
  cleared flag back as a yes, but the question is no longer answered no: it is asked
  again (redflag31: a cauda equina question unknown at a visit is "ask now", as at intake);
* a visit counts from its own date: the day before, the earlier answer stands.

The matching window test is ``tests/ui/test_one_rule_in_the_window.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import ANCHOR, case_dict  # noqa: E402

from radiculopathy_desktop.cli import main  # noqa: E402
from radiculopathy_desktop.domain.assess import assess_case  # noqa: E402
from radiculopathy_desktop.domain.followup import ReviewStatus, standing_red_flags, surgical_review  # noqa: E402
from radiculopathy_desktop.domain.intake import answers_after_rescreen, parse_case  # noqa: E402
from radiculopathy_desktop.domain.triage import rescreen  # noqa: E402

D = dt.timedelta
V1 = ANCHOR - D(days=20)  # first follow-up visit
V2 = ANCHOR - D(days=10)  # second follow-up visit

# (name, intake fever answer, [(visit date, re-screened answers)], whether fever stands on ANCHOR)
SCENARIOS = [
    ("yes at intake, not asked again: stands", "yes", [(V1, {"saddle_anaesthesia": "no"})], True),
    ("yes at intake, no at a re-screen: cleared", "yes", [(V1, {"fever": "no"})], False),
    ("yes at intake, unknown at a re-screen: stands (unknown is never no)", "yes", [(V1, {"fever": "unknown"})], True),
    ("no at intake, yes at a re-screen: raised", "no", [(V1, {"fever": "yes"})], True),
    ("cleared, then unknown: not a yes again (unknown is not yes either)", "yes",
     [(V1, {"fever": "no"}), (V2, {"fever": "unknown"})], False),
    ("cleared, then yes again: stands again", "yes", [(V1, {"fever": "no"}), (V2, {"fever": "yes"})], True),
    ("raised, then unknown: still stands", "no", [(V1, {"fever": "yes"}), (V2, {"fever": "unknown"})], True),
]


def _case(intake_fever: str, visits):
    data = case_dict("SF", care_start=ANCHOR - D(days=30), red_flags={"fever": intake_fever},
                     visits=[{"date": day, "red_flags": answers} for day, answers in visits])
    return data, parse_case(data)


def _cli_assess(capsys, tmp_path, data, as_of: dt.date) -> dict:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data))
    code = main(["assess", str(path), "--as-of", as_of.isoformat(), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize("name, intake_fever, visits, stands", SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_the_cli_the_review_status_and_the_rescreen_agree_on_what_stands(capsys, tmp_path, name, intake_fever,
                                                                         visits, stands):
    data, case = _case(intake_fever, visits)
    # the one rule
    assert (case.red_flags_as_of(ANCHOR)["fever"] == "yes") is stands
    # the assessment, in domain and printed by the CLI
    assert ("fever" in assess_case(case, ANCHOR).triage.fired) is stands
    printed = _cli_assess(capsys, tmp_path, data, ANCHOR)
    assert ("fever" in printed["triage"]["fired"]) is stands
    assert (printed["triage"]["tier"] == "urgent") is stands
    # the surgical-review status (worklist): fever is an urgent red flag, so Immediate while it stands
    review = surgical_review(case, ANCHOR)
    assert (review.status == ReviewStatus.IMMEDIATE) is stands
    assert printed["surgical_review"]["status"] == review.status
    standing = standing_red_flags(case, ANCHOR)
    assert (standing is not None and "fever" in standing.flags) is stands
    # the window's re-screen of the last visit, before it was saved, says what the saved case says
    *earlier, (last_day, last_answers) = visits
    _, before_last = _case(intake_fever, earlier)
    screen = rescreen(before_last, last_day, last_answers)
    assert dict(screen.answers) == case.red_flags_as_of(last_day)
    assert screen.result == assess_case(case, last_day).triage
    assert ("fever" in screen.result.fired) is stands


def test_a_visit_counts_from_its_own_date():
    _, case = _case("yes", [(V1, {"fever": "no"})])
    for day, stands in ((V1 - D(days=1), True), (V1, False), (V1 + D(days=1), False)):
        assert (case.red_flags_as_of(day)["fever"] == "yes") is stands
        assert ("fever" in assess_case(case, day).triage.fired) is stands
        assert (surgical_review(case, day).status == ReviewStatus.IMMEDIATE) is stands


def test_an_unanswered_cauda_equina_question_stays_unanswered_when_re_asked_as_unknown():
    # Unknown at intake and unknown again at a visit: never no, so still "ask now".
    _, case = _case("no", [(V1, {"saddle_anaesthesia": "unknown"})])
    _, base = _case("no", [])
    unknown_at_intake = parse_case(dict(case_dict("SF", care_start=ANCHOR - D(days=30),
                                                  red_flags={"saddle_anaesthesia": "unknown"}),
                                        visits=[{"date": V1.isoformat(),
                                                 "red_flags": {"saddle_anaesthesia": "unknown"}}]))
    assert unknown_at_intake.red_flags_as_of(ANCHOR)["saddle_anaesthesia"] == "unknown"
    tri = assess_case(unknown_at_intake, ANCHOR).triage
    assert "saddle_anaesthesia" in tri.ask_now and not tri.screen_complete
    assert "saddle" in surgical_review(unknown_at_intake, ANCHOR).reason
    # answered no at intake, unknown at the visit: no longer excluded, asked now (redflag31, tryout31 D1)
    assert case.red_flags_as_of(ANCHOR)["saddle_anaesthesia"] == "unknown"
    tri = assess_case(case, ANCHOR).triage
    assert tri.ask_now == ("saddle_anaesthesia",) and not tri.screen_complete
    assert "no red flags" not in tri.headline().lower() and "saddle" in tri.headline().lower()
    review = surgical_review(case, ANCHOR)
    assert review.status == ReviewStatus.ASK_RED_FLAGS and "saddle" in review.reason.lower()
    assert assess_case(base, ANCHOR).triage.ask_now == ()


@pytest.mark.parametrize("before, asked, after", [
    ({"fever": "yes"}, {}, {"fever": "yes"}),  # not asked: stands
    ({"fever": "yes"}, {"fever": "no"}, {"fever": "no"}),  # cleared
    ({"fever": "yes"}, {"fever": "unknown"}, {"fever": "yes"}),  # unknown never clears
    ({"fever": "no"}, {"fever": "unknown"}, {"fever": "unknown"}),  # nor raises, but no is no longer known
    ({"fever": "no"}, {"fever": "yes"}, {"fever": "yes"}),  # raised
    ({}, {"fever": "unknown"}, {"fever": "unknown"}),  # recorded where nothing was known
    ({"fever": "unknown"}, {"fever": "no"}, {"fever": "no"}),  # now known
])
def test_the_rule_itself(before, asked, after):
    earlier = dict(before)
    assert answers_after_rescreen(before, asked) == after
    assert before == earlier  # the earlier record is not changed in place
