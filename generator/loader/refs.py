"""`$ref` resolution, sandboxed: local pointers, relative files, and (only when asked) remote documents.

A reference is followed to the value it names and the `Source` (file + pointer) that value lives at, so that
every later problem can point into the right file. Files are read once and cached. A reference that leaves
the root document's folder is refused unless that folder was explicitly allowed; nothing is fetched over the
network unless remote references were allowed.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.loader.reader import ReadFile, parse_text, read_file
from generator.location import Pointer, Source, pointer_text, unescape_token
from generator.problems import Problem

REMOTE_SCHEMES = ("http://", "https://")


class RefError(Exception):
    """A reference that cannot be followed; the message is one plain sentence."""


def parse_pointer(fragment: str) -> list[str]:
    """Split a URI fragment holding a JSON pointer into unescaped tokens (`~1` -> `/`, `~0` -> `~`)."""
    fragment = urllib.parse.unquote(fragment)
    if fragment in ("", "/"):
        return []
    if not fragment.startswith("/"):
        raise RefError(f"'#{fragment}' is not a JSON pointer (it must start with '/')")
    return [unescape_token(t) for t in fragment[1:].split("/")]


def walk_pointer(value: Any, tokens: list[str]) -> tuple[Any, Pointer]:
    """The value at `tokens` inside `value`, with list indices turned into ints."""
    pointer: list[str | int] = []
    for token in tokens:
        if isinstance(value, dict):
            if token not in value:
                where = pointer_text(tuple(pointer)) or "the document root"
                raise RefError(f"'{token}' not found under {where}")
            value = value[token]
            pointer.append(token)
        elif isinstance(value, list):
            if not token.isdigit() or int(token) >= len(value):
                raise RefError(f"index '{token}' out of range in {pointer_text(tuple(pointer))}")
            value = value[int(token)]
            pointer.append(int(token))
        else:
            raise RefError(f"cannot descend into a {type(value).__name__} at '{token}'")
    return value, tuple(pointer)


@dataclass
class RefPolicy:
    """What references may reach: the root document's folder, extra folders, and the network."""

    root_dir: Path
    allow_outside: tuple[Path, ...] = ()
    allow_remote: bool = False

    def permits(self, path: Path) -> bool:
        resolved = path.resolve()
        return any(resolved.is_relative_to(d.resolve()) for d in (self.root_dir, *self.allow_outside))


@dataclass
class Resolver:
    """Follows `$ref`s from one root file, reading each referenced file once."""

    root: ReadFile
    policy: RefPolicy
    files: dict[str, ReadFile] = field(default_factory=dict)
    #: Files that failed to read, with the problem, so each is reported once.
    broken: dict[str, Problem] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.files[str(self.root.path)] = self.root

    def file(self, name: str) -> ReadFile:
        if name in self.files:
            return self.files[name]
        read: ReadFile | Problem | None = self.broken.get(name)
        if read is None:
            read = self._fetch(name) if name.startswith(REMOTE_SCHEMES) else read_file(Path(name))
        if isinstance(read, Problem):
            self.broken[name] = read
            line = f" (line {read.line})" if read.line else ""
            raise RefError(f"referenced file {name}: {read.what}{line}")
        self.files[name] = read
        return read

    def _display_name(self, path: Path) -> str:
        """One name per file, as the user would write it: the root as given, others relative to cwd."""
        resolved = path.resolve()
        if resolved == self.root.path.resolve():
            return str(self.root.path)
        try:
            return str(resolved.relative_to(Path.cwd()))
        except ValueError:
            return str(resolved)

    def _fetch(self, url: str) -> ReadFile | Problem:
        import urllib.request

        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                text = response.read().decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            return Problem(file=url, what=f"cannot fetch: {error}")
        return parse_text(Path(urllib.parse.urlparse(url).path or "remote.yaml"), text)

    def target(self, ref: str, base: Source) -> Source:
        """The source a reference names, checked against the policy; through any `$ref` on the way to it
        (`_through_refs`)."""
        return self._through_refs(self._named(ref, base), ())

    def _through_refs(self, target: Source, seen: tuple[Source, ...]) -> Source:
        """`target`, or where it is when a `$ref` stands on the way to it: `#/channels/echo/messages/echo`,
        with channel `echo` a `$ref` to `./channels.yml#/channels/echo`, names that file's
        `/channels/echo/messages/echo` (as AsyncAPI tools read it, and the spec's own examples write it). A
        target that cannot be reached is left to `follow` to report."""
        try:
            value = self.file(target.file).value
        except RefError:
            return target
        for index, token in enumerate(target.pointer):
            if isinstance(value, dict) and token not in value and isinstance(value.get("$ref"), str):
                here = Source(target.file, target.pointer[:index])
                if here in seen:
                    raise RefError(f"cyclic $ref on the way to {pointer_text(target.pointer)}")
                hop = self._named(value["$ref"], here)
                rest = Source(hop.file, (*hop.pointer, *target.pointer[index:]))
                return self._through_refs(rest, (*seen, here))
            if isinstance(value, dict) and token in value:
                value = value[token]
            elif isinstance(value, list) and str(token).isdigit() and int(token) < len(value):
                value = value[int(token)]
            else:
                return target
        return target

    def _named(self, ref: str, base: Source) -> Source:
        """The source a reference names, checked against the policy, without reading it."""
        if not isinstance(ref, str):
            raise RefError(f"$ref must be a string, not {type(ref).__name__}")
        location, _, fragment = ref.partition("#")
        if not location:
            name = base.file
        elif location.startswith(REMOTE_SCHEMES) or base.file.startswith(REMOTE_SCHEMES):
            name = urllib.parse.urljoin(base.file, location)
            if not self.policy.allow_remote:
                raise RefError(f"remote reference '{ref}' refused (use --allow-remote-refs to fetch it)")
        elif "://" in location:
            raise RefError(f"unsupported reference scheme in '{ref}'")
        else:
            path = Path(base.file).parent / urllib.parse.unquote(location)
            if not self.policy.permits(path):
                raise RefError(
                    f"reference '{ref}' leaves the document's folder "
                    f"(use --allow-ref-outside DIR to permit it)"
                )
            name = self._display_name(path)
        tokens = parse_pointer(fragment)
        return Source(name, tuple(tokens))

    def follow(self, ref: str, base: Source) -> tuple[Any, Source]:
        """The value a reference names and where it is."""
        target = self.target(ref, base)
        document = self.file(target.file).value
        value, pointer = walk_pointer(document, [str(t) for t in target.pointer])
        return value, Source(target.file, pointer)
