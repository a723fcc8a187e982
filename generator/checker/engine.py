"""The checker: one event in, one `EventResult` out. Which message (recognition), then what is wrong.

Built once per run from the document: the discriminator table (`generator.recognize`, the algorithm the
generated router uses too) over the document's event messages, or over the messages of one channel; each
message's compiled checks are built on its first event. A pinned message (`--message`) skips recognition.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Literal

import msgspec
import orjson

from generator.checker.exact_json import loads
from generator.checker.facts import ABSENT, Status, rule_status, type_names, typed_resolve
from generator.checker.guesses import (
    means_a_message,
    of_its_type,
    payload_types,
    pinned_values,
)
from generator.checker.messages import MessageCheck, not_an_object
from generator.checker.result import UNREADABLE, EventResult, MessageSummary, Summary, Violation
from generator.checker.sources import (
    DECOMPRESS_ERRORS,
    TAKE_AT_MOST,
    Item,
    Parsed,
    Payload,
    Take,
    parse_error,
)
from generator.problems import GenError, Kind, Problem
from generator.recognize import discriminator_table
from generator.runtime.recognition import (
    _MISSING,
    CompiledTable,
    _holds,
    closest_entry,
    compile_table,
    exists,
    failure,
    holds,
    in_common,
    pointer_text,
)

if TYPE_CHECKING:
    from generator.model import Document, Message


@dataclass(frozen=True)
class Options:
    """What to check, as given to `generator.check` (and to each worker process with `--jobs`)."""

    message: str | None = None
    channel: str | None = None
    decode: bool = True
    strict: bool = False


def _usage(document: Document, what: str) -> GenError:
    return GenError([Problem(file=str(document.path), what=what, kind=Kind.INPUT)])


def select_messages(document: Document, options: Options) -> tuple[list[Message], Message | None]:
    """The messages to recognise events among, and the pinned one (raises `GenError` for unknown names).

    Messages whose payload is in a schema language gen check cannot read (Avro...) are among them too:
    `Checker` leaves them out of recognition (`_checkable`)."""
    pinned: Message | None = None
    if options.message is not None:
        if options.message not in document.messages:
            known = ", ".join(document.messages) or "none"
            raise _usage(document, f"no message named {options.message!r} (the document has: {known})")
        pinned = document.messages[options.message]
    candidates = document.event_messages()
    if options.channel is not None:
        channels = [c for c in document.channels.values() if options.channel in (c.address, c.id)]
        if not channels:
            known = ", ".join(sorted({c.address or c.id for c in document.channels.values()})) or "none"
            raise _usage(
                document, f"no channel with address or id {options.channel!r} (the document has: {known})"
            )
        candidates = list({m.name: m for c in channels for m in c.messages.values()}.values())
        if pinned is not None and pinned.name not in {m.name for m in candidates}:
            raise _usage(document, f"message {pinned.name!r} is not one of channel {options.channel!r}'s")
    return candidates, pinned


class Checker:
    def __init__(self, document: Document, options: Options = Options(), *, typed: bool = True) -> None:
        """`typed` False leaves the typed fast path out (tests compare the two)."""
        self.document = document
        self.use_typed = typed
        self.options = options
        selected, self.pinned = select_messages(document, options)
        # A payload schema gen check cannot read has no recognition rules: as a candidate it would match every
        # event no other message matches, and pass it unchecked. Such messages are checked only when pinned.
        self.candidates = [m for m in selected if _checkable(m)]
        self.uncheckable = [m for m in selected if not _checkable(m)]
        self.table = compile_table(discriminator_table(self.candidates))
        #: Messages only ever replies (an API Gateway response, a websocket `pong`): left out of recognition,
        #: an event valid as no other message passes as one of these it is valid as (a capture of both
        #: directions of a conversation). Not with a message pinned or a channel chosen.
        self.replies = (
            [m for m in document.reply_messages() if _checkable(m)]
            if self.pinned is None and options.channel is None
            else []
        )
        self._reply_table: CompiledTable | None = None  # `_replies_table()`, once built
        #: Replies whose payload pins a member's value (`_named_reply`), with those values as rules.
        self._pinned_replies: list[tuple[str, list[tuple[tuple[str], str, Any]]]] | None = None
        self._evidence: dict[bool, CompiledTable] = {}  # `evidence()` (with replies, or not), once built
        self._checks: dict[str, MessageCheck] = {}
        self._recognize = self.table.recognize
        #: Per entry of the table, the first items its rules test (``/Records/0``), which must exist.
        self._batches = [_batches(entry.get("rules", [])) for entry in self.table.entries]
        #: The typed fast path (`typed`): the typed checks of the messages checked so far that have one.
        self._typed: list[_Typed] = []
        self._typed_index: dict[str, int] = {}  # message -> its place in `_typed`
        #: The start of a line -> the typed checks that accepted such lines, the latest first.
        self._hints: dict[bytes, list[int]] = {}
        #: The start of a line -> its first typed check (`_hints`), for `check_all` to try with no call in
        #: between.
        self._settled: dict[bytes, _Typed] = {}
        #: The starts where a typed check whose rules are tested per event accepted a line as its own.
        self._general: set[bytes] = set()
        #: The typed check that last accepted a line of a new start: tried first on the next such line (an
        #: archive whose first member's value differs line to line, as with keys sorted: `"account"` first).
        self._latest: _Typed | None = None
        #: The last line the reader's loop (`taker`) stopped at because every typed check of its start
        #: refused it: `check_all` sends it on to the slow path (`Refused`), not decoding it again. Kept by
        #: identity: the reader hands the same object on (and held here, its address is not reused).
        self._refused: bytes | None = None

    def message_check(self, name: str) -> MessageCheck:
        check = self._checks.get(name)
        if check is None:
            check = self._checks[name] = MessageCheck(
                self.document.messages[name], decode=self.options.decode
            )
            self._add_typed(name, check)
        return check

    def _add_typed(self, name: str, check: MessageCheck) -> None:
        """Put `check`'s typed form on the fast path, when what it accepts settles the verdict.

        An event the typed check accepts is valid as `name`; which message the slow path would call it
        depends on every entry's recognition rules. Most are settled here once, from what accepted events
        are known to hold (`facts.rule_status`): a rule holds for all of them, or fails for all. The rest
        are tested on each accepted event (a scheduled event is an EventBridge event, not every EventBridge
        event is a scheduled one).
        """
        if not self.use_typed or (self.pinned is not None and name != self.pinned.name):
            return
        compiled = check.typed()
        if compiled is None:
            return
        if self.pinned is not None:
            self._typed_index[name] = len(self._typed)
            self._typed.append(_Typed(compiled.decode, name, [], [], {}, self.table.names))
            return
        holding: list[int] = []
        pending: list[tuple[int, list[tuple[tuple[str | int, ...], str, Any]]]] = []
        for rank, entry in enumerate(self.table.entries):
            rules = [(tuple(p), str(op), v) for p, op, v in entry.get("rules", [])]
            statuses = [rule_status(compiled.facts, *rule) for rule in rules]
            if Status.FAILS in statuses:
                continue
            unsettled = [
                rule for rule, status in zip(rules, statuses, strict=True) if status is Status.UNKNOWN
            ]
            if unsettled:
                pending.append((rank, unsettled))
            else:
                holding.append(rank)
        if name in {self.table.names[rank] for rank in [*holding, *(rank for rank, _ in pending)]}:
            self._typed_index[name] = len(self._typed)
            typed = _Typed(compiled.decode, name, holding, pending, compiled.attributes, self.table.names)
            self._typed.append(typed)

    def typed(self, line: bytes, tried: _Tried = None) -> tuple[str, tuple[str, ...]] | None:
        """(message, also) for a line the typed fast path proves valid, else None (then: parse it). `tried`:
        a typed check that refused the line already (`check_all`'s), not tried again; or `Refused`: every
        typed check of its start did (`taker`'s), and none is tried.

        Lines are told apart by their first two member names (`_start`). For a start seen before, only the
        typed checks that accepted such lines are tried, the latest first (an order only: every line is
        decoded and checked in full); one they all refuse goes to the slow path, which names what is wrong
        or, when the line is valid after all, adds its message to the start's (`learn`). A line with a new
        start tries every typed check, the one that took the last such line first, and a start none accepts
        is remembered with none: lines that drift from the contract (a field AWS added) are not decoded a
        dozen times in vain.
        """
        if tried is Refused.BY_EVERY_CHECK:
            return None
        start = _start(line)
        hints = self._hints.get(start)
        if hints is not None:
            found = self._hinted(start, line, tried)
            if found is None:
                return None
            typed, event = found
            fixed = typed.fixed
            if type(fixed) is tuple and typed is self._typed[hints[0]]:
                return fixed  # most events end here
            return self._verdict(typed, event, line, start)
        candidates, latest = self._typed, self._latest
        if latest is not None and candidates[0] is not latest:
            candidates = [latest, *(typed for typed in candidates if typed is not latest)]
        for typed in candidates:
            try:
                event = typed.decode(line)
            except msgspec.DecodeError:
                continue
            self._latest = typed
            return self._verdict(typed, event, line, start)
        self._remember(start, [])
        return None

    def learn(self, line: bytes, name: str) -> None:
        """The slow path found `line` valid as `name`, with nothing undeclared: try `name`'s typed check
        first on lines starting like it."""
        index = self._typed_index.get(name)
        if index is not None:
            self._hint(_start(line), index)

    def _verdict(
        self, typed: _Typed, event: Any, line: bytes, start: bytes
    ) -> tuple[str, tuple[str, ...]] | None:
        verdict = typed.verdict(event)
        if type(verdict) is not str:
            if typed.fixed is None and verdict is not None:
                self._general.add(start)
            self._hint(start, self._typed_index[typed.name])
            return verdict  # type: ignore[return-value]
        # A more specific message's rules hold too (an EventBridge event that is a scheduled one): its
        # check decides, as on the slow path.
        index = self._typed_index.get(verdict)
        if index is None:
            return None
        try:
            event = self._typed[index].decode(line)
        except msgspec.DecodeError:
            return None
        found = self._typed[index].verdict(event)
        if type(found) is str:
            return None
        constant = typed.constants.get(verdict)
        if constant is not None and (*constant, verdict) not in typed.needles:
            typed.needles.append((*constant, verdict))
        # The specific check goes first for such lines (alone it costs less), until the general one has
        # accepted a line as its own: lines of both then share the start, and the specific check would
        # refuse half of them before the general one is tried.
        self._hint(start, self._typed_index[typed.name] if start in self._general else index)
        return found  # type: ignore[return-value]

    def _hint(self, start: bytes, index: int) -> None:
        hints = self._hints.get(start)
        if hints is None:
            self._remember(start, [index])
        elif not hints or hints[0] != index:
            if index in hints:
                hints.remove(index)
            hints.insert(0, index)
            self._settle(start, hints)

    def _remember(self, start: bytes, hints: list[int]) -> None:
        if len(self._hints) >= _MAX_HINTS:
            self._hints.clear()  # lines with ever new starts (ids first): start over
            self._settled.clear()
            self._general.clear()
        self._hints[start] = hints
        self._settle(start, hints)

    def _settle(self, start: bytes, hints: list[int]) -> None:
        if hints:
            self._settled[start] = self._typed[hints[0]]
        else:
            self._settled.pop(start, None)

    def check_all(
        self,
        items: Iterable[Item],
        summary: Summary | None = None,
        *,
        hold: bool = True,
        passes: bool = True,
    ) -> Iterator[EventResult]:
        """`check` of each item, in order, each result counted into `summary`: the loop every event goes
        through.

        Most lines start like lines before them (`_settled`: the typed check tried first for that start):
        they are decoded and counted here, with no call in between. The rest, and lines that check refuses,
        go to `check`, which tries the start's other typed checks, then the slow path.

        With `hold`, those go to `check` `_HELD_LINES` at a time, and the results of the lines between
        are held (their sources and verdicts) until then: the slow path's code and data stay in the CPU's
        caches for a batch, rather than evicting the fast path's at every such line (an archive with 1%
        invalid events is checked 5-12% faster). Standard input from a pipe or a terminal is not held
        (`iter_check`): a live stream's results come as its events do.

        Without `passes`, events that pass with nothing undeclared are counted and not yielded: a report
        that shows only what is wrong (the text and GitHub ones) then costs no result per passing event.
        """
        settled = self._settled.get
        check = self.check
        add = summary.add if summary is not None else _uncounted
        tally = (summary.messages if summary is not None else {}).get  # message -> its counts, once seen
        sources: list[str] = []  # the sources of the lines held, in order
        verdicts: list[Any] = []  # per line held: its verdict (message, also), or None: it waits for check
        waiting: list[tuple[int, str, Payload, _Tried]] = []  # place, item, typed check(s) it refused
        uncounted: list[int] = []  # places of the held lines to count when released
        size = 0  # bytes of the lines waiting
        for source, payload in items:
            typed: _Tried = None
            if type(payload) is bytes and payload is not self._refused:
                try:  # `_start`, inlined
                    head, between, _ = payload.split(b'":', 2)
                except ValueError:
                    head = between = b""
                start = head + between
                typed = settled(start)
                if typed is not None:
                    if typed.needles:
                        typed = self._preferred(typed, payload)
                    try:
                        event = typed.decode(payload)
                    except msgspec.DecodeError:
                        pass
                    else:
                        verdict = typed.fixed
                        if type(verdict) is not tuple:
                            verdict = typed.verdict(event)  # its own, and the start's first already
                            if type(verdict) is not tuple:  # another message's rules hold too, or none
                                verdict = self._verdict(typed, event, payload, start)
                        if verdict is not None:
                            counts = tally(verdict[0])
                            if counts is not None:  # `Summary.add` of a pass, inlined
                                counts.passed += 1
                                if not passes:  # counted, and that is all
                                    continue
                            if waiting:
                                if counts is None:  # the first of its message: counted after those before
                                    uncounted.append(len(sources))
                                sources.append(source)
                                verdicts.append(verdict)
                                continue
                            result = _passed(
                                EventResult, (source, verdict[0], True, (), (), verdict[1], None, ())
                            )
                            if counts is None:
                                add(result)
                            if passes:
                                yield result
                            continue
                size += len(payload)
            elif type(payload) is bytes:  # every typed check of its start refused it already (`taker`)
                typed = Refused.BY_EVERY_CHECK
                size += len(payload)
            if not hold:
                result = check(source, payload, tried=typed)
                add(result)
                if passes or not result.clean:
                    yield result
                continue
            uncounted.append(len(sources))
            waiting.append((len(sources), source, payload, typed))
            sources.append(source)
            verdicts.append(None)
            if len(waiting) >= _HELD_LINES or len(sources) >= _HELD_RESULTS or size >= _HELD_BYTES:
                yield from self._release(sources, verdicts, waiting, uncounted, add, passes)
                sources, verdicts, waiting, uncounted, size = [], [], [], [], 0
        if waiting:
            yield from self._release(sources, verdicts, waiting, uncounted, add, passes)

    def taker(self, summary: Summary) -> Take | None:
        """For `check_all(passes=False)` counting into `summary`, the reader's own loop over JSON Lines
        (`sources.Take`): it counts a line as a pass when a typed check accepts it (the one settled for its
        start, else the start's others; for a new start, the one that took the last such line) and its
        verdict is known, and stops at any other line, which `check_all` gets as an item. Most lines of a
        large file are then counted with no item made for them. None without a typed path (it has nothing
        to take)."""
        if not self.use_typed:
            return None
        settled = self._settled.get
        preferred = self._preferred
        tally = summary.messages.get

        def take(lines: Iterator[bytes], limit: int) -> tuple[int, bytes | Exception | None]:
            taken = 0
            try:
                for line in lines:
                    if len(line) > limit:
                        return taken, line
                    try:  # `_start`, inlined
                        head, between, _ = line.split(b'":', 2)
                    except ValueError:  # fewer than two member names: `check_all`'s
                        return taken, line
                    start = head + between
                    typed = settled(start)
                    if typed is None:  # a start not seen before: the check that took the last such line
                        typed = self._latest
                        if typed is None:
                            return taken, line
                    if typed.needles:
                        typed = preferred(typed, line)
                    try:
                        event = typed.decode(line)
                    except msgspec.DecodeError:
                        # lines of several messages start alike (keys sorted: S3's, DynamoDB's and Kinesis's
                        # records all start with `awsRegion`): the start's other checks, before giving up
                        found = self._hinted(start, line, typed)
                        if found is None:
                            if start in self._hints:  # all its checks tried: `check` would try no other
                                self._refused = line
                            return taken, line
                        typed, event = found
                    if typed.counted_in is summary:  # its verdict fixed, its message's counts at hand
                        typed.counts.passed += 1
                    else:
                        verdict = typed.fixed
                        if type(verdict) is not tuple:
                            verdict = typed.verdict(event)
                            if type(verdict) is not tuple:  # `check_all` asks `_verdict`
                                return taken, line
                        counts = tally(verdict[0])
                        if counts is None:  # its first in `summary` (a task's, in a worker): `check_all`'s
                            return taken, line
                        counts.passed += 1
                        if verdict is typed.fixed:
                            typed.counted_in, typed.counts = summary, counts
                    taken += 1
                    if taken == TAKE_AT_MOST:
                        return taken, None
            except (OSError, *DECOMPRESS_ERRORS) as error:  # reading the lines: the reader reports it
                return taken, error
            return taken, None

        return take

    def _hinted(self, start: bytes, line: bytes, tried: _Typed | None) -> tuple[_Typed, Any] | None:
        """The first of `start`'s typed checks (its hints, the latest first) but `tried` that accepts
        `line`, and the decoded line."""
        for index in self._hints.get(start, ()):
            typed = self._typed[index]
            if typed is tried:
                continue
            try:
                return typed, typed.decode(line)
            except msgspec.DecodeError:  # its validation errors too
                continue
        return None

    def _release(
        self,
        sources: list[str],
        verdicts: list[Any],
        waiting: list[tuple[int, str, Payload, _Tried]],
        uncounted: list[int],
        add: Callable[[EventResult], None],
        passes: bool = True,
    ) -> Iterator[EventResult]:
        """`check_all`'s held lines: those waiting checked in a row, then every result in input order,
        counted in that order (a summary lists messages and fields in the order they were first seen);
        without `passes`, clean passes are counted only."""
        checked = {
            place: self.check(source, payload, tried=typed) for place, source, payload, typed in waiting
        }
        counted = iter(uncounted)
        due = next(counted, -1)
        for place, (source, verdict) in enumerate(zip(sources, verdicts, strict=True)):
            if verdict is None:
                result = checked[place]
            else:
                result = _passed(EventResult, (source, verdict[0], True, (), (), verdict[1], None, ()))
            if place == due:
                add(result)
                due = next(counted, -1)
            if passes or not result.clean:
                yield result

    def _preferred(self, typed: _Typed, line: bytes) -> _Typed:
        """The typed check to try first on `line` of `typed`'s start: a more specific message's when the
        line holds its constant (`_Typed.needles`) and its check is built, else `typed`."""
        for member, value, name in typed.needles:
            if member is None:
                found = value in line
            else:  # the member's name is found early (AWS writes it near the start); the value is not
                # (`partition` and slices: `find` and `startswith` parse their arguments the slow way)
                _, found_member, after = line.partition(member)
                if not found_member:
                    continue
                # compact, as AWS sends events, or with one space, as Python's `json.dumps` records them
                size = len(value)
                found = after[:size] == value or (after[:1] == b" " and after[1 : size + 1] == value)
            if found:
                index = self._typed_index.get(name)
                if index is not None:
                    return self._typed[index]
        return typed

    def check(self, source: str, payload: Payload, *, tried: _Tried = None) -> EventResult:
        """The verdict on one event; `tried`: a typed check that refused its line already, or `Refused`:
        every one that could take it did."""
        if isinstance(payload, bytes):
            if self._typed:
                verdict = self.typed(payload, tried)
                if verdict is not None:  # most events end here
                    return _passed(EventResult, (source, verdict[0], True, (), (), verdict[1], None, ()))
            try:
                event = loads(payload)
            except orjson.JSONDecodeError:
                return unreadable(source, parse_error(payload))
        elif isinstance(payload, Parsed):
            event = payload.value
        else:
            return unreadable(source, payload.message)
        also: tuple[str, ...] = ()
        refused = None  # the message whose `conforms` refused the event already
        if self.pinned is not None:
            name = self.pinned.name
        else:
            if type(event) is dict:
                ranks = self.table.candidates(event)
                if len(ranks) == 1:
                    sole = self._sole(event, ranks[0])
                    name = self.table.names[ranks[0]]
                    if sole:
                        return self._found_valid(source, payload, name, ())
                    if sole is not None:
                        refused = name
                names = self.table.confirm(event, ranks)
            else:
                names = self._recognize(event)
            if not names:
                guesses = self._guesses(event)
                names = self._first_valid(guesses, event)
                if not names:
                    # a reply may be named only for an event that holds no message's constants
                    replies = bool(self.replies) and not means_a_message(self.table, event)
                    return (replies and self._as_reply(source, payload, event)) or self.unrecognised(
                        source, event, guesses, replies=replies
                    )
            name = names[0]
            if len(names) > 1:
                also = tuple(names[1:])
        check = self._checks.get(name) or self.message_check(name)
        if name != refused and check.conforms(event):
            return self._found_valid(source, payload, name, also)
        # valid as a message its rules make less specific (no constant or required member tells them apart:
        # glee's flight board, where `updateFlight` forbids the `airportCode` that `getFlights` declares)
        for index, other in enumerate(also):
            if (self._checks.get(other) or self.message_check(other)).conforms(event):
                return self._found_valid(source, payload, other, also[index + 1 :])
        if self.pinned is None:  # valid as a message its rules could only guess (`_guesses`)
            for other in self._guesses(event):
                if other != name and other not in also and self.message_check(other).conforms(event):
                    return self._found_valid(source, payload, other, ())
            reply = self._named_reply(source, payload, event)
            if reply is not None:
                return reply
        return self.check_as(name, source, event, also=also, refused=True)

    def _as_reply(self, source: str, payload: Payload, event: Any) -> EventResult | None:
        """For an event no message's rules recognise: its pass as a reply (`replies`) it is recognised as and
        valid as, the first that fits exactly, else the first valid but for undeclared members; None when
        there is none. Not for an event that holds the constants of another message (`means_a_message`),
        which `check` asks first: what is wrong with it as that message is told, however loose a reply's
        schema."""
        table = self._replies_table()
        names = table.recognize(event)
        names += [name for name in table.hollow(event, even_nonempty=True) if name not in names]
        for name in names:
            if self.message_check(name).conforms(event):
                return self._found_valid(source, payload, name, ())
        return self._as_drifting(names, source, event)  # none fits exactly: one valid but for drift

    def _as_drifting(self, names: list[str], source: str, event: Any) -> EventResult | None:
        """`event` as the first of `names` it is valid as but for undeclared members (warnings, or
        `--strict`'s errors); a violation at its source when it is nested too deep; None when there is
        none."""
        for name in names:
            try:
                if not self.message_check(name).check(event).errors:
                    return self.check_as(name, source, event)
            except ValueError as error:  # nested too deep
                return too_deep(source, error)
        return None

    def _closest_reply(self, event: Any) -> tuple[str, Any] | None:
        """For an event valid as no reply (`_as_reply`): the reply closest to it (one that tells events apart,
        `_replies_table`), by the richer rules `closest` weighs, and its entry; None when it has nothing in
        common with any, or is not an object and of no reply's type."""
        table = self.evidence(replies=True)
        if not table.entries:
            return None
        if not isinstance(event, dict):
            names = of_its_type(table, event)
            return (names[0], table.entries[table.names.index(names[0])]) if names else None
        if not in_common(event, table):
            return None
        entry = closest_entry(event, table)
        return None if entry is None else (str(entry["message"]), entry)

    def _replies_table(self) -> CompiledTable:
        """The table of the replies that tell events apart (`_tells`): a reply whose rules test no constant
        or member (no payload, any object) would take every event that fails. Built on the first event
        recognised as no message."""
        if self._reply_table is None:
            self._reply_table = compile_table([e for e in discriminator_table(self.replies) if _tells(e)])
        return self._reply_table

    def _named_reply(self, source: str, payload: Payload, event: Any) -> EventResult | None:
        """For an event a message's rules recognise and that is not valid as it: its pass as a reply whose
        schema pins a member's value that the event holds (lerenn's `pong`: `event: {const: pong}`, a member
        no rule tests, as it is optional), and which it fits exactly; None otherwise, and for an event that
        holds another message's constants (`means_a_message`)."""
        if not self.replies:
            return None
        if self._pinned_replies is None:
            self._pinned_replies = [(m.name, rules) for m in self.replies if (rules := pinned_values(m))]
        for name, rules in self._pinned_replies:
            if any(holds(event, rule) for rule in rules) and self.message_check(name).conforms(event):
                if means_a_message(self.table, event):
                    return None
                return self._found_valid(source, payload, name, ())
        return None

    def _found_valid(self, source: str, payload: Payload, name: str, also: tuple[str, ...]) -> EventResult:
        """A pass of the slow path: a line's message is put first on the typed path for lines like it."""
        if type(payload) is bytes:
            self.learn(payload, name)
        return _passed(EventResult, (source, name, True, (), (), also, None, ()))

    def _sole(self, event: dict[str, Any], rank: int) -> bool | None:
        """Whether the only message `event` can be conforms, which proves it is that message; None when
        that does not settle recognition.

        Recognition rules are read off the payload schema (`generator.recognize`): an event valid against
        it meets them all, once the arrays whose first item they test are not empty. So for an event with
        one candidate, the fast path's one call also settles recognition.
        """
        name = self.table.names[rank]
        check = self._checks.get(name) or self.message_check(name)
        if check.payload is None:
            return None  # no schema, no rules read off it: recognition decides
        for pointer in self._batches[rank]:
            if not exists(event, pointer):
                return None
        return check.conforms(event)

    def check_as(
        self, name: str, source: str, event: Any, *, also: tuple[str, ...] = (), refused: bool = False
    ) -> EventResult:
        """Every violation and undeclared field of `event` as message `name`; `refused`: its `conforms`
        refused it already (not asked again)."""
        try:
            outcome = self.message_check(name).check(event, refused=refused)
        except ValueError as error:
            return too_deep(source, error)
        errors = outcome.errors
        warnings = outcome.drift
        if self.options.strict and warnings:
            errors, warnings = [*errors, *warnings], []
        return EventResult(
            source=source,
            message=name,
            valid=not errors,
            errors=tuple(errors),
            warnings=tuple(warnings),
            also=also,
            undeclared=tuple(outcome.patterns),
        )

    def _guesses(self, event: Any) -> list[str]:
        """The messages recognition could only guess `event` is, most specific first: those whose rules fail
        only on items of arrays it has empty (`CompiledTable.hollow`: rules read off an array's `items` test
        its first item, which an order of no items lacks), even where the schema forbids that array to be
        empty (validation then says so), and for an event that is not an object, those of its type. Validity
        decides (`_first_valid`); the generated router, which validates nothing, takes an empty array only
        where the schema allows one, and does not guess by type."""
        guesses = self.table.hollow(event, even_nonempty=True)
        if type(event) is not dict:
            guesses += [name for name in of_its_type(self.table, event) if name not in guesses]
        return guesses

    def _first_valid(self, guesses: list[str], event: Any) -> list[str]:
        """For an event no message's rules recognise: the first of its `guesses` (`_guesses`) it is valid
        as, then the later ones."""
        for index, name in enumerate(guesses):
            if self.message_check(name).conforms(event):
                return guesses[index:]
        return []

    def unrecognised(
        self, source: str, event: Any, guesses: list[str], *, replies: bool = False
    ) -> EventResult:
        """What is wrong with an event no message's rules recognise, and the closest message; `guesses`: its
        `_guesses`, none of which it is valid as; `replies`: the event holds no message's constants and is
        valid as no reply (`_as_reply`), so the closest may be a reply (`_closest_reply`, `_closer`), and it
        is then told what is wrong with it as that reply."""
        evidence = self.evidence()
        if not evidence.entries:
            what = "the document declares no message to check events against"
            if self.uncheckable:
                what = "the document declares no message gen check can recognise events as"
            why = Violation("", "recognition", what + self._uncheckable_note())
            return EventResult(source=source, message=None, valid=False, errors=(why,))
        if guesses:  # what is wrong is not what recognition tests (an array of wrong items, say)
            first = self._told_as(guesses[0], source, event, also=tuple(guesses[1:]))
            if first.message is None:  # a later guess it is valid as but for undeclared members, if any
                return self._as_drifting(guesses[1:], source, event) or first
            return first
        reply = self._closest_reply(event) if replies else None  # a response whose status is wrong, say
        if not isinstance(event, dict):
            if reply is not None:  # a reply of its type (text), and what is wrong with it as that
                return self._told_as(reply[0], source, event)
            why = not_an_object(event, payload_types(self.table) or ["object"])
            return EventResult(source=source, message=None, valid=False, errors=(why,))
        if not in_common(event, evidence):  # a guess among strangers names nothing useful
            if reply is not None:
                return self._told_as(reply[0], source, event)
            why = Violation("", "recognition", _NOTHING_IN_COMMON + self._uncheckable_note())
            return EventResult(source=source, message=None, valid=False, errors=(why,))
        entry = closest_entry(event, evidence)
        assert entry is not None  # the table has entries
        name = str(entry["message"])
        if reply is not None and _closer(event, reply[1], entry):
            return self._told_as(reply[0], source, event)
        reasons = self._reasons(event, entry)
        strong = [rule for rule in entry["rules"] if rule[1] in ("const", "enum")]
        if strong and all(holds(event, rule, as_items=True) for rule in strong):
            # Its constants say which message it means to be: every violation against that message says
            # more than the recognition rules it fails (which validation reports too).
            errors = self.message_check(name).check(event).errors
            reasons = tuple(errors) or reasons
        return EventResult(source=source, message=None, valid=False, errors=reasons, closest=name)

    def _told_as(self, name: str, source: str, event: Any, also: tuple[str, ...] = ()) -> EventResult:
        """An event recognition could only guess is message `name` (`_guesses`), and whose fast check refused
        it: what is wrong with it as `name`, which it is not said to be; or, when nothing is but undeclared
        members, that it is `name`, with them (warnings, or `--strict`'s errors)."""
        try:
            outcome = self.message_check(name).check(event)
        except ValueError as error:  # nested too deep
            return too_deep(source, error)
        if not outcome.errors:
            return self.check_as(name, source, event, also=also)
        return EventResult(
            source=source, message=None, valid=False, errors=tuple(outcome.errors), closest=name
        )

    def _uncheckable_note(self) -> str:
        """For a reason an event matches no message: the messages recognition leaves out, if any."""
        if not self.uncheckable:
            return ""
        names = ", ".join(m.name for m in self.uncheckable)
        whose = "its" if len(self.uncheckable) == 1 else "their"
        return (
            f"; {names}: left out of recognition, as gen check cannot read {whose} payload's schemaFormat"
            " (--message NAME passes an event as one, unchecked)"
        )

    def evidence(self, *, replies: bool = False) -> Any:
        """The richer table `closest` weighs (`recognize.discriminator_table(evidence=True)`), built on the
        first unrecognised event; with `replies`, that of the replies that tell events apart instead."""
        if self._evidence.get(replies) is None:
            messages = self.candidates
            if replies:
                telling = set(self._replies_table().names)
                messages = [message for message in self.replies if message.name in telling]
            self._evidence[replies] = compile_table(discriminator_table(messages, evidence=True))
        return self._evidence[replies]

    def _reasons(self, event: Any, entry: Any) -> tuple[Violation, ...]:
        """A violation for each recognition rule of `entry` that `event` fails."""
        name = str(entry["message"])
        message = self.document.messages[name]
        where = message.payload.where if message.payload is not None else message.where
        reasons: list[Violation] = []
        for rule in entry["rules"]:
            failed = failure(event, rule)
            if failed is not None:  # rules failing at one member on their way (not an array) are one
                pointer, text = failed
                reasons.append(
                    Violation(pointer_text(pointer) if pointer else "", "recognition", text, where)
                )
        return tuple(dict.fromkeys(reasons))


_MAX_HINTS = 4096
#: `check_all` checks the lines its typed path leaves this many at a time (at most), holding the results
#: of at most this many lines and this many bytes of lines waiting.
_HELD_LINES = 64
_HELD_RESULTS = 16384
_HELD_BYTES = 8 * 1024 * 1024
#: Why an event is no message's when it has no member that a recognition rule of any message tests.
_NOTHING_IN_COMMON = (
    "has nothing in common with the messages it is checked against: "
    "none of the members their recognition rules test"
)


def _tells(entry: Mapping[str, Any]) -> bool:
    """Whether a table entry's rules test a member, or a type other than an object (a reply of text)."""
    return any(
        op in ("const", "enum", "required") or (op == "type" and not _holds({}, op, value))
        for _, op, value in entry["rules"]
    )


def _closer(event: Any, reply: Any, request: Any) -> bool:
    """Whether `event` is closer to the entry `reply` than to `request`, the closest message's: it meets as
    many of the reply's rules, and no rule of the request fails on a value the event holds (a wrong
    constant says the event means to be that message, and got it wrong)."""
    met = 0
    for rule in request["rules"]:
        if holds(event, rule):
            met += 1
        elif exists(event, rule[0]):
            return False
    return sum(holds(event, rule) for rule in reply["rules"]) >= met


def _checkable(message: Message) -> bool:
    """Whether gen check can read `message`'s payload schema (JSON Schema, or no payload: any event)."""
    return message.payload is None or message.payload.is_json_schema


def _start(line: bytes) -> bytes:
    """What lines of one message mostly share: the line up to its second member name, less the `":` after
    the first (b"" when it has fewer than two). One `bytes.split` (its arguments parsed the fast way) costs
    a third of two `bytes.find` calls (theirs the slow way): every line is told apart so."""
    try:
        head, between, _ = line.split(b'":', 2)
    except ValueError:  # fewer than two member names
        return b""
    return head + between


class Refused(enum.Enum):
    """What `tried` says of a line every typed check of its start refused already (`Checker.taker`)."""

    BY_EVERY_CHECK = enum.auto()


@dataclass
class _Typed:
    """One message's typed check on the fast path, and how an event it accepts is recognised."""

    decode: Callable[[bytes], Any]  # the decoded event, or `msgspec.DecodeError`
    name: str
    holding: list[int]  # ranks of the entries whose rules every accepted event meets
    pending: list[tuple[int, list[tuple[tuple[str | int, ...], str, Any]]]]  # rank, rules to test per event
    attributes: dict[type, dict[str, str]]
    names: list[str]

    def __post_init__(self) -> None:
        #: The verdict when no rule is left to test per event: the same for every accepted event.
        self.fixed: tuple[str, tuple[str, ...]] | str | None = None
        #: The more specific messages whose rules are tested per event -> a string constant they test, as
        #: JSON text, and its member's name as it starts a member (``"detail-type":``) when the constant
        #: is a top-level member's (the longest such; else the longest constant, and None). A line holding
        #: it is most likely that message's (a scheduled event's ``"detail-type":"Scheduled Event"``).
        self.constants: dict[str, tuple[bytes | None, bytes]] = {}
        for rank, rules in self.pending:
            found = [(p, v) for p, op, v in rules if op == "const" and type(v) is str and v]
            top = [(p, v) for p, v in found if len(p) == 1 and type(p[0]) is str]
            if found and self.names[rank] != self.name:
                pointer, value = max(top or found, key=lambda rule: len(rule[1]))
                member = orjson.dumps(pointer[0]) + b":" if top else None
                self.constants[self.names[rank]] = (member, orjson.dumps(value))
        #: (member, constant, message) of the specific messages seen among the lines this check accepted:
        #: a line holding the constant (as that member's value) tries that message's check first
        #: (`Checker._preferred`), which saves decoding it twice. Only an order: a line the specific check
        #: refuses is tried as before, and one that spells the constant otherwise (more spaces than Python's
        #: `json.dumps` writes, escapes) is decoded twice.
        self.needles: list[tuple[bytes | None, bytes, str]] = []
        #: Which pending entries' rules an event meets -> the verdict (a handful of combinations).
        self._verdicts: dict[tuple[bool | None, ...], tuple[str, tuple[str, ...]] | str | None] = {}
        #: Per pending entry, the test of its rules on an accepted event.
        self._tests = [_rules_test(rules, self.attributes) for _, rules in self.pending]
        #: With a fixed verdict: the summary the reader's loop (`Checker.taker`) counts into, once it holds
        #: this message, and its counts of it, which each line accepted adds to with no lookup.
        self.counted_in: Summary | None = None
        self.counts = MessageSummary()  # none counted into until `counted_in` is set
        if not self.pending:
            self.fixed = self._settle(sorted(self.holding)) if self.holding else (self.name, ())

    def verdict(self, event: Any) -> tuple[str, tuple[str, ...]] | str | None:
        """(message, also) as the slow path would say them; the name of another message whose rules hold
        and which would win; or None when the slow path must say."""
        if self.fixed is not None:
            return self.fixed
        tests = self._tests
        key = (tests[0](event),) if len(tests) == 1 else tuple([test(event) for test in tests])
        verdicts = self._verdicts
        if key in verdicts:
            return verdicts[key]
        if None in key:
            return None
        ranks = self.holding + [rank for (rank, _), holds in zip(self.pending, key, strict=True) if holds]
        found = verdicts[key] = self._settle(sorted(ranks))
        return found

    def _settle(self, ranks: list[int]) -> tuple[str, tuple[str, ...]] | str | None:
        names = self.names
        if not ranks:
            return None
        if names[ranks[0]] != self.name:
            return names[ranks[0]]
        return self.name, tuple(names[r] for r in ranks[1:])


def _rules_test(
    rules: list[tuple[tuple[str | int, ...], str, Any]], attributes: dict[type, dict[str, str]]
) -> Callable[[Any], bool | None]:
    """`_rules_met` of `rules`, as a function of the decoded event. When every rule tests a top-level member
    against a string (a scheduled event's ``detail-type`` and ``source``), the members are read at once, by
    attribute, the readers made once per struct class: an EventBridge event asks this of each event."""
    if not rules or not all(
        len(pointer) == 1 and type(pointer[0]) is str and op == "const" and type(value) is str
        for pointer, op, value in rules
    ):
        return lambda event: _rules_met(event, rules, attributes)
    members = [str(pointer[0]) for pointer, _, _ in rules]
    expected = tuple(value for _, _, value in rules)
    readers: dict[type, Callable[[Any], Any]] = {}

    def test(event: Any) -> bool | None:
        read = readers.get(type(event))
        if read is None:
            names = attributes.get(type(event))  # a struct's members -> their attributes
            if names is None or not all(member in names for member in members):
                return _rules_met(event, rules, attributes)  # a plain object, or a member it lacks
            getter = attrgetter(*(names[member] for member in members))
            read = readers[type(event)] = getter if len(members) > 1 else lambda e: (getter(e),)
        # an absent member is `msgspec.UNSET`, which equals no string: the rule fails, as it should
        return bool(read(event) == expected)

    return test


def _rules_met(
    event: Any, rules: list[tuple[tuple[str | int, ...], str, Any]], attributes: dict[type, dict[str, str]]
) -> bool | None:
    """Whether a decoded event meets recognition rules (None: the slow path must say, for a struct against a
    container constant, or base64 text msgspec read as bytes)."""
    for pointer, op, expected in rules:
        value = typed_resolve(event, pointer, attributes)
        if type(value) is bytes:
            return None  # base64 text that msgspec decoded (`typed.compile_typed`): its text is gone
        if op == "const" and type(expected) is str:  # the usual rule: a string anything else never equals
            if value != expected:
                return False
            continue
        if value is not ABSENT and type(value) in attributes:  # an object, decoded as a struct
            if op == "required" or (op == "type" and "object" in type_names(expected)):
                continue
            if op in ("const", "enum") and _containers(expected):
                return None
            return False
        if not _holds(_MISSING if value is ABSENT else value, op, expected):
            return False
    return True


def _containers(expected: Any) -> bool:
    options = expected if isinstance(expected, list) else [expected]
    return any(isinstance(o, dict | list) for o in options)


def _batches(rules: list[Any]) -> list[tuple[str | int, ...]]:
    """The pointers to the first items the rules test, less those that a longer one reaches through."""
    found = list(
        dict.fromkeys(
            tuple(pointer[: i + 1])
            for pointer, _, _ in rules
            for i, step in enumerate(pointer)
            if type(step) is int
        )
    )
    return [p for p in found if not any(len(q) > len(p) and q[: len(p)] == p for q in found)]


#: The typed checks a line was tried with already: one (`_Typed`), every one of its start, or none.
_Tried = _Typed | Literal[Refused.BY_EVERY_CHECK] | None
#: `EventResult(source, name, True, also=also)` without the Python-level `__new__` of a NamedTuple: every
#: field given, in order (the fast path's one allocation).
_passed = tuple.__new__


def _uncounted(_result: EventResult) -> None:
    """`Summary.add` when there is no summary (worker processes: the main process counts)."""


#: What jsonschema-rs raises when a value it would show in an error nests more than 255 levels deep (it
#: validates deeper ones, and JSON parsers read 1,024 levels).
_TOO_DEEP_TO_SHOW = "Recursion limit reached"


def too_deep(source: str, error: ValueError) -> EventResult:
    """An event whose errors jsonschema-rs cannot report, as a violation at its source (it was a crash of the
    whole run); any other error is raised on."""
    if str(error) != _TOO_DEEP_TO_SHOW:
        raise error
    return unreadable(source, "fails at a value nested more than 255 levels deep, too deep to report")


def unreadable(source: str, why: str) -> EventResult:
    return EventResult(source=source, message=None, valid=False, errors=(Violation("", UNREADABLE, why),))
