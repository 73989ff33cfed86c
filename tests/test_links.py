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


def crawl(root: str, prefix: str) -> dict[str, int]:
    """Visits ``root + prefix + seed`` and every link found, one per shape; fails on a link
    outside the prefix or one that does not answer. Returns the status of each shape visited."""
    host = urlparse(root).netloc
    todo = [root + prefix + s for s in SEEDS]
    seen: dict[str, int] = {}
    while todo:
        target = todo.pop(0)
        parsed = urlparse(target)
        shape = _shape(parsed.path, parsed.query)
        if shape in seen or len(seen) > 250:
            continue
        r = requests.get(target, headers={"Accept": BROWSER}, allow_redirects=False, timeout=60)
        seen[shape] = r.status_code
        expected_404 = "nothing-here" in target
        assert r.status_code < 400 or expected_404, f"{target} answered {r.status_code}"
        for link in written_links(r):
            resolved = urljoin(target, link)
            where = urlparse(resolved)
            if where.scheme not in {"http", "https"} or where.netloc != host:
                continue  # another site's IRI or page (w3id, Wikidata, OpenStreetMap, …)
            assert where.path == prefix or where.path.startswith(prefix + "/"), (
                f"{target} links to {link!r}, outside {prefix}")
            todo.append(resolved.split("#")[0])
    return seen


@pytest.fixture(scope="module")
def app_factory(settings, dist, tmp_path_factory):
    from hldgraph.release import ensure_releases
    from hldgraph.store import open_store
    from hldgraph.web import create_app

    stores = []
    releases = settings.with_(releases_dir=tmp_path_factory.mktemp("releases"))
    assert ensure_releases(releases)  # release 1.0, made from the log, under /release/1.0/

    def make(**changes):
        s = releases.with_(dist_dir=dist, **changes)
        store = open_store(s, dist / "hld2006.nq")
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


def test_every_link_stays_under_base_path(app_factory):
    """A proxy that publishes the site at /hld2006 and strips the prefix, telling nothing."""
    app = app_factory(base_path=PREFIX)
    inner = app.wsgi_app

    def proxy(environ, start_response):
        path = environ["PATH_INFO"]
        if path != PREFIX and not path.startswith(PREFIX + "/"):
            return NotFound()(environ, start_response)
        environ["PATH_INFO"] = path[len(PREFIX):] or "/"
        return inner(environ, start_response)

    app.wsgi_app = proxy
    with serve(app) as root:
        seen = crawl(root, PREFIX)
    assert PREFIX + "/doc/event/*.html?" in seen
    assert PREFIX + "/release/1.0/doc/event/*.html?" in seen


def test_base_path_is_checked(settings):
    from hldgraph.errors import SettingsError

    with pytest.raises(SettingsError, match="base_path"):
        settings.with_(base_path="hld2006/")
