# Typographic apostrophes are meant in these texts.
# ruff: noqa: RUF001
"""The pages' own words in English and French, and how French sets their punctuation.

One table for both sides: the web layer's pages (:mod:`hldgraph.web.i18n` chooses a page's
language) and the pages the build writes (the ontology's, :mod:`hldgraph.docs`), which cannot
import the web layer. Labels of things come from the graph; only the pages' own words are here.
"""

from __future__ import annotations

import functools
import re

LANGS = ("en", "fr")

MESSAGES: dict[str, tuple[str, str]] = {
    # key: (English, French)
    "site": ("HLD 2006 knowledge graph", "Graphe de connaissances DHN 2006"),
    "calendar": ("Calendar", "Calendrier"),
    "bodies": ("Bodies", "Organes"),
    "places": ("Venues", "Lieux"),
    "themes": ("Thematic areas", "Domaines thématiques"),
    "resolution": ("Resolution", "Résolution"),
    "ontology": ("Ontology", "Ontologie"),
    "query": ("Query (SPARQL)", "Interroger (SPARQL)"),
    "downloads": ("Downloads", "Téléchargements"),
    "catalogue": ("Catalogue record", "Notice de catalogue"),
    "switch": ("Français", "English"),
    "footer": ("The 2006 UN High-Level Dialogue on International Migration and Development, as "
               "linked open data.",
               "Le Dialogue de haut niveau des Nations Unies de 2006 sur les migrations "
               "internationales et le développement, en données ouvertes liées."),
    "intro": (
        "The preparation of the 2006 UN High-Level Dialogue on International Migration and "
        "Development (HLD), as an IOM leaflet of 2006 describes it: its draft calendar of "
        "preparatory events, the bodies that organised them, their venues, the resolution that "
        "convened the Dialogue and its thematic areas, published as linked open data.",
        "La préparation du Dialogue de haut niveau des Nations Unies de 2006 sur les migrations "
        "internationales et le développement (DHN), telle que la décrit un dépliant de l’OIM de "
        "2006 : son projet de calendrier des manifestations préparatoires, les organes qui "
        "les ont organisées, leurs lieux, la résolution qui a convoqué le Dialogue et ses domaines "
        "thématiques, publiés en données ouvertes liées."),
    "source": ("Source", "Source"),
    "source_note": (
        "Every fact of the leaflet is kept apart (graph/source) from what the editors add "
        "(graph/editorial): translations, full names, links to Wikidata and GeoNames, themes.",
        "Les faits du dépliant sont séparés (graph/source) de ce qu’ajoutent les éditeurs "
        "(graph/editorial) : traductions, noms complets, liens vers Wikidata et GeoNames, "
        "thèmes."),
    "in_numbers": ("In numbers", "En chiffres"),
    "n_events": ("events", "manifestations"),
    "n_bodies": ("bodies", "organes"),
    "n_places": ("venues", "lieux"),
    "n_themes": ("thematic areas", "domaines thématiques"),
    "n_triples": ("triples", "triplets"),
    "explore": ("Explore", "Explorer"),
    "use_data": ("Use the data", "Utiliser les données"),
    "dumps_text": ("The whole graph as a file:", "Tout le graphe en un fichier :"),
    "query_text": ("Ask the SPARQL endpoint:", "Interroger le point d’accès SPARQL :"),
    "ontology_text": ("The terms used:", "Les termes employés :"),
    "calendar_files": ("Calendar:", "Calendrier :"),
    "date": ("Date", "Date"),
    "dates": ("Dates", "Dates"),
    "event": ("Event", "Manifestation"),
    "events": ("Events", "Manifestations"),
    "venue": ("Venue", "Lieu"),
    "organizers": ("Organisers", "Organisateurs"),
    "organised_by": ("Organisers: {by}.", "Organisateurs : {by}."),
    "event_summary": ("{name}: {when}{where}.", "{name} : {when}{where}."),
    "sponsors": ("Supported by", "Avec le soutien de"),
    "about": ("Thematic areas", "Domaines thématiques"),
    "category": ("Category", "Catégorie"),
    "part_of": ("Part of", "Fait partie de"),
    "sub_events": ("Sub-events", "Manifestations incluses"),
    "preparatory_of": ("Prepares", "Prépare"),
    "as_printed": ("In the leaflet", "Dans le dépliant"),
    "row": ("Calendar row", "Ligne du calendrier"),
    "date_as_printed": ("Date cell, as printed", "Cellule Date, telle qu’imprimée"),
    "responsible_as_printed": ("Responsible cell, as printed",
                               "Cellule Responsible, telle qu’imprimée"),
    "venue_as_printed": ("Venue, as printed", "Lieu, tel qu’imprimé"),
    "editorial_note": ("Editors’ note:", "Note des éditeurs :"),
    "month": ("Month", "Mois"),
    "city": ("City", "Ville"),
    "body": ("Body", "Organe"),
    "theme": ("Thematic area", "Domaine thématique"),
    "colour_by": ("Colour by", "Couleur selon"),
    "by_category": ("organiser category", "catégorie d’organisateur"),
    "by_theme": ("thematic area", "domaine thématique"),
    # "any" of a filter agrees with its noun: le mois, la ville (feminine), le domaine
    "any_month": ("any", "tous"),
    "any_city": ("any", "toutes"),
    "any_body": ("any", "tous"),
    "any_theme": ("any", "tous"),
    "filter": ("Filter", "Filtrer"),
    "reset": ("Show all", "Tout afficher"),
    "shown": ("{n} of {total} events shown", "{n} manifestations affichées sur {total}"),
    "timeline": ("Timeline", "Chronologie"),
    "timeline_title": ("Events preparing the HLD, February to September 2006",
                       "Manifestations préparant le DHN, de février à septembre 2006"),
    "map": ("Map of the venues", "Carte des lieux"),
    "map_title": ("Venues of the events, sized by number of events",
                  "Lieux des manifestations, selon le nombre de manifestations"),
    "map_table": ("The venues of the map, with their number of events",
                  "Les lieux de la carte, avec leur nombre de manifestations"),
    "land": ("Land (Natural Earth, public domain)", "Terres (Natural Earth, domaine public)"),
    "download_as": ("Download as", "Télécharger en"),
    "whole_calendar_as": ("Download the whole calendar (every event) as",
                          "Télécharger tout le calendrier (toutes les manifestations) en"),
    "other_formats": ("This page’s data:", "Les données de cette page :"),
    "statements": ("All statements", "Toutes les déclarations"),
    "property": ("Property", "Propriété"),
    "value": ("Value", "Valeur"),
    "links_here": ("Links to this", "Liens vers cette ressource"),
    "iri": ("IRI", "IRI"),
    "iri_is": ("IRI:", "IRI :"),
    "type": ("Type", "Type"),
    "parent": ("Part of", "Fait partie de"),
    "sub_orgs": ("Sub-organisations", "Sous-organisations"),
    "body_type": ("Type of body", "Type d’organe"),
    "same_as": ("Same as", "Identique à"),
    "see_also": ("See also (not checked)", "Voir aussi (non vérifié)"),
    "spellings": ("Spellings in the leaflet", "Graphies dans le dépliant"),
    "its_events": ("Its events", "Ses manifestations"),
    "events_here": ("Events held here", "Manifestations tenues ici"),
    "country": ("Country", "Pays"),
    "coordinates": ("Coordinates", "Coordonnées"),
    "on_map": ("Show on OpenStreetMap", "Voir sur OpenStreetMap"),
    "paragraphs": ("Operative paragraphs cited", "Paragraphes du dispositif cités"),
    "paragraph": ("Operative paragraph", "Paragraphe du dispositif"),
    "para_short": ("para.", "par."),
    "initiatives": ("Initiatives", "Initiatives"),
    "initiative": ("Initiative", "Initiative"),
    "initiative_n": ("Initiative {n}:", "Initiative {n} :"),
    "involves": ("Bodies involved", "Organes concernés"),
    "envisaged_by": ("Envisaged by", "Envisagée par"),
    "text_fr": ("Text in the leaflet (French)", "Texte du dépliant (français)"),
    "text_en": ("English translation:", "Traduction anglaise :"),
    "symbol_title": ("{symbol}:", "{symbol} :"),
    "adopted": ("Adopted", "Adoptée le"),
    "convened": ("Convened", "A convoqué"),
    "sub_points": ("Points", "Points"),
    "broader": ("Area", "Domaine"),
    "events_about": ("Events about it", "Manifestations qui s’y rapportent"),
    "concepts": ("Concepts", "Concepts"),
    "no_events": ("No events", "Aucune manifestation"),
    "not_found": ("Not found", "Introuvable"),
    "not_found_text": ("Nothing in this graph has the IRI", "Rien dans ce graphe n’a l’IRI"),
    "not_found_help": ("These pages list everything the graph holds:",
                       "Ces pages recensent tout ce que contient le graphe :"),
    "bad_request": ("Bad request", "Requête incorrecte"),
    "search": ("Search", "Rechercher"),
    "search_label": ("Search the graph", "Rechercher dans le graphe"),
    "search_placeholder": ("IOM, Geneva, UN DESA…", "OIM, Genève, DAES…"),
    "search_title": ("Search", "Recherche"),
    "search_intro": ("Names, acronyms and spellings of every thing of the graph, in English and "
                     "French; small typos and another word order are forgiven.",
                     "Noms, sigles et graphies de tout ce que contient le graphe, en anglais et en "
                     "français ; les petites fautes de frappe et l’ordre des mots sont pardonnés."),
    "search_none": ("Nothing in the graph has a name like “{q}”.",
                    "Rien dans le graphe ne porte un nom proche de « {q} »."),
    "search_found": ("{n} result(s) for “{q}”", "{n} résultat(s) pour « {q} »"),
    "as_written": ("written:", "écrit :"),
    "kind_any": ("Anything", "Tout"),
    # the reconciliation service's types (hldgraph.web.matching.TYPES): type_{key}, its _about
    "type_event": ("Event", "Manifestation"),
    "type_event_about": ("An event of the calendar preparing the HLD",
                         "Une manifestation du calendrier préparant le DHN"),
    "type_organization": ("Organization", "Organisation"),
    "type_organization_about": (
        "A body: UN body, government, intergovernmental organisation, foundation…",
        "Un organe : organe de l’ONU, gouvernement, organisation intergouvernementale, "
        "fondation…"),
    "type_place": ("Place", "Lieu"),
    "type_place_about": ("A venue of the calendar's events",
                         "Un lieu des manifestations du calendrier"),
    "type_concept": ("Concept", "Concept"),
    "type_concept_about": (
        "A thematic area of the HLD, or a type of body or category of event",
        "Un domaine thématique du DHN, ou un type d’organe ou une catégorie de manifestation"),
    # releases, their changes and how to cite them
    "change_added": ("{name} added", "Ajout : {name}"),
    "change_removed": ("{name} removed", "Retrait : {name}"),
    "change_moved": ("{name} moved from {old} to {new}",
                     "{name} : déplacée du {old} au {new}"),
    "change_venue": ("{name}: venue changed from {old} to {new}",
                     "{name} : lieu changé, {old} remplacé par {new}"),
    "change_renamed": ("{old} renamed {new}", "Nouveau nom de {old} : {new}"),
    "change_changed": ("{name}: {what}", "{name} : {what}"),
    "change_property": ("{property} changed from {old} to {new}",
                        "{property} changé, de « {old} » à « {new} »"),
    "what_changed": ("What changed in {version}", "Ce qui a changé dans la version {version}"),
    "changes_since": ("Changes from release {previous} ({previous_date}) to release {version} "
                      "({date}).",
                      "Changements de la version {previous} ({previous_date}) à la version "
                      "{version} ({date})."),
    "first_release": ("Release {version} ({date}) is the first release.",
                      "La version {version} ({date}) est la première version."),
    "no_changes": ("Nothing changed.", "Rien n’a changé."),
    "kind_added": ("Added", "Ajouts"),
    "kind_removed": ("Removed", "Retraits"),
    "kind_moved": ("Moved to other dates", "Dates changées"),
    "kind_venue": ("Venues changed", "Lieux changés"),
    "kind_renamed": ("Renamed", "Nouveaux noms"),
    "kind_changed": ("Other changes", "Autres changements"),
    "release_notes": ("Notes:", "Notes :"),
    "machine_readable": ("The change set as data:", "Les changements en données :"),
    "releases": ("Releases", "Versions"),
    "release": ("Release", "Version"),
    "history": ("History", "Historique"),
    "history_first": ("First published in release {version} ({date}).",
                      "Publiée pour la première fois dans la version {version} ({date})."),
    "history_in": ("In release {version} ({date}):", "Dans la version {version} ({date}) :"),
    "earlier_states": ("This page in each release", "Cette page dans chaque version"),
    "cite_this": ("Cite this", "Citer"),
    "citation": ("“{label}”. HLD 2006 knowledge graph, release {version} ({date}). {url}",
                 "« {label} ». Graphe de connaissances DHN 2006, version {version} ({date}). "
                 "{url}"),
    "gone": ("Removed", "Retirée"),
    "gone_title": ("Removed: {label}", "Retirée : {label}"),
    "gone_text": ("Release {version} removed <{iri}>. It was last described by release "
                  "{last} ({date}):",
                  "La version {version} a retiré <{iri}>. Sa dernière description est celle de "
                  "la version {last} ({date}) :"),
    "feed_title": ("HLD 2006 knowledge graph: releases and changes",
                   "Graphe de connaissances DHN 2006 : versions et changements"),
    "feed_release": ("Release {version}", "Version {version}"),
    # the ontology's page (hldgraph.docs): its kinds of term and the relations under each term
    "def_version": ("version {version}", "version {version}"),
    "def_classes": ("Classes", "Classes"),
    "def_object_properties": ("Object properties", "Propriétés d’objet"),
    "def_datatype_properties": ("Datatype properties", "Propriétés de données"),
    "def_annotation_properties": ("Annotation properties", "Propriétés d’annotation"),
    "def_concept_schemes": ("Concept schemes", "Schémas de concepts"),
    "def_subclass_of": ("subclass of", "sous-classe de"),
    "def_subproperty_of": ("subproperty of", "sous-propriété de"),
    "def_domain": ("domain", "domaine"),
    "def_range": ("range", "codomaine"),
    "def_inverse_of": ("inverse of", "inverse de"),
    "def_equivalent_class": ("equivalent class", "classe équivalente"),
    "def_disjoint_with": ("disjoint with", "disjointe de"),
    "def_equivalent_property": ("equivalent property", "propriété équivalente"),
    "def_broader": ("broader", "plus générique"),
    "def_notation": ("notation", "notation"),
    "def_footer": ("The hldgraph ontology, generated from ontology/ by",
                   "L’ontologie de hldgraph, produite à partir d’ontology/ par"),
}


def translate(key: str, lang: str, **values: object) -> str:
    """The message ``key`` of :data:`MESSAGES` in ``lang``, set in that language's typography
    (:func:`typeset`), with ``values`` put into its ``{placeholders}`` (as given: a query, a
    label or a URL is not the pages' words)."""
    text = _message(key, lang)
    return text.format(**values) if values else text


@functools.cache
def _message(key: str, lang: str) -> str:
    # a page asks for dozens, a suggestion for one per type of each hit: set each once
    return typeset(MESSAGES[key][LANGS.index(lang)], lang)


#: French typography: a narrow no-break space (U+202F) before : ; ! ? and inside « », in place
#: of whatever space the table has there (none, an ordinary one, a wide no-break one); the
#: ``{placeholders}`` of a message are skipped, and so is a ``://``.
_FRENCH_SPACING = re.compile(r"(\{[^{}]*\})|(?<=\S)[ \u00a0\u202f]*([:;!?])(?!//)"
                             r"|(«)[ \u00a0\u202f]*|[ \u00a0\u202f]*(»)")


def typeset(text: str, lang: str) -> str:
    """``text``, one of the pages' own messages, with the spacing of ``lang``'s punctuation:
    in French, ``Calendrier :`` becomes ``Calendrier\u202f:`` and ``« {q} »``
    ``«\u202f{q}\u202f»`` (the one place this rule is applied)."""
    if lang != "fr":
        return text

    def space(m: re.Match[str]) -> str:
        placeholder, before, opening, closing = m.groups()
        if placeholder:
            return placeholder
        return f"\u202f{before}" if before else f"{opening}\u202f" if opening else \
            f"\u202f{closing}"

    return _FRENCH_SPACING.sub(space, text)

