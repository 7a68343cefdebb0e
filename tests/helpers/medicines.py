"""Cases with medicines, and what the medicine checks read from a name, as the domain tests build them.

Two case shapes the tests share:

* ``example_case``: the shipped routine L5 example (resources/examples/routine_l5_acute.json) for a man
  born 1980-01-01 weighing 80 kg, seen as of ``EXAMPLE_AS_OF`` (``shipped_example``: with its own patient);
* ``typed_case``: a minimal case first seen 20 days before a given day, pain 7/10 in the left lateral leg,
  no red flag answered.

``meds`` is a list of (name as typed, daily dose in mg or None) pairs; None leaves ``daily_dose_mg`` out
(the intake reads a missing dose and a null one alike: no dose typed)."""

from __future__ import annotations

import copy
import datetime as dt
import json

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import assess_medications, load_medicine_data, read_recorded_dose
from radiculopathy_desktop.resources import resource_path

EXAMPLE_AS_OF = dt.date(2026, 11, 21)
_EXAMPLE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))


def _medicines(meds) -> list[dict]:
    return [{"name": n, **({} if mg is None else {"daily_dose_mg": mg})} for n, mg in meds]


def shipped_example(meds) -> dict:
    """The routine L5 example as shipped (a fresh copy, its own patient), taking ``meds``."""
    d = copy.deepcopy(_EXAMPLE)
    d["medicines"] = _medicines(meds)
    return d


def example_case(meds) -> dict:
    """The routine L5 example (a fresh copy) for a man born 1980-01-01, 80 kg, taking ``meds``."""
    d = shipped_example(meds)
    d["patient"].update(birth_date="1980-01-01", sex="male", weight_kg=80)
    return d


def example_report(meds, profile="us"):
    """The medicine report of ``example_case(meds)`` as of ``EXAMPLE_AS_OF`` under ``profile``."""
    return assess_medications(parse_case(example_case(meds)).intake, EXAMPLE_AS_OF, profile=profile)


def typed_case(meds, as_of: dt.date, *, age=50, pregnancy_weeks=None, case_id="C-1") -> dict:
    """A minimal case (patient P-1, ``age`` years) first seen 20 days before ``as_of``, taking ``meds``;
    a woman ``pregnancy_weeks`` pregnant when that is given, otherwise a man."""
    start = as_of - dt.timedelta(days=20)
    raw = {
        "format_version": 1, "case_id": case_id,
        "patient": {"id": "P-1", "age_years": age, "sex": "female" if pregnancy_weeks else "male"},
        "onset_date": (start - dt.timedelta(days=7)).isoformat(), "visit_date": start.isoformat(),
        "care_start_date": start.isoformat(), "side": "left", "regions": ["lateral_leg"],
        "pain": {"leg_nrs": 7, "back_nrs": 4}, "red_flags": {},
        "medicines": _medicines(meds)}
    if pregnancy_weeks:
        raw["patient"]["pregnancy_weeks"] = pregnancy_weeks
    return raw


def name_reading(name, mg=None):
    """What the medicine data reads from ``name`` as typed (with ``mg`` recorded); the name must be recognised."""
    data = load_medicine_data()
    generics = data.resolve(name)[0]
    assert generics, f"{name!r} not recognised"
    return read_recorded_dose(name, generics, mg, data)


def recorded_reading(name, mg=None):
    """What the medicine data reads from ``name`` as typed (with ``mg`` recorded), recognised or not (an unrecognised
    name is read with no generics); see ``name_reading`` for a name that must be recognised."""
    data = load_medicine_data()
    return read_recorded_dose(name, data.resolve(name)[0], mg, data)


def report_row(report, drug):
    """The row of ``drug`` (a generic or a class row such as "opioids") in a medicine report."""
    return next(r for r in report.rows if r.drug == drug)


def dose_check_texts(report) -> list[str]:
    """Every "check the dose" the clinician sees in a medicine report: the rows' reasons, then the current notes."""
    rows = [r.text for row in report.rows for r in row.reasons if r.rule == "check-dose"]
    return rows + [n.text for n in report.current_notes if n.rule == "check-dose"]


def daily_read(name) -> dict:
    """The daily mg of each component read from ``name``, which must be read with nothing asked."""
    reading = name_reading(name)
    assert reading is not None and reading.read and not reading.problem, (name, reading)
    return dict(reading.components)


def dose_asked(name) -> str:
    """What is asked about the dose in ``name``, which must be asked about and not read."""
    reading = name_reading(name)
    assert reading is not None and not reading.read and reading.problem, (name, reading)
    return reading.problem


def assert_drugs_toml_refused(tmp_path, edit, match: str) -> None:
    """A copy of the shipped medicine data whose drugs.toml text is ``edit(text)`` is refused on loading with
    :class:`MedicineDataError` matching ``match`` (the loader's cache cleared before and after)."""
    import shutil

    import pytest

    from radiculopathy_desktop.domain.medications import MedicineDataError, default_data_dir

    d = tmp_path / "data"
    shutil.copytree(default_data_dir(), d)
    text = (d / "drugs.toml").read_text(encoding="utf-8")
    (d / "drugs.toml").write_text(edit(text), encoding="utf-8")
    load_medicine_data.cache_clear()
    try:
        with pytest.raises(MedicineDataError, match=match):
            load_medicine_data(str(d))
    finally:
        load_medicine_data.cache_clear()
