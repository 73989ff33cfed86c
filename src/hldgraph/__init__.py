"""hldgraph: the 2006 UN High-Level Dialogue on Migration and Development as linked open data."""

__version__ = "0.1.0"
