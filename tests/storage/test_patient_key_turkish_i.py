"""Both engines: a patient ID typed with a Turkish-layout I is the same patient for the
one-open-case rule (red team rt17 F14, id18, H-FU-280), and m011 re-keys the stored cases.

A Turkish keyboard has two I keys: ``ı``/``I`` (dotless) and ``i``/``İ`` (dotted, U+0130).
``str.casefold`` follows Unicode's default (non-Turkic) full case folding, which the
Unicode Character Database gives in CaseFolding.txt as

    0130; F; 0069 0307; # LATIN CAPITAL LETTER I WITH DOT ABOVE
    0130; T; 0069; # LATIN CAPITAL LETTER I WITH DOT ABOVE

so ``PİD-1`` folded to ``pi̇d-1`` (an i and a combining dot above) and was not ``pid-1``:
a second open case for one patient, with no question. ``ı`` (U+0131) has no folding at all,
though its capital (UnicodeData.txt: ``0131;LATIN SMALL LETTER DOTLESS I;...;0049;;0049``)
is ``I``. The key now reads all four as ``i``; an accent or a dot on another letter is still
part of the ID.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import unicodedata

import pytest

from radiculopathy_desktop.domain.episodes import OpenCaseExists, patient_key, same_patient
from tracker_support import ANCHOR, make_case

STORE_ENGINES = ("sqlite", "postgresql")
D = dt.timedelta

# stored as typed -> typed later: one patient
SAME_PATIENT = [
    ("pid-1", "PİD-1"),              # rt17 F14: capital I with dot above (U+0130)
    ("PID-1", "pİd-1"),
    ("PID-1", "pıd-1"),              # dotless small i (U+0131), whose capital is I
    ("PİD-1", "PID-1"),
    ("İSTANBUL-7", "istanbul-7"),
    ("P-I\u0307D", "p-id"),          # the capital typed as I + combining dot above (NFKC makes it U+0130)
    ("p-i\u0307d", "P-ID"),          # the small letter with a combining dot above, as casefold writes it
]

# not one patient: differ by more than capitals
NOT_SAME = [
    ("JOSÉ-1", "JOSE-1"),            # an accent is part of the ID (docs: the patient key)
    ("p-ėd", "p-ed"),                # a dot above another letter (Lithuanian ė) is kept
    ("p-ịd", "p-id"),                # a dot below on i is kept
    ("PİD-1", "PID-2"),
    ("PİD-1", "PÍD-1"),              # i with an acute is another letter
]


@pytest.mark.parametrize("stored, typed", SAME_PATIENT)
def test_the_key_reads_every_turkish_i_as_i(stored, typed):
    assert patient_key(stored) == patient_key(typed)
    assert same_patient(stored, typed)


@pytest.mark.parametrize("one, other", NOT_SAME)
def test_the_key_keeps_accents_and_other_dots(one, other):
    assert patient_key(one) != patient_key(other)
    assert not same_patient(one, other)


def test_a_turkish_i_next_to_another_combining_mark_keeps_that_mark():
    """Boundary: only the dot above standing on the i goes; a dot below on the same letter stays
    (İ with a dot below is ị, not i)."""
    assert patient_key("P\u0130\u0323D") == patient_key("p\u1ecbd") == unicodedata.normalize("NFC", "p\u1ecbd")
    assert patient_key("P\u0130\u0323D") != patient_key("pid")


@pytest.mark.parametrize("patient_id", ["NHS-943 476 5919", "MRN-0001234", "p-12", "A-b_C.9"])
def test_ascii_ids_are_keyed_as_before(patient_id):
    """Hospital and NHS numbers (ASCII): the key is the ID in small letters, as m009 made it."""
    old = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", patient_id).casefold())
    assert patient_key(patient_id) == old == patient_id.lower()


@pytest.mark.parametrize("stored, typed", SAME_PATIENT[:3])
def test_a_new_case_typed_with_a_turkish_i_is_asked_about(store, stored, typed):
    store.import_cases([make_case("T-A", patient_id=stored, care_start=ANCHOR - D(days=10))], user="dr.a")
    assert [o.case_id for o in store.open_cases(typed, ANCHOR)] == ["T-A"]
    with pytest.raises(OpenCaseExists) as caught:
        store.import_cases([make_case("X-B0", patient_id=typed, care_start=ANCHOR - D(days=2))], user="dr.a",
                           open_case_as_of=ANCHOR)
    assert "case T-A" in str(caught.value)
    assert not store.has_case("X-B0")


def test_an_accented_id_is_still_another_patient(store):
    store.import_cases([make_case("T-A", patient_id="JOSÉ-1", care_start=ANCHOR - D(days=10))], user="dr.a")
    store.import_cases([make_case("T-B", patient_id="JOSE-1", care_start=ANCHOR - D(days=2))], user="dr.a",
                       open_case_as_of=ANCHOR)
    assert store.has_case("T-B")


def _sqlite_keys(conn) -> dict[str, str]:
    return dict(conn.execute("SELECT case_id, patient_key FROM cases ORDER BY case_id").fetchall())


def test_sqlite_m011_re_keys_an_older_tracker_after_a_backup_and_only_once(data_dir):
    """A tracker written by schema 10 holds ``pi̇d-1`` for ``PİD-1``: the first open backs the
    file up (as every migration does), re-keys only that patient's cases, and the open-case
    rule then finds them; the second open changes nothing."""
    from helpers.schema_v5 import make_version_10, old_patient_key
    from radiculopathy_desktop.storage import backup, schema
    from radiculopathy_desktop.storage.store import CaseStore

    with CaseStore.open(data_dir) as store:
        store.import_cases([make_case("T-A", patient_id="PİD-1", care_start=ANCHOR - D(days=10)),
                            make_case("T-C", patient_id="pıd-3", care_start=ANCHOR - D(days=10)),
                            make_case("T-D", patient_id="P-JoSÉ", care_start=ANCHOR - D(days=10))], user="dr.a")
        path = store.path
    make_version_10(path)
    conn = sqlite3.connect(path)
    assert _sqlite_keys(conn) == {"T-A": old_patient_key("PİD-1"), "T-C": "pıd-3", "T-D": "p-josé"}
    assert schema.pending_names(conn) == ["m011_patient_key_turkish_i",
                                          "m012_medicine_alert_spans", "m013_derived_recompute_audit",
                                          "m014_clock_follow_up"]
    conn.close()

    with CaseStore.open(data_dir) as store:
        assert [o.case_id for o in store.open_cases("pid-1", ANCHOR)] == ["T-A"]
        assert [o.case_id for o in store.open_cases("PID-3", ANCHOR)] == ["T-C"]
        with pytest.raises(OpenCaseExists):
            store.import_cases([make_case("X-B0", patient_id="pid-1", care_start=ANCHOR - D(days=2))],
                               user="dr.a", open_case_as_of=ANCHOR)
    conn = sqlite3.connect(path)
    assert _sqlite_keys(conn) == {"T-A": "pid-1", "T-C": "pid-3", "T-D": "p-josé"}
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION == 14
    assert schema.pending_names(conn) == []
    conn.close()
    (made,) = backup.list_backups(path.parent / backup.BACKUP_DIRNAME)  # the checked backup before it
    old = sqlite3.connect(made)
    assert _sqlite_keys(old)["T-A"] == old_patient_key("PİD-1")  # taken before the re-keying
    old.close()

    with sqlite3.connect(path) as again:
        assert schema.rekey_patient_keys(again) == 0  # idempotent: nothing left to re-key
        assert _sqlite_keys(again)["T-A"] == "pid-1"


def _pg_rows(conn) -> dict[str, tuple[str, int]]:
    return {r[0]: (r[1], r[2]) for r in conn.execute("SELECT case_id, patient_key, revision FROM cases").fetchall()}


def test_server_init_m011_re_keys_only_the_turkish_i_cases_unaudited_and_only_once(pg_server, pg_database):
    """m011 on the clinic server (``server init``): the stored keys of the IDs holding a Turkish I
    are re-computed in its one transaction, as a derived update (no audit row); every other case
    row is left untouched (its revision stays); a second ``server init`` applies nothing."""
    import psycopg

    from helpers.schema_v5 import old_patient_key
    from radiculopathy_desktop.storage.pg import schema as pgschema
    from radiculopathy_desktop.storage.pg import setup
    from radiculopathy_desktop.storage.pg.store import PgStore

    with PgStore.open(pg_database()) as store:
        store.import_cases([make_case("T-A", patient_id="PİD-1", care_start=ANCHOR - D(days=10)),
                            make_case("T-D", patient_id="P-JoSÉ", care_start=ANCHOR - D(days=10))], user="dr.a")
    with psycopg.connect(pg_server.conninfo(pg_database.dbname), autocommit=True) as su:
        su.execute("UPDATE cases SET patient_key = %s WHERE case_id = 'T-A'", (old_patient_key("PİD-1"),))
        su.execute("DELETE FROM schema_migrations WHERE name = 'm011_patient_key_turkish_i'")
        before = _pg_rows(su)
        audit_before = su.execute("SELECT count(*) FROM audit").fetchone()[0]
        su.autocommit = False
        try:
            result = setup.initialise(su)
            assert result.applied == ("m011_patient_key_turkish_i",) and result.schema_version == pgschema.SCHEMA_VERSION == 14
            su.commit()
            assert setup.initialise(su).applied == ()  # idempotent
            su.commit()
        finally:
            su.autocommit = True
        after = _pg_rows(su)
        assert after["T-A"] == ("pid-1", before["T-A"][1] + 1)
        assert after["T-D"] == before["T-D"]  # not rewritten
        assert su.execute("SELECT count(*) FROM audit").fetchone()[0] == audit_before
        with su.transaction():
            pgschema.BACKFILLS["m011_patient_key_turkish_i"](su)  # run again: nothing differs, nothing written
        assert _pg_rows(su) == after
    with PgStore.open(pg_database()) as store:
        assert [o.case_id for o in store.open_cases("pid-1", ANCHOR)] == ["T-A"]


def test_the_patient_search_returns_every_id_one_patient_was_typed_with(store):
    """The Patients list's source (id18, ep17 left open): a search matching one spelling also
    returns the stored IDs with the same key (SQLite's LIKE folds ASCII capitals only, so
    'ñuñez' missed 'P-ÑUÑEZ'), each with its own cases; another ID is not added."""
    store.import_cases([make_case("N-1", patient_id="p-ñuñez", care_start=ANCHOR - D(days=40)),
                        make_case("N-2", patient_id="P-ÑUÑEZ", care_start=ANCHOR - D(days=20)),
                        make_case("N-3", patient_id="PİD-Ñ", care_start=ANCHOR - D(days=20)),
                        make_case("N-4", patient_id="p-nunez", care_start=ANCHOR - D(days=20))], user="dr.a")
    found = {m.patient_id: m.case_ids for m in store.search_patients("ñuñez")}
    assert found == {"p-ñuñez": ("N-1",), "P-ÑUÑEZ": ("N-2",)}
    found = {m.patient_id: m.case_ids for m in store.search_patients("pid-ñ")}
    assert found == {"PİD-Ñ": ("N-3",)}  # the one ID, found by its ASCII part or its key
