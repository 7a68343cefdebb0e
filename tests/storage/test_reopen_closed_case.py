"""Both engines: a decision (or an imported update) that would re-open a closed case while the
same patient has another open case is refused, naming the open case, unless it is a deliberate
new episode, which the audit keeps as ``new_episode_while_open`` (rt16 F2, H-FU-229).

rt16 F2: after OC-A was discharged and OC-F opened for the same patient, ``decide OC-A --kind
continue`` re-opened A beside F with no question and no audit mark (and so did re-importing A's
own export with a continue decision added): visits and red flags then go to one episode while
the review clock runs on the other. The one-open-case rule (``domain.episodes``, gp14 G10) now
holds on these paths too; patient IDs differing only in capitals are one patient for it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from radiculopathy_desktop.domain.episodes import OpenCaseExists, ReopenRefused
from radiculopathy_desktop.domain.intake import Decision, case_to_dict, parse_case
from radiculopathy_desktop.domain.vocab import DecisionKind, ReviewStatus
from tracker_support import ANCHOR, case_dict, make_case

STORE_ENGINES = ("sqlite", "postgresql")
D = dt.timedelta
DISCHARGED_ON = ANCHOR - D(days=100)


def _continue(day=ANCHOR):
    return Decision(day, DecisionKind.CONTINUE_CONSERVATIVE_CARE, until=ANCHOR + D(days=20), by="dr.y",
                    acknowledged_red_flags=())


@pytest.fixture
def two(store):
    """OC-A (P-OC-1) discharged; OC-F, the same patient's new episode, open."""
    store.import_cases([make_case("OC-A", patient_id="P-OC-1", care_start=ANCHOR - D(days=180),
                                  decisions=[{"date": DISCHARGED_ON, "kind": "resolved_discharged",
                                              "acknowledged_red_flags": []}]),
                        make_case("OC-F", patient_id="P-OC-1", care_start=ANCHOR - D(days=10))], user="dr.a")
    assert [o.case_id for o in store.open_cases("P-OC-1", ANCHOR)] == ["OC-F"]
    return store


def test_continue_on_the_closed_case_is_refused_naming_the_open_case(two):
    with pytest.raises(ReopenRefused) as caught:
        two.record_decision("OC-A", _continue(), user="dr.y", open_case_as_of=ANCHOR)
    assert caught.value.exit_code == 2
    assert "closed case OC-A would be re-opened: patient P-OC-1 already has an open case: case OC-F" \
        in str(caught.value)
    assert "--new-episode" in str(caught.value)
    assert len(two.get_case("OC-A").decisions) == 1  # nothing saved
    assert two.review("OC-A", ANCHOR).status == ReviewStatus.CLOSED


def test_a_deliberate_new_episode_is_recorded_and_audited(two):
    change = two.record_decision("OC-A", _continue(), user="dr.y", open_case_as_of=ANCHOR, new_episode=True)
    assert two.review("OC-A", ANCHOR).status == ReviewStatus.SNOOZED
    [item] = change.new_episode_while_open
    assert item["case_id"] == "OC-A" and item["reopened"] is True
    assert [o["case_id"] for o in item["open_cases"]] == ["OC-F"]
    entry = [e for e in two.audit() if e.action == "decision_recorded"][-1]
    assert entry.detail["new_episode_while_open"] == [item]


def test_allowed_beside_the_open_cases_shown_only(two):
    """The window passes the open cases it showed: one opened since is asked about, not passed."""
    with pytest.raises(ReopenRefused):
        two.record_decision("OC-A", _continue(), user="dr.y", open_case_as_of=ANCHOR, new_episode={"OC-OTHER"})
    two.record_decision("OC-A", _continue(), user="dr.y", open_case_as_of=ANCHOR, new_episode={"OC-F"})
    assert two.review("OC-A", ANCHOR).status == ReviewStatus.SNOOZED


@pytest.mark.parametrize("offset, refused", [(-1, False), (0, False), (1, True)])
def test_the_other_case_discharged_by_the_date_does_not_stand_in_the_way(store, offset, refused):
    """Boundary: the other case discharged the day before or on the date is closed; after it, open."""
    store.import_cases([make_case("OC-A", patient_id="P-1", care_start=ANCHOR - D(days=180),
                                  decisions=[{"date": DISCHARGED_ON, "kind": "resolved_discharged",
                                              "acknowledged_red_flags": []}]),
                        make_case("OC-F", patient_id="P-1", care_start=ANCHOR - D(days=30),
                                  decisions=[{"date": ANCHOR + D(days=offset), "kind": "resolved_discharged",
                                              "acknowledged_red_flags": []}])], user="dr.a")
    if refused:
        with pytest.raises(ReopenRefused):
            store.record_decision("OC-A", _continue(), user="dr.y", open_case_as_of=ANCHOR)
    else:
        change = store.record_decision("OC-A", _continue(), user="dr.y", open_case_as_of=ANCHOR)
        assert change.new_episode_while_open == ()


def test_decisions_that_do_not_re_open_go_on(two):
    """A closing decision on the closed case, and a continue on the open one, are not re-openings."""
    two.record_decision("OC-A", Decision(ANCHOR, DecisionKind.REFERRED_FOR_SURGICAL_OPINION, acknowledged_red_flags=()), user="dr.y",
                        open_case_as_of=ANCHOR)
    assert two.review("OC-A", ANCHOR).status == ReviewStatus.CLOSED
    change = two.record_decision("OC-F", _continue(), user="dr.y", open_case_as_of=ANCHOR)
    assert change.new_episode_while_open == ()
    # without the check (the demo, restore paths): as before
    two.record_decision("OC-A", _continue(), user="dr.y")
    assert two.review("OC-A", ANCHOR).status == ReviewStatus.SNOOZED


def test_patient_ids_differing_only_in_capitals_are_one_patient(store):
    store.import_cases([make_case("OC-A", patient_id="P-OC-1", care_start=ANCHOR - D(days=180),
                                  decisions=[{"date": DISCHARGED_ON, "kind": "resolved_discharged",
                                              "acknowledged_red_flags": []}]),
                        make_case("OC-F", patient_id="p-oc-1", care_start=ANCHOR - D(days=10))], user="dr.a")
    assert [o.case_id for o in store.open_cases("P-OC-1", ANCHOR)] == ["OC-F"]
    with pytest.raises(ReopenRefused):
        store.record_decision("OC-A", _continue(), user="dr.y", open_case_as_of=ANCHOR)
    # and a new case with the capitals changed is refused while OC-F is open
    with pytest.raises(OpenCaseExists) as caught:
        store.import_cases([make_case("OC-B", patient_id="P-oc-1", care_start=ANCHOR - D(days=2))], user="dr.a",
                           open_case_as_of=ANCHOR)
    assert "case OC-F" in str(caught.value)
    assert not store.has_case("OC-B")


def test_non_ascii_capitals_are_one_patient_too(store):
    store.import_cases([make_case("OC-J", patient_id="P-JOSÉ", care_start=ANCHOR - D(days=10))], user="dr.a")
    with pytest.raises(OpenCaseExists):
        store.import_cases([make_case("OC-K", patient_id="p-josé", care_start=ANCHOR - D(days=2))], user="dr.a",
                           open_case_as_of=ANCHOR)


def test_re_importing_the_closed_case_with_a_continue_added_is_refused(two):
    data = case_to_dict(two.get_case("OC-A"))
    data["decisions"].append({"date": ANCHOR.isoformat(), "kind": "continue_conservative_care",
                              "until": (ANCHOR + D(days=20)).isoformat(), "acknowledged_red_flags": []})
    with pytest.raises(ReopenRefused) as caught:
        two.import_cases([parse_case(data)], user="dr.b", open_case_as_of=ANCHOR)
    assert "closed case OC-A would be re-opened" in str(caught.value) and "case OC-F" in str(caught.value)
    assert "import again with --new-episode" in str(caught.value)
    assert two.review("OC-A", ANCHOR).status == ReviewStatus.CLOSED
    result = two.import_cases([parse_case(data)], user="dr.b", open_case_as_of=ANCHOR, new_episode=True)
    assert result.updated == ("OC-A",)
    [item] = result.new_episodes
    assert item["case_id"] == "OC-A" and item["reopened"] is True
    entry = [e for e in two.audit() if e.action == "import"][-1]
    assert entry.detail["new_episode_while_open"] == [item]
    assert two.review("OC-A", ANCHOR).status == ReviewStatus.SNOOZED


def test_a_red_flag_visit_on_the_closed_case_is_never_refused(two):
    """A red flag raised after the closing decision makes the closed case open work (Immediate);
    it is not a re-opening by decision and is never refused (the flag must be seen)."""
    data = case_to_dict(two.get_case("OC-A"))
    data.setdefault("visits", []).append({"date": ANCHOR.isoformat(), "red_flags": {"saddle_anaesthesia": "yes"}})
    result = two.import_cases([parse_case(data)], user="dr.b", open_case_as_of=ANCHOR)
    assert result.updated == ("OC-A",) and result.new_episodes == ()
    assert two.review("OC-A", ANCHOR).status == ReviewStatus.IMMEDIATE
