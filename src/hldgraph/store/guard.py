"""What a query may do, decided before any engine sees it, so that it holds on every backend.

The endpoint is read-only and makes no outbound requests: updates are refused (403), and so is
``SERVICE`` unless federation is enabled. The text is scanned token by token, skipping strings,
comments and IRIs, so that a keyword inside a literal does not count and one outside cannot hide.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from hldgraph.errors import QueryError

QUERY_FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "construct", "DESCRIBE": "construct"}
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE",
                             "COPY", "WITH"})

_TOKEN = re.compile(r'''
    (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
              |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<comment>\#[^\n\r]*)
  | (?P<pname>(?:[A-Za-z][\w.\-]*)?:[\w.\-:%\\]*)
  | (?P<var>[?$]\w+)
  | (?P<word>[A-Za-z_]\w*)
  | (?P<other>\S)
''', re.VERBOSE | re.DOTALL)

#: An IRI that starts with a scheme (absolute); any other is resolved against the base IRI.
_ABSOLUTE = re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]*:")

# SPARQL lets \uXXXX escapes stand anywhere in a query; an engine may decode them first.
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def tokens(text: str, start: int = 0) -> Iterator[re.Match[str]]:
    """The tokens of a query from ``start``; each match's ``lastgroup`` is its kind: string,
    iri, comment, pname (a prefixed name), var, word or other."""
    return _TOKEN.finditer(text, start)


def keywords(text: str) -> list[str]:
    """The bare words of a query, upper-cased, outside strings, comments, IRIs and names."""
    return [m.group("word").upper() for m in _TOKEN.finditer(text) if m.lastgroup == "word"]


# asked on every evaluation: tokenising costs as much as a cheap query
@functools.lru_cache(maxsize=1024)
def names_dataset(text: str) -> bool:
    """Whether the query names its own dataset (FROM or FROM NAMED)."""
    return "FROM" in keywords(text)


@functools.lru_cache(maxsize=1024)
def has_relative_iri(text: str) -> bool:
    """Whether the query writes an IRI that is resolved against the base IRI (``<s>``)."""
    return any(m.lastgroup == "iri" and not _ABSOLUTE.match(m.group())
               for m in _TOKEN.finditer(text))


def _decoded(text: str) -> str:
    def char(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code < 0x110000 else ""

    return _UNICODE_ESCAPE.sub(char, text)


def query_form(words: list[str]) -> str | None:
    """The first keyword after the prologue (BASE and PREFIX declarations)."""
    for word in words:
        if word not in {"BASE", "PREFIX"}:
            return word
    return None


@functools.lru_cache(maxsize=1024)  # a request checks its query twice (page, then store)
def check(text: str, *, max_chars: int, federation: bool = False) -> str:
    """Refuse what this endpoint never runs; return the kind: select, ask or construct.

    A text that is not recognisably a query is returned as kind ``select`` and left to the
    engine, whose parser gives the precise syntax error.
    """
    if len(text) > max_chars:
        raise QueryError(f"the query is {len(text)} characters long; the limit is {max_chars}",
                         413)
    if not text.strip():
        raise QueryError("the query is empty")
    words = keywords(text)
    decoded = _decoded(text)
    if decoded != text:
        words += keywords(decoded)
    form = query_form(words)
    if form in UPDATE_KEYWORDS:
        raise QueryError(f"this endpoint is read-only: SPARQL Update ({form}) is not allowed",
                         403)
    if not federation and "SERVICE" in words:
        raise QueryError("SERVICE is not allowed: this endpoint makes no requests to other "
                         "endpoints", 403)
    return QUERY_FORMS.get(form or "", "select")


@functools.lru_cache(maxsize=1024)
def star(text: str) -> int | None:
    """Where the ``*`` of a ``SELECT *`` (or ``SELECT DISTINCT *``) query is, else None."""
    tokens = (m for m in _TOKEN.finditer(text) if m.lastgroup != "comment")
    for m in tokens:
        word = m.group().upper() if m.lastgroup == "word" else ""
        if word in {"BASE", "PREFIX"}:
            continue
        if m.lastgroup in {"iri", "pname"}:  # the prologue's prefixes and IRIs
            continue
        if word != "SELECT":
            return None
        for after in tokens:
            if after.group().upper() in {"DISTINCT", "REDUCED"}:
                continue
            return after.start() if after.group() == "*" else None
    return None


def column_order(text: str, names: list[str]) -> list[str]:
    """The columns of an answer: for ``SELECT *``, as the variables first appear in the query
    (what Jena, Virtuoso and Oxigraph's server do; SPARQL 1.1 leaves it open), else ``names``."""
    at = star(text)
    if at is None:
        return names
    seen = list(dict.fromkeys(m.group()[1:] for m in _TOKEN.finditer(text, at)
                              if m.lastgroup == "var"))
    rank = {name: i for i, name in enumerate(seen)}
    return sorted(names, key=lambda n: rank.get(n, len(rank)))


def projected(text: str, names: list[str]) -> str:
    """A ``SELECT *`` query with its ``*`` written out as ``names``, in that order."""
    at = star(text)
    if at is None:
        return text
    return text[:at] + " ".join("?" + n for n in names) + text[at + 1:]
