"""`render_site(inputs)`: the docs site's Markdown sources and files, as {path under site/: bytes}.

A pure function of the model and what the driver read for it (lint findings, the last compliance report, the
reference pages): it writes nothing. Pages come from jinja2 templates in `templates/site/`, rendered by an
environment made per call. Autoescape is on, so macros return Markup, and `finalize` Markdown-escapes (and
HTML-escapes) every value that is not our own Markup before it is output: a template that forgets a filter
still cannot let policy text become markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any, TypeVar, overload

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..backends.wording import date_zh, deadline_zh, target_zh, task_label
from ..diagnostics import Diagnostic
from ..model import Corpus, Jurisdiction, Policy, PolicyKind, Task, Unit, derived
from ..semantics.graph import CorpusGraph, build_graph
from ..syntax.highlight import html_code_blocks
from . import compliance, diagrams, downloads, schedule, search, views
from .escape import html_text, md_block, md_inline, with_page_title
from .features import Diffs, value_wording
from .paths import (
    diff_page,
    jurisdiction_page,
    matrix_page,
    policy_page,
    relative,
    role_page,
    slug,
    task_page,
    unit_page,
)

_Item = TypeVar("_Item")  # what a listing page lists: policies, or (child, parent) pairs of policy ids

ASSETS = ("mermaid.min.js", "mermaid.LICENSE.txt", "mermaid.NOTICE.txt", "luoshi.js", "luoshi.css", "search.js")
THEME = ("partials/search.html", "404.html")   # theme overrides (mkdocs.yml's custom_dir: site/.theme), out of the docs
DIFF_STATUS = {"same": "相同", "moved": "职责调整", "changed": "修改", "removed": "未列", "added": "新增"}
NOT_AVAILABLE = "本功能尚未在此版本的 luoshi 中提供。"
WORKBOOK = "downloads/督查报告.xlsx"


@dataclass(frozen=True)
class SiteInputs:
    """What the site shows besides the model. None for a feature means "not available in this luoshi"."""

    corpus: Corpus
    lint: list[Diagnostic] | None = None
    diffs: Diffs | None = None
    compliance_available: bool = False
    compliance: dict[str, Any] | None = None  # the last `luoshi comply --format json` report, when there is one
    compliance_source: str | None = None
    workbook: bytes | None = None           # the 督查 workbook (`luoshi comply --format xlsx`) beside the report
    dsl_reference: str | None = None
    rules_reference: str | None = None
    encoding_reference: str | None = None
    table_formats: tuple[str, ...] = downloads.TABLE_FORMATS
    checklist_formats: tuple[str, ...] = downloads.CHECKLIST_FORMATS


def environment(cg: CorpusGraph, paged: frozenset[str] | None = None) -> Environment:
    """The templates' environment; `paged` is the units that have a page (`views.units_with_pages`), all when None."""
    env = Environment(loader=PackageLoader("luoshi", "templates/site"), autoescape=True, undefined=StrictUndefined,
                      finalize=md_inline, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    corpus = cg.corpus
    env.globals.update(
        corpus=corpus, cg=cg, label=views.label, full_title=views.full_title, citation=views.citation, task_label=task_label, date_zh=date_zh,
        deadline_zh=deadline_zh, target_zh=target_zh, units_by_role=views.units_by_role, deadlines=views.deadlines, targets=views.targets,
        terms=views.terms, parents=lambda t: views.parents(corpus, t), children=lambda t: views.children(cg, t.key),
        policy_page=policy_page, task_page=task_page, unit_page=unit_page, diff_page=diff_page, has_page=views.has_page,
        unit_has_page=(lambda uid: True) if paged is None else paged.__contains__,
        jurisdiction_page=jurisdiction_page, role_page=role_page, matrix_page=matrix_page,
        policies_in=lambda j: views.policies_in(corpus, j),
        task_of=lambda pid, tid: _task(corpus, pid, tid), day_zh=lambda d: f"{d.year}年{d.month}月{d.day}日",
        heading=lambda level: Markup("#" * min(level, 6)), indent=lambda depth: Markup("    " * depth),
        html=html_text, mdblock=md_block, md=md_inline, kind_zh=views.KIND_ZH, unit_kind_zh=views.UNIT_KIND_ZH,
        diff_status=DIFF_STATUS, format_zh=downloads.FORMAT_ZH, nowrap=_nowrap,
        check_wording=lambda r: _check_wording(corpus, r),
        reword=lambda text: _reword(corpus, text), for_readers=lambda text: views.for_readers(corpus, text),
        plain_ids=lambda text: views.plain_ids(corpus, text),
        child_status=lambda t: views.child_status(cg, t), policy_coverage=lambda pid: views.policy_coverage(cg, pid))
    return env


def _nowrap(value: object) -> Markup:
    """A table cell's text kept on one line (a date, a 文号), escaped like any value."""
    return Markup('<span class="luoshi-nowrap">') + md_inline(value) + Markup("</span>")


class _Pages:
    """Renders pages into `out`, each with `link()` bound to its own path; a searchable page's kind and exact
    names go to the search index (`search.py`)."""

    def __init__(self, env: Environment):
        self.env = env
        self.out: dict[str, bytes] = {}
        self.search: dict[str, tuple[str, list[str], int]] = {}
        self.entries: list[search.Entry] = []   # search results that are not a page of their own

    def entry(self, path: str, title: str, kind: str, names: list[str], text: str, tier: int) -> None:
        """A search result for something shown on page `path` without a page of its own (a derived unit)."""
        self.entries.append(search.Entry(path[: -len(".md")] + ".html", title, kind, names, text, tier))

    def page(self, path: str, template: str, *, searchable: bool = True, toc: bool = True, kind: str = "页面",
             names: list[str] | None = None, tier: int = search.FIRST_TIER, **context: object) -> None:
        text = self.env.get_template(template).render(link=lambda target: relative(path, target), here=path, **context)
        # Out of the theme's search index, always: the site searches its own (search.py); `searchable` is ours.
        self.out[path] = with_page_title(text, searchable=False, toc=toc).encode("utf-8")
        if searchable:
            self.search[path] = (kind, names or [], tier)


def render_site(inputs: SiteInputs) -> dict[str, bytes]:
    corpus = inputs.corpus
    cg = build_graph(corpus)
    duties_by_unit = downloads.checklists(cg, inputs.checklist_formats)
    paged = views.units_with_pages(corpus, {uid for uid, c in duties_by_unit.items() if c.duties})
    pages = _Pages(environment(cg, paged))
    policies = views.encoded(corpus)
    measures = _measure_diffs(inputs.diffs)
    pairs: dict[str, list[tuple[str, str]]] = {}
    for pair in (inputs.diffs.pairs if inputs.diffs else {}):
        for pid in dict.fromkeys(pair):
            pairs.setdefault(pid, []).append(pair)

    listing = views.listing(corpus)
    jurisdictions = _jurisdiction_tree(corpus)
    shown_policies, policies_below = listing.split(corpus, policies, lambda p: p.jurisdiction)
    shown_jurisdictions = [j for j in jurisdictions if listing.shows(corpus, j.id)]
    pages.page("index.md", "index.md.j2", policies=shown_policies, below=_below(policies_below), documents=_documents(corpus),
               tree=diagrams.implementation_tree(corpus), jurisdictions=shown_jurisdictions,
               counts=_counts(corpus, inputs), lint=inputs.lint, diffs=inputs.diffs)
    pages.page("policies/index.md", "policies.md.j2", toc=False, policies=shown_policies, below=_below(policies_below),
               documents=_documents(corpus), referrers=_referrers(corpus, listing))
    for policy in policies:
        files = downloads.table(corpus, policy.id, inputs.table_formats)
        pages.page(policy_page(policy.id), "policy.md.j2", kind="政策", names=search.policy_names(policy, views.label(policy)), p=policy, items=views.policy_items(policy),
                   chain=diagrams.policy_chain(corpus, policy), children_policies=views.policy_children(corpus, policy.id),
                   table_files=files, subtasks=lambda t, p=policy: views.subtasks(p, t),
                   diffs=pairs.get(policy.id, []))
        if files:
            pages.out.update(files)
            markdown = files.get(f"downloads/tables/{policy.id}.md")
            if markdown is not None:
                pages.out.pop(f"downloads/tables/{policy.id}.md")
                pages.page(f"tables/{slug(policy.id)}.md", "table.md.j2", p=policy,
                           body=_table_body(markdown, files.get(f"downloads/tables/{policy.id}.html")),
                           files=files, searchable=False, toc=False)  # the policy's page says it all, and is found
        pages.page(matrix_page(policy.id), "matrix_policy.md.j2", x=_matrix(policy), searchable=False, toc=False)
        for task in policy.tasks:
            if views.has_page(task):
                _task_page(pages, cg, inputs, policy, task, measures)
    as_of = compliance.as_of(inputs.compliance)
    report = compliance.ReportView(corpus, inputs.compliance) if inputs.compliance else None
    for unit in corpus.units:
        if unit.id not in paged:  # found by search on its jurisdiction's page, which lists it
            pages.entry(jurisdiction_page(unit.jurisdiction), unit.name, "单位", search.unit_names(unit),
                        search.unit_text(unit, views.UNIT_KIND_ZH[unit.kind.value]), search.LAST_TIER)
            continue
        checklist = duties_by_unit[unit.id]
        rows = schedule.schedule(cg, unit, as_of)
        feed = schedule.calendar_path(unit) if any(r.dated for r in rows) else None
        if feed:
            pages.out[feed] = schedule.calendar(corpus, unit, rows)
        pages.page(unit_page(unit), "unit.md.j2", kind="单位", toc=False, names=search.unit_names(unit),
                   tier=search.unit_tier(unit, bool(checklist.duties)), u=unit, c=checklist, place=diagrams.unit_place(cg, unit, checklist.duties),
                   counterparts=views.nearest_counterparts(corpus, unit), sub_units=views.sub_units(corpus, unit),
                   groups=views.groups_of(corpus, unit), downloads=checklist.files, rows=rows, feed=feed, as_of=as_of,
                   report=report, members=report.members(unit.id)[0] if report else [])
        pages.out.update(checklist.files)
    pages.page("units/index.md", "units.md.j2", jurisdictions=shown_jurisdictions, checklists=duties_by_unit)
    in_tree = {j.id for j in jurisdictions}  # the model's parents are known and acyclic; any other gets a page too
    for j in jurisdictions + [_node(corpus, j, 0) for j in corpus.jurisdictions if j.id not in in_tree]:
        pages.page(jurisdiction_page(j.id), "jurisdiction.md.j2", kind="辖区", names=[j.id], j=j, checklists=duties_by_unit,
                   policies=views.policies_in(corpus, j.id), subs=[_node(corpus, s, 0) for s in views.sub_jurisdictions(corpus, j.id)])
    roles = _roles(corpus)
    pages.page("roles/index.md", "roles.md.j2", roles=roles)
    for role in roles:
        levels = views.role_groups(corpus, role.id)
        kinds = {u.kind for lv in levels for place in lv.places for u in place.units}
        pages.page(role_page(role.id), "role.md.j2", kind="角色", names=[role.id], r=role, levels=levels, mixed=len(kinds) > 1, checklists=duties_by_unit)
    shown_matrices, matrices_below = listing.split(corpus, policies, lambda p: p.jurisdiction)
    pages.page("matrix.md", "matrix.md.j2", matrices=[_matrix(p) for p in shown_matrices], below=_below(matrices_below))
    pages.page("lint.md", "lint.md.j2", toc=False, findings=_by_severity(inputs.lint), where=_locator(corpus),
               anchors=_rule_anchors(inputs.rules_reference), not_available=NOT_AVAILABLE)
    if inputs.workbook is not None:
        pages.out[WORKBOOK] = inputs.workbook
    pages.page("compliance.md", "compliance.md.j2", toc=False, available=inputs.compliance_available, report=inputs.compliance,
               view=report, source=compliance.file_name(inputs.compliance_source) if inputs.compliance_source else None,
               workbook=WORKBOOK if inputs.workbook is not None else None, file_name=compliance.file_name,
               status_zh=compliance.STATUS_ZH, by_unit=compliance.by_unit, fold_units=compliance.FOLD_UNITS, known_places={j.id for j in corpus.jurisdictions}, not_available=NOT_AVAILABLE)
    _diff_pages(pages, inputs.diffs, corpus, listing)
    pages.page("glossary.md", "glossary.md.j2", roles=roles, levels=views.LEVEL_ORDER)
    for name, text in (("dsl", inputs.dsl_reference), ("rules", inputs.rules_reference),
                       ("encoding", inputs.encoding_reference)):
        body = html_code_blocks(text) if text is not None else None  # the DSL in its colours (highlight.py)
        pages.page(f"reference/{name}.md", "reference.md.j2", body=body, name=name, not_available=NOT_AVAILABLE)
    for name in ASSETS:
        pages.out[f"assets/{name}"] = resources.files("luoshi.site").joinpath("assets", name).read_bytes()
    for name in THEME:
        pages.out[f".theme/{name}"] = resources.files("luoshi").joinpath("templates", "site", "theme", name).read_bytes()
    pages.out.update(search.build_index(pages.out, pages.search, search.exact_names(corpus), pages.entries))
    return pages.out


_HTML_TABLE = re.compile(r"^<table>\n.*?^</table>$", re.DOTALL | re.MULTILINE)


def _table_body(markdown: bytes, html: bytes | None) -> tuple[str, str]:
    """The table page's (heading and 文号, table): the table backend's own HTML table (escaped by the backend),
    whose section rows span the whole row and whose group titles span their rows, which a Markdown table cannot;
    md_in_html passes the block through as it stands. Without the HTML format, the Markdown table. The page puts
    the downloads between the two, where a reader on a phone finds them before a long table."""
    text = markdown.decode("utf-8")
    head = text[:text.index("\n|")] if "\n|" in text else text
    found = _HTML_TABLE.search(html.decode("utf-8")) if html is not None else None
    if found is None:
        return head.rstrip("\n"), text[len(head):].strip("\n") + "\n"
    return head.rstrip("\n"), '<div class="luoshi-table-page">\n' + found.group(0) + "\n</div>\n"


def _task_page(pages: _Pages, cg: CorpusGraph, inputs: SiteInputs, policy: Policy, task: Task,
               measures: dict[tuple[str, str], list[object]]) -> None:
    corpus = cg.corpus
    up = views.parents(corpus, task)
    down = views.children(cg, task.key)
    pages.page(task_page(task), "task.md.j2", kind="任务", names=search.task_names(task, task_label(task)), p=policy, t=task, section=views.section_of(policy, task),
               measure=policy.task(task.parent) if task.parent else None, subtasks=views.subtasks(policy, task),
               chain=diagrams.task_chain(cg, task.key), columns=_columns(corpus, policy, task, up, down),
               measure_diffs=measures.get((task.key.policy, task.key.task), []), diffs_available=inputs.diffs is not None)


# ───────────── side by side ─────────────


@dataclass(frozen=True)
class Column:
    policy: Policy
    task: Task
    relation: str                  # 上级 / 本项 / 下级
    cells: dict[str, list[tuple[str, bool]]]  # row → [(text or Markup, differs from 本项)]


ROWS = ("牵头", "负责", "配合", "时限", "目标")
UNLISTED = "（未列）"   # a row this task fills and its parent or child leaves empty: a difference too


def _scope(policy: Policy, task: Task) -> list[Task]:
    out = [task]
    for t in policy.tasks:
        if t.parent and any(t.parent == o.id for o in out):
            out.append(t)
    return out


def _column_values(corpus: Corpus, policy: Policy, task: Task) -> dict[str, list[tuple[str, str]]]:
    """row → [(shown text, comparison key)]: units compare by counterpart role, dates and targets by their
    wording (metric and value)."""
    values: dict[str, list[tuple[str, str]]] = {row: [] for row in ROWS}
    for t in _scope(policy, task):
        for a in t.assignments:
            if a.inherited:
                continue
            unit = corpus.unit(a.unit.unit)
            values[a.role.zh].append((a.unit.written, f"role:{unit.role}" if unit and unit.role else a.unit.unit))
        values["时限"] += [(deadline_zh(d), deadline_zh(d, label=False)) for d in t.deadlines]
        values["目标"] += [(target_zh(x), f"{x.metric}|{x.comparator.value}|{x.value:g}|{x.unit}") for x in t.targets]
    for row in ROWS:
        values[row] = list(dict.fromkeys(values[row]))
    return values


def _columns(corpus: Corpus, policy: Policy, task: Task, up: list[tuple[Policy, Task]],
             down: list[tuple[Policy, Task]]) -> list[Column]:
    if not up and not down:
        return []
    mine = _column_values(corpus, policy, task)
    keys = {row: {k for _, k in mine[row]} for row in ROWS}
    columns = []
    for relation, pairs in (("上级", up), ("本项", [(policy, task)]), ("下级", down)):
        for p, t in pairs:
            values = mine if t is task else _column_values(corpus, p, t)
            cells = {row: [(text, t is not task and key not in keys[row]) for text, key in values[row]] for row in ROWS}
            if t is not task:
                cells.update({row: [(UNLISTED, True)] for row in ROWS if mine[row] and not values[row]})
            columns.append(Column(p, t, relation, cells))
    return columns


def _measure_diffs(diffs: Diffs | None) -> dict[tuple[str, str], list[object]]:
    """(policy, task) → `luoshi diff`'s measure comparisons that involve the task, shown as the diff page shows
    them. Made once for the whole site: a task page that went through every pair's measures itself made the site
    quadratic in the corpus (70 of 164 s at 3,648 pages)."""
    found: dict[tuple[str, str], list[object]] = {}
    if diffs is None:
        return found
    for diff in diffs.pairs.values():
        shown, _ = diffs.module.shown(diff)
        for s in shown:
            for key in dict.fromkeys((k.policy, k.task) for k in (s.measure.child, s.measure.parent)):
                found.setdefault(key, []).append(s)
    return found


def _reword(corpus: Corpus, text: str | None) -> str:
    """A value of `luoshi diff` in the checklist's wording, when it is a target the corpus has; else as it is."""
    if not text:
        return ""
    wording: dict[str, str] = derived(corpus, "site.value-wording", value_wording)
    return wording.get(text, text)


_CELL_ROW = re.compile(r"^\|.*\|$", re.MULTILINE)


def _reworded_table_rows(corpus: Corpus, markdown: str) -> str:
    """`luoshi diff`'s Markdown with each table cell that is a target's diff text in the checklist's wording."""
    def row(found: re.Match[str]) -> str:
        cells = found.group(0).split(" | ")
        return " | ".join(str(md_inline(_reword(corpus, c))) if _reword(corpus, c) != c else c for c in cells)

    return _CELL_ROW.sub(row, markdown)


def _diff_pages(pages: _Pages, diffs: Diffs | None, corpus: Corpus, listing: views.Listing) -> None:
    """A page per compared pair; the index lists the pairs whose lower policy a listing shows and counts the rest
    (each policy's page links its own comparisons)."""
    pairs = sorted(diffs.pairs) if diffs else []
    shown, below = listing.split(corpus, pairs, lambda pair: _jurisdiction_of(corpus, pair[0]))

    def level(pair: tuple[str, str]) -> str | None:
        policy = corpus.policy(pair[0])
        return policy.level if policy else None

    pages.page("diffs/index.md", "diffs.md.j2", available=diffs is not None, pairs=shown, below=_below(below, level),
               not_available=NOT_AVAILABLE)
    markdown = diffs.markdown if diffs else {}
    for child, parent in pairs:
        pages.page(diff_page(child, parent), "diff.md.j2", body=views.plain_ids(corpus, _reworded_table_rows(corpus, markdown[(child, parent)]),
                                                   lambda label: str(md_inline(label))), child=child, parent=parent,
                   searchable=False)  # the two policies' pages (and each task's page) are found instead


# ───────────── home, units, matrix, glossary ─────────────


def _documents(corpus: Corpus) -> list[Policy]:
    return sorted((p for p in corpus.policies if p.kind is PolicyKind.DOCUMENT), key=lambda p: p.id)


def _counts(corpus: Corpus, inputs: SiteInputs) -> dict[str, int]:
    policies = [p for p in corpus.policies if p.kind is PolicyKind.POLICY]
    return {"政策": len(policies), "文件": len(corpus.policies) - len(policies),
            "任务": sum(1 for p in policies for t in p.tasks if views.has_page(t)),
            "单位": len(corpus.units), "辖区": len(corpus.jurisdictions)}


@dataclass(frozen=True)
class JurisdictionNode:
    id: str
    depth: int
    kind: str | None
    level: str | None
    parent: str | None
    units: list[Unit]
    subs: int            # jurisdictions directly below


def _node(corpus: Corpus, j: Jurisdiction, depth: int) -> JurisdictionNode:
    return JurisdictionNode(j.id, depth, j.kind, j.level, j.parent, views.units_in(corpus, j.id),
                            len(views.sub_jurisdictions(corpus, j.id)))


def _jurisdiction_tree(corpus: Corpus) -> list[JurisdictionNode]:
    """Jurisdictions depth first (中国, 重庆市 → 云阳县 → 青龙街道 …), each with its units."""
    out: list[JurisdictionNode] = []
    seen: set[str] = set()

    def visit(parent: str | None, depth: int) -> None:
        for j in views.sub_jurisdictions(corpus, parent):
            if j.id not in seen:  # a cycle in the registry is lint's to report
                seen.add(j.id)
                out.append(_node(corpus, j, depth))
                visit(j.id, depth + 1)

    visit(None, 0)
    return out


@dataclass(frozen=True)
class Below:
    """Items a listing leaves to a jurisdiction's page: how many, at which levels, under which jurisdiction."""

    total: int
    levels: list[tuple[str, int]]                # level → count
    places: list[tuple[str | None, int]]         # shown jurisdiction (its page lists them) → count


def _policy_level(policy: Policy) -> str | None:
    return policy.level


@overload
def _below(groups: list[tuple[str | None, list[Policy]]]) -> Below: ...
@overload
def _below(groups: list[tuple[str | None, list[_Item]]], level_of: Callable[[_Item], str | None]) -> Below: ...
def _below(groups: list[tuple[str | None, list[Any]]],
           level_of: Callable[[Any], str | None] = _policy_level) -> Below:
    levels: dict[str, int] = {}
    for _, items in groups:
        for item in items:
            level = level_of(item) or "未标层级"
            levels[level] = levels.get(level, 0) + 1
    ordered = sorted(levels.items(), key=lambda kv: views.level_rank(kv[0]))
    return Below(sum(len(items) for _, items in groups), ordered, [(j, len(items)) for j, items in groups])


def _jurisdiction_of(corpus: Corpus, policy_id: str) -> str | None:
    policy = corpus.policy(policy_id)
    return policy.jurisdiction if policy else None


def _referrers(corpus: Corpus, listing: views.Listing) -> dict[str, tuple[list[Policy], int]]:
    """Document id → (the encoded policies a listing shows that implement or cite it, how many more do)."""
    shown: dict[str, list[Policy]] = {}
    more: dict[str, int] = {}
    for p in views.encoded(corpus):
        for pid in dict.fromkeys((*p.implements, *p.cites)):
            if listing.shows(corpus, p.jurisdiction):
                shown.setdefault(pid, []).append(p)
            else:
                more[pid] = more.get(pid, 0) + 1
    return {pid: (shown.get(pid, []), more.get(pid, 0)) for pid in shown.keys() | more.keys()}


@dataclass(frozen=True)
class Matrix:
    policy: Policy
    tasks: list[Task]
    rows: list[tuple[str, list[str]]]  # unit id → one cell per task: 牵 / 负 / 配 / ""


def _matrix(policy: Policy) -> Matrix:
    short = {"lead": "牵", "co_responsible": "负", "cooperate": "配"}
    tasks = [t for t in policy.tasks if any(not a.inherited for a in t.assignments)]
    units: dict[str, dict[str, str]] = {}
    for t in tasks:
        for a in t.assignments:
            if not a.inherited:
                for ref in (a.unit, *a.unit.subunits):
                    units.setdefault(ref.unit, {}).setdefault(t.id, short[a.role.value])
    rows = sorted(units.items(), key=lambda kv: (-sum(1 for v in kv[1].values() if v != "配"), kv[0]))
    return Matrix(policy, tasks, [(uid, [cells.get(t.id, "") for t in tasks]) for uid, cells in rows])


@dataclass(frozen=True)
class RoleSummary:
    id: str
    description: str | None
    count: int
    levels: list[tuple[str | None, int]]   # level → units of the role there


def _roles(corpus: Corpus) -> list[RoleSummary]:
    """Each counterpart role with its number of units per level (the units themselves are on the role's page)."""
    described = {r.id: r.description for r in corpus.roles}
    out = []
    for role in views.role_ids(corpus):
        levels = [(lv.level, lv.count) for lv in views.role_groups(corpus, role)]
        out.append(RoleSummary(role, described.get(role), sum(n for _, n in levels), levels))
    return out


# ───────────── lint and compliance ─────────────


SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _by_severity(findings: list[Diagnostic] | None) -> list[Diagnostic] | None:
    """Errors first, then warnings and hints; within each, the order lint gave (file and line)."""
    if findings is None:
        return None
    return sorted(findings, key=lambda d: SEVERITY_ORDER.get(d.severity.value, len(SEVERITY_ORDER)))


def _rule_anchors(reference: str | None) -> dict[str, str]:
    """code → `#anchor` of the rule's heading in the rules reference (`## LS302 ambiguous-lead`), slugified as
    mkdocs.yml's toc extension does, so a finding links to its rule's explanation."""
    if not reference:
        return {}
    from pymdownx.slugs import slugify

    slug_of = slugify(case="lower")
    found = re.findall(r"^#{1,6} ((LS\d+)\b.*)$", reference, re.MULTILINE)
    return {code: "#" + slug_of(heading.strip(), "-") for heading, code in found}


def _locator(corpus: Corpus) -> Callable[[Diagnostic], tuple[Policy | None, Task | None]]:
    """d → (policy, innermost task) a finding's span falls in, for a link to the task's page; the policies are
    looked up by file once, not scanned per finding."""
    by_file: dict[str, list[Policy]] = {}
    for p in corpus.policies:
        if p.kind is PolicyKind.POLICY:
            by_file.setdefault(p.file, []).append(p)

    def where(d: Diagnostic) -> tuple[Policy | None, Task | None]:
        if d.span is None:
            return None, None
        for p in by_file.get(d.span.file, ()):
            if p.span.line <= d.span.line <= p.span.end_line:
                inside = [t for t in p.tasks if views.has_page(t) and t.span.line <= d.span.line <= t.span.end_line]
                return p, max(inside, key=lambda t: t.span.line, default=None)
        return None, None

    return where


def _task(corpus: Corpus, policy_id: str | None, task_id: str | None) -> tuple[Policy | None, Task | None]:
    policy = corpus.policy(policy_id) if policy_id else None
    task = policy.task(task_id) if policy and task_id else None
    return policy, (task if task is not None and views.has_page(task) else None)


def _check_wording(corpus: Corpus, result: dict[str, Any]) -> str:
    """What a compliance check holds a unit to, worded as the checklist words it (「2020年底前」, 「救助时限不超过
    3个工作日」): the deadline or target the report's `source` (file:line:column) points at, in the task or in
    the enclosing task it inherits its deadlines from; the rule as written when the corpus has no such clause."""
    policy = corpus.policy(result.get("policy") or "")
    task = policy.task(result.get("task") or "") if policy else None
    source = result.get("source")
    while task is not None and source:
        for d in task.deadlines:
            if str(d.span) == source:
                return deadline_zh(d)
        for t in task.targets:
            if str(t.span) == source:
                return target_zh(t)
        task = policy.task(task.parent) if policy is not None and task.parent else None
    return str(result.get("rule") or "")
