"""Excel import and export of ledgers: declare a `Ledger`, register it, and the engine does the rest.

See README.md ("Import and export") for how another app plugs its ledger in.
"""
from .base import Column, Ledger, Planned, RowError, registry

__all__ = ["Column", "Ledger", "Planned", "RowError", "registry"]
