"""The one DSL writer (unparse.py) and `luoshi fmt`: what is written reads back as the same AST, the formatter
is stable, keeps every comment, and leaves the encoded files in policies/ exactly as they are."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from luoshi.syntax import ast
from luoshi.syntax.astbuild import build_ast
from luoshi.diagnostics import Sink
from luoshi.syntax.fmt import format_source
from luoshi.syntax.parse import parser
from luoshi.syntax.source import SourceFile, Span
from luoshi.syntax.unparse import bare_ok, unparse
from luoshi.syntax.unparse import unit as unit_text

POLICY_FILES = sorted(p for p in (ROOT / "policies").rglob("*") if p.suffix in (".policy", ".units"))
FIXTURE_FILES = sorted(p for p in (ROOT / "tests").rglob("*") if p.suffix in (".policy", ".units") and p.is_file())


def strip(node):
    """The node with every span taken out: what `parse(unparse(x)) == x` compares."""
    if isinstance(node, Span):
        return None
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return (type(node).__name__,) + tuple(strip(getattr(node, f.name)) for f in dataclasses.fields(node) if f.compare)
    if isinstance(node, (tuple, list)):
        return tuple(strip(x) for x in node)
    return node


def read(text: str, path: str = "t.policy") -> ast.SourceUnit:
    return build_ast(parser().parse(text), path, text)


def fmt(text: str, path: str = "t.policy") -> tuple[str | None, Sink]:
    sink = Sink()
    return format_source(SourceFile.of(path, text), sink), sink


# ───────────────────────── the encoded corpus ─────────────────────────


@pytest.mark.parametrize("path", POLICY_FILES, ids=lambda p: p.name)
def test_policies_are_formatted(path: Path):
    """`luoshi fmt --check policies/` passes: the writer's layout is the one the files are written in."""
    text = path.read_text(encoding="utf-8")
    formatted, sink = fmt(text, path.name)
    assert not sink.items
    assert formatted == text


@pytest.mark.parametrize("path", POLICY_FILES, ids=lambda p: p.name)
def test_policies_read_back(path: Path):
    """parse(unparse(x)) == x for every file of the corpus, and the written text of every deadline and target
    (what the model shows) is unchanged."""
    text = path.read_text(encoding="utf-8")
    unit = read(text, path.name)
    again = read(unparse(unit), path.name)
    assert strip(again) == strip(unit)
    written = [(d.written) for p in unit.policies for i in _items(p.body) for d in (*i.deadlines, *i.targets)]
    assert written == [(d.written) for p in again.policies for i in _items(p.body) for d in (*i.deadlines, *i.targets)]


def _items(body):
    for node in body:
        if isinstance(node, ast.Section):
            yield from _items(node.body)
        elif isinstance(node, ast.Group):
            yield from _items(node.items)
        elif isinstance(node, ast.Item):
            yield node
            yield from _items(node.children)


@pytest.mark.parametrize("path", [p for p in FIXTURE_FILES if "badinput" not in p.parts], ids=lambda p: p.name)
def test_formatting_is_stable(path: Path):
    """For every test fixture that parses: formatting keeps the AST and formatting twice changes nothing more."""
    text = path.read_bytes().decode("utf-8", "replace")
    first, sink = fmt(text, path.name)
    if first is None:
        assert sink.items  # a file that does not parse is reported, never rewritten
        return
    assert strip(read(first, path.name)) == strip(read(text, path.name))
    assert fmt(first, path.name)[0] == first


# ───────────────────────── generated ASTs ─────────────────────────

N = ast.NOWHERE
HAN = "区县市民政局财政卫生健康委员会教育人力社保乡镇街道办事处失能特困人员集中供养率目标"
bare_names = st.text(HAN + "abcXYZ_·", min_size=1, max_size=8).filter(bare_ok)
any_text = st.text(HAN + 'ab "\\\n\t#/、（）{}:=≥—。，', max_size=20)
task_ids = st.builds(lambda parts: ".".join(map(str, parts)), st.lists(st.integers(1, 40), min_size=1, max_size=3))
item_ids = st.one_of(task_ids, bare_names)


@st.composite
def names(draw, quotable: bool = True) -> ast.Name:
    if quotable and draw(st.booleans()):
        return ast.Name(draw(any_text), N, quoted=True)
    return ast.Name(draw(bare_names), N)


@st.composite
def unit_names(draw, depth: int = 0) -> ast.UnitName:
    if draw(st.booleans()):
        name = ast.Name(draw(any_text), N, quoted=True)
        return ast.UnitName(name, name.text, (), N)
    name = ast.Name(draw(bare_names), N)
    subs = tuple(draw(st.lists(unit_names(depth + 1), max_size=2))) if depth < 2 else ()
    u = ast.UnitName(name, name.text, subs, N)
    return dataclasses.replace(u, written=unit_text(u))


unit_lists = st.lists(unit_names(), min_size=1, max_size=3).map(tuple)


PLANS = [('"十一五"末', 2010), ("“十三五”期末", 2020), ('"十四五"末', 2025), ("十五五末", 2030), ('"十五"末', 2005)]


@st.composite
def dates(draw) -> ast.CnDate:
    if draw(st.integers(0, 9)) == 0:  # a five-year plan's end, as printed
        plan, year = draw(st.sampled_from(PLANS))
        return ast.CnDate(year, None, None, "底", N, plan=plan)
    year = draw(st.integers(1949, 2100))
    if draw(st.booleans()):
        return ast.CnDate(year, draw(st.integers(1, 12)), draw(st.none() | st.integers(1, 28)), None, N, iso=True)
    month = draw(st.none() | st.integers(1, 12))
    day = draw(st.none() | st.integers(1, 31)) if month else None
    edges = ("底", "末", "初", "上旬", "中旬", "下旬") if month else ("底", "末", "初", "上半年", "下半年")
    edge = draw(st.none() | st.sampled_from(edges)) if day is None else None
    return ast.CnDate(year, month, day, edge, N)


quantities = st.builds(lambda v, frac, u: ast.Quantity(f"{v}{frac}", u, N), st.integers(0, 999),
                       st.sampled_from(["", ".5", ".25"]), st.none() | st.sampled_from(["%", "个月", "日", "人", "亿千瓦", "个工作日", "年"]))
labels = st.none() | any_text
seps = st.sampled_from(["至", "到", "—", "–", "~", "～"])
deadlines = st.one_of(
    st.builds(lambda e, b, t, l: ast.Due(end=e, before=b, to=t, label=l, span=N), dates(), st.booleans(), st.booleans(),
              labels),
    st.builds(lambda s, e, sep, b, l: ast.Period(start=s, end=e, sep=sep, before=b, label=l, span=N),
              st.integers(1949, 2100) | dates(), dates(), seps, st.booleans(), labels),
    st.builds(lambda l: ast.Ongoing(label=l, span=N), labels),
    st.builds(lambda f, t, w, l: ast.Recurring(frequency=f, times=t[0], times_written=t[1], window=w, label=l, span=N),
              st.sampled_from(["每年", "每半年", "每季度", "每月", "每周"]),
              st.builds(lambda n: (n, None), st.none() | st.integers(1, 12))
              | st.sampled_from([(1, "一次"), (2, "两次"), (12, "十二次")]),
              st.none() | st.builds(lambda a, b, s: ast.Window(start=a, end=b, sep=s), dates(), dates(), seps), labels),
    st.builds(lambda fw, a, tw, b, q, m, w, l: ast.EventLimit(from_word=fw, from_event=a, to_word=tw if b is not None else "到",
                                                              to_event=b, limit=q, at_most=m, within=w, label=l, span=N),
              st.sampled_from(["从", "自"]), any_text, seps, st.none() | any_text, quantities, st.booleans(),
              st.none() | st.sampled_from(["内", "以内"]), labels),
)
terms = st.builds(lambda q, m, l: ast.Term(q, m, l, N), quantities, st.booleans(), labels)
def _by_word(word, by, rule):
    """「到2025年」 after a number without a unit (`≥ 0 到2025年`) is refused (LS100: the grammar's QUNIT never starts
    with 到 and a digit, so it is not read as the unit 「到2025年」): only 截至 can follow a bare number."""
    if by is None or (word == "到" and isinstance(rule, ast.Compare) and rule.quantity.unit is None):
        return None
    return word


PLAN_SPANS = [('"十四五"', 2025), ("“十四五”期间", 2025), ("十三五时期", 2020), ('"十五"', 2005)]
overs = st.one_of(
    st.builds(lambda plan, c: ast.Over(start=plan[1] - 4, end=ast.CnDate(plan[1], None, None, "底", N), span=N,
                                       plan=plan[0], cumulative=c), st.sampled_from(PLAN_SPANS), st.booleans()),
    st.builds(lambda s, e, sep, c: ast.Over(start=s, end=e, sep=sep, span=N, cumulative=c),
              st.integers(1949, 2100) | dates(), dates(), seps, st.booleans()))

targets = st.builds(
    lambda m, rule, by, word, scope, per, cond, base, note, over, shared: ast.Target(
        metric=m, rule=rule, span=N, by=by, by_word=_by_word(word, by, rule), scope=scope, per=per, condition=cond,
        baseline=base, note=note, over=over, shared=bool(scope) and shared),
    names(), st.builds(lambda c, q, b, w: ast.Compare(comparator=c, quantity=q, within=w, bound=b),
                       st.sampled_from(["≥", ">=", "达到", "不低于", "至少", "控制在", "提高", "降低", "<", "稳定在", "保持"]), quantities,
                       st.none() | st.sampled_from(["以上", "以下"]),
                       st.none() | st.sampled_from(["内", "以内"])) | st.just(ast.Cleared())
    | st.builds(lambda w: ast.Qualitative(word=w), st.sampled_from(sorted(ast.QUALITATIVE))),
    st.none() | dates(), st.none() | st.sampled_from(["到", "前"]), st.just(()) | unit_lists, labels, labels, labels, labels,
    st.none() | overs, st.booleans())
case_rules = st.builds(lambda n, c, v, l: ast.CaseRule(name=ast.Name(n, N), condition=c, verdict=v, span=N, label=l),
                       bare_names, any_text, st.sampled_from(sorted(ast.VERDICTS)), labels)
printed_ids = st.sampled_from(["二（五）", "二（二）二是", "二（二）2", "十二（十一）", "一(三)"])  # as documents print them
refs = st.one_of(st.builds(lambda p: ast.Ref(p, None, N), bare_names),
                 st.builds(lambda p, t: ast.Ref(p, t, N), bare_names, item_ids | printed_ids),
                 st.builds(lambda t: ast.Ref(None, t, N), task_ids | printed_ids))
ref_lists = st.lists(refs, min_size=1, max_size=3).map(tuple)


def _text(cls):
    return st.builds(lambda t: cls(text=t, span=N), any_text)


def _units(cls):
    return st.builds(lambda u: cls(units=u, span=N), unit_lists)


def _assigned(cls):
    """牵头 / 负责 / 配合, sometimes marked （据主送）."""
    return st.builds(lambda u, i: cls(units=u, span=N, inferred=i), unit_lists, st.booleans())


item_statements = st.one_of(
    _assigned(ast.Lead), _assigned(ast.Responsible), _assigned(ast.Cooperate), _text(ast.Original), _text(ast.Note),
    st.builds(lambda w, u: ast.Pasted(word=w, units=u, span=N), st.sampled_from(["责任单位", "牵头单位", "配合单位"]),
              unit_lists),
    _text(ast.Todo), st.builds(lambda r: ast.Implements(refs=r, span=N), ref_lists),
    st.builds(lambda r: ast.Cites(refs=r, span=N), ref_lists),
    st.builds(lambda r, t: ast.Waiver(refs=r, text=t, span=N), ref_lists, any_text),
    deadlines, terms, targets, case_rules)


def items(depth: int = 0):
    children = st.lists(items(depth + 1), max_size=2) if depth < 2 else st.just([])
    return st.builds(lambda k, i, t, e, c: ast.Item(kind=k, id=ast.Name(i, N), title=t, span=N, entries=tuple(e + c)),
                     st.sampled_from(list(ast.ItemKind)), item_ids, labels, st.lists(item_statements, max_size=5), children)


groups = st.builds(lambda t, e: ast.Group(title=t, span=N, entries=tuple(e)), any_text,
                   st.lists(items(1) | _text(ast.Note), max_size=3))
sections = st.builds(
    lambda i, t, e: ast.Section(id=ast.Name(i, N), title=t, span=N, entries=tuple(e)), item_ids, any_text,
    st.lists(st.one_of(_text(ast.Original), _text(ast.Note), _text(ast.Todo), items(1), groups), max_size=4))
policy_statements = st.one_of(
    _text(ast.DocNumber), _text(ast.Title), _units(ast.Issuer), _units(ast.Addressees), _units(ast.Copied),
    st.builds(lambda d: ast.DateStatement(date=d, span=N), dates()),
    st.builds(lambda n: ast.JurisdictionRef(name=ast.Name(n, N), span=N), bare_names),
    st.builds(lambda n: ast.Level(name=ast.Name(n, N), span=N), bare_names),
    st.builds(lambda r: ast.Implements(refs=r, span=N), ref_lists), _text(ast.Original), _text(ast.Note),
    st.builds(lambda r: ast.LeadRule(rule=r, span=N), st.sampled_from(["首位", "无"])))
policies = st.builds(lambda k, i, s, b: ast.Policy(kind=k, id=ast.Name(i, N), span=N, entries=tuple(s + b)),
                     st.sampled_from(list(ast.PolicyKind)), bare_names, st.lists(policy_statements, max_size=4),
                     st.lists(st.one_of(sections, items(), groups), max_size=3))
unit_options = st.one_of(
    st.builds(lambda n: ast.RoleRef(name=ast.Name(n, N), span=N), bare_names),
    st.builds(lambda ns: ast.Aliases(names=tuple(ns), span=N), st.lists(names(), min_size=1, max_size=3)),
    _units(ast.Members), st.builds(lambda n: ast.PartOf(name=n, span=N), names()), _text(ast.Note))
unit_decls = st.builds(lambda k, n, o: ast.UnitDecl(kind=k, name=n, span=N, options=tuple(o)),
                       st.sampled_from(list(ast.UnitDeclKind)), names(), st.lists(unit_options, max_size=3))
jurisdiction_attributes = st.one_of(
    st.builds(lambda n: ast.JurisdictionKind(name=ast.Name(n, N), span=N), bare_names),
    st.builds(lambda n: ast.Level(name=ast.Name(n, N), span=N), bare_names),
    st.builds(lambda n: ast.Parent(name=ast.Name(n, N), span=N), bare_names),
    st.builds(lambda ns: ast.Aliases(names=tuple(ns), span=N), st.lists(names(), min_size=1, max_size=2)))
jurisdictions = st.builds(  # 别名 after a unit would belong to the unit: attributes first (see the test below)
    lambda n, a, u: ast.JurisdictionDecl(name=ast.Name(n, N), span=N, entries=tuple(a + u)),
    bare_names, st.lists(jurisdiction_attributes, max_size=3), st.lists(unit_decls, max_size=3))
roles = st.builds(lambda n, d, a: ast.RoleDecl(name=ast.Name(n, N), span=N, description=d, aliases=tuple(a)),
                  bare_names, labels, st.lists(names(), max_size=2))
source_units = st.builds(lambda d: ast.SourceUnit("t.policy", tuple(d)),
                         st.lists(st.one_of(policies, jurisdictions, roles), max_size=3))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source_units)
def test_generated_asts_read_back(unit: ast.SourceUnit):
    text = unparse(unit)
    assert strip(read(text)) == strip(unit), text
    assert fmt(text)[0] == text  # what the writer writes is already formatted


def test_jurisdiction_aliases_after_a_unit_are_written_before_it():
    alias = ast.Aliases(names=(ast.Name("渝", N),), span=N)
    unit = ast.UnitDecl(kind=ast.UnitDeclKind.UNIT, name=ast.Name("市民政局", N), span=N)
    j = ast.JurisdictionDecl(name=ast.Name("重庆市", N), span=N, entries=(unit, alias))
    text = unparse([j])
    assert text == "辖区 重庆市 {\n  别名 渝\n  单位 市民政局\n}\n"
    [back] = read(text).jurisdictions
    assert [a.text for a in back.aliases] == ["渝"] and back.units[0].aliases == ()


def test_english_keywords_are_written_in_chinese():
    text = ('policy p { title "t" task 1 { lead A deadline yearly 2 times 2019-01 to 2020-12 '
            'deadline from "a" to "b" within 3日 deadline 2019年底 before target r >= 40% by 2020年底 scope B } }')
    out, sink = fmt(text)
    assert not sink.items
    assert out == ('政策 p {\n  标题 "t"\n\n  任务 1 {\n    牵头 A\n    时限 每年2次 2019-01至2020-12\n'
                   '    时限 从 "a" 至 "b" 不超过 3日\n    时限 2019年底前\n    目标 r >= 40% 截至 2020年底 范围 B\n  }\n}\n')
    assert strip(read(out)) == strip(read(text))


# ───────────────────────── comments ─────────────────────────

COMMENTED = '''# 头注释
# 第二行

政策 p {  # 行尾注释
  标题 "甲"
  # 任务前的注释
  任务 1 "乙" { 牵头 市民政局   // 另一种注释
  }

  # 结尾前的注释
}
# 文件末尾
'''


def test_comments_are_kept_in_place():
    out, sink = fmt(COMMENTED)
    assert not sink.items
    assert out == '''# 头注释
# 第二行

政策 p {  # 行尾注释
  标题 "甲"

  # 任务前的注释
  任务 1 "乙" {
    牵头 市民政局  // 另一种注释
  }

  # 结尾前的注释
}
# 文件末尾
'''
    assert fmt(out)[0] == out


def test_comment_inside_a_statement_is_refused():
    text = '政策 p {\n  任务 1 {\n    牵头 市民政局、\n    # 在单位之间\n    市财政局\n  }\n}\n'
    out, sink = fmt(text)
    assert out is None
    [d] = sink.items
    assert (d.code, d.span.line, d.span.column) == ("LS106", 4, 5)
    assert "注释" in d.zh and "comment" in d.en


def test_suppression_on_a_line_that_would_be_split_is_refused():
    """`# luoshi: ignore[…]` names its line: a layout that splits the line would change what it suppresses."""
    text = '政策 p {\n  任务 1 { 待定 "x" }  # luoshi: ignore[LS230] 起草中\n}\n'
    out, sink = fmt(text)
    assert out is None and [d.code for d in sink.items] == ["LS106"]
    fine = '政策 p {\n  任务 1 {\n    待定 "x"  # luoshi: ignore[LS230] 起草中\n  }\n}\n'
    assert fmt(fine)[0] == fine


# ───────────────────────── the command ─────────────────────────


def _luoshi(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "luoshi", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT / "compiler"), "PATH": "/usr/bin:/bin", "LUOSHI_LANG": "en"})


def test_fmt_command(tmp_path: Path):
    messy = tmp_path / "a.policy"
    messy.write_text('政策 p { 标题 "甲"   任务 1 "乙" { 牵头 市民政局 } }\n', encoding="utf-8")
    tidy = tmp_path / "b.policy"
    tidy.write_text('政策 q {\n  标题 "丙"\n}\n', encoding="utf-8")
    broken = tmp_path / "c.policy"

    check = _luoshi("fmt", "--check", str(tmp_path), cwd=tmp_path)
    assert check.returncode == 1
    assert "would reformat: a.policy" in check.stdout and "b.policy" not in check.stdout

    diff = _luoshi("fmt", "--diff", "a.policy", cwd=tmp_path)
    assert diff.returncode == 1 and "+  任务 1 \"乙\" {" in diff.stdout
    assert messy.read_text(encoding="utf-8").startswith("政策 p { 标题")  # --diff writes nothing

    done = _luoshi("fmt", "a.policy", "b.policy", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert messy.read_text(encoding="utf-8") == '政策 p {\n  标题 "甲"\n\n  任务 1 "乙" {\n    牵头 市民政局\n  }\n}\n'
    assert _luoshi("fmt", "--check", ".", cwd=tmp_path).returncode == 0

    broken.write_text('政策 r {\n  标题 "丁\n}\n', encoding="utf-8")
    bad = _luoshi("fmt", "c.policy", cwd=tmp_path)
    assert bad.returncode == 1 and "LS101" in bad.stderr and "c.policy:2:" in bad.stderr
    assert broken.read_text(encoding="utf-8") == '政策 r {\n  标题 "丁\n}\n'  # never rewritten


def test_fmt_check_on_the_corpus():
    result = _luoshi("fmt", "--check", "policies", cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
