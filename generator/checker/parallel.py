"""`--jobs N`: events checked in N worker processes, results in input order, memory bounded.

The main process reads (JSON Lines stay raw bytes, so parsing happens in the workers too) and sends chunks
of events; each worker holds its own `Checker`, inherited at fork or rebuilt from the document's path. At
most a few chunks per worker are in flight, so a huge input is never queued whole (`Pool.imap` would read
its whole input ahead).
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterator
from itertools import islice
from typing import Any

from generator.checker.engine import Checker, Options
from generator.checker.result import EventResult
from generator.checker.sources import Item

CHUNK = 1000
IN_FLIGHT_PER_WORKER = 4

_checker: Checker | None = None


def _start(
    inherited: Checker | None, spec: str | None, options: Options, load_options: dict[str, Any]
) -> None:
    global _checker
    if inherited is not None:
        _checker = inherited
        return
    from generator.loader import load

    assert spec is not None
    _checker = Checker(load(spec, **load_options), options)


def _check_chunk(chunk: list[Item]) -> list[EventResult]:
    assert _checker is not None
    return [_checker.check(source, payload) for source, payload in chunk]


def check_in_parallel(checker: Checker, items: Iterator[Item], workers: int) -> Iterator[EventResult]:
    context: Any
    if "fork" in multiprocessing.get_all_start_methods():
        # The workers inherit the checker as it is: no reloading, and documents given as objects work.
        context = multiprocessing.get_context("fork")
        initargs: tuple[Any, ...] = (checker, None, checker.options, {})
    else:
        context = multiprocessing.get_context("spawn")
        initargs = (None, str(checker.document.path), checker.options, {})
    global _checker
    _checker = None
    with context.Pool(workers, initializer=_start, initargs=initargs) as pool:
        pending: deque[Any] = deque()
        chunks = iter(lambda: list(islice(items, CHUNK)), [])
        for chunk in chunks:
            pending.append(pool.apply_async(_check_chunk, (chunk,)))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
