"""The one label rule: which text is shown, and the language it is in."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from hldgraph.labels import Label, by_language, choose, country, pick, texts

THING = "https://w3id.org/hld2006/id/document/calendar"


def test_pick_tells_the_language_it_found():
    labels = {THING: {"en": "Draft calendar"}}
    fr = pick(labels, THING, "fr")
    assert (fr, fr.lang) == ("Draft calendar", "en")  # the English fallback says so
    both = {THING: {"en": "Draft calendar", "fr": "Projet de calendrier"}}
    assert pick(both, THING, "fr").lang == "fr"
    untagged = pick({THING: {"": "A/RES/60/227"}}, THING, "fr")
    assert (untagged, untagged.lang) == ("A/RES/60/227", "")
    made = pick({}, THING, "en")  # no label: the IRI's last step, in no language
    assert (made, made.lang) == ("calendar", "")


def test_choose_falls_back_to_english_then_french_then_untagged():
    assert choose({"fr": "b", "": "c"}, "de") == Label("b", "fr")
    assert choose({"": "c"}, "en").lang == ""
    assert choose({}, "en") is None


def test_the_preferred_property_wins_and_ties_do_not_depend_on_order():
    s = URIRef(THING)
    g = Graph()
    g.add((s, RDFS.label, Literal("label", lang="en")))
    g.add((s, SKOS.prefLabel, Literal("preferred b", lang="en")))
    g.add((s, SKOS.prefLabel, Literal("preferred a", lang="en")))
    assert texts(g, s) == {"en": "preferred a"}
    assert texts(g, s, (RDFS.label, SKOS.prefLabel)) == {"en": "label"}
    pairs = [(0, Literal("z", lang="fr")), (0, Literal("a", lang="fr")), (1, URIRef(THING))]
    assert by_language(pairs) == by_language(reversed(pairs)) == {"fr": "a"}


def test_country_names_in_each_language():
    assert (country("CH", "en"), country("CH", "en").lang) == ("Switzerland", "en")
    assert (country("CH", "fr"), country("CH", "fr").lang) == ("Suisse", "fr")
    assert country("KR", "en") == "South Korea"  # the common name, where ISO gives one
    assert (country("XX", "fr"), country("XX", "fr").lang) == ("XX", "")
