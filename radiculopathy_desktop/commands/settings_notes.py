"""The command line's notes about stored review settings that could not be used (red-team
rt7 R3/R8): one ``note: settings: ...`` line on stderr per problem, once per command, saying
what was wrong, what is used instead and how to repair it. Light: imports nothing at load."""

from __future__ import annotations

from typing import Any


def settings_note(problem: Any) -> str:
    """A stored review setting that could not be used (``domain.settings.StoredSettingsProblem``),
    as the one ``note: settings: ...`` line a command prints on stderr, with how to repair it."""
    if getattr(problem, "unknown", False):  # names that are not settings: ignored, dropped by the next save
        repair = ("the row is written again (any `settings set` of a review setting stores it without "
                  + ("it" if len(problem.keys) == 1 else "them") + "; `settings get` lists the review settings)")
    elif problem.whole_row:
        repair = ("they are set again: `settings set KEY VALUE` for each setting the clinic had changed (the "
                  "first one replaces the damaged row; `settings get` lists the values in use)")
    elif len(problem.keys) > 1:
        repair = ("the window is set again (`settings set window_start_day VALUE` and `settings set "
                  "window_end_day VALUE`, in an order that keeps the start on or before the end)")
    else:
        repair = f"it is set again (`settings set {problem.keys[0]} VALUE`)"
    return f"note: settings: {problem.sentence(repair)}"


class SettingsNotes:
    """The listener of ``storage.settings_notes`` for one command: each note printed once
    on stderr, however often the settings are read."""

    def __init__(self) -> None:
        self.said: set[Any] = set()

    def __call__(self, problems: Any) -> None:
        import sys

        from radiculopathy_desktop.terminal import terminal_safe

        for problem in problems:
            if problem not in self.said:
                self.said.add(problem)
                print(terminal_safe(settings_note(problem)), file=sys.stderr, flush=True)
