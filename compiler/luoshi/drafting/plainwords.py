"""A 待定 as a drafter reads it in the Word or Markdown document: plain Chinese, without the DSL it carries in
the .policy file (「写作「时限 …」」, 「请加「负责 …」」, 「（角色 财政）」, policy ids, lint codes), which only an
encoder editing the .policy can act on. The .policy keeps the DSL form; only the documents use this."""

from __future__ import annotations

import re

from ..model import Corpus

_HOW_TO_WRITE = re.compile(r"[（(](?:写作|可写|可写作|请写|写)「[^」]*(?:「[^」]*」[^」]*)*」[^）)]*[）)]")
_HOW_TO_WRITE_TAIL = re.compile(r"[，；：]?(?:请写|写作|可写|写)「[^」]*(?:「[^」]*」[^」]*)*」(?:等)?")
_ROLE = re.compile(r"[（(](?:角色 [^）)]*|单位名录未登记其角色)[）)]")
_ADD_UNIT = re.compile(r"请加「(负责|牵头|配合) ([^」]+)」")
_KEYWORD_IN_QUOTES = re.compile(r"[（(]写「(牵头|负责|配合)」[）)]")
_POLICY_ID = re.compile(r"\b([a-z][a-z0-9]*(?:-[a-z0-9]+)*-\d{4}-\d+(?:-[^\s:：「」，。；、]+)?)(?::(\d+(?:\.\d+)*))?")
_CODE = re.compile(r"[（(]?luoshi (?:check|lint)[^）)]*?LS\d{3}[^）)]*[）)]?|\bLS\d{3}\b")


def plain(todo: str, corpus: Corpus, own_id: str | None = None) -> str:
    """The 待定 without DSL: how-to-write hints dropped, roles dropped, policy ids as 文号 (the draft itself as
    「本文」), item ids as 第N项."""
    text = re.sub(r"请写「不予落实[^」]*」", "请说明不予落实的理由", todo)
    text = _ADD_UNIT.sub(lambda m: f"请将{m.group(2)}列为{m.group(1)}单位", text)
    text = _KEYWORD_IN_QUOTES.sub("", text)
    text = _HOW_TO_WRITE.sub("", text)
    text = _HOW_TO_WRITE_TAIL.sub("", text)
    text = _ROLE.sub("", text)
    text = _POLICY_ID.sub(lambda m: _policy(m, corpus, own_id), text)
    text = _CODE.sub("", text)
    text = re.sub(r"(?<=[^\x00-\x7f]) +| +(?=[^\x00-\x7f])", "", text)  # ids sat between spaces
    return re.sub(r"[，；：]+([。」]|$)", r"\1", text).strip()


def _policy(match: re.Match[str], corpus: Corpus, own_id: str | None) -> str:
    pid, item = match.group(1), match.group(2)
    policy = corpus.policy(pid)
    if policy is None:
        return match.group(0)
    name = "本文" if pid == own_id else (f"{policy.number}" if policy.number else f"《{policy.title or pid}》")
    return f"{name}第{item}项" if item else name
