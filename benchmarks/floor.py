"""The floor for `xpcli validate`: read and parse the same files with libyaml alone.

Finds the files the way xpcli does (catalog.yaml, departments.yaml, materials.yaml,
matters/**/*.yaml, events/**/*.yaml), decodes them as UTF-8 and loads each with
`yaml.CSafeLoader`: no schema, no rules, no positions. Any real validator must at least do this.

    python benchmarks/floor.py CATALOG
"""

from __future__ import annotations

import os
import sys

import yaml


def files(root: str) -> list[str]:
    found = [
        os.path.join(root, name) for name in ("catalog.yaml", "departments.yaml", "materials.yaml")
    ]
    for folder in ("matters", "events"):
        for directory, subdirs, names in os.walk(os.path.join(root, folder)):
            subdirs.sort()
            found.extend(os.path.join(directory, n) for n in sorted(names) if n.endswith(".yaml"))
    return found


def main() -> None:
    root = sys.argv[1]
    count = 0
    for path in files(root):
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8")
        yaml.load(text, Loader=yaml.CSafeLoader)
        count += 1
    print(f"parsed {count} file(s)")


if __name__ == "__main__":
    main()
