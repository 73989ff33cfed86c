"""The landing page and the lists of the site: bodies by type, venues with their map; the
site's icon."""

from __future__ import annotations

from flask import Blueprint, Response, current_app

from hldgraph.distributions import GRAPH_DUMPS
from hldgraph.web.calendar import venue_map, venue_rows
from hldgraph.web.i18n import choose_lang, translate
from hldgraph.web.links import BODIES_JSON, FAVICON, PLACES_JSON, download, json_twin, link_header
from hldgraph.web.pages import page_response, render
from hldgraph.web.readmodel import index
from hldgraph.web.schemaorg import dataset_markup

bp = Blueprint("lists", __name__)

#: The graph's own dumps (the calendar files are linked on their own).
DUMPS = GRAPH_DUMPS


@bp.get("/")
def landing() -> Response:
    lang, ix = choose_lang(), index()
    counts = {"n_events": len(ix.events), "n_bodies": len(ix.bodies),
              "n_places": len(ix.places), "n_themes": len(ix.areas()), "n_triples": ix.triples}
    html = render("landing.html", lang, title=translate("site", lang), counts=counts,
                  dumps=[(n, download(n)) for n in DUMPS], jsonld=dataset_markup())
    return page_response(html, lang)


@bp.get("/" + FAVICON)
def favicon() -> Response:
    """The site's icon where browsers ask for it unprompted; pages name it with
    ``<link rel="icon">`` under static/, which works under any application root too."""
    return current_app.send_static_file(FAVICON)


@bp.get("/bodies")
def bodies() -> Response:
    lang, ix = choose_lang(), index()
    by_type: dict[str, list[str]] = {}
    for iri, (type_, _) in ix.bodies.items():
        by_type.setdefault(type_, []).append(iri)
    groups = sorted(((type_, sorted(members, key=lambda b: ix.label(b, lang).casefold()))
                     for type_, members in by_type.items()), key=lambda g: ix.label(g[0], lang))
    counts = {b: sum(b in e.organizers or b in e.sponsors for e in ix.events) for b in ix.bodies}
    twin = json_twin(BODIES_JSON)
    html = render("bodies.html", lang, title=translate("bodies", lang), groups=groups,
                  counts=counts, alternates=[twin])
    return page_response(html, lang, link_header([(twin["href"], "alternate", twin["type"])]))


@bp.get("/places")
def places() -> Response:
    lang, ix = choose_lang(), index()
    twin = json_twin(PLACES_JSON)
    html = render("places.html", lang, title=translate("places", lang),
                  venues=venue_rows(ix.events, lang, every=True), map=venue_map(ix.events, lang),
                  alternates=[twin])
    return page_response(html, lang, link_header([(twin["href"], "alternate", twin["type"])]))


