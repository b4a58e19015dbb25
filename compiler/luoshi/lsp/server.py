"""The pygls wiring of `luoshi lsp`: which LSP message calls which answer of features.py. Nothing else lives here.

The corpus is compiled again (analysis.analyse: only edited files are parsed again) when a document is opened,
changed, saved or closed, and diagnostics are published for every open document of that project; hover,
completion, definition and code actions read the last compile. A fault in luoshi while answering is logged to the
client and answered with nothing, so the editor keeps its server.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from .. import __version__
from ..driver.pipeline import SOURCE_SUFFIXES, display_path
from ..driver.project import Project, find_project
from . import features
from .analysis import Snapshot, analyse
from .positions import char_column, to_range

T = TypeVar("T")


class LuoshiServer(LanguageServer):
    """A language server that keeps the last compile of each project it has documents open in."""

    def __init__(self) -> None:
        super().__init__("luoshi", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.snapshots: dict[Path, Snapshot] = {}  # project root → last compile
        self.published: dict[Path, set[str]] = {}  # project root → URIs that have diagnostics shown

    # ── documents ──
    def path_of(self, uri: str) -> Path | None:
        path = to_fs_path(uri)
        return Path(path).resolve() if path else None

    def project_of(self, uri: str) -> Project | None:
        path = self.path_of(uri)
        return find_project(path.parent) if path is not None and path.suffix in SOURCE_SUFFIXES else None

    def documents(self, project: Project) -> dict[Path, str]:
        """The open documents of a project, with their unsaved text."""
        found: dict[Path, str] = {}
        for uri, doc in self.workspace.text_documents.items():
            path = self.path_of(uri)
            if path is not None and path.suffix in SOURCE_SUFFIXES and find_project(path.parent).root == project.root:
                found[path] = doc.source
        return found

    def refresh(self, uri: str) -> None:
        """Compile the document's project again and publish the diagnostics of its open documents."""
        project = self.project_of(uri)
        if project is None:
            return
        documents = self.documents(project)
        snap = analyse(project, documents)
        self.snapshots[project.root] = snap
        shown_now: set[str] = set()
        for path in documents:
            target = path.as_uri()
            shown_now.add(target)
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=target, diagnostics=features.diagnostics(snap, display_path(path))))
        for gone in self.published.get(project.root, set()) - shown_now:  # closed: clear what was shown
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=gone, diagnostics=[]))
        self.published[project.root] = shown_now

    def snapshot(self, uri: str) -> tuple[Snapshot, str] | None:
        """The last compile of the document's project (made now if there is none) and the document's shown path."""
        project, path = self.project_of(uri), self.path_of(uri)
        if project is None or path is None:
            return None
        if project.root not in self.snapshots:
            self.snapshots[project.root] = analyse(project, self.documents(project))
        return self.snapshots[project.root], display_path(path)

    def guarded(self, what: str, answer: Callable[[], T], fallback: T) -> T:
        try:
            return answer()
        except Exception:  # noqa: BLE001 — a bug in luoshi must not take the editor's server down: log it, answer nothing
            self.window_log_message(types.LogMessageParams(
                type=types.MessageType.Error, message=f"luoshi {what}: {traceback.format_exc()}"))
            return fallback


server = LuoshiServer()


def _where(snap: Snapshot, shown: str, position: types.Position) -> tuple[int, int]:
    """The 1-based line and character column of an LSP position in the file shown as `shown`."""
    source = snap.source(shown)
    line = position.line + 1
    return line, char_column(source.line(line), position.character) if source is not None else position.character + 1


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LuoshiServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.guarded("didOpen", lambda: ls.refresh(params.text_document.uri), None)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: LuoshiServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.guarded("didChange", lambda: ls.refresh(params.text_document.uri), None)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: LuoshiServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.guarded("didSave", lambda: ls.refresh(params.text_document.uri), None)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: LuoshiServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.guarded("didClose", lambda: ls.refresh(params.text_document.uri), None)


def _at_cursor(ls: LuoshiServer, what: str, uri: str, position: types.Position,
               answer: Callable[[Snapshot, str, int, int], T | None]) -> T | None:
    """A request about a place in a document, answered by `answer(snapshot, shown path, line, column)` (1-based,
    columns in characters) from the last compile of the document's project; nothing for a document outside a
    project, and nothing (logged) when luoshi fails — the preamble every positional request shares."""

    def run() -> T | None:
        found = ls.snapshot(uri)
        if found is None:
            return None
        snap, shown = found
        return answer(snap, shown, *_where(snap, shown, position))

    return ls.guarded(what, run, None)


@server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[":", " "]))
def completion(ls: LuoshiServer, params: types.CompletionParams) -> types.CompletionList | None:
    def answer(snap: Snapshot, shown: str, line: int, column: int) -> types.CompletionList:
        return types.CompletionList(is_incomplete=False, items=features.completions(snap, shown, line, column))

    return _at_cursor(ls, "completion", params.text_document.uri, params.position, answer)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: LuoshiServer, params: types.HoverParams) -> types.Hover | None:
    def answer(snap: Snapshot, shown: str, line: int, column: int) -> types.Hover | None:
        found = features.hover(snap, shown, line, column)
        if found is None:
            return None
        text, span = found
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
                           range=to_range(span, snap.source(shown)))

    return _at_cursor(ls, "hover", params.text_document.uri, params.position, answer)


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def definition(ls: LuoshiServer, params: types.DefinitionParams) -> types.Location | None:
    def answer(snap: Snapshot, shown: str, line: int, column: int) -> types.Location | None:
        span = features.definition(snap, shown, line, column)
        if span is None:
            return None
        return types.Location(uri=features.uri_of(snap, span.file), range=to_range(span, snap.source(span.file)))

    return _at_cursor(ls, "definition", params.text_document.uri, params.position, answer)


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
def code_action(ls: LuoshiServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    def answer() -> list[types.CodeAction] | None:
        found = ls.snapshot(params.text_document.uri)
        source = found[0].source(found[1]) if found is not None else None
        return features.code_actions(params.text_document.uri, source, list(params.context.diagnostics)) or None

    return ls.guarded("codeAction", answer, None)


def main() -> None:
    """Serve over stdin/stdout until the client says exit."""
    server.start_io()
