"""Every link the server writes: one builder that honours the application root.

The application root is the WSGI mount (``SCRIPT_NAME``, e.g. ``/hld2006`` under
``DispatcherMiddleware``) or, where a reverse proxy strips the prefix itself and says nothing,
the ``base_path`` setting. Templates, result tables, example queries, redirects (``Location``),
``Link`` headers and the sitemap all take their URLs from :func:`url`; the paths of the site's
own pages are named here and nowhere else.

IRIs (``https://w3id.org/hld2006/id/event/7``) are not links: :mod:`hldgraph.urls` mints them;
this module says where a browser follows them on this server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from urllib.parse import urlencode

from flask import current_app, request

from hldgraph.formats import MediaType, negotiate, offered
from hldgraph.urls import Iris
from hldgraph.web import linkset
from hldgraph.web.http import get_settings, varies
from hldgraph.web.i18n import LANGS
from hldgraph.web.linkset import Link

#: Data documents by extension: ttl, jsonld, nt, rdf.
DATA_FORMATS: dict[str, MediaType] = {m.extension: m for m in offered("construct")}
HTML = next(m for m in offered("construct", html=True) if m.name == "html")
#: The extensions of a thing's documents (``/doc/{path}.{extension}``): its page and its data
#: documents; no other extension names a document (404), a memento or a TimeMap.
DOCUMENT_EXTENSIONS = (HTML.extension, *DATA_FORMATS)


def document_media() -> MediaType:
    """The document a client asks for at an IRI (``format=``, the first usable one where it is
    given several times, else Accept; HTML offered): the one choice of ``/id/…``, the catalogue
    record, VoID, the service description and the TimeGate's original resource.
    Raises :class:`~hldgraph.formats.NotAcceptable` (406). The answer varies on Accept
    (RFC 9110 §12.5.5), whichever it is: the finaliser names it in Vary."""
    varies(request.environ, "Accept")
    return negotiate(request.headers.get("Accept"), "construct",
                     format=request.args.getlist("format"), html=True)

#: A link's query: one value per name, or a sequence of them for a parameter that repeats
#: (``{"type": ["event", "place"]}`` is ``type=event&type=place``).
Query = Mapping[str, str | Sequence[str]]

#: Paths of the site's own pages and files (after the root, no leading "/").
HOME, CALENDAR, BODIES, PLACES = "", "calendar", "bodies", "places"
SPARQL, QUERY, DOWNLOADS = "sparql", "query", "download/"
CATALOG, VOID, SITEMAP = "catalog", ".well-known/void", "sitemap.xml"
CALENDAR_ICS, CALENDAR_CSV = "calendar.ics", "calendar.csv"
#: The JSON twins of the list pages, and what describes the JSON: context, frames, schemas, API.
CALENDAR_JSON, BODIES_JSON, PLACES_JSON = "calendar.json", "bodies.json", "places.json"
CONTEXT, FRAME, SCHEMA_DOC, OPENAPI = ("context.jsonld", "frames/{name}.jsonld",
                                       "schemas/{name}.json", "openapi.json")
#: The site's icon: a file of web/static, also answered at the root, where browsers look for it.
FAVICON = "favicon.ico"
SEARCH, SEARCH_JSON, RECONCILE = "search", "search.json", "reconcile"
#: Pages of the site that are not a thing's page (each answers 200).
SITE_PAGES = (HOME, CALENDAR, BODIES, PLACES, QUERY, DOWNLOADS)

#: IRI paths of the things the site's menus and records name.
DATASET_IRI, CATALOG_IRI = "id/dataset/hld2006", "id/catalog"
LEAFLET_IRI, THEMES_IRI, ONTOLOGY_IRI = "id/document/leaflet", "id/themes", "def/"
HLD_EVENT_IRI = "id/event/50"
#: Where the IRIs of things start (/id/{path} answers 303).
THINGS_PATH = "id/"
#: Releases: release V's landing page and documents (release/V/doc/...), the "What changed"
#: page of each, the feed of releases, the TimeMaps (RFC 7089) and linksets (RFC 9264) of
#: every resource, by the resource's path.
RELEASES, WHAT_CHANGED, RELEASES_FEED = "release/", "changes/", "releases.atom"
TIMEMAPS, LINKSETS = "timemap/", "linkset/"


@lru_cache(maxsize=8)
def _iris(base: str) -> Iris:
    return Iris(base)


def iris() -> Iris:
    """The IRIs of the running application's base IRI."""
    return _iris(get_settings().base_iri)


def root() -> str:
    """The application root without a trailing "/": SCRIPT_NAME, else the base_path setting."""
    return (request.script_root or get_settings().base_path).rstrip("/")


def url(path: str, query: Query | None = None, *, lang: bool = False,
        external: bool = False) -> str:
    """The URL of ``path`` (no leading "/" needed) of this site, under its root.

    ``query`` is encoded (a sequence of values repeats its name); ``lang=True`` keeps the
    ``?lang=`` the request asked for (a page links to pages in its own language);
    ``external=True`` adds the scheme and host of the request.
    A path of a release (``release/1.0/download/hld2006.ttl``, the path of a release's IRI)
    is the site's: it is under the site's root even in a release's application, whose own root
    already ends in ``/release/1.0``.
    """
    return urls(query, lang=lang, external=external)(path)


def urls(query: Query | None = None, *, lang: bool = False,
         external: bool = False) -> Callable[[str], str]:
    """:func:`url` of any path, with these arguments: what it needs of the request (the root,
    ``?lang=``, the host) is read once, for a list that links many things."""
    base, tail, host = root(), _query(query, lang), _host(external)

    def of(path: str) -> str:
        path = path.lstrip("/")
        return f"{host}{site_root() if path.startswith(RELEASES) else base}/{path}{tail}"

    return of


def _query(query: Query | None, lang: bool) -> str:
    """``?…``: ``query`` (every value of a name given several), with the request's ``?lang=``
    where ``lang``; "" for none."""
    params = dict(query or {})
    asked = request.args.get("lang", "")
    if lang and asked in LANGS:
        params.setdefault("lang", asked)
    return f"?{urlencode(params, doseq=True)}" if params else ""


def asked(*leave: str) -> dict[str, list[str]]:
    """The request's parameters with every value of each, but empty values (no filter) and
    ``leave``: the query of a link to this answer in another shape or language, which asks
    what this one asked (a parameter that repeats keeps all its values)."""
    return {name: kept for name, values in request.args.lists()
            if name not in leave and (kept := [v for v in values if v])}


def _host(external: bool) -> str:
    return request.host_url.rstrip("/") if external else ""


def served_release() -> str | None:
    """The version of the release this application serves under /release/{version}/, or None
    for the site itself (the latest build)."""
    return current_app.extensions["hldgraph"].get("release")


def site_root() -> str:
    """The root of the whole site: :func:`root`, less the /release/{version} mount of a
    release's application."""
    base, version = root(), served_release()
    mount = f"/{RELEASES}{version}"
    return base[:-len(mount)] if version and base.endswith(mount) else base


def site_url(path: str, query: Query | None = None, *, lang: bool = False,
             external: bool = False) -> str:
    """As :func:`url`, under the site's root even in a release's application: links between
    releases (mementos, TimeMaps, "What changed", the feed) go through it."""
    return f"{_host(external)}{site_root()}/{path.lstrip('/')}{_query(query, lang)}"


def static(filename: str) -> str:
    """The URL of a file of web/static."""
    return url(f"static/{filename}")


def href(iri: str) -> str:
    """Where a browser follows an IRI: a thing's page here, anything else as it is."""
    return hrefs([iri])[0]


def hrefs(things: Iterable[str]) -> list[str]:
    """:func:`href` of each of ``things``, the request read once (:func:`urls`)."""
    i, page, rv = iris(), urls(lang=True), []
    for iri in things:
        if i.is_local(iri) and i.path_of(iri).startswith("def/"):  # a term: its section
            rv.append(page(i.document(iri, "html")) + "#" + i.path_of(iri)[len("def/"):])
            continue
        try:
            rv.append(page(i.document(iri, "html")))
        except ValueError:
            rv.append(page(i.path_of(iri)) if i.is_local(iri) else str(iri))
    return rv


def iri_link(iri: str) -> str:
    """Where an IRI is dereferenced on this server (it answers 303), others as they are."""
    i = iris()
    return url(i.path_of(iri)) if i.is_local(iri) else str(iri)


def document(iri: str, extension: str) -> str:
    """The URL of the document about ``iri`` in ``extension`` (html keeps the language)."""
    return url(iris().document(iri, extension), lang=extension == "html")


def canonical(path: str) -> str:
    """The public URL of a path, under the base IRI (what search engines are given)."""
    return iris().base + path.lstrip("/")


def canonical_page(iri: str) -> str:
    """The public URL of the page of a thing."""
    return canonical(iris().document(iri, "html"))


#: The site's entry points, by the name templates use: (path, query, keeps the language).
#: Every page keeps it (the query page's layout is in the page's language; /catalog and
#: /.well-known/void answer a browser with a page); files and data do not.
_ENTRIES: dict[str, tuple[str, dict[str, str], bool]] = {
    "home": (HOME, {}, True), "calendar": (CALENDAR, {}, True), "bodies": (BODIES, {}, True),
    "places": (PLACES, {}, True), "sparql": (SPARQL, {}, True),
    "downloads": (DOWNLOADS, {}, True), "catalog": (CATALOG, {}, True),
    "catalog_ttl": (CATALOG, {"format": "ttl"}, False), "void": (VOID, {}, True),
    "calendar_ics": (CALENDAR_ICS, {}, False), "calendar_csv": (CALENDAR_CSV, {}, False),
    "openapi": (OPENAPI, {}, False), "context": (CONTEXT, {}, False),
    "search": (SEARCH, {}, False), "search_json": (SEARCH_JSON, {}, False),
    "search_labels": (f"{SEARCH}/labels", {}, False),
    "search_vocabulary": (f"{SEARCH}/vocabulary.json", {}, False),
    "reconcile": (RECONCILE, {}, False)}
#: Things the site's pages name, by the name templates use.
_THINGS = {"themes": THEMES_IRI, "leaflet": LEAFLET_IRI, "hld": HLD_EVENT_IRI,
           "ontology": ONTOLOGY_IRI, "dataset": DATASET_IRI, "catalog_record": CATALOG_IRI,
           "resolution": "id/resolution/a-res-60-227", "calendar_doc": "id/document/calendar",
           "iom": "id/org/iom"}


def entry(name: str) -> str:
    """The URL of an entry point of the site (home, calendar, sparql, …) or of the page of a
    thing it names (themes, dataset, ontology, …)."""
    if name in _ENTRIES:
        path, query, lang = _ENTRIES[name]
        return url(path, query, lang=lang)
    return document(entry_iri(name), "html")


def calendar_for(**filters: str | Sequence[str]) -> str:
    """The calendar's page with filters (``city=geneva``), in the request's language."""
    return url(CALENDAR, filters, lang=True)


def entry_iri(name: str) -> str:
    """The IRI of a thing the site's pages name (leaflet, dataset, …)."""
    return str(iris()(_THINGS[name]))


def download(name: str) -> str:
    """The URL of a file of the build."""
    return url(DOWNLOADS + name)


def alternates(iri: str) -> list[dict[str, str]]:
    """Every document of a thing: its page and its data in each format."""
    i = iris()
    return [{"href": url(i.document(iri, m.extension)), "type": m.mime, "name": m.extension}
            for m in (*DATA_FORMATS.values(), HTML)]


def json_twin(path: str, query: Query | None = None) -> dict[str, str]:
    """The JSON twin of a page (as :func:`alternates` lists a thing's documents)."""
    return {"href": url(path, query), "type": "application/json", "name": "json"}


def link_header(links: list[tuple[str, str, str]]) -> str:
    """A Link header (RFC 8288) of (URL, rel, media type or "") triples, written by the one
    writer of links, :func:`hldgraph.web.linkset.link_header`."""
    return linkset.link_header(Link(target, rel, type_) for target, rel, type_ in links)


def thing_links(iri: str, current: str) -> str:
    """The Link header of a thing's documents: the others, and the thing they describe."""
    return link_header([*((a["href"], "alternate", a["type"]) for a in alternates(iri)
                          if a["name"] != current), (iri, "describes", "")])


def release_path(version: str, path: str = "") -> str:
    """The path of ``path`` as release ``version`` serves it (its landing page for "")."""
    return f"{RELEASES}{version}/{path.lstrip('/')}"


def memento_path(version: str, original: str) -> str:
    """The path of the memento (RFC 7089 URI-M) of the resource at path ``original`` that
    release ``version`` holds."""
    return release_path(version, original)


def release_url(version: str, path: str = "", *, lang: bool = False,
                external: bool = False) -> str:
    """Where release ``version`` serves ``path`` (its landing page for "")."""
    return site_url(release_path(version, path), lang=lang, external=external)


def changes_url(version: str, *, external: bool = False) -> str:
    """The "What changed" page of a release, in the request's language."""
    return site_url(WHAT_CHANGED + version, lang=True, external=external)


def timemap_url(path: str, kind: str) -> str:
    """The TimeMap (``kind``: "link" for application/link-format, "json") of the resource at
    ``path``, as an absolute URL (Memento clients follow it from other sites)."""
    return site_url(f"{TIMEMAPS}{kind}/{path.lstrip('/')}", external=True)


def linkset_url(iri: str) -> str:
    """The Signposting linkset (RFC 9264) of a thing."""
    return site_url(LINKSETS + iris().path_of(iri), external=True)
