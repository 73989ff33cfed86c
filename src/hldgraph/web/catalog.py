"""Downloads, the catalogue record, VoID, the calendar files, the sitemap and robots.txt.

Every file comes from the build being served (:mod:`hldgraph.web.builds`: the last good build
in ``dist_dir``, or on a front end without one the build recorded in the store, its files read
where it was published): its manifest gives each file's size, media type and SHA-256, which is
also the file's ETag. A client that accepts gzip gets the pre-compressed ``.gz`` twin of a
file, with ``Content-Encoding: gzip``: nothing is compressed per request.

The catalogue record (``/catalog``) and the VoID description (``/.well-known/void``) are the
build's graph/catalog, plus what a file cannot hold about itself: each distribution's size and
checksum. The landing page embeds the same record as schema.org JSON-LD:
:func:`hldgraph.web.schema_dataset.dataset_jsonld`.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from flask import Blueprint, Response, render_template, request, send_file
from rdflib import Graph
from werkzeug.exceptions import NotFound

from hldgraph import dist, distributions
from hldgraph.distributions import CSV, ICS, csvw_metadata
from hldgraph.formats import serialize_graph
from hldgraph.qvalues import check
from hldgraph.web.builds import Build, current_build, with_build
from hldgraph.web.calendar import whole_calendar
from hldgraph.web.http import get_store, varies, wants_html
from hldgraph.web.i18n import choose_lang
from hldgraph.web.linkeddata import see_other
from hldgraph.web.links import (
    CALENDAR_CSV,
    CALENDAR_ICS,
    CATALOG_IRI,
    DATA_FORMATS,
    DATASET_IRI,
    DOWNLOADS,
    HTML,
    ONTOLOGY_IRI,
    SITE_PAGES,
    SITEMAP,
    SPARQL,
    document_media,
    iris,
    link_header,
    url,
)

bp = Blueprint("catalog", __name__)

_TEXT_SUFFIXES = (".sha256",)


_digests: dict[tuple[Path, float], str] = {}
_lock = threading.Lock()


def _digest(path: Path) -> str:
    """SHA-256 of a file that the manifest does not list (.gz and .sha256 twins), cached."""
    key = (path, path.stat().st_mtime)
    with _lock:
        if key not in _digests:
            _digests[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        return _digests[key]


def _content_type(name: str, build: Build) -> str:
    if name.endswith(_TEXT_SUFFIXES):
        return "text/plain; charset=utf-8"
    if name.endswith(".gz"):
        return "application/gzip"
    if name == dist.MANIFEST:
        return "application/json"
    info = build.info(name)
    assert info is not None  # only files of the manifest get here
    media = info["media_type"]
    if media == "text/csv":
        return "text/csv; charset=utf-8; header=present"
    return f"{media}; charset=utf-8" if _textual(media) else media


def _textual(media: str) -> bool:
    # every file hldgraph writes is UTF-8 text; the charset helps browsers show it right
    return media.startswith("text/") or media.startswith("application/")


def _wants_gzip() -> bool:
    """Whether Accept-Encoding takes gzip (werkzeug matches ``*`` too), its q-values read by
    the rule of every header's (:func:`hldgraph.qvalues.check`: a malformed one is a 400)."""
    check(request.headers.get("Accept-Encoding", ""), "Accept-Encoding")
    return request.accept_encodings["gzip"] > 0


def send_build_file(name: str) -> Response:
    """A file of the build, with its validators and gzip negotiation (304, 412, 206 and 416
    are the finaliser's)."""
    return with_build(lambda build: _send(build, name))


def _send(build: Build, name: str) -> Response:
    base, _, suffix = name.rpartition(".")
    listed = build.info(name) is not None
    twin = suffix in ("gz", "sha256") and build.info(base) is not None
    if not (listed or twin or name == dist.MANIFEST):
        raise NotFound(f"no file {name!r} in this build; see {url('download/')}")
    path = build.file(name)
    info = build.info(name)
    etag = info["sha256"] if info is not None else _digest(path)
    if listed:  # a file of the manifest has a gzip twin: Accept-Encoding chooses, errors too
        varies(request.environ, "Accept-Encoding")
    compressed = listed and _wants_gzip() and build.gz_bytes(name) is not None
    gz = build.file(f"{name}.gz") if compressed else None
    # conditional=False: preconditions and ranges are the one finaliser's (web.http.finalise)
    rv = send_file(gz or path, mimetype="application/octet-stream",
                   etag=f"{etag}.gz" if compressed else etag, conditional=False,
                   last_modified=build.modified(path), max_age=3600, download_name=name)
    rv.headers["Content-Type"] = _content_type(name, build)  # as is: send_file adds charsets
    if compressed:
        rv.headers["Content-Encoding"] = "gzip"
    if name in distributions.TABLES and request.endpoint != "catalog.download":
        # /calendar.csv: the metadata's "url" is the download's, and a processor must ignore
        # metadata of another URL (CSVW model §5.1); Content-Location says where it applies
        rv.headers["Content-Location"] = url(DOWNLOADS + name)  # RFC 9110 §8.7
    elif name in distributions.TABLES:  # CSVW §5.2: where processors find the table's metadata
        rv.headers["Link"] = link_header([(url(DOWNLOADS + csvw_metadata(name)), "describedby",
                                           "application/csvm+json")])
    return rv


@bp.get("/download/<name>")
def download(name: str) -> Response:
    return send_build_file(name)


@bp.get("/download")
@bp.get("/download/")
def downloads() -> Response:
    """The build's files, with sizes and checksums."""
    build = current_build()
    files = [{"name": name, "bytes": info["bytes"], "sha256": info["sha256"],
              "media_type": info["media_type"], "title": _title(name),
              "gz_bytes": build.gz_bytes(name)}
             for name, info in sorted(build.manifest["files"].items(), key=_order)]
    if not wants_html():
        rv = Response(_json({"files": files, "digest": build.manifest.get("digest")}),
                      content_type="application/json")
    else:
        choose_lang()  # the layout's language (layout_lang): here a bad one is a 400
        rv = Response(render_template("downloads.html", files=files,
                                      digest=build.manifest.get("digest", "")),
                      content_type="text/html; charset=utf-8")
    return rv  # Vary: Accept, Accept-Language, from wants_html


def _json(data: Any) -> str:
    import json

    return json.dumps(data, indent=1, ensure_ascii=False)


def _order(item: tuple[str, Any]) -> tuple[int, str]:
    names = [d.file for d in distributions.DOWNLOADS]
    return (names.index(item[0]) if item[0] in names else len(names), item[0])


def _title(name: str) -> str:
    d = distributions.DOWNLOADS_BY_FILE.get(name)
    return d.title if d else "JSON-LD context of the dumps"


@bp.get(f"/{CALENDAR_ICS}")
def calendar_ics() -> Response:
    """The build's iCalendar file of every event; a filter of the calendar is a 400 saying
    where the filtered events are."""
    whole_calendar(CALENDAR_ICS)
    return send_build_file(ICS)


@bp.get(f"/{CALENDAR_CSV}")
def calendar_csv() -> Response:
    """The build's CSV of every event (its CSVW metadata beside it); a filter of the calendar
    is a 400 saying where the filtered events are."""
    whole_calendar(CALENDAR_CSV)
    return send_build_file(CSV)


# --- the catalogue record and VoID -----------------------------------------------------------


def served_record() -> Graph:
    """graph/catalog of the served build, with sizes and checksums of its files."""
    return current_build().record()


def _rdf(graph: Graph, path: str, page_of: str) -> Response:
    """``graph`` in the RDF format asked for (``format=`` or Accept, negotiated as a thing's
    IRI is); who asks for HTML is sent to the page of ``page_of``."""
    media = document_media()
    if media is HTML:
        return see_other(url(iris().document(iris()(page_of), "html"), lang=True))
    rv = Response(serialize_graph(graph, media), content_type=media.content_type)
    rv.headers["Link"] = link_header([(url(path, {"format": extension}), "alternate", m.mime)
                                      for extension, m in DATA_FORMATS.items()
                                      if m.name != media.name])
    return rv


@bp.get("/catalog")
def catalog_record() -> Response:
    """The DCAT-AP record: Turtle, JSON-LD, RDF/XML or N-Triples by Accept (or ?format=)."""
    return _rdf(served_record(), "catalog", CATALOG_IRI)


@bp.get("/.well-known/void")
def void() -> Response:
    """The VoID description: it shares the catalog graph with the DCAT-AP record."""
    return _rdf(served_record(), ".well-known/void", DATASET_IRI)


# --- sitemap and robots.txt -------------------------------------------------------------------

_THINGS = """SELECT DISTINCT ?s WHERE {{ ?s ?p ?o
  FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{base}id/")) }} ORDER BY ?s"""


def page_paths() -> list[str]:
    """The path of every page of the served build: the site's own, then each thing's page,
    each of its named graphs' (a store may hold the releases' graphs too: their pages are the
    releases'), then the ontology's."""
    i, store = iris(), get_store()
    things = store.query(_THINGS.format(base=i.base)).rows
    pages = [i.document(str(row["s"]), "html") for row in things]
    graphs = [i.document(g, "html") for g in i.served_graphs(store.graphs()) if i.is_local(g)]
    return [*SITE_PAGES, *pages, *graphs, i.document(i(ONTOLOGY_IRI), "html")]


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    urls = "".join(f"  <url><loc>{escape(url(path, external=True))}</loc></url>\n"
                   for path in page_paths())
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{urls}</urlset>\n")
    return Response(body, content_type="application/xml; charset=utf-8")


@bp.get("/robots.txt")
def robots() -> Response:
    body = ("User-agent: *\n"
            f"Disallow: {url(SPARQL)}\n"  # pages yes; crawling arbitrary queries would only load it
            f"\nSitemap: {url(SITEMAP, external=True)}\n")
    return Response(body, content_type="text/plain; charset=utf-8")
