"""The luoshi language server (`luoshi lsp`, stdio): diagnostics as you type, completion, hover, go-to-definition
and quick fixes for `.policy` and `.units` files.

Split so that what an editor asks is answered by plain functions over one compile of the corpus:

    analysis.py   one compile (the pipeline's own stages, with the open documents' unsaved text) and the lookups
                  the features need: what lies at a position, the units in scope, the policies
    positions.py  luoshi spans (1-based, characters) ↔ LSP ranges (0-based, UTF-16 code units)
    features.py   the answers: diagnostics, completion items, hover text, definitions, code actions
    server.py     the pygls wiring: which request calls which answer; nothing else

Needs the `lsp` extra (`pip install 'luoshi[lsp]'`: pygls); the rest of luoshi does not import this package.
"""
