"""Linked-data routing: every IRI the project mints answers, as the W3C's "Cool URIs" ask.

Paths are those after the base IRI, whatever host or proxy serves them (one mapping:
:meth:`hldgraph.urls.Iris.document`; links come from :mod:`hldgraph.web.links`):

- ``/id/{path}`` names a thing; it answers 303 See Other to ``/doc/{path}.html`` for browsers and
  to ``/doc/{path}.ttl`` (``.jsonld``, ``.nt``, ``.rdf``) for RDF clients, chosen by ``Accept``.
- ``/def/`` and ``/def/{Term}`` name the ontology and its terms; they answer 303 to the one
  ontology document, ``/doc/def.html#Term`` or ``/doc/def.ttl`` (…).
- ``/doc/…`` are the documents; they answer directly, in the format their extension names.
- ``/graph/{name}`` names a named graph: see :mod:`hldgraph.web.graphs`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask import Blueprint, Response
from rdflib import Graph, URIRef
from rdflib.namespace import FOAF
from werkzeug.exceptions import NotFound as WerkzeugNotFound

from hldgraph.distributions import ontology_page
from hldgraph.errors import HldgraphError
from hldgraph.formats import MediaType, serialize_graph
from hldgraph.framing import COMPACTED, FRAMED
from hldgraph.web import jsonld
from hldgraph.web.builds import Build, with_build
from hldgraph.web.citing import link_states
from hldgraph.web.http import error_response, get_store, wants_html
from hldgraph.web.i18n import choose_lang, translate
from hldgraph.web.links import (
    DATA_FORMATS,
    DOCUMENT_EXTENSIONS,
    HTML,
    ONTOLOGY_IRI,
    THINGS_PATH,
    document_media,
    entry,
    iris,
    thing_links,
    url,
)
from hldgraph.web.pages import page, page_response, render
from hldgraph.web.readmodel import EXISTS, GRAPH_TRIPLES, TERM_EXISTS, site
from hldgraph.web.versions import gone

bp = Blueprint("linkeddata", __name__)

#: What a path after /id/ may hold; anything else names nothing here.
SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~/-]*")


def exists(iri: str) -> bool:
    """Whether the graph says anything of ``iri``."""
    return bool(get_store().query(site().q(EXISTS, iri=iri)).boolean)


def checked_thing(path: str) -> URIRef:
    """The IRI of a thing under /id/; else 410 Gone where a release removed it, or a 404."""
    iri = iris().iri_of(path)
    if not SAFE.fullmatch(path):
        raise NotFound(iri)
    if not exists(iri):
        raise gone(iri) or NotFound(iri)
    return iri


class NotFound(HldgraphError):
    """An IRI or document of this site that names nothing in the graph."""

    status = 404

    def __init__(self, iri: str) -> None:
        super().__init__(f"nothing in this graph has the IRI <{iri}>")
        self.iri = iri


class UnknownExtension(HldgraphError):
    """A document path whose extension names no format of its documents (``/doc/event/1.x``):
    what it describes may well exist, so the message says which extensions there are."""

    status = 404

    def __init__(self, extension: str, extensions: Iterable[str]) -> None:
        known = ", ".join(f".{e}" for e in extensions)
        super().__init__(f"unknown document extension .{extension}: documents end in {known}")


@bp.app_errorhandler(NotFound)
def _not_found(e: NotFound) -> Response:
    if not wants_html():
        return error_response(e.message, 404)
    lang = choose_lang()
    html = render("notfound.html", lang, iri=e.iri, title=translate("not_found", lang),
                  hint=_hint(e.iri))
    return page_response(html, lang, status=404)


def _hint(iri: str) -> dict[str, str] | None:
    """Where to look for what an unknown IRI seems to be after."""
    i = iris()
    kind = i.path_of(iri).split("/")[1] if i.is_local(iri) and "/" in i.path_of(iri) else ""
    where = {"event": "calendar", "org": "bodies", "place": "places", "theme": "themes"}
    return {"key": where[kind], "href": entry(where[kind])} if kind in where else None


def see_other(target: str, link: str = "") -> Response:
    """303 See Other to ``target`` (a URL from :mod:`hldgraph.web.links`), chosen by Accept:
    the negotiation that chose it names Accept in Vary (:func:`~hldgraph.web.http.varies`)."""
    rv = Response(status=303)
    rv.headers["Location"] = target
    if link:
        rv.headers["Link"] = link
    return rv


def _see_document(iri: str, fragment: str = "") -> Response:
    """303 to the document about ``iri`` that the client asks for (``format=`` or Accept)."""
    media = document_media()
    target = url(iris().document(iri, media.extension), lang=media is HTML)
    return see_other(target + (f"#{fragment}" if fragment and media is HTML else ""),
                     thing_links(iri, ""))


@bp.get("/id/<path:rest>")
def thing(rest: str) -> Response:
    return _see_document(checked_thing(THINGS_PATH + rest))


@bp.get("/def", defaults={"term": ""})
@bp.get("/def/", defaults={"term": ""})
@bp.get("/def/<term>")
def ontology_term(term: str) -> Response:
    i = iris()
    iri = i(ONTOLOGY_IRI + term)
    if term and (not SAFE.fullmatch(term) or not get_store().query(
            site().q(TERM_EXISTS, graph=i.graph("ontology"), iri=iri)).boolean):
        raise NotFound(iri)
    return _see_document(i(ONTOLOGY_IRI), fragment=term)


@bp.get("/doc/<path:rest>")
def document(rest: str) -> Response:
    i = iris()
    found = i.topic_of("doc/" + rest)
    if found is None:  # no extension: the thing itself, negotiated
        if rest in {"def", "def/"}:
            return ontology_term("")
        return _see_document(checked_thing(THINGS_PATH + rest.rstrip("/")))
    iri, extension = found
    if extension not in DOCUMENT_EXTENSIONS:
        raise UnknownExtension(extension, list(DOCUMENT_EXTENSIONS))
    if iri == i(ONTOLOGY_IRI):
        return _ontology_document(extension)
    iri = checked_thing(i.path_of(iri))
    if extension == "html":
        return page(iri)
    graph = link_states(get_store().describe(iri), iri, extension)
    return data_document(iri, DATA_FORMATS[extension], graph)


def data_document(iri: str, media: MediaType, graph: Graph, jsonld_form: str = FRAMED
                  ) -> Response:
    """``graph`` about ``iri`` in ``media``, naming its topic, with its other formats.

    JSON-LD is in ``jsonld_form`` (framed: the thing at the root, what it links to nested)
    unless Accept asks for another JSON-LD profile: :func:`hldgraph.web.jsonld.thing`.
    """
    doc = iris().document_iri(iri, media.extension)
    graph.bind("hld", iris().hld)
    graph.add((doc, FOAF.primaryTopic, URIRef(iri)))
    if media.name == "jsonld":
        return jsonld.thing(iri, lambda: graph, thing_links(iri, media.extension), jsonld_form)
    rv = Response(serialize_graph(graph, media), content_type=media.content_type)
    rv.headers["Link"] = thing_links(iri, media.extension)
    return rv


def ontology_html(lang: str) -> tuple[str, str]:
    """The ontology's page in ``lang`` (one of LANGS) and the language it is in: the file of
    that language (:func:`hldgraph.distributions.ontology_page`) which `hldgraph build` writes
    beside the dumps (it is not in the store), from the build served or where the build
    recorded in the store was published. A build or release made before the page had that
    language gives the English page, which is what it then says it is. HldgraphError (404)
    when the build has no page at all; a published page that cannot be read is a 503, as any
    file of the build."""
    try:
        return with_build(lambda b: _page_in(b, lang))
    except WerkzeugNotFound:
        raise HldgraphError("the ontology page is written by `hldgraph build`, and the build "
                            "served has none", 404) from None


def _page_in(build: Build, lang: str) -> tuple[str, str]:
    try:
        return build.file(ontology_page(lang)).read_text(encoding="utf-8"), lang
    except WerkzeugNotFound:
        if lang == "en":
            raise
        return _page_in(build, "en")


def _ontology_document(extension: str) -> Response:
    i = iris()
    if extension == "html":
        # chosen as every page's language (a bad ?lang= is a 400), and answered as every page
        # (Content-Language, Vary: Accept-Language, so each language has its own ETag)
        html, lang = ontology_html(choose_lang())
        return page_response(html, lang, thing_links(i(ONTOLOGY_IRI), "html"))
    graph = get_store().query(site().q(GRAPH_TRIPLES, graph=i.graph("ontology"))).graph
    # the ontology's terms point to it: a frame at its root would leave them out
    return data_document(i(ONTOLOGY_IRI), DATA_FORMATS[extension], graph, COMPACTED)
