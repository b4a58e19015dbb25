"""Documents referred to by 文号, as they cite each other (issue 24, item 2): 「为认真贯彻落实《…意见》（渝府办发〔2018〕161号）」
is encoded `落实 渝府办发〔2018〕161号` at policy level and `落实 渝府办发〔2018〕161号:2.1` in a task, and resolves to
the policy that prints that 文号. The sentence is the seed's own (tests/fixtures/seeds/000_….txt)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import codes, compile_texts
from luoshi.diagnostics import Sink
from luoshi.syntax.fmt import format_source
from luoshi.syntax.source import SourceFile

SEED = Path(__file__).parent / "fixtures" / "seeds" / "000_e78e4aad8a1576ad.txt"


def _number() -> str:
    """The 文号 the seed's opening sentence cites the city's 意见 by."""
    m = re.search(r"为认真贯彻落实《重庆市人民政府办公厅[^》]+》（([^）]+号)）", SEED.read_text(encoding="utf-8"))
    assert m
    return m.group(1)


PARENT = '政策 yfbf {{ 文号 "{number}" 辖区 重庆市 发文机关 市民政局\n 任务 2.1 "低保" {{ 牵头 市民政局 }}\n 任务 2.2 "特困" {{ 牵头 市民政局 }} }}'


def _child(refs: str, task_ref: str) -> str:
    return (f'政策 child {{ 辖区 云阳县 发文机关 县民政局 成文日期 2019年3月1日 落实 {refs}\n'
            f' 任务 1 "甲" {{ 牵头 县民政局 落实 {task_ref} }} }}')


def test_a_policy_cited_by_its_number(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    number = _number()
    assert number == "渝府办发〔2018〕161号"
    monkeypatch.chdir(tmp_path)
    comp = compile_texts(tmp_path, {"p.policy": PARENT.format(number=number),
                                    "c.policy": _child(number, f"{number}:2.1、2.2")})
    assert codes(comp) == []
    child = comp.corpus.policy("child")
    assert child is not None and child.implements == ("yfbf",)
    assert [(k.policy, k.task) for k in child.tasks[0].implements] == [("yfbf", "2.1"), ("yfbf", "2.2")]


def test_an_unknown_number_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    comp = compile_texts(tmp_path, {"p.policy": PARENT.format(number=_number()),
                                    "c.policy": _child("渝府办发〔2018〕162号", "渝府办发〔2018〕162号:2.1")})
    found = [d for d in comp.diagnostics() if d.code == "LS204"]
    assert len(found) == 2 and all("渝府办发〔2018〕162号" in d.zh for d in found)


def test_the_number_is_kept_as_written() -> None:
    text = _child(_number(), f"{_number()}:2.1") + "\n"
    formatted = format_source(SourceFile.of("c.policy", text), Sink())
    assert formatted is not None and f"落实 {_number()}:2.1" in formatted and f"落实 {_number()}\n" in formatted
