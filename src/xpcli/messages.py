"""Every word xpcli says to a maintainer, in Simplified Chinese and English.

`CODES` is the list of diagnostic codes: severity, message in each language, and an example
for `docs/diagnostics.md` (a test keeps that page in step with this table).
"""

from __future__ import annotations

import locale
import os
from dataclasses import dataclass

from xpcli.diagnostics import Diagnostic
from xpcli.errors import Term


@dataclass(frozen=True)
class Code:
    severity: str
    en: str
    zh: str
    example: str  # a YAML snippet (or a description of the file) that triggers it


E, W = "error", "warning"

CODES: dict[str, Code] = {
    # Reading files
    "missing-file": Code(
        E,
        "required file {file} is missing",
        "缺少必需的文件 {file}",
        "a catalog folder without departments.yaml",
    ),
    "unreadable-file": Code(
        E,
        "cannot read the file: {reason}",
        "无法读取文件：{reason}",
        "a file without read permission",
    ),
    "file-too-large": Code(
        E,
        "file is {size} bytes, over the 5 MiB limit of a catalog file",
        "文件大小 {size} 字节，超过目录文件 5 MiB 的上限",
        "a 10 MB matter file",
    ),
    # Reading files: what the loader refuses to open (docs/security.md)
    "outside-catalog": Code(
        E,
        "a symbolic link to {target}, outside the catalog: not read",
        "指向目录之外 {target} 的符号链接，未读取",
        "matters/x.yaml -> /etc/passwd",
    ),
    "broken-link": Code(
        E,
        "a symbolic link to {target}, which does not exist",
        "指向 {target} 的符号链接，目标不存在",
        "matters/x.yaml -> gone.yaml",
    ),
    "symlinked-folder": Code(
        E,
        "a symbolic link to the folder {target}: not followed, its files are not read; "
        "put the files in the catalog itself",
        "指向文件夹 {target} 的符号链接：不跟随，其中的文件未读取；请把文件放进目录本身",
        "matters/health -> ../shared/health",
    ),
    "not-regular-file": Code(
        E,
        "not a regular file but {kind}: not read",
        "不是普通文件，而是{kind}：未读取",
        "a FIFO named matters/x.yaml, or a folder named catalog.yaml",
    ),
    "not-a-folder": Code(
        E,
        "should be a folder of .yaml files, but is {kind}",
        "应为存放 .yaml 文件的文件夹，实际是{kind}",
        "a file named matters",
    ),
    "unreadable-folder": Code(
        E,
        "cannot read the folder: {reason}; its files are not checked",
        "无法读取文件夹：{reason}；其中的文件未检查",
        "matters/health without read permission",
    ),
    "folder-too-deep": Code(
        E,
        "folders nested more than {limit} levels deep are not read",
        "文件夹嵌套超过 {limit} 层，未读取",
        "matters/a/b/c/… 40 levels deep",
    ),
    "wrong-extension": Code(
        E,
        "catalog files end in .yaml; this .yml file would be ignored",
        "目录文件须以 .yaml 结尾；此 .yml 文件会被忽略",
        "matters/health/vaccination.yml",
    ),
    "not-utf8": Code(
        E,
        "not UTF-8 (byte {byte}){encoding_note}",
        "不是 UTF-8 编码（字节 {byte}）{encoding_note}",
        "a matter saved as GBK by an old editor",
    ),
    "control-character": Code(
        E,
        "binary data or control character {character}",
        "含有二进制数据或控制字符 {character}",
        "a file with NUL bytes",
    ),
    "yaml-syntax": Code(
        E, "YAML syntax error: {problem}", "YAML 语法错误：{problem}", "steps: [申请, 受理"
    ),
    "empty-file": Code(E, "the file is empty", "文件为空", "an empty events/newborn.yaml"),
    "multiple-documents": Code(
        E,
        "a second YAML document (---) in one file",
        "一个文件中出现了第二个 YAML 文档（---）",
        "id: a\n---\nid: b",
    ),
    "duplicate-key": Code(
        E,
        "duplicate key `{key}` (first on line {first_line})",
        "重复的键 `{key}`（首次出现在第 {first_line} 行）",
        "visits: 1\nvisits: 2",
    ),
    "tab-indentation": Code(
        E,
        "tab used for indentation; use spaces",
        "使用了制表符缩进，请改用空格",
        "materials:\n\t- material: x",
    ),
    "anchor-alias": Code(
        E,
        "anchors (&) and aliases (*) are not allowed in a catalog",
        "目录中不允许使用锚点（&）和别名（*）",
        "steps: &s [申请]\n...",
    ),
    "yaml-tag": Code(
        E, "YAML tag {tag} is not allowed", "不允许使用 YAML 标签 {tag}", "name: !!python/object x"
    ),
    "too-deep": Code(
        E,
        "nesting deeper than {limit} levels",
        "嵌套超过 {limit} 层",
        "a: [[[[...]]]] nested 100 deep",
    ),
    "too-many-items": Code(
        E,
        "more than {limit} items in one list or mapping; reading stopped here",
        "一个列表或映射中超过 {limit} 项，已停止读取",
        "a list of 200,000 steps",
    ),
    "complex-key": Code(E, "a key must be plain text", "键必须是纯文本", "? [a, b]\n: 1"),
    "ambiguous-scalar": Code(
        E,
        "`{text}` is read as {yaml11} by YAML 1.1 tools",
        "`{text}` 会被 YAML 1.1 工具读成 {yaml11}",
        "hours: 9:30",
    ),
    "leading-zero": Code(
        E,
        '`{text}` would lose its leading zero (a number, {number}); quote it: "{text}"',
        '`{text}` 开头的 0 会丢失（被读成数字 {number}）；电话、编码等请加引号："{text}"',
        "phone: 02912345678",
    ),
    # Typing slips (Chinese input methods)
    "fullwidth-colon": Code(
        E,
        "full-width colon `：` after `{key}`: write an ASCII colon and a space, `{key}: ...`",
        "`{key}` 后面是全角冒号“：”，请改成半角冒号加空格：`{key}: ...`",
        "name：发票领用",
    ),
    "colon-without-space": Code(
        E,
        "no space after `{key}:`; write `{key}: ...` (YAML reads `{key}:...` as one text)",
        "`{key}:` 后面缺少空格，请写成 `{key}: ...`（否则 YAML 把整行读成一段文字）",
        "visits:0",
    ),
    "fullwidth-space": Code(
        E,
        "full-width space `　` at the start of the line: indent with ASCII spaces only",
        "行首是全角空格“　”，缩进只能用半角空格",
        "　　form: 原件",
    ),
    "fullwidth-quotes": Code(
        E,
        "full-width quotes `“”` are part of the text, not YAML quotes; write ASCII quotes "
        '"..." where quotes are needed',
        '全角引号“”会成为文字的一部分，不是 YAML 的引号；需要引号时请用半角引号 "..."',
        "required: “true”",
    ),
    # Schema
    "missing-key": Code(
        E,
        "missing required key `{key}` in {field}",
        "{field} 缺少必需的键 `{key}`",
        "a matter without promised_days",
    ),
    "unknown-key": Code(
        E, "unknown key `{key}` in {field}", "{field} 中有未知的键 `{key}`", "promise_days: 5"
    ),
    "wrong-type": Code(
        E,
        "{field} must be {expected}, not {got}",
        "{field} 应为{expected}，而不是{got}",
        "region_code: 610481",
    ),
    "bad-enum": Code(
        E,
        "{field}: `{value}` is not one of {allowed}",
        "{field}：`{value}` 不在可选值 {allowed} 之中",
        "online: 网上办理",
    ),
    "bad-slug": Code(
        E,
        "{field}: `{value}` is not an id (a-z, 0-9 and -, at most 64)",
        "{field}：`{value}` 不是合法 id（a-z、0-9 和 -，最多 64 个字符）",
        "id: Newborn_Registration",
    ),
    "reserved-id": Code(
        E,
        "{field}: `{value}` is a device name on Windows; a file of that name cannot exist there",
        "{field}：`{value}` 是 Windows 的设备保留名，无法在 Windows 上生成同名文件，请换一个 id",
        "id: con",
    ),
    "bad-value": Code(
        E, "{field}: `{value}` breaks {rule}", "{field}：`{value}` 不符合 {rule}", "copies: 0"
    ),
    # Identity
    "id-mismatch": Code(
        E,
        "id `{id}` differs from the file name `{stem}.yaml`",
        "id `{id}` 与文件名 `{stem}.yaml` 不一致",
        "matters/a/birth.yaml with id: birth-certificate",
    ),
    "duplicate-id": Code(
        E,
        "{kind} id `{id}` is already used in {first}",
        "{kind} id `{id}` 已在 {first} 中使用",
        "two matters with id: birth-certificate",
    ),
    "former-id-is-current": Code(
        E,
        "former id `{id}` is the id of a current {kind}",
        "原 id `{id}` 是现有{kind}的 id",
        "former_ids: [newborn-registration] while that matter exists",
    ),
    "former-id-claimed-twice": Code(
        E,
        "former id `{id}` is also claimed by {kind} `{other}`",
        "原 id `{id}` 同时被{kind} `{other}` 声明",
        "two matters with former_ids: [old-id]",
    ),
    # References
    "unresolved-reference": Code(
        E, "unknown {kind} `{id}`", "未定义的{kind} `{id}`", "department: public-securty"
    ),
    "combined-form-not-form": Code(
        E,
        "combined_form `{id}` is of kind {material_kind}, not 表格",
        "combined_form `{id}` 的类型是{material_kind}，不是表格",
        "combined_form: resident-id-card",
    ),
    "after-not-in-event": Code(
        E,
        "after: `{id}` is not a matter of this event",
        "after：`{id}` 不是本件事中的事项",
        "after: [some-matter-of-another-event]",
    ),
    "after-self": Code(
        E,
        "after: a matter cannot wait for itself (`{id}`)",
        "after：事项不能以自身为前置（`{id}`）",
        "- matter: a\n  after: [a]",
    ),
    "after-cycle": Code(
        E, "after: cycle {cycle}", "after：存在循环依赖 {cycle}", "a after b, b after a"
    ),
    "event-not-in-tree": Code(
        E,
        "event `{id}` is missing from tree `{tree}` in catalog.yaml",
        "事件 `{id}` 未列入 catalog.yaml 的树 `{tree}`",
        "tree: person, but trees.person.events lacks it",
    ),
    "event-in-other-tree": Code(
        E,
        "event `{id}` belongs to tree `{tree}`, not this one",
        "事件 `{id}` 属于树 `{tree}`，不应列在此树中",
        "an enterprise event listed under person",
    ),
    "event-listed-twice": Code(
        E,
        "event `{id}` is already listed (tree `{tree}`)",
        "事件 `{id}` 已经列出（树 `{tree}`）",
        "events: [newborn, newborn]",
    ),
    # Matters and events
    "duplicate-material": Code(
        E,
        "material `{id}` listed twice under the same condition (first on line {first_line})",
        "同一情形下材料 `{id}` 列了两次（首次在第 {first_line} 行）",
        "two entries of resident-id-card without condition",
    ),
    "output-is-input": Code(
        E,
        "`{id}` is both an output and an input of this matter",
        "`{id}` 既是本事项的办理结果又是其申请材料",
        "outputs: [business-license] and materials: business-license",
    ),
    "duplicate-matter-entry": Code(
        E,
        "matter `{id}` listed twice (first on line {first_line})",
        "事项 `{id}` 列了两次（首次在第 {first_line} 行）",
        "matters: [{matter: a}, {matter: a}]",
    ),
    "promised-exceeds-legal": Code(
        E,
        "promised_days {promised} exceeds legal_days {legal}",
        "承诺时限 {promised} 天超过法定时限 {legal} 天",
        "legal_days: 5\npromised_days: 10",
    ),
    "online-with-visits": Code(
        E,
        "全程网办 needs visits: 0, not {visits}",
        "全程网办的事项到现场次数应为 0，而不是 {visits}",
        "online: 全程网办\nvisits: 1",
    ),
    "offline-without-visits": Code(
        E,
        "线下办理 needs at least one visit",
        "线下办理的事项到现场次数至少为 1",
        "online: 线下办理\nvisits: 0",
    ),
    "bad-url-template": Code(
        E,
        "{key} `{value}` must be an https URL with a host name, containing {{id}}, without "
        "spaces, tabs, line breaks or full-width spaces",
        "{key} `{value}` 必须是含主机名和 {{id}} 的 https 网址，"
        "且不能含空格、制表符、换行或全角空格",
        "matter_url: http://zwfw.example.cn/matters",
    ),
    "bad-site-base": Code(
        E,
        "the site address `{value}` must be an https URL ending in / under which both URL "
        "templates lie (without ? or #)",
        "网站根地址 `{value}` 必须是以 / 结尾的 https 网址，且两个网址模板都在其下（不含 ? 或 #）",
        "site_base: https://zwfw.example.cn/other/ with matter_url https://zwfw.example.cn/m/{id}",
    ),
    "retired-matter-in-event": Code(
        E,
        "active event uses retired matter `{id}`",
        "有效的一件事使用了已废止的事项 `{id}`",
        "a matter with status: retired in an active event",
    ),
    # Real data (import, windows, national codes)
    "incomplete-matter-in-event": Code(
        E,
        "event uses matter `{id}`, which lacks {keys} (a draft): its figures cannot be computed",
        "一件事使用的事项 `{id}` 缺少 {keys}（草稿）：无法计算其前后对比",
        "an event listing a draft matter that has no promised_days",
    ),
    "bad-check-digit": Code(
        W,
        "the credit code {credit_code} in this 实施编码 ends in {found}; its check character"
        " (GB 32100) is {expected}: a mistyped code?",
        "实施编码中的统一社会信用代码 {credit_code} 以 {found} 结尾，按 GB 32100 校验码应为"
        " {expected}：编码是否有误？",
        'code: "11610481MB0000000X3000201001000"',
    ),
    # Placeholders left by init/new (xpcli.placeholders)
    "placeholder": Code(
        E,
        "`{value}` is a placeholder written by xpcli init/new: replace it before this record "
        "is printed or published",
        "`{value}` 是 xpcli init/new 写入的占位内容：印制或发布前必须替换",
        "name: 事项名称 in a matter with status: active",
    ),
    "unfilled-placeholder": Code(
        W,
        "`{value}` is a placeholder written by xpcli init/new; fill it in",
        "`{value}` 是 xpcli init/new 写入的占位内容，请填写",
        'name: 事项名称 in a draft; phone: "0000-00000000" in catalog.yaml',
    ),
    # Warnings
    "unused-material": Code(
        W,
        "material `{id}` is never used",
        "材料 `{id}` 未被任何事项使用",
        "a materials.yaml entry no matter asks for",
    ),
    "draft-matter-in-event": Code(
        W,
        "active event uses draft matter `{id}`",
        "有效的一件事使用了草稿状态的事项 `{id}`",
        "a matter with status: draft in an active event",
    ),
    "event-figure-not-better": Code(
        W,
        "event {key} {value} is no better than the matters' sum {total}",
        "一件事的 {key} {value} 不优于各事项之和 {total}",
        "promised_days: 30 over matters summing to 12",
    ),
    "untrimmed-text": Code(
        W, "text starts or ends with white space", "文本开头或结尾有空白字符", 'name: " 出生登记"'
    ),
}

KIND_NAMES = {
    "zh": {
        "department": "部门",
        "material": "材料",
        "matter": "事项",
        "event": "一件事",
        "tree": "树",
        "window": "窗口",
        "text": "文本",
        "integer": "整数",
        "boolean": "布尔值（true/false）",
        "list": "列表",
        "mapping": "映射",
        "number": "数字",
        "empty": "空值",
        "folder": "文件夹",
        "file": "文件",
        "fifo": "命名管道（FIFO）",
        "device": "设备文件",
        "socket": "套接字",
    },
    "en": {
        "department": "department",
        "material": "material",
        "matter": "matter",
        "event": "event",
        "tree": "tree",
        "window": "window",
        "text": "text",
        "integer": "an integer",
        "boolean": "true or false",
        "list": "a list",
        "mapping": "a mapping",
        "number": "a number",
        "empty": "empty",
        "folder": "a folder",
        "file": "a file",
        "fifo": "a named pipe (FIFO)",
        "device": "a device",
        "socket": "a socket",
    },
}

HINTS = {
    "did_you_mean": {"en": "did you mean `{suggestion}`?", "zh": "是否应为 `{suggestion}`？"},
    "quote_it": {"en": 'quote it: "{text}"', "zh": '请加引号："{text}"'},
    "use_boolean": {"en": "write true or false", "zh": "请写 true 或 false"},
    "convert_encoding": {
        "en": "convert it: iconv -f {encoding} -t UTF-8 FILE > NEW",
        "zh": "请转换编码：iconv -f {encoding} -t UTF-8 原文件 > 新文件",
    },
}

# Click's English sentences (in typer's vendored click) that usage errors carry, by pattern,
# with the TEXT key that words them; cli/i18n.py uses these when the reader reads Chinese.
USAGE_PATTERNS = (
    (r"'(?P<value>.*)' is not one of (?P<allowed>.*)\.", "usage-not-one-of"),
    (r"Option '(?P<option>.*)' requires an argument\.", "usage-needs-value"),
    (r"Option '(?P<option>.*)' does not take a value\.", "usage-takes-no-value"),
    (r"Got unexpected extra argument\(s\) \((?P<arguments>.*)\)", "usage-extra-arguments"),
    (r"No such command '(?P<name>.*)'\.", "usage-no-such-command"),
    (r"Missing command\.", "usage-missing-command"),
    (r"Input should be a valid integer.*", "usage-not-integer"),
)

# The command line's help in Chinese; the English is in each command's code. Keys: a command's
# path ("show event"; "xpcli" for the top), "path parameter" for one command's parameter, or a
# parameter's bare name when every command means the same by it. A test finds the gaps.
HELP_ZH = {
    "xpcli": "把县级“一件事一次办”服务目录作为代码维护：校验目录，计算每件事精简前后的指标，"
    "印制便民服务手册，并导出网上渠道发布的 JSON。",
    "catalog": "目录文件夹。",
    "lang": "提示语言：zh 或 en（默认取自 LANG 等区域设置）。",
    "output_format": "输出格式。",
    "version": "显示版本号并退出。",
    "install_completion": "为当前 shell 安装命令补全。",
    "show_completion": "显示当前 shell 的补全脚本，可复制或自行安装。",
    "validate": "校验目录：列出每个问题及其 文件:行:列。\n\n"
    "示例：xpcli validate catalog --format github --strict",
    "validate path": "目录文件夹（同 --catalog）。",
    "validate output_format": "text（按文件分组）、json 或 github（合并请求中的行内标注）。",
    "validate strict": "有警告也判为失败（CI 中使用）。",
    "show": "查看一件事的精简指标，或一个事项的办事指南。",
    "show event": "一件事的一次性告知：精简前后指标、合并后的材料清单、办理环节。\n\n"
    "示例：xpcli show event 新生儿出生",
    "show event query": "一件事的 id 或名称，如 newborn 或 新生儿出生。",
    "show event output_format": "text 或 json。",
    "show matter": "一个事项的办事指南，以及用到它的一件事。\n\n示例：xpcli show matter 出生登记",
    "show matter query": "事项的 id 或名称，如 newborn-household-registration 或 出生登记。",
    "show matter output_format": "text 或 json。",
    "stats": "全目录统计：每件事精简前后、合计、平均与各类计数。\n\n"
    "示例：xpcli stats --format csv > 统计.csv",
    "stats output_format": "text、json 或 csv（带 BOM，Excel 可直接打开）。",
    "build-handbook": "生成便民服务手册 PDF：树状图、一次性告知、办事指南、二维码。\n\n"
    "示例：xpcli build-handbook --catalog catalog -o dist/handbook.pdf --bleed 3mm --pad 4",
    "build-handbook output": "要写入的 PDF 文件。",
    "build-handbook html": "同时写出生成 PDF 所用的 HTML。",
    "build-handbook paper": "纸张：A5（默认）或 A4。",
    "build-handbook bleed": "每页四周的出血（毫米，如 3mm；0 为不加），并印裁切线。",
    "build-handbook pad": "在书末补“备忘”页，使总页数为此数的倍数（骑马钉用 4）。",
    "build-handbook all_matters": "印出全部在办事项的办事指南，按部门分组（办事指南汇编）。",
    "export": "写出网上渠道发布的 JSON：目录、每条记录一个文件、改名跳转、清单与 Schema。"
    "加 --check 时只比较，不写入，有差异则退出码为 1。\n\n"
    "示例：xpcli export --catalog catalog -o dist/api --check",
    "build-site": "生成静态网站：首页与两棵树、每件事一页（按申请人情形筛选的一次性告知）、"
    "每个事项一页、部门索引、搜索、旧 id 跳转、404 与站点地图。"
    "二维码地址 BASE + P 对应页面 P/。\n\n"
    "示例：xpcli build-site --catalog catalog -o dist/site",
    "build-site output": "网站文件夹。",
    "preview": "在本机 127.0.0.1 上预览已生成的网站，路径与正式网址一致；按 Ctrl-C 停止。\n\n"
    "示例：xpcli preview dist/site --port 8000",
    "preview folder": "build-site 生成的文件夹。",
    "preview port": "端口（0 表示任选空闲端口）。",
    "export output": "导出文件夹。",
    "export check": "只与该文件夹比较，不写入。",
    "diff": "从 git 读取两个版本，说明这次修改对目录的影响："
    "新增、删除、改名、修改的记录（逐字段），以及每件事精简前后指标的变化。"
    "有破坏性变更（删除 id、改名未写 former_ids、修改网址模板）时退出码为 1；"
    "版本不存在或任一版本的目录有错误时为 2。\n\n"
    "示例：xpcli diff origin/main --format markdown >> $GITHUB_STEP_SUMMARY",
    "diff base": "作为基准的 git 版本，如 main。",
    "diff head": "含修改的 git 版本（默认：工作区）。",
    "diff output_format": "text、markdown 或 json。",
    "init": "为新县区建立目录仓库：catalog/（含两棵树、部门、材料和一个示例一件事）、"
    ".gitignore、提交前检查和 GitHub 工作流，生成后即可通过 --strict 校验。\n\n"
    "示例：xpcli init xingping-catalog --id xingping",
    "init directory": "新仓库的文件夹（不存在或为空）。",
    "init county": "目录 id（默认取文件夹名）。",
    "new": "为新的事项或一件事写出带注释的模板。",
    "new matter": "按带注释的模板写出 matters/[部门/]ID.yaml；不会覆盖已有文件。\n\n"
    "示例：xpcli new matter newborn-name-registration --department public-security",
    "new matter matter_id": "新事项的 id。",
    "new matter department": "部门 id：填入模板，并作为 matters/ 下的子文件夹名。",
    "new event": "按带注释的模板写出 events/ID.yaml；不会覆盖已有文件。\n\n"
    "示例：xpcli new event marriage --catalog catalog",
    "new event event_id": "新一件事的 id。",
    "list": "列出某一类记录及其 id，便于查找命令所需的 id。\n\n"
    "示例：xpcli list matters --department public-security --format csv > 事项.csv",
    "list kind": "events（一件事）、matters（事项）、materials（材料）或 departments（部门）。",
    "list tree": "只列这棵树的一件事（及其事项）。",
    "list department": "只列这个部门的记录（id 或名称）。",
    "list status": "只列此状态的一件事或事项：active、draft 或 retired。",
    "list output_format": "text、json 或 csv（带 BOM，Excel 可直接打开）。",
    "schema": "输出一类目录文件的 JSON Schema（供编辑器提示与校验）。\n\n"
    "示例：xpcli schema matter > matter.schema.json",
    "stats output": "xlsx 报表文件（--format xlsx 时必需）。",
    "schema kind": "catalog、departments、materials、windows、matter 或 event。",
    # import / ledger (real data)
    "import": "把实施清单（xlsx、xls、ods、csv 或省级平台的 AUDIT_* JSON）导入目录；"
    "可重复导入。\n\n"
    "示例：xpcli import 实施清单.xlsx --catalog catalog --dry-run",
    "import files": "要导入的文件，可多个。",
    "import map_file": "列名映射文件（YAML：columns 与 values），用于内置名称之外的列名和代码表。",
    "import dry_run": "只显示将发生的变化，不写入。",
    "ledger": "写出基础清单台账（xlsx）：事项清单、材料清单、一件事清单、部门、窗口。\n\n"
    "示例：xpcli ledger -o 台账.xlsx",
    "ledger output": "台账文件（.xlsx）。",
}

# Messages of the command line itself.
TEXT = {
    "summary": {
        "en": "{errors} error(s), {warnings} warning(s) in {files} file(s)",
        "zh": "共 {files} 个文件，{errors} 个错误，{warnings} 个警告",
    },
    "valid": {"en": "catalog is valid", "zh": "目录校验通过"},
    "no-catalog": {
        "en": "catalog folder not found: {path} (use --catalog PATH)",
        "zh": "找不到目录文件夹：{path}（请用 --catalog 指定）",
    },
    "invalid-catalog": {
        "en": "the catalog has errors; run `xpcli validate` for details",
        "zh": "目录存在错误，请运行 `xpcli validate` 查看详情",
    },
    "unknown-id": {"en": "unknown {kind} `{id}`", "zh": "未知的{kind} `{id}`"},
    "unknown-id-closest": {
        "en": "unknown {kind} `{id}`; closest: {ids}",
        "zh": "未知的{kind} `{id}`；相近的 id：{ids}",
    },
    # show, list: finding records by name
    "list-title-events": {"en": "{count} events", "zh": "一件事（{count} 件）"},
    "list-title-matters": {"en": "{count} matters", "zh": "事项（{count} 项）"},
    "list-title-materials": {"en": "{count} materials", "zh": "材料（{count} 种）"},
    "list-title-departments": {"en": "{count} departments", "zh": "部门（{count} 个）"},
    "list-col-id": {"en": "id", "zh": "编号"},
    "list-col-name": {"en": "name", "zh": "名称"},
    "list-col-tree": {"en": "tree", "zh": "所属树"},
    "list-col-lead_department": {"en": "lead department", "zh": "牵头部门"},
    "list-col-department": {"en": "department", "zh": "实施主体"},
    "list-col-matters": {"en": "matters", "zh": "事项数"},
    "list-col-events": {"en": "events", "zh": "所属一件事数"},
    "list-col-type": {"en": "type", "zh": "事项类型"},
    "list-col-status": {"en": "status", "zh": "状态"},
    "list-col-kind": {"en": "kind", "zh": "材料类型"},
    "list-col-issuer": {"en": "issuer", "zh": "出具单位"},
    "list-col-short_name": {"en": "short name", "zh": "简称"},
    "lookup-ambiguous": {
        "en": "{count} {kind} names contain `{query}`: {candidates}; give the id or a longer name",
        "zh": "有 {count} 个{kind}名称含“{query}”：{candidates}；请写 id 或更完整的名称",
    },
    "export-stale": {
        "en": "{count} file(s) differ from {path}; run `xpcli export` again",
        "zh": "{count} 个文件与 {path} 不一致，请重新运行 `xpcli export`",
    },
    "export-current": {"en": "{path} is up to date", "zh": "{path} 已是最新"},
    "wrote-export": {
        "en": "wrote {count} files to {path}",
        "zh": "已向 {path} 写入 {count} 个文件",
    },
    "cannot-write": {"en": "cannot write {path}: {reason}", "zh": "无法写入 {path}：{reason}"},
    "bad-kind": {
        "en": "KIND: `{kind}` is not one of {allowed}",
        "zh": "KIND：`{kind}` 不是可选值 {allowed} 之一",
    },
    # outputs (where xpcli writes: xpcli.outputs)
    "output-not-ours": {
        "en": "{path} is a folder that xpcli did not write (it has no {manifest}); refusing to "
        "replace it: choose a new or empty folder",
        "zh": "{path} 不是 xpcli 写出的文件夹（没有 {manifest}），拒绝覆盖：请指定新的或空的文件夹",
    },
    "output-contains-catalog": {
        "en": "{path} is the catalog {catalog} or contains it; refusing to write there",
        "zh": "{path} 是目录 {catalog} 本身或包含它，拒绝写入",
    },
    "output-contains-cwd": {
        "en": "{path} is the current folder or contains it (an empty -o is the current folder); "
        "refusing to replace it: give a folder such as dist/api",
        "zh": "{path} 是当前文件夹或包含当前文件夹（-o 为空即当前文件夹），拒绝覆盖："
        "请指定如 dist/api 的文件夹",
    },
    "output-is-file": {
        "en": "{path} is a file, not a folder; refusing to replace it",
        "zh": "{path} 是文件而不是文件夹，拒绝覆盖",
    },
    "output-is-folder": {
        "en": "{path} is a folder; give the name of a file to write",
        "zh": "{path} 是文件夹，请指定要写入的文件名",
    },
    "output-is-symlink": {
        "en": "{path} is a symbolic link; refusing to write through it: give the real path",
        "zh": "{path} 是符号链接，拒绝经由它写入：请指定实际路径",
    },
    "output-other-file": {
        "en": "{path} exists and is not a {kind} file; not overwritten: choose another name",
        "zh": "{path} 已存在且不是 {kind} 文件，未覆盖：请换一个文件名",
    },
    "output-in-catalog": {
        "en": "{path} is inside the catalog {catalog}; write outputs elsewhere (e.g. dist/)",
        "zh": "{path} 位于目录 {catalog} 之内；请把输出写到别处（如 dist/）",
    },
    "output-not-regular": {
        "en": "{path} is not a regular file (a device, a FIFO or a socket); refusing to write it",
        "zh": "{path} 不是普通文件（设备、管道或套接字），拒绝写入",
    },
    "output-busy": {
        "en": "another xpcli run is writing {path} (lock {lock}); try again when it has finished",
        "zh": "另一个 xpcli 正在写入 {path}（锁文件 {lock}），请待其完成后重试",
    },
    "cannot-read": {"en": "cannot read {path}: {reason}", "zh": "无法读取 {path}：{reason}"},
    # build-handbook
    "handbook-no-cjk-font": {
        "en": "no Chinese (CJK) font found, the handbook would print empty boxes; "
        "install one with: {command}",
        "zh": "找不到中文字体，手册会印出空方框；请安装：{command}",
    },
    "handbook-no-weasyprint": {
        "en": "WeasyPrint cannot start ({problem}); build-handbook needs it and Pango: {command}",
        "zh": "WeasyPrint 无法启动（{problem}）；生成手册需要它和 Pango：{command}",
    },
    "handbook-template-missing": {
        "en": "template not found: {name}",
        "zh": "找不到模板：{name}",
    },
    "handbook-template-error": {
        "en": "template error ({where}): {problem}",
        "zh": "模板错误（{where}）：{problem}",
    },
    "handbook-template-timeout": {
        "en": "the handbook template ran for more than {seconds} s and was stopped: look for a "
        "loop inside a loop",
        "zh": "手册模板运行超过 {seconds} 秒，已停止：请检查是否有循环套循环",
    },
    "handbook-template-too-long": {
        "en": "the handbook template wrote more than {limit} characters and was stopped",
        "zh": "手册模板输出超过 {limit} 个字符，已停止",
    },
    "handbook-template-stopped": {
        "en": "the handbook template was stopped: {reason}",
        "zh": "手册模板已停止：{reason}",
    },
    "template-memory": {
        "en": "it needs more memory than there is (MemoryError)",
        "zh": "所需内存超出本机可用内存（MemoryError）",
    },
    "template-recursion": {
        "en": "a macro calls itself without end (RecursionError)",
        "zh": "宏无休止地调用自身（RecursionError）",
    },
    "handbook-bad-paper": {
        "en": "unknown paper size `{paper}`: use A5 or A4",
        "zh": "未知的纸张尺寸 `{paper}`：请用 A5 或 A4",
    },
    "handbook-templates-outside": {
        "en": "{path} leads to {target}, outside the catalog: templates are only read from the "
        "catalog's own templates folder",
        "zh": "{path} 指向目录之外的 {target}：模板只从目录自己的 templates 文件夹读取",
    },
    "handbook-template-refused": {
        "en": "template {name} in {folder} is not read: it is a symbolic link out of the folder, "
        "not a regular file, or over 5 MiB",
        "zh": "{folder} 中的模板 {name} 未读取："
        "它是指向文件夹之外的符号链接、不是普通文件，或超过 5 MiB",
    },
    "handbook-outside-resource": {
        "en": "the handbook refers to a resource outside the catalog and its templates, "
        "which is not fetched: {problem}",
        "zh": "手册引用了目录及其模板之外的资源，已拒绝读取：{problem}",
    },
    "handbook-empty-pdf": {"en": "WeasyPrint produced no PDF", "zh": "WeasyPrint 未生成 PDF"},
    "handbook-contents-unstable": {
        "en": "the contents changed its page count with each layout; shorten its longest entries",
        "zh": "目录每次排版的页数都不同；请缩短最长的目录条目",
    },
    "read-worker-gone": {
        "en": "the second process reading the catalog ended without an answer (out of memory?)",
        "zh": "读取目录的第二个进程未返回结果即已退出（内存不足？）",
    },
    "handbook-worker-gone": {
        "en": "a layout process ended without an answer (out of memory?); nothing was written",
        "zh": "排版进程未返回结果即已退出（内存不足？），未写入任何文件",
    },
    # build-site / preview
    "site-path-taken": {
        "en": "two pages of the site would be written to {path}; change the URL templates "
        "(online.matter_url / online.event_url) or the id",
        "zh": "网站有两个页面都要写到 {path}；"
        "请修改网址模板（online.matter_url / online.event_url）或 id",
    },
    "site-no-pagefind": {
        "en": "pagefind (the site's search index) is not installed; install it with: {command}",
        "zh": "未安装 pagefind（网站搜索索引）；请安装：{command}",
    },
    "site-pagefind-failed": {
        "en": "pagefind could not index the site: {problem}",
        "zh": "pagefind 无法为网站建立索引：{problem}",
    },
    "wrote-site": {
        "en": "wrote {pages} pages ({count} files) to {path}",
        "zh": "已向 {path} 写入 {pages} 个页面（共 {count} 个文件）",
    },
    "preview-no-site": {
        "en": "no built site in {path}; run `xpcli build-site -o {path}` first",
        "zh": "{path} 中没有已生成的网站，请先运行 `xpcli build-site -o {path}`",
    },
    "preview-cannot-listen": {
        "en": "cannot listen on 127.0.0.1:{port}: {reason}",
        "zh": "无法在 127.0.0.1:{port} 上监听：{reason}",
    },
    "preview-serving": {
        "en": "serving {path} at {url} (Ctrl-C to stop)",
        "zh": "正在 {url} 提供 {path}（按 Ctrl-C 停止）",
    },
    "preview-stopped": {"en": "stopped", "zh": "已停止"},
    "handbook-bad-bleed": {
        "en": "bleed `{bleed}`: give millimetres from 0 to 10, e.g. 3mm",
        "zh": "出血 `{bleed}`：请给出 0 到 10 的毫米数，例如 3mm",
    },
    "handbook-url-too-long": {
        "en": "the URL {url} ({length} characters) is too long for a QR code printed at "
        "{size} mm: phones could not read it; shorten the URL template or the id",
        "zh": "网址 {url}（{length} 个字符）太长，印成 {size} 毫米的二维码后手机无法识别；"
        "请缩短网址模板或 id",
    },
    "handbook-wrote": {
        "en": "wrote {path} ({pages} pages)",
        "zh": "已写入 {path}（共 {pages} 页）",
    },
    "handbook-stage-fonts": {"en": "checking fonts", "zh": "检查字体"},
    "handbook-stage-data": {"en": "preparing data and QR codes", "zh": "整理数据与二维码"},
    "handbook-stage-layout": {"en": "laying out", "zh": "排版"},
    "handbook-stage-join": {"en": "joining the parts", "zh": "合并各部分"},
    "handbook-stage-write": {"en": "writing", "zh": "写入文件"},
    # diff
    "diff-title": {
        "en": "Catalog changes {base} → {head} ({catalog})",
        "zh": "目录变更 {base} → {head}（{catalog}）",
    },
    "diff-working-tree": {"en": "working tree", "zh": "工作区"},
    "diff-none": {"en": "no changes", "zh": "没有变更"},
    "diff-heading-breaking": {"en": "Breaking changes ({count})", "zh": "破坏性变更（{count} 项）"},
    "diff-heading-catalog": {"en": "catalog.yaml", "zh": "catalog.yaml（目录信息）"},
    "diff-heading-departments": {"en": "Departments", "zh": "部门"},
    "diff-heading-materials": {"en": "Materials", "zh": "材料"},
    "diff-heading-windows": {"en": "Windows", "zh": "窗口"},
    "diff-heading-matters": {"en": "Matters", "zh": "事项"},
    "diff-heading-events": {"en": "Events", "zh": "一件事"},
    "diff-heading-figures": {"en": "Event figures", "zh": "一件事办理指标"},
    "diff-stage-after": {"en": "one-time handling", "zh": "一件事办理"},
    "diff-stage-before": {"en": "separately", "zh": "分别办理"},
    "diff-col-event": {"en": "Event", "zh": "一件事"},
    "diff-col-field": {"en": "Field", "zh": "字段"},
    "diff-col-old": {"en": "Before", "zh": "变更前"},
    "diff-col-new": {"en": "After", "zh": "变更后"},
    "diff-col-change": {"en": "Change", "zh": "变更"},
    "diff-col-name": {"en": "Name", "zh": "名称"},
    "diff-col-fields": {"en": "Fields", "zh": "字段"},
    "diff-added": {"en": "added", "zh": "新增"},
    "diff-removed": {"en": "removed", "zh": "删除"},
    "diff-renamed": {"en": "renamed", "zh": "改名"},
    "diff-changed": {"en": "changed", "zh": "修改"},
    "diff-removed-id": {
        "en": "{kind} `{id}` was removed; QR codes already printed point to it (keep it with "
        "status: retired, or list it in another record's former_ids)",
        "zh": "删除了{kind} `{id}`，已印制的二维码仍指向它（请保留并设 status: retired，"
        "或在其他记录的 former_ids 中列出）",
    },
    "diff-renamed-without-former-id": {
        "en": "{kind} `{id}` was renamed to `{new_id}` without `former_ids: [{id}]`; "
        "QR codes already printed would point nowhere",
        "zh": "{kind} `{id}` 改名为 `{new_id}`，但未写 `former_ids: [{id}]`，已印制的二维码将失效",
    },
    "diff-url-template-changed": {
        "en": "{id} changed from {old} to {new}; every QR code already printed uses the old "
        "address",
        "zh": "{id} 由 {old} 改为 {new}，已印制的二维码都使用旧地址",
    },
    "diff-breaking-summary": {"en": "{count} breaking change(s)", "zh": "{count} 项破坏性变更"},
    "diff-not-a-repo": {
        "en": "{path} is not inside a git repository",
        "zh": "{path} 不在 git 仓库中",
    },
    "diff-dubious-ownership": {
        "en": 'git refuses the repository {path}: it belongs to another user ("dubious '
        'ownership"); if you trust it: git config --global --add safe.directory {path}',
        "zh": "git 拒绝访问仓库 {path}：它属于其他用户（dubious ownership）；"
        "如果信任它：git config --global --add safe.directory {path}",
    },
    "diff-git-failed": {
        "en": "git {command} failed: {problem}",
        "zh": "git {command} 失败：{problem}",
    },
    "diff-unsafe-path": {
        "en": "{side} ({revision}): the commit's tree holds a path that is not plain names "
        "({path}); refusing to read it",
        "zh": "{side}（{revision}）：提交的目录树中有非普通名称的路径（{path}），拒绝读取",
    },
    "diff-cannot-extract": {
        "en": "{side} ({revision}): cannot write {path} into the temporary folder: {reason}",
        "zh": "{side}（{revision}）：无法把 {path} 写入临时文件夹：{reason}",
    },
    "diff-missing-object": {
        "en": "{side} ({revision}): git object {sha} ({path}) is missing or not a file "
        "(a shallow or damaged clone? try git fetch --unshallow)",
        "zh": "{side}（{revision}）：缺少 git 对象 {sha}（{path}）或它不是文件"
        "（浅克隆或仓库损坏？可试 git fetch --unshallow）",
    },
    "diff-file-too-large": {
        "en": "{side} ({revision}): {path} is {size} bytes, over the 5 MiB limit of a catalog "
        "file; not read",
        "zh": "{side}（{revision}）：{path} 大小 {size} 字节，超过目录文件 5 MiB 的上限，未读取",
    },
    "diff-too-large": {
        "en": "{side} ({revision}): the catalog holds {count} files ({size} bytes), over the "
        "limit of {limit} that diff reads from git",
        "zh": "{side}（{revision}）：目录共有 {count} 个文件（{size} 字节），"
        "超过 diff 从 git 读取的上限 {limit}",
    },
    "diff-no-git": {"en": "git is not installed", "zh": "未安装 git"},
    "diff-bad-revision": {
        "en": "{side}: unknown git revision `{revision}`",
        "zh": "{side}：未知的 git 版本 `{revision}`",
    },
    "diff-no-catalog-at": {
        "en": "{side}: no catalog at {path} in {revision}",
        "zh": "{side}：{revision} 中没有目录 {path}",
    },
    "diff-invalid-side": {
        "en": "{side}: the catalog at {revision} has errors",
        "zh": "{side}：{revision} 的目录存在错误",
    },
    "diff-side-base": {"en": "base", "zh": "基准版本"},
    "diff-side-head": {"en": "head", "zh": "对比版本"},
    "diff-unchanged": {"en": "unchanged", "zh": "不变"},
    "diff-legend": {
        "en": "legend: + added  - removed  > renamed  ~ changed",
        "zh": "图例：+ 新增  - 删除  > 改名  ~ 修改",
    },
    "diff-renamed-field": {"en": "renamed", "zh": "改名"},
    # command line: click's words and usage errors (cli/i18n.py)
    "usage-prefix": {"en": "Usage: ", "zh": "用法："},
    "usage-heading-options": {"en": "Options", "zh": "选项"},
    "usage-heading-arguments": {"en": "Arguments", "zh": "参数"},
    "usage-heading-commands": {"en": "Commands", "zh": "命令"},
    "usage-help-option": {"en": "Show this message and exit.", "zh": "显示本帮助并退出。"},
    "usage-required": {"en": "[required]", "zh": "[必填]"},
    "usage-default": {"en": "[default: {value}]", "zh": "[默认：{value}]"},
    "usage-try-help": {
        "en": "Try '{command}' for help.",
        "zh": "运行 '{command}' 查看帮助。",
    },
    "usage-error": {"en": "Error: {problem}", "zh": "错误：{problem}"},
    "usage-no-such-option": {"en": "No such option: {option}", "zh": "没有选项 {option}"},
    "usage-possible": {"en": " (Possible options: {options})", "zh": "（是否应为：{options}）"},
    "usage-missing": {"en": "Missing {kind} {name}.", "zh": "缺少{kind} {name}。"},
    "usage-kind-argument": {"en": "argument", "zh": "参数"},
    "usage-kind-option": {"en": "option", "zh": "选项"},
    "usage-kind-parameter": {"en": "parameter", "zh": "参数"},
    "usage-bad-value": {
        "en": "Invalid value for {name}: {problem}",
        "zh": "{name} 的值无效：{problem}",
    },
    "usage-not-one-of": {
        "en": "'{value}' is not one of {allowed}.",
        "zh": "`{value}` 不是可选值 {allowed} 之一。",
    },
    "usage-needs-value": {
        "en": "Option '{option}' requires an argument.",
        "zh": "选项 {option} 后面需要一个值。",
    },
    "usage-takes-no-value": {
        "en": "Option '{option}' does not take a value.",
        "zh": "选项 {option} 不接受值。",
    },
    "usage-extra-arguments": {
        "en": "Got unexpected extra argument(s) ({arguments})",
        "zh": "多余的参数：{arguments}",
    },
    "usage-no-such-command": {"en": "No such command '{name}'.", "zh": "没有命令 {name}。"},
    "usage-missing-command": {"en": "Missing command.", "zh": "缺少命令。"},
    "usage-not-integer": {"en": "Input should be a valid integer.", "zh": "应为整数。"},
    "usage-aborted": {"en": "Aborted!", "zh": "已中止。"},
    # stats
    "stats-col-event": {"en": "event", "zh": "编号"},
    "stats-col-name": {"en": "name", "zh": "一件事"},
    "stats-col-before": {"en": "{figure} separately", "zh": "{figure}（分别办理）"},
    "stats-col-after": {"en": "{figure} at once", "zh": "{figure}（一件事办理）"},
    "stats-col-reduction": {"en": "{figure} reduction %", "zh": "{figure}减少（%）"},
    "stats-col-departments": {"en": "departments", "zh": "涉及部门"},
    "stats-total": {"en": "total", "zh": "合计"},
    "stats-ind-title": {
        "en": "indicators (active matters)",
        "zh": "政务服务指标（在用事项）",
    },
    "stats-ind-department": {"en": "department", "zh": "部门"},
    "stats-ind-all": {"en": "all departments", "zh": "全部"},
    "stats-ind-matters": {"en": "matters", "zh": "事项数"},
    "stats-ind-instant": {"en": "instant (promised 0)", "zh": "即办件"},
    "stats-ind-online": {"en": "fully online", "zh": "全程网办"},
    "stats-ind-zero_visits": {"en": "no visit", "zh": "零跑动"},
    "stats-ind-one_visit": {"en": "at most one visit", "zh": "最多跑一次"},
    "stats-ind-count": {"en": "{name} (count)", "zh": "{name}（个）"},
    "stats-ind-rate": {"en": "{name} %", "zh": "{name}比例（%）"},
    "stats-ind-both": {
        "en": "matters with legal and promised days",
        "zh": "有法定和承诺时限的事项数",
    },
    "stats-ind-legal": {"en": "legal days (sum)", "zh": "法定时限合计（工作日）"},
    "stats-ind-promised": {"en": "promised days (sum)", "zh": "承诺时限合计（工作日）"},
    "stats-ind-compression": {"en": "time-limit compression %", "zh": "承诺时限压缩率（%）"},
    "stats-needs-output": {
        "en": "--format xlsx writes a file: give it with -o FILE.xlsx",
        "zh": "--format xlsx 写出文件：请用 -o 文件.xlsx 指定",
    },
    "wrote-stats": {"en": "wrote {path}", "zh": "已写出 {path}"},
    "stats-sheet-events": {"en": "events", "zh": "一件事"},
    "stats-sheet-indicators": {"en": "indicators", "zh": "指标"},
    # import / ledger (real data)
    "import-unreadable": {
        "en": "cannot read {path}: {reason}",
        "zh": "无法读取 {path}：{reason}",
    },
    "import-too-large": {
        "en": "{path} is {size} bytes, over the 200 MiB limit of an input file",
        "zh": "{path} 大小 {size} 字节，超过输入文件 200 MiB 的上限",
    },
    "import-unknown-format": {
        "en": "{path}: not a spreadsheet (.xlsx .xls .ods), .csv or .json file",
        "zh": "{path}：不是电子表格（.xlsx .xls .ods）、.csv 或 .json 文件",
    },
    "import-encoding": {
        "en": "{path}: neither UTF-8 nor GBK; save it as UTF-8",
        "zh": "{path}：既不是 UTF-8 也不是 GBK 编码，请另存为 UTF-8",
    },
    "import-bad-json": {
        "en": "{path}: not the platforms' JSON (an object with AUDIT_ITEM, or a list): {reason}",
        "zh": "{path}：不是平台导出的 JSON（含 AUDIT_ITEM 的对象或其列表）：{reason}",
    },
    "import-bad-map": {
        "en": "{path}: a map is YAML with `columns:` and `values:` mappings",
        "zh": "{path}：映射文件应为 YAML，包含 columns: 和 values: 两个映射",
    },
    "import-catalog-broken": {
        "en": "the catalog's {files} cannot be read; run xpcli validate and fix it first",
        "zh": "目录中的 {files} 无法读取；请先运行 xpcli validate 并修正",
    },
    "import-cannot-patch": {
        "en": "{path}: the import could not change this file safely; nothing was written",
        "zh": "{path}：无法安全地修改此文件，未写入任何文件",
    },
    "import-would-overwrite": {
        "en": "{path} exists and is not a matter of the catalog; not overwritten",
        "zh": "{path} 已存在但不是目录中的事项，未覆盖",
    },
    "import-outside-catalog": {
        "en": "{path} would be written outside the catalog; nothing was written",
        "zh": "{path} 会写到目录之外，未写入任何文件",
    },
    "import-has-problems": {
        "en": "{count} problem(s) in the input; nothing was written",
        "zh": "输入中有 {count} 个问题，未写入任何文件",
    },
    "import-missing": {"en": "{column} is empty", "zh": "{column} 为空"},
    "import-not-days": {
        "en": "`{value}` is not a number of working days (0–3650, or 即办)",
        "zh": "`{value}` 不是工作日数（0–3650，或“即办”）",
    },
    "import-not-count": {
        "en": "`{value}` is not a whole number from 0 to {limit}",
        "zh": "`{value}` 不是 0 到 {limit} 之间的整数",
    },
    "import-not-in-table": {
        "en": "`{value}` is not one of {allowed} (a --map file can add values)",
        "zh": "`{value}` 不是可选值 {allowed} 之一（可用 --map 映射文件补充）",
    },
    "import-not-yes-no": {"en": "`{value}` is neither 是 nor 否", "zh": "`{value}` 不是“是”或“否”"},
    "import-too-long": {
        "en": "`{value}…` is longer than {limit} characters",
        "zh": "`{value}…` 超过 {limit} 个字符",
    },
    "import-not-faq": {
        "en": "`{value}…`: write questions as 问：… 答：…",
        "zh": "`{value}…`：常见问题请写成“问：… 答：…”",
    },
    "import-bad-url": {
        "en": "`{value}` is not an https:// address without spaces",
        "zh": "`{value}` 不是不含空格的 https:// 网址",
    },
    "import-bad-code": {
        "en": "`{value}` is not a code (letters, digits and single hyphens)",
        "zh": "`{value}` 不是编码（字母、数字和单个连字符）",
    },
    "import-online-visits": {
        "en": "{online} with {visits} visit(s) to the site: one of the two is wrong",
        "zh": "办理形式为{online}，到办事现场次数却是 {visits}：两者必有一个有误",
    },
    "import-promised-exceeds-legal": {
        "en": "promised {promised} working days, more than the legal {legal}",
        "zh": "承诺办结时限 {promised} 个工作日，超过法定办结时限 {legal} 个工作日",
    },
    "import-duplicate-matter": {
        "en": "the same matter (code, or name and department) is already on {first}",
        "zh": "同一事项（编码，或名称与部门）已在 {first} 出现",
    },
    "import-material-no-matter": {
        "en": "a material row names no matter (实施编码, or 事项名称 and 实施主体)",
        "zh": "材料行未指明所属事项（实施编码，或事项名称与实施主体）",
    },
    "import-material-unknown-matter": {
        "en": "material of `{matter}`, a matter neither in the input nor in the catalog",
        "zh": "材料所属事项 `{matter}` 既不在输入中也不在目录中",
    },
    "import-problem": {"en": "{where}: {message}", "zh": "{where}：{message}"},
    "import-unknown-columns": {
        "en": "columns not imported (unknown; a --map file can name them): {columns}",
        "zh": "未导入的列（未识别，可用 --map 映射文件指定）：{columns}",
    },
    "import-ignored-sheets": {
        "en": "sheets not imported (no matter, material, window or department columns): {sheets}",
        "zh": "未导入的工作表（没有事项、材料、窗口或部门列）：{sheets}",
    },
    "import-absent": {
        "en": "in the catalog but not in the input (kept): {count} matter(s): {ids}",
        "zh": "目录中有而输入中没有的事项（已保留）：{count} 个：{ids}",
    },
    "import-drafts": {
        "en": "{count} matter(s) lack elements an active matter needs and are drafts: {ids}",
        "zh": "{count} 个事项缺少在用事项必需的要素，记为草稿：{ids}",
    },
    "import-summary": {
        "en": "{rows} row(s) read; {created} file(s) created, {changed} changed, {unchanged}"
        " matter(s) unchanged; new: {departments} department(s), {materials} material(s),"
        " {windows} window(s)",
        "zh": "读取 {rows} 行；新建 {created} 个文件，修改 {changed} 个，{unchanged} 个事项未变；"
        "新增部门 {departments} 个、材料 {materials} 个、窗口 {windows} 个",
    },
    "import-file": {"en": "{change}: {path}", "zh": "{change}：{path}"},
    "import-created": {"en": "new", "zh": "新建"},
    "import-changed": {"en": "changed", "zh": "修改"},
    "import-dry-run": {
        "en": "dry run: nothing was written",
        "zh": "试运行：未写入任何文件",
    },
    "wrote-ledger": {
        "en": "wrote the ledger ({matters} matters) to {path}",
        "zh": "已写出台账（{matters} 个事项）：{path}",
    },
    # init / new
    "scaffold-bad-slug": {
        "en": "`{id}` is not an id (a-z, 0-9 and -, at most 64 characters)",
        "zh": "`{id}` 不是合法 id（a-z、0-9 和 -，最多 64 个字符）",
    },
    "scaffold-not-empty": {
        "en": "{path} exists and is not an empty folder; choose a new one",
        "zh": "{path} 已存在且不是空文件夹，请换一个",
    },
    "scaffold-not-a-folder": {
        "en": "{path} is not a folder (a file or a symbolic link); new records are only written "
        "into a real folder of the catalog",
        "zh": "{path} 不是文件夹（而是文件或符号链接）；新记录只写入目录中真实的文件夹",
    },
    "scaffold-exists": {
        "en": "{path} already exists; not overwritten",
        "zh": "{path} 已存在，未覆盖",
    },
    "scaffold-initialised": {
        "en": "wrote {count} files to {path}; next: cd {path} && git init && "
        "xpcli validate --strict",
        "zh": "已向 {path} 写入 {count} 个文件；下一步：cd {path} && git init && "
        "xpcli validate --strict",
    },
    "scaffold-created": {
        "en": "wrote {path}; fill in the TODO values, then run xpcli validate",
        "zh": "已写入 {path}；请填写 TODO 处，然后运行 xpcli validate",
    },
}


def default_lang() -> str:
    """zh or en from the environment, in gettext's order: LANGUAGE (its first entry of a
    `zh_CN:en` list) before LC_ALL, LC_MESSAGES and LANG."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "").split(":")[0]
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    current = locale.getlocale()[0] or ""
    return "zh" if current.lower().startswith("zh") else "en"


def say(key: str, lang: str, **params: object) -> str:
    """The message `key` in `lang`; parameters that are `Term`s are worded in `lang` too."""
    worded = {k: _word(v, lang) if isinstance(v, Term) else v for k, v in params.items()}
    return TEXT[key][lang].format(**worded)


def _word(term: Term, lang: str) -> str:
    """A term is a TEXT key or a KIND_NAMES key (matter, event, ...)."""
    return say(term.key, lang) if term.key in TEXT else kind_name(term.key, lang)


def kind_name(kind: str, lang: str) -> str:
    return KIND_NAMES[lang].get(kind, kind)


# The four figures of `simplify`, worded once for every reader (terminal, handbook, diff,
# spreadsheets): the figure's name and its unit.
FIGURE_LABELS = {
    "zh": {
        "materials": ("申请材料", "份"),
        "steps": ("办理环节", "个"),
        "days": ("办理时限", "个工作日"),
        "visits": ("跑动次数", "次"),
    },
    "en": {
        "materials": ("materials", "items"),
        "steps": ("steps", "steps"),
        "days": ("time limit", "working days"),
        "visits": ("visits", "visits"),
    },
}


def figure_name(figure: str, lang: str) -> str:
    return FIGURE_LABELS[lang][figure][0]


def figure_heading(figure: str, lang: str) -> str:
    """The figure with its unit, for a column heading: "申请材料（份）", "materials (items)"."""
    name, unit = FIGURE_LABELS[lang][figure]
    marks = PUNCTUATION[lang]
    return f"{name}{marks['open']}{unit}{marks['close']}"


# The catalog's field names as a reviewer reads them (xpcli diff). A field missing here is shown
# by its YAML name.
FIELD_LABELS = {
    "zh": {
        "name": "名称",
        "short_name": "简称",
        "phone": "电话",
        "kind": "材料类型",
        "issuer": "出具单位",
        "e_license": "电子证照共享",
        "code": "实施编码",
        "local_code": "本地编码",
        "type": "事项类型",
        "department": "实施主体",
        "legal_basis": "设定依据",
        "conditions": "受理条件",
        "materials": "申请材料",
        "form": "形式",
        "copies": "份数",
        "required": "必需提交",
        "tolerance": "容缺受理",
        "commitment": "告知承诺",
        "condition": "情形",
        "note": "说明",
        "outputs": "办理结果",
        "steps": "办理流程",
        "legal_days": "法定时限",
        "promised_days": "承诺时限",
        "visits": "跑动次数",
        "online": "网办深度",
        "fee": "收费",
        "location": "办理地点",
        "former_ids": "曾用 id",
        "status": "状态",
        "tree": "所属树",
        "summary": "简介",
        "lead_department": "牵头部门",
        "matters": "事项",
        "after": "前置事项",
        "combined_form": "联办申请表",
        "matter": "事项",
        "window": "窗口",
        "faq": "常见问题",
        "result": "办理结果说明",
        "special_procedures": "特别程序",
        "url": "网址",
        "catalog": "目录信息",
        "title": "标题",
        "region": "地区",
        "region_code": "区划代码",
        "publisher": "发布单位",
        "edition": "版次",
        "hotline": "热线",
        "online.matter_url": "事项网址模板",
        "online.event_url": "一件事网址模板",
        "service_center": "政务服务中心",
        "address": "地址",
        "hours": "办公时间",
        "trees": "两棵树",
        "events": "一件事",
    },
    "en": {},
}
YES_NO = {"zh": ("是", "否"), "en": ("yes", "no")}


# Punctuation by language: Chinese text takes full-width marks with no spaces around them.
PUNCTUATION = {
    "zh": {"separator": "；", "colon": "：", "open": "（", "close": "）"},
    "en": {"separator": "; ", "colon": ": ", "open": " (", "close": ")"},
}


def joined(parts: list[str], lang: str) -> str:
    """Clauses joined the way the language separates them: "a；b" or "a; b"."""
    return PUNCTUATION[lang]["separator"].join(parts)


def aside(label: str, text: str, lang: str) -> str:
    """A labelled remark in parentheses after what it qualifies: "（label：text）"."""
    marks = PUNCTUATION[lang]
    return f"{marks['open']}{label}{marks['colon']}{text}{marks['close']}"


def render(diagnostic: Diagnostic, lang: str) -> str:
    """The diagnostic's message in `lang`, with its hint after a semicolon."""
    code = CODES[diagnostic.code]
    params = {
        k: kind_name(str(v), lang) if k in _TRANSLATED else v for k, v in diagnostic.params.items()
    }
    if params.get("field") == "(top)":
        params["field"] = "文件顶层" if lang == "zh" else "the top level"
    if diagnostic.code == "not-utf8":
        encoding = params.get("encoding")
        params["encoding_note"] = (
            (f", {encoding}?" if lang == "en" else f"，可能是 {encoding}？") if encoding else ""
        )
    message = getattr(code, lang).format(**params)
    if diagnostic.hint is not None:
        name, hint_params = diagnostic.hint
        message = joined([message, HINTS[name][lang].format(**hint_params)], lang)
    return message


_TRANSLATED = frozenset(("kind", "expected", "got"))
