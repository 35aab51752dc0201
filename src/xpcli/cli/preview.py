"""`xpcli preview`: serve a built site on 127.0.0.1 for a quick look."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xpcli.cli.app import LangOption, app, language_of, out
from xpcli.messages import say


@app.command()
def preview(
    folder: Annotated[Path, typer.Argument(help="A folder written by build-site.")] = Path(
        "dist/site"
    ),
    port: Annotated[
        int, typer.Option("--port", "-p", min=0, max=65535, help="Port (0: any free one).")
    ] = 8000,
    lang: LangOption = None,
) -> None:
    """Serve a built site on 127.0.0.1 (loopback only) at the path of its base address, as
    the web server will; Ctrl-C stops it.

    Example: xpcli preview dist/site --port 8000
    """
    from xpcli.site.serve import open_server

    language = language_of(lang)
    server = open_server(folder, port)
    with server:
        out.print(say("preview-serving", language, path=folder, url=server.url), markup=False)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            out.print(say("preview-stopped", language))
