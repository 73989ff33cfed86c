"""Fixtures shared by the whole suite: the reference material and the built graph."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def pytest_configure(config: pytest.Config) -> None:
    """Releases that a test's `hldgraph serve` makes go to a folder of the session, not to
    releases/ in the checkout: a test must not pass only because an earlier one left them."""
    if "HLDGRAPH_RELEASES_DIR" not in os.environ:
        os.environ["HLDGRAPH_RELEASES_DIR"] = tempfile.mkdtemp(prefix="hldgraph-releases-")


def shared_path(*parts: str) -> Path:
    """A path under ../shared (or $HLDGRAPH_SHARED); skips, or fails in CI, where it is absent."""
    base = Path(os.environ.get("HLDGRAPH_SHARED", ROOT.parent / "shared"))
    path = base.joinpath(*parts)
    if not path.exists():
        message = f"reference material not found at {path} (set HLDGRAPH_SHARED)"
        if os.environ.get("HLDGRAPH_REQUIRE_SHARED") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def settings():
    from hldgraph.settings import load_settings

    return load_settings()


@pytest.fixture(scope="session")
def built(settings):
    """The graph built in memory from data/ (rdflib Dataset, with origins)."""
    from hldgraph.catalog import build_dataset

    return build_dataset(settings)


@pytest.fixture(scope="session")
def union(built):
    """Every triple of the built dataset in one rdflib graph."""
    from rdflib import Graph

    g = Graph()
    for s, p, o, _ in built.dataset.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


@pytest.fixture(scope="session")
def dist(settings, tmp_path_factory):
    """A complete build (validated dumps) in a temporary folder."""
    from hldgraph.dump import publish

    out = tmp_path_factory.mktemp("dist") / "dist"
    publish(settings, out)
    return out


@pytest.fixture(scope="session")
def live(settings, dist):
    """hldgraph serving the ``dist`` build over real HTTP on loopback; yields its root URL."""
    from server import serve

    from hldgraph.store import open_store
    from hldgraph.web import create_app

    served = settings.with_(dist_dir=dist)
    with open_store(served, dist / "hld2006.nq") as store, \
            serve(create_app(served, store)) as url:
        yield url


@pytest.fixture(scope="session")
def history(tmp_path_factory):
    """Releases 1.0, 1.1 and 1.2 made from modified copies of data/, served over HTTP on
    loopback as ``hldgraph serve`` serves them (see tests/history_site.py)."""
    from tests.history_site import history_site

    with history_site(tmp_path_factory.mktemp("history")) as site:
        yield site


def select(root: str, query: str) -> list[dict[str, str]]:
    """Rows of a SELECT sent to ``root``/sparql over HTTP, as plain strings."""
    import requests

    r = requests.post(root + "/sparql", data={"query": query},
                      headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert r.status_code == 200, r.text
    return [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]
