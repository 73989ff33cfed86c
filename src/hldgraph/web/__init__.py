"""The web application (``create_app`` in :mod:`hldgraph.web.app`) and what every view shares
(:mod:`hldgraph.web.http`: the store and settings of the running app, the error shape)."""

from hldgraph.web.app import create_app
from hldgraph.web.http import error_response, get_settings, get_store, wants_html

__all__ = ["create_app", "error_response", "get_settings", "get_store", "wants_html"]
