"""The files the site offers for download, made by the other backends: each policy's responsibility table in
every format (tables backend) and each unit's checklist (checklist backend), under `downloads/`.

A table's Markdown is not a download but a page of the site (`tables/<policy>.md`): mkdocs would turn a `.md`
download into a page anyway, and its `.html` would then clash with the table's own HTML file.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..backends import checklist as checklist_backend
from ..backends import table as table_backend
from ..backends.checklist import Checklist, file_stem
from ..backends.templating import environment
from ..model import Corpus
from ..semantics.duties import Duty
from ..semantics.graph import CorpusGraph
from .features import table_files

TABLE_FORMATS = table_backend.FORMATS
CHECKLIST_FORMATS = ("xlsx",)
FORMAT_ZH = {str(fmt): spec.label_zh for fmt, spec in table_backend.FORMAT_SPECS.items()}  # xlsx: also the checklists


def table(corpus: Corpus, policy_id: str, formats: tuple[str, ...]) -> dict[str, bytes] | None:
    """downloads/tables/<policy>.<fmt>; None when the table backend is missing, {} when no task names a unit."""
    files = table_files(corpus, policy_id, formats)
    if files is None:
        return None
    return {f"downloads/{name}": data for name, data in files.items()}


@dataclass(frozen=True)
class UnitChecklist:
    checklist: Checklist
    files: dict[str, bytes]  # downloads/checklists/<辖区>/<单位>.<fmt>

    @property
    def duties(self) -> list[Duty]:
        return [item.duty for item in self.checklist.tasks]


def checklists(cg: CorpusGraph, formats: tuple[str, ...]) -> dict[str, UnitChecklist]:
    """Every unit's checklist (recurring tasks as one undated row each: the site has no date range), with its
    download files when it owes anything."""
    env = environment()
    out = {}
    for unit in cg.corpus.units:
        checklist = checklist_backend.build_checklist(cg, unit.id)
        files = {}
        if checklist.items:
            for fmt in formats:
                files[f"downloads/checklists/{file_stem(unit)}.{fmt}"] = checklist_backend.render_checklist(
                    checklist, cg.corpus, fmt, env)
        out[unit.id] = UnitChecklist(checklist, files)
    return out
