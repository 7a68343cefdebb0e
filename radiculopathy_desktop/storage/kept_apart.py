"""The stored patient IDs one patient key joins but whose patients differ (rt19 F5, fxc18):
what the m011 upgrade (both engines) audits and ``check --full`` lists. A module of its own so
that the schema modules can import it at module level: ``storage.health`` imports
``storage.schema``, so the schema could not import it from there without a cycle."""

from __future__ import annotations

import sqlite3

#: The audit action m011 writes (both engines) when it finds stored IDs the new key joins but
#: whose patients differ: kept apart as different people (rt19 F5, fxc18).
KEPT_APART_ACTION = "patient_ids_kept_apart"
#: The query (both engines) for the stored patients that have cases, as held_apart_lines reads them.
STORED_PATIENTS_SQL = ("SELECT patient_id, name, birth_date, sex FROM patients "
                       "WHERE patient_id IN (SELECT patient_id FROM cases) ORDER BY patient_id")


def kept_apart_detail(conn) -> dict | None:
    """The audit detail m011 records (both engines): each group of stored patient IDs one key
    joins but whose patients differ, with their case IDs; None when there is none."""
    import datetime as dt

    from radiculopathy_desktop.domain.identity import held_apart
    from radiculopathy_desktop.domain.intake import Patient

    patients = []
    for pid, name, birth, sex in conn.execute(STORED_PATIENTS_SQL).fetchall():
        try:
            born = dt.date.fromisoformat(birth) if birth else None
        except ValueError:
            born = None
        patients.append(Patient(id=pid, name=name, birth_date=born, sex=sex or "unknown"))
    groups = held_apart(patients)
    if not groups:
        return None
    out = []
    for group in groups:
        cases: list[str] = []
        for pid in group:
            cases += [r[0] for r in conn.execute(
                "SELECT case_id FROM cases WHERE patient_id = " + ("?" if isinstance(conn, sqlite3.Connection)
                                                                   else "%s") + " ORDER BY case_id", (pid,))]
        out.append({"patient_ids": list(group), "cases": cases})
    return {"migration": "m011_patient_key_turkish_i",
            "rule": "one patient key, different name, birth date or sex: different people, kept apart",
            "groups": out}
