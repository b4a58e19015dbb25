"""luoshi (落实): a policy-as-code compiler for chains of Chinese policy documents.

The pipeline, one module per stage::

    source text ──parse.py + astbuild.py──▶ AST (ast.py, with spans; built at lark's reductions)
        ──resolve.py (+ registry.py)──▶ frozen model (model.py) ──backends/──▶ artifacts

Diagnostics (diagnostics.py) are data collected by every stage and shown by render.py.
"""

__version__ = "0.1.0"
