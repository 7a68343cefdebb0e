"""The warning guard itself: only what a test declares is exempt (tests/logfail.py)."""

from __future__ import annotations

import logging

import pytest

from logfail import LogFailHandler, logger_levels


def _record(name: str, level: int) -> logging.LogRecord:
    return logging.getLogger(name).makeRecord(name, level, __file__, 1, "something happened", (), None)


@pytest.fixture
def guard():
    return LogFailHandler(logger_levels(), [])


def test_requesting_caplog_alone_exempts_nothing(guard, caplog):
    guard.emit(_record("radiculopathy_desktop.ui.app", logging.WARNING))
    assert len(guard.unexpected) == 1


def test_a_level_set_on_the_logger_or_a_parent_exempts_that_level_only(caplog):
    caplog.set_level(logging.INFO, logger="radiculopathy_desktop")
    guard = LogFailHandler(logger_levels(), [])
    with caplog.at_level(logging.WARNING, logger="radiculopathy_desktop.storage"):
        guard.emit(_record("radiculopathy_desktop.storage.worklist", logging.WARNING))
        guard.emit(_record("radiculopathy_desktop.storage.worklist", logging.ERROR))  # not the declared level
        guard.emit(_record("radiculopathy_desktop.ui.app", logging.WARNING))  # not the declared logger
    guard.emit(_record("radiculopathy_desktop.storage.worklist", logging.WARNING))  # the block has ended
    assert [(r.name, r.levelno) for r in guard.unexpected] == [
        ("radiculopathy_desktop.storage.worklist", logging.ERROR),
        ("radiculopathy_desktop.ui.app", logging.WARNING),
        ("radiculopathy_desktop.storage.worklist", logging.WARNING)]


def test_a_marker_exempts_its_logger_and_level():
    guard = LogFailHandler(logger_levels(), [("radiculopathy_desktop.ui", logging.WARNING)])
    guard.emit(_record("radiculopathy_desktop.ui.wizard", logging.WARNING))
    guard.emit(_record("radiculopathy_desktop.ui.wizard", logging.ERROR))
    guard.emit(_record("radiculopathy_desktop.storage.db", logging.WARNING))
    assert [(r.name, r.levelno) for r in guard.unexpected] == [
        ("radiculopathy_desktop.ui.wizard", logging.ERROR), ("radiculopathy_desktop.storage.db", logging.WARNING)]


def test_a_bare_marker_exempts_every_app_warning_and_other_loggers_are_not_watched():
    guard = LogFailHandler(logger_levels(), [("radiculopathy_desktop", None)])
    guard.emit(_record("radiculopathy_desktop.ui.wizard", logging.CRITICAL))
    strict = LogFailHandler(logger_levels(), [])
    strict.emit(_record("some.library", logging.ERROR))
    strict.emit(_record("radiculopathy_desktop.ui", logging.INFO))
    assert guard.unexpected == [] and strict.unexpected == []


def test_a_record_marked_expected_is_exempt(guard):
    record = _record("radiculopathy_desktop.ui", logging.WARNING)
    record.expected = True
    guard.emit(record)
    assert guard.unexpected == []


@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui")
def test_the_marker_works_through_the_autouse_guard(fail_on_unexpected_warnings):
    logging.getLogger("radiculopathy_desktop.ui.app").warning("declared by the marker")
    logging.getLogger("radiculopathy_desktop.storage").info("info is never a failure")
    assert fail_on_unexpected_warnings.unexpected == []


def test_an_undeclared_warning_is_collected_by_the_autouse_guard(fail_on_unexpected_warnings, caplog):
    logging.getLogger("radiculopathy_desktop.ui.app").warning("not declared")
    assert len(fail_on_unexpected_warnings.unexpected) == 1
    fail_on_unexpected_warnings.unexpected.clear()  # this test expected it; the guard must not fail it
