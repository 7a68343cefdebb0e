"""What every view needs: the store, the event hub, "today" (injectable for tests) and
who is using the app.

Read ``context.store`` at the moment it is used, never keep a copy: the store can be
replaced while the window runs (a restore).
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Callable

from radiculopathy_desktop.domain.clinic import CLINIC_PROFILES, SETTING_KEYS, ClinicSettings, ClinicSettingsError
from radiculopathy_desktop.domain.frozen import Record
from radiculopathy_desktop.storage.access import login_name
from radiculopathy_desktop.storage.contract import Store
from radiculopathy_desktop.ui.events import EventHub

log = logging.getLogger(__name__)


class AppContext(Record):
    """A hand-written record (domain/frozen.py: a ``@dataclass`` cost ~4 M instructions at every
    start, before the window's first paint, issue 17): the dataclass's constructor, repr and
    equality; its fields can be reassigned."""

    _fields = ("store", "hub", "data_dir", "today", "demo", "extra", "identified_user", "lock_required")
    store: Store
    hub: EventHub
    data_dir: Path | None
    today: Callable[[], dt.date]
    demo: bool
    extra: dict
    # The person who identified themselves in this session (unlock or "Switch user").
    identified_user: str | None
    # True while a passphrase lock is configured: then nobody is assumed to be the OS user.
    lock_required: bool

    def __init__(self, store: Store, hub: EventHub, data_dir: Path | None = None,
                 today: Callable[[], dt.date] = dt.date.today, demo: bool = False, extra: dict | None = None,
                 identified_user: str | None = None, lock_required: bool = False):
        self._set_fields(store, hub, data_dir, today, demo, {} if extra is None else extra, identified_user,
                         lock_required)

    @property
    def ops(self):
        """The window's operation runner (:mod:`radiculopathy_desktop.ui.operations`): every write goes through it."""
        runner = self.extra.get("ops")
        if runner is None:
            from radiculopathy_desktop.ui.operations import OperationRunner
            runner = self.extra["ops"] = OperationRunner(self)
        return runner

    def review_settings(self):
        from radiculopathy_desktop.domain.settings import default_review_settings
        getter = getattr(self.store, "get_settings", None)
        return getter() if getter is not None else default_review_settings()

    # Per-user preferences (window geometry, last folder) live in QSettings (tests point
    # it at their own folder: tests/conftest.py). The clinic's details (name, address,
    # country, guideline profile) live in the store: ``clinic()``.
    def preference(self, key: str, default: str = "") -> str:
        from PySide6.QtCore import QSettings
        value = QSettings().value(key, default)
        return default if value is None else str(value)

    def set_preference(self, key: str, value: str) -> None:
        from PySide6.QtCore import QSettings
        settings = QSettings()
        settings.setValue(key, value)
        settings.sync()

    def clinic(self) -> ClinicSettings:
        """The clinic's details, as stored with the data."""
        return self.store.clinic_settings()

    def profile(self) -> str:
        """The clinic's default guideline profile (stored with the data)."""
        return self.clinic().profile

    def set_profile(self, code: str):
        """Make ``code`` the clinic's guideline profile (audited); returns the store's ``Changes``."""
        return self.store.set_clinic_settings(self.clinic().updated(profile=code), user=self.user)

    @property
    def user(self) -> str:
        """Who the audit records: the person identified in this session (name or initials);
        before anyone has, the OS login name when no lock is configured."""
        if self.identified_user:
            return self.identified_user
        if self.lock_required:
            return "(not identified)"
        return login_name()

    def set_user(self, name: str) -> str:
        """Identify the person using the app (validated: 1-40 printable characters)."""
        from radiculopathy_desktop.storage.access import validate_user_name
        self.identified_user = validate_user_name(name)
        return self.identified_user


#: The QSettings keys earlier versions kept the clinic's address and profile under, and
#: the flag saying they were moved into the database (so the move happens once).
LEGACY_ADDRESS_KEY = "clinic/address"
LEGACY_PROFILE_KEY = "guideline/profile"
MOVED_KEY = "clinic/moved_to_database"  # earlier builds' per-user flag: no longer read or written
#: The per-database marker (a setting in the store): this database has had the move.
MOVED_SETTING = "clinic_preferences_moved"


def move_clinic_preferences(context: AppContext, notices: list[str] | None = None) -> bool:
    """Once per DATABASE: copy the clinic address and guideline profile earlier versions kept
    in this user's window preferences into the open database (audited as
    ``settings_changed``), where the commands, restores and other data folders see them.

    - The marker is a setting in the database, so every real data folder opened later (a
      second folder, a restored pre-upgrade backup) gets them too; a demo data folder
      (``context.demo``) is never touched.
    - A value the database already has is kept (the database wins).
    - Each field is checked on its own: a legacy address the new rules refuse (too long)
      does not stop the profile; tabs in it become spaces. A skipped field is said in
      ``notices`` (shown in the window's status bar) as well as the log.
    - The old preferences are never deleted.

    True when something was copied. A database that cannot be written now (busy,
    read-only) raises ``UserError`` and has no marker, so the next start tries again.
    """
    from PySide6.QtCore import QSettings

    if context.demo:
        return False
    prefs = QSettings()
    address = str(prefs.value(LEGACY_ADDRESS_KEY, "") or "").replace("\r\n", "\n").replace("\t", " ").strip()
    profile = str(prefs.value(LEGACY_PROFILE_KEY, "") or "").strip()
    if not (address or profile) or context.store.setting(MOVED_SETTING) is not None:
        return False
    current = context.store.clinic_settings()
    values, skipped = {}, []
    if address and not current.address:
        try:
            values["address"] = current.updated(address=address).address
        except ClinicSettingsError as exc:
            skipped.append(f"The clinic address from the earlier version was not copied ({exc}); "
                           "please enter it in Settings.")
    if profile and not _profile_stored(context.store):
        if profile in CLINIC_PROFILES:
            if profile != current.profile:
                values["profile"] = profile
        else:
            skipped.append(f"The guideline profile from the earlier version ({profile!r}) is not one this "
                           "version knows; please choose it in Settings.")
    user = context.user

    def move(store):
        with store.transaction():
            changes = None
            if values:
                changes = store.set_clinic_settings(store.clinic_settings().updated(**values), user=user)
            marker = store.put_setting(MOVED_SETTING, True, user=user,
                                       detail={MOVED_SETTING: [None, sorted(values) or "nothing to copy"]})
            return changes or marker

    context.ops.run(move, errors="raise", wait="here")
    for text in skipped:
        log.info("a clinic detail in the window preferences is not valid; not copied (said in the window)")
        if notices is not None:
            notices.append(text)
    return bool(values)


def _profile_stored(store: Store) -> bool:
    """Whether the clinic has chosen a profile in the database (not only the default)."""
    return store.setting(SETTING_KEYS["profile"]) is not None
