"""Report formats, by name: text (grouped by file), json, github (workflow commands)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby

from rich.console import Console
from rich.markup import escape

from xpcli.diagnostics import Diagnostic, Report
from xpcli.messages import render, say
from xpcli.textsafe import one_line, printable


@dataclass(frozen=True)
class Context:
    """What a reporter knows besides the report: file count, and the catalog folder as the
    user named it (GitHub wants paths from the repository root)."""

    lang: str
    files: int
    prefix: str = ""


Reporter = Callable[[Report, Context, Console], None]
REPORTERS: dict[str, Reporter] = {}


def reporter(name: str) -> Callable[[Reporter], Reporter]:
    def register(function: Reporter) -> Reporter:
        REPORTERS[name] = function
        return function

    return register


def as_dict(report: Report, lang: str) -> dict[str, object]:
    return {
        "diagnostics": [
            {
                "code": d.code,
                "severity": str(d.severity),
                "message": render(d, lang),
                "file": d.location.file,
                "line": d.location.line,
                "column": d.location.column,
            }
            for d in report.diagnostics
        ],
        "errors": report.errors,
        "warnings": report.warnings,
    }


@reporter("json")
def json_report(report: Report, ctx: Context, console: Console) -> None:
    text = json.dumps(as_dict(report, ctx.lang), ensure_ascii=False, indent=2)
    console.out(text, highlight=False)


@reporter("text")
def text_report(report: Report, ctx: Context, console: Console) -> None:
    for file, group in groupby(report.diagnostics, key=lambda d: d.location.file):
        console.print(f"[bold]{escape(one_line(file))}[/bold]")
        for d in group:
            colour = "red" if d.severity == "error" else "yellow"
            where = f"{one_line(d.location.file)}:{d.location.line}:{d.location.column}"
            console.print(
                f"  {escape(where)}: [{colour}]{d.severity}[/{colour}] "
                f"[dim]{d.code}[/dim] {escape(one_line(render(d, ctx.lang)))}",
                soft_wrap=True,
            )
    summary = _summary(report, ctx)
    if not report.diagnostics:
        summary = f"{say('valid', ctx.lang)} ({summary})"
    console.print(summary, style="bold red" if report.errors else "bold green", soft_wrap=True)


def github_escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    text = printable(text)  # the log is shown in a terminal-like view too
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


@reporter("github")
def github_report(report: Report, ctx: Context, console: Console) -> None:
    """Workflow commands; GitHub shows only the first few, so the log keeps them all."""
    for d in report.diagnostics:
        console.out(_github_line(d, ctx), highlight=False)
    summary = _summary(report, ctx)
    console.out(summary, highlight=False)


def _summary(report: Report, ctx: Context) -> str:
    return say("summary", ctx.lang, errors=report.errors, warnings=report.warnings, files=ctx.files)


def _github_line(d: Diagnostic, ctx: Context) -> str:
    file = github_escape(ctx.prefix + d.location.file, property_value=True)
    title = github_escape(d.code, property_value=True)
    message = github_escape(render(d, ctx.lang))
    return (
        f"::{d.severity} file={file},line={d.location.line},col={d.location.column},"
        f"title={title}::{message}"
    )
