"""`luoshi lsp` driven as an editor drives it: a subprocess speaking JSON-RPC over stdio (tests/lspclient.py), on a
copy of the project's policies/ and the seed policy dzmf-2019-26 (大足民发〔2019〕26号). What each answer must say
is read from the compiled corpus, not written into the test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lspclient import LspClient
from luoshi.driver.pipeline import compile_paths
from luoshi.driver.project import Project

ROOT = Path(__file__).resolve().parents[1]
SEED = "policies/dzmf-2019-26.policy"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    (tmp_path / "pyproject.toml").write_text('[tool.luoshi]\npolicies = "policies"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def client(project: Path) -> Iterator[LspClient]:
    c = LspClient(project)
    result = c.request("initialize", {"processId": None, "rootUri": project.as_uri(), "capabilities": {}})
    caps = result["capabilities"]
    for wanted in ("completionProvider", "hoverProvider", "definitionProvider", "codeActionProvider", "textDocumentSync"):
        assert caps.get(wanted), wanted
    c.notify("initialized", {})
    yield c
    stderr = c.close()
    assert "Traceback" not in stderr, stderr


def _open(c: LspClient, path: Path, text: str | None = None) -> tuple[str, list[dict[str, Any]]]:
    uri = path.as_uri()
    text = path.read_text(encoding="utf-8") if text is None else text
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "luoshi", "version": 1, "text": text}})
    return uri, c.diagnostics(uri)


def _at(text: str, line_has: str, word: str, offset: int = 1) -> dict[str, int]:
    """The LSP position `offset` characters into `word` on the first line containing `line_has`."""
    lines = text.split("\n")
    number = next(i for i, line in enumerate(lines) if line_has in line)
    return {"line": number, "character": lines[number].index(word) + offset}


def test_diagnostics_match_check_and_lint(client: LspClient, project: Path) -> None:
    """On open, the seed policy shows what `luoshi check` and `luoshi lint` show for it (the baseline applied):
    nothing; an unknown unit typed in gives LS201 at the name, with the hint's replacement as data."""
    path = project / SEED
    text = path.read_text(encoding="utf-8")
    uri, found = _open(client, path)
    assert compile_paths([SEED], Project(project, project / "policies", project / "build")).diagnostics() == []
    assert [d for d in found if d["severity"] == 1] == []
    bad = text.replace("发文机关 区民政局", "发文机关 区民证局")
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": bad}]})
    found = client.diagnostics(uri)
    ls201 = [d for d in found if d["code"] == "LS201"]
    assert len(ls201) == 1
    where = _at(bad, "发文机关 区民证局", "区民证局", 0)
    assert ls201[0]["range"]["start"] == where
    assert ls201[0]["range"]["end"] == {"line": where["line"], "character": where["character"] + len("区民证局")}
    assert ls201[0]["message"].startswith("未知单位「区民证局」")  # Chinese first
    assert ls201[0]["data"]["suggestions"][0] == "区民政局"
    assert ls201[0]["source"] == "luoshi"


def test_code_action_applies_the_suggested_name(client: LspClient, project: Path) -> None:
    path = project / SEED
    bad = path.read_text(encoding="utf-8").replace("发文机关 区民政局", "发文机关 区民证局")
    uri, found = _open(client, path, bad)
    ls201 = [d for d in found if d["code"] == "LS201"]
    actions = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": ls201[0]["range"],
                                                          "context": {"diagnostics": ls201}})
    replace = [a for a in actions if a["title"].startswith("改为")]
    assert replace and replace[0]["kind"] == "quickfix"
    edit = replace[0]["edit"]["changes"][uri][0]
    assert edit == {"range": ls201[0]["range"], "newText": "区民政局"}
    # applied, the file checks again
    lines = bad.split("\n")
    line = lines[edit["range"]["start"]["line"]]
    start, end = edit["range"]["start"]["character"], edit["range"]["end"]["character"]
    lines[edit["range"]["start"]["line"]] = line[:start] + edit["newText"] + line[end:]
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": "\n".join(lines)}]})
    assert [d for d in client.diagnostics(uri) if d["code"] == "LS201"] == []


def test_code_action_suppresses_a_lint_finding(client: LspClient, project: Path) -> None:
    """A lint warning gets the suppression comment at the end of its line, code filled in, reason left to write."""
    path = project / SEED
    text = path.read_text(encoding="utf-8")
    (project / "policies" / ".luoshi-lint-baseline.json").unlink()  # the seed's known findings, shown again
    uri, found = _open(client, path, text)
    warning = next(d for d in found if d["severity"] == 2 and d["code"].startswith("LS3"))
    actions = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": warning["range"],
                                                          "context": {"diagnostics": [warning]}})
    ignore = [a for a in actions if warning["code"] in a["title"]]
    assert len(ignore) == 1
    edit = ignore[0]["edit"]["changes"][uri][0]
    line = text.split("\n")[warning["range"]["start"]["line"]]
    assert edit["range"]["start"] == {"line": warning["range"]["start"]["line"], "character": len(line)}
    assert edit["newText"] == f"  # luoshi: ignore[{warning['code']}] "


def test_hover_on_a_unit(client: LspClient, project: Path) -> None:
    """A unit named in the policy: its name, jurisdiction and level, role, and its duties across the corpus."""
    path = project / SEED
    text = path.read_text(encoding="utf-8")
    uri, _ = _open(client, path)
    corpus = compile_paths(None, Project(project, project / "policies", project / "build")).corpus
    policy = corpus.policy("dzmf-2019-26")
    assert policy is not None
    unit = corpus.unit(next(a.unit.unit for t in policy.tasks for a in t.assignments if a.unit.written == "各镇街"))
    assert unit is not None
    duties = sum(1 for p in corpus.policies for t in p.tasks for a in t.assignments if a.unit.unit == unit.id)
    assert duties > 0
    found = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": _at(text, "负责 各镇街", "各镇街")})
    value = found["contents"]["value"]
    assert value.startswith(f"**{unit.name}** · 大足区 · 县级")
    assert f"角色 role: {unit.role}" in value
    assert f"职责 {duties} 项" in value
    start = _at(text, "负责 各镇街", "各镇街", 0)
    assert found["range"]["start"] == start


def test_hover_and_definition_of_a_referenced_task(client: LspClient, project: Path) -> None:
    path = project / SEED
    text = path.read_text(encoding="utf-8")
    uri, _ = _open(client, path)
    where = _at(text, "落实 yfbf-2018-161:4.1", "yfbf-2018-161:4.1", 15)
    found = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": where})
    parent = (project / "policies/yfbf-2018-161.policy").read_text(encoding="utf-8")
    assert found["contents"]["value"].startswith("**yfbf\\-2018\\-161:4\\.1**（四（一））")
    assert "牵头：市民政局" in found["contents"]["value"]
    target = client.request("textDocument/definition", {"textDocument": {"uri": uri}, "position": where})
    assert target["uri"] == (project / "policies/yfbf-2018-161.policy").as_uri()
    assert parent.split("\n")[target["range"]["start"]["line"]].strip().startswith("任务 4.1 ")


def test_definition_of_a_unit_is_its_units_line(client: LspClient, project: Path) -> None:
    path = project / SEED
    text = path.read_text(encoding="utf-8")
    uri, _ = _open(client, path)
    target = client.request("textDocument/definition", {"textDocument": {"uri": uri},
                                                        "position": _at(text, "发文机关 区民政局", "区民政局")})
    units = project / "policies/units/大足区.units"
    assert target["uri"] == units.resolve().as_uri()
    line = units.read_text(encoding="utf-8").split("\n")[target["range"]["start"]["line"]]
    assert line.strip().startswith("单位 区民政局 ")


def test_completion_scoped_to_the_jurisdiction(client: LspClient, project: Path) -> None:
    """Units of 大足区 and of its ancestor 重庆市, never of 上海市; keywords; policy ids; after `id:` its tasks."""
    path = project / SEED
    text = path.read_text(encoding="utf-8")
    uri, _ = _open(client, path)
    where = _at(text, "负责 各镇街", "各镇街", 0)
    items = client.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": where})["items"]
    labels = {i["label"] for i in items}
    corpus = compile_paths(None, Project(project, project / "policies", project / "build")).corpus
    by_place = {j: {u.name for u in corpus.units if u.jurisdiction == j} for j in ("大足区", "重庆市", "上海市")}
    assert by_place["大足区"] <= labels and by_place["重庆市"] - by_place["大足区"] <= labels
    assert by_place["上海市"] and not (by_place["上海市"] - by_place["重庆市"] - by_place["大足区"]) & labels
    assert {"任务", "负责", "牵头", "配合", "时限", "目标"} <= labels
    assert {p.id for p in corpus.policies} <= labels
    # after a policy id and its colon: that policy's task ids, in document order
    edited = text.replace("落实 yfbf-2018-161:4.1", "落实 yfbf-2018-161:", 1)
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": edited}]})
    client.diagnostics(uri)
    where = _at(edited, "落实 yfbf-2018-161:", "yfbf-2018-161:", len("yfbf-2018-161:"))
    items = client.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": where})["items"]
    parent = corpus.policy("yfbf-2018-161")
    assert parent is not None
    assert [i["label"] for i in sorted(items, key=lambda i: i["sortText"])] == [t.id for t in parent.tasks]


def test_definition_of_a_task_cited_by_its_number(client: LspClient, project: Path) -> None:
    """`落实 渝府办发〔2018〕161号:4.1`, the parent named by its 文号 as the documents print it, leads to the same task."""
    path = project / SEED
    text = path.read_text(encoding="utf-8").replace("落实 yfbf-2018-161:4.1", "落实 渝府办发〔2018〕161号:4.1", 1)
    uri, found = _open(client, path, text)
    assert [d for d in found if d["severity"] == 1] == []
    where = _at(text, "落实 渝府办发〔2018〕161号:4.1", "渝府办发", 2)
    target = client.request("textDocument/definition", {"textDocument": {"uri": uri}, "position": where})
    parent = (project / "policies/yfbf-2018-161.policy").read_text(encoding="utf-8")
    assert target["uri"] == (project / "policies/yfbf-2018-161.policy").as_uri()
    assert parent.split("\n")[target["range"]["start"]["line"]].strip().startswith("任务 4.1 ")


def test_completion_of_roles_after_the_role_keyword(client: LspClient, project: Path) -> None:
    """In a .units file, after 角色: the roles the registry declares (and nothing else)."""
    path = project / "policies/units/大足区.units"
    text = path.read_text(encoding="utf-8")
    edited = text.replace("角色 民政 别名", "角色  别名", 1)
    uri, _ = _open(client, path, edited)
    where = _at(edited, "单位 区民政局 角色", "角色", len("角色 "))
    items = client.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": where})["items"]
    corpus = compile_paths(None, Project(project, project / "policies", project / "build")).corpus
    assert {i["label"] for i in items} == {r.id for r in corpus.roles} and "民政" in {i["label"] for i in items}


def test_hover_on_a_unit_names_its_counterparts(client: LspClient, project: Path) -> None:
    """大足区's 区民政局: the 民政 unit one level up (重庆市's 市民政局), as the site's unit page draws it."""
    path = project / SEED
    text = path.read_text(encoding="utf-8")
    uri, _ = _open(client, path)
    corpus = compile_paths(None, Project(project, project / "policies", project / "build")).corpus
    above = [u for u in corpus.units if u.jurisdiction == "重庆市" and u.role == "民政" and u.kind.value == "unit"]
    assert len(above) == 1
    found = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": _at(text, "发文机关 区民政局", "区民政局")})
    assert f"上级对应 above: {above[0].name}（重庆市）" in found["contents"]["value"]


def test_code_action_makes_the_first_unit_lead(client: LspClient, project: Path) -> None:
    """LS302 (co-responsible units, no lead) on `负责 A、B`: the fix writes 牵头 A and 配合 B, as printed lists mean."""
    path = project / SEED
    text = path.read_text(encoding="utf-8")
    edited = text.replace("    负责 各镇街\n", "    负责 区民政局、各镇街、区财政局\n", 1)
    line = next(i for i, t in enumerate(edited.split("\n")) if "负责 区民政局、各镇街、区财政局" in t)
    uri, found = _open(client, path, edited)
    ls302 = [d for d in found if d["code"] == "LS302" and d["range"]["start"]["line"] == line]
    assert len(ls302) == 1
    actions = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": ls302[0]["range"],
                                                          "context": {"diagnostics": ls302}})
    lead = [a for a in actions if "牵头" in a["title"]]
    assert len(lead) == 1
    edit = lead[0]["edit"]["changes"][uri][0]
    assert edit["range"] == {"start": {"line": line, "character": 0}, "end": {"line": line + 1, "character": 0}}
    assert edit["newText"] == "    牵头 区民政局\n    配合 各镇街、区财政局\n"


def test_positional_requests_outside_a_project_answer_nothing(client: LspClient, project: Path) -> None:
    """Hover, definition and completion in a file that is no policy or units file (server._at_cursor's first
    step) answer null, and the server goes on answering for the policy beside it."""
    notes = project / "notes.txt"
    notes.write_text("负责 各镇街\n", encoding="utf-8")
    uri = notes.as_uri()  # nothing is published for it: no waiting for diagnostics
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1,
                                                            "text": notes.read_text(encoding="utf-8")}})
    at = {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 4}}
    for method in ("textDocument/hover", "textDocument/definition", "textDocument/completion"):
        assert client.request(method, at) is None, method
    faults = [m for m in client.notifications if m.get("method") == "window/logMessage" and m["params"]["type"] == 1]
    assert faults == []  # answered nothing because there is nothing to answer, not because luoshi failed
    path = project / SEED
    text = path.read_text(encoding="utf-8")
    seed, _ = _open(client, path)
    found = client.request("textDocument/hover", {"textDocument": {"uri": seed}, "position": _at(text, "负责 各镇街", "各镇街")})
    assert found["contents"]["value"].startswith("**")
