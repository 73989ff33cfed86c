"""The releases told to people: "What changed in 1.1" (``/changes/{version}``, en and fr), the
Atom feed of releases and changes (``/releases.atom``), and 410 Gone for a thing a release
removed, naming the last release that described it."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from hldgraph.distributions import CHANGES
from hldgraph.errors import HldgraphError
from hldgraph.releases import PATCH_MEDIA_TYPE, Release
from hldgraph.web.atom import ATOM, Entry, Feed, atom
from hldgraph.web.http import error_response, varies, wants_html
from hldgraph.web.i18n import choose_lang, translate
from hldgraph.web.links import (
    DATA_FORMATS,
    DOWNLOADS,
    HTML,
    RELEASES,
    RELEASES_FEED,
    WHAT_CHANGED,
    canonical,
    changes_url,
    iris,
    release_url,
    site_url,
)
from hldgraph.web.linkset import Link, link_header
from hldgraph.web.pages import page_response, render
from hldgraph.web.timegate import original
from hldgraph.web.versions import Gone, current, licence, versions
from hldgraph.web.whatchanged import KINDS, say

bp = Blueprint("history", __name__)


def _words(release: Release, lang: str) -> list[tuple[str, str, str]]:
    """``(kind, thing IRI, sentence)`` of every change of ``release``, in ``lang``."""
    v = versions()
    after = v.snapshot(release.version)
    before = v.snapshot(release.previous) if release.previous else after
    return [(c.kind, c.subject, say(c, lang, before, after, iris().curie))
            for c in v.changes(release.version)] if release.previous else []


@bp.get("/changes/<version>")
def what_changed(version: str) -> Response:
    """What changed in release ``version``, grouped by kind, each change linking to the thing's
    page in that release (or, for a removed thing, in the release before)."""
    if current() is None:
        raise HldgraphError("no release is served here (hldgraph serve makes the releases' "
                            "folders from the release log)", 404)
    release = versions().log.get(version)  # ReleaseNotFound: 404 naming the releases
    lang = choose_lang()
    previous = versions().log.previous(version)
    groups = []
    for kind in KINDS:
        rows = [(_thing_page(iri, release, previous, kind), sentence)
                for k, iri, sentence in _words(release, lang) if k == kind]
        if rows:
            groups.append((kind, rows))
    patch = release_url(version, DOWNLOADS + CHANGES)
    html = render("changes.html", lang, title=translate("what_changed", lang, version=version),
                  release=release, previous=previous, groups=groups, patch=patch,
                  patch_type=PATCH_MEDIA_TYPE, releases=_release_links(),
                  release_page=release_url(version))
    return page_response(html, lang, link_header([
        Link(patch, "alternate", PATCH_MEDIA_TYPE),
        Link(site_url(RELEASES_FEED, external=True), "alternate", ATOM)]))


def _thing_page(iri: str, release: Release, previous: Release | None, kind: str) -> str:
    shown = previous if kind == "removed" and previous else release
    return release_url(shown.version, iris().document(iri, "html"), lang=True)


def _release_links() -> list[tuple[str, str, str]]:
    return [(r.version, r.issued.date().isoformat(), changes_url(r.version))
            for r in reversed(versions().releases())]


@bp.get("/" + RELEASES)
def release_index() -> Response:
    """Every release, newest first (a release's URL trimmed to its folder): a page for people,
    or JSON by Accept (:func:`~hldgraph.web.http.wants_html`), with the Atom feed as their
    alternate (RFC 8288)."""
    if current() is None:
        raise HldgraphError("no release is served here (hldgraph serve makes the releases' "
                            "folders from the release log)", 404)
    feed_link = Link(site_url(RELEASES_FEED, external=True), "alternate", ATOM)
    made = reversed(versions().releases())
    if not wants_html():
        rv = jsonify({"releases": [
            {"version": r.version, "issued": r.issued.isoformat(), "notes": r.notes,
             "iri": str(iris().release(r.version)), "url": release_url(r.version, external=True),
             "changes": changes_url(r.version, external=True)} for r in made]})
        rv.headers["Link"] = link_header([feed_link])
        return rv
    lang = choose_lang()
    rows = [{"version": r.version, "date": r.issued.date().isoformat(), "notes": r.notes,
             "page": release_url(r.version, lang=True), "changes": changes_url(r.version)}
            for r in made]
    html = render("releases.html", lang, title=translate("releases", lang), releases=rows,
                  alternates=[{"href": feed_link.target, "type": ATOM, "name": "Atom"}])
    return page_response(html, lang, link_header([feed_link]))


@bp.get("/releases.atom")
def feed() -> Response:
    """Every release, newest first, with what changed in it (Atom, RFC 4287)."""
    varies(request.environ, "Accept-Language")
    lang = choose_lang()
    entries = [Entry(id=str(iris().release(r.version)),
                     title=translate("feed_release", lang, version=r.version),
                     datetime=r.issued, notes=r.notes,
                     changes=tuple(w for _, _, w in _words(r, lang)),
                     page=site_url(f"{WHAT_CHANGED}{r.version}", {"lang": lang}, external=True),
                     release=release_url(r.version, external=True))
               for r in (versions().releases() if current() else [])]
    about = Feed(id=canonical(RELEASES_FEED), title=translate("feed_title", lang),
                 site=site_url("", external=True),
                 self_url=site_url(RELEASES_FEED, external=True),
                 author="IOM / hldgraph editors", lang=lang, licence=licence())
    rv = Response(atom(about, entries), content_type=f"{ATOM}; charset=utf-8")
    rv.headers["Content-Language"] = lang
    return rv


@bp.app_errorhandler(Gone)
def _gone(e: Gone) -> Response:
    """410 Gone (RFC 9110 §15.5.11): the thing was removed; its last description stays
    served in the release that made it. Its memento link names the last state of the
    document asked for (``doc/event/7.ttl``: its Turtle), as the TimeGate's first and last
    memento links do (RFC 7089 §2.2.1); the page, for people, names the HTML one."""
    last = versions().log.get(e.last)
    removed = versions().log.get(e.removed) if e.removed else None
    page = release_url(last.version, iris().document(e.iri, "html"), lang=True)
    where = original(request.path.lstrip("/"))  # the document asked for, as the TimeGate's
    extension = where.path.rsplit(".", 1)[-1] if where is not None else HTML.extension
    state = page if extension == HTML.extension else release_url(
        last.version, iris().document(e.iri, extension))
    changes = changes_url(removed.version) if removed else ""
    links = [Link(state, "memento", DATA_FORMATS.get(extension, HTML).mime, last.issued),
             *([Link(changes, "related", "text/html")] if changes else [])]
    if not wants_html():
        rv = error_response(e.message, 410)
    else:
        lang = choose_lang()
        html = render("gone.html", lang, title=translate("gone", lang), iri=e.iri,
                      last=last, removed=removed, page=page, changes=changes,
                      label=versions().snapshot(last.version).label(e.iri, lang))
        rv = page_response(html, lang, status=410)
    rv.headers["Link"] = link_header(links)
    return rv

