"""Memento (RFC 7089) and FAIR Signposting on the wire.

- ``/id/{path}`` and ``/doc/{path}`` are TimeGates (URI-R = URI-G, RFC 7089 §4.1.1): with
  ``Accept-Datetime`` they answer 302 to the memento of the release in force then, and every
  answer of theirs names ``Accept-Datetime`` in ``Vary``;
- every memento (``/release/{version}/doc/{path}``, served by the release's own application)
  answers with ``Memento-Datetime`` and the
  ``Link`` header of RFC 7089 §2.2.1 (original, TimeGate, TimeMaps, first/last/prev/next);
- ``/timemap/link/{path}`` and ``/timemap/json/{path}``: the TimeMap of every resource;
- ``/linkset/{path}``: a thing's Signposting links as a linkset (RFC 9264);
- every document of a thing carries the Signposting links of :mod:`hldgraph.web.signposting`.

The headers are added after the view and before :func:`hldgraph.web.http.finalise`, which the
application runs last.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, request

from hldgraph.errors import HldgraphError
from hldgraph.formats import NotAcceptable
from hldgraph.qvalues import MalformedQvalue
from hldgraph.web.http import error_response, varies
from hldgraph.web.links import (
    DOCUMENT_EXTENSIONS,
    THINGS_PATH,
    document_media,
    iris,
    served_release,
    site_url,
)
from hldgraph.web.linkset import (
    LINK_FORMAT,
    LINKSET_JSON,
    Link,
    http_datetime,
    link_format,
    link_header,
    linkset,
    parse_http_datetime,
)
from hldgraph.web.memento import (
    TIMEMAP_JSON,
    memento_links,
    select,
    timegate_links,
    timemap_json,
    timemap_links,
)
from hldgraph.web.signposting import Seen, signposts
from hldgraph.web.versions import Where, current, licence, memento_datetime, mementos, versions

bp = Blueprint("timegate", __name__)

#: The views of original resources (their names under the resources blueprint).
_ORIGINALS = {"resources.linkeddata.thing", "resources.linkeddata.document"}
ACCEPT_DATETIME = "Accept-Datetime"


def original(path: str) -> Where | None:
    """The original resource a request path names: a document of a thing (``doc/event/12.ttl``,
    or for ``id/event/12`` and ``doc/event/12`` the document Accept chooses); None for a path
    that names none (the ontology, a graph, a page of the site)."""
    i = iris()
    if path.startswith(THINGS_PATH) or (path.startswith("doc/") and i.topic_of(path) is None):
        iri = i.iri_of(THINGS_PATH + path.split("/", 1)[1])
        try:
            media = document_media()  # as the IRI's own 303 chooses
        except (NotAcceptable, MalformedQvalue):  # the view answers 406 or 400 itself
            return None
        return Where(i.document(iri, media.extension), str(iri))
    found = i.topic_of(path)
    if (found is None or found[1] not in DOCUMENT_EXTENSIONS
            or not i.path_of(found[0]).startswith(THINGS_PATH)):
        return None
    return Where(path, str(found[0]))


@bp.before_app_request
def _timegate() -> Response | None:
    """RFC 7089 §4.1.1: a request with Accept-Datetime to an original resource answers 302
    to the memento in force at that datetime. Every answer of a TimeGate, a 406 or a 404
    included, varies on Accept-Datetime (RFC 7089 §4.1.1, RFC 9110 §12.5.5)."""
    if (request.endpoint not in _ORIGINALS or request.method not in {"GET", "HEAD"}
            or served_release() is not None or current() is None):
        return None
    varies(request.environ, ACCEPT_DATETIME)
    if ACCEPT_DATETIME not in request.headers:
        return None
    where = original(request.path.lstrip("/"))
    if where is None:
        return None
    when = parse_http_datetime(request.headers[ACCEPT_DATETIME])
    if when is None:
        rv = error_response(f"Accept-Datetime {request.headers[ACCEPT_DATETIME]!r} is not an "
                            "HTTP date such as 'Tue, 08 Aug 2006 00:00:00 GMT' (RFC 7089 "
                            "§2.1.1)", 400)
        return rv
    resource = mementos(where)
    chosen = select(resource.mementos, when)
    if chosen is None:
        rv = error_response(f"no release describes <{where.iri}>", 404)
    else:
        rv = Response(status=302)
        rv.headers["Location"] = chosen.url
    rv.headers["Link"] = link_header(timegate_links(resource, chosen))
    return rv  # Vary: Accept (document_media) and Accept-Datetime, recorded above


@bp.after_app_request
def _headers(rv: Response) -> Response:
    """Memento and Signposting headers on the documents of things, current and released."""
    if (request.method not in {"GET", "HEAD"} or request.endpoint not in _ORIGINALS
            or current() is None):  # last: it reads the release log's folder
        return rv
    where = original(request.path.lstrip("/"))
    if where is None:
        return rv
    version = served_release()
    if version is None and rv.status_code in {200, 303, 410}:
        _original(rv, where)
    elif version and rv.status_code == 200 and version in versions().history(
            where.iri).describes:
        _memento(rv, where, version)
    return rv


def _memento(rv: Response, where: Where, version: str) -> None:
    resource = mementos(where)
    chosen = next(m for m in resource.mementos if m.version == version)
    rv.headers["Memento-Datetime"] = http_datetime(memento_datetime(version))
    _add_links(rv, [*memento_links(resource, chosen), *_signposts(where, version)])


def _original(rv: Response, where: Where) -> None:
    resource = mementos(where)
    links = timegate_links(resource, None)  # an original: its first and last mementos
    last = current()
    if rv.status_code == 200 and last is not None and resource.mementos and (
            resource.mementos[-1].version == last.version):
        links += _signposts(where, last.version)
    _add_links(rv, links)


def _signposts(where: Where, version: str) -> list[Link]:
    extension = where.path.rsplit(".", 1)[-1]
    return signposts(Seen(where.iri, extension, version), licence())


def _add_links(rv: Response, links: list[Link]) -> None:
    written = link_header(links)
    rv.headers["Link"] = f"{rv.headers['Link']}, {written}" if rv.headers.get("Link") else written


# --- TimeMaps and linksets --------------------------------------------------------------------

def _where(rest: str) -> Where:
    """The resource of a TimeMap: that of an IRI is the document Accept chooses there
    (:func:`original`, through ``document_media``, which records Vary: Accept)."""
    where = original(rest)
    if where is None or not versions().history(where.iri).describes:
        raise HldgraphError(f"no release describes a resource at /{rest}", 404)
    return where


@bp.get("/timemap/link/<path:rest>")
def timemap(rest: str) -> Response:
    """The TimeMap of a resource in the link format (RFC 7089 §5.1.1, RFC 6690)."""
    where = _where(rest)
    return Response(link_format(timemap_links(mementos(where))), content_type=LINK_FORMAT)


@bp.get("/timemap/json/<path:rest>")
def timemap_as_json(rest: str) -> Response:
    """The TimeMap of a resource in JSON (the Memento aggregator's shape)."""
    where = _where(rest)
    body = json.dumps(timemap_json(mementos(where)), indent=2)
    return Response(body, content_type=TIMEMAP_JSON)


@bp.get("/linkset/<path:rest>")
def thing_linkset(rest: str) -> Response:
    """A thing's Signposting links as a linkset (RFC 9264 §4.2), anchored at its page and at
    each of its data documents, in the latest release that describes it.

    One representation whatever the request's headers: the linkset names the thing's IRI,
    not the document Accept would choose there (no negotiation, so no ``Vary``)."""
    i = iris()
    path = rest if rest.startswith(THINGS_PATH) else THINGS_PATH + rest
    iri = str(i.iri_of(path))
    described = versions().history(iri).describes
    if not described:
        raise HldgraphError(f"no release describes a resource at /{path}", 404)
    anchors = []
    for extension in DOCUMENT_EXTENSIONS:
        seen = Seen(iri, extension, described[-1])
        anchors.append((site_url(i.document(iri, extension), external=True),
                        signposts(seen, licence())))
    return Response(json.dumps(linkset(anchors), indent=2), content_type=LINKSET_JSON)
