"""What every view needs: the store, the event hub, "today" (injectable for tests) and
who is using the app.

Read ``context.store`` at the moment it is used, never keep a copy: the store can be
replaced while the window runs (a restore).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from radiculopathy_desktop.ui.events import EventHub


@dataclass
class AppContext:
    store: Any
    hub: EventHub
    data_dir: Path | None = None
    today: Callable[[], dt.date] = dt.date.today
    demo: bool = False
    extra: dict = field(default_factory=dict)
    # The person who identified themselves in this session (unlock or "Switch user").
    identified_user: str | None = None
    # True while a passphrase lock is configured: then nobody is assumed to be the OS user.
    lock_required: bool = False

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

    # Preferences the store has no place for yet (guideline profile, clinic address)
    # live in QSettings (per user; tests point it at their own folder: tests/conftest.py).
    def preference(self, key: str, default: str = "") -> str:
        from PySide6.QtCore import QSettings
        value = QSettings().value(key, default)
        return default if value is None else str(value)

    def set_preference(self, key: str, value: str) -> None:
        from PySide6.QtCore import QSettings
        settings = QSettings()
        settings.setValue(key, value)
        settings.sync()

    def profile(self) -> str:
        value = self.preference("guideline/profile", "us")
        return value if value in ("us", "uk") else "us"

    @property
    def user(self) -> str:
        """Who the audit records: the person identified in this session (name or initials);
        before anyone has, the OS login name when no lock is configured."""
        if self.identified_user:
            return self.identified_user
        if self.lock_required:
            return "(not identified)"
        return os_user()

    def set_user(self, name: str) -> str:
        """Identify the person using the app (validated: 1-40 printable characters)."""
        from radiculopathy_desktop.storage.access import validate_user_name
        self.identified_user = validate_user_name(name)
        return self.identified_user


def os_user() -> str:
    import getpass
    try:
        return getpass.getuser()
    except Exception:
        return "clinician"
