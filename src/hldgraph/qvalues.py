"""Quality values (RFC 9110 §12.4.2): the weight a member of Accept (or Accept-Language,
Accept-Encoding) gives to what it names, read to the letter.

``qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )``: werkzeug drops a member whose
weight is out of range or not a number (so ``text/turtle;q=1.5`` reads as if the client had not
named Turtle) and reads four decimals; here either is the client's error, a 400 naming the
header and the value.
"""

from __future__ import annotations

import functools
import re

from werkzeug.http import parse_list_header

from hldgraph.errors import HldgraphError

_QVALUE = re.compile(r"0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?")
#: The weight of a member (``;q=…``, or ``;q`` without a value), outside quoted strings.
_WEIGHT = re.compile(r";[ \t]*q[ \t]*(?:=([^;]*))?(?=;|$)", re.IGNORECASE)
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')


class MalformedQvalue(HldgraphError):
    """A request header whose q-value breaks RFC 9110 §12.4.2: the client's error (400), not
    a choice that nothing here can satisfy (406)."""

    status = 400


def weight(member: str, header: str = "Accept") -> float:
    """The q-value of one ``member`` of ``header`` (``text/turtle;q=0.5``): 1 when it has
    none. Raises :class:`MalformedQvalue` naming the header, the member and the value."""
    masked = _QUOTED.sub(lambda m: '"' + "x" * (len(m.group()) - 2) + '"', member)
    found = _WEIGHT.search(masked)
    if found is None:
        return 1.0
    start, end = found.span(1) if found.group(1) is not None else (found.end(),) * 2
    raw = member[start:end].strip(" \t")
    if not _QVALUE.fullmatch(raw):
        raise MalformedQvalue(
            f"the {header} header gives {member.split(';')[0].strip()!r} the q-value {raw!r}: "
            "a q-value is a number from 0 to 1 with at most three decimals (RFC 9110 §12.4.2)")
    return float(raw)


@functools.lru_cache(maxsize=256)
def check(value: str, header: str) -> None:
    """Reads the q-value of every member of ``value``, a list header (RFC 9110 §5.6.1) such as
    Accept-Language or Accept-Encoding, by :func:`weight`'s rule; raises
    :class:`MalformedQvalue` naming ``header`` at the first that breaks it. Accept is read
    member by member where it is matched (:mod:`hldgraph.formats`); a header that werkzeug
    matches is checked here first, since werkzeug drops such a member silently."""
    for member in parse_list_header(value):
        weight(member, header)
