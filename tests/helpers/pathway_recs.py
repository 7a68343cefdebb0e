"""The pathway's medicine recommendations of the routine L5 example case with the medicines a test
records (tests of what the stepped pathway says to a patient already taking a medicine)."""

from __future__ import annotations

import datetime as dt

from radiculopathy_desktop.domain.assess import assess_case
from tests.helpers.example_case import l5_case

AS_OF = dt.date(2026, 11, 25)
NO_NSAID_TRIED = [{"code": "advice_self_management", "started": "2026-11-19"}]


def assessed(medicines: list, profile: str = "uk", conditions=None, **kw) -> dict:
    """The assessment's JSON; ``medicines`` are names, or recorded medicines as dicts (with a daily dose)."""
    meds = [m if isinstance(m, dict) else {"name": m} for m in medicines]
    case = l5_case(meds, conditions, treatments_tried=NO_NSAID_TRIED, **kw)
    return assess_case(case, AS_OF, profile=profile).to_dict()


def medicine_recs(data: dict, rec_id: str) -> list[dict]:
    return [r for s in data["pathway"]["steps"] if s["id"] == "medicines"
            for r in s["recommendations"] if r["id"] == rec_id]


def medicine_rec(data: dict, rec_id: str) -> dict:
    recs = medicine_recs(data, rec_id)
    assert len(recs) == 1, (rec_id, recs)
    return recs[0]
