"""The one error type of xpcli: every expected failure raises `XpcliError`.

It carries a message key of `xpcli.messages.TEXT`, the message's parameters and the exit code;
the words are chosen late, in the reader's language, by the CLI's single handler. A parameter
may itself be a `Term` (a message key) so that it too is worded in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xpcli.diagnostics import Report

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Term:
    """A message key used as a parameter of another message: worded in the same language."""

    key: str


class XpcliError(Exception):
    """An expected failure: `code` is a messages.TEXT key, `params` its values."""

    def __init__(self, code: str, *, exit_code: int = EXIT_USAGE, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.exit_code = exit_code
        self.params = params

    def __repr__(self) -> str:
        return f"XpcliError({self.code!r}, exit_code={self.exit_code}, **{self.params!r})"


class InvalidCatalog(XpcliError):
    """A catalog with errors where a valid one is needed: the report is printed first."""

    def __init__(
        self,
        report: Report,
        files: int,
        code: str = "invalid-catalog",
        *,
        exit_code: int = EXIT_ERRORS,
        **params: object,
    ) -> None:
        super().__init__(code, exit_code=exit_code, **params)
        self.report = report
        self.files = files
