"""The model export: the whole corpus as JSON, with its JSON Schema beside it."""

from __future__ import annotations

import json
from typing import Any

from ..model import Corpus, corpus_json_schema


def _dump(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def corpus_json(corpus: Corpus) -> dict[str, Any]:
    return corpus.model_dump(mode="json")


def render(corpus: Corpus) -> dict[str, bytes]:
    return {
        "model/corpus.json": _dump(corpus_json(corpus)),
        "model/corpus.schema.json": _dump(corpus_json_schema()),
    }
