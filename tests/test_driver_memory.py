"""The full run's memory cuts change nothing it finds: ASTs kept pickled between stages (`pipeline.Packed`) and
equal values shared across the model as it is built (interned strings, one `resolve.Shared`) give the model and diagnostics of the run that keeps
every AST and shares nothing; and the sharing is real (one object per value)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

from luoshi import model
from luoshi.driver import pipeline
from luoshi.syntax.astcache import AstCache


def _stages(root: Path, keep_asts: bool) -> pipeline.Stages:
    files = pipeline.source_files(root / "policies")
    return pipeline.run_stages([p.resolve() for p in files], {}, AstCache(None), keep_asts=keep_asts)


def _walk(node: object) -> list[object]:
    out, todo = [], [node]
    while todo:
        n = todo.pop()
        out.append(n)
        if isinstance(n, model.BaseModel):
            todo.extend(n.__dict__.values())
        elif dataclasses.is_dataclass(n):  # the slotted nodes: unit references, assignments
            todo.extend(getattr(n, f.name) for f in dataclasses.fields(n))
        elif isinstance(n, tuple):
            todo.extend(n)
    return out


def test_packed_asts_give_the_kept_run_s_model_and_diagnostics(in_root):
    kept, packed = _stages(in_root, True), _stages(in_root, False)
    assert isinstance(packed.units, pipeline.Packed) and not isinstance(kept.units, pipeline.Packed)
    assert kept.corpus.model_dump_json() == packed.corpus.model_dump_json()
    assert [d.model_dump() for d in kept.sink()] == [d.model_dump() for d in packed.sink()]
    assert list(kept.units) == list(packed.units)
    shown = next(s for s in kept.units if s.endswith("yyfbf-2019-22.policy"))
    assert packed.units[shown] == kept.units[shown]  # unpickled on demand, equal to the kept AST
    assert packed.units[shown] is not packed.units[shown]


def test_shared_values_are_one_object_each(in_root):
    corpus = _stages(in_root, False).corpus
    nodes = _walk(corpus.policies) + _walk(corpus.units)
    keys = [n for n in nodes if type(n) is model.TaskKey]
    strings = [v for n in nodes if isinstance(n, model.BaseModel) for v in n.__dict__.values() if type(v) is str]
    refs = [n for n in nodes if type(n) is model.UnitRef]
    assert len(refs) > 400 and all(r.unit is sys.intern(r.unit) and r.written is sys.intern(r.written) for r in refs)
    assert len(keys) > len({(k.policy, k.task) for k in keys}) > 100  # repeated keys, on the seed corpus
    assert len({id(k) for k in keys}) == len({(k.policy, k.task) for k in keys})
    assert len(strings) > 2 * len(set(strings)) and len({id(s) for s in strings}) == len(set(strings))


def test_built_shared_keeps_enums_and_equality():
    """The model is shared as it is built: each file's strings are new objects, the trusted constructors intern
    them, and one `resolve.Shared` gives a compile one object per task key and date."""
    from luoshi.semantics.resolve import Shared

    span = pipeline.Span(file="f", line=1, column=1, end_line=1, end_column=2)
    shared = Shared()

    def make() -> model.Task:  # each string built anew, as each file's resolve builds its own
        ref = model.unit_ref("".join(["璧山区/", "区民政局"]), "".join(["区", "民政局"]), span)
        return model.Task.trusted(key=shared.key("".join(["p", "1"]), "".join(["1"])), id="".join(["1"]),
                                  kind=model.ItemKind.TASK, order=1, title="".join(["甲", "乙"]),
                                  assignments=(model.assignment(model.AssignmentRole.LEAD, ref),), span=span)

    first, second = make(), make()
    assert first == second and second.kind is model.ItemKind.TASK
    assert second.assignments[0].role is model.AssignmentRole.LEAD
    assert second.key is first.key and second.key.policy is first.key.policy and second.key.task is first.id
    assert second.id is first.id and second.title is first.title
    a, b = first.assignments[0].unit, second.assignments[0].unit
    assert b.unit is a.unit and b.written is a.written


def test_every_field_holding_text_is_interned_where_built(in_root):
    """The trusted constructors intern the fields `model._text_fields` names: on the seed corpus and its
    registry every other field holds only None, numbers, flags, enums, spans, task keys, dates or nodes (or its
    class's default: a deadline's `kind`), so no string escapes the interning (task keys and dates go through
    `resolve.Shared`)."""
    corpus = _stages(in_root, False).corpus
    others: dict[tuple[str, str], set[str]] = {}
    for node in _walk(corpus.policies) + _walk(corpus.units) + _walk(corpus.jurisdictions):
        if isinstance(node, model.BaseModel):
            texts = model._text_fields(type(node))
            for name, value in node.__dict__.items():
                if name not in texts and value is not type(node).model_fields[name].default:  # a deadline's kind
                    kinds = {type(v).__name__ for v in value} if type(value) is tuple else {type(value).__name__}
                    others.setdefault((type(node).__name__, name), set()).update(kinds)
    assert ("Task", "span") in others and ("Task", "kind") in others and ("Task", "key") in others
    plain = {"NoneType", "int", "float", "bool", "Span", "TaskKey", "date"}
    nodes = {name for name in dir(model) if isinstance(getattr(model, name), type)}
    assert not [k for k, v in others.items() if any(t not in plain and t not in nodes for t in v)]
    assert not [k for k, v in others.items() if "str" in v]


def _index_of(units: list, from_heads: bool) -> tuple[object, list]:
    from luoshi.diagnostics import Sink
    from luoshi.semantics.resolve import Indexer

    indexer, sink = Indexer(), Sink()
    for unit in units:
        if from_heads:
            heads = pipeline.Heads.of(unit)
            indexer.add(heads.policies, heads.task_ids)
        else:
            indexer.add(unit.policies)
    return indexer.finish(sink), list(sink)


def test_heads_index_as_the_whole_ast_does(in_root):
    """A file parsed in the full run is indexed from what its parse took (`pipeline.Heads`): over the seed corpus
    and every parsing fixture together (ids used twice among them: LS203 on each declaration; the 文号 such copies
    share is no LS221 besides), the index and its diagnostics are those of the whole ASTs."""
    from luoshi.diagnostics import Sink
    from luoshi.syntax.astbuild import build_ast
    from luoshi.syntax.parse import parse_source
    from luoshi.syntax.source import read_source

    units = []
    for path in sorted([*(in_root / "policies").rglob("*.policy"), *(in_root / "tests/fixtures").rglob("*.policy")]):
        source = read_source(path, str(path.relative_to(in_root)))
        tree = parse_source(source, Sink())
        if tree is not None:
            units.append(build_ast(tree, source.path, source.text))
    whole, whole_diags = _index_of(units, False)
    heads, heads_diags = _index_of(units, True)
    assert len(units) > 30 and whole == heads and whole_diags == heads_diags
    assert "LS203" in {d.code for d in whole_diags} and whole.duplicates
    assert sum(len(ids) for ids in whole.task_ids.values()) > 500


def test_full_run_unpickles_a_parsed_file_once(in_root, monkeypatch):
    """The cold full run indexes the files it parsed from their heads: only the registry's files (which declare
    jurisdictions or roles) are unpickled before resolving, and the model is the kept run's."""
    loaded: list[str] = []
    first_load = pipeline.Packed.first_load

    def spy(self, shown, sink, cache):
        loaded.append(shown)
        return first_load(self, shown, sink, cache)

    monkeypatch.setattr(pipeline, "_PARSED", {})  # nothing remembered from another test: every file is parsed
    monkeypatch.setattr(pipeline.Packed, "first_load", spy)
    seen: list[str] = []
    files = pipeline.source_files(in_root / "policies")
    packed = pipeline.run_stages([p.resolve() for p in files], {}, AstCache(None), keep_asts=False,
                                 seen=lambda shown, unit: seen.append(shown))
    assert loaded and all(s.endswith(".units") for s in loaded) and len(loaded) < len(packed.units)
    assert sorted(seen) == sorted(packed.units)
    assert packed.corpus.model_dump_json() == _stages(in_root, True).corpus.model_dump_json()


def test_packed_sources_read_as_the_files(in_root, monkeypatch):
    """A full run over enough files to parse them as the workers do keeps each text compressed after the parse
    (`pipeline.PackedSource`) and each AST's bytes only until the file is resolved: the model, the diagnostics and
    the lint findings with their inline suppressions (the seed corpus has them) are the kept run's."""
    from luoshi.lint.engine import lint

    monkeypatch.setenv("LUOSHI_JOBS", "1")  # parsed in this process, as a worker parses (texts compressed)
    monkeypatch.setattr(pipeline.perf, "PARALLEL_MIN", 1)
    monkeypatch.setattr(pipeline, "_PARSED", {})  # nothing remembered: every file is parsed
    packed, kept = _stages(in_root, False), _stages(in_root, True)
    assert all(type(s) is pipeline.PackedSource for s in packed.sources.values())
    assert packed.sources == kept.sources and list(packed.sources) == list(kept.sources)
    assert [hash(s) for s in packed.sources.values()] == [hash(s) for s in kept.sources.values()]
    assert all(p.lines == k.lines for p, k in zip(packed.sources.values(), kept.sources.values()))
    assert isinstance(packed.units, pipeline.Packed) and not any(packed.units.data.values())  # all released
    assert kept.corpus.model_dump_json() == packed.corpus.model_dump_json()
    assert [d.model_dump() for d in kept.sink()] == [d.model_dump() for d in packed.sink()]
    with_kept, with_packed = lint(kept.corpus, kept.sources), lint(packed.corpus, packed.sources)
    assert with_kept.suppressed and len(with_packed.suppressed) == len(with_kept.suppressed)
    assert list(map(repr, with_packed.diagnostics)) == list(map(repr, with_kept.diagnostics)) != []
    shown = next(s for s in kept.units if s.endswith("yyfbf-2019-22.policy"))
    assert packed.units[shown] == kept.units[shown]  # released, so parsed again from its packed source


def test_packed_source_keeps_any_text():
    """Compressed as UTF-8 with surrogates passed through: a text with lone surrogates (an in-memory source) comes
    back as it was, and pickles as a plain `SourceFile`."""
    import pickle

    for text in ("", "一\n二\n", "a\ud800b\n", "x" * 100_000):
        source = pipeline.PackedSource("f.policy", pipeline.PackedSource.pack(text))
        plain = pipeline.SourceFile.of("f.policy", text)
        assert source.text == text and source == plain and hash(source) == hash(plain) and source.lines == plain.lines
        again = pickle.loads(pickle.dumps(source))
        assert type(again) is pipeline.SourceFile and again == plain


def test_parent_holds_no_text_while_files_parse(in_root, monkeypatch):
    """With enough files to parse them as the workers do, the parse stage gets each missing file as its path only
    (the texts read to key them are dropped: `pipeline.read_packed`), and the run still gives the kept run's
    sources, model and diagnostics."""
    monkeypatch.setenv("LUOSHI_JOBS", "1")
    monkeypatch.setattr(pipeline.perf, "PARALLEL_MIN", 1)
    monkeypatch.setattr(pipeline, "_PARSED", {})
    monkeypatch.setattr(AstCache, "empty", lambda self: False)  # a cache with other entries: each file looked up
    real = pipeline._parse_into
    held: list[tuple[int, int, int]] = []

    def parsing(packed, missing, sink, cache):
        held.append((len(missing), sum(m.source is None and m.file is not None for m in missing),
                     sum(len(packed.sources[m.shown].text) for m in missing)))
        real(packed, missing, sink, cache)

    monkeypatch.setattr(pipeline, "_parse_into", parsing)
    packed = _stages(in_root, False)
    monkeypatch.setattr(pipeline, "_parse_into", real)
    kept = _stages(in_root, True)
    assert held[0][0] == held[0][1] == len(kept.sources) > 10 and held[0][2] == 0
    assert packed.sources == kept.sources and list(packed.sources) == list(kept.sources)
    assert kept.corpus.model_dump_json() == packed.corpus.model_dump_json()
    assert [d.model_dump() for d in kept.sink()] == [d.model_dump() for d in packed.sink()]


def test_file_gone_before_its_worker_reads_it(scratch_project, monkeypatch):
    """A file that goes between the parent's read (to key it) and its parse's (`pipeline.read_packed`) is reported
    as the read stage reports a file it cannot read, and left out; the other files are compiled."""
    monkeypatch.setenv("LUOSHI_JOBS", "1")
    monkeypatch.setattr(pipeline.perf, "PARALLEL_MIN", 1)
    monkeypatch.setattr(pipeline, "_PARSED", {})
    monkeypatch.setattr(AstCache, "empty", lambda self: False)  # a cache with other entries: each file looked up
    gone = sorted(scratch_project.policies.rglob("*.policy"))[0].resolve()
    look_up = pipeline._look_up

    def delete_after_reading(packed, source, file, missing, cache):
        look_up(packed, source, file, missing, cache)
        if file is not None and Path(file) == gone:
            gone.unlink()

    monkeypatch.setattr(pipeline, "_look_up", delete_after_reading)
    after = _stages(scratch_project.root, False)
    shown = pipeline.display_path(gone)
    assert shown.endswith(".policy") and shown not in after.sources and shown not in after.units
    assert len(after.sources) > 10 and len(after.corpus.policies) > 5
    lost = [d for d in after.sink() if d.code == "LS103"]
    assert len(lost) == 1 and lost[0].span is not None and lost[0].span.file == shown
    assert lost[0].zh.startswith("无法读取文件") and lost[0].en.startswith("cannot read the file")


def test_cold_run_reads_no_file_in_the_parent(scratch_project, monkeypatch):
    """With nothing in the AST cache or the memo (a cold run), no file is read or keyed in the parent to be looked
    up (`pipeline._parse_unread`): each is read where it is parsed. The run gives the kept run's sources, model and
    diagnostics in their order (what reading reports: a GB18030 file, a file gone since it was listed; and syntax
    errors); and the AST cache is filled for the next run."""
    monkeypatch.setenv("LUOSHI_JOBS", "1")
    monkeypatch.setattr(pipeline.perf, "PARALLEL_MIN", 1)
    monkeypatch.setattr(pipeline, "_PARSED", {})
    folder = scratch_project.policies
    (folder / "a-syntax.policy").write_text("政策 {{{\n", encoding="utf-8")
    (folder / "b-gbk.policy").write_bytes("政策 甲 {\n".encode("gb18030"))
    (folder / "zz-syntax.policy").write_text("任务 }\n", encoding="utf-8")
    files = [p.resolve() for p in pipeline.source_files(folder)] + [(folder / "c-gone.policy").resolve()]
    looked_up: list[str] = []
    monkeypatch.setattr(pipeline, "_look_up", lambda packed, source, *rest: looked_up.append(source.path))
    cache = AstCache(scratch_project.root)
    assert cache.empty()
    cold = pipeline.run_stages(files, {}, cache, keep_asts=False)
    assert looked_up == [] and cache.misses == len(files) and not cache.empty()
    kept = pipeline.run_stages(files, {}, AstCache(None), keep_asts=True)
    assert cold.sources == kept.sources and list(cold.sources) == list(kept.sources)
    assert kept.corpus.model_dump_json() == cold.corpus.model_dump_json()
    codes = [(d.code, d.span.file.rsplit("/", 1)[-1] if d.span else "") for d in cold.sink()]
    assert codes[:4] == [("LS100", "a-syntax.policy"), ("LS102", "b-gbk.policy"), ("LS103", "c-gone.policy"),
                         ("LS100", "zz-syntax.policy")]
    assert list(map(repr, kept.sink())) == list(map(repr, cold.sink()))
