"""The message registry: both languages say the same thing, every code that the code emits is
listed, and nothing listed is unused."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from xpcli import messages
from xpcli.messages import CODES, HINTS, TEXT, default_lang

SRC = Path(__file__).parent.parent / "src" / "xpcli"
SOURCE = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SRC.rglob("*.py")))
# Keys built at run time: f"diff-side-{side}", "diff-heading-" + kind and the like; a listed
# key with one of these prefixes counts as used.
_DYNAMIC = set(re.findall(r'f"([a-z][a-z0-9-]*-)\{|"([a-z][a-z0-9-]*-)" \+', SOURCE))
_DYNAMIC = {prefix for pair in _DYNAMIC for prefix in pair if prefix}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("code", sorted(CODES))
def test_diagnostic_has_the_same_placeholders_in_both_languages(code: str) -> None:
    entry = CODES[code]
    assert entry.zh and entry.en and entry.example
    assert _fields(entry.zh) == _fields(entry.en)
    assert entry.severity in ("error", "warning")


@pytest.mark.parametrize("key", sorted(TEXT))
def test_text_has_both_languages_with_the_same_placeholders(key: str) -> None:
    assert set(TEXT[key]) == {"zh", "en"}
    assert _fields(TEXT[key]["zh"]) == _fields(TEXT[key]["en"])


@pytest.mark.parametrize("key", sorted(HINTS))
def test_hint_has_both_languages_with_the_same_placeholders(key: str) -> None:
    assert set(HINTS[key]) == {"zh", "en"}
    assert _fields(HINTS[key]["zh"]) == _fields(HINTS[key]["en"])


def _keys(call: str) -> set[str]:
    return set(re.findall(call + r"\(\s*[\"']([a-z0-9-]+)[\"']\s*[,)]", SOURCE))


def test_every_emitted_code_is_listed() -> None:
    emitted, raised, said = _keys("problem"), _keys("XpcliError"), _keys("say")
    assert emitted and raised and said
    assert emitted - set(CODES) == set()
    assert (raised | said) - set(TEXT) == set()


def test_no_listed_key_is_unused() -> None:
    """Each key is written once where it is defined and at least once where it is used."""
    unused = [
        key
        for key in [*CODES, *TEXT, *HINTS]
        if len(re.findall(f"[\"']{key}[\"']", SOURCE)) < 2
        and not any(key.startswith(p) for p in _DYNAMIC)
    ]
    assert unused == []


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANGUAGE": "zh_CN:en", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LANGUAGE": "en", "LC_ALL": "zh_CN.UTF-8"}, "en"),
        ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LANG": "zh_TW.UTF-8"}, "zh"),
        ({"LANG": "C.UTF-8"}, "en"),
    ],
)
def test_default_language_reads_language_first(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert default_lang() == expected


def test_a_term_parameter_is_worded_in_the_readers_language() -> None:
    from xpcli.errors import Term

    zh = messages.say("unknown-id", "zh", kind=Term("matter"), id="x")
    en = messages.say("unknown-id", "en", kind=Term("matter"), id="x")
    assert zh == "未知的事项 `x`"
    assert en == "unknown matter `x`"
