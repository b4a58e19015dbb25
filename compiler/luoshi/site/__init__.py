"""The generated docs site (`luoshi site`): Markdown sources for mkdocs-material, one page per policy, task, unit
(but the derived standard units no policy names or tasks: `views.units_with_pages`), jurisdiction and counterpart
role, with the responsibility matrices, lint findings, the last compliance report, diagrams and downloads. Every page is bounded by its own content: a unit lists its counterparts one level up and
down (the role's page lists them all), and the listing pages (home, policies, units, matrix, diffs) show the top
levels in full and leave deeper ones to their jurisdiction's page (`views.Listing`).

- `render.py`     `render_site(SiteInputs) -> {path: bytes}`: the pages, from `templates/site/`
- `views.py`      what a page shows, from the model and the responsibility graph
- `diagrams.py`   Mermaid neighbourhoods (implementation tree, a task's chain, a unit's place)
- `mermaid.py`    the flowchart writer, every label escaped
- `escape.py`     Markdown, HTML and Mermaid escaping of policy text
- `search.py`     the site's own search index (names a reader types, then page text), for assets/search.js
- `search_index.py` that index's files: a small head, the pages in chunks, the pages holding each character and
                    each pair of adjacent characters
- `paths.py`      page paths and relative links
- `downloads.py`  tables and checklists from their backends, under downloads/
- `features.py`   the adapters to lint, diff, comply and tables, which say when a feature is missing
- `publish.py`    writing into site/ without touching files luoshi did not make, and running mkdocs
- `assets/`       the bundled Mermaid (MIT) and the site's CSS and JavaScript (search, lazy Mermaid)
- `templates/site/theme/` the theme override written to site/.theme (mkdocs.yml's custom_dir): the search box
"""

from .render import SiteInputs, render_site

__all__ = ["SiteInputs", "render_site"]
