"""Strict YAML for catalogs: libyaml's event stream turned into plain data plus a source map.

Why events and not `yaml.CSafeLoader`: the C composer recurses per nesting level and crashes
the process on deeply nested input, and composed nodes no longer show anchors. Walking the
events keeps every mark, sees anchors, aliases, tags and extra documents, and costs less than
CSafeLoader's Python constructor.

Plain scalars resolve the YAML 1.2 way (`no` stays text, `0471` is not octal). A plain scalar
that a YAML 1.1 reader (PyYAML's default, many editors) would read differently is reported,
so that every tool reads a catalog file the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import events as ev
from yaml._yaml import CParser
from yaml.nodes import ScalarNode
from yaml.resolver import BaseResolver, Resolver

from xpcli.diagnostics import Diagnostic, Hint, Location, problem

MAX_DEPTH = 64
# Items in one list, keys in one mapping: the largest `maxItems` of any schema (materials.yaml).
# Reading stops at the first container past it: a 5 MiB file holding a 2.6-million-item list
# took 18-27 s and 770 MB to build, then to fail `maxItems: 50` at item 51.
MAX_ITEMS = 100_000

KeyPath = tuple[str | int, ...]
# path -> (value line, value column, key line, key column), all 1-based.
Position = tuple[int, int, int, int]
Positions = dict[KeyPath, Position]
PositionMap = Mapping[KeyPath, Position]


def locate(
    positions: PositionMap,
    path: KeyPath,
    file: str,
    key: bool = False,
) -> Location:
    """Where the value at `path` (or its key) stands; a path the file does not have falls back
    to its nearest ancestor, so a missing key is reported at the mapping that lacks it."""
    while path not in positions and path:
        path = path[:-1]
    line, column, key_line, key_column = positions.get(path, (1, 1, 1, 1))
    return Location(file, key_line, key_column) if key else Location(file, line, column)


@dataclass(slots=True)
class Parsed:
    data: Any
    positions: PositionMap
    diagnostics: list[Diagnostic] = field(default_factory=list)
    flagged: set[KeyPath] = field(default_factory=set)  # paths that already have a diagnostic
    complete: bool = True  # False when reading stopped early: the data is a fragment


class LazyPositions(Mapping[KeyPath, Position]):
    """The positions of a file parsed in another process, found again from its bytes when first
    asked for (only a diagnostic asks): the same parse of the same bytes gives the same
    positions. Sending them between processes took longer than parsing the file."""

    __slots__ = ("_file", "_found", "_raw")

    def __init__(self, raw: bytes, file: str) -> None:
        self._raw = raw
        self._file = file
        self._found: PositionMap | None = None

    def _positions(self) -> PositionMap:
        found = self._found
        if found is None:
            text, _ = decode(self._raw, self._file)
            found = self._found = parse(text or "", self._file).positions
            self._raw = b""
        return found

    def __getitem__(self, path: KeyPath) -> Position:
        return self._positions()[path]

    def __contains__(self, path: object) -> bool:
        return path in self._positions()

    def __iter__(self) -> Iterator[KeyPath]:
        return iter(self._positions())

    def __len__(self) -> int:
        return len(self._positions())


class _EventParser(CParser, BaseResolver):  # BaseResolver: no implicit tags; we resolve.
    def __init__(self, text: str) -> None:
        CParser.__init__(self, text)
        BaseResolver.__init__(self)


_STR_TAG = "tag:yaml.org,2002:str"
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(nan|NaN|NAN)\Z")
_PLAIN_DECIMAL = re.compile(r"[-+]?(0|[1-9][0-9]*)\Z")
# C0 and C1 control characters but tab and line feed. Raw, libyaml's reader stops at them; as
# escapes in a quoted scalar ("\\e", "\\0", "\\x07") they reach the value, so values are checked.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# First characters of every YAML 1.1 implicit type (bool, int, float, null, timestamp, merge).
_SUSPECT_START = frozenset("0123456789-+.~nNtTfFyYoO<=")
_YAML11 = Resolver()


def resolve_plain(text: str) -> tuple[Any, bool]:
    """A plain scalar's YAML 1.2 core value, and whether YAML 1.1 would read it differently."""
    if not text:
        return None, False
    if text[0] not in _SUSPECT_START:
        return text, False
    value = _resolve12(text)
    tag11 = _YAML11.resolve(ScalarNode, text, (True, False)).rsplit(":", 1)[-1]
    if tag11 == "str":
        return value, not isinstance(value, str)
    if tag11 == "null":
        return value, value is not None
    if tag11 == "bool":
        return value, not isinstance(value, bool)
    if tag11 == "int":
        return value, not (type(value) is int and _PLAIN_DECIMAL.match(text))
    if tag11 == "float":
        return value, type(value) is not float
    return value, True  # timestamp, merge, value


def _resolve12(text: str) -> Any:
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    if _INT.match(text):
        return int(text)
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return float("-inf") if text[0] == "-" else float("inf")
    if _NAN.match(text):
        return float("nan")
    return text


_LEADING_ZERO = re.compile(r"[-+]?0[0-9]+\Z")


def _ambiguous(text: str, value: Any, where: Location) -> Diagnostic:
    """A plain scalar YAML versions read differently, said the way a clerk would fix it."""
    if _LEADING_ZERO.match(text):  # a phone number or a code: 1.2 drops the zero, 1.1 octal
        return problem("leading-zero", where, text=text, number=str(value))
    reading = yaml11_reading(text)
    # yes/no/on/off where a boolean is meant: quoting would make it text, which fails too.
    hint: Hint = (
        ("use_boolean", {}) if reading in ("True", "False") else ("quote_it", {"text": text})
    )
    return problem("ambiguous-scalar", where, hint=hint, text=text, yaml11=reading)


def yaml11_reading(text: str) -> str:
    """How PyYAML's default loader reads a plain scalar, for messages."""
    try:
        value = yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return "?"
    return repr(value) if not isinstance(value, str) else value


def decode(raw: bytes, file: str) -> tuple[str | None, Diagnostic | None]:
    """Strict UTF-8 (a BOM is dropped); a GBK file is named as such in the hint."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = raw[: exc.start]
        line = head.count(b"\n") + 1
        column = len(head[head.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        guess = _guess_encoding(raw)
        return None, problem(
            "not-utf8",
            Location(file, line, column),
            hint=("convert_encoding", {"encoding": guess}) if guess else None,
            byte=f"0x{raw[exc.start]:02X}",
            encoding=guess or "",
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, None


def _guess_encoding(raw: bytes) -> str | None:
    if b"\x00" in raw:
        return None
    try:
        decoded = raw.decode("gb18030")
    except UnicodeDecodeError:
        return None
    # Real GBK text decodes to CJK characters, not to control characters.
    if any(ord(c) < 32 and c not in "\t\r\n" for c in decoded):
        return None
    return "GBK"


# Chinese typing slips, each a line's start: optional indentation and list dash, then a key.
_KEY = r"[A-Za-z_][A-Za-z0-9_]*"
_SLIPS = (
    # name：发票领用 (a full-width colon)
    ("fullwidth-colon", re.compile(rf"^[ ]*(?:- )?(?P<key>{_KEY})[ ]*(?P<at>：)", re.M)),
    # visits:0 (no space after the colon: YAML reads one text `visits:0`); not https://
    ("colon-without-space", re.compile(rf"^[ ]*(?:- )?(?P<key>{_KEY})(?P<at>:)(?!//)[^\s]", re.M)),
    # 　　form: 原件 (indented with U+3000, the full-width space)
    ("fullwidth-space", re.compile(rf"^[ ]*(?:- )?(?P<at>\u3000)[\u3000 ]*(?P<key>{_KEY})?", re.M)),
    # name: “发票领用” (full-width quotes are text, not YAML quotes)
    ("fullwidth-quotes", re.compile(rf"^[ ]*(?:- )?(?P<key>{_KEY})[ ]*:[ ]+(?P<at>[“‘＂])", re.M)),
)
# A slip explains a syntax error found this many lines after it (`visits:0` is reported by
# libyaml two lines later).
_SLIP_REACH = 3


def find_slips(text: str, file: str) -> dict[int, Diagnostic]:
    """Lines holding a typing slip, as the diagnostics that name it. Used only to explain an
    error on or just after such a line: in a block of text the same characters are legal."""
    slips: dict[int, Diagnostic] = {}
    for code, pattern in _SLIPS:
        for match in pattern.finditer(text):
            start = match.start("at")
            line = text.count("\n", 0, start) + 1
            column = start - text.rfind("\n", 0, start)
            where = Location(file, line, column)
            slips.setdefault(line, problem(code, where, key=match.group("key") or ""))
    return slips


def explain_with_slips(
    diagnostics: list[Diagnostic], slips: dict[int, Diagnostic]
) -> list[Diagnostic]:
    """Errors on a line with a typing slip become the slip's diagnostic, once per line: the
    clerk is told about `：` on line 2, not about an unknown key or a parser's English. The
    key the slip hid is then not reported missing either."""
    if not slips:
        return diagnostics
    out: list[Diagnostic] = []
    used: dict[int, Diagnostic] = {}
    for d in diagnostics:
        slip = slips.get(d.location.line) if d.severity == "error" else None
        if slip is None:
            out.append(d)
        elif d.location.line not in used:
            used[d.location.line] = slip
            out.append(slip)
    hidden = {s.params["key"] for s in used.values()}
    return [d for d in out if not (d.code == "missing-key" and d.params.get("key") in hidden)]


def _slip_before(slips: dict[int, Diagnostic], line: int) -> Diagnostic | None:
    for candidate in range(line, max(line - _SLIP_REACH, 0) - 1, -1):
        if candidate in slips:
            return slips[candidate]
    return None


def find_tab_indentation(text: str, file: str) -> list[Diagnostic]:
    if "\t" not in text:
        return []
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        indent = len(line) - len(line.lstrip(" \t"))
        tab = line.find("\t", 0, indent)
        if tab >= 0:
            found.append(problem("tab-indentation", Location(file, number, tab + 1)))
    return found


class _Stop(Exception):
    """The rest of the file cannot be read reliably."""


class _Builder:
    """Turns the event stream into data, positions and diagnostics, with an explicit stack."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.positions: Positions = {}
        self.diagnostics: list[Diagnostic] = []
        self.flagged: set[KeyPath] = set()
        self.root: Any = None
        self.documents = 0
        self.saw_anchor = False
        # Frames: [container, path, pending key or None, key line, key column, seen keys]
        self.stack: list[list[Any]] = []

    def at(self, mark: Any) -> Location:
        return Location(self.file, mark.line + 1, mark.column + 1)

    def feed(self, event: Any) -> None:
        kind = type(event)
        if kind is ev.ScalarEvent:
            self._scalar(event)
        elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
            self._start(event, {} if kind is ev.MappingStartEvent else [])
        elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
            self.stack.pop()
        elif kind is ev.AliasEvent:
            self._anchor_or_alias(event)
            self._attach(None, event.start_mark)
        elif kind is ev.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                self.diagnostics.append(problem("multiple-documents", self.at(event.start_mark)))
                raise _Stop

    def _check_node(self, event: Any) -> None:
        if event.anchor is not None:
            self._anchor_or_alias(event)
        tag = event.tag
        if tag is not None and tag != "!" and tag != _STR_TAG:
            self.diagnostics.append(problem("yaml-tag", self.at(event.start_mark), tag=tag))

    def _anchor_or_alias(self, event: Any) -> None:
        """Only the first one is reported: a "billion laughs" file has hundreds."""
        if not self.saw_anchor:
            self.saw_anchor = True
            self.diagnostics.append(problem("anchor-alias", self.at(event.start_mark)))

    def _start(self, event: Any, container: dict | list) -> None:
        self._check_node(event)
        if len(self.stack) >= MAX_DEPTH:
            self.diagnostics.append(problem("too-deep", self.at(event.start_mark), limit=MAX_DEPTH))
            raise _Stop
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top[0], dict) and top[2] is None:
            self.diagnostics.append(problem("complex-key", self.at(event.start_mark)))
            raise _Stop
        path = self._attach(container, event.start_mark)
        self.stack.append([container, path, None, 0, 0, {}])

    def _scalar(self, event: Any) -> None:
        self._check_node(event)
        top = self.stack[-1] if self.stack else None
        if top is not None and top[0].__class__ is dict and top[2] is None:
            self._key(top, event)
            return
        text = event.value
        if event.implicit[0] and event.tag is None:
            value, ambiguous = resolve_plain(text)
            if ambiguous:
                path = self._attach(value, event.start_mark)
                self.flagged.add(path)
                self.diagnostics.append(_ambiguous(text, value, self.at(event.start_mark)))
                return
        else:
            value = text
            if self._has_control(text, event):
                self.flagged.add(self._attach(None, event.start_mark))
                return
            core = text.rstrip("\n") if event.style in ("|", ">") else text
            if core != core.strip():
                self.diagnostics.append(problem("untrimmed-text", self.at(event.start_mark)))
        self._attach(value, event.start_mark)

    def _has_control(self, text: str, event: Any) -> bool:
        found = _CONTROL.search(text)
        if found is None:
            return False
        character = f"#x{ord(found.group()):04X}"
        self.diagnostics.append(
            problem("control-character", self.at(event.start_mark), character=character)
        )
        return True

    def _key(self, frame: list[Any], event: Any) -> None:
        key = event.value
        mark = event.start_mark
        seen = frame[5]
        if len(seen) >= MAX_ITEMS:
            self._too_many(mark)
        if not event.implicit[0] and self._has_control(key, event):
            key = (key, "control", mark.line)  # keeps the value (and the key) out of the data
        elif key in seen:
            self.diagnostics.append(
                problem("duplicate-key", self.at(mark), key=key, first_line=seen[key])
            )
            key = (key, "duplicate", mark.line)  # keeps the value out of the data
        else:
            seen[key] = mark.line + 1
        frame[2], frame[3], frame[4] = key, mark.line + 1, mark.column + 1

    def _attach(self, value: Any, mark: Any) -> KeyPath:
        line, column = mark.line + 1, mark.column + 1
        if not self.stack:
            self.root = value
            self.positions[()] = (line, column, line, column)
            return ()
        frame = self.stack[-1]
        container = frame[0]
        if container.__class__ is dict:
            key = frame[2]
            path = (*frame[1], key)
            if key.__class__ is str:
                container[key] = value
            self.positions[path] = (line, column, frame[3], frame[4])
            frame[2] = None
        else:
            if len(container) >= MAX_ITEMS:
                self._too_many(mark)
            path = (*frame[1], len(container))
            container.append(value)
            self.positions[path] = (line, column, line, column)
        return path

    def _too_many(self, mark: Any) -> None:
        self.diagnostics.append(problem("too-many-items", self.at(mark), limit=MAX_ITEMS))
        raise _Stop


def _run(parser: _EventParser, builder: _Builder) -> None:
    """Feed every event to the builder, with the common cases inlined: a plain scalar that
    no YAML version reads as anything but text, and a new key. This loop is most of the time
    `xpcli validate` spends on a large catalog; everything unusual goes through `feed`."""
    get_event: Callable[[], Any] = parser.get_event  # libyaml events, duck-typed for speed
    stack = builder.stack
    positions = builder.positions
    feed = builder.feed
    scalar, mapping_end, sequence_end = ev.ScalarEvent, ev.MappingEndEvent, ev.SequenceEndEvent
    while (event := get_event()) is not None:
        kind = event.__class__
        if kind is scalar and stack and event.anchor is None and event.tag is None:
            frame = stack[-1]
            container = frame[0]
            mark = event.start_mark
            if container.__class__ is dict:
                key = frame[2]
                if key is None:
                    if not event.implicit[0]:  # a quoted key: the builder checks its escapes
                        feed(event)
                        continue
                    key = event.value
                    seen = frame[5]
                    if key in seen or len(seen) >= MAX_ITEMS:
                        feed(event)  # a duplicate or one key too many: the builder reports it
                    else:
                        seen[key] = frame[3] = mark.line + 1
                        frame[2], frame[4] = key, mark.column + 1
                    continue
                text = event.value
                if key.__class__ is not str or not event.implicit[0] or not text:
                    feed(event)
                    continue
                if text[0] in _SUSPECT_START:
                    # Counts and days: a decimal without a leading zero reads alike everywhere.
                    if not (
                        text.isascii() and text.isdigit() and (text[0] != "0" or len(text) == 1)
                    ):
                        feed(event)
                        continue
                    value: object = int(text)
                else:
                    value = text
                path = (*frame[1], key)
                container[key] = value
                positions[path] = (mark.line + 1, mark.column + 1, frame[3], frame[4])
                frame[2] = None
            else:
                text = event.value
                if (
                    not event.implicit[0]
                    or not text
                    or text[0] in _SUSPECT_START
                    or len(container) >= MAX_ITEMS
                ):
                    feed(event)
                    continue
                line, column = mark.line + 1, mark.column + 1
                positions[(*frame[1], len(container))] = (line, column, line, column)
                container.append(text)
        elif kind is mapping_end or kind is sequence_end:
            stack.pop()
        else:
            feed(event)


def parse(text: str, file: str) -> Parsed:
    """Parse one catalog file's text; never raises for bad input."""
    tabs = find_tab_indentation(text, file)
    if tabs:  # libyaml's own message for these is misleading; ours points at the tab.
        return Parsed(None, {}, tabs, complete=False)
    builder = _Builder(file)
    parser = _EventParser(text)
    complete = False
    try:
        _run(parser, builder)
        complete = True
    except _Stop:
        pass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        location = builder.at(mark) if mark else Location(file)
        what = exc.problem or exc.context or "syntax error"
        slips = find_slips(text, file)
        slip = _slip_before(slips, location.line)
        builder.diagnostics.append(slip or problem("yaml-syntax", location, problem=what))
    except yaml.reader.ReaderError as exc:
        head = text[: exc.position]
        location = Location(file, head.count("\n") + 1, exc.position - head.rfind("\n"))
        character = exc.character if isinstance(exc.character, int) else ord(exc.character)
        builder.diagnostics.append(
            problem("control-character", location, character=f"#x{character:04X}")
        )
    finally:
        parser.dispose()
    if not builder.diagnostics and builder.root is None:
        builder.diagnostics.append(problem("empty-file", Location(file)))
    return Parsed(builder.root, builder.positions, builder.diagnostics, builder.flagged, complete)
