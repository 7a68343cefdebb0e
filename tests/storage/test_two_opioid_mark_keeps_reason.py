"""The worklist's and the cases CSV's two-opioid alert keep the reason and the MME the case page
shows (gp18 F11; H-FMT-321), on both engines.

CDC 2022 (Dowell et al., MMWR Recomm Rep 2022;71(3)), the MME table's footnote: "Multiply the
dose for each opioid by the conversion factor to determine the dose in MMEs" (codeine 0.15,
oxycodone 1.5). gp18's Opi-1: codeine 30 mg qds (120 mg) + Tylenol No. 3 2 tabs qds (codeine
240 mg) + oxycodone 10 mg bd (20 mg) = 360 x 0.15 + 20 x 1.5 = 54 + 30 = 84 MME a day. Before,
the cell said "Avoid: codeine ..., oxycodone ..., tylenol no. 3 ... Review now with the
prescriber; do not stop ... suddenly: ..." and the same withdrawal sentence again for the
codeine pair: neither "two different opioids" nor "84 MME/day".
"""

from __future__ import annotations

import datetime as dt

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.followup import ReviewStatus
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.worklist_marks import AlertMark, marks_words
from radiculopathy_desktop.reports.csv_export import COLUMN_NAMES, row_from_case, worklist_cells
from tracker_support import ANCHOR, case_dict

STORE_ENGINES = ("sqlite", "postgresql")
INTAKE = ANCHOR - dt.timedelta(days=50)
OPI_1 = ["codeine 30mg qds", "oxycodone 10mg bd", "tylenol no. 3 2 tabs qds"]
WHY = "Two different opioids at once (codeine and oxycodone): together 84 MME/day."
WITHDRAWAL = "a sudden stop or a rapid cut risks serious withdrawal"


def _case(case_id, names):
    d = case_dict(case_id, care_start=INTAKE)
    d["medicines"] = [{"name": n} for n in names]
    return parse_case(d)


def test_the_worklist_and_csv_cells_keep_two_different_opioids_and_the_mme(store):
    store.import_cases([_case("OPI-1", OPI_1)])
    as_of = ANCHOR
    page = [a.text for a in assess_case(store.get_case("OPI-1"), as_of).medicine_alerts if a.kind == "interaction"]
    assert any(WHY in t for t in page)  # the case page says it (the source of truth)
    rows = store.worklist(as_of, statuses=list(ReviewStatus))
    r = next(r for r in rows if r.case_id == "OPI-1")
    words = r.medicine_alert_words
    assert WHY in words
    assert "Two products containing codeine" in words  # the codeine pair's own reason too
    # the long withdrawal "why" is said once, not once per alert
    assert words.count(WITHDRAWAL) == 1 and "(why: as above)" in words
    cells = dict(zip(COLUMN_NAMES, next(c for rr, c in zip(rows, worklist_cells(rows, "cv")) if rr.case_id == "OPI-1")))
    assert cells["medicine_alerts"] == words
    # `export cases` from a case (not the worklist's stored spans) writes the same cell
    assert row_from_case(store.get_case("OPI-1"), as_of)["medicine_alerts"] == words


def test_one_opioid_marks_are_unchanged_and_a_single_alert_is_not_shortened(store):
    # codeine 60 mg + Tylenol No. 3's 240 mg = 300 mg, 45 MME/day: below the 50 at which the opioid
    # total is an alert of its own (mme21), so one alert, as before
    store.import_cases([_case("ONE", ["codeine 15mg qds", "tylenol no. 3 2 tabs qds"])])
    r = next(r for r in store.worklist(ANCHOR, statuses=list(ReviewStatus)) if r.case_id == "ONE")
    words = r.medicine_alert_words
    assert "Two different opioids" not in words
    assert words.count(WITHDRAWAL) == 1 and "as above" not in words
    assert words.startswith("Avoid: codeine 15mg qds, tylenol no. 3 2 tabs qds. Two products containing codeine")


def test_marks_words_says_a_repeated_explanation_once_and_keeps_short_tails():
    why = "in a patient who is physically dependent, a sudden stop risks serious withdrawal; taper."
    a = AlertMark("Avoid", ("x",), f"Reason A. Do not stop x suddenly: {why}")
    b = AlertMark("Avoid", ("y",), f"Reason B. Do not stop y suddenly: {why}")
    c = AlertMark("Reduce dose", ("z",), "Lower it: to 5.")  # a short tail is never replaced
    d = AlertMark("Reduce dose", ("w",), "Lower it: to 5.")
    text = marks_words([a, b, c, d])
    assert text.count(why) == 1
    assert "Avoid: y. Reason B. Do not stop y suddenly (why: as above)." in text
    assert text.endswith("Reduce dose: z. Lower it: to 5. Reduce dose: w. Lower it: to 5.")
