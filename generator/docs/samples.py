"""The generated sample event shown on each message page: the one place `gen docs` calls `gen samples`.

Synthesizing events costs about as much as the whole MkDocs build (hypothesis' start-up, schema
canonicalisation), so `SampleJob` computes them in a forked child process while this one renders the other
pages and loads MkDocs. Fork is used only where it is safe (Linux, no other thread running); otherwise, or if
the child fails in any way, the samples are computed here, with the same results and the same errors.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from generator.docs.pages import SampleEvent
from generator.model import Document, Message
from generator.problems import GenError

SEED = 0  # a fixed seed: the same document always gives the same pages


def sample_event(document: Document, message: Message) -> SampleEvent:
    """One synthesized event (not an example: those are shown as written), or why there is none."""
    if message.payload is None:
        return SampleEvent(unavailable="the message declares no payload")
    if not message.payload.is_json_schema:
        return SampleEvent(
            unavailable=f"the payload schema format {message.payload.schema_format!r} is not JSON Schema"
        )
    from generator.sampling import samples

    try:
        events = samples(document, message.name, count=1, seed=SEED, examples=False)
    except GenError as error:
        return SampleEvent(unavailable="; ".join(p.what for p in error.problems))
    if not events:
        return SampleEvent(unavailable="the payload schema admits no value")
    return SampleEvent(event=events[0])


def all_sample_events(document: Document) -> dict[str, SampleEvent]:
    return {name: sample_event(document, message) for name, message in document.messages.items()}


def _can_fork() -> bool:
    return (
        sys.platform == "linux"
        and threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
    )


def _child(document: Document, results: Connection) -> None:
    try:
        results.send(all_sample_events(document))
    except BaseException:
        pass  # the parent gets no result and computes the samples itself, raising what there is to raise
    finally:
        results.close()


class SampleJob:
    """Sample events for every message of a document, started now and collected when first asked for."""

    def __init__(self, document: Document, *, background: bool = True) -> None:
        self._document = document
        self._results: dict[str, SampleEvent] | None = None
        self._child: tuple[BaseProcess, Connection] | None = None
        if background and _can_fork():
            context = multiprocessing.get_context("fork")
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_child, args=(document, send), daemon=True)
            process.start()
            send.close()
            self._child = (process, receive)

    @property
    def in_background(self) -> bool:
        return self._child is not None

    def __call__(self, message: Message) -> SampleEvent:
        if self._results is None:
            self._results = self._collect()
        return self._results.get(message.name) or sample_event(self._document, message)

    def _collect(self) -> dict[str, SampleEvent]:
        results = None
        if self._child is not None:
            process, receive = self._child
            self._child = None
            try:
                results = receive.recv()
            except (EOFError, OSError):
                results = None
            finally:
                receive.close()
                process.join()
        return results if isinstance(results, dict) else all_sample_events(self._document)

    def close(self) -> None:
        """Stop the child if its samples were never collected (the run failed before it needed them)."""
        if self._child is not None:
            process, receive = self._child
            self._child = None
            process.terminate()
            process.join()
            receive.close()
