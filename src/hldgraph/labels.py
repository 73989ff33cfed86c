"""Which label of a thing is shown: one rule for the pages, the calendar files and the markup.

A thing may have several labels: by property (a SKOS preferred label wins over a name, a name over
a title…) and by language. :func:`pick` chooses; :data:`LABELS` is the one query that reads every
label, and both an rdflib graph and the Store answer it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rdflib import Literal
from rdflib.namespace import DCTERMS, RDFS, SKOS

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

Labels = dict[str, dict[str, str]]


def read_labels(rows: Iterable[Mapping[str, Any]]) -> Labels:
    """Rows of :data:`LABELS` -> ``{iri: {language tag or "": label}}``, keeping per language the
    label of the most preferred property (of two labels of one property, the first in code-point
    order, so that the choice does not depend on the order of the rows)."""
    ranked: dict[str, dict[str, tuple[int, str]]] = {}
    for row in rows:
        o = row["o"]
        key = (o.language or "") if isinstance(o, Literal) else ""
        rank = (_RANK[str(row["p"])], str(o))
        current = ranked.setdefault(str(row["s"]), {}).get(key)
        if current is None or rank < current:
            ranked[str(row["s"])][key] = rank
    return {iri: {k: v[1] for k, v in by_lang.items()} for iri, by_lang in ranked.items()}


def pick(labels: Mapping[str, Mapping[str, str]], iri: str, lang: str) -> str:
    """The label of ``iri`` in ``lang``, else in the fallback languages, else untagged, else any,
    else the last step of its IRI's path."""
    found = labels.get(str(iri), {})
    for key in (lang, *FALLBACK, ""):
        if found.get(key):
            return found[key]
    return next(iter(found.values()), None) or str(iri).rstrip("/").rsplit("/", 1)[-1]
