"""The passphrase lock as stored: a salted scrypt hash, never the passphrase; changes
need the current passphrase and are audited without it; IT can clear a forgotten one."""

from __future__ import annotations

import json
import logging

import pytest

from radiculopathy_desktop.storage import access

PASS = "correct horse battery"


def _row(store):
    row = store._db.conn.execute("SELECT value_json FROM settings WHERE key = ?", (access.LOCK_KEY,)).fetchone()
    return None if row is None else json.loads(row[0])


def _files_bytes(data_dir) -> bytes:
    return b"".join(p.read_bytes() for p in data_dir.iterdir() if p.is_file())


def test_off_by_default(store):
    config = access.load_config(store)
    assert not config.enabled and not config.idle_active
    assert config.idle_minutes == 10
    assert not access.verify_passphrase(store, "anything at all")


def test_turning_on_stores_a_salted_scrypt_hash_not_the_passphrase(store, data_dir, caplog):
    caplog.set_level(logging.DEBUG)
    config = access.set_passphrase(store, PASS, PASS, user="AB")
    assert config.enabled and config.idle_active
    stored = _row(store)["scrypt"]
    assert stored["algorithm"] == "scrypt"
    assert (stored["n"], stored["r"], stored["p"]) == (2 ** 14, 8, 1)
    assert len(bytes.fromhex(stored["salt"])) == 16
    assert len(bytes.fromhex(stored["hash"])) == 32
    assert access.verify_passphrase(store, PASS)
    assert not access.verify_passphrase(store, PASS.upper())
    assert not access.verify_passphrase(store, "")
    store._db.conn.execute("PRAGMA wal_checkpoint(FULL)")
    assert PASS.encode() not in _files_bytes(data_dir)
    assert PASS not in caplog.text
    entry = store.audit()[-1]
    assert (entry.user, entry.action, entry.case_id) == ("AB", "settings_changed", None)
    assert entry.detail == {"access_lock": "turned on"}
    assert PASS not in json.dumps(entry.detail) and stored["hash"] not in json.dumps(entry.detail)


def test_same_passphrase_gets_a_different_salt_each_time():
    a, b = access.hash_passphrase(PASS), access.hash_passphrase(PASS)
    assert a["salt"] != b["salt"] and a["hash"] != b["hash"]
    assert access.passphrase_matches(PASS, a) and access.passphrase_matches(PASS, b)


@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.storage.access", level=logging.ERROR)  # the tampered hash
def test_stored_parameters_are_used_so_they_can_be_raised_later():
    weaker = access.hash_passphrase(PASS, n=2 ** 10, r=4, p=1)
    assert access.passphrase_matches(PASS, weaker)
    assert not access.passphrase_matches("wrong passphrase", weaker)
    tampered = dict(weaker, n=2 ** 30)  # an absurd cost in a damaged database is refused, not run
    assert not access.passphrase_matches(PASS, tampered)


def test_unicode_passphrase_matches_however_it_was_composed():
    composed, decomposed = "contraseña segura", "contrasen\u0303a segura"
    assert access.passphrase_matches(decomposed, access.hash_passphrase(composed))


@pytest.mark.parametrize("new, again, field, words", [
    ("short", "short", "new", "at least 8 characters"),
    ("long enough", "long enuogh", "again", "different"),
    (" padded phrase", " padded phrase", "new", "space"),
])
def test_weak_or_mistyped_passphrases_are_refused_with_the_reason(store, new, again, field, words):
    with pytest.raises(access.AccessError) as info:
        access.set_passphrase(store, new, again, user="AB")
    assert info.value.field == field and words in str(info.value)
    assert _row(store) is None


def test_changing_or_turning_off_needs_the_current_passphrase(store):
    access.set_passphrase(store, PASS, PASS, user="AB")
    audit_before = len(store.audit())
    with pytest.raises(access.AccessError, match="current passphrase is not right"):
        access.set_passphrase(store, "another phrase", "another phrase", user="CD", current="guess guess")
    with pytest.raises(access.AccessError):
        access.disable_lock(store, "guess guess", user="CD")
    with pytest.raises(access.AccessError):
        access.set_idle(store, False, 10, user="CD", current=None)
    assert access.verify_passphrase(store, PASS) and len(store.audit()) == audit_before

    access.set_passphrase(store, "another phrase", "another phrase", user="CD", current=PASS)
    assert access.verify_passphrase(store, "another phrase") and not access.verify_passphrase(store, PASS)
    access.set_idle(store, True, 25, user="CD", current="another phrase")
    assert access.load_config(store).idle_minutes == 25
    access.disable_lock(store, "another phrase", user="CD")
    config = access.load_config(store)
    assert not config.enabled and config.idle_minutes == 25  # the idle choice is kept for next time
    assert [e.detail.get("access_lock") for e in store.audit()[-3:]] == [
        "passphrase changed", "idle lock changed", "turned off"]


@pytest.mark.parametrize("minutes", [0, 241, -5, True, "10"])
def test_idle_minutes_from_1_to_240(store, minutes):
    with pytest.raises(access.AccessError, match="1 to 240"):
        access.set_idle(store, True, minutes, user="AB")


def test_user_names_are_trimmed_and_limited():
    assert access.validate_user_name("  A   B ") == "A B"
    assert access.validate_user_name("x" * 40) == "x" * 40
    for bad in ("", "   ", "x" * 41, "AB\x07", "A\nB\x00"):
        with pytest.raises(access.AccessError):
            access.validate_user_name(bad)


def test_clear_lock_is_the_recovery_for_a_forgotten_passphrase(store):
    access.set_passphrase(store, PASS, PASS, user="AB")
    assert access.clear_lock(store, user="it-admin") is True
    assert not access.load_config(store).enabled
    assert store.audit()[-1].detail == {"access_lock": "removed (forgotten passphrase)"}
    assert store.audit()[-1].user == "it-admin"
    assert access.clear_lock(store, user="it-admin") is False


def test_an_unreadable_lock_keeps_the_window_locked_until_it_is_cleared(store, caplog):
    caplog.set_level(logging.ERROR, logger="radiculopathy_desktop.storage.access")  # "cannot be read", expected
    store._db.conn.execute("INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)",
                          (access.LOCK_KEY, "[1, 2]", "2026-01-01T00:00:00+00:00"))
    store._db.conn.commit()
    config = access.load_config(store)
    assert config.enabled and not access.verify_passphrase(store, PASS)
    assert "cannot be read" in caplog.text
    access.clear_lock(store, user="it-admin")
    assert not access.load_config(store).enabled


def test_access_events_are_audited_and_never_case_events(store):
    access.record_access(store, "AB", "unlocked")
    access.record_access(store, "AB", "unlock_failed", {"attempt": 1})
    assert [(e.action, e.case_id, e.user) for e in store.audit()[-2:]] == [
        ("unlocked", None, "AB"), ("unlock_failed", None, "AB")]
    with pytest.raises(ValueError):
        access.record_access(store, "AB", "case_viewed")


def test_case_history_newest_first_and_limited(store):
    from tracker_support import make_case
    store.import_cases([make_case("H-1")], user="import")
    for n in range(5):
        store.record_audit(f"user{n}", "case_viewed", "H-1")
    store.record_audit("other", "case_viewed", "H-2")
    entries, total = access.case_history(store, "H-1", limit=3)
    assert total == 6
    assert [e.user for e in entries] == ["user4", "user3", "user2"]
    everything, _ = access.case_history(store, "H-1", limit=None)
    assert [e.action for e in everything][-1] == "case_added" and len(everything) == 6
