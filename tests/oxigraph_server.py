"""A real Oxigraph server (``oxigraph serve``, PyPI package ``oxigraph``) on loopback.

Where the command is missing the tests that need it are skipped, with the reason, unless
HLDGRAPH_REQUIRE_OXIGRAPH=1 (CI), where they fail instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from rdflib import Dataset
from server import free_port, run_server

#: The server stops a query after this long: a test that gives up earlier leaves no work behind.
SERVER_TIMEOUT_S = 5


@dataclass(frozen=True)
class OxigraphServer:
    base: str

    @property
    def query_url(self) -> str:
        return self.base + "/query"

    @property
    def update_url(self) -> str:
        return self.base + "/update"

    @property
    def store_url(self) -> str:
        return self.base + "/store"

    def select(self, text: str) -> list[dict[str, str]]:
        """Run a SELECT on the server itself (not through hldgraph): rows of plain values."""
        r = requests.post(self.query_url, data={"query": text},
                          headers={"Accept": "application/sparql-results+json"}, timeout=30)
        r.raise_for_status()
        return [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]

    def graph_sizes(self) -> dict[str, int]:
        rows = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {row["g"]: int(row["n"]) for row in rows}

    def load(self, dataset: Dataset) -> None:
        """Add the quads of ``dataset`` (bulk load through the Graph Store Protocol)."""
        body = dataset.serialize(format="nquads", encoding="utf-8")
        r = requests.post(self.store_url, data=body,
                          headers={"Content-Type": "application/n-quads"}, timeout=60)
        r.raise_for_status()


def oxigraph_command() -> str:
    """The ``oxigraph`` command of this Python's environment (its bin may not be on PATH)."""
    beside = Path(sys.executable).parent / "oxigraph"
    command = str(beside) if beside.exists() else shutil.which("oxigraph")
    if command is None:
        message = "the oxigraph command is not installed (pip install oxigraph)"
        if os.environ.get("HLDGRAPH_REQUIRE_OXIGRAPH") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return command


@contextlib.contextmanager
def oxigraph_server() -> Iterator[OxigraphServer]:
    """A fresh on-disk Oxigraph server in a temporary folder, stopped and removed at the end."""
    command = oxigraph_command()
    port = free_port()
    server = OxigraphServer(f"http://127.0.0.1:{port}")
    with tempfile.TemporaryDirectory(prefix="hldgraph-oxigraph-") as location, run_server(
            [command, "serve", "--location", location, "--bind", f"127.0.0.1:{port}",
             "--timeout-s", str(SERVER_TIMEOUT_S)],
            server.query_url + "?query=ASK%20%7B%7D"):
        yield server


def remote_settings(settings, server: OxigraphServer, dist, **changes):
    """``settings`` pointed at ``server`` for queries, updates and the Graph Store Protocol."""
    return settings.with_(**{"store": "sparql", "sparql_url": server.query_url,
                             "sparql_update_url": server.update_url,
                             "graph_store_url": server.store_url, "dist_dir": dist, **changes})
