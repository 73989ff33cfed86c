"""Search over HTTP: the search page and its JSON twin over every label of the graph, in English
and French, ranked as the reconciliation service ranks (one index serves both)."""

from __future__ import annotations

import json
import uuid
from html.parser import HTMLParser

import pytest
import requests

from tests.test_resources import BASE, BROWSER, Page


def found(live: str, q: str, **params: str | list[str]) -> list[dict]:
    r = requests.get(live + "/search.json", params={"q": q, **params}, timeout=30)
    assert r.status_code == 200, r.text
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    return r.json()["results"]


@pytest.mark.parametrize(("q", "iri"), [
    ("OIM", "id/org/iom"), ("daes", "id/org/undesa"), ("U.N. DESA", "id/org/undesa"),
    ("Genève", "id/place/geneva"), ("geneve", "id/place/geneva"), ("Saint-Domingue",
                                                                   "id/place/santo-domingo"),
    ("Migrations et développement", "id/theme/migration-and-development"),
    ("Fonds des Nations Unies pour la population", "id/org/unfpa"),
    ("Ministerial Conference Remittances", "id/event/2"), ("A/RES/60/227", "id/resolution/"
                                                                          "a-res-60-227"),
    ("Gouvernement du Mexique", "id/org/gov-mexico"), ("Calendar Row", "def/calendarRow"),
])
def test_labels_acronyms_and_spellings_in_both_languages(live, q, iri):
    assert found(live, q)[0]["id"] == BASE + iri


def test_json_twin_and_page_agree(live):
    r = requests.get(live + "/search", params={"q": "IOM", "lang": "fr"},
                     headers={"Accept": BROWSER}, timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    assert r.headers["Content-Language"] == "fr" and "Accept" in r.headers["Vary"]
    page = Page(r.text)
    twin = next(link for link in r.headers["Link"].split(",") if "alternate" in link)
    results = requests.get(live + twin[twin.index("<") + 1:twin.index(">")], timeout=30).json()
    assert results["results"][0]["name"] == "Organisation internationale pour les migrations"
    assert any(h.endswith("/doc/org/iom.html?lang=fr") for h in page.links)
    as_json = requests.get(live + "/search", params={"q": "IOM"},
                           headers={"Accept": "application/json"}, timeout=30)
    assert as_json.json()["results"][0]["id"] == BASE + "id/org/iom"


def test_the_json_twin_and_the_other_language_keep_every_type_asked(live):
    """?type= repeats by design: the page's links to its JSON twin (Link header and <link>)
    and to its other language kept the first value only, so the twin of a search of events
    and places searched events."""
    from urllib.parse import parse_qs, urlparse

    asked = {"q": ["geneva"], "type": ["event", "place"]}
    r = requests.get(live + "/search", params=asked, headers={"Accept": BROWSER}, timeout=30)
    assert r.status_code == 200
    twin = next(link for link in r.headers["Link"].split(",") if "alternate" in link)
    href = twin[twin.index("<") + 1:twin.index(">")]
    assert parse_qs(urlparse(href).query) == asked
    page = Page(r.text)
    assert ("application/json", href) in page.alternates  # the page's <link rel="alternate">
    answer = requests.get(live + href, timeout=30).json()
    assert answer["type"] == ["event", "place"] and answer["results"]
    other = [h for h in page.links if "lang=fr" in h]
    assert other and parse_qs(urlparse(other[0]).query) == {**asked, "lang": ["fr"]}


def test_a_french_page_shows_the_spelling_that_matched_as_written_and_marks_its_language(
        live):
    """WCAG 2.1 SC 3.1.2: "(écrit : IOM event)" on a French page is English, and says so;
    the spelling shown is the graph's, not the folded form the index compares."""
    import html5lib

    r = requests.get(live + "/search", params={"q": "IOM", "lang": "fr"},
                     headers={"Accept": BROWSER}, timeout=30)
    doc = html5lib.parse(r.text, treebuilder="lxml", namespaceHTMLElements=False)
    written = {"".join(e.itertext()): e.get("lang")
               for e in doc.iterfind(".//ol[@id='search-results']//span[@class='matched']//*")}
    assert written.get("IOM event") == "en", written
    assert "iom inter sessional workshop on integration of migrants" not in r.text
    assert written.get("IOM Inter-sessional workshop on Integration of Migrants") == "en"
    # French typography in the page's own words: « IOM », "en français ;"
    count = doc.find(".//p[@id='search-count']")
    assert "".join(count.itertext()).endswith("pour «\u202fIOM\u202f»")
    assert "en français\u202f; les petites" in r.text


def test_ranked_as_the_reconciliation_service_ranks(live):
    for q, kind in (("Gov of Mexico", "organization"), ("Workshop on Female Migrants", "event"),
                    ("Geneva", "place"), ("Migration and development", "concept")):
        queries = {"q": {"query": q, "type": kind.capitalize(), "limit": 5}}
        reconciled = requests.post(live + "/reconcile", data={"queries": json.dumps(queries)},
                                   timeout=30).json()["q"]["result"]
        searched = found(live, q, type=kind, limit="5")
        assert [c["id"] for c in reconciled] == [s["id"] for s in searched]
        assert [c["features"][0]["value"] for c in reconciled] == [s["score"] for s in searched]


def test_types_typing_and_limits(live):
    assert all("http://schema.org/Place" in r["types"] for r in found(live, "Gen", type="place"))
    assert found(live, "Genè", typing="1", type="place")[0]["id"] == BASE + "id/place/geneva"
    assert len(found(live, "migration", limit="3")) == 3
    assert found(live, "") == [] and found(live, "zzzzqqqq") == []
    for params in ({"q": "x", "limit": "0"}, {"q": "x", "limit": "lots"},
                   {"q": "x", "limit": "²"}, {"q": "x", "limit": "9" * 5000},  # were 500s
                   {"q": "x", "type": "person"}, {"q": "x" * 201}):
        r = requests.get(live + "/search.json", params=params, timeout=30)
        assert r.status_code == 400, params
        assert next(iter(params.keys() - {"q"}), "q") in r.json()["error"]


class _Form(HTMLParser):
    """The fields of the page's search form (form.search-page) as a browser submits them
    untouched: each input's value, each select's selected option (else its first)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._form, self._select, self._chosen = False, "", False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "form":
            self._form = "search-page" in (a.get("class") or "")
        elif self._form and tag == "input" and a.get("name"):
            self.fields[a["name"]] = a.get("value") or ""
        elif self._form and tag == "select":
            self._select, self._chosen = a["name"], False
        elif (self._form and tag == "option" and self._select and not self._chosen
              and (self._select not in self.fields or "selected" in a)):
            self.fields[self._select] = a.get("value") or ""
            self._chosen = "selected" in a

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = ""
        elif tag == "form":
            self._form = False


def test_the_search_pages_own_form_is_answered(live):
    """The form's kind is "any" unless chosen: <option value="">, sent as type= (empty). That
    was a 400 ("type='' is not a kind this search knows"): typing a name in the search page
    and pressing Search failed. An empty type is no filter, as an empty calendar filter is."""
    for lang in ("en", "fr"):
        page = requests.get(live + "/search", params={"lang": lang},
                            headers={"Accept": BROWSER}, timeout=30).text
        fields = {**_Form(page).fields, "q": "IOM"}
        assert fields.get("type") == "", fields
        r = requests.get(live + "/search", params=fields, headers={"Accept": BROWSER},
                         timeout=30)
        assert r.status_code == 200, r.text[:300]
        assert "/doc/org/iom.html" in r.text
    assert found(live, "IOM", type="")[0]["id"] == BASE + "id/org/iom"
    assert all("http://schema.org/Place" in r["types"]
               for r in found(live, "Gen", type=["", "place"]))


def test_json_answers_are_utf8_with_their_keys_sorted(live):
    """The web writes JSON with orjson (web.json_encoding): text beyond ASCII as UTF-8, not as
    escapes (RFC 8259 §8.1), keys sorted and compact as Flask's own provider wrote them."""
    r = requests.get(live + "/search.json", params={"q": "Genève"}, timeout=30)
    assert r.headers["Content-Type"] == "application/json"
    assert "Genève".encode() in r.content and b"\\u00e8" not in r.content
    first = json.loads(r.content)["results"][0]
    assert list(first) == sorted(first) and b'": ' not in r.content


def test_the_kinds_of_search_are_the_reconciliation_services_types(live):
    """One list of kinds, one name each: the search page's menu offers the types of the
    reconciliation service, named as its manifest names them, and ?type= takes any name the
    service takes (its key, class IRI or name in either language)."""
    import re

    from hldgraph.web.matching import TYPES

    for lang in ("en", "fr"):
        page = requests.get(live + "/search", params={"lang": lang},
                            headers={"Accept": BROWSER}, timeout=30).text
        menu = re.search(r'<select id="search-type".*?</select>', page, re.S).group(0)
        offered = dict(re.findall(r'<option value="(\w+)"[^>]*>([^<]+)</option>', menu))
        assert offered == {t.key: t.name(lang) for t in TYPES}
        assert set(offered) == {"event", "organization", "place", "concept"}
    assert (offered["organization"], offered["place"]) == ("Organisation", "Lieu")
    for name in ("place", "Lieu", "Place", "http://schema.org/Place", "schema:Place"):
        assert all("http://schema.org/Place" in r["types"]
                   for r in found(live, "Gen", type=name)), name
    bad = requests.get(live + "/search.json", params={"q": "Gen", "type": "venue"}, timeout=30)
    assert bad.status_code == 400
    assert "event, organization, place, concept" in bad.json()["error"]


def test_labels_of_iris_and_the_vocabulary(live):
    r = requests.get(live + "/search/labels", params={
        "iri": [BASE + "id/place/geneva", BASE + "id/org/iom", "http://example.org/x"],
        "lang": "fr"}, timeout=30)
    assert r.json() == {BASE + "id/place/geneva": "Genève",
                        BASE + "id/org/iom": "Organisation internationale pour les migrations"}
    vocabulary = requests.get(live + "/search/vocabulary.json", timeout=30).json()
    assert "http://schema.org/Event" in {c["iri"] for c in vocabulary["classes"]}
    assert "http://schema.org/organizer" in {p["iri"] for p in vocabulary["properties"]}
    assert vocabulary["prefixes"]["hld"] == BASE + "def/"


def test_every_page_has_the_search_box(live):
    for path in ("/", "/calendar", "/id/org/iom", "/sparql", "/search?q=x", "/nothing-here"):
        r = requests.get(live + path, headers={"Accept": BROWSER}, timeout=30)
        assert 'role="search"' in r.text and 'name="q"' in r.text, path


@pytest.mark.parametrize(("path", "params"), [
    ("/search.json", {"q": "Organisation internationale"}),
    ("/reconcile/suggest/entity", {"prefix": "Gen"}),
    ("/reconcile", {"queries": json.dumps({"q0": {"query": "UN DESA"}})}),
])
def test_answers_are_kept_by_the_one_response_cache(live, path, params):
    """A repeated search is answered from the response cache, as sent the first time; another
    language (Vary) is another answer; preconditions are still evaluated."""
    params = {**params, "probe": uuid.uuid4().hex}  # a URL no other test has asked for
    first, second = (requests.get(live + path, params=params, timeout=30) for _ in range(2))
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert {k: v for k, v in second.headers.items() if k not in {"Date", "X-Cache"}} == \
        {k: v for k, v in first.headers.items() if k not in {"Date", "X-Cache"}}
    fr = [requests.get(live + path, params=params, headers={"Accept-Language": "fr"},
                       timeout=30) for _ in range(2)]
    by_language = "Accept-Language" in first.headers.get("Vary", "")
    assert [r.headers["X-Cache"] for r in fr] == ["miss" if by_language else "hit", "hit"]
    assert by_language  # each names its things in the reader's language
    again = requests.get(live + path, params=params, timeout=30,
                         headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""


def test_a_build_without_a_name_index_is_a_503_saying_why(settings, dist, tmp_path):
    """A build made before the name index existed: its manifest lists no lookup.json."""
    import shutil

    from server import serve

    from hldgraph.store import open_store
    from hldgraph.web import create_app

    old = tmp_path / "dist"
    shutil.copytree(dist, old)
    manifest = json.loads((old / "manifest.json").read_text(encoding="utf-8"))
    del manifest["files"]["lookup.json"]
    (old / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (old / "lookup.json").unlink()
    served = settings.with_(dist_dir=old)
    with open_store(served, old / "hld2006.nq") as store, serve(create_app(served, store)) as url:
        r = requests.get(url + "/search.json", params={"q": "IOM"}, timeout=30)
        assert r.status_code == 503 and "lookup.json" in r.json()["error"]
        vocabulary = requests.get(url + "/search/vocabulary.json", timeout=30)
        assert vocabulary.status_code == 200 and vocabulary.json()["classes"] == []


def test_a_server_reads_the_name_index_before_its_workers_fork(settings, dist, monkeypatch):
    """hldgraph serve reads the build's name index before Granian forks its workers
    (web.server.run → search.preload), so that they share one copy and answer their first
    search at once; later searches take it from memory. Without an index to read, the server
    starts all the same."""
    from hldgraph import lookup
    from hldgraph.store import open_store
    from hldgraph.web import create_app, search, server

    class Started(Exception):
        pass

    loaded: list[int] = []

    def started(*args: object) -> None:  # the first thing run() does after preloading
        loaded.append(len(search._loaded))
        raise Started

    monkeypatch.setattr(server, "relay_signals", started)
    served = settings.with_(dist_dir=dist)
    with open_store(served, dist / "hld2006.nq") as store:
        app = create_app(served, store)
        search._loaded.clear()
        with pytest.raises(Started):
            server.run(app, served)
        assert loaded == [1]

        def unread(*args: object) -> None:
            raise AssertionError("the index was read again")

        monkeypatch.setattr(lookup, "read", unread)
        answer = app.test_client().get("/search.json", query_string={"q": "IOM"})
        assert answer.status_code == 200 and answer.json["results"]
    empty = settings.with_(dist_dir=dist.parent / "no-build-here")
    with open_store(empty, dist / "hld2006.nq") as store:
        assert search.preload(create_app(empty, store)) is False


def test_a_new_build_is_searched_as_soon_as_it_is_served(settings, dist, tmp_path):
    """The index kept in memory is the one the build's manifest lists (by its SHA-256): a new
    build's is read on the next search, not an old copy kept for a file of the same name."""
    import hashlib
    import os
    import shutil

    from server import serve

    from hldgraph import lookup
    from hldgraph.store import open_store
    from hldgraph.web import create_app

    folder = tmp_path / "dist"
    shutil.copytree(dist, folder)
    served = settings.with_(dist_dir=folder)
    with (open_store(served, folder / "hld2006.nq") as store,
          serve(create_app(served, store)) as url):
        new = "https://w3id.org/hld2006/id/event/999"
        assert new not in [h["id"] for h in found(url, "Zanzibar Remittance Forum")]
        contents = lookup.read(folder / lookup.FILE)
        contents.entries.append(lookup.Entry(
            id=new, types=["http://schema.org/Event"],
            name={"en": "Zanzibar Remittance Forum"},
            labels=[("Zanzibar Remittance Forum", "en")]))
        data = lookup.render(contents)
        (folder / lookup.FILE).write_bytes(data)
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        manifest["files"][lookup.FILE]["sha256"] = hashlib.sha256(data).hexdigest()
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        later = (folder / "manifest.json").stat().st_mtime + 5  # as a build written later
        os.utime(folder / "manifest.json", (later, later))
        hits = found(url, "Zanzibar Remittance Forum", limit="3")  # not the answer kept
        assert [h["id"] for h in hits][:1] == [new]


def test_an_unreadable_name_index_is_a_503_saying_why(settings, dist, tmp_path):
    """A build whose lookup.json is damaged (cut short on disk): search answers 503 naming the
    file and what to do, never a 500, and a server still starts with it (search.preload)."""
    import shutil

    from server import serve

    from hldgraph.store import open_store
    from hldgraph.web import create_app, search

    folder = tmp_path / "dist"
    shutil.copytree(dist, folder)
    data = (folder / "lookup.json").read_bytes()
    (folder / "lookup.json").write_bytes(data[: len(data) // 2])
    served = settings.with_(dist_dir=folder)
    search._loaded.clear()
    with open_store(served, folder / "hld2006.nq") as store:
        app = create_app(served, store)
        assert search.preload(app) is False
        with serve(app) as url:
            r = requests.get(url + "/search.json", params={"q": "IOM"}, timeout=30)
            assert r.status_code == 503, r.text
            assert "lookup.json cannot be read" in r.json()["error"]
            assert "hldgraph build" in r.json()["error"]


def test_a_name_index_listed_but_missing_is_a_503_not_a_404(settings, dist, tmp_path):
    """A build whose manifest lists lookup.json that is gone from its folder is damaged: search
    answers 503 naming the file and what to do (the search exists; the build is broken), not
    404 as for a file the build does not have."""
    import shutil

    from server import serve

    from hldgraph.store import open_store
    from hldgraph.web import create_app, search

    folder = tmp_path / "dist"
    shutil.copytree(dist, folder)
    (folder / "lookup.json").unlink()
    served = settings.with_(dist_dir=folder)
    search._loaded.clear()
    with open_store(served, folder / "hld2006.nq") as store, serve(
            create_app(served, store)) as url:
        r = requests.get(url + "/search.json", params={"q": "IOM"}, timeout=30)
        assert r.status_code == 503, r.text
        assert "lookup.json" in r.json()["error"] and "hldgraph build" in r.json()["error"]


def test_an_unreadable_name_index_is_read_again_only_once_it_changes(
        settings, dist, tmp_path, monkeypatch):
    """Reading a large lookup.json takes seconds: a damaged one is not read again by every
    search (each 503 at once) until the file changes, and then it is (here mended: 200)."""
    import shutil

    from server import serve

    from hldgraph import lookup
    from hldgraph.store import open_store
    from hldgraph.web import create_app, search

    folder = tmp_path / "dist"
    shutil.copytree(dist, folder)
    data = (folder / "lookup.json").read_bytes()
    (folder / "lookup.json").write_bytes(data[: len(data) // 2])
    reads, read = [], lookup.read
    monkeypatch.setattr(lookup, "read", lambda path: reads.append(path) or read(path))
    served = settings.with_(dist_dir=folder)
    search._loaded.clear()
    with open_store(served, folder / "hld2006.nq") as store, serve(
            create_app(served, store)) as url:
        for _ in range(3):
            r = requests.get(url + "/search.json", params={"q": "IOM"}, timeout=30)
            assert r.status_code == 503 and "cannot be read" in r.json()["error"], r.text
        assert len(reads) == 1
        (folder / "lookup.json").write_bytes(data)  # mended: the manifest's SHA-256 again
        r = requests.get(url + "/search.json", params={"q": "IOM"}, timeout=30)
        assert r.status_code == 200, r.text
        assert len(reads) == 2 and r.json()["results"]


def test_a_name_index_mended_with_its_old_size_and_time_is_read_again(
        settings, dist, tmp_path):
    """A lookup.json damaged on disk without a write (its size and time unchanged, as by a
    failing disk) and mended from a copy that keeps the file's time (``cp -p``, ``rsync -t``,
    a backup's restore): the mended file is read, not the damaged one's 503 remembered."""
    import os
    import shutil
    import time

    from server import serve

    from hldgraph.store import open_store
    from hldgraph.web import create_app, search

    folder = tmp_path / "dist"
    shutil.copytree(dist, folder)
    index = folder / "lookup.json"
    data, before = index.read_bytes(), index.stat()
    index.write_bytes(b"\0" + data[1:])  # one byte gone bad, the size and time kept
    os.utime(index, ns=(before.st_atime_ns, before.st_mtime_ns))
    served = settings.with_(dist_dir=folder)
    search._loaded.clear()
    with open_store(served, folder / "hld2006.nq") as store, serve(
            create_app(served, store)) as url:
        r = requests.get(url + "/search.json", params={"q": "IOM"}, timeout=30)
        assert r.status_code == 503 and "cannot be read" in r.json()["error"], r.text
        time.sleep(0.05)  # a later tick of the file system's clock
        index.write_bytes(data)  # mended in place (cp -p), its time as before
        os.utime(index, ns=(before.st_atime_ns, before.st_mtime_ns))
        r = requests.get(url + "/search.json", params={"q": "IOM"}, timeout=30)
        assert r.status_code == 200, r.text
        assert r.json()["results"]


def test_a_release_issued_before_names_were_indexed_sends_searches_to_the_site(history):
    """Release 1.0 has no lookup.json (it predates it): its search and reconciliation answer
    404 naming the site's, never a 503 that asks for a rebuild, and its pages' search box
    goes to the site's search. On a server holding releases, as hldgraph serve makes it: the
    session's live server serves /release/1.0/ only where releases/ was left in the checkout,
    so a clean clone failed this test."""
    live = history.url
    for path in ("/release/1.0/search.json?q=IOM", "/release/1.0/reconcile",
                 "/release/1.0/reconcile/suggest/entity?prefix=IOM"):
        r = requests.get(live + path, headers={"Accept": "application/json"}, timeout=30)
        assert r.status_code == 404, (path, r.status_code)
        assert "release 1.0 was issued before" in r.json()["error"]
        assert "/search" in r.json()["error"] and "hldgraph build" not in r.json()["error"]
    page = requests.get(live + "/release/1.0/doc/event/7.html", timeout=30).text
    assert 'action="/search"' in page and 'data-suggest="/search.json"' in page
    here = requests.get(live + "/doc/event/12.html", timeout=30).text  # 7 is gone (1.2)
    assert 'action="/search"' in here


def test_the_turn_goes_to_the_search_that_has_waited_longest():
    """The thread that has waited longest has the turn next, even before the thread that has
    just given it up and asks again: a lock lets a newcomer take it first and wakes its
    waiters in no order, which under load made some searches wait through many others'
    (bench/RESULTS.md). A thread holding the turn may enter it again."""
    import threading
    import time

    from hldgraph.web.search import in_turn

    order: list[str] = []

    def second() -> None:
        with in_turn:
            order.append("waited")

    with in_turn, in_turn:
        waiter = threading.Thread(target=second)
        waiter.start()
        deadline = time.monotonic() + 10
        while not in_turn.waiting and time.monotonic() < deadline:
            time.sleep(0.001)
        assert in_turn.waiting == 1
    with in_turn:  # asked again at once, while the waiter has yet to run
        order.append("asked later")
    waiter.join(10)
    assert order == ["waited", "asked later"]
    assert in_turn.waiting == 0


def test_the_searches_of_a_web_process_run_in_turn(live, monkeypatch):
    """Search, suggest and reconciliation compute one at a time in a web process, so that the
    threads of a busy one do not hand the interpreter to each other at each numpy call
    (web.search.in_turn). Each search here lets go of the interpreter for a while, as numpy
    does: without the turn, the threaded server runs several at once."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from hldgraph.finder import Finder

    real, guard, inside, most = Finder.search, threading.Lock(), [0], [0]

    def search(self, *args, **kwargs):
        with guard:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        try:
            time.sleep(0.02)
            return real(self, *args, **kwargs)
        finally:
            with guard:
                inside[0] -= 1

    monkeypatch.setattr(Finder, "search", search)
    batch = json.dumps({"q0": {"query": "Geneva"}, "q1": {"query": "IOM"}})
    asks = [("/search.json", {"q": f"Geneva {i}"}) for i in range(6)]
    asks += [("/search", {"q": f"IOM {i}"}) for i in range(4)]
    asks += [("/reconcile/suggest/entity", {"prefix": f"Gen{'e' * i}"}) for i in range(4)]
    asks += [("/reconcile", {"queries": batch, "n": str(i)}) for i in range(4)]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda a: requests.get(live + a[0], params=a[1], timeout=60),
                                asks))
    assert [r.status_code for r in answers] == [200] * len(asks)
    assert most[0] == 1
