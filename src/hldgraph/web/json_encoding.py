"""How the web application writes JSON (``jsonify``, ``app.json``): with orjson, which encodes a
search or suggest answer in a tenth of the standard library's time (bench/RESULTS.md), to the
same JSON: keys sorted, compact out of debug mode, Flask's rules for dates, dataclasses and
``__html__``. Unlike the standard library it writes text beyond ASCII as UTF-8, not as escapes,
which the JSON media type requires anyway (RFC 8259 §8.1).
"""

from __future__ import annotations

from typing import Any

import orjson
from flask import Response
from flask.json.provider import DefaultJSONProvider

_OPTIONS = (orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
            | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_SERIALIZE_NUMPY)


class OrjsonProvider(DefaultJSONProvider):
    """Flask's JSON provider, encoding with orjson. A ``dumps`` with options of the standard
    library's (``indent``, ``cls``…) is left to it, as Flask's own provider would do."""

    ensure_ascii = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        """``obj`` as JSON text. Raises TypeError for a value JSON cannot hold."""
        if kwargs.keys() - {"separators"}:
            return super().dumps(obj, **kwargs)
        return self._encode(obj, compact=True).decode("utf-8")

    def response(self, *args: Any, **kwargs: Any) -> Response:
        """As Flask's: ``jsonify(value)`` → a 200 ``application/json`` response, its body the
        value's JSON and a newline; indented in debug mode."""
        obj = self._prepare_response_obj(args, kwargs)
        compact = self.compact if self.compact is not None else not self._app.debug
        return Response(self._encode(obj, compact) + b"\n", mimetype=self.mimetype)

    def _encode(self, obj: Any, compact: bool) -> bytes:
        options = _OPTIONS if compact else _OPTIONS | orjson.OPT_INDENT_2
        return orjson.dumps(obj, default=_default, option=options)


def _default(value: Any) -> Any:
    """What orjson leaves to Flask: dates (RFC 822, as Flask writes them), dataclasses, UUIDs,
    ``__html__``; a named tuple as a list, as the standard library writes one."""
    if isinstance(value, tuple):
        return list(value)
    return DefaultJSONProvider.default(value)
