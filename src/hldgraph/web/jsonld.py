"""JSON-LD answers: the form a client asks for (JSON-LD 1.1 profiles), framed by default.

``Accept: application/ld+json;profile="http://www.w3.org/ns/json-ld#expanded"`` (``#compacted``,
``#flattened``, ``#framed``) gets that form (JSON-LD 1.1 §9.1; the profile is read by the one
negotiation, :func:`hldgraph.formats.negotiate`); without a profile, and for ``application/json``,
the framed form. The Content-Type names the profile sent, so that each form has its own entity
tag; ``Vary: Accept`` says that Accept chose it.

Documents are made with :mod:`hldgraph.framing` (pyld) from the served build's context, and kept
in the application's answer cache: the data changes only with a new build.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from flask import Response, current_app, request
from rdflib import Graph

from hldgraph import framing
from hldgraph.formats import NotAcceptable, negotiate, quality
from hldgraph.web.builds import Build, with_build
from hldgraph.web.http import get_store, varies

LD_JSON, JSON = "application/ld+json", "application/json"


def chosen(default: str = framing.FRAMED) -> tuple[str, str]:
    """(media type, JSON-LD profile) for this request's Accept: application/json only when
    the client prefers it to application/ld+json; the ``default`` form unless a profile is
    asked. The answer varies on Accept, and says so in Vary on every answer of the resource
    (:func:`~hldgraph.web.http.varies`), an error made after this choice included."""
    varies(request.environ, "Accept")
    accept = request.headers.get("Accept")
    try:
        media = negotiate(accept, "construct")
    except NotAcceptable:  # the extension (.jsonld, .json) decides the format anyway
        media = None
    profile = media.profile if media is not None and media.name == "jsonld" else ""
    plain = quality(accept, JSON) > quality(accept, LD_JSON)
    return (JSON if plain else LD_JSON), (profile or default)


def content_type(mime: str, profile: str) -> str:
    """The Content-Type of a JSON-LD answer: application/ld+json names its profile."""
    if mime == LD_JSON:
        return f'{LD_JSON}; charset=utf-8; profile="{profile}"'
    return f"{mime}; charset=utf-8"


def context() -> dict[str, Any]:
    """The context document the served build published (``context.jsonld`` beside its dumps),
    a copy of the caller's own: its text is kept in the application's one cache under the
    data's digest (:func:`cached`), as the documents made from it are."""
    def read(build: Build) -> bytes:
        return build.file(framing.CONTEXT).read_bytes()

    return json.loads(cached(("context",), lambda: with_build(read)))


def cached(key: tuple[Any, ...], make: Callable[[], bytes]) -> bytes:
    """``make()``, kept in the application's one cache under ``key`` for the served build."""
    cache = current_app.extensions["hldgraph"]["cache"]
    return cache.body(("jsonld", get_store().digest, *key), make)


def view(iris: Sequence[str]) -> Graph:
    """What framed documents show of ``iris`` (:func:`hldgraph.framing.view_query`)."""
    if not iris:
        return Graph()
    return get_store().query(framing.view_query(framing.values_of(iris))).graph


def respond(body: bytes, mime: str, profile: str, link: str = "") -> Response:
    """A JSON-LD answer whose form Accept chose (:func:`chosen`, which records Vary)."""
    rv = Response(body, content_type=content_type(mime, profile))
    if link:
        rv.headers["Link"] = link
    return rv


def thing(iri: str, described: Callable[[], Graph], link: str,
          default: str = framing.FRAMED) -> Response:
    """The JSON-LD document of one thing: framed (its view, the thing at the root), or the whole
    description ``described()`` (with the document's own statements) in another form;
    ``default`` is the form sent when Accept names none."""
    mime, profile = chosen(default)

    def make() -> bytes:
        if profile == framing.FRAMED:
            graph = view([iri])
            doc = framing.frame(framing.expanded(graph), framing.kind_of(graph, iri), context(),
                                iri)
        else:
            doc = framing.form(framing.expanded(described()), profile, context())
        return framing.dumps(doc)

    return respond(cached(("thing", iri, profile), make), mime, profile, link)


def listing(kind: str, iris: Sequence[str], link: str = "") -> Response:
    """A list of things: framed, ``@graph`` holds each (by ``kind``'s frame) in the order of
    ``iris``; in another form, the same statements."""
    mime, profile = chosen()

    def make() -> bytes:
        data = framing.expanded(view(iris))
        return framing.dumps(framing.form(data, profile, context(), kind, list(iris)))

    return respond(cached(("list", kind, profile, tuple(iris)), make), mime, profile, link)
