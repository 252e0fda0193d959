"""`collector_paused`: the cyclic garbage collector is off inside, back on (and has run) afterwards."""
import gc

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

    with collector_paused():
        before = gc.get_count()[0]
        for _ in range(5000):
            a, b = Node(), Node()
            a.other, b.other = b, a  # a cycle: only the cyclic collector frees it
        assert gc.get_count()[0] > before + 5000  # no collection ran while paused
        del a, b
    assert not [o for o in gc.get_objects() if isinstance(o, Node)]


def test_nested_pauses_leave_it_to_the_outer_one():
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
