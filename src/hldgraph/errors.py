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
    """A data table is wrong; the message names the file, the line (1 is the header) and the id.

    ``row`` is the line number in the file (kept under its old name for callers).
    """

    def __init__(self, file: str, row: int | None, message: str, id: str | None = None) -> None:
        where = file if row is None else f"{file}, line {row}"
        if id:
            where += f" (id {id})"
        super().__init__(f"{where}: {message}")
        self.file, self.row, self.id = file, row, id


class DataErrors(DataError):
    """Several data errors found in one run, each on a line of the message."""

    def __init__(self, errors: list[DataError], more: int = 0) -> None:
        lines = [e.message for e in errors]
        if more:
            lines.append(f"… and {more} more")
        HldgraphError.__init__(self, f"{len(errors) + more} problem(s) in the data tables:\n"
                               + "\n".join(lines))
        self.errors = errors
        self.file, self.row, self.id = errors[0].file, errors[0].row, errors[0].id


class ValidationFailed(HldgraphError):
    """The graph does not conform to the SHACL shapes."""

    def __init__(self, report_text: str, violations: int) -> None:
        super().__init__(f"{violations} SHACL violation(s)\n{report_text}")
        self.report_text, self.violations = report_text, violations


class QueryError(HldgraphError):
    """A SPARQL request that cannot be answered as asked (4xx), or a limit hit (503)."""

    status = 400
