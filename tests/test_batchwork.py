"""`collector_paused`: the cyclic garbage collector is off inside, back on (and has run) afterwards."""
import gc
import weakref

import pytest

from wuzha.lib.batchwork import collector_paused


def test_the_collector_is_paused_inside_and_restored_after_an_error():
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        with collector_paused():
            assert not gc.isenabled()
            raise RuntimeError("batch failed")
    assert gc.isenabled()


def test_cycles_made_inside_are_collected_when_it_ends():
    class Node:
        pass

    kept = []
    with collector_paused():
        before = gc.get_count()[0]
        for i in range(5000):
            a, b = Node(), Node()
            a.other, b.other = b, a  # a cycle: only the cyclic collector frees it
            if i % 1000 == 0:
                kept.append(weakref.ref(a))
        del a, b
        assert gc.get_count()[0] > before + 5000  # no collection ran while paused
        assert all(ref() is not None for ref in kept)  # the cycles are still there
    assert all(ref() is None for ref in kept)  # collected when the pause ended


def test_nested_pauses_leave_it_to_the_outer_one():
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
