"""``/search``: the search box of every page and its JSON twin, over every label of the graph;
``/search/labels``: the labels of IRIs (the query page shows them when an IRI is hovered).

Both read the build's lookup file through one :class:`hldgraph.finder.Finder`, loaded once per
build (:func:`finder`), which the reconciliation service ranks with too.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from hldgraph import lookup
from hldgraph.errors import HldgraphError
from hldgraph.formats import prefixes
from hldgraph.lookup import ANY
from hldgraph.web.builds import Build, with_build
from hldgraph.web.cache import keepable
from hldgraph.web.http import single, varies, wants_html, whole_number
from hldgraph.web.i18n import choose_lang
from hldgraph.web.links import (
    RECONCILE,
    SEARCH,
    SEARCH_JSON,
    asked,
    hrefs,
    iris,
    json_twin,
    link_header,
    served_release,
    site_url,
    url,
)
from hldgraph.web.matching import TYPES, type_of
from hldgraph.web.pages import page_response, render

if TYPE_CHECKING:
    from hldgraph.finder import Finder, Hit

bp = Blueprint("search", __name__)
log = logging.getLogger(__name__)

#: Results of one search, at most; labels of one /search/labels request, at most.
MAX_RESULTS, MAX_LABELS = 100, 500
#: The kinds a search may keep to (``?type=``): the reconciliation service's types, by key.
TYPE_NAMES = [t.key for t in TYPES]

_lock = threading.Lock()
_loaded: dict[str, Finder] = {}
#: Why a build's index could not be read, by its SHA-256 and the file's device, inode, size and
#: times: read again only once the file changes (reading a large one takes seconds, and every
#: search asked)
_unreadable: dict[tuple[str, int, int, int, int, int], str] = {}


class _InTurn(contextlib.ContextDecorator):
    """The searches of a web process, one thread at a time and first come, first served (as a
    decorator of a view, or ``with in_turn:``; a thread may enter again while it holds it).

    A web process runs one thread of Python at a time anyway (the GIL), but numpy and
    rapidfuzz let go of it at each call, and a thread that let go waits for another's switch
    interval (5 ms, :func:`sys.getswitchinterval`) to have it back: eight searches in one
    process handed it to each other many times an answer. Taken in turn, they are not. The
    turn is handed to the thread that has waited longest: a lock wakes its waiters in no
    order, and a search passed over again and again made the slowest answers several times
    the median (bench/lookup.py, bench/RESULTS.md). Only for work that computes: a view that
    waited here on the network would hold up every search.
    """

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._waiting: deque[tuple[int, threading.Lock]] = deque()
        self._owner: int | None = None
        self._depth = 0

    @property
    def waiting(self) -> int:
        """How many threads wait for their turn now."""
        return len(self._waiting)

    def __enter__(self) -> None:
        me = threading.get_ident()
        with self._guard:
            if self._owner in (me, None):
                self._owner, self._depth = me, self._depth + 1
                return
            gate = threading.Lock()
            gate.acquire()
            self._waiting.append((me, gate))
        gate.acquire()  # released by the thread that hands the turn over, owner already set

    def __exit__(self, *exc: object) -> None:
        with self._guard:
            self._depth -= 1
            if self._depth:
                return
            if not self._waiting:
                self._owner = None
                return
            self._owner, gate = self._waiting.popleft()
            self._depth = 1
            gate.release()


in_turn = _InTurn()


def _indexed(build: Build) -> bool:
    return build.info(lookup.FILE) is not None  # the manifest lists every file of a build


def _index(build: Build) -> Path:
    if _indexed(build):
        return build.file(lookup.FILE)
    raise _unindexed()


def _unindexed() -> HldgraphError:
    """Why the build served has no name index: a release issued before there was one (404,
    for good: a release's files never change), or a build made by an older hldgraph (503)."""
    version = served_release()
    if version is not None:
        return HldgraphError(f"release {version} was issued before hldgraph indexed names, so "
                             "it has no search or reconciliation service; those of the current "
                             f"data are at {site_url(SEARCH)} and {site_url(RECONCILE)}", 404)
    return HldgraphError(f"the build has no {lookup.FILE}: search and reconciliation need a "
                         "build made by this version (`hldgraph build`)", 503)


def index_file() -> Path:
    """The lookup file of the build being served (:func:`hldgraph.web.builds.with_build`: its
    folder here, or where a front end on a remote store reads its files). Raises 404 where
    there is no build or a release has none (issued before names were indexed), 503 where the
    build has none (made by an older hldgraph) or a front end cannot read it."""
    return with_build(_index)


@bp.app_template_global()
def search_url(json: bool = False) -> str:
    """Where the search box of a page sends what is typed (``json``: its suggestions): this
    build's search, or the site's where a release has none (:func:`index_file`)."""
    path = SEARCH_JSON if json else SEARCH
    try:
        indexed = with_build(_indexed)
    except (HldgraphError, HTTPException):  # no build (an error page): its own search says so
        return url(path)
    return url(path) if indexed else site_url(path)


def finder() -> Finder:
    """The finder of :func:`index_file`, read on first use and kept while the build lists the
    same file (its SHA-256 in the manifest: a new build's index is read anew). Raises as
    :func:`index_file`."""
    return with_build(_finder)


def _finder(build: Build) -> Finder:
    info = build.info(lookup.FILE)
    if info is None:
        raise _unindexed()
    digest = info["sha256"]
    kept = _loaded.get(digest)
    if kept is not None:  # most requests: nothing of the file to look at
        return kept
    found = build.file(lookup.FILE)
    with _lock:
        if digest not in _loaded:
            _loaded[digest] = _read_index(found, digest)
        return _loaded[digest]


def _read_index(found: Path, digest: str) -> Finder:
    """The Finder of the lookup file ``found``; raises 503 where it cannot be read, at once
    where it could not before and has not changed since. Called holding ``_lock``."""
    try:
        seen = found.stat()
    except OSError as e:
        raise _cannot_read(str(e)) from None
    # not only the size and mtime, which a copy that keeps the file's time (cp -p, rsync -t,
    # a restore) leaves as they were, as does a failing disk: the inode (replaced) and the
    # ctime (written, even then), which no one sets
    key = (digest, seen.st_dev, seen.st_ino, seen.st_size, seen.st_mtime_ns, seen.st_ctime_ns)
    if key in _unreadable:
        raise _cannot_read(_unreadable[key])
    _loaded.clear()  # one build at a time: an index of a large calendar is large
    # imported here: numpy and rapidfuzz would add a quarter of a second to every start-up
    from hldgraph.finder import Finder

    try:
        return Finder(lookup.read(found))
    except (OSError, ValueError) as e:  # the server's fault, not the request's
        _unreadable.clear()
        _unreadable[key] = str(e)  # not the error, which holds the file's text in its frames
        raise _cannot_read(str(e)) from None


def _cannot_read(why: str) -> HldgraphError:
    return HldgraphError(f"the build's {lookup.FILE} cannot be read ({why}): build again "
                         "(`hldgraph build`)", 503)


def preload(app: Flask) -> bool:
    """Reads the name index of the build that ``app`` serves now (:func:`finder`), as a server
    does before it forks its workers: they then share it copy-on-write and answer their first
    search at once, not after reading it (seconds at 100,000 events, once per worker). False
    where there is none to read yet (no build, a build without one, a front end that cannot
    fetch it): each worker reads the index on first use, as it does for a later build."""
    with app.test_request_context("/"):
        try:
            finder()
        except (HldgraphError, HTTPException) as e:
            log.info("no name index read before the workers start: %s", e)
            return False
    return True


def type_names() -> list[str]:
    """The request's ``?type=`` values; an empty one is no filter, as the search page's "any"
    (``<option value="">``) sends it."""
    return [name for name in request.args.getlist("type") if name.strip()]


def kinds_of(names: list[str]) -> int:
    """The kind bits of ``?type=`` values: the reconciliation service's types, named as it
    names them (:func:`~hldgraph.web.matching.type_of`: event, organization, place, concept,
    a class IRI, a CURIE, a name in French); none given: every kind. Raises 400 naming an
    unknown one."""
    bits = 0
    for name in names:
        found = type_of(name)
        if found is None:
            raise HldgraphError(f"type={name!r} is not a kind this search knows; use one of "
                                + ", ".join(TYPE_NAMES), 400)
        bits |= found.kind
    return bits or ANY


def _limit() -> int:
    raw = single("limit", "20")
    limit = whole_number(raw, 1, MAX_RESULTS)
    if limit is None:
        raise HldgraphError(f"limit={raw!r} must be a whole number from 1 to {MAX_RESULTS}", 400)
    return limit


def results(hits: list[Hit], lang: str) -> list[dict[str, Any]]:
    """The hits as the JSON twin gives them (their links made together: :func:`hrefs`)."""
    links = hrefs(h.entry.id for h in hits)
    return [_result(hit, lang, link) for hit, link in zip(hits, links, strict=True)]


def _result(hit: Hit, lang: str, link: str) -> dict[str, Any]:
    e = hit.entry
    return {"id": e.id, "name": e.shown(lang), "score": round(hit.score, 1),
            "matched": hit.written,
            "types": e.types, "description": e.description.get(lang, ""), "url": link}


def _search(as_json: bool) -> Response:
    # the page chooses HTML or JSON by Accept; the JSON twin is JSON whatever is asked
    varies(request.environ, *(() if as_json else ("Accept",)), "Accept-Language")
    q = single("q", "").strip()
    if len(q) > 200:
        raise HldgraphError("q is longer than 200 characters", 400)
    lang, types = choose_lang(), type_names()
    kinds, limit = kinds_of(types), _limit()
    typing = single("typing", "") in {"1", "true"}
    hits = finder().search(q, kinds, limit, typing=typing) if q else []
    found = results(hits, lang)
    if as_json or not wants_html():
        rv = keepable(jsonify({"query": q, "type": types, "results": found}))
        rv.headers["Content-Language"] = lang
    else:
        twin = json_twin(SEARCH_JSON, asked())  # every ?type= asked
        html = render("search.html", lang, title=q or "Search", q=q, results=found,
                      kinds=TYPES, types=types, alternates=[twin])
        rv = page_response(html, lang, link_header([(twin["href"], "alternate",
                                                     twin["type"])]))
    return rv


@bp.get(f"/{SEARCH}")
@in_turn
def search() -> Response:
    """The search page (``?q=``, ``?type=`` kinds, ``?limit=``), or its JSON twin where the
    client prefers JSON to HTML."""
    return _search(as_json=False)


@bp.get(f"/{SEARCH_JSON}")
@in_turn
def search_json() -> Response:
    """``{"query", "type", "results": [{"id", "name", "score", "matched", "types",
    "description", "url"}]}``, best first."""
    return _search(as_json=True)


@bp.get(f"/{SEARCH}/vocabulary.json")
def vocabulary() -> Response:
    """What the query page completes without asking any other service: ``{"prefixes":
    {prefix: namespace}, "classes": [{"iri", "label"}], "properties": [{"iri", "label"}]}``,
    the classes and properties the data uses, labelled where the graph labels them."""
    varies(request.environ, "Accept-Language")
    lang = choose_lang()
    try:
        f = finder()
    except (HldgraphError, HTTPException):  # no name index: the prefixes are known all the same
        rv = jsonify({"prefixes": {**prefixes(), "hld": str(iris().hld)}, "classes": [],
                      "properties": []})
    else:
        def terms(iris: list[str]) -> list[dict[str, str]]:
            return [{"iri": iri, "label": e.name.get(lang, "") if (e := f.entry(iri)) else ""}
                    for iri in iris]

        c = f.contents
        rv = jsonify({"prefixes": c.prefixes, "classes": terms(c.classes),
                      "properties": terms(c.properties)})
    rv.headers["Content-Language"] = lang
    return rv


@bp.get(f"/{SEARCH}/labels")
def labels() -> Response:
    """``{iri: label}`` for each ``?iri=`` the graph labels (others are left out), in the
    language asked for (``?lang=``, Accept-Language)."""
    varies(request.environ, "Accept-Language")
    asked = request.args.getlist("iri")
    if len(asked) > MAX_LABELS:
        raise HldgraphError(f"at most {MAX_LABELS} iri parameters, not {len(asked)}", 400)
    lang = choose_lang()
    try:
        f = finder()
    except (HldgraphError, HTTPException):  # no name index: nothing is known to be labelled
        found: dict[str, str] = {}
    else:
        found = {iri: e.name.get(lang, iri) for iri in asked if (e := f.entry(iri)) is not None}
    rv = jsonify(found)
    rv.headers["Content-Language"] = lang
    return rv
