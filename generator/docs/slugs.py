"""Page file names: stable, safe, unique slugs for the channels, messages and schemas of a document.

A name from the document (`../evil name`, `S3Event`, `orders.{region}`) becomes a lowercase ASCII slug of
letters, digits and single dashes, so a page never lands outside its folder, never collides on a
case-insensitive file system and reads well in a URL. Names that reduce to the same slug are numbered in
document order (`order`, `order-2`), so the same document always gives the same file names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_MAX_LENGTH = 60
# `index` would be the folder's own page; the others are names Windows refuses.
_RESERVED = frozenset({"index", "con", "prn", "aux", "nul", "com1", "lpt1"})


def slugify(name: str, *, fallback: str = "item") -> str:
    """`S3Event` -> `s3-event`, `SQSEvent` -> `sqs-event`, `../evil name <b>` -> `evil-name-b`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    spaced = _CAMEL.sub("-", ascii_name).lower()
    slug = _NOT_SLUG.sub("-", spaced).strip("-")[:_MAX_LENGTH].strip("-")
    if not slug:
        return fallback
    return f"{slug}-page" if slug in _RESERVED else slug


@dataclass(frozen=True)
class Pages:
    """Where each channel, message and schema page is, relative to the docs folder: `messages/s3-event.md`."""

    channels: dict[str, str]
    messages: dict[str, str]
    schemas: dict[str, str]
    #: the page listing every named schema (their pages stay out of the navigation: there can be hundreds)
    schema_index: str = "schemas/index.md"

    @classmethod
    def plan(cls, *, channels: Iterable[str], messages: Iterable[str], schemas: Iterable[str]) -> Pages:
        return cls(
            channels=_unique("channels", channels, "channel"),
            messages=_unique("messages", messages, "message"),
            schemas=_unique("schemas", schemas, "schema"),
        )

    def all(self) -> list[str]:
        return [*self.channels.values(), *self.messages.values(), *self.schemas.values()]


def _unique(folder: str, names: Iterable[str], fallback: str) -> dict[str, str]:
    taken: set[str] = set()
    paths: dict[str, str] = {}
    for name in names:
        base = slugify(name, fallback=fallback)
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        paths[name] = f"{folder}/{slug}.md"
    return paths
