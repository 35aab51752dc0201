"""The command line itself in the reader's language: help pages, option texts, usage errors.

Typer 0.29 vendors click as `typer._click` with its English words written into the code (no
gettext domain to translate), so the words are replaced here, in one place:

- command and option help: from `messages.HELP_ZH`, keyed by the command's path ("show event")
  and "path parameter" ("validate strict"); a parameter shared by many commands ("catalog",
  "lang") has one entry under its bare name. The English stays in each command's code;
- click's fixed words (Usage, Options, [default: …]) by a help formatter of our own;
- usage errors from the exception's own fields (option name, parameter, value).

The language is known before click parses anything: `requested_language` reads `--lang`
wherever it stands on the command line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from typing import Any

import typer
from typer._click import exceptions as click_errors
from typer._click.formatting import HelpFormatter

from xpcli.messages import HELP_ZH, PUNCTUATION, USAGE_PATTERNS, say

LANGUAGES = ("zh", "en")
_help_language: ContextVar[str] = ContextVar("xpcli_help_language", default="en")


def requested_language(args: Sequence[str]) -> str | None:
    """The value of `--lang` anywhere before `--`, so `xpcli --lang zh validate` and
    `xpcli validate --lang zh` both speak Chinese from the first word of help on."""
    for index, arg in enumerate(args):
        if arg == "--":
            break
        value = None
        if arg == "--lang" and index + 1 < len(args):
            value = args[index + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value in LANGUAGES:
            return value
    return None


def _walk(command: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _walk(sub, f"{path} {name}".strip())


def localize(root: Any, lang: str) -> None:
    """Word every command's help and every option's description below `root` in `lang`."""
    _help_language.set(lang)
    for path, command in _walk(root):
        command.context_class = LocalizedContext
        if lang != "zh":
            continue
        text = HELP_ZH.get(path or "xpcli")
        if text is not None:
            command.help = text
            command.short_help = text.split("。")[0].split("\n")[0]
        for param in command.params:
            text = HELP_ZH.get(f"{path} {param.name}".strip()) or HELP_ZH.get(param.name)
            if text is not None and hasattr(param, "help"):
                param.help = text


def help_gaps(root: Any) -> list[str]:
    """Commands and options that have no Chinese help (a test keeps this list empty)."""
    gaps = []
    for path, command in _walk(root):
        if (path or "xpcli") not in HELP_ZH:
            gaps.append(path or "xpcli")
        for param in command.params:
            key = f"{path} {param.name}".strip()
            if getattr(param, "help", None) and key not in HELP_ZH and param.name not in HELP_ZH:
                gaps.append(key)
    return gaps


# --- click's fixed words ----------------------------------------------------------------------

_DEFAULT = re.compile(r"\[default: (.*?)\]")


class LocalizedFormatter(HelpFormatter):
    """Click's help layout with its headings and fixed phrases in the reader's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lang = _help_language.get()

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if self.lang == "zh":
            args = args.replace("[OPTIONS]", "[选项]").replace(
                "COMMAND [ARGS]...", "命令 [参数]..."
            )
        super().write_usage(prog, args, say("usage-prefix", self.lang))

    def write_heading(self, heading: str) -> None:
        key = f"usage-heading-{heading.lower()}"
        word = say(key, self.lang) if heading in ("Options", "Arguments", "Commands") else heading
        self.write(f"{'':>{self.current_indent}}{word}{PUNCTUATION[self.lang]['colon'].strip()}\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        if self.lang == "zh":
            rows = [(term, _zh_fixed_words(text)) for term, text in rows]
        super().write_dl(rows, *args, **kwargs)


def _zh_fixed_words(text: str) -> str:
    text = text.replace("Show this message and exit.", say("usage-help-option", "zh"))
    text = text.replace("[required]", say("usage-required", "zh"))
    return _DEFAULT.sub(lambda m: say("usage-default", "zh", value=m.group(1)), text)


class LocalizedContext(typer.Context):
    def make_formatter(self) -> HelpFormatter:
        return LocalizedFormatter(width=self.terminal_width, max_width=self.max_content_width)


# --- usage errors -----------------------------------------------------------------------------


def usage_error_text(exc: click_errors.ClickException, lang: str) -> str:
    """What click would print for a usage error (usage line, help hint, the problem), worded in
    `lang`."""
    lines = []
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            command = f"{ctx.command_path} {ctx.help_option_names[0]}"
            lines.append(say("usage-try-help", lang, command=command))
        lines.append("")
    lines.append(say("usage-error", lang, problem=_problem(exc, lang)))
    return "\n".join(lines)


def _problem(exc: click_errors.ClickException, lang: str) -> str:
    if lang == "en":
        return exc.format_message().replace("Value error, ", "")
    if isinstance(exc, click_errors.NoSuchOption):
        text = say("usage-no-such-option", lang, option=exc.option_name)
        if exc.possibilities:
            text += say("usage-possible", lang, options=", ".join(sorted(exc.possibilities)))
        return text
    if isinstance(exc, click_errors.BadParameter):
        hint = exc.param_hint if isinstance(exc.param_hint, str) else None
        if hint is None and exc.param is not None:
            hint = exc.param.get_error_hint()
        if isinstance(exc, click_errors.MissingParameter):
            kind = exc.param_type or (exc.param.param_type_name if exc.param else "parameter")
            return say("usage-missing", lang, kind=say(f"usage-kind-{kind}", lang), name=hint)
        return say("usage-bad-value", lang, name=hint, problem=_translated(exc.message, lang))
    return _translated(exc.message, lang)


def _translated(message: str, lang: str) -> str:
    """Click's English sentence in `lang` when it is one of the known ones, else as it is."""
    message = message.removeprefix("Value error, ")
    for pattern, key in USAGE_PATTERNS:
        found = re.fullmatch(pattern, message)
        if found:
            return say(key, lang, **found.groupdict())
    return message
