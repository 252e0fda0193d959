"""Scope-crawl registry of the inspections app (see tests/scope_registry.py)."""
OBJECT_IN_VILLAGE: dict = {}
PUBLIC_URL_NAMES: set[str] = set()
