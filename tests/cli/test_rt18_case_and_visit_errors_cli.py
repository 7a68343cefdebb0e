"""Two older CLI crashes met by the red team (rt18 F8, F9), on both engines (``target``).

* F8: `case` printed its visits table with ``{back_nrs:>4}``, a TypeError (exit 70) for a case
  whose intake records no back-pain score — the shipped example
  routine_back_pain_not_recorded.json is one. A score not recorded prints "-", as the follow-up
  rows already did.
* F9: `visit --pregnant-weeks` that breaks the weeks-revision rule (PREGNANCY_WEEKS_REVISION,
  checked by the store against the case's own pregnancy record) crashed with "unexpected
  problem (ValidationError)" (exit 70). It is a clear error naming the option (exit 2), and
  nothing is saved.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.domain.intake import PREGNANCY_WEEKS_REVISION
from radiculopathy_desktop.resources import resource_path
from helpers.cli_run import cli_runner, write_json

TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def run(target, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    return cli_runner(capsys, *target, fresh_output=True)


def _example(name):
    return json.loads(resource_path("examples", name).read_text(encoding="utf-8"))


def test_case_without_a_back_pain_score_prints_a_dash(run, tmp_path):
    d = _example("routine_back_pain_not_recorded.json")
    assert d["pain"].get("back_nrs") is None
    code, _out, err = run("import", str(write_json(tmp_path, d, "c.json")))
    assert code == 0, err
    code, out, err = run("case", d["case_id"])
    assert code == 0, err
    [row] = [line for line in out.splitlines() if "baseline" in line and line.strip()[:4].isdigit()]
    leg = d["pain"]["leg_nrs"]
    assert row.split()[2:4] == [str(leg), "-"]


def _pregnant_case(tmp_path, run, weeks=33):
    d = copy.deepcopy(_example("routine_med_pregnant_opioid.json"))
    d["case_id"] = "RT18-F9"
    d["patient"]["id"] = "RT18-F9-P"
    d["patient"]["pregnancy_weeks"] = weeks
    for key in ("onset_date", "visit_date", "care_start_date"):
        d[key] = (TODAY - dt.timedelta(days=10 + (10 if key == "onset_date" else 0))).isoformat()
    d.pop("visits", None)
    d["treatments_tried"] = []
    code, _out, err = run("import", str(write_json(tmp_path, d, "p.json")))
    assert code == 0, err
    return d


@pytest.mark.parametrize("apart, saved", [(PREGNANCY_WEEKS_REVISION, True), (PREGNANCY_WEEKS_REVISION + 1, False),
                                          (-PREGNANCY_WEEKS_REVISION, True), (-PREGNANCY_WEEKS_REVISION - 1, False)])
def test_visit_weeks_against_the_revision_rule_is_a_clear_error(run, tmp_path, apart, saved):
    """33 weeks recorded 10 days ago: 34 weeks today. Weeks more than 4 from 34 are refused."""
    _pregnant_case(tmp_path, run)
    code, out, err = run("visit", "RT18-F9", "--date", TODAY.isoformat(), "--leg-nrs", "5",
                         "--pregnant-weeks", str(34 + apart))
    if saved:
        assert code == 0, err
        return
    assert code == 2, (code, err)
    assert "unexpected problem" not in err and "ValidationError" not in err
    assert "nothing was saved" in err and "--pregnant-weeks" in err and "34 weeks that day" in err
    code, out, err = run("case", "RT18-F9", "--format", "json")
    assert code == 0, err
    assert json.loads(out).get("visits", []) == []
