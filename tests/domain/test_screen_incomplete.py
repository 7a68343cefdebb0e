"""Red-team A3: an unanswered cauda equina question is never labelled "Routine".

GIRFT National Suspected Cauda Equina Syndrome Pathway (2023) and NICE NG59: saddle
numbness, bladder, bowel and sexual dysfunction and symptoms in both legs must be asked
about in everyone with sciatica; an unanswered question is not "no". So while any of them is
unknown (or no red-flag question was answered at all) the screen is incomplete: the JSON tier
stays in its vocabulary (`routine`) but `screen_complete` is false, `must_ask` names what to
ask, and the printed tier (`tier_label`) says INCOMPLETE, never Routine.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain import vocabulary as V
from radiculopathy_desktop.domain.triage import triage

from helpers.red_flags import CES_QUESTIONS as CES
from helpers.red_flags import answered_no as flags


def test_a_complete_screen_with_no_flag_is_routine():
    t = triage(flags(), {})
    assert t.tier == "routine" and t.screen_complete and t.must_ask == () and t.tier_label == "Routine"
    assert t.to_dict()["screen_complete"] is True


@pytest.mark.parametrize("question", CES)
def test_one_unanswered_cauda_equina_question_makes_the_screen_incomplete(question):
    t = triage(flags(**{question: "unknown"}), {})
    assert t.tier == "routine"  # the tier vocabulary is unchanged ...
    assert not t.screen_complete and t.must_ask == (question,)
    assert "Routine" not in t.tier_label and t.tier_label.startswith("INCOMPLETE")  # ... the printed tier is not
    d = t.to_dict()
    assert d["screen_complete"] is False and d["must_ask"] == [question] and d["tier_label"] == t.tier_label


def test_no_question_answered_asks_for_the_whole_screen():
    t = triage({k: "unknown" for k in V.RED_FLAG_QUESTIONS}, {})
    assert not t.screen_complete and t.must_ask == tuple(V.RED_FLAG_QUESTIONS)
    assert t.tier_label == "INCOMPLETE: ask the red-flag questions now"
    assert "no red flag" not in t.headline() and "none of the" in t.headline()


def test_an_unanswered_question_outside_the_cauda_equina_set_keeps_routine_with_its_count():
    t = triage(flags(fever="unknown"), {})
    assert t.screen_complete and t.tier_label == "Routine" and "1 question unanswered" in t.headline()


def test_an_emergency_keeps_its_tier_and_still_asks():
    t = triage(flags(history_of_cancer="yes", saddle_anaesthesia="unknown"), {}, radicular_pain=True)
    assert t.tier == "emergency" and t.tier_label == "EMERGENCY"
    assert not t.screen_complete and t.must_ask == ("saddle_anaesthesia",)
