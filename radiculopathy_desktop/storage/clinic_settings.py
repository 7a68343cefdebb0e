"""The clinic's country (for the emergency number on handouts and warnings), kept in the
database's settings table like the clinic name, audited as ``settings_changed``."""

from __future__ import annotations

import datetime as dt
import json

from radiculopathy_desktop.domain.emergency import SETTING_KEY, Country, check_country, country_for
from radiculopathy_desktop.storage import db as dbmod


def get_clinic_country_code(store) -> str | None:
    """The stored country code, or None when the clinic has not chosen one yet."""
    with dbmod.sqlite_errors(store.path, store.busy_timeout_ms):
        row = store.db.conn.execute("SELECT value_json FROM settings WHERE key = ?", (SETTING_KEY,)).fetchone()
    value = None if row is None else json.loads(row[0])
    return value if isinstance(value, str) else None


def clinic_country(store, profile: str | None) -> Country:
    return country_for(get_clinic_country_code(store), profile)


def set_clinic_country(store, code: str, user: str):
    from radiculopathy_desktop.storage.store import Changes

    code = check_country(code)
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    with dbmod.sqlite_errors(store.path, store.busy_timeout_ms):
        with store._write():
            before = get_clinic_country_code(store)
            store.db.conn.execute(
                "INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at",
                (SETTING_KEY, json.dumps(code), now))
            store._audit(user, "settings_changed", None, {SETTING_KEY: [before, code]}, at=now)
    return Changes(settings=True)
