"""One label for a case's medicines on the worklist, the strongest wins (gp19 F4), on both engines.

Before: a 31-week patient on "ibuprofen 4000mg qds" (16000 mg/day, a likely slip) was listed
CONTRAINDICATED under Safety and "REDUCE DOSE" in the Medicines column, and under "Reduce dose";
a "nurofen plus 2 tabs qds" with no strength (a regimen that cannot be read) was "REDUCE DOSE".
Now ``domain.worklist_marks.medicines_label`` gives the column Contraindicated > Avoid > Reduce
dose > Check the dose; a slip or an unreadable regimen is "Check the dose", never "Reduce dose".

Sources of the ratings used (the rules themselves are tested elsewhere):
- FDA Drug Safety Podcast on the 15 Oct 2020 DSC (fda.gov): "At around 30 weeks, NSAIDs can cause
  a problem that may result in heart issues in the unborn baby": ibuprofen at 31 weeks is
  Contraindicated.
- Gabapentin label renal table: "CrCl 15-29 mL/min -> at most 700 mg/day": 701 is Reduce dose,
  700 (at the maximum) is no dose alert.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.worklist_marks import AlertMark, dose_line_label, medicines_label
from tests.cli.test_pregnancy_differs_cli import _file, case_dict, run  # noqa: F401 - run is a fixture
from tests.cli.test_pregnancy_differs_cli import ANCHOR

STORE_ENGINES = ("sqlite", "postgresql")
DAY = ANCHOR.isoformat()

C, A, R, K = "Contraindicated", "Avoid", "Reduce dose", "Check the dose"
REDUCE_LINE = "gabapentin 701 mg/day > max 700 mg/day"
SLIP_LINE = "ibuprofen 4000mg qds 16000 mg/day: check the dose (far above any usual dose)"
# no strength typed in the name: said so since gp20 F13 (sheet21), not "cannot be read"
UNREAD_LINE = "nurofen plus 2 tabs qds: check the dose (no strength typed: the mg in each tablet is not known)"


@pytest.mark.parametrize("marks, lines, expected", [
    ((), (), ""),
    ((), (SLIP_LINE,), K),
    ((), (UNREAD_LINE,), K),
    ((), (REDUCE_LINE,), R),
    ((), (SLIP_LINE, REDUCE_LINE), R),          # one dose to reduce beats one to check
    ((K,), (), K),
    ((R,), (SLIP_LINE,), R),
    ((A,), (REDUCE_LINE,), A),                  # avoid beats reduce dose
    ((A,), (UNREAD_LINE,), A),
    ((C,), (SLIP_LINE,), C),                    # gp19 F4: contraindicated beats the slip
    ((A, C), (REDUCE_LINE,), C),
])
def test_the_strongest_label_wins(marks, lines, expected):
    assert medicines_label([AlertMark(m, ("x",), "") for m in marks], lines) == expected


def test_a_dose_line_is_check_only_when_there_is_nothing_to_reduce_to():
    assert dose_line_label(REDUCE_LINE) == R
    assert dose_line_label("paracetamol 5000 mg/day above its maximum") == R
    for line in (SLIP_LINE, UNREAD_LINE, "co-codamol 240 mg/day: check the dose (its name says otherwise)"):
        assert dose_line_label(line) == K


def _case(case_id, patient, medicines, weeks=None, egfr=None, sex="female"):
    data = case_dict(case_id, patient_id=patient, name=f"{patient} Example", care_start=ANCHOR)
    data["patient"]["sex"] = sex
    if weeks is not None:
        data["patient"]["pregnancy_weeks"] = weeks
    if egfr is not None:
        data["conditions"] = {"egfr": egfr}
    data["medicines"] = medicines
    return data


def test_the_worklist_column_and_sections_say_the_strongest(run, tmp_path):
    cases = [_case("P31", "p31", [{"name": "ibuprofen 4000mg qds"}], weeks=31),
             _case("NUROFEN", "nur", [{"name": "nurofen plus 2 tabs qds"}], sex="male"),
             _case("GABA-HIGH", "gh", [{"name": "gabapentin", "daily_dose_mg": 701}], egfr=20, sex="male"),
             _case("GABA-AT", "ga", [{"name": "gabapentin", "daily_dose_mg": 700}], egfr=20, sex="male")]
    assert run("import", _file(tmp_path, "cases", cases))[0] == 0
    code, out, err = run("worklist", "--medicine-alerts", "--as-of", DAY, "--profile", "us")
    assert code == 0, err
    rows = {cid: next(line for line in out.splitlines() if f" {cid} " in f" {line} " and "->" not in line.split(":")[0])
            for cid in ("P31", "NUROFEN", "GABA-HIGH")}
    assert "CONTRAINDICATED" in rows["P31"] and "REDUCE DOSE" not in rows["P31"], rows["P31"]
    assert "CHECK THE DOSE" in rows["NUROFEN"] and "REDUCE DOSE" not in rows["NUROFEN"], rows["NUROFEN"]
    assert "REDUCE DOSE" in rows["GABA-HIGH"], rows["GABA-HIGH"]
    reduce = out.split("\nReduce dose (", 1)[1].split("\n\n", 1)[0]
    assert "GABA-HIGH" in reduce and "P31" not in reduce and "NUROFEN" not in reduce and "GABA-AT" not in reduce
    check = out.split("\nCheck the dose (", 1)[1].split("\n\n", 1)[0]
    assert "P31:" in check and "NUROFEN:" in check and "GABA-HIGH" not in check, check


def test_the_window_why_never_says_reduce_for_a_slip_or_an_unreadable_regimen():
    from radiculopathy_desktop.ui.worklist import dose_alert_text

    assert dose_alert_text([SLIP_LINE]) == f"CHECK THE DOSE: {SLIP_LINE}."
    assert dose_alert_text([UNREAD_LINE, REDUCE_LINE]) == f"REDUCE DOSE: {REDUCE_LINE}. CHECK THE DOSE: {UNREAD_LINE}."
    assert dose_alert_text([]) == ""
