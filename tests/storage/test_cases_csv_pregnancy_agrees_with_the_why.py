"""The cases CSV's ``pregnant`` / ``pregnancy_weeks`` cells and its ``medicine_alerts`` cell say what
the worklist row's Why says, on every date (gp17 F11: "its pregnant column contradicts the window's
own Why"; checked after the lead's H-MED-260 fix, which made the row read the answer standing on
the date). Both engines.

The pregnancy rules (resources/medicines/sources.toml, preg16/preg17): the weeks move on from the
date they were recorded; a visit's answer counts from its date; past 42 completed weeks (postterm,
``acog-postterm``, [unverified] in the data) a recorded pregnancy is asked about and the medicine
checks hold it at 42. FDA Drug Safety Communication, 15 October 2020: avoid NSAIDs "at 20 weeks or
later"; "at 30 weeks and later" the risk of premature closure of the fetal ductus arteriosus.
"""

from __future__ import annotations

import datetime as dt

from radiculopathy_desktop.domain.followup import ReviewStatus
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.reports.csv_export import COLUMN_NAMES, worklist_cells
from tracker_support import ANCHOR, case_dict

STORE_ENGINES = ("sqlite", "postgresql")
INTAKE = ANCHOR - dt.timedelta(days=50)
IBUPROFEN = [{"name": "ibuprofen", "daily_dose_mg": 1200}]


def _case(case_id, weeks=None, visits=(), medicines=IBUPROFEN, pregnant=None):
    d = case_dict(case_id, care_start=INTAKE, visits=list(visits) or None)
    if weeks is not None:
        d["patient"]["pregnancy_weeks"] = weeks
    if pregnant is False:
        d["patient"]["pregnant"] = False
    d["medicines"] = list(medicines)
    return parse_case(d)


def _visit(days, pregnancy):
    return {"date": INTAKE + dt.timedelta(days=days), "leg_nrs": 6, "pregnancy": pregnancy}


def test_the_csv_pregnancy_and_alert_cells_say_what_the_why_says_on_every_date(store):
    store.import_cases([
        _case("AT18", 18),  # 20 weeks 14 days on, 30 weeks 84 days on, past 42 after 24 weeks
        _case("FOUND", visits=[_visit(21, {"pregnant": True, "weeks": 27})], pregnant=False),
        _case("ENDED", 25, visits=[_visit(35, {"pregnant": False})]),
        _case("NOMED", 36, medicines=()),
        _case("NONE", None),
    ])
    records = store.pregnancy_records()
    preg, weeks_at, alerts_at = (COLUMN_NAMES.index(c) for c in ("pregnant", "pregnancy_weeks", "medicine_alerts"))
    seen = set()
    for days in range(-1, 260, 3):
        as_of = INTAKE + dt.timedelta(days=days)
        rows = store.worklist(as_of, statuses=list(ReviewStatus))
        for r, cells in zip(rows, worklist_cells(rows, "cv", records)):
            mark = r.pregnancy[0]
            pregnant, weeks = cells[preg], cells[weeks_at]
            if mark.startswith("Pregnant "):
                assert (pregnant, f"Pregnant {weeks} wk") == ("yes", mark), (r.case_id, as_of)
            elif mark == "Ask: still pregnant?":
                assert (pregnant, weeks) == ("ask", 42), (r.case_id, as_of)
            else:
                assert mark == "" and pregnant in ("", "no"), (r.case_id, as_of, pregnant)
            assert cells[alerts_at] == r.medicine_alert_words, (r.case_id, as_of)
            seen.add((r.case_id, pregnant, bool(cells[alerts_at])))
    # every kind was met: yes with an alert, ask, no after an end, a visit's yes, none recorded
    assert {("AT18", "yes", True), ("AT18", "ask", True), ("ENDED", "no", False), ("FOUND", "yes", True),
            ("FOUND", "no", False), ("NOMED", "yes", False), ("NONE", "", False)} <= seen
