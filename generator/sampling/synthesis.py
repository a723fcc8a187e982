"""Drawing values from a prepared schema with schemathesis' Hypothesis strategies, reproducibly by seed.

Hypothesis is driven the documented way: a `@given` function with `@seed(...)` and settings that turn off
the example database, shrinking and health checks, collecting what it is called with. The same seed gives
the same values in every process (tests prove it across hash seeds).
"""

from __future__ import annotations

import base64
import gzip
import json
import zlib
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from generator.sampling.prepare import ContentFormat, Prepared, SeenValues, look_alike

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy


#: Strings are drawn from printable Latin text (ASCII plus accented letters: "Zoë", "Straße"): readable
#: like real values, while still exercising non-ASCII handling. Patterns and formats bring their own.
_MAX_CODEPOINT = 0x17F
_CONTROL_CHARACTERS = "".join(map(chr, [*range(0x20), *range(0x7F, 0xA1), 0xAD]))  # and NBSP, soft hyphen


class CannotDraw(Exception):
    """hypothesis could not draw from the schema: unsatisfiable, or a keyword it cannot handle."""


def _base_formats() -> dict[str, SearchStrategy[str]]:
    """Realistic values for standard formats (date-time, email, uri, uuid, ipv4, ...), from schemathesis."""
    from schemathesis.specs.openapi.formats import get_default_format_strategies

    formats = {
        name: strategy for name, strategy in get_default_format_strategies().items() if name != "binary"
    }
    formats["date-time"] = _recent_date_times()
    formats["date"] = _recent_date_times().map(lambda text: text[:10])
    return formats


def _recent_date_times() -> SearchStrategy[str]:
    """RFC 3339 date-times from 2015 to 2030 (not year 0137), UTC or offset, some with milliseconds."""
    from datetime import datetime, timedelta, timezone

    from hypothesis import strategies as st

    def render(moment: datetime, offset_minutes: int, millis: int | None) -> str:
        shifted = moment.replace(tzinfo=timezone(timedelta(minutes=offset_minutes)))
        text = shifted.strftime("%Y-%m-%dT%H:%M:%S")
        if millis is not None:
            text += f".{millis:03d}"
        if offset_minutes == 0:
            return text + "Z"
        sign = "+" if offset_minutes > 0 else "-"
        return text + f"{sign}{abs(offset_minutes) // 60:02d}:{abs(offset_minutes) % 60:02d}"

    return st.builds(
        render,
        st.datetimes(min_value=datetime(2015, 1, 1), max_value=datetime(2030, 12, 31, 23, 59, 59)),
        st.sampled_from([0, 0, 0, 60, 120, -300, -420, 330]),
        st.none() | st.integers(0, 999),
    )


def _encoder(content: ContentFormat) -> Callable[[bytes], str]:
    compression = (content.compression or "").lower()
    encoding = content.encoding

    def encode(data: bytes) -> str:
        if encoding is not None and compression == "gzip":
            data = gzip.compress(data, mtime=0)  # mtime=0: the same value gives the same bytes
        elif encoding is not None and compression in ("zlib", "deflate"):
            data = zlib.compress(data)
        if encoding == "base64url":
            return base64.urlsafe_b64encode(data).decode("ascii")
        if encoding == "base64":
            return base64.b64encode(data).decode("ascii")
        return data.decode("utf-8")

    return encode


def strategy_for(prepared: Prepared) -> SearchStrategy[Any]:
    """The strategy drawing values of `prepared.schema`, encoded-content fields included.

    Raises `CannotDraw` when the schema admits no value or uses something the engine cannot generate.
    """
    from hypothesis import strategies as st
    from schemathesis.core.errors import InvalidSchema
    from schemathesis.generation.jsonschema.builder import EMPTY_STRATEGY, build
    from schemathesis.generation.jsonschema.context import Alphabet
    from schemathesis.specs.openapi.formats import format_lengths_for

    formats = _base_formats()
    alphabet = Alphabet(codec="utf-8", max_codepoint=_MAX_CODEPOINT, exclude_characters=_CONTROL_CHARACTERS)

    def from_schema(schema: Any) -> SearchStrategy[Any]:
        try:
            strategy = build(
                schema,
                draft=7,
                formats=formats,
                format_lengths=format_lengths_for(formats),
                alphabet=alphabet,
                whole_floats=False,
            )
        except InvalidSchema as error:
            # its first line says what; the rest dumps the schema, too long for a one-line error
            raise CannotDraw(str(error).strip().splitlines()[0].rstrip(":")) from None
        if strategy is EMPTY_STRATEGY:
            raise CannotDraw("the schema admits no value (its constraints contradict each other)")
        return strategy

    def content_strategy(content: ContentFormat) -> SearchStrategy[str]:
        media = (content.media_type or "").lower()
        data: SearchStrategy[bytes]
        if content.inner is not None:
            data = from_schema(content.inner).map(
                lambda value: json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            )
        elif media.startswith("text/") or content.encoding is None:
            data = st.text(alphabet.as_strategy()).map(lambda text: text.encode("utf-8"))
        else:
            data = st.binary(max_size=64)
        return data.map(_encoder(content))

    for name, seen in prepared.seen_formats.items():
        formats[name] = _seen_strategy(seen)
    for name, content in prepared.content_formats.items():
        # deferred: an inner schema may itself hold encoded fields, whose formats are added in this loop
        formats[name] = st.deferred(lambda content=content: content_strategy(content))  # type: ignore[misc]
    return from_schema(prepared.schema)


def _seen_strategy(seen: SeenValues) -> SearchStrategy[str]:
    """One of the strings seen at a place, or (half the time) a string shaped like one of them."""
    from hypothesis import strategies as st

    values = st.sampled_from(seen.values)
    if not seen.shapes:
        return values
    # One drawn number seeds the look-alike: far cheaper for Hypothesis than a strategy per character run.
    # (`partial`, not a lambda: Hypothesis reads a lambda's source to describe it, which is slow)
    look_alikes = st.integers(min_value=0, max_value=2**32 - 1).map(partial(look_alike, seen.shapes))
    return st.one_of(values, look_alikes)


_BACKEND = "gen-samples"


def _register_backend() -> None:
    """Hypothesis' own provider, minus the constants it collects from whatever local modules are imported.

    Hypothesis mixes string and number literals found in the *caller's* source files into what it draws;
    that would make events depend on which modules happen to be loaded (a user's test suite, ours), not
    only on the seed. Registering a provider is Hypothesis' documented extension point for backends.
    """
    from hypothesis.internal.conjecture import providers

    if _BACKEND in providers.AVAILABLE_PROVIDERS:
        return

    class SeedOnlyProvider(providers.HypothesisProvider):
        def _maybe_draw_constant(self, *args: Any, **kwargs: Any) -> Any:
            return None

    providers.AVAILABLE_PROVIDERS[_BACKEND] = SeedOnlyProvider


def draw(strategy: SearchStrategy[Any], *, count: int, seed: int) -> list[Any]:
    """Up to `count` values from `strategy`, the same ones for the same seed; fewer if it runs dry."""
    from hypothesis import HealthCheck, Phase, Verbosity, given, settings
    from hypothesis import seed as seeded
    from hypothesis.errors import HypothesisException

    _register_backend()
    drawn: list[Any] = []
    run_settings = settings(
        database=None,
        max_examples=max(count, 1),
        deadline=None,
        derandomize=False,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        print_blob=False,
        report_multiple_bugs=False,
        backend=_BACKEND,
    )

    @seeded(seed)
    @run_settings
    @given(strategy)
    def collect(value: Any) -> None:
        drawn.append(value)

    try:
        collect()
    except HypothesisException as error:
        raise CannotDraw(f"{type(error).__name__}: {error}") from None
    return drawn[:count]
