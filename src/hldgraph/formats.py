"""Media types and their serialisers, and content negotiation.

One table, :data:`MEDIA_TYPES`, says which media types hldgraph can write, for which kind of
answer, and under which ``format=`` names. :func:`negotiate` picks one from an ``Accept`` header
(q-values, checked, and wildcards) or from an explicit ``format=`` parameter.

Kinds of answer: ``select`` and ``ask`` (SPARQL results), ``construct`` (one RDF graph: CONSTRUCT,
DESCRIBE and every data document), ``dataset`` (several named graphs: the dumps).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import re
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from rdflib import RDF, Dataset, Graph, Literal, URIRef
from werkzeug.http import parse_list_header, parse_options_header

from hldgraph.errors import HldgraphError
from hldgraph.qvalues import weight
from hldgraph.urls import PREFIXES

KINDS = ("select", "ask", "construct", "dataset")


@dataclass(frozen=True)
class MediaType:
    """A media type hldgraph writes, with what it can carry and how it is named."""

    name: str
    mime: str
    kinds: frozenset[str]
    names: tuple[str, ...]  # values of the format= parameter
    rdflib: str  # rdflib serialiser plugin name ("" where hldgraph writes it itself)
    extension: str
    w3c: str = ""  # the W3C format IRI used in service descriptions
    textual: bool = True
    profile: str = ""  # a JSON-LD profile asked for in Accept (see JSONLD_PROFILES)

    @property
    def content_type(self) -> str:
        return f"{self.mime}; charset=utf-8" if self.textual else self.mime

    def serves(self, kind: str) -> bool:
        return kind in self.kinds


_RESULTS = frozenset({"select", "ask"})
_TABLES = frozenset({"select"})
_GRAPH = frozenset({"construct", "dataset"})  # a graph is a dataset of one default graph
_DATASET = frozenset({"dataset"})
_ANY = frozenset(KINDS)
_FORMATS = "http://www.w3.org/ns/formats/"

#: Every media type, in order of preference when the client has none.
MEDIA_TYPES: tuple[MediaType, ...] = (
    MediaType("json", "application/sparql-results+json", _RESULTS, ("json", "srj"), "json",
              "srj", _FORMATS + "SPARQL_Results_JSON"),
    MediaType("xml", "application/sparql-results+xml", _RESULTS, ("xml", "srx"), "xml",
              "srx", _FORMATS + "SPARQL_Results_XML"),
    MediaType("csv", "text/csv", _TABLES, ("csv",), "csv", "csv",
              _FORMATS + "SPARQL_Results_CSV"),
    MediaType("tsv", "text/tab-separated-values", _TABLES, ("tsv",), "", "tsv",
              _FORMATS + "SPARQL_Results_TSV"),
    MediaType("turtle", "text/turtle", _GRAPH - _DATASET, ("turtle", "ttl", "n3"), "turtle", "ttl",
              _FORMATS + "Turtle"),
    MediaType("trig", "application/trig", _DATASET, ("trig",), "trig", "trig",
              _FORMATS + "TriG"),
    MediaType("jsonld", "application/ld+json", _GRAPH, ("jsonld", "json-ld"), "json-ld",
              "jsonld", _FORMATS + "JSON-LD"),
    MediaType("nt", "application/n-triples", _GRAPH - _DATASET, ("nt", "ntriples"), "nt11",
              "nt", _FORMATS + "N-Triples"),
    MediaType("nq", "application/n-quads", _DATASET, ("nq", "nquads"), "nquads", "nq",
              _FORMATS + "N-Quads"),
    MediaType("rdfxml", "application/rdf+xml", _GRAPH - _DATASET,
              ("rdfxml", "rdf", "rdf+xml", "owl"), "xml", "rdf", _FORMATS + "RDF_XML"),
    # HTML is offered only where the caller renders pages (html=True in negotiate).
    MediaType("html", "text/html", _ANY, ("html",), "", "html"),
)

#: Other names clients send for the same media types.
_MIME_ALIASES = {
    "application/json": "json", "application/xml": "xml", "text/xml": "xml",
    "application/x-turtle": "turtle", "text/n3": "turtle", "text/plain": "nt",
    "application/x-trig": "trig", "text/tsv": "tsv",
}

_GRAPH_SYNTAX = {"xml": "rdfxml", "json": "jsonld"}
BY_NAME = {m.name: m for m in MEDIA_TYPES}
_BY_FORMAT = {n: m for m in MEDIA_TYPES for n in m.names}
_BY_MIME = {m.mime: m for m in MEDIA_TYPES} | {k: BY_NAME[v] for k, v in _MIME_ALIASES.items()}


class NotAcceptable(HldgraphError):
    """No media type that the client accepts can carry this answer."""

    status = 406


#: JSON-LD profiles (JSON-LD 1.1 §9.1): recognised in Accept and carried in the negotiated
#: :class:`MediaType`, so that a document can be written in the form asked for.
JSONLD = "http://www.w3.org/ns/json-ld#"
JSONLD_PROFILES = tuple(JSONLD + p for p in ("expanded", "compacted", "flattened", "framed"))

#: A media range of an Accept header: type, subtype, parameters (lower-case names), q-value.
Range = tuple[str, str, tuple[tuple[str, str], ...], float]
#: How well a range matches a media type: (specificity, quality, the range's parameters);
#: specificity is 0 for */*, 1 for type/*, 2 for type/subtype, 3 when it has parameters.
Match = tuple[int, float, tuple[tuple[str, str], ...]]
_NO_MATCH: Match = (-1, 0.0, ())


def offered(kind: str, *, html: bool = False) -> list[MediaType]:
    """The media types that can carry an answer of ``kind``, best first."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    return [m for m in MEDIA_TYPES if m.serves(kind) and (html or m.name != "html")]


def negotiate(accept_header: str | None, kind: str, *,
              format: str | Sequence[str] | None = None, html: bool = False) -> MediaType:
    """Pick the media type for an answer of ``kind``: the one negotiation of every route.

    ``format`` (a ``format=`` parameter: a short name such as ``ttl`` or a media type; some
    clients send several, and the first usable one counts) selects a format hldgraph knows;
    when it names none, the ``Accept`` header decides (``format`` is not part of the SPARQL
    protocol: SPARQLWrapper sends ``format=n3`` for Turtle, other clients names of their own).
    Accept is read as RFC 9110 §12.5.1 says: q-values, wildcards, the most specific matching
    range decides, and a parameter hldgraph satisfies (``charset=utf-8``, ``header=present``,
    a JSON-LD profile) does not exclude the type; a known JSON-LD profile is carried in the
    result's ``profile``. A missing or empty ``Accept`` means anything.
    Raises :class:`NotAcceptable` (406) naming what could be served instead.
    """
    options = offered(kind, html=html)
    wanted = [format] if isinstance(format, str) else list(format or ())
    known = [m for m in (_by_format(w.strip().lower(), kind) for w in wanted if w and w.strip())
             if m is not None]
    if known:
        usable = [m for m in known if m in options]
        if usable:
            return usable[0]
        raise NotAcceptable(f"format={known[0].names[0]!r} cannot carry {_an(kind)} answer; "
                            f"use one of {_format_names(options)}")
    if not accept_header or not accept_header.strip():
        return options[0]
    best = _best_match(accept_header, kind, html)
    if best is None:
        raise NotAcceptable(f"none of the accepted media types ({accept_header}) can carry "
                            f"{_an(kind)} answer; this answer is available as "
                            + ", ".join(m.mime for m in options))
    return best


def _an(word: str) -> str:
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def quality(accept_header: str | None, mime: str) -> float:
    """The q-value ``accept_header`` gives a UTF-8 representation of type ``mime`` (RFC 9110
    §12.5.1: that of the most specific matching range); 1 when there is no header."""
    if not accept_header or not accept_header.strip():
        return 1.0
    return _match(_ranges(accept_header), mime)[1]


@functools.lru_cache(maxsize=256)
def _best_match(accept_header: str, kind: str, html: bool) -> MediaType | None:
    # Matching an Accept header costs more than a cheap query: clients send the same few.
    ranges = _ranges(accept_header)
    best, best_key = None, (0.0, -1)
    for media in offered(kind, html=html):
        aliases = [a for a, name in _MIME_ALIASES.items()
                   if _for_kind(BY_NAME[name], kind) is media]
        # an alias counts only when named: text/* must not pick text/xml's results format
        named = [m for m in (_match(ranges, a) for a in aliases) if m[0] >= 2]
        spec, q, params = max([_match(ranges, media.mime), *named])
        if q > 0 and (q, spec) > best_key:  # ties: the more specific range, then our order
            best, best_key = _with_profile(media, params), (q, spec)
    return best


@functools.lru_cache(maxsize=256)
def _ranges(accept_header: str) -> tuple[Range, ...]:
    """The media ranges of an Accept header: werkzeug reads each one's type and parameters,
    :func:`~hldgraph.qvalues.weight` its q-value (a malformed one is a 400)."""
    rv = []
    for value in parse_list_header(accept_header):
        mime, params = parse_options_header(value)
        main, _, sub = mime.lower().partition("/")
        rv.append((main, sub or "*", tuple((k.lower(), v) for k, v in params.items()
                                           if k.lower() != "q"), weight(value)))
    return tuple(rv)


def _match(ranges: Sequence[Range], mime: str) -> Match:
    """The most specific of ``ranges`` that a UTF-8 representation of ``mime`` satisfies."""
    main, _, sub = mime.partition("/")
    best = _NO_MATCH
    for r_main, r_sub, params, q in ranges:
        if r_main == "*":
            spec = 0
        elif r_main != main:
            continue
        elif r_sub == "*":
            spec = 1
        elif r_sub == sub:
            spec = 3 if params else 2
        else:
            continue
        if not all(_satisfied(name, value) for name, value in params):
            continue
        if (spec, q) > best[:2]:
            best = (spec, q, params)
    return best


def _satisfied(name: str, value: str) -> bool:
    """Whether hldgraph's representation satisfies a media-type parameter of a range."""
    if name == "charset":  # every representation hldgraph writes as text is UTF-8
        return value.strip().lower() in {"utf-8", "utf8"}
    if name == "header":  # text/csv (RFC 4180): SPARQL results CSV has a header row
        return value.strip().lower() == "present"
    return True  # a profile (known or not) or another parameter: served, or ignored


def _with_profile(media: MediaType, params: tuple[tuple[str, str], ...]) -> MediaType:
    """``media`` carrying the first JSON-LD profile of ``params`` that hldgraph knows."""
    if media.name != "jsonld":
        return media
    asked = " ".join(v for k, v in params if k == "profile").split()
    known = [p for p in asked if p in JSONLD_PROFILES]
    return dataclasses.replace(media, profile=known[0]) if known else media


def _by_format(name: str, kind: str) -> MediaType | None:
    mime = parse_options_header(name)[0].lower() if "/" in name else name
    return _for_kind(_BY_FORMAT.get(mime) or _BY_MIME.get(mime), kind)


def _for_kind(media: MediaType | None, kind: str) -> MediaType | None:
    """"xml" and "json" name results formats, and for a graph the RDF syntax of that family."""
    if media is not None and kind in _GRAPH and media.name in _GRAPH_SYNTAX:
        return BY_NAME[_GRAPH_SYNTAX[media.name]]
    return media


def _format_names(options: Sequence[MediaType]) -> str:
    return ", ".join(m.names[0] for m in options)


def prefixes() -> dict[str, str]:
    return {p: str(ns) for p, ns in PREFIXES.items()}


def serialize_graph(graph: Graph | Dataset, media: MediaType) -> bytes:
    """A graph (kind construct) or a dataset (kind dataset) in ``media``, with the prefixes.

    Raises :class:`NotAcceptable` when ``media`` is an XML syntax and the graph holds a
    character that XML 1.0 cannot carry (see :func:`ensure_carried`).
    """
    if media.name in XML_SYNTAXES:
        ensure_carried(media, "construct", term_texts(graph.triples((None, None, None))))
    if media.rdflib != "turtle":  # the Turtle writer sorts by itself
        graph = _in_order(graph)
    for p, ns in prefixes().items():
        graph.bind(p, ns, override=True, replace=True)
    _name_namespaces(graph)
    if media.name == "jsonld":
        return _sorted_nodes(graph.serialize(format="json-ld", context=_used_prefixes(graph),
                                             auto_compact=True, encoding="utf-8"))
    body = graph.serialize(format=media.rdflib, encoding="utf-8")
    if media.name == "nq":  # quads in sorted lines, as in the dumps
        body = b"".join(sorted(set(body.splitlines(keepends=True))))
    return body


def _in_order(graph: Graph | Dataset) -> Graph | Dataset:
    """A copy of ``graph`` in sorted order. rdflib's writers (but Turtle's) write triples in
    the order of its default store, which follows Python's string hashes, and these differ from
    one process to the next (PYTHONHASHSEED): a graph in an insertion-ordered store, filled in
    order, is written alike by every process, so that front ends give the same bytes and ETags.
    """
    if isinstance(graph, Dataset):
        data = _SortedDataset()
        for s, p, o, g in graph.quads((None, None, None, None)):
            data.graph(g.identifier if isinstance(g, Graph) else g).add((s, p, o))
        return data  # N-Quads: its lines are sorted by serialize_graph
    copy = Graph(store="SimpleMemory")  # nested dicts: iterated in insertion order
    for triple in sorted(graph, key=lambda t: tuple(term.n3() for term in t)):
        copy.add(triple)
    return copy


class _SortedDataset(Dataset):
    """A Dataset that lists its graphs in order of their names (the TriG writer writes them in
    the order they are listed)."""

    def contexts(self, triple: Any = None) -> Generator[Graph, None, None]:
        yield from sorted(super().contexts(triple), key=lambda g: str(g.identifier))


def _name_namespaces(graph: Graph | Dataset) -> None:
    """Give the namespaces without a prefix theirs (ns1, ns2…) in sorted order, not in the order
    a writer meets them in (see :func:`_in_order`)."""
    triples = graph.quads((None, None, None, None)) if isinstance(graph, Dataset) else graph
    terms = {t for _, p, o, *_ in triples
             for t in (p, o if p == RDF.type else None) if isinstance(t, URIRef)}
    for term in sorted(terms):
        with contextlib.suppress(ValueError, KeyError):
            graph.namespace_manager.compute_qname_strict(term)


def _sorted_nodes(body: bytes) -> bytes:
    """JSON-LD with every array but a list (``@list``) in a fixed order: rdflib writes nodes and
    values in the order of sets (see :func:`_in_order`), and in RDF they have none. Written as
    rdflib writes it (2 spaces, sorted keys)."""
    return json.dumps(_ordered(json.loads(body)), indent=2, separators=(",", ": "),
                      sort_keys=True, ensure_ascii=False).encode("utf-8")


def _ordered(value: Any, in_list: bool = False) -> Any:
    if isinstance(value, dict):
        return {k: v if k == "@context" else _ordered(v, k == "@list") for k, v in value.items()}
    if isinstance(value, list):
        items = [_ordered(v) for v in value]
        return items if in_list else sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return value


def _used_prefixes(graph: Graph) -> dict[str, str]:
    """Only the prefixes a graph uses, so that a JSON-LD document stays small."""
    iris = {str(t) for triple in graph.triples((None, None, None)) for t in triple
            if isinstance(t, URIRef)}
    return {p: ns for p, ns in prefixes().items() if any(i.startswith(ns) for i in iris)}


#: Media types written as XML 1.0 documents.
XML_SYNTAXES = frozenset({"xml", "rdfxml"})
# XML 1.0 §2.2 Char: no other character may appear, not even as a character reference.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# The same characters in UTF-8 (a serialiser's output, valid UTF-8, holds no surrogates).
_NOT_XML_UTF8 = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")


def term_texts(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """Every string that writing these terms (rows of a table, or triples) would put in a
    document: IRIs, lexical forms, language tags and datatypes."""
    for row in rows:
        for term in row:
            yield str(term)
            if isinstance(term, Literal):
                yield str(term.language or "") + str(term.datatype or "")


def ensure_carried(media: MediaType, kind: str, content: bytes | Iterable[str]) -> None:
    """Refuse to send an XML document that would not be well-formed.

    ``content`` is the document (UTF-8 bytes) or the texts it would be written from (see
    :func:`term_texts`). XML 1.0 cannot carry U+0000-U+001F (but tab, line feed and carriage
    return), U+FFFE and U+FFFF, even as character references (XML 1.0 §2.2, WFC: Legal
    Character). Raises :class:`NotAcceptable` (406) that names the formats that can carry an
    answer of ``kind``; does nothing for other media types.
    """
    if media.name not in XML_SYNTAXES:
        return
    if isinstance(content, bytes):
        found = _NOT_XML_UTF8.search(content)
        char = found.group().decode("utf-8") if found else None
    else:
        char = next((m.group() for m in map(_NOT_XML.search, content) if m), None)
    if char is None:
        return
    usable = [m.mime for m in offered(kind) if m.name not in XML_SYNTAXES]
    raise NotAcceptable(f"the answer holds the character U+{ord(char):04X}, which XML 1.0 "
                        f"cannot carry, so it cannot be sent as {media.mime}; ask for it as "
                        + ", ".join(usable))
