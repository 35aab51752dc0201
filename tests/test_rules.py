"""One test per rule of the contract: the code, the file and the line of each diagnostic."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import check, codes, found, write

MATTER = """\
id: extra
name: 额外事项
type: 公共服务
department: health
materials:
  - material: resident-id-card
    form: 原件
steps: [申请, 办结]
promised_days: 1
visits: 1
online: 线下办理
"""

EVENT_HEAD = """\
id: newborn
name: 新生儿出生“一件事”
tree: person
summary: 一次申请。
lead_department: health
"""


def test_the_fixture_is_valid(catalog_dir: Path) -> None:
    result = check(catalog_dir)
    assert found(result) == []


def matter(catalog_dir: Path, text: str, name: str = "extra") -> None:
    write(catalog_dir, f"matters/{name}.yaml", text)
    # Put the matter into the event, so that it is used.
    event = catalog_dir / "events/newborn.yaml"
    body = event.read_text(encoding="utf-8")
    if f"matter: {name}\n" not in body:
        body = body.replace("combined_form:", f"  - matter: {name}\ncombined_form:")
        event.write_text(body, encoding="utf-8")


# --- Errors: reading and YAML ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("id: extra\nname: a\nname: b\n", "duplicate-key", 3),
        (
            "id: extra\nmaterials:\n  - material: a\n    form: 原件\n    form: 复印件\n",
            "duplicate-key",
            5,
        ),
        ("id: extra\nsteps: &s [申请]\n", "anchor-alias", 2),
        ("id: extra\nname: 甲\n---\nid: other\n", "multiple-documents", 3),
        ("id: extra\nmaterials:\n\t- material: a\n", "tab-indentation", 3),
        ("", "empty-file", 1),
        ("id: extra\nname: [a\n", "yaml-syntax", 3),
        ("id: extra\nname: !!binary aGk=\n", "yaml-tag", 2),
        ("id: extra\npromised_days: 0471\n", "leading-zero", 2),
        ("id: extra\nlocation: 9:30\n", "ambiguous-scalar", 2),
        ("id: extra\nfee: no\n", "ambiguous-scalar", 2),
        ("id: extra\nlocation: 2023-05-08\n", "ambiguous-scalar", 2),
    ],
)
def test_yaml_pitfalls_are_located(catalog_dir: Path, text: str, code: str, line: int) -> None:
    matter(catalog_dir, text)
    assert (code, "matters/extra.yaml", line) in found(check(catalog_dir))


def test_gbk_file_is_named(catalog_dir: Path) -> None:
    matter(catalog_dir, MATTER.replace("额外事项", "额外事项").encode("gbk").decode("latin-1"))
    write(catalog_dir, "matters/extra.yaml", MATTER.encode("gbk"))
    result = check(catalog_dir)
    assert ("not-utf8", "matters/extra.yaml", 2) in found(result)
    (diagnostic,) = [d for d in result.report.diagnostics if d.code == "not-utf8"]
    assert diagnostic.params["encoding"] == "GBK"


def test_utf8_bom_is_accepted(catalog_dir: Path) -> None:
    matter(catalog_dir, "\ufeff" + MATTER)
    assert found(check(catalog_dir)) == []


def test_yml_extension_is_flagged(catalog_dir: Path) -> None:
    write(catalog_dir, "matters/extra.yml", MATTER)
    assert ("wrong-extension", "matters/extra.yml", 1) in found(check(catalog_dir))


def test_missing_file(catalog_dir: Path) -> None:
    (catalog_dir / "departments.yaml").unlink()
    result = check(catalog_dir)
    assert ("missing-file", "departments.yaml", 1) in found(result)
    # The departments cannot be checked, so references to them do not cascade.
    assert "unresolved-reference" not in codes(result)


# --- Errors: schema ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("replace", "by", "code", "line"),
    [
        ("promised_days: 1\n", "", "missing-key", 1),
        ("promised_days: 1\n", "promise_days: 1\n", "unknown-key", 9),
        ("online: 线下办理", "online: 网上办理", "bad-enum", 11),
        ("    form: 原件", "    form: 原件复印", "bad-enum", 7),
        ("id: extra", "id: Extra_Matter", "bad-slug", 1),
        ("visits: 1", "visits: 一次", "wrong-type", 10),
        ("visits: 1", "visits: -1", "bad-value", 10),
        ("steps: [申请, 办结]", "steps: []", "bad-value", 8),
        ("name: 额外事项", "name: 123", "wrong-type", 2),
        ("online: 线下办理", "online: 线下办理\nstatus: gone", "bad-enum", 12),
    ],
)
def test_schema_errors_are_located(
    catalog_dir: Path, replace: str, by: str, code: str, line: int
) -> None:
    matter(catalog_dir, MATTER.replace(replace, by))
    assert (code, "matters/extra.yaml", line) in found(check(catalog_dir))


def test_unknown_key_suggests_the_closest(catalog_dir: Path) -> None:
    matter(catalog_dir, MATTER.replace("promised_days", "promise_days"))
    result = check(catalog_dir)
    (unknown,) = [d for d in result.report.diagnostics if d.code == "unknown-key"]
    assert unknown.hint == ("did_you_mean", {"suggestion": "promised_days"})
    assert (unknown.location.line, unknown.location.column) == (9, 1)


def test_number_where_text_is_expected_hints_quotes(catalog_dir: Path) -> None:
    text = (catalog_dir / "catalog.yaml").read_text(encoding="utf-8")
    write(catalog_dir, "catalog.yaml", text.replace('"610000"', "610000"))
    result = check(catalog_dir)
    (diagnostic,) = result.report.diagnostics
    assert (diagnostic.code, diagnostic.location.line, diagnostic.location.column) == (
        "wrong-type",
        6,
        16,
    )
    assert diagnostic.hint == ("quote_it", {"text": "610000"})


def test_boolean_must_be_true_or_false(catalog_dir: Path) -> None:
    matter(catalog_dir, MATTER.replace("    form: 原件", "    form: 原件\n    required: yes"))
    result = check(catalog_dir)
    # `yes` is reported once, as the ambiguity it is, not again as a wrong type.
    assert found(result) == [("ambiguous-scalar", "matters/extra.yaml", 8)]


# --- Errors: identity --------------------------------------------------------------------


def test_id_differs_from_file_name(catalog_dir: Path) -> None:
    write(catalog_dir, "matters/extra.yaml", MATTER.replace("id: extra", "id: extra-two"))
    assert ("id-mismatch", "matters/extra.yaml", 1) in found(check(catalog_dir))


def test_duplicate_matter_id(catalog_dir: Path) -> None:
    matter(catalog_dir, MATTER)
    write(catalog_dir, "matters/sub/extra.yaml", MATTER)
    assert ("duplicate-id", "matters/sub/extra.yaml", 1) in found(check(catalog_dir))


def test_duplicate_material_id(catalog_dir: Path) -> None:
    path = catalog_dir / "materials.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "  - {id: card-form, name: 另一张表, kind: 表格}\n",
        encoding="utf-8",
    )
    assert ("duplicate-id", "materials.yaml", 12) in found(check(catalog_dir))


# --- Errors: references ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("replace", "by", "line"),
    [
        ("department: health", "department: helth", 4),
        ("  - material: resident-id-card", "  - material: resident-card", 6),
        ("online: 线下办理", "online: 线下办理\noutputs: [no-such-thing]", 12),
    ],
)
def test_matter_reference_unresolved(catalog_dir: Path, replace: str, by: str, line: int) -> None:
    matter(catalog_dir, MATTER.replace(replace, by))
    assert ("unresolved-reference", "matters/extra.yaml", line) in found(check(catalog_dir))


def test_dangling_department_suggests_closest(catalog_dir: Path) -> None:
    matter(catalog_dir, MATTER.replace("department: health", "department: helth"))
    (diagnostic,) = check(catalog_dir).report.diagnostics
    assert diagnostic.hint == ("did_you_mean", {"suggestion": "health"})


@pytest.mark.parametrize(
    ("replace", "by", "code", "line"),
    [
        ("lead_department: health", "lead_department: police", "unresolved-reference", 5),
        ("tree: person", "tree: people", "unresolved-reference", 3),
        (
            "  - matter: vaccination-certificate",
            "  - matter: vaccination",
            "unresolved-reference",
            12,
        ),
        (
            "combined_form: newborn-joint-application",
            "combined_form: joint",
            "unresolved-reference",
            17,
        ),
        (
            "combined_form: newborn-joint-application",
            "combined_form: resident-id-card",
            "combined-form-not-form",
            17,
        ),
        (
            "    after: [birth-medical-certificate]\n  - matter: newborn-medical-insurance",
            "    after: [no-such-matter]\n  - matter: newborn-medical-insurance",
            "after-not-in-event",
            9,
        ),
        (
            "    after: [newborn-household-registration]",
            "    after: [newborn-medical-insurance]",
            "after-self",
            11,
        ),
        (
            "  - matter: birth-medical-certificate\n",
            "  - matter: birth-medical-certificate\n    after: [newborn-household-registration]\n",
            "after-cycle",
            8,
        ),
        (
            "  - matter: vaccination-certificate",
            "  - matter: birth-medical-certificate\n  - matter: vaccination-certificate",
            "duplicate-matter-entry",
            12,
        ),
    ],
)
def test_event_errors(catalog_dir: Path, replace: str, by: str, code: str, line: int) -> None:
    path = catalog_dir / "events/newborn.yaml"
    text = path.read_text(encoding="utf-8")
    assert replace in text
    path.write_text(text.replace(replace, by, 1), encoding="utf-8")
    assert (code, "events/newborn.yaml", line) in found(check(catalog_dir))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_event_missing_from_its_tree(catalog_dir: Path) -> None:
    _edit(catalog_dir / "catalog.yaml", "events: [newborn]", "events: []")
    assert found(check(catalog_dir)) == [("event-not-in-tree", "events/newborn.yaml", 3)]


def test_event_listed_in_another_tree(catalog_dir: Path) -> None:
    _edit(catalog_dir / "catalog.yaml", "    events: []", "    events: [newborn]")
    assert ("event-listed-twice", "catalog.yaml", 22) in found(check(catalog_dir))
    _edit(catalog_dir / "catalog.yaml", "events: [newborn]", "events: []")
    assert found(check(catalog_dir)) == [
        ("event-in-other-tree", "catalog.yaml", 22),
        ("event-not-in-tree", "events/newborn.yaml", 3),
    ]


def test_event_listed_twice(catalog_dir: Path) -> None:
    _edit(catalog_dir / "catalog.yaml", "events: [newborn]", "events: [newborn, newborn]")
    assert found(check(catalog_dir)) == [("event-listed-twice", "catalog.yaml", 19)]


def test_tree_lists_unknown_event(catalog_dir: Path) -> None:
    _edit(catalog_dir / "catalog.yaml", "events: [newborn]", "events: [newborn, newbron]")
    assert found(check(catalog_dir)) == [("unresolved-reference", "catalog.yaml", 19)]


# --- Errors: inside a matter -------------------------------------------------------------


def test_same_material_twice_under_same_condition(catalog_dir: Path) -> None:
    matter(
        catalog_dir,
        MATTER.replace(
            "    form: 原件\n", "    form: 原件\n  - material: resident-id-card\n    form: 复印件\n"
        ),
    )
    assert found(check(catalog_dir)) == [("duplicate-material", "matters/extra.yaml", 8)]


def test_same_material_under_other_condition_is_fine(catalog_dir: Path) -> None:
    matter(
        catalog_dir,
        MATTER.replace(
            "    form: 原件\n",
            "    form: 原件\n  - material: resident-id-card\n"
            "    form: 复印件\n    condition: 代办的\n",
        ),
    )
    assert found(check(catalog_dir)) == []


def test_output_is_input(catalog_dir: Path) -> None:
    matter(catalog_dir, MATTER + "outputs: [resident-id-card]\n")
    assert found(check(catalog_dir)) == [("output-is-input", "matters/extra.yaml", 6)]


def test_promised_exceeds_legal(catalog_dir: Path) -> None:
    matter(catalog_dir, MATTER + "legal_days: 0\n")
    assert found(check(catalog_dir)) == [("promised-exceeds-legal", "matters/extra.yaml", 9)]


def test_fully_online_with_visits(catalog_dir: Path) -> None:
    matter(catalog_dir, MATTER.replace("online: 线下办理", "online: 全程网办"))
    assert found(check(catalog_dir)) == [("online-with-visits", "matters/extra.yaml", 10)]


def test_offline_without_visits(catalog_dir: Path) -> None:
    matter(catalog_dir, MATTER.replace("visits: 1", "visits: 0"))
    assert found(check(catalog_dir)) == [("offline-without-visits", "matters/extra.yaml", 10)]


@pytest.mark.parametrize(
    ("template", "column"),
    [("http://zwfw.example.cn/m/{id}", 15), ("https://zwfw.example.cn/m/", 15)],
)
def test_bad_url_template(catalog_dir: Path, template: str, column: int) -> None:
    _edit(catalog_dir / "catalog.yaml", "https://zwfw.example.cn/example/matters/{id}", template)
    result = check(catalog_dir)
    assert found(result) == [("bad-url-template", "catalog.yaml", 10)]
    assert result.report.diagnostics[0].location.column == column


# --- Errors: former ids and status -------------------------------------------------------


def test_former_id_equal_to_current_id(catalog_dir: Path) -> None:
    matter(catalog_dir, MATTER + "former_ids: [vaccination-certificate]\n")
    assert found(check(catalog_dir)) == [("former-id-is-current", "matters/extra.yaml", 12)]


def test_former_id_claimed_twice(catalog_dir: Path) -> None:
    matter(catalog_dir, MATTER + "former_ids: [old-matter]\n")
    matter(
        catalog_dir,
        MATTER.replace("id: extra", "id: extra-two") + "former_ids: [old-matter]\n",
        name="extra-two",
    )
    assert found(check(catalog_dir)) == [("former-id-claimed-twice", "matters/extra.yaml", 12)]


def test_retired_matter_in_active_event(catalog_dir: Path) -> None:
    matter(catalog_dir, MATTER + "status: retired\n")
    assert found(check(catalog_dir)) == [("retired-matter-in-event", "events/newborn.yaml", 17)]


# --- Warnings ----------------------------------------------------------------------------


def test_unused_material(catalog_dir: Path) -> None:
    path = catalog_dir / "materials.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "  - {id: spare-form, name: 备用表, kind: 表格}\n",
        encoding="utf-8",
    )
    result = check(catalog_dir)
    assert found(result) == [("unused-material", "materials.yaml", 12)]
    assert result.report.errors == 0 and result.report.failed(strict=True)


def test_draft_matter_in_active_event(catalog_dir: Path) -> None:
    matter(catalog_dir, MATTER + "status: draft\n")
    assert found(check(catalog_dir)) == [("draft-matter-in-event", "events/newborn.yaml", 17)]


@pytest.mark.parametrize(("key", "value", "line"), [("promised_days", 10, 18), ("visits", 4, 18)])
def test_event_figure_no_better_than_sum(
    catalog_dir: Path, key: str, value: int, line: int
) -> None:
    path = catalog_dir / "events/newborn.yaml"
    text = path.read_text(encoding="utf-8").replace("promised_days: 5\n", "")
    path.write_text(text + f"{key}: {value}\n", encoding="utf-8")
    assert found(check(catalog_dir)) == [("event-figure-not-better", "events/newborn.yaml", line)]


def test_untrimmed_text(catalog_dir: Path) -> None:
    matter(catalog_dir, MATTER.replace("name: 额外事项", 'name: " 额外事项"'))
    assert found(check(catalog_dir)) == [("untrimmed-text", "matters/extra.yaml", 2)]


def test_all_problems_of_a_run_are_reported(catalog_dir: Path) -> None:
    matter(
        catalog_dir,
        MATTER.replace("department: health", "department: helth").replace("visits: 1", "visits: 0"),
    )
    _edit(catalog_dir / "catalog.yaml", "events: [newborn]", "events: [newborn, newborn]")
    assert len(check(catalog_dir).report.diagnostics) == 3
