"""Medicine alerts and the worklist rows while one patient's cases disagree on her pregnancy
(gp18 F1), on both engines.

Before: Preg-A's case at 31 weeks was on Medicine alerts (ibuprofen contraindicated), her other
open case, answered "not pregnant" with the same ibuprofen, was on neither the list nor the count,
and its row carried no mark. Now the one rule (``domain.episodes.pregnancy_differs``) decides, and
the store lists the "not pregnant" case with the reason "Pregnancy differs between cases" when her
medicines would carry an alert at the other case's weeks; the count is the list's; both rows say
"Pregnancy differs"; recording the right answer clears it.

Primary source of the thresholds read (resources/medicines): FDA Drug Safety Podcast on the Drug
Safety Communication of 15 October 2020 (fda.gov): "We recommend avoiding NSAIDs in pregnant women
at 20 weeks, rather than the 30 weeks currently described in NSAID prescribing information."
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.followup import ReviewStatus
from radiculopathy_desktop.domain.intake import parse_case
from tracker_support import ANCHOR, case_dict

STORE_ENGINES = ("sqlite", "postgresql")
OPEN = [s for s in ReviewStatus if s != ReviewStatus.CLOSED]
INTAKE = ANCHOR - dt.timedelta(days=20)


def _case(case_id, pid="Mia-7", weeks=None, pregnant=None, medicine="ibuprofen", visits=None, care_start=INTAKE):
    d = case_dict(case_id, care_start=care_start, patient_id=pid, visits=visits)
    if weeks is not None:
        d["patient"]["pregnancy_weeks"] = weeks
    if pregnant is not None:
        d["patient"]["pregnant"] = pregnant
    if medicine:
        d["medicines"] = [{"name": medicine, "daily_dose_mg": 1200.0}]
    return parse_case(d)


def _listed(store, as_of, profile="us"):
    rows = store.worklist(as_of, statuses=OPEN, profile=profile, medicine_alerts_only=True)
    assert store.medicine_alert_count(as_of, OPEN, profile=profile) == len(rows)  # the count is the list's
    return {r.case_id: r for r in rows}


def _row(store, as_of, case_id):
    return next(r for r in store.worklist(as_of, statuses=OPEN) if r.case_id == case_id)


@pytest.mark.parametrize("weeks, listed", [(19, False), (20, True), (31, True)])
def test_the_not_pregnant_case_is_on_medicine_alerts_with_the_reason(store, weeks, listed):
    store.import_cases([_case("A", weeks=weeks, medicine=None),
                        _case("B", pid="MIA-7", pregnant=False, care_start=INTAKE - dt.timedelta(days=30))])
    found = _listed(store, INTAKE)
    assert set(found) == ({"B"} if listed else set())
    b = _row(store, INTAKE, "B")
    assert b.pregnancy[0] == "Pregnancy differs" and "records her NOT pregnant" in b.pregnancy[1]
    a = _row(store, INTAKE, "A")
    assert a.pregnancy[0] == f"Pregnant {weeks} wk; Pregnancy differs"
    if listed:
        # rt21 F2/F7 (fxk20): the mark is the rating she would carry, said "if pregnant"
        [mark] = found["B"].medicine_alerts
        label = "Contraindicated if pregnant" if weeks >= 30 else "Avoid if pregnant"
        assert mark.label == label and mark.medicines == ("ibuprofen",)
        assert mark.action.startswith(f"Pregnancy differs between cases. If pregnant as case A records ({weeks} weeks): ")
        assert found["B"].to_dict()["medicine_alerts"][0]["status_label"] == label
        assert found["B"].medicine_alert_words.startswith(f"{label}: ibuprofen. Pregnancy differs between cases.")
    else:
        assert b.medicine_alerts == ()


def test_both_cases_listed_each_for_its_own_reason_and_cleared_by_the_right_answer(store):
    """The pregnant case is listed for its own alert, the other for the contradiction; once the
    right answer is recorded at a visit on the wrong case, only the case's own alerts remain."""
    store.import_cases([_case("A", weeks=31), _case("B", pregnant=False, care_start=INTAKE - dt.timedelta(days=30))])
    found = _listed(store, INTAKE)
    assert [m.label for m in found["A"].medicine_alerts] == ["Contraindicated"]
    assert [m.label for m in found["B"].medicine_alerts] == ["Contraindicated if pregnant"]
    day = INTAKE + dt.timedelta(days=1)
    store.import_cases([_case("B", pregnant=False, care_start=INTAKE - dt.timedelta(days=30),
                              visits=[{"date": day, "leg_nrs": 6, "pregnancy": {"pregnant": True, "weeks": 31}}])],
                       replace_records=True)
    found = _listed(store, day)
    assert {c: [m.label for m in r.medicine_alerts] for c, r in found.items()} == {
        "A": ["Contraindicated"], "B": ["Contraindicated"]}
    assert _row(store, day, "B").pregnancy[0] == "Pregnant 31 wk"


def test_another_patient_is_never_marked(store):
    store.import_cases([_case("A", weeks=31), _case("B", pid="Other-2", pregnant=False)])
    assert set(_listed(store, INTAKE)) == {"A"}
    assert _row(store, INTAKE, "B").pregnancy == ("", "") and _row(store, INTAKE, "A").pregnancy[0] == "Pregnant 31 wk"


@pytest.mark.parametrize("weeks, cleared", [(25, False), (27, True), (31, True)])
def test_a_visit_added_on_the_wrong_case_clears_it(store, weeks, cleared):
    """The store's own visit path (``add_visit``, as the window and ``visit`` save): a pregnancy
    recorded on the "not pregnant" case within 4 weeks of the other's 31 clears the contradiction
    (27, 31); 25 is more than 4 weeks apart, still a contradiction (named both ways)."""
    from radiculopathy_desktop.domain.intake import parse_visit

    store.import_cases([_case("A", weeks=31, medicine=None), _case("B", pregnant=False,
                                                                   care_start=INTAKE - dt.timedelta(days=30))])
    assert set(_listed(store, INTAKE)) == {"B"}
    day = INTAKE + dt.timedelta(days=1)
    visit = parse_visit({"date": day.isoformat(), "leg_nrs": 6, "pregnancy": {"pregnant": True, "weeks": weeks}},
                        store.get_case("B"), today=day)
    store.add_visit("B", visit, user="test")
    found = _listed(store, day)
    # strongest first (fxk20): at 25 weeks her own Avoid comes after the Contraindicated she
    # would carry at the other case's 31
    assert [m.label for m in found["B"].medicine_alerts][0] == (
        "Contraindicated" if weeks >= 30 else "Avoid" if cleared else "Contraindicated if pregnant")
    differs = _row(store, day, "B").pregnancy_differs
    assert (differs is None) is cleared
    if not cleared:
        assert differs.if_weeks == 31 and [m.label for m in found["B"].medicine_alerts] == [
            "Contraindicated if pregnant", "Avoid"]


@pytest.mark.parametrize("long_list", [False, True])
def test_a_page_checks_only_its_own_patients_and_carries_what_the_whole_check_gives(store, monkeypatch,
                                                                                    long_list):
    """st20: every page of the worklist checked every pregnant patient of the database (and loaded
    the medicine engine for them) before the first paint. A page now checks its own rows' patients
    only; each row carries exactly what the check of every patient gives it, on every page, every
    status filter and both profiles, and Medicine alerts still lists the not-pregnant case.
    ``long_list``: every list read as a long one is (both engines: the whole database's candidates kept by
    the listed cases' patient keys, issue 17), with the same answers."""
    from radiculopathy_desktop.storage import worklist as wl

    if long_list:
        monkeypatch.setattr(wl, "PREGNANCY_SCAN_FROM", 1)
    store.import_cases([
        _case("A", weeks=31), _case("B", pregnant=False, care_start=INTAKE - dt.timedelta(days=60)),
        _case("C", pid="Ola-1", weeks=24, medicine=None),
        _case("D", pid="OLA-1", pregnant=False, care_start=INTAKE - dt.timedelta(days=90)),
        *[_case(f"Z{i}", pid=f"Other-{i}", medicine=None, care_start=INTAKE - dt.timedelta(days=10 * i))
          for i in range(8)]])
    checked: list[list[str]] = []
    real = wl.pregnancy_differs_cases

    def spy(st, candidates, as_of, profile, *rest):
        candidates = list(candidates)
        checked.append(sorted(candidates))
        return real(st, candidates, as_of, profile, *rest)

    monkeypatch.setattr(wl, "pregnancy_differs_cases", spy)
    seen = 0
    for as_of in (INTAKE, INTAKE + dt.timedelta(days=30)):
        for profile in ("us", "uk"):
            whole = real(store, wl.pregnancy_candidates(_candidate_rows(store), as_of), as_of, profile)
            assert set(whole) == {"A", "B", "C", "D"}  # not a comparison of nothing
            for statuses in (OPEN, list(ReviewStatus), [ReviewStatus.NOT_DUE]):
                everyone = store.worklist(as_of, statuses=statuses, profile=profile)
                for offset in range(0, len(everyone) + 1, 3):
                    checked.clear()
                    page = store.worklist(as_of, statuses=statuses, profile=profile, limit=3, offset=offset)
                    assert [r.case_id for r in page] == [r.case_id for r in everyone[offset:offset + 3]]
                    for r in page:
                        assert repr(r.pregnancy_differs) == repr(whole.get(r.case_id)), (as_of, profile, r.case_id)
                        assert r.pregnancy == next(e.pregnancy for e in everyone if e.case_id == r.case_id)
                        seen += r.pregnancy_differs is not None
                    on_page = {r.case_id for r in page}
                    patients = {"A": "Mia-7", "B": "Mia-7", "C": "Ola-1", "D": "Ola-1"}
                    for candidates in checked:  # only the page's own patients were checked
                        assert {patients[c] for c in on_page if c in patients} >= {
                            "Mia-7" if p.lower() == "mia-7" else "Ola-1" for p in candidates}
                    if not on_page & set(patients):
                        assert checked == []  # a page without them checks nobody
            listed = store.worklist(as_of, statuses=OPEN, profile=profile, medicine_alerts_only=True)
            assert "B" in {r.case_id for r in listed}  # her ibuprofen at the other case's 31 weeks
    assert seen > 20


def _candidate_rows(store):
    from radiculopathy_desktop.storage import worklist as wl

    if hasattr(store, "_tx"):
        with store._tx() as conn:
            return conn.execute(wl.PREGNANCY_CANDIDATES_SQL).fetchall()
    return store._db.conn.execute(wl.PREGNANCY_CANDIDATES_SQL).fetchall()


def test_a_long_list_keeps_exactly_the_candidates_of_its_own_patients(store):
    """Issue 17: a long list (the batch outputs) reads the few candidates of the whole database and
    keeps those whose patient key a listed case shares: the rows the query by listed case IDs gives,
    for every subset of the cases (IDs typed with other capitals: one key)."""
    import contextlib
    import itertools
    import json

    from radiculopathy_desktop.storage import worklist as wl

    store.import_cases([
        _case("A", weeks=31), _case("B", pid="MIA-7", pregnant=False, care_start=INTAKE - dt.timedelta(days=60)),
        _case("C", pid="Ola-1", weeks=24, medicine=None), _case("D", pid="OLA-1", weeks=12, medicine=None),
        _case("E", pid="Solo-2", weeks=20), _case("F", pid="Two-3", pregnant=False),
        _case("G", pid="two-3", pregnant=False)])
    ids = ["A", "B", "C", "D", "E", "F", "G", "nobody"]
    kept = set()
    with contextlib.ExitStack() as stack:
        if hasattr(store, "_tx"):  # the clinic server: the query by IDs sends them all (ANY), as before
            conn = stack.enter_context(store._tx())
            on_ids = wl.PREGNANCY_CANDIDATES_SQL.replace("%", "%%") + (
                " AND c.patient_key IN (SELECT p.patient_key FROM cases p WHERE p.case_id = ANY(%s))")

            def by_ids(on):
                return conn.execute(on_ids, (list(on),)).fetchall()

            def long_list(on):
                return wl.listed_pregnancy_candidates(conn, on, lambda keys: conn.execute(
                    "SELECT patient_key, case_id FROM cases WHERE patient_key = ANY(%s)", (keys,)).fetchall())
        else:
            conn = store._db.conn

            def by_ids(on):
                return conn.execute(wl.PREGNANCY_CANDIDATES_ON_SQL, {"ids": json.dumps(list(on))}).fetchall()

            def long_list(on):
                return wl.listed_pregnancy_candidates(conn, on)
        for n in range(len(ids) + 1):
            for on in itertools.combinations(ids, n):
                long = long_list(on)
                assert sorted(map(tuple, long)) == sorted(map(tuple, by_ids(on))), on
                kept.add(len(long))
    assert kept == {0, 1, 2, 3}  # not a comparison of nothing: none, one patient's, both patients' candidates
