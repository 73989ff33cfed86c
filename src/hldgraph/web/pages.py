"""The HTML page of each thing, and what every page of the site shares: its layout's context,
its language and its response headers.

A page depends on ``Accept-Language`` (and ``?lang=``): it says which language it chose in
``Content-Language`` and names ``Accept-Language`` in ``Vary``, so that the application's
finaliser gives each language its own entity tag (RFC 9110 §8.8.3).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from flask import Response, after_this_request, render_template, request
from markupsafe import Markup, escape
from rdflib.namespace import DCTERMS, OWL, PROV, RDFS, SKOS

from hldgraph.labels import country
from hldgraph.urls import ELI, ORG, SCHEMA
from hldgraph.web import citing
from hldgraph.web.http import get_store, varies
from hldgraph.web.i18n import LANGS, choose_lang, date_span, layout_lang, number, translate
from hldgraph.web.links import (
    HTML,
    alternates,
    asked,
    calendar_for,
    download,
    entry,
    entry_iri,
    href,
    iris,
    static,
    thing_links,
    url,
)
from hldgraph.web.readmodel import PARAGRAPH_BODIES, index, site
from hldgraph.web.schemaorg import schema_org
from hldgraph.web.thing import Thing, kind_of, natural

OSM = "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=11/{lat}/{lon}"


def page(iri: str) -> Response:
    """The page of a thing of the graph, in the language the client asked for."""
    lang, kind = choose_lang(), kind_of(iri)
    t = Thing(iri, get_store().describe(iri), lang)
    extra = PAGES.get(kind, lambda t: {})(t)
    context = {"thing": t, "kind": kind, "title": t.label,
               "alternates": alternates(iri), "jsonld": schema_org(t, kind),
               "history": citing.history(iri, lang),
               "cite": citing.citation(iri, t.label, lang), **extra}
    html = render(TEMPLATES.get(kind, "resource.html"), lang, **context)
    return page_response(html, lang, thing_links(iri, "html"))


def page_response(html: str, lang: str, link: str = "", status: int = 200) -> Response:
    """A page in ``lang``: Content-Language says which, Vary that Accept-Language chose it."""
    varies(request.environ, "Accept", "Accept-Language")
    rv = Response(html, status, content_type=HTML.content_type)
    rv.headers["Content-Language"] = lang
    if link:
        rv.headers["Link"] = link
    return rv


def render(template: str, lang: str, **context: Any) -> str:
    """A template of the site's pages in ``lang``, with what their layout needs."""
    return render_template(template, **{**_common(lang), **context})


def layout_context() -> dict[str, Any]:
    """What every template of the application gets, whoever renders it (a thing's page, the
    query page, the downloads, an error): the URL builder, and the layout's words and labels in
    the language the request chose (:func:`~hldgraph.web.i18n.choose_lang`), so that no page
    has a narrower header. A response rendered with it says its language
    (:func:`says_language`)."""
    lang = layout_lang()
    after_this_request(partial(says_language, lang=lang))
    return _common(lang)


def says_language(rv: Response, lang: str) -> Response:
    """A page rendered in ``lang`` states it: Content-Language, and Accept-Language in Vary
    (RFC 9110 §12.5.1, recorded by :func:`~hldgraph.web.http.varies` for the finaliser),
    unless its view already said so."""
    if rv.mimetype == "text/html" and "Content-Language" not in rv.headers:
        rv.headers["Content-Language"] = lang
        varies(request.environ, "Accept-Language")
    return rv


def _common(lang: str) -> dict[str, Any]:
    """What the layout of every page needs: its language, words, labels and links."""
    other = LANGS[1 - LANGS.index(lang)]
    return {"lang": lang, "t": lambda key, **v: translate(key, lang, **v),
            "href": href, "label": lambda iri: said(index().label(iri, lang), lang),
            "said": partial(said, lang=lang), "lang_attr": partial(lang_attr, lang=lang),
            "country_name": lambda code: country(code, lang),
            "span": lambda e: date_span(e.start, e.end, lang),
            "number": partial(number, lang=lang),
            "switch_url": url(request.path.removeprefix("/"),
                              {**asked(), "lang": other}),
            "alternates": [], "jsonld": None, "iris": iris(), **_NAMESPACES,
            "HLD": iris().hld, "url": url, "static_url": static, "entry": entry,
            "entry_iri": entry_iri, "download_url": download, "calendar_for": calendar_for}


def said(text: str, lang: str) -> Markup:
    """``text`` as element content; marked with its language where it is not the page's
    (``lang``): a :class:`~hldgraph.labels.Label` knows its own (WCAG 2.1 SC 3.1.2)."""
    attr = lang_attr(text, lang)
    return Markup("<span{}>{}</span>").format(attr, text) if attr else escape(text)


def lang_attr(text: str, lang: str) -> Markup:
    """`` lang="…"`` for an element whose whole text is ``text``, when the text's language is
    known and is not the page's (``lang``); else nothing."""
    own = getattr(text, "lang", "")
    return Markup(' lang="{}"').format(own) if own and own != lang else Markup("")


#: Vocabularies that templates name properties with (``thing.out(S.organizer)``).
_NAMESPACES = {"S": SCHEMA, "SKOS": SKOS, "ORG": ORG, "ELI": ELI, "DCT": DCTERMS, "OWL": OWL,
               "RDFS": RDFS, "PROV": PROV}


# --- what each kind of page adds -------------------------------------------------------------

def _org(t: Thing) -> dict[str, Any]:
    iri = str(t.iri)
    return {"organised": index().events_where(lambda e: iri in e.organizers),
            "sponsored": index().events_where(lambda e: iri in e.sponsors)}


def _place(t: Thing) -> dict[str, Any]:
    p = index().places.get(str(t.iri))
    osm = OSM.format(lat=p.latitude, lon=p.longitude) if p and p.latitude is not None else ""
    return {"events": index().events_where(lambda e: e.venue == str(t.iri)), "place": p,
            "osm": osm}


def _theme(t: Thing) -> dict[str, Any]:
    iri, ix = str(t.iri), index()
    return {"events": ix.events_where(lambda e: any(iri in (th, ix.area_of(th))
                                                    for th in e.themes))}


def _paragraph(t: Thing) -> dict[str, Any]:
    rows = get_store().query(site().q(PARAGRAPH_BODIES, iri=str(t.iri))).rows
    return {"bodies": sorted((t.value(r["body"]) for r in rows), key=lambda v: v.text)}


def _event(t: Thing) -> dict[str, Any]:
    e = next((e for e in index().events if e.iri == str(t.iri)), None)
    return {"event": e}


def _scheme(t: Thing) -> dict[str, Any]:
    top = {v.iri: v for v in (*t.out(SKOS.hasTopConcept), *t.inc(SKOS.topConceptOf))}
    members = {v.iri: v for v in t.inc(SKOS.inScheme)}
    narrower = {th.iri: [members[n.iri] for n in index().themes if n.broader == th.iri
                         and n.iri in members] for th in index().themes}
    order = {th.iri: i for i, th in enumerate(index().themes)}
    tops = sorted(top.values() or members.values(), key=lambda v: (order.get(v.iri, 0),
                                                                     natural(v.text)))
    return {"tops": [(v, narrower.get(v.iri, [])) for v in tops]}


#: The template of each kind of page (others: resource.html, the plain list of statements).
TEMPLATES = {**{k: f"{k}.html" for k in ("event", "org", "place", "resolution", "paragraph",
                                         "initiative", "theme")},
             **{k: "scheme.html" for k in ("themes", "body-types", "event-categories")}}

PAGES: dict[str, Callable[[Thing], dict[str, Any]]] = {
    "event": _event, "org": _org, "place": _place, "theme": _theme, "paragraph": _paragraph,
    "themes": _scheme, "body-types": _scheme, "event-categories": _scheme,
}

