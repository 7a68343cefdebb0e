"""Helpers shared by the storage and tracker-command tests (imported by conftest.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path
from typing import Any

from radiculopathy_desktop.domain.intake import Case, parse_case

ANCHOR = dt.date(2026, 6, 1)
TRACKER_ONLY = ("radiculopathy_desktop.commands.tracker",)


def case_dict(case_id: str = "C-1", *, care_start: dt.date = ANCHOR - dt.timedelta(days=50),
              intake: dt.date | None = None, leg: int = 7, back: int = 4, odi: float | None = 40.0,
              name: str = "Invented Patient", patient_id: str | None = None, visits: list | None = None,
              decisions: list | None = None, red_flags: dict | None = None, power: dict | None = None,
              side: str = "left") -> dict:
    """A valid case in the documented JSON format (dates as date objects are converted)."""
    intake = intake or care_start
    flags = {"saddle_anaesthesia": "no", "urinary_retention_or_incontinence": "no",
             "faecal_incontinence_or_loss_of_rectal_sensation": "no", "bilateral_leg_symptoms": "no",
             "new_sexual_dysfunction": "no",  # every cauda equina question answered (else: ask red flags)
             "fever": "no", "history_of_cancer": "no", "unexplained_weight_loss": "no",
             "significant_trauma": "no", "progressive_neurological_deficit": "no"}
    flags.update(red_flags or {})
    data: dict[str, Any] = {
        "case_id": case_id,
        "patient": {"id": patient_id or f"P-{case_id}", "name": name, "age_years": 45, "sex": "female"},
        "onset_date": (care_start - dt.timedelta(days=7)).isoformat(),
        "visit_date": intake.isoformat(),
        "care_start_date": care_start.isoformat(),
        "side": side,
        "regions": ["buttock", "lateral_leg"],
        "pain": {"leg_nrs": leg, "back_nrs": back},
        "red_flags": flags,
        "examination": {"power": power or {"great_toe_extension": 5}},
        "function": {} if odi is None else {"odi_percent": odi},
    }
    if visits:
        data["visits"] = [{**v, "date": v["date"].isoformat() if isinstance(v["date"], dt.date) else v["date"]}
                          for v in visits]
    if decisions:
        out = []
        for d in decisions:
            d = dict(d)
            for k in ("date", "until"):
                if isinstance(d.get(k), dt.date):
                    d[k] = d[k].isoformat()
            out.append(d)
        data["decisions"] = out
    return data


def make_case(case_id: str = "C-1", **kw) -> Case:
    return parse_case(case_dict(case_id, **kw))


def import_file(store, data: dict, **kw):
    """Import one case as a file gives it (the JSON format), as dr.b: the import's result."""
    return store.import_cases([parse_case(data)], user="dr.b", **kw)


def refused_import(store, data: dict) -> str:
    """The import of ``data`` refused by the import guard (exit 2, "--replace-records" named),
    the case and the audit trail left as they were: the message."""
    import pytest

    from radiculopathy_desktop.errors import UserError

    before = store.get_case(data["case_id"]), store.audit_count()
    with pytest.raises(UserError) as refused:
        import_file(store, data)
    assert refused.value.exit_code == 2 and "nothing was imported" in refused.value.message
    assert "--replace-records" in refused.value.message
    assert (store.get_case(data["case_id"]), store.audit_count()) == before
    return refused.value.message


def file_state(path: Path) -> tuple[str, int, int]:
    """What 'never modified' is checked against: content hash, size and mtime."""
    st = os.stat(path)
    return hashlib.sha256(Path(path).read_bytes()).hexdigest(), st.st_size, st.st_mtime_ns
