"""Prednisone's 60 mg a day is the studied sciatica course's first-day dose, not a maximum
(med11 noticed).

From the sources: the prednisone tablets label (DOSAGE AND ADMINISTRATION) gives an initial
dosage of 5 to 60 mg a day, says requirements are variable and must be individualised, and
gives no maximum; Goldberg 2015 (JAMA) started its sciatica course at 60 mg a day (5 days),
then 40, then 20. So a steroid taken now above 60 mg (for another illness) is "above the
studied sciatica course: check the indication" (caution), never the worklist's "Reduce dose";
at 60 mg, nothing is said; a medicine with a real label maximum is unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import (MedicineDataError, assess_medications, default_data_dir,
                                                      dose_reductions, load_medicine_data)
from radiculopathy_desktop.resources import resource_path

from helpers.medicines import report_row as _row

AS_OF = dt.date(2026, 11, 21)


def _report(meds):
    d = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))
    d["medicines"] = [{"name": n, "daily_dose_mg": mg} for n, mg in meds]
    return assess_medications(parse_case(d).intake, AS_OF)


@pytest.mark.parametrize("name", ["prednisone", "prednisolone"])
@pytest.mark.parametrize("mg, above", [(59, False), (60, False), (60.5, True), (61, True), (80, True)])
def test_above_the_course_dose_is_check_the_indication_never_reduce_dose(name, mg, above):
    report = _report([(name, mg)])
    row = _row(report, "prednisone")
    assert row.currently_taking and row.current_daily_dose_mg == mg
    assert row.over_max is False
    assert dose_reductions(report) == ()
    course = [r for r in row.reasons if r.rule == "above-course-dose"]
    assert bool(course) is above
    if above:
        assert course[0].severity == "caution"
        assert "above the studied sciatica course" in course[0].text and "check the indication" in course[0].text
        assert "goldberg" in course[0].source.lower() or "Goldberg" in course[0].text
    assert not any(r.rule == "over-adjusted-max" for r in row.reasons)


def test_a_label_maximum_is_still_reduce_dose_or_avoid_boundary():
    """Ibuprofen 3300 mg/day is above its label maximum (3200): unchanged by the course rule."""
    report = _report([("ibuprofen", 3300)])
    assert _row(report, "ibuprofen").over_max is True and dose_reductions(report)


def test_only_prednisone_carries_the_course_flag():
    data = load_medicine_data()
    assert [d.id for d in data.drugs if d.course_max] == ["prednisone"]


def test_the_loader_refuses_the_flag_on_a_drug_with_a_label_maximum(tmp_path):
    folder = tmp_path / "medicines"
    shutil.copytree(default_data_dir(), folder)
    path = folder / "drugs.toml"
    text = path.read_text(encoding="utf-8")
    old = "label_max_daily_mg = 400\nlabel_max_source = [\"tramadol-label\"]\n"
    assert old in text
    path.write_text(text.replace(old, old + "default_max_is_course_dose = true\n", 1), encoding="utf-8")
    with pytest.raises(MedicineDataError, match="default_max_is_course_dose needs default_max_daily_mg"):
        load_medicine_data(str(folder))
