"""The named graphs dereference like every other IRI the project mints.

``/graph/{name}`` (source, editorial, ontology, catalog) answers 303 See Other, chosen by
``Accept``:

- to ``/doc/graph/{name}.html`` for browsers: the graph described (an ``sd:NamedGraph`` and
  ``void:Dataset`` with its triple count), with links to its content;
- to ``/doc/graph/{name}.trig`` or ``.nq`` for clients of datasets: the description in the
  default graph and the content in the named graph;
- to ``/doc/graph/{name}.ttl`` (``.nt``, ``.rdf``, ``.jsonld``) for RDF clients: the content.

Where the client accepts both a dataset and a graph syntax, the one of higher quality wins and
a tie goes to the graph syntax (RFC 9110 §12.5.1).
"""

from __future__ import annotations

from contextlib import suppress

from flask import Blueprint, Response, request
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, VOID

from hldgraph.formats import (
    MediaType,
    NotAcceptable,
    negotiate,
    offered,
    quality,
    serialize_graph,
)
from hldgraph.urls import GRAPHS, SD
from hldgraph.web.http import get_store, varies
from hldgraph.web.i18n import choose_lang
from hldgraph.web.linkeddata import NotFound, UnknownExtension, see_other
from hldgraph.web.links import DATA_FORMATS, DATASET_IRI, HTML, canonical, iris, link_header, url
from hldgraph.web.pages import page_response, render
from hldgraph.web.readmodel import GRAPH_COUNT, GRAPH_TRIPLES, site

bp = Blueprint("graphs", __name__)

#: Documents of a graph's content, by extension: the graph syntaxes, then TriG and N-Quads.
CONTENT_FORMATS: dict[str, MediaType] = {
    **DATA_FORMATS, **{m.extension: m for m in offered("dataset") if m.name != "jsonld"}}


def _graph(name: str) -> URIRef:
    """The IRI of a named graph that the store holds, or a 404."""
    iri = iris().graph(name)
    if name not in GRAPHS or str(iri) not in get_store().graphs():
        raise NotFound(iri)
    return iri


def _chosen(accept: str | None) -> MediaType:
    """HTML or a graph syntax (``construct``) against TriG/N-Quads (``dataset``), by the q-value
    that the one negotiation reads (:func:`~hldgraph.formats.quality`, RFC 9110 §12.5.1)."""
    as_graph = as_dataset = None
    with suppress(NotAcceptable):
        as_graph = negotiate(accept, "construct", html=True)
    try:
        as_dataset = negotiate(accept, "dataset")
    except NotAcceptable:
        if as_graph is None:
            raise
    if as_graph is None or (as_dataset is not None and as_dataset.name != "jsonld" and
                            quality(accept, as_dataset.mime) > quality(accept, as_graph.mime)):
        assert as_dataset is not None
        return as_dataset
    return as_graph


@bp.get("/graph/<name>")
def named_graph(name: str) -> Response:
    iri = _graph(name)
    varies(request.environ, "Accept")
    media = _chosen(request.headers.get("Accept"))
    return see_other(url(iris().document(iri, media.extension), lang=media is HTML),
                     _links(iri, ""))


def _links(iri: str, current: str) -> str:
    docs = [(url(iris().document(iri, ext)), "alternate", m.mime)
            for ext, m in {**CONTENT_FORMATS, "html": HTML}.items() if ext != current]
    return link_header([*docs, (str(iri), "describes", "")])


def triple_count(iri: str) -> int:
    """How many triples the named graph ``iri`` holds."""
    return int(get_store().query(site().q(GRAPH_COUNT, graph=iri)).rows[0]["n"])


def description(iri: str) -> Graph:
    """The graph as an ``sd:NamedGraph`` and ``void:Dataset``: its name, size and documents."""
    g, i = Graph(), iris()
    g.bind("sd", SD)
    g.bind("void", VOID)
    # a label of its own, not a random one: every answer and every front end writes it alike
    node = BNode("named-graph-" + iri.rsplit("/", 1)[-1])
    g.add((node, RDF.type, SD.NamedGraph))
    g.add((node, SD.name, URIRef(iri)))
    g.add((node, SD.graph, URIRef(iri)))
    g.add((URIRef(iri), RDF.type, SD.Graph))
    g.add((URIRef(iri), RDF.type, VOID.Dataset))
    g.add((URIRef(iri), VOID.triples, Literal(triple_count(iri))))
    g.add((URIRef(iri), DCTERMS.isPartOf, i(DATASET_IRI)))
    for ext in CONTENT_FORMATS:
        g.add((URIRef(iri), VOID.dataDump, URIRef(canonical(i.document(iri, ext)))))
    g.add((URIRef(canonical(i.document(iri, "html"))), FOAF.primaryTopic, URIRef(iri)))
    return g


@bp.get("/doc/graph/<name>.<extension>")
def graph_document(name: str, extension: str) -> Response:
    iri = _graph(name)
    if extension == "html":
        return _page(iri)
    media = CONTENT_FORMATS.get(extension)
    if media is None:
        raise UnknownExtension(extension, [HTML.extension, *CONTENT_FORMATS])
    content = get_store().query(site().q(GRAPH_TRIPLES, graph=iri)).graph
    if media.serves("dataset"):  # the description in the default graph, the content named
        data = Dataset()
        for triple in description(iri):
            data.add(triple)
        named = data.graph(URIRef(iri))
        for triple in content:
            named.add(triple)
        body = serialize_graph(data, media)
    else:
        body = serialize_graph(content, media)
    rv = Response(body, content_type=media.content_type)
    rv.headers["Link"] = _links(iri, extension)
    return rv


def _page(iri: str) -> Response:
    lang, i = choose_lang(), iris()
    name = i.path_of(iri).rsplit("/", 1)[-1]
    n = triple_count(iri)
    formats = [{"href": url(i.document(iri, ext)), "type": m.mime, "name": ext}
               for ext, m in CONTENT_FORMATS.items()]
    jsonld = {"@context": "https://schema.org", "@type": "Dataset", "@id": str(iri),
              "name": f"graph/{name}", "url": canonical(i.document(iri, "html")),
              "description": f"The named graph graph/{name} of the HLD 2006 knowledge graph: "
                             f"{n} triples, as TriG, N-Quads, Turtle, N-Triples, RDF/XML or "
                             "JSON-LD.",
              "isPartOf": {"@type": "Dataset", "@id": str(i(DATASET_IRI))},
              "distribution": [{"@type": "DataDownload", "encodingFormat": f["type"],
                                "contentUrl": canonical(i.document(iri, f["name"]))}
                               for f in formats]}
    html = render("graph.html", lang, title=f"graph/{name}", iri=iri, name=name, triples=n,
                  formats=formats, jsonld=jsonld,
                  alternates=[*formats, {"href": url(i.document(iri, "html")),
                                         "type": HTML.mime, "name": "html"}])
    return page_response(html, lang, _links(iri, "html"))
