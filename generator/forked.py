"""Work done in a forked child while this process goes on: its result comes back over a pipe, or nothing.

Used where a slow, pure computation can overlap with the rest of a command on the second core (sample
events while `gen docs` renders pages; datamodel-code-generator's import while `gen handlers` loads the
document). Callers always have the same computation to fall back on: a child that cannot be started, dies
or raises just gives `None`, and the work is done in this process, with the same result.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any


def can_fork() -> bool:
    """Fork only where it is safe: Linux, and no other thread running (a fork copies only this one)."""
    return (
        sys.platform == "linux"
        and threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
    )


class Forked:
    """`function(*args)` (or, with `inbox`, `function(receive, *args)`) computed in a forked child."""

    def __init__(self, process: BaseProcess, pipe: Connection) -> None:
        self._process = process
        self._pipe: Connection | None = pipe

    @classmethod
    def start(cls, function: Callable[..., Any], *args: Any, inbox: bool = False) -> Forked | None:
        """The running child, or None where forking is not safe or fails. With `inbox`, the function gets
        a `receive()` first, which waits for what `send` passes (so it can prepare before it is needed)."""
        if not can_fork():
            return None
        context = multiprocessing.get_context("fork")
        ours, theirs = context.Pipe(duplex=inbox)
        process = context.Process(target=_child, args=(theirs, function, args, inbox), daemon=True)
        try:
            process.start()
        except OSError:
            return None
        theirs.close()
        return cls(process, ours)

    def send(self, value: Any) -> None:
        """Hand `value` to the child's `receive()` (a child that is gone simply gives no result)."""
        if self._pipe is not None:
            with contextlib.suppress(OSError):
                self._pipe.send(value)

    def result(self) -> Any:
        """What the child returned, or None if it failed; waits for it. Only the first call gets it."""
        pipe, self._pipe = self._pipe, None
        if pipe is None:
            return None
        try:
            return pipe.recv()
        except (EOFError, OSError):
            return None
        finally:
            pipe.close()
            self._process.join()

    def cancel(self) -> None:
        """Stop the child if its result was never collected (the run failed before it needed it)."""
        pipe, self._pipe = self._pipe, None
        if pipe is not None:
            self._process.terminate()
            self._process.join()
            pipe.close()


def _child(pipe: Connection, function: Callable[..., Any], args: tuple[Any, ...], inbox: bool) -> None:
    try:
        pipe.send(function(pipe.recv, *args) if inbox else function(*args))
    except BaseException:
        pass  # the parent gets no result and does the work itself, raising what there is to raise
    finally:
        pipe.close()
