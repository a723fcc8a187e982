"""Sample events in your own tests, from an AsyncAPI document.

Plain helpers::

    from generator.testing import parametrize_events, parametrize_invalid_events

    @parametrize_events("asyncapi.yaml", "S3Event", count=25)
    def test_handler_accepts(event):
        handler(event, None)

    @parametrize_invalid_events("asyncapi.yaml", "S3Event", count=10)
    def test_handler_rejects(invalid):
        with pytest.raises(ValidationError):
            handler(invalid.event, None)  # `invalid.broken` names the rule it breaks

or the `gen_samples` fixture (registered as a pytest plugin), whose `events(...)` and `invalid(...)` take
the same arguments as `generator.samples` and `generator.sampling.invalid_samples`. Documents are loaded once
per test session; events are the same for the same seed, run after run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.sampling import InvalidSample, invalid_samples, samples

if TYPE_CHECKING:
    import pytest

    from generator.model import Document

__all__ = [
    "SampleFactory",
    "gen_samples",
    "invalid_events",
    "parametrize_events",
    "parametrize_invalid_events",
    "sample_events",
]


@lru_cache(maxsize=32)
def _document(path: Path, modified: float) -> Document:
    from generator.loader import load

    del modified  # part of the cache key only: an edited document is loaded again
    return load(path)


def _loaded(spec: str | Path | Document) -> Document:
    from generator.model import Document

    if isinstance(spec, Document):
        return spec
    path = Path(spec).resolve()
    return _document(path, path.stat().st_mtime)


def sample_events(
    spec: str | Path | Document,
    message: str,
    *,
    count: int = 20,
    seed: int = 0,
    parameters: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    examples: bool = True,
    example: str | None = None,
) -> list[Any]:
    """The message's examples and `count` synthesized events, every one valid (see `generator.samples`)."""
    return samples(
        _loaded(spec),
        message,
        count=count,
        seed=seed,
        parameters=parameters,
        overrides=overrides,
        examples=examples,
        example=example,
    )


def invalid_events(
    spec: str | Path | Document,
    message: str,
    *,
    count: int = 20,
    seed: int = 0,
    parameters: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> list[InvalidSample]:
    """`count` near misses, each breaking exactly the rule `.broken` names."""
    return invalid_samples(
        _loaded(spec), message, count=count, seed=seed, parameters=parameters, overrides=overrides
    )


def parametrize_events(
    spec: str | Path | Document, message: str, *, argname: str = "event", **options: Any
) -> pytest.MarkDecorator:
    """`pytest.mark.parametrize` over `sample_events(spec, message, **options)`, one test per event."""
    import pytest

    events = sample_events(spec, message, **options)
    return pytest.mark.parametrize(argname, events, ids=[f"{message}-{n}" for n in range(1, len(events) + 1)])


def parametrize_invalid_events(
    spec: str | Path | Document, message: str, *, argname: str = "invalid", **options: Any
) -> pytest.MarkDecorator:
    """`pytest.mark.parametrize` over near misses; test ids name the broken rule (`required@/Records/0`)."""
    import pytest

    found = invalid_events(spec, message, **options)
    ids = [
        f"{message}-{s.broken.keyword}@{s.broken.pointer or '/'}-{n}" for n, s in enumerate(found, start=1)
    ]
    return pytest.mark.parametrize(argname, found, ids=ids)


@dataclass(frozen=True)
class SampleFactory:
    """What the `gen_samples` fixture gives a test: `events(...)` and `invalid(...)` for any document."""

    def events(self, spec: str | Path | Document, message: str, **options: Any) -> list[Any]:
        return sample_events(spec, message, **options)

    def invalid(self, spec: str | Path | Document, message: str, **options: Any) -> list[InvalidSample]:
        return invalid_events(spec, message, **options)


def _fixture() -> Any:
    import pytest

    @pytest.fixture(name="gen_samples")
    def gen_samples() -> SampleFactory:
        """Sample events from AsyncAPI documents: `gen_samples.events(spec, "S3Event", count=5)`."""
        return SampleFactory()

    return gen_samples


#: The fixture, found by pytest when this module is loaded as a plugin (`-p generator.testing`, or the
#: `pytest11` entry point the package declares) or imported into a conftest.py.
gen_samples = _fixture()
