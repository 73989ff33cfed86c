"""The dataset's description for catalogues (DCAT-AP) and crawlers (VoID), in graph/catalog."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Literal
from rdflib.namespace import DCAT, DCTERMS, RDF

if TYPE_CHECKING:
    from hldgraph.build import Built
    from hldgraph.settings import Settings


def describe(built: Built, settings: Settings) -> None:
    """Adds the catalogue record of the dataset to graph/catalog."""
    iris, g = built.iris, built.graph("catalog")
    dataset = iris("id/dataset/hld2006")
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.title, Literal(
        "The 2006 UN High-Level Dialogue on International Migration and Development: "
        "calendar, resolution and themes", lang="en")))
    g.add((dataset, DCTERMS.source, iris("id/document/leaflet")))
