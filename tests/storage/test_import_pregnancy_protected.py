"""A re-import may not turn a pregnant patient into "not pregnant" by leaving the field out
(red-team rt14 F5): docs/case-format.md says `patient.pregnancy_weeks` is "absent/null when not
pregnant", so a file from another system or an older export that simply lacks it dropped the
pregnancy warning on the codeine she takes and printed the NSAID sheet at 24 weeks. Now a
stored pregnancy the file leaves out or nulls is protected like a birth date or sex (refused
without ``replace_records``, replaced and listed with it), and other weeks that lose a
pregnancy warning (caution or worse) on a medicine taken now or on a class given are refused
like a lost medicine alert. The NSAID rule is the FDA's 2020 advice (avoid NSAIDs at 20 weeks
or later; rules.toml `nsaid-pregnancy-20`). Both engines (the ``store`` fixture).
"""

from __future__ import annotations

import copy
import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.resources import resource_path

STORE_ENGINES = ("sqlite", "postgresql")
EXAMPLE = json.loads(resource_path("examples", "routine_med_pregnant_opioid.json").read_text(encoding="utf-8"))
CASE_ID = EXAMPLE["case_id"]


def _import(store, data, replace=False):
    return store.import_cases([parse_case(data)], user="import", replace_records=replace)


def _with_weeks(weeks) -> dict:
    data = copy.deepcopy(EXAMPLE)
    if weeks == "absent":
        del data["patient"]["pregnancy_weeks"]
    else:
        data["patient"]["pregnancy_weeks"] = weeks
    data["notes"] = "re-imported"  # an update whatever the weeks
    return data


def _import_audit(store) -> dict:
    return [e for e in store.audit() if e.action == "import"][-1].detail


@pytest.mark.parametrize("weeks", ["absent", None])
def test_a_pregnancy_left_out_is_refused_then_replaced_on_purpose(store, weeks):
    assert EXAMPLE["patient"]["pregnancy_weeks"] == 24
    _import(store, EXAMPLE)
    before = store.get_case(CASE_ID), store.audit_count()
    with pytest.raises(UserError) as info:
        _import(store, _with_weeks(weeks))
    message = str(info.value)
    assert "nothing was imported" in message and "--replace-records" in message
    assert f"case {CASE_ID}: the file leaves out the pregnancy of patient {EXAMPLE['patient']['id']} (24 weeks" \
        in message
    assert (store.get_case(CASE_ID), store.audit_count()) == before

    result = _import(store, _with_weeks(weeks), replace=True)
    entry = {"case_id": CASE_ID, "field": "patient.pregnancy_weeks", "stored": 24, "file": None}
    assert entry in result.replaced and entry in _import_audit(store)["replaced_at_intake"]
    assert store.get_case(CASE_ID).patient.pregnancy_weeks is None


@pytest.mark.parametrize("weeks", [19, 12, 0])
def test_weeks_that_lose_the_nsaid_warning_on_the_class_given_are_refused(store, weeks):
    """She was given an NSAID (treatments_tried): below 20 weeks the 'avoid from 20 weeks'
    reason goes, and with it the handout's reason not to print the NSAID sheet."""
    _import(store, EXAMPLE)
    with pytest.raises(UserError) as info:
        _import(store, _with_weeks(weeks))
    message = str(info.value)
    assert f"the file's pregnancy ({weeks} weeks where the tracker holds 24) no longer gives the warning 'AVOID: " \
        in message
    assert "20 weeks" in message and "given)" in message
    result = _import(store, _with_weeks(weeks), replace=True)
    assert any(r["field"] == "pregnancy_warning" for r in result.replaced)


@pytest.mark.parametrize("weeks", [20, 24, 30])
def test_weeks_that_keep_every_pregnancy_warning_are_imported_and_named(store, weeks):
    """Boundary: at 20 weeks the NSAID advice still applies; other weeks are named."""
    _import(store, EXAMPLE)
    result = _import(store, _with_weeks(weeks))
    assert result.updated == (CASE_ID,)
    conditions = [c for c in result.changed if c["field"] == "conditions"]
    if weeks == 24:
        assert conditions == []
    else:
        assert conditions[0]["changes"] == [f"pregnancy 24 weeks -> {weeks} weeks"]


def test_a_pregnancy_recorded_on_re_import_is_allowed(store):
    _import(store, _with_weeks("absent"))
    result = _import(store, EXAMPLE)
    assert result.updated == (CASE_ID,) and result.replaced == ()
    assert store.get_case(CASE_ID).patient.pregnancy_weeks == 24
