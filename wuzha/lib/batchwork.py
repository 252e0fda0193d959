"""Batch work that allocates a great many short-lived objects: Python's cyclic garbage collector paused.

A batch of the assessment (100 villages) makes about a million objects (scan rows, obligation entries, results,
JSON); almost all are freed by reference counting, but every 700 allocations the cyclic collector runs and scans
the young objects, and the older generations again and again while the batch grows. At county scale that was
~780 collections and 0.6 s of a 2.4 s batch CPU time. Paused for the batch, one collection runs when it ends;
what the batch holds is bounded by the batch, so memory is too.
"""
import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """Pause the cyclic collector for a bounded piece of work; restore it (and collect once) afterwards."""
    if not gc.isenabled():  # nested, or paused by the caller: leave it to the outer one
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(1)  # the batch's young cycles; the oldest generation keeps its own schedule
