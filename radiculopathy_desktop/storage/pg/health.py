"""The clinic server's stored-record scan for ``server check --full``: names, identifiers
and notes holding a character new input refuses, found by the same code as the local
``check --full`` (:mod:`radiculopathy_desktop.storage.stored_text`)."""

from __future__ import annotations

from radiculopathy_desktop.storage.stored_text import MAX_WARNINGS, MAY_HIDE_PG, hidden_character_warnings


def stored_hidden_character_warnings(conn, max_warnings: int = MAX_WARNINGS) -> tuple[str, ...]:
    """One line per stored field holding a hidden character (or more combining marks on one
    letter than a new name may hold), as the local ``check --full`` lists them. The server
    sends only the documents the prefilter keeps (a non-ASCII character or a backslash
    escape), through a server-side cursor, so a large tracker is never read in one piece."""
    import psycopg

    try:
        with conn.transaction():
            with conn.cursor(name="rd_hidden_character_scan") as cur:
                cur.execute('SELECT case_id, case_json FROM case_documents WHERE case_json ~ %s '
                            'ORDER BY case_id COLLATE "C"', (MAY_HIDE_PG,))
                return hidden_character_warnings(cur, max_warnings)
    except (psycopg.Error, RecursionError) as exc:
        return (f"the stored cases' names could not be checked for hidden characters: {exc}",)


def alert_span_warnings(conn) -> tuple[str, ...]:
    """The ``server check --full`` line when the Medicine alerts index (``medicine_alert_spans``,
    m012) is not what the stored medicine alerts hold (``storage.health.alert_span_lines``)."""
    import psycopg

    from radiculopathy_desktop.storage.health import alert_span_lines
    from radiculopathy_desktop.storage.pg.schema import alert_spans_recomputed_sql

    try:
        with conn.transaction():
            kept = conn.execute("SELECT case_id, profile, from_ord, until_ord FROM medicine_alert_spans").fetchall()
            recomputed = conn.execute(alert_spans_recomputed_sql()).fetchall()
    except psycopg.Error as exc:
        return (f"the Medicine alerts index could not be checked: {exc}",)
    return alert_span_lines(kept, recomputed, server=True)  # the server's own command first (rt23 F8)


#: The objects of the Medicine alerts index on the clinic server (m012): (kind, name).
ALERT_INDEX_OBJECTS = (("table", "medicine_alert_spans"), ("index", "medicine_alert_spans_day"),
                       ("index", "medicine_alert_spans_case"), ("trigger", "medicine_alert_spans_kept"),
                       ("function", "radiculopathy_alert_spans"))


def missing_alert_index_objects(conn) -> tuple[str, ...]:
    """The names of the Medicine alerts index's objects missing from the server's schema."""
    present = set()
    for kind, name in ALERT_INDEX_OBJECTS:
        if kind in ("table", "index"):
            found = conn.execute("SELECT to_regclass('public.' || %s) IS NOT NULL", (name,)).fetchone()[0]
        elif kind == "trigger":
            found = conn.execute("SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = %s AND NOT tgisinternal)",
                                 (name,)).fetchone()[0]
        else:
            found = conn.execute("SELECT to_regproc('public.' || %s) IS NOT NULL", (name,)).fetchone()[0]
        if found:
            present.add(name)
    return tuple(name for _kind, name in ALERT_INDEX_OBJECTS if name not in present)


class NotRepaired(Exception):
    """``server check --full --repair`` cannot repair this; the message says why and what to do."""


def rebuild_alert_index(conn, user: str):
    """``server check --full --repair``: the clinic server's twin of the local
    ``storage.health.rebuild_alert_index`` (the same contract: :class:`AlertIndexRepair` or None
    when the index agrees, one ``alert_index_rebuilt`` audit entry with the same detail, the same
    wording). The rebuild and its audit entry are one admin-only function on the server (m013),
    in one transaction holding the medicine alerts still. Raises :class:`NotRepaired` when this
    login may not run it, or when objects of the index are missing from the server's schema:
    making them is a change of the schema, for its owner (IT), not derived data a login rebuilds.
    Nothing is changed then."""
    from radiculopathy_desktop.storage.health import AlertIndexRepair

    with conn.transaction():
        missing = missing_alert_index_objects(conn)
        if missing:
            raise NotRepaired(
                f"not repaired: part of the Medicine alerts index is missing from the clinic server's schema "
                f"({', '.join(missing)}). Making it again changes the schema, which only its owner can do: tell the "
                "clinic's IT (nothing recorded is lost: the index is derived from the stored medicine alerts). "
                "Nothing was changed.")
        allowed = conn.execute("SELECT has_function_privilege('radiculopathy_rebuild_alert_index(text)', 'EXECUTE')"
                               ).fetchone()[0]
        if not allowed:
            raise NotRepaired("not repaired: repairing the clinic server needs an admin login (a member of "
                              "radiculopathy_admin). Nothing was changed.")
        cases, spans = conn.execute("SELECT cases, spans FROM radiculopathy_rebuild_alert_index(%s)",
                                    (user,)).fetchone()
    return AlertIndexRepair((), cases, spans) if cases else None
