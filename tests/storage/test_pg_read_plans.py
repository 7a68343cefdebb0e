"""The clinic server plans each batch of ``iter_cases`` for its own position and period
(the check pg15 made for the worklist, extended to the store's other reads whose best plan
depends on the parameter values).

psycopg prepares a statement on a connection from its fifth execution, and PostgreSQL then
settles on a generic plan made without the values. ``iter_cases`` runs one statement per
batch, so a whole read passes that point: for a period, the generic plan probed every case
of the period through the case_documents key on every batch (measured at 10,000 cases:
30,357 buffers a batch against 2,287, twice the server CPU, chosen from the sixth batch on).
Checked here: after many batches of both reads on one connection, the cases are SQLite's,
in the same order, and neither read was prepared on the server while another statement of
the store was (so the check looked at the right session).

Checked and left prepared (their generic plan is as good at 10,000 cases, EXPLAIN ANALYZE
forced generic vs custom; /work/notes imp11 report): the outcome counts (a bitmap scan of
the period's index, same buffers), the period's case count, patient search (a sequential
scan either way), the audit reads (the case's index either way).
"""

from __future__ import annotations

import datetime as dt

import pg_server as pgs
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage.pg.store import PgStore
from radiculopathy_desktop.storage.store import CaseStore

from tracker_support import ANCHOR, case_dict

D = dt.timedelta
PERIOD = (ANCHOR - D(days=200), ANCHOR - D(days=60))


def _cases():
    # 14 cases with intakes from 30 to 407 days before the anchor; case IDs whose byte order
    # differs from a locale's ("c-10" after "C-9", "b" after "B" and "Z")
    ids = [f"C-{n}" for n in range(1, 11)] + ["c-10", "B-1", "b-1", "Z-1"]
    return [parse_case(case_dict(cid, care_start=ANCHOR - D(days=30 + 29 * n), patient_id=f"P{n}"))
            for n, cid in enumerate(ids)]


def test_iter_cases_batches_are_never_prepared_and_read_what_sqlite_reads(pg_database, data_dir):
    cases = _cases()
    with CaseStore.open(data_dir) as local:
        local.import_cases(cases)
        everything = [c.case_id for c in local.iter_cases(batch=2)]
        in_period = [c.case_id for c in local.iter_cases(batch=2, intake_from=PERIOD[0], intake_to=PERIOD[1])]
    assert len(everything) == 14 and 3 <= len(in_period) < 14
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as store:
        store.import_cases(cases)
        for _ in range(3):  # 8 batches a read, 3 reads: well past psycopg's fifth execution
            assert [c.case_id for c in store.iter_cases(batch=2)] == everything
            assert [c.case_id for c in store.iter_cases(batch=2, intake_from=PERIOD[0],
                                                       intake_to=PERIOD[1])] == in_period
            assert [c for c in store.iter_cases(batch=3, validate=True)] == \
                [store.get_case(cid) for cid in everything]
        for _ in range(6):
            assert store.has_case("C-1")
        with store._tx() as conn:
            prepared = [text for (text,) in conn.execute("SELECT statement FROM pg_prepared_statements")]
    assert any("FROM cases WHERE case_id" in text for text in prepared), prepared
    reads = [text for text in prepared if "case_documents" in text and "LIMIT" in text]
    assert reads == [], prepared
