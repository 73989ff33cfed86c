"""Runs the app under gunicorn: a production WSGI server, not Flask's development one."""

from __future__ import annotations

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from hldgraph.settings import Settings


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, app: Flask, options: dict[str, Any]) -> None:
        self.application, self.options = app, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application


def gunicorn_options(settings: Settings) -> dict[str, Any]:
    return {
        "bind": f"{settings.host}:{settings.port}",
        "workers": settings.workers,
        # threads let a worker answer cheap requests while another waits on a slow query
        "worker_class": "gthread",
        "threads": 4,
        # the store is loaded once, before the workers fork, and shared copy-on-write
        "preload_app": True,
        # a worker is only killed if it hangs well past the query time limit
        "timeout": int(settings.query_time_limit_s) + 30,
        "accesslog": "-",
        "errorlog": "-",
        "limit_request_line": 8190,
    }


def run(app: Flask, settings: Settings) -> None:
    _Gunicorn(app, gunicorn_options(settings)).run()
