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
    return alert_span_lines(kept, recomputed)
