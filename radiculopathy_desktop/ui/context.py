"""What every view needs: the store, the event hub and "today" (injectable for tests)."""

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

    def review_settings(self):
        from radiculopathy_desktop.domain.settings import default_review_settings
        getter = getattr(self.store, "get_settings", None)
        return getter() if getter is not None else default_review_settings()

    # Preferences the store has no place for yet (guideline profile, clinic address)
    # live in QSettings, which follows XDG_CONFIG_HOME and so stays per-test.
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
        import getpass
        try:
            return getpass.getuser()
        except Exception:
            return "clinician"
