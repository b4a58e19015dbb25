"""One in-process stage of the benchmark, run by bench/run.py in its own process (so its peak memory is its own).
Prints one JSON object: seconds per step. Run from the project folder.

    python bench/stages.py lark [luoshi|positions|ast] [JOBS]   # baseline: lark's own LALR parse of every file with
                                       # luoshi's grammar (its options, or propagate_positions), on JOBS cores (2);
                                       # `ast`: luoshi's parse into its AST (parse_ast), the same way
    python bench/stages.py compile     # luoshi: read + parse + AST (cold, no cache), then resolve
    python bench/stages.py backends    # compile, then each backend of `luoshi build` on its own
    python bench/stages.py scan DATA   # baseline: a plain DuckDB scan of the completion data
    python bench/stages.py comply DATA [AS_OF]   # luoshi comply step by step: wall and CPU seconds of each
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def _files() -> list[Path]:
    from luoshi.driver.pipeline import source_files
    from luoshi.driver.project import find_project

    return source_files(find_project().policies)


# The bare parse, with the options luoshi parses with (syntax/parse.py PARSER_OPTIONS: every token kept, spans
# taken from them by the AST builder) and, for the record, with the options luoshi used until round 7
# (propagate_positions: lark computes every node's span itself, 1.6× the bare parse).
LARK_OPTIONS = {
    "luoshi": {"keep_all_tokens": True, "propagate_positions": False},
    "positions": {"keep_all_tokens": False, "propagate_positions": True},
}
_PARSER = None


def _parse_only(text: str) -> int:
    """One file parsed in a worker: the tree is dropped, only its size goes back (nothing to pickle)."""
    return len(_PARSER.parse(text).children)


def _ast_only(text: str) -> int:
    """One file parsed into luoshi's AST in a worker (`parse.parse_ast`, or for a luoshi from before it the tree
    and `build_ast`; no cache, nothing pickled back)."""
    from luoshi.diagnostics import Sink
    from luoshi.syntax import parse
    from luoshi.syntax.source import SourceFile

    source, sink = SourceFile.of("f.policy", text), Sink()
    if hasattr(parse, "parse_ast"):
        unit = parse.parse_ast(source, sink)
    else:
        from luoshi.syntax.astbuild import build_ast

        tree = parse.parse_source(source, sink)
        unit = build_ast(tree, source.path, source.text) if tree is not None else None
    return len(unit.decls) if unit is not None else 0


def lark_baseline(mode: str = "luoshi", jobs: str = "2") -> dict:
    """lark's own LALR parse of every file with luoshi's grammar and nothing else: no AST, no cache. With 2 jobs
    the files are parsed as luoshi's parse workers parse them (a forked `multiprocessing` pool, imap in chunks of
    16: driver/perf.parallel_map), the texts read in the parent. Imports only lark: the grammar is read from the
    repository and its tables kept in the project folder (lark checks the grammar's hash), as luoshi keeps
    its own in the user's cache folder."""
    global _PARSER
    import multiprocessing

    from lark import Lark

    work = _parse_only
    if mode == "ast":  # luoshi's own parse into its AST (syntax/parse.py parse_ast), the same way, for the ratio
        from luoshi.syntax import parse

        getattr(parse, "ast_parser", parse.parser)()  # built in the parent, shared with the forked workers
        work = _ast_only
    else:
        grammar = (Path(__file__).resolve().parents[1] / "grammar" / "luoshi.lark").read_text(encoding="utf-8")
        _PARSER = Lark(grammar, parser="lalr", lexer="contextual", maybe_placeholders=False,
                       cache=f".bench-lark-{mode}.cache", **LARK_OPTIONS[mode])
    folder = Path("policies")
    paths = sorted((p for p in folder.rglob("*") if p.suffix in (".policy", ".units")), key=lambda p: p.parts)
    texts = [p.read_text(encoding="utf-8") for p in paths]
    started = time.perf_counter()
    if int(jobs) > 1:
        with multiprocessing.get_context("fork").Pool(int(jobs)) as pool:
            sizes = list(pool.imap(work, texts, chunksize=16))
    else:
        sizes = [work(t) for t in texts]
    return {"lark parse": time.perf_counter() - started, "files": len(texts), "decls": sum(sizes)}


def compile_stages() -> dict:
    from luoshi.driver import perf
    from luoshi.syntax.astcache import AstCache
    from luoshi.diagnostics import Sink
    from luoshi.driver.pipeline import parse_sources, read_sources
    from luoshi.semantics.resolve import resolve

    perf.FREEZE = True
    paths = [p.resolve() for p in _files()]
    sink = Sink()
    with perf.gc_paused():
        started = time.perf_counter()
        units = parse_sources(read_sources(paths, sink, {}), sink, AstCache(None))
        parsed = time.perf_counter()
        resolve(list(units.values()), sink)
        done = time.perf_counter()
    return {"parse + AST": parsed - started, "resolve": done - parsed, "files": len(paths), "errors": sink.error_count}


def backends() -> dict:
    from luoshi.driver import perf
    from luoshi.artifacts import PRODUCERS
    from luoshi.driver.pipeline import compile_paths

    perf.FREEZE = True
    comp = compile_paths(None)
    out: dict = {}
    size = 0
    for producer in PRODUCERS:
        started = time.perf_counter()
        data = producer.render(comp.corpus)
        out[f"build: {producer.name}"] = time.perf_counter() - started
        size += sum(map(len, data.values()))
    out["bytes"] = size
    return out


def scan(data: str) -> dict:
    """The baseline of `luoshi comply`: one DuckDB query over the columns luoshi reads of the bench data (the ten
    that decide a verdict; 备注 only where a 政策 cell is blank, never in this data), with DuckDB's default threads as
    luoshi runs it. Until round 8 it read 备注 in place of 案件 and 事件: 3–9 % more CPU than these (bench/README.md)."""
    import duckdb

    started = time.perf_counter()
    row = duckdb.connect().execute(f"""SELECT count(*), count(DISTINCT 政策 || 任务 || 单位), min(日期), max(日期),
                         sum(length(coalesce(数值, ''))), sum(length(coalesce(案件, ''))), count(事件), count(状态),
                         count(范围), count(指标)
                         FROM read_parquet('{data}')""").fetchone()
    return {"duckdb scan": time.perf_counter() - started, "rows": row[0]}


def comply(data: str, as_of: str = "2024-12-31") -> dict:
    """`luoshi comply DATA -f json` in-process, step by step, as [wall, CPU] seconds (CPU of every thread, DuckDB's
    included): the fixed costs (imports, compiling the corpus, `compile_plan`; with BENCH_PLAN_CACHE=1 the kept plan),
    then the engine's steps on the data, then the report."""
    import datetime as dt

    clock = [time.perf_counter(), time.process_time()]
    out: dict = {}

    def mark(step: str) -> None:
        now = [time.perf_counter(), time.process_time()]
        out[step] = [round(now[0] - clock[0], 3), round(now[1] - clock[1], 3)]
        clock[:] = now

    from luoshi.driver import perf
    from luoshi.comply.engine import run
    from luoshi.comply.loaders import load_tables
    from luoshi.comply.report import render_json
    from luoshi.diagnostics import Sink

    perf.FREEZE = True  # as the command line does
    mark("imports")
    if os.environ.get("BENCH_PLAN_CACHE"):
        from luoshi.comply.plancache import project_plan

        kept = project_plan().plan
        assert kept is not None, "the corpus compiles without errors"
        plan = kept
        mark("the kept plan")
    else:
        from luoshi.commands._corpus import load_corpus
        from luoshi.comply.checks import compile_plan

        corpus = load_corpus()
        mark("compile the corpus")
        plan = compile_plan(corpus)
        mark("compile_plan")
    sink = Sink()
    tables = load_tables([Path(data)], sink, {Path(data): data})
    outcome = run(plan, tables, dt.date.fromisoformat(as_of), sink, files=[data], mark=mark)
    text = render_json(outcome)
    mark("JSON report")
    out["rows"], out["checks"], out["report bytes"] = outcome.rows_read, len(outcome.results), len(text.encode())
    return out


def main() -> None:
    stage = sys.argv[1]
    result = {"compile": compile_stages, "backends": backends}.get(stage)
    out = lark_baseline(*sys.argv[2:]) if stage == "lark" else result() if result else comply(*sys.argv[2:]) if stage == "comply" else scan(sys.argv[2])
    os.write(1, (json.dumps(out, ensure_ascii=False) + "\n").encode())
    if stage == "comply":
        os._exit(0)  # as the command line ends (`cli._exit`): the frozen heap is not torn down


if __name__ == "__main__":
    main()
