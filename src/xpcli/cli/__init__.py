"""The command line: `xpcli.cli:main`. Each command is a module of this package; importing
it registers the command on `app`."""

from xpcli.cli import (  # noqa: F401  (each import registers its commands)
    diff,
    export,
    handbook,
    import_,
    ledger,
    listing,
    preview,
    scaffold,
    schema,
    show,
    site,
    stats,
    validate,
)
from xpcli.cli.app import app, main

__all__ = ["app", "main"]
