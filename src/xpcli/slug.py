"""What an id is: the one home of the slug rule that schemas, rules, export and `new` share.

An id becomes a file name (`matters/<id>.json` in the export) and part of a printed URL, so it
is lower-case ASCII words joined by single hyphens, at most 64 characters, and never a name
that Windows reserves for a device (`con`, `nul`, `com1`, ...): such a file cannot be created
or checked out there.
"""

from __future__ import annotations

import re

MAX_LENGTH = 64
WINDOWS_RESERVED = frozenset(
    ("con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)))
) | frozenset(f"lpt{i}" for i in range(1, 10))
# JSON Schema's `pattern` is an ECMAScript regex: `$` is the end of the text there (editors and
# jsonschema-rs agree); `schema.py` gives Python's validator the same reading. Every schema's
# slug definition must be exactly this string (tests/test_schema.py checks them all).
PATTERN = "^(?!(con|prn|aux|nul|com[1-9]|lpt[1-9])$)[a-z0-9]+(-[a-z0-9]+)*$"
_WORDS = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def is_slug(text: str) -> bool:
    """`text` is a usable id (fullmatch: a final newline is not allowed either)."""
    return (
        len(text) <= MAX_LENGTH
        and _WORDS.fullmatch(text) is not None
        and text not in WINDOWS_RESERVED
    )


def is_reserved(text: str) -> bool:
    return text in WINDOWS_RESERVED
