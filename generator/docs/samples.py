"""The generated sample event shown on each message page: the one place `gen docs` calls `gen samples`.

Synthesizing events costs about as much as the whole MkDocs build (hypothesis' start-up, strategies for
patterns, schema canonicalisation), so `SampleJob` computes them in forked child processes, started as soon
as the document is loaded, while this one renders the pages and builds the site, which needs them only at
its very end (`generator.docs.site`). One child leaves a core to the build; with more cores, a large
document's messages are shared between two, balanced by schema size. Every event depends only on its message
and the seed, so how they are shared does not change a byte. Fork is used only where it is safe (Linux, no
other thread running); otherwise, or if a child fails in any way, the missing samples are computed here, with
the same results and errors.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from generator.forked import Forked
from generator.model import Document, Message
from generator.problems import GenError

SEED = 0  # a fixed seed: the same document always gives the same pages


@dataclass(frozen=True)
class SampleEvent:
    """A generated event for a message page, or why there is none."""

    event: Any = None
    unavailable: str | None = None


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


def all_sample_events(document: Document, names: Iterable[str] | None = None) -> dict[str, SampleEvent]:
    """The sample events of the messages named (all by default)."""
    wanted = document.messages if names is None else names
    return {name: sample_event(document, document.messages[name]) for name in wanted}


#: At most this many children (one message's synthesis cannot be split; a few messages are most of the work).
MAX_CHILDREN = 2


def shares(document: Document, count: int) -> list[list[str]]:
    """The messages split into `count` shares of about the same synthesis work (biggest first, each to the
    lightest share); document order within a share."""
    order = {name: index for index, name in enumerate(document.messages)}
    loads = [0] * count
    split: list[list[str]] = [[] for _ in range(count)]
    for name in sorted(order, key=lambda n: (-_work(document.messages[n]), order[n])):
        lightest = loads.index(min(loads))
        loads[lightest] += _work(document.messages[name])
        split[lightest].append(name)
    return [sorted(share, key=order.__getitem__) for share in split if share]


def _work(message: Message) -> int:
    """An estimate of the work of synthesizing one event: it grows with the payload schema, but more slowly
    (measured on the bundled document: a fixed cost per message dominates small schemas)."""
    payload = message.payload
    if payload is None or not payload.is_json_schema:
        return 0
    size = len(json.dumps([payload.root, [named.body for named in payload.defs.values()]], default=str))
    return math.isqrt(size)


#: Estimated work (`_work`) above which a second child pays for its own start-up (importing hypothesis and
#: warming it up, about 0.4 s): the bundled document is about 900, small documents about 100.
SPLIT_ABOVE = 300


def _children_count(document: Document) -> int:
    """One child, or two for a large document when there are cores to spare: a core is left to the build,
    which runs meanwhile (on two cores, a second child would only slow it down)."""
    if sum(_work(message) for message in document.messages.values()) <= SPLIT_ABOVE:
        return 1
    return max(1, min(MAX_CHILDREN, (os.cpu_count() or 1) - 1))


class SampleJob:
    """Sample events for every message of a document, started now and collected when first asked for."""

    def __init__(self, document: Document, *, background: bool = True, children: int | None = None) -> None:
        self._document = document
        self._results: dict[str, SampleEvent] | None = None
        self._children: list[Forked] = []
        if background:
            for share in shares(document, children or _children_count(document)):
                child = Forked.start(all_sample_events, document, share)
                if child is None:
                    break  # cannot fork here: everything is computed in this process when asked
                self._children.append(child)

    @property
    def in_background(self) -> bool:
        return bool(self._children)

    def __call__(self, message: Message) -> SampleEvent:
        if self._results is None:
            self._results = self._collect()
        return self._results.get(message.name) or sample_event(self._document, message)

    def _collect(self) -> dict[str, SampleEvent]:
        """What the children computed (the messages of a child that failed are then computed here)."""
        if not self._children:
            return all_sample_events(self._document)
        results: dict[str, SampleEvent] = {}
        children, self._children = self._children, []
        for child in children:
            share = child.result()
            if isinstance(share, dict):
                results.update(share)
        return results

    def close(self) -> None:
        """Stop the children if their samples were never collected (the run failed before it needed them)."""
        children, self._children = self._children, []
        for child in children:
            child.cancel()
