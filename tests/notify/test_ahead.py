"""The sending threads of an email job run a bounded distance ahead of the thread that records
what they sent, and stop with it: what bounds the messages a killed worker sends twice."""

import threading
import time

import pytest

from clearline.notify.emails import ahead


def counting(produced: list[int], count: int):
    for n in range(count):
        produced.append(n)
        yield n


def tagging(tag: str, count: int):
    for n in range(count):
        yield tag, n


def sending_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "clearline-send"]


def test_the_threads_run_at_most_depth_items_ahead_of_the_caller():
    produced: list[int] = []
    items = ahead([counting(produced, 1000), counting(produced, 1000)], depth=3)
    arrived = next(items)
    time.sleep(0.2)  # time enough to run far ahead, were they not held
    assert 1 <= len(arrived) <= len(produced) <= 3
    items.close()
    assert sending_threads() == []


def test_every_item_arrives_once_in_the_order_each_thread_made_them():
    tagged = [tagging("a", 50), tagging("b", 70)]
    got = [item for batch in ahead(tagged, depth=4) for item in batch]
    assert [n for tag, n in got if tag == "a"] == list(range(50))
    assert [n for tag, n in got if tag == "b"] == list(range(70))
    assert sending_threads() == []


def test_an_error_in_a_thread_reaches_the_caller_after_what_was_made_before_it():
    def failing():
        yield "sent"
        raise ConnectionResetError("the server went away")

    items = ahead([failing()], depth=2)
    got = []
    with pytest.raises(ConnectionResetError):
        for batch in items:
            got += batch
    assert got == ["sent"]
    assert sending_threads() == []
