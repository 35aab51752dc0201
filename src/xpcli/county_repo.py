"""A county's own catalog repository, as `xpcli init DIR` writes it: the catalog in `catalog/`,
a `.gitignore`, a pre-commit hook and a GitHub Actions workflow, all pinned to the running
version of xpcli so that the repository works without a hand edit.

The workflow installs xpcli from this project's git tag `v<version>`; the address of the
project is `[project.urls] Source` in xpcli's pyproject.toml, read here from the installed
package's metadata (one home: whoever publishes xpcli sets it there once).
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from xpcli import __version__
from xpcli.scaffold import catalog_files, county_id, init_folder

FALLBACK_SOURCE = "https://github.com/OWNER/xpcli"
# Debian/Ubuntu packages build-handbook needs on the runner: Pango for WeasyPrint, Noto CJK
# for Chinese text, harfbuzz-subset for fast font subsetting (the same as the Makefile's).
HANDBOOK_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk"


def source_url() -> str:
    """Where xpcli's source lives: `[project.urls] Source` of the installed package."""
    try:
        urls = metadata.metadata("xpcli").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "source":
            return url.strip()
    return FALLBACK_SOURCE


def install_spec(version: str = __version__) -> str:
    """The pip requirement of this very version: the git tag `v<version>` of the source."""
    return f"xpcli @ git+{source_url()}@v{version}"


GITIGNORE = """\
# Built by xpcli (handbook, export); rebuilt from catalog/, never committed.
dist/
# Python virtual environments and caches
.venv/
venv/
__pycache__/
"""

PRE_COMMIT = """\
# pre-commit (https://pre-commit.com): validates catalog/ before every commit.
# Set up once: pip install pre-commit && pre-commit install
repos:
  - repo: {source}
    rev: v{version}
    hooks:
      - id: xpcli-validate
        args: [--catalog, catalog, --lang, zh]
"""

WORKFLOW = """\
# 目录检查 · catalog checks (written by xpcli {version}: xpcli init)
# 合并请求：校验目录（错误标注在改动的行上），并把 xpcli diff 的变更说明写入运行摘要。
# 合并到 main 后：生成便民服务手册 PDF 和导出 JSON，作为构件（artifacts）附在运行结果中。
# Pull requests: validate with annotations and summarise the change; pushes to main: build
# the handbook and the export as artifacts.
name: catalog

on:
  pull_request:
  push:
    branches: [main]

permissions:
  contents: read

env:
  XPCLI: "{spec}"
  CATALOG: catalog

jobs:
  check:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    timeout-minutes: 15
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0  # xpcli diff reads the base branch's catalog from git
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: 安装 xpcli · install xpcli
        run: pip install "$XPCLI"
      - name: 校验目录 · validate
        run: xpcli validate --catalog "$CATALOG" --strict --format github --lang zh
      - name: 变更说明 · summarise the change
        if: ${{{{ !cancelled() }}}}
        env:
          BASE: origin/${{{{ github.base_ref }}}}
        run: |
          # Exit 1 (a removed or renamed id, a changed URL template) fails the check. Exit 2
          # means the base cannot be compared (no catalog yet on the first pull request, or a
          # broken main that this pull request repairs): reported, never failed on.
          status=0
          xpcli diff "$BASE" --catalog "$CATALOG" --format markdown --lang zh \\
            > diff.md 2> diff-errors.txt || status=$?
          cat diff.md >> "$GITHUB_STEP_SUMMARY"
          if [ "$status" -eq 2 ]; then
            {{
              echo "### 目录变更"
              echo
              echo "无法与基准版本 $BASE 对比（不影响本次检查）："
              echo
              echo '```'
              cat diff-errors.txt
              echo '```'
            }} >> "$GITHUB_STEP_SUMMARY"
            exit 0
          fi
          cat diff-errors.txt >&2
          exit "$status"

  publish:
    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: 安装 xpcli 与手册所需的系统软件包 · install xpcli and the handbook's packages
        run: |
          sudo apt-get update -qq
          sudo apt-get install -y -qq {packages}
          pip install "$XPCLI"
      - name: 校验目录 · validate
        run: xpcli validate --catalog "$CATALOG" --strict --lang zh
      - name: 生成手册 · build the handbook
        run: xpcli build-handbook --catalog "$CATALOG" -o dist/handbook.pdf --lang zh
      - name: 导出数据 · export
        run: xpcli export --catalog "$CATALOG" -o dist/api --lang zh
      - uses: actions/upload-artifact@v4
        with:
          name: handbook
          path: dist/handbook.pdf
      - uses: actions/upload-artifact@v4
        with:
          name: export
          path: dist/api
"""

README = """\
# {county} 一件事一次办目录

本仓库用 [xpcli]({source}) 维护“一件事一次办”服务目录：`catalog/` 下的 YAML 文件是唯一的数据来源，
便民服务手册（PDF）和网上渠道的数据（JSON）都由它生成。

## 第一次使用

```sh
python3 -m venv .venv
.venv/bin/pip install "{spec}"
.venv/bin/xpcli validate --strict --lang zh      # 校验目录
```

## 日常修改

```sh
git switch -c 新分支名
.venv/bin/xpcli new matter 事项id --department 部门id   # 新事项（或 new event 一件事id）
.venv/bin/xpcli validate --strict --lang zh             # 校验
.venv/bin/xpcli diff main --lang zh                     # 查看这次修改对群众意味着什么
git commit -am "说明修改了什么" && git push               # 推送后发起合并请求
```

合并请求的检查会校验目录，并在运行摘要中列出变更；合并到 main 后，手册 PDF 和导出数据
作为构件（artifacts）附在 Actions 运行结果中。

Maintained with xpcli {version}: `xpcli validate`, `xpcli diff main`, `xpcli build-handbook`,
`xpcli export`. To upgrade, change the version in `.github/workflows/catalog.yml` and
`.pre-commit-config.yaml` together.
"""


def repo_files(county: str, lang: str) -> dict[str, str]:
    """Every file of a new county repository, by path inside it."""
    source, spec = source_url(), install_spec()
    files = {f"catalog/{rel}": text for rel, text in catalog_files(county, lang).items()}
    files[".gitignore"] = GITIGNORE
    files[".pre-commit-config.yaml"] = PRE_COMMIT.format(source=source, version=__version__)
    files[".github/workflows/catalog.yml"] = WORKFLOW.format(
        version=__version__, spec=spec, packages=HANDBOOK_PACKAGES
    )
    files["README.md"] = README.format(county=county, source=source, spec=spec, version=__version__)
    return files


def init_repo(target: Path, county: str | None, lang: str) -> list[Path]:
    """Write a new county repository into `target` (missing or empty)."""
    return init_folder(target, repo_files(county_id(target, county), lang))
