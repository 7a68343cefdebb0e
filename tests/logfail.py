"""The warning guard used by tests/conftest.py (after qutebrowser's tests/helpers/logfail.py)."""

from __future__ import annotations

import logging


class LogFailHandler(logging.Handler):
    """Collects the app's WARNING-or-worse records a test did not declare (qutebrowser's logfail).

    A record is expected only when the test declared it, at the moment it is logged:

    * ``caplog.set_level(LEVEL, logger=NAME)`` or ``with caplog.at_level(LEVEL, logger=NAME)``
      (NAME the record's logger or one of its parents) with exactly the record's level;
    * ``@pytest.mark.allow_log_warnings`` (every level and logger), or
      ``@pytest.mark.allow_log_warnings(logger=NAME, level=LEVEL)`` (that logger and its
      children; ``level`` optional: then any WARNING-or-worse level);
    * the record carries ``expected=True`` (``extra={"expected": True}``).

    Merely requesting ``caplog`` exempts nothing. The decision is taken when the record
    is logged (``caplog.at_level`` restores the level when its block ends), and the test
    fails at teardown, not inside the code that logged.
    """

    def __init__(self, baseline: dict[str, int], allowed: list[tuple[str, int | None]]):
        super().__init__(logging.NOTSET)
        self.baseline = baseline
        self.allowed = allowed
        self.unexpected: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno < logging.WARNING or not record.name.startswith("radiculopathy_desktop"):
            return
        if getattr(record, "expected", False) or self.declared(record):
            return
        self.unexpected.append(record)

    def declared(self, record: logging.LogRecord) -> bool:
        names = logger_chain(record.name)
        for name, level in self.allowed:
            if name in names and (level is None or level == record.levelno):
                return True
        for name in names:  # a level the test set on this logger or a parent, equal to the record's
            logger = logging.getLogger(name or None)
            if logger.level != self.baseline.get(name, logging.NOTSET) and logger.level == record.levelno:
                return True
        return False


def logger_chain(name: str) -> list[str]:
    """``a.b.c`` -> ``["a.b.c", "a.b", "a", ""]`` ("" is the root logger)."""
    parts = name.split(".")
    return [".".join(parts[:n]) for n in range(len(parts), 0, -1)] + [""]


def logger_levels() -> dict[str, int]:
    levels = {name: lg.level for name, lg in logging.Logger.manager.loggerDict.items()
              if isinstance(lg, logging.Logger)}
    levels[""] = logging.getLogger().level
    return levels
