"""One import file is refused for one reason, in one message, on both engines (hazard H-UI-460).

The local SQLite store and the clinic server's store each checked an import's refusals in a
hand-copied list (moved case, removed records, protected intake, identity, repeated episode,
second open episode, red-flag acknowledgement, closing over unanswered cauda equina questions);
a check added or reordered in one copy only would let the same file through on one engine, or
refuse it there for another reason. The order now lives once, in
``engine_common.import_refusal``, and what each case of the file is held back for or adds
to a refusal once, in ``engine_common.import_case_checked``. Here each refusal, each two neighbours in that order, and all
of them at once are imported with every safety option off, into a SQLite file and into a
throwaway PostgreSQL database (tests/pg_server.py): both refuse with the same exception, exit
code and message, leave the stores as they were, and the refusal is the first in the order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.storage.store import CaseStore

from tracker_support import ANCHOR, case_dict

D = dt.timedelta
INTAKE = ANCHOR - D(days=30)
DECIDED = ANCHOR - D(days=10)

#: Every safety option of ``import_cases`` off (the ``import`` command without its flags).
STRICT = {"replace_records": False, "acknowledge_red_flags": False, "close_with_unanswered_red_flags": False,
          "one_case_per_episode": True, "open_case_as_of": ANCHOR, "legacy_decisions": False}


def _discharge(acknowledged: list[str]) -> list[dict]:
    return [{"date": DECIDED, "kind": "resolved_discharged", "by": "Dr A", "acknowledged_red_flags": acknowledged}]


@dataclass(frozen=True)
class Refusal:
    """One refusal: the cases stored first, the file's cases, and words only its message has."""
    name: str
    stored: tuple[dict, ...]
    file: tuple[dict, ...]
    says: str


#: In the order the engines check them (``engine_common.import_refusal``); each on patient IDs
#: of its own, so that any of them can share one file.
ORDER = (
    Refusal("moved", (case_dict("MV-1", care_start=INTAKE, patient_id="P-MV"),),
            (case_dict("MV-1", care_start=INTAKE, patient_id="P-MV-OTHER"),),
            "holds to another patient ID"),
    Refusal("removed", (case_dict("RM-1", care_start=INTAKE, visits=[{"date": DECIDED, "leg_nrs": 6}]),),
            (case_dict("RM-1", care_start=INTAKE),),
            "would remove visits or decisions already recorded"),
    Refusal("protected", (case_dict("PR-1", care_start=INTAKE, leg=7),),
            (case_dict("PR-1", care_start=INTAKE, leg=4),),
            "would change what the tracker recorded at the intake"),
    Refusal("identity", (case_dict("ID-1", care_start=INTAKE, patient_id="P-ID"),),
            (case_dict("ID-2", care_start=INTAKE - D(days=200), patient_id="P-ID", name="Other Person"),),
            "One patient ID would hold different people"),
    Refusal("episode", (case_dict("EP-1", care_start=INTAKE, patient_id="P-EP"),),
            (case_dict("EP-2", care_start=INTAKE, patient_id="P-EP"),),
            "This case already exists"),
    Refusal("open_case", (case_dict("OC-1", care_start=INTAKE, patient_id="P-OC"),),
            (case_dict("OC-2", care_start=ANCHOR - D(days=3), patient_id="P-OC"),),
            "already has an open case"),
    Refusal("acknowledged", (),
            (case_dict("AK-1", care_start=INTAKE, red_flags={"fever": "yes"}, decisions=_discharge(["fever"])),),
            "only with --acknowledge-red-flags"),
    Refusal("closed_unanswered", (),
            (case_dict("CU-1", care_start=INTAKE, red_flags={"saddle_anaesthesia": "unknown"},
                       decisions=_discharge([])),),
            "--close-with-unanswered-red-flags"),
)

SCENARIOS = ([(r,) for r in ORDER] + [ORDER[i:i + 2] for i in range(len(ORDER) - 1)] + [ORDER])


def _scenario_id(refusals) -> str:
    return "all" if len(refusals) == len(ORDER) else "+".join(r.name for r in refusals)


def _outcome(store, refusals) -> tuple[str, int, str]:
    """The refusal of the scenario's file on ``store`` (the stored cases imported first):
    (exception class, exit code, message), having checked that nothing was written."""
    stored = [parse_case(d) for r in refusals for d in r.stored]
    if stored:
        store.import_cases(stored, user="dr.a")
    file = [parse_case(d) for r in refusals for d in r.file]
    ids = [c.case_id for c in file]
    before = store.audit_count(), {cid: store.get_case(cid) for cid in ids if store.has_case(cid)}
    with pytest.raises(UserError) as refused:
        store.import_cases(file, user="dr.b", **STRICT)
    assert (store.audit_count(), {cid: store.get_case(cid) for cid in ids if store.has_case(cid)}) == before
    return type(refused.value).__name__, refused.value.exit_code, str(refused.value)


@pytest.mark.parametrize("refusals", SCENARIOS, ids=_scenario_id)
def test_both_engines_refuse_one_file_for_the_same_first_reason(refusals, tmp_path, pg_database):
    from radiculopathy_desktop.storage.pg.store import PgStore

    with CaseStore.open(tmp_path / "local") as local, PgStore.open(pg_database()) as server:
        outcomes = [_outcome(local, refusals), _outcome(server, refusals)]
    assert outcomes[0] == outcomes[1]
    _kind, code, message = outcomes[0]
    assert code == 2
    assert refusals[0].says in message  # the first in the order is the one said
    for later in refusals[1:]:
        assert later.says not in message, later.name
    assert f"case {refusals[0].file[0]['case_id']}" in message  # and names the case it refuses
