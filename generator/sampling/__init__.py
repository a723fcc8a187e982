"""Sample events for a document's messages: examples, synthesized events and near misses (`gen samples`).

The package is not named `samples` because `generator.samples` is the function.
"""

from __future__ import annotations

from generator.sampling.api import (
    SampleOptions,
    SampleSet,
    invalid_samples,
    message_parameters,
    sample_set,
    samples,
)
from generator.sampling.mutations import BrokenRule, InvalidSample
from generator.sampling.parameters import SampleParameter

__all__ = [
    "BrokenRule",
    "InvalidSample",
    "SampleOptions",
    "SampleParameter",
    "SampleSet",
    "invalid_samples",
    "message_parameters",
    "sample_set",
    "samples",
]
