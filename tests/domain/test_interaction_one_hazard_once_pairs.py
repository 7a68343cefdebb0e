"""pairs (H-UI-440): the same two medicines rated by two interaction rules that warn of one hazard are listed
once, by the stronger rule (medications._one_rule_per_hazard; rules.toml ``hazard``).

Aspirin at an analgesic dose (more than 325 mg a day: rules.toml [[dose_class]], aspirin-analgesic-dose) is an
NSAID as well as an antiplatelet. With apixaban it matched both "NSAID with an anticoagulant" (Avoid) and
"Antiplatelet with an anticoagulant" (Caution): the same bleeding hazard listed twice at two ratings. Low-dose
aspirin (75 to 325 mg a day) is an antiplatelet only and keeps its Caution. A second rule about a different
hazard (aspirin 900 mg qds with ibuprofen: two NSAIDs, and an NSAID with an antiplatelet's GI bleeding, which
has no hazard key) is kept: it says something else.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from helpers.cli_run import run_main
from helpers.medicines import typed_case
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import (Interaction, _one_rule_per_hazard, assess_medications,
                                                      load_medicine_data)
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts

AS_OF = dt.date(2026, 11, 25)
ANTIPLATELET = "ix-antiplatelet-anticoagulant"
NSAID = "ix-nsaid-anticoagulant"


def _case_dict(meds, case_id="C-1"):
    return typed_case([(n, None) for n in meds], AS_OF, case_id=case_id)


def _report(meds, profile):
    return assess_medications(parse_case(_case_dict(meds)).intake, AS_OF, profile=profile)


def _rules(report):
    return [i.rule for i in report.interactions]


def test_both_rules_carry_the_bleeding_hazard_and_no_other_rule_is_folded_by_accident():
    data = load_medicine_data()
    hazards = {r.id: r.hazard for r in data.interactions if r.hazard}
    assert hazards == {NSAID: "bleeding", ANTIPLATELET: "bleeding"}


@pytest.mark.parametrize("profile", ["uk", "us"])
@pytest.mark.parametrize("aspirin", ["aspirin 900mg qds", "aspirin 600mg qds", "aspirin 100mg qds"])
def test_analgesic_aspirin_with_apixaban_is_listed_once_as_avoid(profile, aspirin):
    # 100 mg qds = 400 mg a day: just above 325 mg a day, an NSAID
    report = _report([aspirin, "apixaban 5mg bd"], profile)
    assert _rules(report).count(NSAID) == 1
    assert ANTIPLATELET not in _rules(report)
    pair = [i for i in report.interactions if "anticoagulant" in i.text]
    assert len(pair) == 1 and pair[0].severity == "avoid"
    alerts = [a for a in medicine_alerts(report) if "anticoagulant" in a.text]
    assert len(alerts) == 1 and alerts[0].status == "avoid"


@pytest.mark.parametrize("profile", ["uk", "us"])
@pytest.mark.parametrize("aspirin", ["aspirin 75mg od", "aspirin 325mg od"])
def test_low_dose_aspirin_with_apixaban_keeps_its_caution(profile, aspirin):
    # 325 mg a day is the top of the antiplatelet range: not an NSAID, no Avoid to fold it into
    report = _report([aspirin, "apixaban 5mg bd"], profile)
    assert _rules(report) == [ANTIPLATELET]
    assert report.interactions[0].severity == "caution"


class _Rule:
    def __init__(self, rule_id, hazard):
        self.id, self.hazard = rule_id, hazard


class _Data:
    interactions = (_Rule("strong", "bleeding"), _Rule("weak", "bleeding"), _Rule("other", "kidneys"),
                    _Rule("plain", ""))


def test_only_a_weaker_rule_of_the_same_hazard_about_the_same_medicines_is_folded():
    pair = ("aspirin 900mg qds", "apixaban 5mg bd")
    found = [Interaction("strong", pair, "avoid", "s", ""),
             Interaction("other", pair, "caution", "o", ""),        # another hazard: says something else
             Interaction("plain", pair, "caution", "p", ""),        # no hazard given: kept
             Interaction("weak", pair[::-1], "caution", "w", ""),   # same hazard, same medicines: folded
             Interaction("weak", ("clopidogrel 75mg od", "apixaban 5mg bd"), "caution", "w", "")]  # other pair
    kept = _one_rule_per_hazard(found, _Data())
    assert [(i.rule, i.medicines[0]) for i in kept] == [
        ("strong", pair[0]), ("other", pair[0]), ("plain", pair[0]), ("weak", "clopidogrel 75mg od")]
    # the same rating is not "stronger": two rules of one hazard at one rating are both kept
    same = [Interaction("strong", pair, "caution", "s", ""), Interaction("weak", pair, "caution", "w", "")]
    assert _one_rule_per_hazard(same, _Data()) == same


def test_other_medicines_keep_their_own_pairs():
    # apixaban with analgesic aspirin AND clopidogrel: the clopidogrel pair is another pair of medicines
    report = _report(["aspirin 900mg qds", "clopidogrel 75mg od", "apixaban 5mg bd"], "uk")
    pairs = {(i.rule, frozenset(m.split()[0] for m in i.medicines)) for i in report.interactions}
    assert (NSAID, frozenset({"aspirin", "apixaban"})) in pairs
    assert any(rule == ANTIPLATELET and "clopidogrel" in meds for rule, meds in pairs)
    assert (ANTIPLATELET, frozenset({"aspirin", "apixaban"})) not in pairs


@pytest.mark.parametrize("profile", ["uk", "us"])
def test_the_assess_text_and_json_list_the_pair_once(tmp_path, capsys, profile):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(_case_dict(["aspirin 900mg qds", "apixaban 5mg bd"])), encoding="utf-8")
    common = ["--data-dir", str(tmp_path / "d"), "assess", str(path), "--as-of", AS_OF.isoformat(),
              "--profile", profile]
    code, text, _err = run_main(capsys, [*common, "--format", "text"], fresh_output=True)
    assert code == 0
    assert "Antiplatelet with an anticoagulant" not in text
    assert "NSAID with an anticoagulant" in text
    code, out, _err = run_main(capsys, [*common, "--format", "json"], fresh_output=True)
    assert code == 0
    assert "Antiplatelet with an anticoagulant" not in out and "NSAID with an anticoagulant" in out
    json.loads(out)
