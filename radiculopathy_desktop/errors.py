"""Errors meant for the person at the keyboard, with what to do about them."""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix; shown as a plain message, never a traceback.

    ``exit_code`` follows the command conventions: 2 for bad input or a refused
    request, 3 for a database that cannot be used safely.
    """

    def __init__(self, message: str, exit_code: int = 2, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n{self.hint}"
