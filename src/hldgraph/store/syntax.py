"""SPARQL syntax errors a person can act on, the same whichever engine met them.

Engines report syntax errors in their own words (pyparsing's ``Expected {…}``, Oxigraph's lists
of Unicode character classes). When an engine refuses a query, :func:`syntax_error` explains it
from one diagnosis: an undeclared prefix is found by hldgraph's own tokenizer, any other error by
Oxigraph's parser, whose positions are exact. The message gives the line and column, the line
with a caret under the position, and what was expected::

    syntax error at line 1, column 22:
      SELECT ?n WHERE { ?e schema:name ?n }
                           ^
    unknown prefix 'schema:' — add PREFIX schema: <http://schema.org/>
"""

from __future__ import annotations

import difflib
import functools
import re

import pyoxigraph as ox

from hldgraph.errors import QueryError
from hldgraph.store.guard import tokens
from hldgraph.urls import PREFIXES

#: The bare words of SPARQL 1.1 (§19.8) and of Oxigraph's extensions: any other is a typo.
_KEYWORDS = """
BASE PREFIX SELECT CONSTRUCT DESCRIBE ASK FROM NAMED WHERE GROUP BY HAVING ORDER ASC DESC LIMIT
OFFSET VALUES DISTINCT REDUCED AS OPTIONAL GRAPH SERVICE SILENT BIND UNDEF MINUS UNION FILTER
NOT IN EXISTS A TRUE FALSE COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG
LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE
ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES SECONDS
TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT SAMETERM
ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE INSERT DELETE DATA LOAD CLEAR DROP
CREATE ADD MOVE COPY WITH USING DEFAULT ALL INTO TO LATERAL TRIPLE SUBJECT PREDICATE OBJECT
ISTRIPLE
"""
KEYWORDS = frozenset(_KEYWORDS.split())
#: Oxigraph's message: "error at LINE:COLUMN: expected …", the column counted in UTF-8 bytes.
_OXIGRAPH = re.compile(r"error at (\d+):(\d+): (.*)", re.S)
# The alternatives of "expected one of …": quoted tokens, character classes, words or phrases.
_ALTERNATIVE = re.compile(r'"((?:[^"\\]|\\.)*)"|\[(?:[^\]\\]|\\.)*\]|([^,\[\]"]+)')
#: Most alternatives an expectation lists.
_MAX_ALTERNATIVES = 12
#: Widest part of the offending line that is shown.
_WIDTH = 100
# Only the parser is needed: an empty store evaluates nothing (answers are read lazily).
_BASE = "http://localhost/"


def syntax_error(text: str, engine_message: str) -> QueryError:
    """The 400 for a query that an engine refused with ``engine_message``."""
    return diagnose(text) or QueryError(f"syntax error: {_first_line(engine_message)}")


def diagnose(text: str) -> QueryError | None:
    """A QueryError (400) that shows where ``text`` breaks SPARQL's grammar, or None if it
    does not (then the engine's own refusal stands)."""
    found = _undeclared_prefix(text) or _oxigraph_error(text)
    if found is None:
        return None
    offset, expected = _unknown_word(text, found[0]) or found
    return QueryError(_message(text, offset, expected))


def check_prefixes(text: str) -> None:
    """Raise the 400 of :func:`diagnose` if ``text`` uses a prefix it does not declare.

    For engines that know some prefixes without a declaration (rdflib does): a query must
    read the same on every backend.
    """
    found = _undeclared_prefix(text)
    if found is not None:
        raise QueryError(_message(text, *found))


@functools.lru_cache(maxsize=1024)
def _undeclared_prefix(text: str) -> tuple[int, str] | None:
    """The first prefixed name whose prefix has no PREFIX declaration (SPARQL 1.1 §4.1.1)."""
    declared: set[str] = set()
    after_prefix = False
    for m in tokens(text):
        kind, token = m.lastgroup, m.group()
        if kind == "word":
            after_prefix = token.upper() == "PREFIX"
            continue
        if kind != "pname" or text[m.start() - 1:m.start()] == "_":  # _:b is a blank node
            after_prefix = False
            continue
        name = token.split(":", 1)[0]
        if after_prefix:
            declared.add(name)
        elif name not in declared:
            known = PREFIXES.get(name)
            iri = f"<{known}>" if known is not None else "<…>"
            return m.start(), f"unknown prefix '{name}:' — add PREFIX {name}: {iri}"
        after_prefix = False
    return None


def _unknown_word(text: str, before: int) -> tuple[int, str] | None:
    """A bare word before the error that SPARQL does not know (a misspelt keyword): Oxigraph's
    parser reads a word before it compares it with its keywords, and so reports the token
    after it."""
    previous = ""
    for m in tokens(text):
        if m.start() >= before:
            break
        word = m.group()
        if (m.lastgroup == "word" and previous not in {"@", "_"} and not previous.isdigit()
                and word.upper() not in KEYWORDS):
            close = difflib.get_close_matches(word.upper(), KEYWORDS, n=1)
            hint = f" — did you mean {close[0]}?" if close else ""
            return m.start(), f"unknown keyword '{word}'{hint}"
        previous = word[-1:]
    return None


def _oxigraph_error(text: str) -> tuple[int, str] | None:
    try:
        ox.Store().query(text, base_iri=_BASE)
    except SyntaxError as e:
        found = _OXIGRAPH.match(str(e))
        if found is None:
            return 0, _first_line(str(e))
        line, column, expected = int(found[1]), int(found[2]), found[3]
        return _offset(text, line, column), _expectation(expected)
    except (ValueError, OSError, RuntimeError):
        return None
    return None


def _offset(text: str, line: int, byte_column: int) -> int:
    """The character offset of a 1-based line and 1-based UTF-8 byte column."""
    lines = text.splitlines(keepends=True)
    start = sum(len(x) for x in lines[:line - 1])
    here = lines[line - 1] if line - 1 < len(lines) else ""
    head = here.encode("utf-8")[:byte_column - 1].decode("utf-8", "ignore")
    return min(start + len(head), len(text))


def _expectation(expected: str) -> str:
    """Oxigraph's "expected one of …" without its character classes, and short."""
    expected = re.sub(r"^expected (one of )?", "", expected.strip())
    words: list[str] = []
    notes: list[str] = []
    for m in _ALTERNATIVE.finditer(expected):
        if m[1] is not None:
            words.append(m[1])
        elif m[2] and m[2].strip():
            item = m[2].strip()
            (notes if " " in item else words).append(item)
    if notes:  # a sentence of Oxigraph's own ("Prefix not found") says more than tokens
        return "; ".join(n[0].lower() + n[1:] for n in notes)
    words = [w for w in words if w != "_"]
    if not words:
        return "the query cannot continue here"
    shown = ", ".join(words[:_MAX_ALTERNATIVES]) + (", …" if len(words) > _MAX_ALTERNATIVES
                                                    else "")
    return f"expected {'one of ' if len(words) > 1 else ''}{shown}"


def _message(text: str, offset: int, expected: str) -> str:
    line_no = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    line = text[start:end if end >= 0 else len(text)].rstrip("\r").replace("\t", " ")
    column = offset - start
    found = _found(text, offset)
    shown, caret = line, column
    if len(line) > _WIDTH:  # a window around the position
        left = max(0, min(column - _WIDTH // 2, len(line) - _WIDTH))
        shown = ("…" if left else "") + line[left:left + _WIDTH] + (
            "…" if left + _WIDTH < len(line) else "")
        caret = column - left + (1 if left else 0)
    return (f"syntax error at line {line_no}, column {column + 1}{found}:\n"
            f"  {shown}\n  {' ' * caret}^\n{expected}")


def _found(text: str, offset: int) -> str:
    m = next(tokens(text, offset), None)
    if m is None:
        return " (at the end of the query)"
    return f" (at '{m.group()[:40]}')"


def _first_line(message: str) -> str:
    line = message.strip().splitlines()[0] if message.strip() else "invalid query"
    return line[:300]
