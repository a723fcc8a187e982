"""Applying message and operation traits, with each AsyncAPI version's merge rule.

- 2.x: "Traits MUST be merged into the message object using the JSON Merge Patch algorithm in the same order
  they are defined": each trait is a merge patch applied on top of the object, so a trait's value wins.
- 3.x: "If a property is defined in both the trait and the target object, the target object's value takes
  precedence": traits are merged in order, then the object's own fields are laid over them.

Each merge also says where each value of the result is written (its `Origin`): a problem in headers that a
trait brings is placed in the trait's headers, not in the message's, which has none.
"""

from __future__ import annotations

from typing import Any

from generator.location import Pointer, Source

#: Where a merged value is written: a `Source` when it was taken whole from one object, else (mappings of
#: several objects merged key by key) where each of its keys is.
Origin = Source | dict[Any, "Origin"]


def origin_at(origin: Origin, pointer: Pointer) -> Source | None:
    """Where the value at `pointer` in a merged value is written; None for a mapping merged from several."""
    for index, step in enumerate(pointer):
        if isinstance(origin, Source):
            return origin.child(*pointer[index:])
        if step not in origin:
            return None
        origin = origin[step]
    return origin if isinstance(origin, Source) else None


def _of_key(origin: Origin, key: Any) -> Origin:
    return origin.child(key) if isinstance(origin, Source) else origin[key]


def merge_patch(target: Any, at: Origin, patch: Any, patch_at: Origin) -> tuple[Any, Origin]:
    """RFC 7386 JSON Merge Patch: `null` in the patch removes a key; with where the result's values are."""
    if not isinstance(patch, dict):
        return patch, patch_at
    replaced = not isinstance(target, dict)
    result = {} if replaced else dict(target)
    origins = {} if replaced else {key: _of_key(at, key) for key in target}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
            origins.pop(key, None)
        else:
            result[key], origins[key] = merge_patch(
                result.get(key), origins.get(key, {}), value, _of_key(patch_at, key)
            )
    if replaced and result == patch:  # no null to remove: the patch itself, where it is written
        return result, patch_at
    return result, origins


def overlay(low: Any, low_at: Origin, high: Any, high_at: Origin) -> tuple[Any, Origin]:
    """Deep merge where `high` wins and its explicit nulls are kept (3.x's target-wins rule); with where the
    result's values are."""
    if not (isinstance(low, dict) and isinstance(high, dict)):
        return high, high_at
    result = dict(low)
    origins = {key: _of_key(low_at, key) for key in low}
    for key, value in high.items():
        if key in low:
            result[key], origins[key] = overlay(low[key], origins[key], value, _of_key(high_at, key))
        else:
            result[key], origins[key] = value, _of_key(high_at, key)
    return result, origins


def apply_traits(
    obj: dict[str, Any], source: Source, traits: list[tuple[dict[str, Any], Source]], major: int
) -> tuple[dict[str, Any], Origin]:
    """The object at `source` with its (already resolved) traits merged in, each given with where it is
    written, without its `traits` field; and where each of the result's values is written."""
    own = {key: value for key, value in obj.items() if key != "traits"}
    if major == 2:
        merged: Any = own
        origin: Origin = source
        for trait, trait_source in traits:
            merged, origin = merge_patch(merged, origin, trait, trait_source)
        return dict(merged), origin
    combined: Any = {}
    combined_at: Origin = {}
    for trait, trait_source in traits:
        combined, combined_at = overlay(combined, combined_at, trait, trait_source)
    merged, origin = overlay(combined, combined_at, own, source)
    return dict(merged), origin
