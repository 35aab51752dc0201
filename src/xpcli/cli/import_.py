"""`xpcli import FILE…`: a county's 实施清单 into the catalog, again and again."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xpcli.cli.app import CatalogOption, LangOption, app, err, language_of, out
from xpcli.errors import EXIT_ERRORS, XpcliError
from xpcli.messages import say


@app.command("import")
def import_(
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE", help="Files to import (several may be given).")
    ],
    catalog: CatalogOption = Path("catalog"),
    map_file: Annotated[
        Path | None,
        typer.Option("--map", help="Column map (YAML: columns and values) for other names."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    lang: LangOption = None,
) -> None:
    """Import a 实施清单 (xlsx, xls, ods, csv or the platforms' AUDIT_* JSON) into the
    catalog: departments, windows and materials by name, matters by 实施编码 (else name and
    department), drafts where elements are missing. Importing again updates what the sheet
    holds and keeps what was written by hand; with any bad row nothing is written (exit 1).

    Example: xpcli import 实施清单.xlsx --catalog catalog --dry-run
    """
    from xpcli.importer import plan_import, preview, write_plan
    from xpcli.render_diff import render_text

    language = language_of(lang)
    plan = plan_import(catalog, files, map_file)
    if plan.unknown_columns:
        columns = "、".join(plan.unknown_columns)
        err.print(say("import-unknown-columns", language, columns=columns), markup=False)
    if plan.ignored_sheets:
        sheets = ", ".join(plan.ignored_sheets)
        err.print(say("import-ignored-sheets", language, sheets=sheets), markup=False)
    if plan.problems:
        for problem in plan.problems:
            message = say(problem.key, language, **problem.params)
            line = say("import-problem", language, where=problem.where, message=message)
            err.print(line, markup=False, highlight=False)
        raise XpcliError("import-has-problems", exit_code=EXIT_ERRORS, count=len(plan.problems))
    if plan.absent:
        ids = ", ".join(i for i, _ in plan.absent[:20]) + (" …" if len(plan.absent) > 20 else "")
        err.print(say("import-absent", language, count=len(plan.absent), ids=ids), markup=False)
    if plan.drafts:
        ids = ", ".join(plan.drafts[:20]) + (" …" if len(plan.drafts) > 20 else "")
        err.print(say("import-drafts", language, count=len(plan.drafts), ids=ids), markup=False)
    if dry_run:
        diff = preview(catalog, plan, files) if plan.files else None
        if diff is not None:
            out.out(render_text(diff, language), end="", highlight=False)
        else:
            for change, rels in (
                ("import-created", plan.created),
                ("import-changed", plan.changed),
            ):
                for rel in rels:
                    line = say("import-file", language, change=say(change, language), path=rel)
                    out.print(line, markup=False, highlight=False)
    else:
        write_plan(catalog, plan)
    out.print(
        say(
            "import-summary",
            language,
            rows=plan.rows,
            created=len(plan.created),
            changed=len(plan.changed),
            unchanged=plan.unchanged,
            departments=len(plan.new_departments),
            materials=len(plan.new_materials),
            windows=len(plan.new_windows),
        ),
        markup=False,
    )
    if dry_run:
        out.print(say("import-dry-run", language), markup=False)
