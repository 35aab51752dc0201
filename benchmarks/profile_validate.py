"""Profile one `xpcli validate` in-process and print the top functions by cumulative time.

python benchmarks/profile_validate.py CATALOG [--top 30] [--sort cumulative|tottime]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys


def profile(catalog: str, top: int = 30, sort: str = "cumulative") -> str:
    from xpcli.cli import main  # imported outside the profile, like a warm interpreter would

    profiler = cProfile.Profile()
    sys.argv = ["xpcli", "validate", catalog]
    profiler.enable()
    try:
        main()
    except SystemExit:
        pass
    finally:
        profiler.disable()
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).strip_dirs().sort_stats(sort).print_stats(top)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("catalog")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative", choices=("cumulative", "tottime"))
    args = parser.parse_args()
    report = profile(args.catalog, args.top, args.sort)
    sys.stdout.write(report)


if __name__ == "__main__":
    main()
