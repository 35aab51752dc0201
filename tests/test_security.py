"""One test per promise of docs/security.md: what xpcli reads, where it writes, what a pull
request can and cannot make it do. The section names follow the page's."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import NEWBORN, git, runner
from xpcli.cli import app
from xpcli.loader import MAX_FOLDER_DEPTH
from xpcli.validate import validate

NOBODY = 65534
# xpcli in a process of its own, for the cases that would hang the test process on failure.
XPCLI = [sys.executable, "-c", "from xpcli.cli import main; main()"]


def problems(root: Path) -> list[tuple[str, str]]:
    """(code, file) of every error, in order."""
    report = validate(root).report
    return [(d.code, d.location.file) for d in report.diagnostics if d.severity == "error"]


def validate_cli(root: Path, *extra: str) -> tuple[int, str]:
    result = runner.invoke(app, ["validate", str(root), "--lang", "en", *extra])
    return result.exit_code, result.output


def unprivileged(function: Callable[..., Any], *args: Any) -> Any:
    """`function(*args)` without root's power to read through any permission.

    CI runs the tests as root, and root ignores `chmod 000`. So, as root, the function runs in
    a forked child that has become `nobody` (uid/gid 65534), and its result comes back pickled;
    as any other user it simply runs here. Either way the permission bits really apply."""
    if os.geteuid() != 0:
        return function(*args)
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():  # Python 3.12+ warns when forking with threads alive
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through the pipe
        try:
            # Python's own files are often under /root (0700): import what a command needs
            # while still root, since `nobody` could not (typer imports lazily when parsing).
            runner.invoke(app, ["validate", str(NEWBORN), "--lang", "en", "--strict"])
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            outcome: tuple[str, Any] = ("ok", function(*args))
        except BaseException as exc:
            outcome = ("raised", repr(exc))
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(pickle.dumps(outcome))
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    kind, value = pickle.loads(data)
    assert kind == "ok", value
    return value


@pytest.fixture
def shared_catalog() -> Iterator[Path]:
    """A catalog copy that `nobody` can read (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="xpcli-security-"))
    folder.chmod(0o755)
    root = folder / "catalog"
    shutil.copytree(NEWBORN, root)
    for directory, _, names in os.walk(root):
        os.chmod(directory, 0o755)
        for name in names:
            os.chmod(Path(directory, name), 0o644)
    yield root
    for directory, _, _ in os.walk(folder):
        os.chmod(directory, 0o755)
    shutil.rmtree(folder)


MATTER = (NEWBORN / "matters").glob("*.yaml")


def a_matter(root: Path) -> Path:
    return sorted((root / "matters").rglob("*.yaml"))[0]


# ---------------------------------------------------------------- reading: only the catalog


def test_a_symlink_out_of_the_catalog_is_not_read(catalog_dir: Path, tmp_path: Path) -> None:
    """A valid matter outside the catalog, linked in, is neither validated nor exported."""
    outside = tmp_path / "outside.yaml"
    shutil.copy(a_matter(catalog_dir), outside)
    matter = a_matter(catalog_dir)
    matter.unlink()
    matter.symlink_to(outside)
    (catalog_dir / "matters" / "passwd.yaml").symlink_to("/etc/passwd")
    found = problems(catalog_dir)
    rel = matter.relative_to(catalog_dir).as_posix()
    assert ("outside-catalog", rel) in found
    assert ("outside-catalog", "matters/passwd.yaml") in found
    code, output = validate_cli(catalog_dir)
    assert code == 1
    assert "/etc/passwd, outside the catalog: not read" in output
    assert "root:" not in output


def test_a_symlink_inside_the_catalog_is_read(catalog_dir: Path) -> None:
    matter = a_matter(catalog_dir)
    kept = catalog_dir / "shared" / matter.name
    kept.parent.mkdir()
    matter.rename(kept)
    matter.symlink_to(os.path.relpath(kept, matter.parent))
    assert problems(catalog_dir) == []


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/stdin"])
def test_a_device_is_never_opened(catalog_dir: Path, device: str) -> None:
    """A link to /dev/zero would read until memory runs out: it leaves the catalog."""
    (catalog_dir / "matters" / "zero.yaml").symlink_to(device)
    assert ("outside-catalog", "matters/zero.yaml") in problems(catalog_dir)


def test_a_fifo_is_never_opened(catalog_dir: Path) -> None:
    """Opening a FIFO for reading blocks until a writer comes: validate would hang."""
    os.mkfifo(catalog_dir / "matters" / "pipe.yaml")
    assert problems(catalog_dir) == [("not-regular-file", "matters/pipe.yaml")]
    code, output = validate_cli(catalog_dir)
    assert code == 1 and "not a regular file but a named pipe (FIFO)" in output


def test_a_socket_is_never_opened(catalog_dir: Path) -> None:
    path = catalog_dir / "matters" / "s.yaml"
    if len(str(path)) > 100:  # AF_UNIX paths are limited to ~108 bytes
        pytest.skip("temporary path too long for a unix socket")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        assert problems(catalog_dir) == [("not-regular-file", "matters/s.yaml")]


def test_a_device_node_inside_the_catalog_is_never_opened(catalog_dir: Path) -> None:
    node = catalog_dir / "matters" / "null.yaml"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # /dev/null's numbers
    except PermissionError:
        pytest.skip("mknod needs root (CI runs as root)")
    assert problems(catalog_dir) == [("not-regular-file", "matters/null.yaml")]


def test_a_dangling_symlink_is_named(catalog_dir: Path) -> None:
    (catalog_dir / "matters" / "gone.yaml").symlink_to("nowhere.yaml")
    (catalog_dir / "matters" / "loop.yaml").symlink_to("loop.yaml")
    found = problems(catalog_dir)
    assert ("broken-link", "matters/gone.yaml") in found
    assert ("broken-link", "matters/loop.yaml") in found


def test_matters_linked_to_the_root_is_not_walked(catalog_dir: Path) -> None:
    shutil.rmtree(catalog_dir / "matters")
    (catalog_dir / "matters").symlink_to("/")
    found = problems(catalog_dir)
    assert ("outside-catalog", "matters") in found
    assert not any(file.startswith("matters/") for _, file in found)


def test_a_symlinked_folder_is_not_followed(catalog_dir: Path, tmp_path: Path) -> None:
    (catalog_dir / "matters" / "loop").symlink_to("..")
    (tmp_path / "elsewhere").mkdir()
    (catalog_dir / "events" / "more").symlink_to(tmp_path / "elsewhere")
    found = problems(catalog_dir)
    assert ("symlinked-folder", "matters/loop") in found
    assert ("outside-catalog", "events/more") in found


def test_catalog_yaml_that_is_a_folder_is_not_called_missing(catalog_dir: Path) -> None:
    (catalog_dir / "catalog.yaml").unlink()
    (catalog_dir / "catalog.yaml").mkdir()
    found = problems(catalog_dir)
    assert ("not-regular-file", "catalog.yaml") in found
    assert ("missing-file", "catalog.yaml") not in found
    assert "not a regular file but a folder" in validate_cli(catalog_dir)[1]


def test_matters_that_is_a_file_is_reported(catalog_dir: Path) -> None:
    shutil.rmtree(catalog_dir / "matters")
    (catalog_dir / "matters").write_text("oops")
    assert ("not-a-folder", "matters") in problems(catalog_dir)


def test_folders_nested_too_deep_are_reported_not_walked(catalog_dir: Path) -> None:
    deep = catalog_dir / "matters" / "/".join("d" * (MAX_FOLDER_DEPTH + 5))
    deep.mkdir(parents=True)
    (deep / "x.yaml").write_text("id: x\n")
    too_deep = "matters/" + "/".join("d" * (MAX_FOLDER_DEPTH + 1))
    assert ("folder-too-deep", too_deep) in problems(catalog_dir)


def test_an_oversized_file_is_not_read_whole(catalog_dir: Path) -> None:
    big = catalog_dir / "matters" / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(6 * 1024 * 1024 * 1024)  # 6 GiB, sparse: reading it would be fatal
    assert problems(catalog_dir) == [("file-too-large", "matters/big.yaml")]


# ---------------------------------------------------------------- permissions (root dropped)


def _validate_codes(root: str) -> tuple[list[tuple[str, str]], int, str]:
    code, output = validate_cli(Path(root), "--strict")
    return problems(Path(root)), code, output


def test_an_unreadable_folder_is_an_error(shared_catalog: Path) -> None:
    """Skipped without a word before: validate --strict passed, export lost its records."""
    hidden = shared_catalog / "matters" / "health"
    hidden.mkdir()
    shutil.move(a_matter(shared_catalog), hidden / a_matter(shared_catalog).name)
    hidden.chmod(0o000)
    found, code, output = unprivileged(_validate_codes, str(shared_catalog))
    assert ("unreadable-folder", "matters/health") in found
    assert code == 1
    assert "matters/health" in output and "cannot read the folder: Permission denied" in output


def test_an_unreadable_file_is_an_error(shared_catalog: Path) -> None:
    a_matter(shared_catalog).chmod(0o000)
    found, code, _ = unprivileged(_validate_codes, str(shared_catalog))
    rel = a_matter(shared_catalog).relative_to(shared_catalog).as_posix()
    assert found == [("unreadable-file", rel)]
    assert code == 1


def test_the_permission_helper_really_drops_root(shared_catalog: Path) -> None:
    """Guards the two tests above: as root they would pass vacuously without the drop."""
    secret = shared_catalog / "secret"
    secret.write_text("x")
    secret.chmod(0o000)

    def can_read(path: str) -> bool:
        try:
            Path(path).read_text()
        except PermissionError:
            return False
        return True

    assert unprivileged(can_read, str(secret)) is False


# ---------------------------------------------------------------- the export is built from it


def test_export_never_publishes_an_outside_matter(catalog_dir: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    shutil.copy(a_matter(catalog_dir), outside)
    a_matter(catalog_dir).unlink()
    first = sorted((NEWBORN / "matters").rglob("*.yaml"))[0]
    (catalog_dir / first.relative_to(NEWBORN)).symlink_to(outside)
    result = runner.invoke(
        app, ["export", "-c", str(catalog_dir), "-o", str(tmp_path / "api"), "--lang", "en"]
    )
    assert result.exit_code == 1
    assert not (tmp_path / "api").exists()
    assert json.dumps("outside-catalog") in json.dumps([c for c, _ in problems(catalog_dir)])


# ---------------------------------------------------------------- templates and the fetcher


def build_handbook(catalog: Path, output: Path, *extra: str) -> tuple[int, str]:
    result = runner.invoke(
        app,
        ["build-handbook", "-c", str(catalog), "-o", str(output), "--lang", "en", *extra],
    )
    return result.exit_code, result.output


def test_templates_linked_out_of_the_catalog_are_refused(tmp_path: Path) -> None:
    """`catalog/templates -> ..` would widen the sandbox to the repository and its .git."""
    repo = tmp_path / "repo"
    shutil.copytree(NEWBORN, repo / "catalog")
    (repo / ".git").mkdir()
    (repo / ".git" / "config").write_text("[http]\n\textraheader = AUTHORIZATION: token SECRET\n")
    (repo / "handbook.html.j2").write_text('<html><body>{% include ".git/config" %}</body></html>')
    (repo / "catalog" / "templates").symlink_to("..")
    code, output = build_handbook(repo / "catalog", tmp_path / "out.pdf", "--html", "out.html")
    assert code == 2
    assert "outside the catalog" in output and "SECRET" not in output
    assert not (tmp_path / "out.pdf").exists()


def test_a_template_linked_out_of_its_folder_is_not_read(catalog_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("SECRET")
    templates = catalog_dir / "templates"
    templates.mkdir()
    (templates / "handbook.html.j2").symlink_to(tmp_path / "secret.txt")
    code, output = build_handbook(catalog_dir, tmp_path / "out.pdf")
    assert code == 2 and "SECRET" not in output
    assert not (tmp_path / "out.pdf").exists()


def test_a_fifo_template_does_not_hang_the_build(catalog_dir: Path, tmp_path: Path) -> None:
    templates = catalog_dir / "templates"
    templates.mkdir()
    os.mkfifo(templates / "handbook.html.j2")
    done = subprocess.run(
        [
            *XPCLI,
            "build-handbook",
            "-c",
            str(catalog_dir),
            "-o",
            str(tmp_path / "o.pdf"),
            "--lang",
            "en",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert not (tmp_path / "o.pdf").exists()
    assert "handbook.html.j2" in done.stderr and "not a regular file" in done.stderr


SVG_WITH_URL = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">'
    '<image href="{url}" width="10" height="10"/></svg>'
)


@pytest.mark.parametrize("url", ["https://example.com/x.png", "file:///etc/passwd"])
def test_a_url_inside_an_svg_image_fails_the_build(
    catalog_dir: Path, tmp_path: Path, url: str
) -> None:
    """WeasyPrint only warns when an SVG's own fetch is refused, and drops the image; the
    docs promise exit 2 for any refused resource, so the build fails (nothing was fetched)."""
    templates = catalog_dir / "templates"
    templates.mkdir()
    (templates / "logo.svg").write_text(SVG_WITH_URL.format(url=url))
    (templates / "handbook.html.j2").write_text(
        '<html lang="zh"><body><p>手册</p><img src="logo.svg" alt="logo"></body></html>'
    )
    code, output = build_handbook(catalog_dir, tmp_path / "out.pdf")
    assert code == 2, output
    assert f"not fetched: {url}" in output
    assert not (tmp_path / "out.pdf").exists()


# ---------------------------------------------------------------- new records


def new_matter(catalog: Path, *extra: str) -> tuple[int, str]:
    result = runner.invoke(
        app, ["new", "matter", "fresh-matter", "-c", str(catalog), "--lang", "en", *extra]
    )
    return result.exit_code, result.output


def test_new_matter_when_matters_is_a_file_says_so(catalog_dir: Path) -> None:
    shutil.rmtree(catalog_dir / "matters")
    (catalog_dir / "matters").write_text("a file")
    code, output = new_matter(catalog_dir)
    assert code == 2
    assert "is not a folder" in output and "already exists" not in output
    assert (catalog_dir / "matters").read_text() == "a file"


def test_new_matter_never_writes_through_a_symlink(catalog_dir: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (catalog_dir / "matters" / "health").symlink_to(outside)
    code, output = new_matter(catalog_dir, "--department", "health")
    assert code == 2 and "is not a folder" in output
    shutil.rmtree(catalog_dir / "events")
    (catalog_dir / "events").symlink_to(outside)
    result = runner.invoke(app, ["new", "event", "fresh", "-c", str(catalog_dir), "--lang", "en"])
    assert result.exit_code == 2
    assert list(outside.iterdir()) == []


# ---------------------------------------------------------------- diff reads git, carefully


def git_repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(NEWBORN, root / "catalog")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    git(root, "tag", "base")
    return root


def diff_cli(root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["diff", *args, "--catalog", str(root / "catalog"), "--lang", "en"])
    return result.exit_code, result.output


def test_diff_never_writes_outside_its_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """git accepts a tree entry named `..`; written naively it lands anywhere."""
    root = git_repo(tmp_path)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    blob = git(root, "hash-object", "-w", "--stdin", input="pwned\n")
    payload = git(root, "mktree", input=f"100644 blob {blob}\tpwned.txt\n")
    up_one = git(root, "mktree", input=f"040000 tree {payload}\t..\n")
    up_two = git(root, "mktree", input=f"040000 tree {up_one}\t..\n")
    catalog_entries = git(root, "ls-tree", "base:catalog")
    evil_catalog = git(root, "mktree", input=f"{catalog_entries}\n040000 tree {up_two}\t..\n")
    top = git(root, "mktree", input=f"040000 tree {evil_catalog}\tcatalog\n")
    evil = git(root, "commit-tree", top, "-p", "base", "-m", "crafted")
    code, output = diff_cli(root, "base", evil)
    assert code == 2
    assert "not plain names" in output and "../../pwned.txt" in output
    everything = [p.name for p in tmp_path.rglob("*")]
    assert "pwned.txt" not in everything


def test_diff_reports_a_missing_object(tmp_path: Path) -> None:
    """A shallow or damaged clone: a message and exit 2, not an IndexError."""
    root = git_repo(tmp_path)
    sha = git(root, "rev-parse", "base:catalog/catalog.yaml")
    (root / ".git" / "objects" / sha[:2] / sha[2:]).unlink()
    code, output = diff_cli(root, "base")
    assert code == 2
    assert f"git object {sha} (catalog.yaml) is missing" in output
    assert "Traceback" not in output


def test_diff_checks_sizes_before_reading(tmp_path: Path) -> None:
    root = git_repo(tmp_path)
    big = root / "catalog" / "matters" / "big.yaml"
    big.write_bytes(b"# " + b"x" * (6 * 1024 * 1024) + b"\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "big")
    git(root, "tag", "big")
    code, output = diff_cli(root, "base", "big")
    assert code == 2
    assert "head (" in output and "matters/big.yaml is 6291459 bytes, over the 5 MiB" in output


def test_diff_limits_the_whole_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from xpcli import gitread

    root = git_repo(tmp_path)
    monkeypatch.setattr(gitread, "MAX_TOTAL_BYTES", 1000)
    code, output = diff_cli(root, "base")
    assert code == 2 and "over the limit of 1000 bytes" in output


def test_diff_names_dubious_ownership(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """git refuses a repository another user owns; that is not "not a git repository"."""
    if os.geteuid() != 0:
        pytest.skip("making a repository owned by another user needs root (CI runs as root)")
    root = git_repo(tmp_path)
    for directory, _, names in os.walk(root):
        os.chown(directory, NOBODY, NOBODY)
        for name in names:
            os.chown(Path(directory, name), NOBODY, NOBODY)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    code, output = diff_cli(root, "base")
    assert code == 2
    assert "dubious ownership" in output
    assert f"git config --global --add safe.directory {root}" in output
    assert "not inside a git repository" not in output


# ---------------------------------------------------------------- bounded YAML, sandbox, temp


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a: &x [1]\nb: *x\n", "anchor-alias"),
        ("name: " + "[" * 200 + "]" * 200 + "\n", "too-deep"),
        ("steps:\n" + "  - a\n" * 100_001, "too-many-items"),
    ],
    ids=["alias", "deep", "many"],
)
def test_yaml_is_bounded(catalog_dir: Path, text: str, code: str) -> None:
    (catalog_dir / "matters" / "hostile.yaml").write_text(text)
    assert (code, "matters/hostile.yaml") in problems(catalog_dir)


def test_templates_run_in_the_sandbox(tmp_path: Path) -> None:
    import jinja2

    from xpcli.handbook.pdf import environment

    (tmp_path / "t.j2").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    (tmp_path / "name.j2").write_text("{{ name }}")
    env = environment([tmp_path])
    with pytest.raises(Exception) as caught:
        env.get_template("t.j2").render()
    assert "unsafe" in str(caught.value) or "SecurityError" in type(caught.value).__name__
    assert env.get_template("name.j2").render(name="<script>") == "&lt;script&gt;"
    (tmp_path / "climb.j2").write_text('{% include "../secret" %}')
    (tmp_path.parent / "secret").write_text("SECRET")
    with pytest.raises(jinja2.TemplateNotFound):  # a name that climbs out of its folder
        env.get_template("climb.j2").render()


def test_diff_leaves_no_temporary_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = git_repo(tmp_path)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    (root / "catalog" / "departments.yaml").write_text(
        (root / "catalog" / "departments.yaml").read_text().replace("公安局", "公安分局")
    )
    assert diff_cli(root, "base")[0] in (0, 1)
    assert list(scratch.iterdir()) == []


# ---------------------------------------------------------------- file-system shapes, fuzzed

# Each shape a pull request (or a clerk's disk) can put at matters/NAME.yaml, and the error it
# must give; None: read as a normal file.
SHAPES: dict[str, str | None] = {
    "valid copy": None,
    "symlink inside": None,
    "symlink out": "outside-catalog",
    "symlink to /dev/zero": "outside-catalog",
    "dangling symlink": "broken-link",
    "symlink loop": "broken-link",
    "fifo": "not-regular-file",
    "folder named .yaml": None,  # a folder is walked like any sub-folder
    "symlink to a folder": "symlinked-folder",
    "empty file": "empty-file",
}


def make_shape(root: Path, name: str, shape: str) -> Path:
    path = root / "matters" / f"{name}.yaml"
    source = a_matter(root)
    if shape == "valid copy":
        path.write_bytes(source.read_bytes())
    elif shape == "symlink inside":
        path.symlink_to(source.name)
    elif shape == "symlink out":
        path.symlink_to(NEWBORN / "catalog.yaml")
    elif shape == "symlink to /dev/zero":
        path.symlink_to("/dev/zero")
    elif shape == "dangling symlink":
        path.symlink_to("nowhere.yaml")
    elif shape == "symlink loop":
        path.symlink_to(path.name)
    elif shape == "fifo":
        os.mkfifo(path)
    elif shape == "folder named .yaml":
        path.mkdir()
    elif shape == "symlink to a folder":
        path.symlink_to(".")
    elif shape == "empty file":
        path.write_bytes(b"")
    return path


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.sampled_from(sorted(SHAPES)), min_size=1, max_size=5))
def test_any_mix_of_shapes_is_reported_and_never_hangs(tmp_path: Path, shapes: list[str]) -> None:
    root = Path(tempfile.mkdtemp(dir=tmp_path)) / "catalog"
    shutil.copytree(NEWBORN, root)
    for i, shape in enumerate(shapes):
        make_shape(root, f"shape-{i}", shape)
    result = runner.invoke(app, ["validate", str(root), "--format", "json", "--lang", "en"])
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    for i, shape in enumerate(shapes):
        expected = SHAPES[shape]
        here = {d["code"] for d in report["diagnostics"] if d["file"] == f"matters/shape-{i}.yaml"}
        if expected is not None:
            assert expected in here, (shape, report["diagnostics"])
        elif shape == "symlink inside":
            assert not {"outside-catalog", "broken-link", "not-regular-file"} & here


# ---------------------------------------------------------------- the CLI's path arguments


def path_argument(tmp_path: Path, catalog: Path, kind: str) -> str:
    """A hostile or mistyped value for a path option."""
    if kind == "empty":
        return ""
    if kind == "dot":
        return "."
    if kind == "catalog":
        return str(catalog)
    if kind == "file":
        (tmp_path / "a-file").write_text("keep")
        return str(tmp_path / "a-file")
    if kind == "symlink to folder":
        (tmp_path / "folder").mkdir(exist_ok=True)
        (tmp_path / "folder" / "keep").write_text("keep")
        (tmp_path / "link").symlink_to(tmp_path / "folder")
        return str(tmp_path / "link")
    if kind == "dangling symlink":
        (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
        return str(tmp_path / "dangling")
    if kind == "fifo":
        os.mkfifo(tmp_path / "fifo")
        return str(tmp_path / "fifo")
    if kind == "under a file":
        (tmp_path / "a-file").write_text("keep")
        return str(tmp_path / "a-file" / "out")
    raise AssertionError(kind)


KINDS = ["empty", "dot", "catalog", "file", "symlink to folder", "dangling symlink", "fifo",
         "under a file"]  # fmt: skip
COMMANDS = {
    "export -o": ["export", "-c", "{catalog}", "-o", "{value}"],
    "build-handbook -o": ["build-handbook", "-c", "{catalog}", "-o", "{value}"],
    "build-handbook --html": ["build-handbook", "-c", "{catalog}", "--html", "{value}"],
    "validate DIR": ["validate", "{value}"],
    "export --catalog": ["export", "-c", "{value}", "-o", "{out}"],
    "init DIR": ["init", "{value}"],
    "new --catalog": ["new", "matter", "fresh", "-c", "{value}"],
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_path_arguments_never_lose_files_or_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, kind: str
) -> None:
    """Every path option, given every bad shape: exit 0, 1 or 2 with a message, no traceback,
    no file that existed before is changed or gone (outputs written anew are allowed)."""
    work = tmp_path / "work"
    catalog = work / "catalog"
    shutil.copytree(NEWBORN, catalog)
    (work / ".git").mkdir()
    (work / ".git" / "config").write_text("[core]\n")
    monkeypatch.chdir(work)
    value = path_argument(work, catalog, kind)
    before = snapshot(tmp_path)
    args = [a.format(catalog=catalog, value=value, out=tmp_path / "out") for a in COMMANDS[command]]
    if "build-handbook" in command and kind in ("empty", "dot", "catalog", "symlink to folder"):
        args += ["-o", str(tmp_path / "out.pdf")] if "--html" in command else []
    result = runner.invoke(app, [*args, "--lang", "en"])
    assert result.exit_code in (0, 1, 2), result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    after = snapshot(tmp_path)
    if command.startswith("build-handbook") and kind == "file":
        # a file that is not already a PDF (or HTML) is not the handbook: refused, kept
        assert result.exit_code == 2, result.output
        assert "not overwritten" in result.output
    assert {k: v for k, v in after.items() if k in before} == before
    assert set(before) <= set(after)


def snapshot(folder: Path) -> dict[str, bytes]:
    found = {}
    for directory, _, names in os.walk(folder):
        for name in names:
            path = Path(directory, name)
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[rel] = b"-> " + os.readlink(path).encode()
            elif path.is_file():
                found[rel] = path.read_bytes()
            else:
                found[rel] = b"(special)"
    return found
