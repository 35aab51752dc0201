"""Diagnostics: problems in the data, as values.

A diagnostic carries a stable code, a severity, a location and the parameters of its message;
the words themselves come from `xpcli.messages`, in the reader's language, at report time.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

# A hint: a key of `xpcli.messages.HINTS` and its parameters.
Hint = tuple[str, dict[str, object]]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A 1-based position in a catalog file; `file` is relative to the catalog, with "/"."""

    file: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    severity: Severity
    location: Location
    params: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
    hint: Hint | None = field(default=None, compare=False, hash=False)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.code)


@dataclass(frozen=True, slots=True)
class Report:
    diagnostics: tuple[Diagnostic, ...]

    @classmethod
    def of(cls, diagnostics: Iterable[Diagnostic]) -> Report:
        return cls(tuple(sorted(diagnostics, key=lambda d: d.sort_key)))

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)

    def failed(self, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)


# difflib compares a word with every candidate in Python (190 ms per word over 5,000 ids);
# rapidfuzz's LCS ratio shortlists the SHORTLIST best first. That ratio is an upper bound of
# difflib's (difflib matches at most the longest common subsequence), so no candidate above the
# cutoff is lost for want of score; difflib, as before, picks among the shortlist.
SHORTLIST = 20
# Hints per `Suggestions`: a catalog with thousands of unresolved references (a renamed
# materials.yaml, a hostile pull request) gets hints for the first ones, the rest none.
HINT_BUDGET = 100


def closest(word: str, candidates: Iterable[str], n: int = 1, cutoff: float = 0.6) -> list[str]:
    """The known keys or ids most like `word`, best first."""
    from rapidfuzz import fuzz, process

    shortlist = process.extract(
        word,
        list(candidates),
        scorer=fuzz.ratio,
        limit=max(n, SHORTLIST),
        score_cutoff=cutoff * 100,
    )
    return difflib.get_close_matches(word, [c for c, _, _ in shortlist], n=n, cutoff=cutoff)


def did_you_mean(word: str, candidates: Iterable[str]) -> Hint | None:
    """The closest known key or id, as a hint, when one is close enough."""
    match = closest(word, candidates)
    return ("did_you_mean", {"suggestion": match[0]}) if match else None


class Suggestions:
    """`did_you_mean` for many words over one set of candidates, as a rule reporting many
    unresolved references needs: each distinct word is looked up once, and at most `budget`
    lookups are made (1,000 dangling references in a 5,000-matter catalog took 81 s)."""

    def __init__(self, candidates: Iterable[str], budget: int = HINT_BUDGET) -> None:
        self._candidates = candidates
        self._list: list[str] | None = None
        self._left = budget
        self._seen: dict[str, Hint | None] = {}

    def __call__(self, word: str) -> Hint | None:
        if word in self._seen:
            return self._seen[word]
        if self._left <= 0:
            return None
        self._left -= 1
        if self._list is None:
            self._list = list(self._candidates)
        hint = self._seen[word] = did_you_mean(word, self._list)
        return hint


def problem(
    code: str, location: Location, hint: Hint | None = None, **params: object
) -> Diagnostic:
    """A diagnostic of `code`; its severity is the one its registry entry names."""
    return Diagnostic(code, _severities()[code], location, params, hint)


@cache
def _severities() -> dict[str, Severity]:
    from xpcli.messages import CODES  # messages imports this module

    return {code: Severity(entry.severity) for code, entry in CODES.items()}
