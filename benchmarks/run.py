"""xpcli benchmarks: whole processes, medians of several runs, peak memory, targets met or missed.

    .venv/bin/python benchmarks/run.py          # make bench: full run, writes docs/performance.md
    .venv/bin/python benchmarks/run.py --quick  # smoke test: N=200 and 1,000, one run each
    .venv/bin/python benchmarks/run.py --only handbook   # one task (see TASKS); no docs written

Synthetic catalogs are generated into benchmarks/out/ (gitignored) when missing. Every figure
is the wall-clock time of a whole process (interpreter start, imports, reading the files) as a
user or CI sees it; peak memory is the larger of the biggest process's peak RSS and the peak of
the process tree's summed PSS (the handbook uses three processes). See README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
BIN = Path(sys.executable).parent  # the venv's bin: xpcli and check-jsonschema live beside python
DEFAULT_CATALOG = ROOT / "catalog"
DOC = ROOT / "docs" / "performance.md"
GNU_TIME = "/usr/bin/time"

sys.path.insert(0, str(HERE))
from generate import GENERATOR_VERSION, generate  # noqa: E402

# Targets of issues 8 and 14.
VALIDATE_FLOOR_RATIO = 1.0
EXPORT_SECONDS = 5.0
EXPORT_AIM_SECONDS = 3.0
EXPORT_MB = 500.0
HANDBOOK_SECONDS = 10.0
HANDBOOK_AIM_SECONDS = 5.0
HANDBOOK_MB = 400.0
COUNTY_MATTERS = 2_000  # a county's complete guide book (办事指南汇编)
COUNTY_SECONDS = 180.0
COUNTY_MB = 1_536.0


# ---------------------------------------------------------------------------------------------
# Measuring one process


def child_env() -> dict[str, str]:
    """The environment of every measured process.

    Bytecode is cached under benchmarks/out/pycache (PYTHONPYCACHEPREFIX) even where
    PYTHONDONTWRITEBYTECODE is set, so that no run pays for compiling xpcli's sources, as no
    installed copy would; nothing is written beside the sources.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
    return env


@dataclass
class Sample:
    seconds: float
    peak_kb: int
    returncode: int
    output: str  # tail of stdout + stderr, for error notes


def _tool(name: str) -> str:
    candidate = BIN / name
    return str(candidate) if candidate.exists() else (shutil.which(name) or name)


def run_once(cmd: list[str], cwd: Path | None = None) -> Sample:
    """Run `cmd` once; wall-clock seconds and its peak memory: the larger of the biggest
    process's peak RSS (GNU time, or `os.wait4`) and the peak of the whole process tree's
    summed PSS (sampled: `TreeMemory`). The handbook runs in three processes; forked workers share
    pages with their parent, which PSS counts once, where a sum of RSS would count it thrice.
    """
    with tempfile.TemporaryFile() as log, TreeMemory() as tree:
        if os.access(GNU_TIME, os.X_OK):
            with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
                start = time.perf_counter()
                proc = subprocess.Popen(
                    [GNU_TIME, "-v", "-o", report.name, *cmd],
                    cwd=cwd,
                    env=child_env(),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
                tree.watch(proc.pid)
                code = proc.wait()
                seconds = time.perf_counter() - start
                text = report.read()
            found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
            peak = int(found.group(1)) if found else 0
        else:
            start = time.perf_counter()
            child = subprocess.Popen(
                cmd, cwd=cwd, env=child_env(), stdout=log, stderr=subprocess.STDOUT
            )
            tree.watch(child.pid)
            _, status, usage = os.wait4(child.pid, 0)
            seconds = time.perf_counter() - start
            code = os.waitstatus_to_exitcode(status)
            child.returncode = code
            peak = usage.ru_maxrss  # kilobytes on Linux
        log.seek(0)
        output = log.read()[-2000:].decode("utf-8", "replace")
    return Sample(seconds, max(peak, tree.peak_kb), code, output)


class TreeMemory:
    """The peak of a process tree's summed proportional set size (kB), sampled in a thread
    (memory of a long run changes slowly: it is sampled less often as the run goes on)."""

    def __init__(self) -> None:
        import threading

        self.peak_kb = 0
        self.root = 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        return self

    def watch(self, pid: int) -> None:
        self.root = pid
        self.thread.start()

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        if self.thread.is_alive():
            self.thread.join()

    def _sample(self) -> None:
        # Reading smaps_rollup walks a process's page tables: every 50 ms it made the
        # 2,000-matter book 16 s slower (200 s against 184 s sampling every 0.2 s). So every
        # 50 ms for the first seconds, then less often as the run goes on (at most every 1 s).
        start = time.perf_counter()
        while not self.done.wait(min(1.0, 0.05 + (time.perf_counter() - start) / 30)):
            self.peak_kb = max(self.peak_kb, sum(_pss(p) for p in _tree(self.root)))


def _tree(pid: int) -> list[int]:
    found = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                for child in handle.read().split():
                    found.extend(_tree(int(child)))
    except OSError:  # gone, or not Linux
        pass
    return found


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


@dataclass
class Result:
    task: str
    n: str
    command: list[str]
    samples: list[Sample] = field(default_factory=list)
    note: str = ""
    skipped: str = ""  # reason, when not measured
    ratio: str = ""
    target: str = ""
    verdict: str = ""

    @property
    def seconds(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def best(self) -> float:
        return min(s.seconds for s in self.samples)

    @property
    def peak_mb(self) -> float:
        return max(s.peak_kb for s in self.samples) / 1024

    @property
    def failed(self) -> bool:
        return any(s.returncode != 0 for s in self.samples)


Command = list[str] | Callable[[int], list[str]]


@dataclass
class Job:
    """One row of the table: a command, or batches of one command whose seconds add up."""

    task: str
    n: str
    commands: list[Command]  # usually one; several when the argument list had to be split
    cwd: Path | None = None
    note: str = ""

    def run(self, k: int) -> Sample:
        samples = []
        for command in self.commands:
            argv = command(k) if callable(command) else command
            os.sync()  # the previous run's writes are not flushed on this run's clock
            samples.append(run_once(argv, self.cwd))
            if samples[-1].returncode != 0:
                break
        return Sample(
            sum(s.seconds for s in samples),
            max(s.peak_kb for s in samples),
            next((s.returncode for s in samples if s.returncode != 0), 0),
            samples[-1].output,
        )


def _wants_more(result: Result, runs: int) -> bool:
    """Up to `runs` runs; three when the first took over 15 s, one when it took over 60 s."""
    if not result.samples:
        return True
    if result.failed:
        return False
    first = result.samples[0].seconds
    limit = 1 if first > 60 else min(runs, 3) if first > 15 else runs
    return len(result.samples) < limit


def measure_together(jobs: list[Job], runs: int) -> list[Result]:
    """Run the jobs in rounds (A B C A B C ...), so that a machine that gets slower or faster
    during the run moves all of them alike and their ratios stay fair."""
    results = []
    for job in jobs:
        first = job.commands[0]
        results.append(Result(job.task, job.n, first(0) if callable(first) else first))
        results[-1].note = job.note
    print("  " + ", ".join(f"{job.task} (N={job.n})" for job in jobs) + " ...", flush=True)
    k = 0
    while any(_wants_more(r, runs) for r in results):
        for job, result in zip(jobs, results, strict=True):
            if _wants_more(result, runs):
                result.samples.append(job.run(k))
        k += 1
    for result in results:
        times = ", ".join(f"{s.seconds:.2f}" for s in result.samples)
        status = "" if not result.failed else f"  exit {result.samples[-1].returncode}"
        print(f"    {result.task}: {times} s, {result.peak_mb:.0f} MB{status}", flush=True)
    return results


def measure(task: str, n: str, cmd: Command, runs: int, cwd: Path | None = None) -> Result:
    """One job alone. `cmd` may be a function of the run's index, e.g. to give each run a fresh
    output folder: deleting thousands of files between runs slows the next run down (discard)."""
    return measure_together([Job(task, n, [cmd], cwd)], runs)[0]


def batched_job(task: str, n: str, head: list[str], files: list[str], cwd: Path) -> Job:
    """`head + files`, split into batches when the argument list would exceed the system's
    limit; the seconds of the batches are added up, the peak is the largest."""
    budget = os.sysconf("SC_ARG_MAX") // 2 - sum(len(k) + len(v) + 2 for k, v in os.environ.items())
    batches: list[list[str]] = [[]]
    size = sum(len(a) + 9 for a in head)
    for name in files:
        cost = len(name.encode()) + 9
        if batches[-1] and size + cost > budget:
            batches.append([])
            size = sum(len(a) + 9 for a in head)
        batches[-1].append(name)
        size += cost
    job = Job(task, n, [head + batch for batch in batches], cwd)
    if len(batches) > 1:
        job.note = (
            f"argument list too long for one process: {len(batches)} batches, seconds added up"
        )
    return job


# ---------------------------------------------------------------------------------------------
# Inputs


def catalog_for(n: int, seed: int) -> Path:
    """benchmarks/out/n<N>, generated unless a complete copy of this generator's output is there."""
    root = OUT / f"n{n}"
    stamp = root / ".generated"
    expected = json.dumps({"n": n, "seed": seed, "generator": GENERATOR_VERSION})
    if stamp.is_file() and stamp.read_text() == expected:
        return root
    print(f"generating N={n:,} into {root.relative_to(ROOT)} ...", flush=True)
    partial = OUT / f".n{n}.partial"
    generate(partial, n, seed)
    (partial / ".generated").write_text(expected)
    if root.exists():
        shutil.rmtree(root)
    partial.rename(root)
    return root


def matter_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "matters").rglob("*.yaml"))


def count_matters(root: Path) -> int:
    return len(list((root / "matters").rglob("*.yaml")))


def pdf_pages(path: Path) -> int | None:
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    try:
        return len(PdfReader(path).pages)
    except Exception:  # a broken PDF is reported by the command's exit status, not here
        return None


def command_exists(subcommand: str) -> bool:
    probe = subprocess.run([_tool("xpcli"), subcommand, "--help"], capture_output=True, check=False)
    return probe.returncode == 0


def fmt_n(n: int | str) -> str:
    return f"{n:,}" if isinstance(n, int) else n


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "(no output)"


# ---------------------------------------------------------------------------------------------
# The benchmark: one function per task, each adding its rows, targets and notes to a Bench


@dataclass
class Bench:
    """What every task reads (sizes, runs, catalogs) and what it adds to the report."""

    sizes: tuple[int, int]
    runs: int
    seed: int
    quick: bool
    xpcli: str = field(default_factory=lambda: _tool("xpcli"))
    catalogs: dict[int, Path] = field(default_factory=dict)
    results: list[Result] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    targets: list[tuple[str, str, str]] = field(default_factory=list)  # (target, verdict, figure)
    missed: set[str] = field(default_factory=set)  # tasks to profile

    def catalog(self, n: int) -> Path:
        if n not in self.catalogs:
            self.catalogs[n] = catalog_for(n, self.seed)
        return self.catalogs[n]

    def target(self, task: str, name: str, value: float | None, limit: float, figure: str) -> str:
        """Record a target `value < limit` (or not measured when value is None); the verdict
        says by how much a missed target is missed."""
        verdict = verdict_of(value, limit)
        self.targets.append((name, verdict, figure))
        if verdict.startswith("missed"):
            self.missed.add(task)
        return verdict

    def failed(self, result: Result, what: str) -> bool:
        """Note a failed command; True when it failed."""
        if not result.failed:
            return False
        result.verdict = "error"
        self.notes.append(
            f"`{what}` exited {result.samples[-1].returncode}: "
            f"{last_line(result.samples[-1].output)}"
        )
        return True


def verdict_of(value: float | None, limit: float) -> str:
    if value is None:
        return "not measured"
    if value <= limit:
        return "met"
    return f"missed by {(value / limit - 1) * 100:.0f}%"


def task_validate(bench: Bench) -> None:
    """validate on both sizes, side by side with the libyaml floor and check-jsonschema."""
    small, large = bench.sizes
    schema_file = OUT / "matter.schema.json"
    schema = subprocess.run([bench.xpcli, "schema", "matter"], capture_output=True, check=True)
    schema_file.write_bytes(schema.stdout)
    peer_ok = (BIN / "check-jsonschema").exists() or shutil.which("check-jsonschema")
    if not peer_ok:
        bench.notes.append("check-jsonschema is not installed: the peer was not measured.")
    by_size: dict[int, dict[str, Result]] = {}
    for n in bench.sizes:
        root = bench.catalog(n)
        print(f"validate, N={n:,}:")
        jobs = [
            Job("xpcli validate", fmt_n(n), [[bench.xpcli, "validate", str(root)]]),
            Job(
                "floor: libyaml CSafeLoader only",
                fmt_n(n),
                [[sys.executable, str(HERE / "floor.py"), str(root)]],
            ),
        ]
        if peer_ok:
            jobs.append(
                batched_job(
                    "peer: check-jsonschema, matter files only",
                    fmt_n(n),
                    [_tool("check-jsonschema"), "--schemafile", str(schema_file)],
                    matter_files(root),
                    cwd=root,
                )
            )
        measured = measure_together(jobs, bench.runs)
        row = dict(zip(("mine", "floor", "peer"), measured, strict=False))
        bench.results += measured
        by_size[n] = row
        mine, floor, peer = row["mine"], row["floor"], row.get("peer")
        if bench.failed(mine, f"xpcli validate (N={n:,})"):
            continue
        ratios = [f"{mine.seconds / floor.seconds:.2f}× floor"]
        floor.ratio = "1.00× floor"
        if peer is not None and not bench.failed(peer, f"check-jsonschema (N={n:,})"):
            ratios.append(f"{mine.seconds / peer.seconds:.2f}× peer")
            peer.ratio = f"{peer.seconds / floor.seconds:.2f}× floor"
        mine.ratio = ", ".join(ratios)
    big = by_size[large]
    mine, floor, peer = big["mine"], big["floor"], big.get("peer")
    if large == 10_000 and not mine.failed:
        ratio = mine.seconds / floor.seconds
        floor_verdict = bench.target(
            "validate",
            f"validate, N=10,000: at most {VALIDATE_FLOOR_RATIO:.1f}× the libyaml floor",
            ratio,
            VALIDATE_FLOOR_RATIO,
            f"{ratio:.2f}× ({mine.seconds:.2f} s vs {floor.seconds:.2f} s)",
        )
        mine.target = f"≤ {VALIDATE_FLOOR_RATIO:.1f}× floor"
        mine.verdict = floor_verdict
        if peer is not None and not peer.failed:
            bench.target(
                "validate",
                "validate, N=10,000: faster than check-jsonschema",
                mine.seconds,
                peer.seconds,
                f"{mine.seconds:.2f} s vs {peer.seconds:.2f} s "
                f"({peer.seconds / mine.seconds:.1f}× faster)",
            )
            mine.target += "; < peer"
    if not by_size[small]["mine"].failed and not mine.failed:
        bench.notes.append(
            f"Growth of `xpcli validate` from N={small:,} to N={large:,} "
            f"({large / small:.0f}× the matters): "
            f"{mine.seconds / by_size[small]['mine'].seconds:.1f}× the time "
            f"(floor: {floor.seconds / by_size[small]['floor'].seconds:.1f}×)."
        )


def task_export(bench: Bench) -> None:
    """export of the large catalog; each run writes a fresh folder (see README.md)."""
    n = bench.sizes[1]
    root = bench.catalog(n)
    print(f"export, N={n:,}:")
    export_root = OUT / "export-tmp"
    shutil.rmtree(export_root, ignore_errors=True)
    export_root.mkdir()

    def export_command(k: int) -> list[str]:
        return [bench.xpcli, "export", "--catalog", str(root), "-o", str(export_root / f"r{k}")]

    export = measure("xpcli export", fmt_n(n), export_command, bench.runs)
    target_dir = export_root / "r0"
    files = sum(1 for p in target_dir.rglob("*") if p.is_file()) if target_dir.exists() else 0
    shutil.rmtree(export_root, ignore_errors=True)
    os.sync()
    time.sleep(5)  # let the deletion's discards settle before the next task
    bench.results.append(export)
    if bench.failed(export, f"xpcli export (N={n:,})"):
        return
    export.note = f"{files:,} files written"
    if n == 10_000:
        export.target = f"< {EXPORT_SECONDS:.0f} s (aim {EXPORT_AIM_SECONDS:.0f} s), "
        export.target += f"< {EXPORT_MB:.0f} MB"
        seconds = bench.target(
            "export",
            f"export, N=10,000: under {EXPORT_SECONDS:.0f} s (aim {EXPORT_AIM_SECONDS:.0f} s)",
            export.seconds,
            EXPORT_SECONDS,
            f"{export.seconds:.2f} s",
        )
        memory = bench.target(
            "export",
            f"export, N=10,000: peak memory under {EXPORT_MB:.0f} MB",
            export.peak_mb,
            EXPORT_MB,
            f"{export.peak_mb:.0f} MB",
        )
        export.verdict = seconds if seconds != "met" else memory


def measure_handbook(bench: Bench, label: str, root: Path, extra: list[str] = ()) -> Result | None:
    """One build-handbook row; None when the command failed (noted)."""
    print(f"build-handbook, {label}:")
    pdf = OUT / "handbook-tmp.pdf"
    pdf.unlink(missing_ok=True)
    command = [bench.xpcli, "build-handbook", "--catalog", str(root), "-o", str(pdf), *extra]
    result = measure("xpcli build-handbook", label, command, bench.runs)
    bench.results.append(result)
    if bench.failed(result, f"xpcli build-handbook ({label})"):
        return None
    pages = pdf_pages(pdf)
    if pages:
        result.note = f"{pages:,} pages"
    pdf.unlink(missing_ok=True)
    return result


def handbook_target(
    bench: Bench, result: Result | None, name: str, seconds: float, mb: float
) -> None:
    if result is None:
        bench.target("handbook", name, None, seconds, "the command failed (see notes)")
        return
    result.target = f"< {seconds:.0f} s, < {mb:.0f} MB"
    time_verdict = bench.target(
        "handbook", f"{name}: under {seconds:.0f} s", result.seconds, seconds,
        f"{result.seconds:.2f} s" + (f", {result.note}" if result.note else ""),
    )  # fmt: skip
    memory_verdict = bench.target(
        "handbook", f"{name}: peak memory under {mb:.0f} MB", result.peak_mb, mb,
        f"{result.peak_mb:.0f} MB",
    )  # fmt: skip
    result.verdict = time_verdict if time_verdict != "met" else memory_verdict


def task_handbook(bench: Bench) -> None:
    """The default catalog's handbook, and a county-size book (every matter's guide)."""
    default_label = f"default ({count_matters(DEFAULT_CATALOG)} matters)"
    default = measure_handbook(bench, default_label, DEFAULT_CATALOG)
    handbook_target(
        bench, default, "handbook of the default catalog", HANDBOOK_SECONDS, HANDBOOK_MB
    )
    if default is not None:
        default.target += f" (aim {HANDBOOK_AIM_SECONDS:.0f} s)"
    n = bench.sizes[0] if bench.quick else COUNTY_MATTERS
    county = measure_handbook(bench, fmt_n(n), bench.catalog(n))
    handbook_target(bench, county, f"handbook, N={n:,}", COUNTY_SECONDS, COUNTY_MB)
    if county is not None and default is not None:
        county.ratio = f"{county.seconds / default.seconds:.1f}× default"
        bench.notes.append(
            f"handbook growth: N={n:,} took {county.seconds / default.seconds:.1f}× the time and "
            f"{county.peak_mb / default.peak_mb:.1f}× the memory of the default catalog "
            f"({count_matters(DEFAULT_CATALOG)} matters)."
        )


SITE_MATTERS = 1_000  # issue 13: build-site timing for the default catalog and 1,000 matters


def task_site(bench: Bench) -> None:
    """build-site (pages, pagefind index, manifest) for the default catalog and 1,000 matters;
    each run writes a fresh folder."""
    site_root = OUT / "site-tmp"
    shutil.rmtree(site_root, ignore_errors=True)
    site_root.mkdir()
    catalogs = [
        (f"default ({count_matters(DEFAULT_CATALOG)} matters)", DEFAULT_CATALOG),
        (fmt_n(SITE_MATTERS), bench.catalog(SITE_MATTERS)),
    ]
    for label, root in catalogs:
        print(f"build-site, {label}:")
        folder = site_root / label.split(" ")[0]

        def command(k: int, root: Path = root, folder: Path = folder) -> list[str]:
            return [bench.xpcli, "build-site", "--catalog", str(root), "-o", f"{folder}-{k}"]

        result = measure("xpcli build-site", label, command, bench.runs)
        bench.results.append(result)
        if bench.failed(result, f"xpcli build-site ({label})"):
            continue
        sizes = [p.stat().st_size for p in Path(f"{folder}-0").rglob("*.html")]
        result.note = f"{len(sizes):,} pages, largest {max(sizes, default=0) / 1024:.0f} KB"
    shutil.rmtree(site_root, ignore_errors=True)


IMPORT_ROWS = 2_000


def task_import(bench: Bench) -> None:
    """xpcli import of a messy 2,000-row 实施清单 (tests/messy_sheet.py: title row, variants,
    extra columns, materials and windows sheets) into a fresh `xpcli init` catalog per run,
    then the same file again into the imported catalog (nothing changes: the re-import cost)."""
    sys.path.insert(0, str(ROOT))
    from tests.messy_sheet import write_xlsx

    work = OUT / "import-tmp"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    sheet = write_xlsx(work / "实施清单.xlsx", IMPORT_ROWS)
    label = fmt_n(IMPORT_ROWS)

    def fresh(k: int) -> list[str]:
        repo = work / f"c{k}"  # `xpcli init` writes a county repository; its catalog/ is used
        shutil.rmtree(repo, ignore_errors=True)
        subprocess.run([bench.xpcli, "init", str(repo)], check=True, capture_output=True)
        catalog = repo / "catalog"
        return [bench.xpcli, "import", str(sheet), "--catalog", str(catalog)]

    print(f"import, {label} rows:")
    first = measure("xpcli import", label, fresh, bench.runs)
    bench.results.append(first)
    if bench.failed(first, f"xpcli import ({label} rows)"):
        return
    imported = work / "c0" / "catalog"
    files = sum(1 for _ in (imported / "matters").rglob("*.yaml"))
    first.note = f"{files:,} matter files written into a fresh catalog"
    print(f"import again, {label} rows:")
    again_command = [bench.xpcli, "import", str(sheet), "--catalog", str(imported)]
    again = measure("xpcli import (again)", label, again_command, bench.runs)
    bench.results.append(again)
    if not bench.failed(again, f"xpcli import again ({label} rows)"):
        again.note = "the same file into the imported catalog: no file changes"
    shutil.rmtree(work, ignore_errors=True)


# Tasks in report order; other tasks add themselves here (name → function of a Bench).
TASKS: dict[str, Callable[[Bench], None]] = {
    "validate": task_validate,
    "export": task_export,
    "handbook": task_handbook,
    "site": task_site,
    "import": task_import,
}


def benchmark(
    sizes: tuple[int, int], runs: int, seed: int, quick: bool, profile: bool, only: list[str]
) -> dict:
    OUT.mkdir(exist_ok=True)
    bench = Bench(sizes, runs, seed, quick)
    for name, task in TASKS.items():
        if not only or name in only:
            task(bench)
    for r in bench.results:
        if r.note.startswith("argument list"):
            bench.notes.append(f"{r.task} (N={r.n}): {r.note}.")
    profiles = profile_missed(bench) if profile and not quick else []
    return {
        "results": bench.results,
        "notes": bench.notes,
        "targets": bench.targets,
        "profiles": profiles,
    }


def profile_missed(bench: Bench) -> list[tuple[str, dict[str, list[dict]]]]:
    """Where the time goes, for each task that missed a target: one run under cProfile."""
    large = bench.sizes[1]
    wanted = {
        "validate": (f"xpcli validate, N={large:,}", ["validate", str(bench.catalog(large))]),
        "export": (
            f"xpcli export, N={large:,}",
            ["export", "--catalog", str(bench.catalog(large)), "-o", str(OUT / "profile-export")],
        ),
        "handbook": (
            "xpcli build-handbook, default catalog",
            ["build-handbook", "--catalog", str(DEFAULT_CATALOG), "-o", str(OUT / "profile.pdf")],
        ),
    }
    profiles = []
    for key in sorted(bench.missed & wanted.keys()):
        title, arguments = wanted[key]
        print(f"profiling {title} (missed its target) ...", flush=True)
        found = profile_command(arguments)
        if found:
            profiles.append((title, found))
    shutil.rmtree(OUT / "profile-export", ignore_errors=True)
    (OUT / "profile.pdf").unlink(missing_ok=True)
    return profiles


def profile_command(arguments: list[str], top: int = 12) -> dict[str, list[dict]]:
    """Top functions by cumulative and by own time under cProfile (benchmarks/profile_cli.py)."""
    proc = subprocess.run(
        [
            sys.executable,
            str(HERE / "profile_cli.py"),
            "--json",
            "--top",
            str(top),
            "--",
            *arguments,
        ],
        capture_output=True,
        env=child_env(),
        check=False,
    )
    if proc.returncode != 0:
        print(f"  profile failed: {last_line(proc.stderr.decode('utf-8', 'replace'))}")
        return {}
    return json.loads(proc.stdout)


# ---------------------------------------------------------------------------------------------
# Reporting


COLUMNS = ("task", "N", "runs", "seconds (median)", "min", "peak MB", "ratio", "target", "result")


def rows(results: list[Result]) -> list[list[str]]:
    out = []
    for r in results:
        if r.skipped:
            out.append([r.task, r.n, "0", "—", "—", "—", "", r.target or "", "not measured"])
            continue
        task = r.task + (f" ({r.note})" if r.note and not r.note.startswith("argument") else "")
        if r.note.startswith("argument"):
            task += " (batched)"
        out.append(
            [
                task,
                r.n,
                str(len(r.samples)),
                f"{r.seconds:.2f}",
                f"{r.best:.2f}",
                f"{r.peak_mb:.0f}",
                r.ratio,
                r.target,
                r.verdict,
            ]
        )
    return out


def text_table(results: list[Result]) -> str:
    body = [list(COLUMNS), *rows(results)]
    widths = [max(_width(row[i]) for row in body) for i in range(len(COLUMNS))]
    lines = []
    for k, row in enumerate(body):
        lines.append(
            "  ".join(
                cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)
            ).rstrip()
        )
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _width(text: str) -> int:
    """Terminal columns: wide (CJK) and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def markdown_table(results: list[Result]) -> str:
    lines = [
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "|".join(["---", "---:", "---:", "---:", "---:", "---:", "---", "---", "---"]) + "|",
    ]
    for row in rows(results):
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    return "\n".join(lines)


def machine() -> dict[str, str]:
    info: dict[str, str] = {}
    cpus = os.cpu_count() or 0
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = cpus
    info["CPUs (nproc)"] = f"{usable}" + (f" of {cpus}" if usable != cpus else "")
    cpuinfo = _read("/proc/cpuinfo")
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    info["CPU model"] = model.group(1).strip() if model else platform.processor() or "unknown"
    meminfo = _read("/proc/meminfo")
    total = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.M)
    info["memory"] = f"{int(total.group(1)) / 1024 / 1024:.1f} GiB" if total else "unknown"
    release = re.search(r'^PRETTY_NAME="?([^"\n]+)', _read("/etc/os-release"), re.M)
    info["system"] = (
        f"{release.group(1) if release else platform.system()}, kernel {platform.release()}"
    )
    info["Python"] = f"{platform.python_version()} ({platform.python_implementation()})"
    versions = []
    for name in (
        "xpcli",
        "PyYAML",
        "jsonschema",
        "jsonschema-rs",
        "check-jsonschema",
        "ruamel.yaml",
        "ruamel.yaml.clib",
        "weasyprint",
    ):
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} not installed")
    info["packages"] = ", ".join(versions)
    try:
        import yaml

        info["libyaml"] = (
            f"{yaml._yaml.get_version_string()} (PyYAML with libyaml: {yaml.__with_libyaml__})"
        )
    except (ImportError, AttributeError):
        info["libyaml"] = "not available"
    info["peak memory from"] = (
        "GNU time (`/usr/bin/time -v`)" if os.access(GNU_TIME, os.X_OK) else "os.wait4 ru_maxrss"
    )
    return info


def _load() -> str:
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "unknown"


def _read(path: str) -> str:
    try:
        return Path(path).read_text("utf-8", "replace")
    except OSError:
        return ""


# Read from profiles of `build-handbook` (benchmarks/profile_cli.py) and the build's progress
# callback; written into docs/performance.md by every full run.
WHERE_HANDBOOK = [
    "The book is laid out in parts (cover and how to use; the contents; the trees; notices, up "
    "to 24 a part; guides, up to 64 a part; a small book's sections in up to 8 smaller parts), "
    "and both cores lay them out at once, each worker taking the "
    "next part as soon as it is free; no part waits for another. Page numbers and crop marks "
    "are a separate folio document (one empty page per book page, in parts of 400) stamped on "
    "the pages at the join, and the gutter is a 2 mm shift of each page at the join, so a "
    "part needs nothing from the parts before it. Only the contents is laid out twice (with "
    "placeholder numbers to count its pages, then with the real ones).",
    "Where the CPU goes, in CPU seconds per part (`resource.getrusage` around WeasyPrint): "
    "a part of 40 compact guides (35 A5 pages) takes 3.4 s to lay out (style cascade, boxes, "
    "line breaking) and 1.1 s to draw and write as tagged PDF, plus 0.2 s folding its plain "
    "tag spans (`tags.compact`); 16 notices (70 pages) 3.1 s + 1.2 s + 0.3 s; each part also "
    "pays 0.1-0.3 s of its own (fonts subset and embedded, style sheets). PDF/UA tagging is "
    "10-20% of a part; QR codes as vector paths 4% (a PNG would save that, not worth losing "
    "the vectors). A county's book is CPU-bound on both cores: about 0.12 s of CPU per guide "
    "and 0.29 s per notice, the contents 8 s twice, the folios 2 s per 400 pages, QR codes "
    "(segno, 4.8 ms each) made by the workers before the layout.",
    "The main process validates, builds the data, renders each part's HTML when a worker is "
    "free, then joins: qpdf (pikepdf) copies one part at a time (its streams' data held in "
    "memory so it can be closed), stamps the folios and moves the pages; about 8 s for a "
    "3,200-page book. Memory: each worker holds one part (387 MB at most); the join "
    "holds the whole book's objects, about 1.6 KB each in qpdf, which is why parts fold the "
    "plain spans WeasyPrint makes for every run of text (half the objects).",
]


# Everything after this line in docs/performance.md is written by hand and kept by every run.
HAND_WRITTEN = "<!-- Below: written by hand, kept by `make bench`. -->"


def write_markdown(
    path: Path,
    report: dict,
    info: dict[str, str],
    args: argparse.Namespace,
    when: str,
    elapsed: float,
) -> None:
    lines = [
        "# Performance",
        "",
        "Written by `make bench` (`benchmarks/run.py`); do not edit by hand, run it again. "
        "How the figures are taken and how to read the ratios: `benchmarks/README.md`.",
        "",
        f"Measured {when}; the whole run took {elapsed / 60:.1f} min.",
        "",
        "## Machine",
        "",
        *(f"- {key}: {value}" for key, value in info.items()),
        "",
        "## Results",
        "",
        f"Whole processes, median of up to {args.runs} runs (fewer for slow commands), "
        f"synthetic catalogs from `benchmarks/generate.py` (seed {args.seed}; about 40 lines per "
        "matter, N/7 events). *floor*: the same files parsed by libyaml alone "
        "(`yaml.CSafeLoader`). *peer*: `check-jsonschema --schemafile matter.schema.json` (the "
        "schema printed by `xpcli schema matter`) over the matter files only (no cross-file "
        "rules; it does less than xpcli). The validate, floor and peer runs of one N alternate "
        "(A B C A B C …), so a machine that changes speed during the run moves them alike.",
        "",
        markdown_table(report["results"]),
        "",
        "## Targets",
        "",
        *(f"- {name}: **{verdict}** — {figure}" for name, verdict, figure in report["targets"]),
        "",
    ]
    lines += ["## Where the time goes: the handbook", "", *WHERE_HANDBOOK, ""]
    if report["notes"]:
        lines += ["## Notes", "", *(f"- {note}" for note in report["notes"]), ""]
    if report["profiles"]:
        lines += [
            "## Where the time goes (missed targets)",
            "",
            "One run of each command under cProfile (`benchmarks/profile_cli.py`): the top "
            "functions by cumulative time, then by own time, CLI framework frames left out. "
            "cProfile slows Python code more than C code: read the shares, not the seconds.",
            "",
        ]
        for title, found in report["profiles"]:
            total = found["cumulative"][0]["total_s"]
            lines += [f"### {title} ({total:.1f} s under the profiler)", ""]
            for order in ("cumulative", "own"):
                lines += [
                    f"| function (by {order} time) | where | calls | cumulative s | own s |",
                    "|---|---|---:|---:|---:|",
                    *(
                        f"| `{r['function']}` | `{r['where']}` | {r['calls']:,} | "
                        f"{r['cumulative_s']:.2f} | {r['own_s']:.2f} |"
                        for r in found[order][1:]
                    ),
                    "",
                ]
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = _read(str(path)).partition(HAND_WRITTEN)[2] if path.is_file() else ""
    if kept:
        lines += [HAND_WRITTEN + kept.rstrip("\n"), ""]
    path.write_text("\n".join(lines), "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke test: N=200 and 1,000, one run each; docs not written",
    )
    parser.add_argument(
        "--runs", type=int, default=None, help="runs per command (default 5; 1 with --quick)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--no-profile", action="store_true", help="do not profile the commands that miss a target"
    )
    parser.add_argument(
        "--doc",
        type=Path,
        default=None,
        help=f"markdown to write (default {DOC.relative_to(ROOT)}; none with --quick)",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=list(TASKS),
        default=[],
        help="run only this task (repeatable); the docs are written only for a full run",
    )
    args = parser.parse_args(argv)
    args.runs = args.runs or (1 if args.quick else 5)
    sizes = (200, 1_000) if args.quick else (1_000, 10_000)
    doc = args.doc or (None if args.quick or args.only else DOC)

    load_before = _load()
    started = time.perf_counter()
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    report = benchmark(sizes, args.runs, args.seed, args.quick, not args.no_profile, args.only)
    elapsed = time.perf_counter() - started
    info = machine()
    info["load average (1 min) before / after"] = f"{load_before} / {_load()}"

    print()
    print(text_table(report["results"]))
    print()
    for name, verdict, figure in report["targets"]:
        print(f"{verdict:>12}  {name}: {figure}")
    for note in report["notes"]:
        print(f"note: {note}")
    (OUT / "results.json").write_text(
        json.dumps(
            {
                "when": when,
                "machine": info,
                "targets": report["targets"],
                "notes": report["notes"],
                "results": [
                    {
                        "task": r.task,
                        "n": r.n,
                        "command": r.command[:6] + (["…"] if len(r.command) > 6 else []),
                        "skipped": r.skipped,
                        "samples": [[s.seconds, s.peak_kb, s.returncode] for s in r.samples],
                    }
                    for r in report["results"]
                ],
            },
            ensure_ascii=False,
            indent=1,
        ),
        "utf-8",
    )
    if doc is not None:
        write_markdown(doc, report, info, args, when, elapsed)
        print(f"wrote {doc}")
    failed = any(r.verdict == "error" for r in report["results"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
