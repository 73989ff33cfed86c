"""FAIR Signposting (https://signposting.org/FAIR/, level 1 and 2): the typed links that let a
machine find, from any page or data document of a thing, how to cite it, what describes it,
its content, its licence, its type and the dataset it belongs to.

- ``cite-as``: the versioned IRI of what the reader sees (this document, in this release);
- ``describedby``: the thing's data documents in that release (Turtle, JSON-LD, …);
- ``item``: the release's dumps, the whole dataset the thing is part of;
- ``license``: the dataset's licence; ``type``: the thing's schema.org type (and AboutPage for
  a page); ``collection``: the dataset (the release's landing page);
- ``linkset``: the same links as a linkset (RFC 9264), at ``/linkset/{path}``.
"""

from __future__ import annotations

from dataclasses import dataclass

from hldgraph.distributions import DOWNLOADS
from hldgraph.web.links import (
    DATA_FORMATS,
    HTML,
    canonical,
    iris,
    linkset_url,
    release_path,
    release_url,
)
from hldgraph.web.linkset import LINKSET_JSON, Link

SCHEMA_ORG = "https://schema.org/"
#: The schema.org type of each kind of thing (by the first step of its path after id/).
TYPES = {"event": "Event", "org": "Organization", "place": "Place", "theme": "DefinedTerm",
         "themes": "DefinedTermSet", "resolution": "Legislation", "initiative": "Project",
         "dataset": "Dataset", "catalog": "DataCatalog", "document": "CreativeWork"}
#: The dumps a Signposting ``item`` names (the RDF ones: the calendar files are views).
ITEMS = tuple(d for d in DOWNLOADS if d.media_type in {m.mime for m in DATA_FORMATS.values()}
              or d.media_type in {"application/n-quads", "application/trig"})


@dataclass(frozen=True)
class Seen:
    """What the reader sees: the document of ``iri`` in ``extension`` from ``version``."""

    iri: str
    extension: str
    version: str


def schema_type(iri: str) -> str:
    """The schema.org type of a thing of the graph (Thing where none fits)."""
    path = iris().path_of(iri).split("/")
    kind = path[1] if len(path) > 1 and path[0] == "id" else ""
    return SCHEMA_ORG + TYPES.get(kind, "Thing")


def signposts(seen: Seen, licence: str) -> list[Link]:
    """The Signposting links of a document of a thing (level 1), with its linkset (level 2)."""
    i = iris()
    doc = i.document(seen.iri, seen.extension)
    links = [Link(canonical(release_path(seen.version, doc)), "cite-as")]
    links += [Link(release_url(seen.version, i.document(seen.iri, m.extension), external=True),
                   "describedby", m.mime) for m in DATA_FORMATS.values()]
    links += [Link(release_url(seen.version, f"download/{d.file}", external=True), "item",
                   d.media_type) for d in ITEMS]
    if licence:
        links.append(Link(licence, "license"))
    links.append(Link(schema_type(seen.iri), "type"))
    if seen.extension == HTML.extension:
        links.append(Link(SCHEMA_ORG + "AboutPage", "type"))
    links.append(Link(release_url(seen.version, "", external=True), "collection", HTML.mime))
    links.append(Link(linkset_url(seen.iri), "linkset", LINKSET_JSON))
    return links
