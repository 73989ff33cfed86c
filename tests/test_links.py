"""One URL builder: under a prefix, every link the server writes stays under it and answers.

The crawl visits every page type (landing, lists, calendar and charts, each kind of thing's
page and data, the ontology, named graphs, the catalogue, the query page and its examples,
downloads, sitemap, robots.txt, a 404 page) and reads every href, src and action, every
Location and every Link header, as Datasette's tests do for its base_url.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
import requests
from werkzeug.exceptions import NotFound
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from tests.server import serve

PREFIX = "/hld2006"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
#: One start of each page type; links found on them lead to the rest.
SEEDS = [
    "/", "/calendar", "/calendar?month=5&colour=theme&lang=fr", "/bodies", "/places",
    "/query", "/sparql", "/download/", "/id/event/7", "/id/org/iom", "/id/place/geneva",
    "/id/resolution/a-res-60-227/para/15", "/id/initiative/3", "/id/themes",
    "/id/theme/migration-and-development", "/id/dataset/hld2006", "/id/catalog", "/def/",
    "/def/Initiative", "/graph/source", "/catalog",
    "/.well-known/void", "/sitemap.xml", "/robots.txt", "/calendar/timeline.svg",
    "/calendar/map.svg", "/id/event/nothing-here", "/doc/event/7.ttl", "/favicon.ico",
    "/calendar.json?month=5", "/bodies.json", "/places.json", "/doc/event/7.jsonld",
    "/context.jsonld", "/frames/event.jsonld", "/schemas/calendar.json", "/openapi.json",
    "/download/hld2006-venues.csv",
    "/calendar/map.svg", "/id/event/nothing-here", "/doc/event/7.ttl",
    "/search?q=IOM", "/search?q=Gen%C3%A8ve&lang=fr", "/reconcile",
    "/reconcile/preview?id=https%3A%2F%2Fw3id.org%2Fhld2006%2Fid%2Forg%2Fiom",
    "/release/1.0/", "/release/1.0/doc/event/7.html", "/release/1.0/download/",
    "/changes/1.0", "/releases.atom", "/timemap/link/doc/event/7.ttl",
    "/timemap/json/id/event/7", "/linkset/id/event/7",
]


class Links(HTMLParser):
    """Every href, src and action of an HTML or SVG document."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.found: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        for name, value in attrs:
            if name in {"href", "src", "action", "xlink:href"} and value is not None:
                self.found.append(value)


def written_links(r: requests.Response) -> Iterator[str]:
    """Every link a response writes: in its body, Location and Link headers, sitemap."""
    if "Location" in r.headers:
        yield r.headers["Location"]
    for link in r.headers.get("Link", "").split(","):
        if "<" in link:
            yield link[link.index("<") + 1:link.index(">")]
    kind = r.headers.get("Content-Type", "")
    if kind.startswith(("text/html", "image/svg+xml")):
        yield from Links(r.text).found
    elif "xml" in kind and "<urlset" in r.text:
        yield from re.findall(r"<loc>([^<]+)</loc>", r.text)
    elif kind.startswith("text/plain") and "Sitemap:" in r.text:  # robots.txt
        yield from re.findall(r"(?:Sitemap|Disallow): (\S+)", r.text)


def _shape(path: str, query: str) -> str:
    """One visit per kind of URL: /doc/event/*.html, /download/*.nq, /sparql?query."""
    path = re.sub(r"/[^/]+(\.\w+)$", r"/*\1", path)
    return path + "?" + ",".join(sorted(p.split("=")[0] for p in query.split("&") if p))


#: Paths checked one per shape even when every page is crawled: a thing's IRI (it answers 303
#: to its page, which is crawled), its TimeMaps and linksets (made by one view for all).
PER_SHAPE = ("/timemap/", "/linkset/", "/id/")  # the first that a path holds


def _visit_key(path: str, query: str, every_page: bool) -> str:
    """What a visit stands for: its shape, or with ``every_page`` a page's own path (a page:
    .html, a folder or a name without extension; a URL with a query still by its shape: the
    calendar's filters and the example queries are endless; data documents and files by
    their shape, as each is written by one view)."""
    if not every_page or query:
        return _shape(path, query)
    last = path.rsplit("/", 1)[-1]
    for marker in PER_SHAPE:  # /id/event/*, /linkset/id/*, /timemap/link/doc/*.html
        if marker in path:
            head, rest = path.split(marker, 1)
            extension = "." + last.rpartition(".")[2] if "." in last else ""
            return f"{head}{marker}{rest.split('/')[0]}/*{extension}"
    return path if last.endswith(".html") or "." not in last else _shape(path, query)


def crawl(root: str, prefix: str, seeds: list[str] = SEEDS, *, every_page: bool = False,
          limit: int = 1000) -> dict[str, int]:
    """Visits ``root + prefix + seed`` and every link found, one per shape (``every_page``:
    every URL without a query); fails on a link outside the prefix or one that does not
    answer, and on more than ``limit`` visits (not a silent stop). Returns the status of each
    shape (or URL) visited."""
    host = urlparse(root).netloc
    todo = [root + prefix + s for s in seeds]
    seen: dict[str, int] = {}
    with requests.Session() as http:
        while todo:
            target = todo.pop(0)
            parsed = urlparse(target)
            key = _visit_key(parsed.path, parsed.query, every_page)
            if key in seen:
                continue
            assert len(seen) < limit, f"more than {limit} visits: {sorted(seen)[-20:]}"
            r = http.get(target, headers={"Accept": BROWSER}, allow_redirects=False, timeout=60)
            seen[key] = r.status_code
            todo += _followed(target, r, host, prefix)
    return seen


def _followed(target: str, r: requests.Response, host: str, prefix: str) -> list[str]:
    """The links of ``r`` (the answer of ``target``) to this site, once it answered well."""
    expected_404 = "nothing-here" in target
    assert r.status_code < 400 or expected_404, f"{target} answered {r.status_code}"
    found = []
    for link in written_links(r):
        resolved = urljoin(target, link)
        where = urlparse(resolved)
        if where.scheme not in {"http", "https"} or where.netloc != host:
            continue  # another site's IRI or page (w3id, Wikidata, OpenStreetMap, …)
        assert where.path == prefix or where.path.startswith(prefix + "/"), (
            f"{target} links to {link!r}, outside {prefix}")
        found.append(resolved.split("#")[0])
    return found


@pytest.fixture(scope="module")
def app_factory(settings, dist, tmp_path_factory):
    """Makes the app of the ``dist`` build as `hldgraph serve` does: release 1.0 made from the
    log and served under /release/1.0/, its graphs in the store beside the build's."""
    from hldgraph.release_folders import ensure_releases, store_quads
    from hldgraph.store import open_store
    from hldgraph.web import create_app

    stores = []
    releases = settings.with_(releases_dir=tmp_path_factory.mktemp("releases"))
    made = ensure_releases(releases)
    assert made  # release 1.0, made from the log, under /release/1.0/
    quads = store_quads(releases, dist, made)

    def make(**changes):
        s = releases.with_(dist_dir=dist, **changes)
        store = open_store(s, quads)
        stores.append(store)
        return create_app(s, store)

    yield make
    for store in stores:
        store.close()


def test_every_link_stays_under_script_name(app_factory):
    """The app mounted under SCRIPT_NAME=/hld2006, as `hldgraph serve` mounts it."""
    app = app_factory()
    app.wsgi_app = DispatcherMiddleware(NotFound(), {PREFIX: app.wsgi_app})
    with serve(app) as root:
        seen = crawl(root, PREFIX)
        assert requests.get(root + "/calendar", timeout=30).status_code == 404
    # every page type was reached
    for shape in ("/doc/event/*.html?", "/doc/graph/*.html?", "/doc/*.html?",
                  "/download/*.nq?", "/sparql?format,query", "/calendar/*.png?",
                  "/doc/event/*.ttl?", "/release/1.0/doc/event/*.html?",
                  "/release/1.0/download/*.nq?", "/release/1.0/?", "/changes/*.0?",
                  "/linkset/id/event/7?"):
        assert PREFIX + shape in seen, sorted(seen)


def _behind_stripping_proxy(app):
    """``app`` behind a proxy that publishes it at /hld2006 and strips the prefix, telling
    nothing (the base_path setting says where it is)."""
    inner = app.wsgi_app

    def proxy(environ, start_response):
        path = environ["PATH_INFO"]
        if path != PREFIX and not path.startswith(PREFIX + "/"):
            return NotFound()(environ, start_response)
        environ["PATH_INFO"] = path[len(PREFIX):] or "/"
        return inner(environ, start_response)

    app.wsgi_app = proxy
    return app


def test_every_link_stays_under_base_path(app_factory):
    """A proxy that publishes the site at /hld2006 and strips the prefix, telling nothing."""
    app = _behind_stripping_proxy(app_factory(base_path=PREFIX))
    with serve(app) as root:
        seen = crawl(root, PREFIX)
    assert PREFIX + "/doc/event/*.html?" in seen
    assert PREFIX + "/release/1.0/doc/event/*.html?" in seen


def test_the_service_description_names_the_endpoint_under_base_path(app_factory):
    """sd:endpoint was request.base_url (http://host/sparql behind such a proxy, a URL that
    answers 404) instead of the one URL builder's; a release's endpoint is its own."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF, Namespace

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    app = _behind_stripping_proxy(app_factory(base_path=PREFIX))
    with serve(app) as root:
        for path in ("/sparql", "/release/1.0/sparql"):
            r = requests.get(root + PREFIX + path, headers={"Accept": "text/turtle"},
                             timeout=30)
            assert r.status_code == 200, r.text
            g = Graph().parse(data=r.text, format="turtle")
            assert set(g.objects(None, sd.endpoint)) == {URIRef(root + PREFIX + path)}
            assert set(g.subjects(RDF.type, sd.Service)) == {URIRef(root + PREFIX + path)}


def test_base_path_is_checked(settings):
    from hldgraph.errors import SettingsError

    with pytest.raises(SettingsError, match="base_path"):
        settings.with_(base_path="hld2006/")


def test_every_page_of_the_site_and_of_a_release_links_only_to_what_answers(app_factory):
    """Every page, not one of each shape: the site's (from its home, the ontology's page and
    the sitemap) and release 1.0's (from its landing page), whose distribution and version
    pages link to the release's files; and every link of theirs answers."""
    app = app_factory()
    with serve(app) as root:
        seen = crawl(root, "", ["/", "/doc/def.html", "/sitemap.xml", "/release/1.0/"],
                     every_page=True, limit=5000)
    for path in ("/doc/def.html", "/release/1.0/", "/release/1.0/doc/dataset/hld2006/1.0.html",
                 "/release/1.0/doc/dataset/hld2006/1.0/distribution/hld2006-ttl.html",
                 "/doc/graph/catalog.html", "/release/1.0/download/*.ttl?"):
        assert seen.get(path) == 200, path


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_the_sitemap_of_a_server_holding_releases(app_factory):
    """The store holds release 1.0's graphs ({base}release/1.0/graph/...): the sitemap lists
    the served build's pages, each answers 200, and robots.txt names it."""
    import xml.etree.ElementTree as ET

    from hldgraph.urls import Iris

    app = app_factory()
    with serve(app) as root, requests.Session() as http:
        r = http.get(root + "/sitemap.xml", timeout=60)
        assert r.status_code == 200, r.text[:500]
        assert r.headers["Content-Type"].startswith("application/xml")
        urlset = ET.fromstring(r.content)
        assert urlset.tag == f"{SITEMAP}urlset"
        urls = [loc.text or "" for loc in urlset.iter(f"{SITEMAP}loc")]
        assert len(urls) == len(set(urls)) > 300
        assert f"{root}/doc/graph/catalog.html" in urls
        assert not [u for u in urls if "/release/" in u]  # a release's pages are its own
        failures = [(u, s) for u in urls
                    if (s := http.get(u, headers={"Accept": BROWSER}, timeout=60).status_code)
                    != 200]
        assert failures == []
        robots = http.get(root + "/robots.txt", timeout=60).text
        assert f"Sitemap: {root}/sitemap.xml" in robots.splitlines()
        # a release's graph is described in the release, where its page answers
        iris = Iris(app.extensions["hldgraph"]["settings"].base_iri)
        page = iris.document(iris.release_graph("1.0", "catalog"), "html")
        assert page == "release/1.0/doc/graph/catalog.html"
        assert http.get(f"{root}/{page}", headers={"Accept": BROWSER}).status_code == 200


#: What a French page links to that is not a page in a language: files and data by extension.
_FILES = re.compile(r"\.(ttl|nt|nq|trig|jsonld|json|csv|ics|svg|png|xml|atom|gz|rq|sha256|"
                    r"txt|ico|css|js)$")


def _page_links(text: str) -> list[str]:
    """The href of every <a> of a page that is not typed (a typed one names a file's media
    type) and not in another language (hreflang: the language switch)."""
    found: list[str] = []

    class Anchors(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list) -> None:
            a = dict(attrs)
            if tag == "a" and a.get("href") and not a.get("type") and not a.get("hreflang"):
                found.append(a["href"])

    Anchors().feed(text)
    return found


@pytest.mark.parametrize("path", ["/sparql", "/query", "/", "/download/", "/id/event/7",
                                  "/calendar?month=5", "/id/event/nothing-here"])
def test_every_link_of_a_french_page_to_a_page_stays_french(live, path):
    """A French page's links to this site's pages (the menu's SPARQL, the query page's
    examples, downloads, catalogue) keep ?lang=fr, as links.href and entry() do for the
    pages they keep in the language; files, data and links to the other language aside."""
    from urllib.parse import parse_qs

    page = f"{live}{path}{'&' if '?' in path else '?'}lang=fr"
    r = requests.get(page, headers={"Accept": BROWSER}, timeout=60)
    lost = []
    for link in _page_links(r.text):
        where = urlparse(urljoin(page, link))
        if (where.netloc != urlparse(live).netloc or _FILES.search(where.path)
                or "/static/" in where.path):
            continue
        if parse_qs(where.query).get("lang") != ["fr"]:
            lost.append(link)
    assert lost == [], f"{path}: {sorted(set(lost))[:5]}"
