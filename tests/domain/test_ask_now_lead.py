"""The red-flag data's "ask now" action leads with "Cauda equina syndrome has not been
excluded" (sn16), so every surface that prints the action (``assess`` text and JSON, ``case``,
the window) says it, in the words of the data, not each its own sentence.

Primary sources (resources/rules/red_flags.toml [ask_now], sources girft-ces,
cks-sciatica-red-flags, nice-ng59):
- NICE CKS Sciatica (lumbar radiculopathy), interpreting red flags (archived cks.nhs.uk page,
  read with the search tool): "Red flags should be explicitly looked for. For example, the
  person may not report symptoms such as perineal numbness unless asked." and "cauda equina
  syndrome would usually warrant immediate admission". A question not asked therefore cannot
  rule the syndrome out.
- GIRFT National Suspected CES Pathway (2023): [unverified] not read in full with the search
  tool; cited for the emergency route the action ends with (as before).

Boundaries: every cauda equina question answered no (no "ask now"), one answered unknown (the
action, leading with the words), one answered yes (the emergency first, no "not excluded").
"""

from __future__ import annotations

import copy
import tomllib

import pytest

from radiculopathy_desktop.domain import triage as T
from radiculopathy_desktop.domain.vocab import Tier
from radiculopathy_desktop.domain.vocabulary import RED_FLAG_QUESTIONS
from radiculopathy_desktop.resources import resource_path

LEAD = "Cauda equina syndrome has not been excluded"
SADDLE = "saddle_anaesthesia"


def _data() -> dict:
    with open(resource_path("rules", "red_flags.toml"), "rb") as fh:
        return tomllib.load(fh)


def _answers(saddle: str) -> dict[str, str]:
    answers = {q: "no" for q in RED_FLAG_QUESTIONS}
    answers[SADDLE] = saddle
    return answers


def test_the_data_holds_the_lead_once_and_the_action_starts_with_it():
    ask = _data()["ask_now"]
    assert ask["lead"] == LEAD
    assert ask["text"].startswith("{lead}. Ask now: {questions}.")
    assert "cks-sciatica-red-flags" in ask["sources"] and "girft-ces" in ask["sources"]
    assert T.load_rules().ask_now_lead == LEAD


@pytest.mark.parametrize("saddle, asked", [("no", False), ("unknown", True), ("yes", False)],
                         ids=["all-no", "one-unknown", "one-yes"])
def test_the_ask_now_action_leads_with_not_excluded(saddle, asked):
    r = T.triage(_answers(saddle), {}, age=40)
    texts = [a.text for a in r.actions]
    ask = [t for t in texts if "Ask now:" in t]
    if asked:
        assert r.tier == Tier.ROUTINE and r.ask_now == (SADDLE,)
        assert ask == [f"{LEAD}. Ask now: {RED_FLAG_QUESTIONS[SADDLE].lower()}. Unanswered cauda equina "
                       "questions are not 'no'; if any is yes, this is an emergency."]
        assert texts[0] == ask[0]  # first, what to do now
        sources = {s.key for a in r.actions if a.text == ask[0] for s in a.sources}
        assert sources == {"girft-ces", "cks-sciatica-red-flags", "nice-ng59"}
        assert r.to_dict()["actions"][0]["text"].startswith(LEAD)  # the JSON the CLI writes
    else:
        assert ask == [] and not any(LEAD in t for t in texts)
        assert (r.tier == Tier.EMERGENCY) is (saddle == "yes")


def test_an_emergency_with_an_unknown_question_keeps_transfer_first_then_not_excluded():
    answers = _answers("yes")
    answers["new_sexual_dysfunction"] = "unknown"
    r = T.triage(answers, {}, age=40)
    assert r.tier == Tier.EMERGENCY
    assert "Ask now" not in r.actions[0].text
    assert r.actions[1].text.startswith(f"{LEAD}. Ask now: new sexual dysfunction.")


@pytest.mark.parametrize("lead, text", [
    (None, "{lead}. Ask now: {questions}."),  # no lead
    ("", "{lead}. Ask now: {questions}."),  # empty lead
    (LEAD, "Ask now: {questions}."),  # a text that does not lead with it
    (LEAD, "{lead}. Ask now."),  # a text that does not name the questions
])
def test_rule_data_without_the_lead_is_refused(lead, text):
    data = copy.deepcopy(_data())
    data["ask_now"].pop("lead", None)
    if lead is not None:
        data["ask_now"]["lead"] = lead
    data["ask_now"]["text"] = text
    with pytest.raises(T.RuleError, match="ask_now"):
        T.compile_rules(data)
