"""`luoshi draft` as a drafter runs it: to the screen, to files in three formats, for several jurisdictions;
clear errors for bad input; nothing existing overwritten without --force; a draft filed into policies/ checks."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from luoshi.cli import app

from conftest import ROOT

runner = CliRunner()


def test_draft_to_stdout(in_root):
    result = runner.invoke(app, ["draft", "渝府办发〔2018〕161号", "--for", "云阳"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# 云阳县加强城市特殊困难群众救助帮扶工作实施办法（初稿）")
    assert "政策 yfbf-2018-161-云阳县 {" in result.stdout and "落实 yfbf-2018-161:4.4" in result.stdout
    assert "落实上级 16 项任务中的 16 项" in result.stderr and "LS230" in result.stderr


def test_several_jurisdictions_and_formats_into_a_folder(in_root, tmp_path):
    out = tmp_path / "drafts"
    result = runner.invoke(app, ["draft", "yfbf-2018-161", "--for", "云阳县、璧山区", "--for", "大足区",
                                 "-f", "policy", "-f", "docx", "-f", "md", "-o", str(out), "--advance", "1个月", "--phases"])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"yfbf-2018-161-{j}.{ext}" for j in ("云阳县", "璧山区", "大足区") for ext in ("policy", "docx", "md"))
    assert (out / "yfbf-2018-161-璧山区.docx").read_bytes().startswith(b"PK")
    assert "部分 4 \"实施步骤\"" in (out / "yfbf-2018-161-大足区.policy").read_text(encoding="utf-8")


def test_nothing_is_overwritten_without_force(in_root, tmp_path):
    target = tmp_path / "yy.policy"
    target.write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["draft", "yfbf-2018-161", "--for", "云阳县", "-o", str(target)])
    assert result.exit_code == 1 and "--force" in result.stderr and target.read_text(encoding="utf-8") == "mine"
    result = runner.invoke(app, ["draft", "yfbf-2018-161", "--for", "云阳县", "-o", str(target), "--force"])
    assert result.exit_code == 0 and target.read_text(encoding="utf-8").startswith("# 云阳县")


@pytest.mark.parametrize("args,message", [
    (["--for", "云羊镇"], "未知辖区"),  # 云阳镇 is a township of 云阳县 (the division data)
    (["--for", "重庆市"], "本身就是重庆市的政策"),
    (["--for", "云阳县", "--advance", "一个月"], "无法识别的提前量"),
    (["--for", "云阳县", "-s", "9"], "上级政策没有部分「9」"),
    (["--for", "云阳县", "--date", "2019-02-30"], "不存在"),
    (["--for", "云阳县、璧山区", "--id", "x"], "--id 只能用于一个辖区"),
    (["--for", "云阳县", "--id", "1坏:编号"], "不能含空白"),
    (["--for", "云阳县", "--issuer", "县园林绿化局"], "未知单位"),  # 县规划自然资源局 is a standard unit
])
def test_bad_input_is_a_clear_error(in_root, args, message):
    result = runner.invoke(app, ["draft", "yfbf-2018-161", *args])
    assert result.exit_code == 1 and message in result.stderr and "Traceback" not in result.output


def test_draft_filed_into_the_corpus_checks_and_can_be_redrafted(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "policies", tmp_path / "policies")
    (tmp_path / "pyproject.toml").write_text('[tool.luoshi]\npolicies = "policies"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    target = "policies/yfbf-2018-161-璧山区.policy"
    assert runner.invoke(app, ["draft", "yfbf-2018-161", "--for", "璧山区", "-o", target]).exit_code == 0
    check = runner.invoke(app, ["check"])
    assert check.exit_code == 0 and "0 个错误" in check.stderr and "LS230" in check.stderr
    # re-drafting over the filed draft replaces it (no duplicate id); a second file with the same id is refused
    result = runner.invoke(app, ["draft", "yfbf-2018-161", "--for", "璧山区", "-o", target, "--force", "--issuer", "区民政局"])
    assert result.exit_code == 0, result.output
    assert "发文机关 区民政局" in (tmp_path / target).read_text(encoding="utf-8")
    result = runner.invoke(app, ["draft", "yfbf-2018-161", "--for", "璧山区", "-o", "policies/other.policy"])
    assert result.exit_code == 1 and "已被" in result.stderr
