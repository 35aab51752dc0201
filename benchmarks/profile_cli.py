"""Profile one xpcli command in-process and print the functions that take the time.

    python benchmarks/profile_cli.py [--top 30] [--sort cumulative|tottime] -- validate CATALOG
    python benchmarks/profile_cli.py --json --top 15 -- export --catalog CATALOG -o /tmp/api

xpcli's modules are imported before the profiler starts; everything the command does after
that (parsing, schemas, rules, rendering, writing) is in the profile. cProfile slows Python
code more than C code, so read the shares, not the absolute seconds. `--json` lists the top
functions by cumulative time without the CLI framework's frames (typer, click, xpcli.cli).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys

# Frames of the command-line framework: they wrap everything and say nothing.
_WRAPPERS = (f"{os.sep}typer{os.sep}", f"{os.sep}click{os.sep}", f"xpcli{os.sep}cli.py", "<frozen")


def run_profiled(arguments: list[str]) -> cProfile.Profile:
    from xpcli.cli import main as xpcli_main

    profiler = cProfile.Profile()
    sys.argv = ["xpcli", *arguments]
    stdout = sys.stdout
    sys.stdout = io.StringIO()  # the command's own output is not the report
    profiler.enable()
    try:
        xpcli_main()
    except SystemExit:
        pass
    finally:
        profiler.disable()
        sys.stdout = stdout
    return profiler


def top_functions(
    profiler: cProfile.Profile, top: int, key: str = "cumulative_s"
) -> list[dict[str, object]]:
    """The `top` functions by cumulative (or own) time, framework frames left out."""
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    rows = []
    for (file, line, function), (_, calls, own, cumulative, _) in stats.items():
        if file == "~" or any(w in file for w in _WRAPPERS):
            continue
        rows.append(
            {
                "function": function,
                "where": f"{_short(file)}:{line}",
                "calls": calls,
                "cumulative_s": round(cumulative, 3),
                "own_s": round(own, 3),
            }
        )
    rows.sort(key=lambda r: -float(r[key]))  # type: ignore[arg-type]
    total = max((s[3] for s in stats.values()), default=0.0)
    return [{"total_s": round(total, 3)}, *rows[:top]]


def _short(file: str) -> str:
    """site-packages/weasyprint/layout/page.py → weasyprint/layout/page.py."""
    for marker in ("site-packages" + os.sep, "src" + os.sep):
        if marker in file:
            return file.split(marker, 1)[1]
    return os.sep.join(file.split(os.sep)[-2:])  # the standard library: json/encoder.py


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative", choices=("cumulative", "tottime"))
    parser.add_argument(
        "--json",
        action="store_true",
        help='JSON: {"cumulative": [...], "own": [...]}, each list headed by {"total_s": ...}',
    )
    parser.add_argument("arguments", nargs=argparse.REMAINDER, help="xpcli arguments after --")
    args = parser.parse_args()
    arguments = args.arguments[1:] if args.arguments[:1] == ["--"] else args.arguments
    profiler = run_profiled(arguments)
    if args.json:
        found = {
            "cumulative": top_functions(profiler, args.top, "cumulative_s"),
            "own": top_functions(profiler, args.top, "own_s"),
        }
        print(json.dumps(found, ensure_ascii=False))
        return
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).strip_dirs().sort_stats(args.sort).print_stats(args.top)
    sys.stdout.write(buffer.getvalue())


if __name__ == "__main__":
    main()
