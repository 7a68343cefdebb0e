"""The pregnancy answer and the weeks on a date at the command line, on both engines (the
``target`` fixture; preg16).

`import` -> `case --format json` -> `import` again keeps "not pregnant" (``patient.pregnant:
false``) and the weeks as recorded at the intake; `case --as-of` and `worklist --as-of` for a
past and a future date rate the NSAID by the weeks on that date. FDA Drug Safety
Communication 2020: "We recommend avoiding NSAIDs in pregnant women at 20 weeks, rather than
the 30 weeks currently described in NSAID prescribing information".
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.resources import resource_path
from helpers.cli_run import cli_runner, write_json

TODAY = dt.date(2026, 11, 30)
EXAMPLE = json.loads(resource_path("examples", "routine_med_pregnant_opioid.json").read_text(encoding="utf-8"))
VISIT = dt.date.fromisoformat(EXAMPLE["visit_date"])


@pytest.fixture
def run(target, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    return cli_runner(capsys, *target, fresh_output=True)


def _case(case_id, **patient) -> dict:
    d = copy.deepcopy(EXAMPLE)
    d["case_id"] = case_id
    d["patient"]["id"] = case_id + "-P"
    d["patient"].pop("pregnancy_weeks")
    d["patient"].update(patient)
    d["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    return d


def test_not_pregnant_survives_export_and_re_import(run, tmp_path):
    assert run("import", write_json(tmp_path, _case("NP", pregnant=False), "a.json"))[0] == 0
    code, out, err = run("case", "NP", "--format", "json")
    assert code == 0, err
    exported = json.loads(out)["case"]
    assert exported["patient"]["pregnant"] is False and "pregnancy_weeks" not in exported["patient"]
    code, out, err = run("import", write_json(tmp_path, {"cases": [exported]}, "b.json"))
    assert code == 0, err
    assert "1 unchanged" in out + err
    exported["patient"].pop("pregnant")  # an older tool's export, without the answer
    code, out, err = run("import", write_json(tmp_path, {"cases": [exported]}, "c.json"))
    assert code == 2 and "leaves out the answer 'not pregnant'" in err and "--replace-records" in err


def test_case_as_of_rates_the_nsaid_by_the_weeks_on_that_date(run, tmp_path):
    assert run("import", write_json(tmp_path, _case("PW", pregnancy_weeks=18), "p.json"))[0] == 0
    code, out, err = run("case", "PW", "--format", "json")
    assert json.loads(out)["case"]["patient"]["pregnancy_weeks"] == 18  # as recorded, never rewritten

    def shown(day):
        code, out, err = run("case", "PW", "--as-of", day.isoformat())
        assert code == 0, err
        return out

    assert "NSAIDs from 20 weeks" not in shown(VISIT + dt.timedelta(days=13))  # 19 weeks
    assert "Pregnant, 20 weeks: avoid NSAIDs from 20 weeks" in shown(VISIT + dt.timedelta(days=14))
    assert "Pregnant, 30 weeks: do not use NSAIDs from 30 weeks" in shown(VISIT + dt.timedelta(weeks=12))
    late = shown(VISIT + dt.timedelta(weeks=30))
    assert "Ask whether she is still pregnant or breastfeeding" in late
