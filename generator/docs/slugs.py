"""Page names and anchors: stable, safe, unique slugs for the channels, messages and schemas of a document.

A name from the document (`../evil name`, `S3Event`, `orders.{region}`) becomes a lowercase ASCII slug of
letters, digits and single dashes, so a page never lands outside its folder, never collides on a
case-insensitive file system and reads well in a URL. Names that reduce to the same slug are numbered in
document order (`order`, `order-2`), so the same document always gives the same file names.

Channels and messages get a page each; named schemas get a section each on the one Schemas page (a document
can have hundreds, and every page costs the build its theme and navigation), so a schema's place is an anchor.
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


#: The page holding every named schema, a section each.
SCHEMA_INDEX = "schemas.md"
#: Schema anchors start with this, so none can be the id of one of the page's own headings.
SCHEMA_ANCHOR_PREFIX = "schema-"


@dataclass(frozen=True)
class Pages:
    """Where each channel and message page is, relative to the docs folder (`messages/s3-event.md`), and where
    each named schema's section is (`schemas.md#schema-s3-record`)."""

    channels: dict[str, str]
    messages: dict[str, str]
    schemas: dict[str, str]  # name -> link target: the Schemas page and the section's anchor
    schema_index: str = SCHEMA_INDEX

    @classmethod
    def plan(cls, *, channels: Iterable[str], messages: Iterable[str], schemas: Iterable[str]) -> Pages:
        anchors = _unique(schemas, "schema")
        return cls(
            channels={name: f"channels/{slug}.md" for name, slug in _unique(channels, "channel").items()},
            messages={name: f"messages/{slug}.md" for name, slug in _unique(messages, "message").items()},
            schemas={name: f"{SCHEMA_INDEX}#{SCHEMA_ANCHOR_PREFIX}{slug}" for name, slug in anchors.items()},
        )

    def schema_anchor(self, name: str) -> str:
        """The id of a named schema's section on the Schemas page."""
        return self.schemas[name].partition("#")[2]

    def all(self) -> list[str]:
        """Every link target: the channel and message pages and the schema sections."""
        return [*self.channels.values(), *self.messages.values(), *self.schemas.values()]


def _unique(names: Iterable[str], fallback: str) -> dict[str, str]:
    taken: set[str] = set()
    slugs: dict[str, str] = {}
    for name in names:
        base = slugify(name, fallback=fallback)
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        slugs[name] = slug
    return slugs
