"""Case rules (规则): the eligibility and data-comparison rules of the texts, checked against case records.

facts.py names what a rule may speak of; expr.py reads a rule's condition, checks it and compiles it to SQL;
data.py reads the roster and comparison tables; engine.py evaluates every rule in DuckDB; report.py prints."""
