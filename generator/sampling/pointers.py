"""JSON Pointers (RFC 6901) into events: parse, read and write, creating the containers a write needs."""

from __future__ import annotations

from typing import Any

from generator.location import pointer_text, unescape_token


class PointerError(ValueError):
    """A pointer that is malformed, or that cannot be followed or written in a given event."""


def parse_pointer(pointer: str) -> tuple[str, ...]:
    """`/Records/0/s3` -> `("Records", "0", "s3")`, unescaping `~1` and `~0`; `""` is the whole document."""
    if pointer == "":
        return ()
    if not pointer.startswith("/"):
        raise PointerError(f"JSON pointer {pointer!r} must start with '/'")
    tokens = pointer[1:].split("/")
    for token in tokens:
        if "~" in token.replace("~0", "").replace("~1", ""):
            raise PointerError(f"JSON pointer {pointer!r} has a '~' not followed by 0 or 1")
    return tuple(unescape_token(t) for t in tokens)


def _index(token: str, length: int, *, for_write: bool) -> int:
    if token == "-" and for_write:
        return length
    if not token.isdigit() or (len(token) > 1 and token.startswith("0")):
        raise PointerError(f"{token!r} is not an array index")
    index = int(token)
    if index > length or (index == length and not for_write):
        raise PointerError(f"index {index} is past the end of an array of {length}")
    return index


def get(document: Any, tokens: tuple[str, ...]) -> Any:
    """The value at `tokens`; `PointerError` when a step does not exist."""
    current = document
    for depth, token in enumerate(tokens):
        if isinstance(current, dict):
            if token not in current:
                raise PointerError(f"no member {token!r} at {pointer_text(tokens[:depth]) or '/'}")
            current = current[token]
        elif isinstance(current, list):
            current = current[_index(token, len(current), for_write=False)]
        else:
            raise PointerError(f"{pointer_text(tokens[:depth]) or '/'} is not an object or array")
    return current


def put(document: Any, tokens: tuple[str, ...], value: Any) -> Any:
    """Write `value` at `tokens` in place and return the document (a new one when `tokens` is empty).

    Missing (or null) object members on the way are created as objects; an array index may be the length
    of the array (or `-`) to append. Anything else that does not exist is a `PointerError`.
    """
    if not tokens:
        return value
    current = document
    for depth, token in enumerate(tokens[:-1]):
        if isinstance(current, dict):
            if current.get(token) is None:  # missing, or null (API Gateway's absent `pathParameters`)
                current[token] = {}
            current = current[token]
        elif isinstance(current, list):
            index = _index(token, len(current), for_write=True)
            if index == len(current):
                current.append({})
            current = current[index]
        else:
            raise PointerError(f"{pointer_text(tokens[: depth + 1])}: its parent is not an object or array")
    last = tokens[-1]
    if isinstance(current, dict):
        current[last] = value
    elif isinstance(current, list):
        index = _index(last, len(current), for_write=True)
        if index == len(current):
            current.append(value)
        else:
            current[index] = value
    else:
        raise PointerError(f"{pointer_text(tokens)}: its parent is not an object or array")
    return document


WILDCARD = "*"


def expand(document: Any, tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The concrete pointers a pointer with `*` steps reaches in `document` (`*`: every item or member).

    `/Records/*/awsRegion` names the field in every record the event has; a `*` over a missing or
    empty container reaches nothing. A pointer without `*` is returned as it is.
    """
    if WILDCARD not in tokens:
        return [tokens]
    star = tokens.index(WILDCARD)
    try:
        container = get(document, tokens[:star])
    except PointerError:
        return []
    if isinstance(container, list):
        keys = [str(index) for index in range(len(container))]
    elif isinstance(container, dict):
        keys = list(container)
    else:
        return []
    found: list[tuple[str, ...]] = []
    for key in keys:
        found.extend(expand(document, (*tokens[:star], key, *tokens[star + 1 :])))
    return found
