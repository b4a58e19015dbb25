"""`luoshi diff`: what a local policy changed from its parent, measure by measure (compare.py), and its
terminal, Markdown and HTML renderings (render.py)."""
