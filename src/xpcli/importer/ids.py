"""Readable, stable ids from Chinese names: 出生登记 -> chu-sheng-deng-ji.

pypinyin's dictionary picks the usual reading of each character (重庆 -> chong-qing); letters
and digits in the name are kept, everything else separates words. An id that is taken gets
`-2`, `-3`, ... in the order the records are met, so the same sheet gives the same ids.
"""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

from xpcli.slug import MAX_LENGTH, is_slug

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _as_is(text: str) -> str:
    """Letters, digits and punctuation stay one word (ABC2023 is not split letter by letter)."""
    return text


def pinyin_slug(name: str, fallback: str = "item") -> str:
    words = lazy_pinyin(name, style=Style.NORMAL, errors=_as_is)
    slug = _NOT_WORD.sub("-", "-".join(words).lower()).strip("-")
    slug = re.sub("-{2,}", "-", slug)
    while len(slug) > MAX_LENGTH - 4 and "-" in slug:  # room for a "-999" suffix
        slug = slug.rsplit("-", 1)[0]
    slug = slug[: MAX_LENGTH - 4].strip("-")
    return slug if is_slug(slug) else fallback


def unique(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`, ...: the first that is not taken (and then taken)."""
    candidate, n = base, 1
    while candidate in taken or not is_slug(candidate):
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate
