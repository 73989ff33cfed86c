"""Which label of a thing is shown: one rule for the pages, the calendar files, the ontology page
and the markup.

A thing may have several labels: by property (a SKOS preferred label wins over a name, a name over
a title…) and by language. :func:`by_language` keeps one text per language, :func:`choose` the
one to show in a language, and :func:`pick` adds the fallback of a thing without a label.
:data:`LABELS` is the one query that reads every label, and both an rdflib graph and the Store
answer it. What is chosen is a :class:`Label`: the text and the language it is in, so that a page
can mark a text that is not in the page's language (WCAG 2.1 SC 3.1.2, Language of Parts).
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import pycountry
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS
from rdflib.term import Node

from hldgraph.urls import ELI, SCHEMA

#: Label properties, the most preferred first.
PROPERTIES = (SKOS.prefLabel, RDFS.label, SCHEMA.name, ELI.title, DCTERMS.title, ELI.id_local)
#: The languages tried, in this order, when a thing has no label in the language asked for.
FALLBACK = ("en", "fr")

#: Every literal label of every thing: rows of ?s ?p ?o.
LABELS = ("SELECT ?s ?p ?o WHERE {\n  VALUES ?p { "
          + " ".join(f"<{p}>" for p in PROPERTIES)
          + " }\n  ?s ?p ?o FILTER(isLiteral(?o)) }")

_RANK = {str(p): n for n, p in enumerate(PROPERTIES)}

#: ``{iri: {language tag or "": label}}``
Labels = dict[str, dict[str, str]]


class Label(str):
    """A text as chosen, with ``lang``: the language tag of the literal it came from ("" for an
    untagged literal, a code, or a name made from an IRI)."""

    lang: str

    def __new__(cls, text: str, lang: str = "") -> Label:
        self = super().__new__(cls, text)
        self.lang = lang
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Label, (str(self), self.lang))


def by_language(ranked: Iterable[tuple[int, Node]]) -> dict[str, str]:
    """``(rank, term)`` pairs -> ``{language tag or "": text}``: per language, the literal of the
    lowest rank (the most preferred property); of two of one rank, the first in code-point order,
    so that the choice does not depend on the order in which a store returns them. Non-literal
    terms are ignored."""
    best: dict[str, tuple[int, str]] = {}
    for rank, term in ranked:
        if not isinstance(term, Literal):
            continue
        key, candidate = term.language or "", (rank, str(term))
        if key not in best or candidate < best[key]:
            best[key] = candidate
    return {key: text for key, (_, text) in best.items()}


def read_labels(rows: Iterable[Mapping[str, Any]]) -> Labels:
    """Rows of :data:`LABELS` -> ``{iri: {language tag or "": label}}`` (:func:`by_language`
    with the ranks of :data:`PROPERTIES`)."""
    grouped: dict[str, list[tuple[int, Node]]] = {}
    for row in rows:
        grouped.setdefault(str(row["s"]), []).append((_RANK[str(row["p"])], row["o"]))
    return {iri: by_language(pairs) for iri, pairs in grouped.items()}


def texts(g: Graph, s: Node | None, props: Sequence[URIRef] = PROPERTIES) -> dict[str, str]:
    """The literals of ``s`` for ``props`` (the most preferred first) in ``g``, one per language
    (:func:`by_language`)."""
    return by_language((rank, o) for rank, p in enumerate(props) for o in g.objects(s, p))


def choose(found: Mapping[str, str], lang: str) -> Label | None:
    """The text of ``found`` (``{language tag or "": text}``) to show in ``lang``: in ``lang``,
    else in the fallback languages, else untagged, else in any language; None when empty."""
    for key in (lang, *FALLBACK, ""):
        if found.get(key):
            return Label(found[key], key)
    return next((Label(text, key) for key, text in found.items() if text), None)


def pick(labels: Mapping[str, Mapping[str, str]], iri: str, lang: str) -> Label:
    """The label of ``iri`` in ``lang`` (:func:`choose`), else the last step of its IRI's path
    (a Label without language)."""
    return (choose(labels.get(str(iri), {}), lang)
            or Label(str(iri).rstrip("/").rsplit("/", 1)[-1]))


def country(code: str, lang: str) -> Label:
    """The name of the country of an ISO 3166-1 alpha-2 ``code`` in ``lang`` (its common name
    where ISO gives one, as pycountry has it, in the Debian iso-codes translations); an unknown
    code is returned as it is."""
    found = pycountry.countries.get(alpha_2=code) if code else None
    if found is None:
        return Label(code)
    name = getattr(found, "common_name", found.name)
    catalogue = _translations(lang) if lang != "en" else None
    if catalogue is None:  # English, or a language without a catalogue: the English name
        return Label(name, "en")
    return Label(catalogue.gettext(name), lang)


@lru_cache(maxsize=4)
def _translations(lang: str) -> gettext.GNUTranslations | None:
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:  # no catalogue for this language
        return None
