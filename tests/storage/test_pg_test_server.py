"""The throwaway PostgreSQL cluster the clinic-server tests run against (tests/pg_server.py)."""

from __future__ import annotations

import os

import psycopg
import pytest


def test_cluster_runs_unprivileged_and_demands_scram_passwords(pg_server):
    with psycopg.connect(pg_server.conninfo()) as conn:
        assert conn.execute("SHOW password_encryption").fetchone()[0] == "scram-sha-256"
        data_dir_owner = os.stat(pg_server.data_dir).st_uid
    if os.geteuid() == 0:
        assert data_dir_owner != 0, "initdb refuses root: the cluster must belong to an unprivileged user"
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(pg_server.conninfo(password="not-the-password")).close()
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(pg_server.conninfo(password="not-the-password", tcp=True)).close()
