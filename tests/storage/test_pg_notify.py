"""Live refresh on the clinic server (issue 15): every case write and settings change
sends a notification on commit, and a write that rolls back sends none."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

import pg_server as pgs
from radiculopathy_desktop.domain.intake import FollowUpVisit, ValidationError, parse_case
from radiculopathy_desktop.storage.pg.store import NOTIFY_CHANNEL, PgStore

from tracker_support import ANCHOR, case_dict


def _listen(pg_server, pg_database):
    conn = psycopg.connect(pg_server.conninfo(pg_database.dbname, pgs.OTHER_CLINICIAN_LOGIN), autocommit=True)
    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
    return conn


def _received(conn) -> list[str]:
    """Every notification already delivered (a short wait after the writer committed)."""
    return [n.payload for n in conn.notifies(timeout=0.5)]


def test_case_writes_and_settings_notify_on_commit_only(pg_server, pg_database):
    listener = _listen(pg_server, pg_database)
    try:
        with PgStore.open(pg_database(pgs.ADMIN_LOGIN)) as store:
            store.import_cases([parse_case(case_dict("A")), parse_case(case_dict("B"))], user="Dr Ada")
            assert sorted(_received(listener)) == ["A", "B"]
            store.add_visit("A", FollowUpVisit(date=ANCHOR, leg_nrs=3), user="Dr Ada")
            assert _received(listener) == ["A"]
            # refused before anything is written (a visit before the intake): rolled back, no notification
            with pytest.raises(ValidationError):
                store.add_visit("B", FollowUpVisit(date=ANCHOR - dt.timedelta(days=3650), leg_nrs=3), user="Dr Ada")
            assert _received(listener) == []
            store.set_settings({"upcoming_lead_days": 5}, user="Dr Ada")
            assert _received(listener) == [""]
    finally:
        listener.close()
