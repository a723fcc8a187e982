"""Where sample events go: pretty JSON on stdout, or one file per event under DIR/<Message>/.

Layout of `-o DIR`::

    DIR/<Message>/1.json, 2.json, ...          valid events: the examples first, then synthesized ones
    DIR/<Message>/invalid/1.json, 1.why, ...   near misses, each with the rule it breaks

An event that is itself a JSON array goes in `<n>.jsonl`, on one line: `gen check` reads a `.json` array as
the events it holds, and a JSON Lines line as one event, so `gen check DOC DIR` checks what was written.

Files are written atomically, and only after every event was made and checked. Numbered files of ours left
from an earlier, larger run are removed, so the folder always holds exactly this run's events.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.files import atomic_write
from generator.sampling.api import SampleSet

_NUMBERED = re.compile(r"^[1-9][0-9]*\.(json|jsonl|why)$")
#: The suffixes of the event files (`event_file`).
EVENT_SUFFIXES = (".json", ".jsonl")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def render(value: Any) -> str:
    """Pretty, deterministic JSON (key order as made, non-ASCII kept readable), ending with a newline."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def event_file(folder: Path, number: int, event: Any) -> tuple[Path, str]:
    """The file of event `number` in `folder` and its text: pretty JSON, or JSON Lines for an array."""
    if isinstance(event, list):
        return folder / f"{number}.jsonl", json.dumps(event, ensure_ascii=False) + "\n"
    return folder / f"{number}.json", render(event)


def folder_name(message_name: str) -> str:
    """A message name made safe as one folder name (document content never picks a path)."""
    name = _UNSAFE.sub("_", message_name).strip("._") or "message"
    return name


def stdout_value(sets: list[SampleSet]) -> Any:
    """What `gen samples` prints without `-o`: one event alone, else a list, keyed by message if several.

    With near misses asked for, a message's value is `{"valid": [...], "invalid": [{"event", "broken"}]}`.
    """

    def one(sample_set: SampleSet, *, alone: bool) -> Any:
        if any_invalid:
            return {
                "valid": sample_set.events,
                "invalid": [{"event": s.event, "broken": s.broken.as_json()} for s in sample_set.invalid],
            }
        if alone and len(sample_set.events) == 1:
            return sample_set.events[0]
        return sample_set.events

    any_invalid = any(s.invalid for s in sets)
    if len(sets) == 1:
        return one(sets[0], alone=True)
    return {s.message.name: one(s, alone=False) for s in sets}


@dataclass(frozen=True)
class Plan:
    """Every file of a run with its content, and the message folders they go to."""

    files: dict[Path, str]
    folders: list[Path]


def plan(sets: list[SampleSet], output_dir: Path) -> Plan:
    """The files of the run, computed before anything is written."""
    files: dict[Path, str] = {}
    folders: list[Path] = []
    used: set[str] = set()
    for sample_set in sets:
        name = folder_name(sample_set.message.name)
        while name.lower() in used:  # two names that sanitize (or case-fold) alike
            name += "_"
        used.add(name.lower())
        folder = output_dir / name
        folders.append(folder)
        for number, event in enumerate(sample_set.events, start=1):
            path, text = event_file(folder, number, event)
            files[path] = text
        for number, invalid in enumerate(sample_set.invalid, start=1):
            path, text = event_file(folder / "invalid", number, invalid.event)
            files[path] = text
            files[folder / "invalid" / f"{number}.why"] = str(invalid.broken) + "\n"
    return Plan(files=files, folders=folders)


def write(planned: Plan) -> None:
    """Write the planned files, then remove numbered files of ours that this run did not make."""
    for path, content in planned.files.items():
        atomic_write(path, content)
    for folder in planned.folders:
        for stale in [*folder.glob("*"), *(folder / "invalid").glob("*")]:
            if stale.is_file() and _NUMBERED.match(stale.name) and stale not in planned.files:
                stale.unlink()
        invalid = folder / "invalid"
        if invalid.is_dir() and not any(invalid.iterdir()):
            invalid.rmdir()
