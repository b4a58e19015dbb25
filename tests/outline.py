"""A compact, reviewable projection of a policy's model for golden snapshots: structure, units with roles,
deadlines, terms, targets and links — no spans and no original text (test_seeds checks those against the seeds)."""

from __future__ import annotations

from luoshi.model import EventLimitDeadline, Policy, RecurringDeadline


def _unit(ref) -> str:
    extra = "" if ref.written == ref.unit.split("/", 1)[1] else f" «{ref.written}»"
    others = " (others)" if ref.others else ""
    subs = f" [{', '.join(s.unit for s in ref.subunits)}]" if ref.subunits else ""
    return f"{ref.unit}{extra}{others}{subs}"


def outline(p: Policy) -> str:
    lines = [f"{p.kind.value} {p.id} | {p.number or '-'} | {p.title or '-'} | {p.date or '-'} | {p.jurisdiction or '-'} {p.level or ''}".rstrip()]
    for label, refs in (("issuers", p.issuers), ("to", p.addressees), ("cc", p.cc)):
        if refs:
            lines.append(f"{label}: " + "; ".join(_unit(r) for r in refs))
    for label, ids in (("implements", p.implements), ("cites", p.cites)):
        if ids:
            lines.append(f"{label}: " + ", ".join(ids))
    for w in p.waivers:
        lines.append(f"waives {w.target or w.document}: {w.reason}")
    nodes = sorted([(s.order, "s", s) for s in p.sections] + [(t.order, "t", t) for t in p.tasks], key=lambda x: x[0])
    for _, kind, node in nodes:
        pad = "  " * (node.depth + 1)
        if kind == "s":
            lines.append(f"{pad}§ {node.id} {node.title}")
            continue
        group = f" <{node.group}>" if node.group else ""
        lines.append(f"{pad}{node.kind.value} {node.id} {node.title or ''}{group}".rstrip())
        for a in node.assignments:
            lines.append(f"{pad}  {a.role.value} {_unit(a.unit)}{' (inherited)' if a.inherited else ''}")
        for d in node.deadlines:
            bits = [d.kind, f"{d.first_day or ''}..{d.last_day or ''}"]
            match d:
                case RecurringDeadline():
                    bits.append(f"{d.frequency.value}x{d.times}")
                case EventLimitDeadline():
                    bits.append(f"{d.from_event}->{d.to_event} ≤{d.limit_days}{'wd' if d.working_days else 'd'}")
            lines.append(f"{pad}  deadline {' '.join(bits)} «{d.written}»")
        for t in node.terms:
            lines.append(f"{pad}  term {'≤' if t.at_most else ''}{t.quantity.text} ({t.months} months) {t.label or ''}".rstrip())
        for t in node.targets:
            scope = ",".join(s.unit for s in t.scope)
            extra = " ".join(x for x in (f"by {t.by}" if t.by else "", f"scope {scope}" if scope else "",
                                         f"per {t.per}" if t.per else "", f"where {t.condition}" if t.condition else "",
                                         f"baseline {t.baseline}" if t.baseline else "") if x)
            lines.append(f"{pad}  target {t.metric} {t.comparator.value} {t.value:g}{t.unit or ''} {extra}".rstrip())
        if node.implements:
            lines.append(f"{pad}  implements " + ", ".join(str(k) for k in node.implements))
        for w in node.waivers:
            lines.append(f"{pad}  waives {w.target or w.document}: {w.reason}")
        if node.cites:
            lines.append(f"{pad}  cites " + ", ".join(node.cites))
    return "\n".join(lines) + "\n"
