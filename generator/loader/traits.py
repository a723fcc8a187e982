"""Applying message and operation traits, with each AsyncAPI version's merge rule.

- 2.x: "Traits MUST be merged into the message object using the JSON Merge Patch algorithm in the same order
  they are defined": each trait is a merge patch applied on top of the object, so a trait's value wins.
- 3.x: "If a property is defined in both the trait and the target object, the target object's value takes
  precedence": traits are merged in order, then the object's own fields are laid over them.
"""

from __future__ import annotations

from typing import Any


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON Merge Patch: `null` in the patch removes a key."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def overlay(low: Any, high: Any) -> Any:
    """Deep merge where `high` wins and its explicit nulls are kept (3.x's target-wins rule)."""
    if not (isinstance(low, dict) and isinstance(high, dict)):
        return high
    result = dict(low)
    for key, value in high.items():
        result[key] = overlay(low.get(key), value) if key in low else value
    return result


def apply_traits(obj: dict[str, Any], traits: list[dict[str, Any]], major: int) -> dict[str, Any]:
    """The object with its (already resolved) traits merged in, without its `traits` field."""
    own = {key: value for key, value in obj.items() if key != "traits"}
    if major == 2:
        merged: Any = own
        for trait in traits:
            merged = merge_patch(merged, trait)
        return dict(merged)
    combined: dict[str, Any] = {}
    for trait in traits:
        combined = overlay(combined, trait)
    return dict(overlay(combined, own))
