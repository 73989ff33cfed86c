"""Exceptions that carry what a user needs: a message, an HTTP status, and where it came from."""

from __future__ import annotations


class HldgraphError(Exception):
    """Base class: a message fit for a user, never a stack trace."""

    status = 500

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status

    def body(self) -> dict[str, object]:
        """The one JSON error shape for every machine-facing error."""
        return {"ok": False, "error": self.message, "status": self.status}


class SettingsError(HldgraphError):
    """A setting has a value that cannot work."""


class DataError(HldgraphError):
    """A data table is wrong; the message names the file and the row."""

    def __init__(self, file: str, row: int | None, message: str) -> None:
        where = f"{file}, row {row}" if row is not None else file
        super().__init__(f"{where}: {message}")
        self.file, self.row = file, row


class ValidationFailed(HldgraphError):
    """The graph does not conform to the SHACL shapes."""

    def __init__(self, report_text: str, violations: int) -> None:
        super().__init__(f"{violations} SHACL violation(s)\n{report_text}")
        self.report_text, self.violations = report_text, violations


class QueryError(HldgraphError):
    """A SPARQL request that cannot be answered as asked (4xx), or a limit hit (503)."""

    status = 400
