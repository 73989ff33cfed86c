"""Every kind of page a person can land on, for the checkers (Nu Html Checker, axe-core).

Paths are as a browser asks for them: IRIs answer 303 to their page, which the clients follow.
Each is visited in both languages (``?lang=``), so French pages are checked too.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The npm packages of package.json, installed by scripts/install --test.
NODE_MODULES = ROOT / "node_modules"

PAGE_TYPES = {
    "landing": "/",
    "calendar": "/calendar",
    "event": "/id/event/7",
    "body": "/id/org/iom",
    "place": "/id/place/geneva",
    "resolution": "/id/resolution/a-res-60-227",
    "paragraph": "/id/resolution/a-res-60-227/para/15",
    "initiative": "/id/initiative/3",
    "theme": "/id/theme/migration-and-development",
    "theme-point": "/id/theme/migration-and-development/1",
    "scheme-themes": "/id/themes",
    "scheme-body-types": "/id/body-types",
    "scheme-event-categories": "/id/event-categories",
    "concept": "/id/event-category/un",
    "document": "/id/document/leaflet",
    "dataset": "/id/dataset/hld2006",
    "bodies": "/bodies",
    "places": "/places",
    "sparql": "/sparql",
    "query": "/query",
    "downloads": "/download/",
    "search": "/search?q=IOM",  # with results, English names among them on the French page
    "ontology": "/doc/def.html",
    "catalog": "/doc/catalog.html",
    "not-found": "/id/event/999",
    "bad-request": "/calendar?month=13",
}
LANGS = ("en", "fr")
#: (name, path) for every page type in every language: the checkers' parameters.
PAGES = [(f"{name}-{lang}", f"{path}{'&' if '?' in path else '?'}lang={lang}")
         for name, path in PAGE_TYPES.items() for lang in LANGS]


def require(what: str, missing: list[str], hint: str) -> None:
    """Skips (or fails, with HLDGRAPH_REQUIRE_BROWSER=1 as in CI) when a checker is absent."""
    if missing:
        message = f"{what} not installed: {', '.join(missing)} ({hint})"
        if os.environ.get("HLDGRAPH_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
