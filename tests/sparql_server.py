"""What the tests ask of any real SPARQL server they start (Oxigraph, Virtuoso): its URLs,
queries sent to it directly (not through hldgraph), and a bulk load."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import requests
from rdflib import Dataset, URIRef


@dataclass(frozen=True)
class SparqlServer:
    base: str
    #: Graphs that the server holds for itself from the start (Virtuoso's): not test data.
    own_graphs: frozenset[str] = frozenset()
    #: Where each server puts its query, update and Graph Store endpoints.
    paths: ClassVar[tuple[str, str, str]] = ("/query", "/update", "/store")

    @property
    def query_url(self) -> str:
        return self.base + self.paths[0]

    @property
    def update_url(self) -> str:
        return self.base + self.paths[1]

    @property
    def store_url(self) -> str:
        return self.base + self.paths[2]

    def select(self, text: str) -> list[dict[str, str]]:
        """Run a SELECT on the server itself (not through hldgraph): rows of plain values."""
        r = requests.post(self.query_url, data={"query": text},
                          headers={"Accept": "application/sparql-results+json"}, timeout=30)
        r.raise_for_status()
        return [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]

    def graph_sizes(self) -> dict[str, int]:
        """The triples of each named graph, the server's own graphs left out."""
        rows = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {row["g"]: int(row["n"]) for row in rows if row["g"] not in self.own_graphs}

    def load(self, dataset: Dataset) -> None:
        """Add the named graphs of ``dataset``, one Graph Store Protocol POST each."""
        for graph in dataset.graphs():
            if not isinstance(graph.identifier, URIRef) or not len(graph):
                continue  # the (empty) default graph
            r = requests.post(self.store_url, params={"graph": str(graph.identifier)},
                              data=graph.serialize(format="nt", encoding="utf-8"),
                              headers={"Content-Type": "application/n-triples"}, timeout=60)
            r.raise_for_status()


def remote_settings(settings, server: SparqlServer, dist, **changes):
    """``settings`` pointed at ``server`` for queries, updates and the Graph Store Protocol."""
    return settings.with_(**{"store": "sparql", "sparql_url": server.query_url,
                             "sparql_update_url": server.update_url,
                             "graph_store_url": server.store_url, "dist_dir": dist, **changes})
