"""The graph's IRIs, documents and pages: one blueprint made of one module per concern.

- :mod:`hldgraph.web.linkeddata`: ``/id/`` and ``/def/`` answer 303, ``/doc/`` the documents;
- :mod:`hldgraph.web.graphs`: the named graphs (``/graph/{name}``) and their documents;
- :mod:`hldgraph.web.pages`: the page of each thing, and what every page shares;
- :mod:`hldgraph.web.schemaorg`: the schema.org markup of the pages;
- :mod:`hldgraph.web.calendar`: ``/calendar`` and its charts;
- :mod:`hldgraph.web.lists`: ``/`` (the landing page), ``/bodies`` and ``/places``;
- :mod:`hldgraph.web.twins`: the JSON twins of the lists, the context, frames, schemas, OpenAPI;
- :mod:`hldgraph.web.readmodel`: what they read from the store, once per build;
- :mod:`hldgraph.web.links`: every URL they write.
"""

from __future__ import annotations

from flask import Blueprint

from hldgraph.web import calendar, graphs, linkeddata, lists, twins
from hldgraph.web.pages import layout_context
from hldgraph.web.readmodel import setup

bp = Blueprint("resources", __name__)
bp.record_once(setup)
bp.app_context_processor(layout_context)
for part in (linkeddata, graphs, calendar, lists, twins):
    bp.register_blueprint(part.bp)
