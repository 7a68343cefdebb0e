"""Two care facts recorded at the intake or a follow-up visit (issue 16).

* **Imaging requested**: whether imaging was requested, on what date, which modality,
  whether by a specialist service, and why. NICE quality standard QS155 statement 2 says
  imaging is not requested by a non-specialist service unless serious underlying
  pathology is suspected; the outcomes audit measures it against the red-flag record.
* **Self-management advice and information given** (QS155 statement 3): whether it
  was given, on what date, and whether a printed handout was given.

Not recorded is kept apart from no: a record without the object (every case written
before these fields existed) reads as *not recorded*; ``{"requested": false}`` is a
recorded "no imaging requested". The JSON form is in ``resources/schemas/case.schema.json``
and ``docs/case-format.md``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

IMAGING_MODALITIES: dict[str, str] = {
    "mri": "MRI",
    "ct": "CT",
    "x_ray": "X-ray",
    "other": "Other imaging",
}
IMAGING_REASONS: dict[str, str] = {
    "suspected_serious_pathology": "Suspected serious underlying pathology (e.g. cauda equina syndrome, "
                                   "cancer, infection, fracture)",
    "considering_intervention": "Result would change management (e.g. considering injection or surgery)",
    "other": "Other reason",
}


@dataclass(frozen=True)
class ImagingRecord:
    """Imaging at one record: ``requested`` False is a recorded "none requested"."""

    requested: bool
    date: dt.date | None = None
    modality: str | None = None
    by_specialist: bool | None = None  # None: not recorded who requested it
    reason: str | None = None  # IMAGING_REASONS; None: not recorded
    note: str | None = None


@dataclass(frozen=True)
class SelfManagementRecord:
    """Self-management advice and information: ``given`` False is a recorded "not given"."""

    given: bool
    date: dt.date | None = None
    printed_handout: bool | None = None  # None: not recorded


def parse_imaging(r: Any, value: Any, path: str, record_date: dt.date | None) -> ImagingRecord | None:
    """Read ``imaging`` with the case reader ``r`` (errors are collected, never raised)."""
    data = r.obj(value, path)
    if data is None:
        return None
    r.unknown_keys(data, {"requested", "date", "modality", "by_specialist", "reason", "note"}, path)
    requested = r.boolean(data, "requested", path)
    if data.get("requested") is None:
        r.error(f"{path}.requested", f"{path}.requested is required (true or false); leave {path} out if not recorded")
        return None
    day = r.date(data, "date", path)
    modality = r.choice(data, "modality", path, tuple(IMAGING_MODALITIES))
    by_specialist = r.boolean(data, "by_specialist", path)
    reason = r.choice(data, "reason", path, tuple(IMAGING_REASONS))
    note = r.text(data, "note", path, max_len=1000)
    if requested is None:
        return None
    if not requested:
        extra = [k for k in ("date", "modality", "by_specialist", "reason") if data.get(k) is not None]
        if extra:
            r.error(f"{path}.{extra[0]}", f"{path}.{extra[0]} is given but {path}.requested is false")
        return ImagingRecord(False, note=note)
    if modality is None and data.get("modality") is None:
        r.error(f"{path}.modality", f"{path}.modality is required when imaging was requested "
                                    f"(one of: {', '.join(IMAGING_MODALITIES)})")
    if day and record_date and day < record_date:
        r.error(f"{path}.date", f"{path}.date is before the date of the record it belongs to "
                                f"({day.isoformat()} < {record_date.isoformat()})")
    return ImagingRecord(True, day or record_date, modality, by_specialist, reason, note)


def parse_self_management(r: Any, value: Any, path: str, record_date: dt.date | None) -> SelfManagementRecord | None:
    data = r.obj(value, path)
    if data is None:
        return None
    r.unknown_keys(data, {"given", "date", "printed_handout"}, path)
    given = r.boolean(data, "given", path)
    if data.get("given") is None:
        r.error(f"{path}.given", f"{path}.given is required (true or false); leave {path} out if not recorded")
        return None
    day = r.date(data, "date", path)
    printed = r.boolean(data, "printed_handout", path)
    if given is None:
        return None
    if not given:
        extra = [k for k in ("date", "printed_handout") if data.get(k) is not None]
        if extra:
            r.error(f"{path}.{extra[0]}", f"{path}.{extra[0]} is given but {path}.given is false")
        return SelfManagementRecord(False)
    if day and record_date and day < record_date:
        r.error(f"{path}.date", f"{path}.date is before the date of the record it belongs to "
                                f"({day.isoformat()} < {record_date.isoformat()})")
    return SelfManagementRecord(True, day or record_date, printed)


def imaging_to_dict(rec: ImagingRecord | None) -> dict | None:
    if rec is None:
        return None
    out = {"requested": rec.requested, "date": rec.date.isoformat() if rec.date else None,
           "modality": rec.modality, "by_specialist": rec.by_specialist, "reason": rec.reason, "note": rec.note}
    return {k: v for k, v in out.items() if v is not None}


def self_management_to_dict(rec: SelfManagementRecord | None) -> dict | None:
    if rec is None:
        return None
    out = {"given": rec.given, "date": rec.date.isoformat() if rec.date else None,
           "printed_handout": rec.printed_handout}
    return {k: v for k, v in out.items() if v is not None}


def describe_imaging(rec: ImagingRecord | None) -> str:
    """One line for the case view, the CLI and printouts."""
    if rec is None:
        return "not recorded"
    if not rec.requested:
        return "none requested"
    who = {True: "specialist service", False: "non-specialist service", None: "requester not recorded"}[rec.by_specialist]
    why = IMAGING_REASONS[rec.reason].split(" (")[0].lower() if rec.reason else "reason not recorded"
    day = rec.date.isoformat() if rec.date else "date not recorded"
    return f"{IMAGING_MODALITIES.get(rec.modality or '', 'imaging')} requested {day} by {who}; {why}"


def describe_self_management(rec: SelfManagementRecord | None) -> str:
    if rec is None:
        return "not recorded"
    if not rec.given:
        return "not given"
    day = rec.date.isoformat() if rec.date else "date not recorded"
    handout = {True: ", printed handout given", False: ", no printed handout", None: ""}[rec.printed_handout]
    return f"given {day}{handout}"


def care_fact_lines(case: Any) -> list[str]:
    """The imaging and advice record of a case, one line per record (CLI case view, summaries)."""
    lines = [f"{case.intake.visit_date} intake: imaging {describe_imaging(case.intake.imaging)}; "
             f"self-management advice {describe_self_management(case.intake.self_management)}"]
    for v in case.visits:
        if v.imaging is not None or v.self_management is not None:
            lines.append(f"{v.date} visit: imaging {describe_imaging(v.imaging)}; "
                         f"self-management advice {describe_self_management(v.self_management)}")
    return lines
