"""The model -> the Markdown pages of the site: an overview, a page per channel and message, and the Schemas
page with a section per named schema.

Templates (`templates/docs/*.md.j2`, overridable with `--templates`) lay the pages out. They run with HTML
autoescaping on, so a document value that reaches a page without one of the `generator.docs.text` filters is
still escaped rather than interpreted; the filters and the cell helpers (`generator.docs.cells`) make it inert
Markdown as well.

A message page is rendered before its sample event is known (`MessageDraft`): the sample section is rendered
on its own (`sample.md.j2`) once the background job has it, and takes the place of a placeholder.
"""

from __future__ import annotations

import secrets
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator.docs import cells
from generator.docs.diagram import flowchart
from generator.docs.fields import Field, FieldTable, direct_refs, field_table, named_field_table
from generator.docs.samples import SampleEvent
from generator.docs.slugs import Pages
from generator.docs.text import (
    code,
    code_block,
    json_block,
    json_inline,
    markdown_block,
    markdown_inline,
    page_title,
    plain,
)
from generator.model import Channel, Document, Message, NamedSchema, Operation
from generator.render import environment

INDEX = "index.md"
INVOCATION_EXTENSION = "x-lambda-invocation"


@dataclass(frozen=True)
class MessageDraft:
    """A message page without its sample section: `text` holds `placeholder` where the section goes. The
    placeholder is an HTML comment holding a random token, so no document text can be it (and Python-Markdown
    passes it through as it is: `generator.docs.site` replaces it in the built page)."""

    text: str
    placeholder: str

    def complete(self, section: str) -> str:
        """The page, with its sample section (`PageRenderer.sample_section`)."""
        return self.text.replace(self.placeholder, section)


@dataclass(frozen=True)
class SchemaSection:
    """A named schema's section on the Schemas page."""

    schema: NamedSchema
    anchor: str
    fields: FieldTable
    used_by_messages: list[Message]
    used_by_schemas: list[str]


def docs_environment(user_templates: Path | None = None) -> jinja2.Environment:
    env = environment(
        "docs",
        user_templates=user_templates,
        autoescape=True,
        filters={
            "plain": plain,
            "code": code,
            "json_inline": json_inline,
            "md_block": markdown_block,
            "md_inline": markdown_inline,
            "json_block": json_block,
            "code_block": code_block,
        },
    )
    env.globals.update(
        link_to=_link_to,
        type_cell=_type_cell,
        constraints_cell=_constraints_cell,
        path_cell=cells.path_cell,
        required_cell=cells.required_cell,
        enum_cell=cells.enum_cell,
        description_cell=cells.description_cell,
        parameter_values=cells.parameter_values,
        invocation_rows=cells.invocation_rows,
        invocation_meaning=cells.invocation_meaning,
        INVOCATION_EXTENSION=INVOCATION_EXTENSION,
    )
    return env


@jinja2.pass_context
def _link_to(
    context: jinja2.runtime.Context, kind: str, name: str, text: str | None = None, *, html: bool = False
) -> Markup:
    """A link from the page being rendered to the page of a channel, message or schema (or just its name);
    with `html`, an HTML link for an HTML block."""
    pages: Pages = context["pages"]
    target = {"channel": pages.channels, "message": pages.messages, "schema": pages.schemas}[kind].get(name)
    shown = name if text is None else text
    if not target:
        return plain(shown)
    return (cells.html_link if html else cells.link)(context["here"], target, shown)


@jinja2.pass_context
def _type_cell(context: jinja2.runtime.Context, row: Field) -> Markup:
    return cells.segments(row.type, context["here"], context["pages"].schemas)


@jinja2.pass_context
def _constraints_cell(context: jinja2.runtime.Context, row: Field) -> Markup:
    return cells.constraints_cell(row, context["here"], context["pages"].schemas)


def plan_pages(document: Document) -> Pages:
    return Pages.plan(channels=document.channels, messages=document.messages, schemas=document.schemas)


class PageRenderer:
    """Renders the pages of one document. Message pages can be rendered on their own and last, since their
    sample events may still be being computed in the background (`generator.docs.samples.SampleJob`)."""

    def __init__(
        self,
        document: Document,
        *,
        pages: Pages,
        env: jinja2.Environment,
        spec_name: str,
        sample_for: Callable[[Message], SampleEvent],
    ) -> None:
        self.document = document
        self.pages = pages
        self.env = env
        self.spec_name = spec_name
        self.sample_for = sample_for

    def _render(self, template: str, here: str, title: str, **context: Any) -> str:
        common = {"document": self.document, "pages": self.pages, "spec_name": self.spec_name}
        return self.env.get_template(template).render(**common, here=here, title=page_title(title), **context)

    def all_pages(self) -> dict[str, str]:
        """Every page of the site: docs-folder-relative path -> Markdown text."""
        messages = {
            path: self.message_page(name).complete(self.sample_section(name))
            for name, path in self.pages.messages.items()
        }
        return {**self.other_pages(), **messages}

    def other_pages(self) -> dict[str, str]:
        """The overview, the channel pages and the Schemas page."""
        document, pages = self.document, self.pages
        rendered = {
            INDEX: self._render(
                "index.md.j2",
                INDEX,
                document.info.title,
                diagram=Markup(
                    flowchart(document)
                ),  # labels are entity-coded by `flowchart`: nothing to escape
                operations_by_channel={
                    c: _channel_operations(document, ch) for c, ch in document.channels.items()
                },
                check_command=check_command(self.spec_name, None),
            )
        }
        for channel_id, channel in document.channels.items():
            rendered[pages.channels[channel_id]] = self._render(
                "channel.md.j2",
                pages.channels[channel_id],
                channel.title or channel.id,
                channel=channel,
                operations=_channel_operations(document, channel),
            )
        if document.schemas:
            referenced_by = _referenced_by(document)
            sections = [
                SchemaSection(
                    schema=named,
                    anchor=pages.schema_anchor(name),
                    fields=named_field_table(named, document.schemas),
                    used_by_messages=_messages_using(document, name),
                    used_by_schemas=referenced_by.get(name, []),
                )
                for name, named in document.schemas.items()
            ]
            rendered[pages.schema_index] = self._render(
                "schemas.md.j2", pages.schema_index, "Schemas", sections=sections
            )
        return rendered

    def message_page(self, name: str) -> MessageDraft:
        """The page of a message, but for its sample section (which needs the sample event)."""
        document, message = self.document, self.document.messages[name]
        placeholder = f"<!-- gen-docs: sample event {secrets.token_hex(16)} -->"
        text = self._render(
            "message.md.j2",
            self.pages.messages[name],
            message.name,
            message=message,
            operations=document.operations_for(message),
            replied_by=[op for op in document.operations.values() if _is_reply(op, message)],
            channels=[
                c for c in document.channels.values() if any(m is message for m in c.messages.values())
            ],
            payload=_table(message.payload),
            headers=_table(message.headers),
            sample_section=Markup(placeholder),
            sample=_Deferred(lambda: self.sample_for(message)),  # for templates written before sections
            check_command=check_command(self.spec_name, message.name),
        )
        return MessageDraft(text=text, placeholder=placeholder)

    def sample_section(self, name: str) -> str:
        """The sample section of a message's page (waits for its sample event)."""
        message = self.document.messages[name]
        here = self.pages.messages[name]
        section = self._render(
            "sample.md.j2", here, message.name, message=message, sample=self.sample_for(message)
        )
        return section.rstrip("\n")


class _Deferred:
    """A value computed when a template first reads one of its attributes: `message.md.j2` overrides made
    before the sample section moved to `sample.md.j2` still read `sample`, and wait for it; ours never do."""

    def __init__(self, compute: Callable[[], Any]) -> None:
        self._compute = compute
        self._value: Any = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._value is None:
            self._value = self._compute()
        return getattr(self._value, name)


def check_command(spec_name: str, message: str | None) -> Markup:
    """The `gen check` command line for recorded events of one message (or of any message)."""
    words = ["gen", "check", shlex.quote(spec_name), "path/to/events/"]
    if message is not None:
        words += ["--message", shlex.quote(message)]
    return code_block(" ".join(words), "sh")


def _table(schema: Any) -> FieldTable | None:
    return field_table(schema) if schema is not None and schema.is_json_schema else None


def _is_reply(operation: Operation, message: Message) -> bool:
    return operation.reply is not None and any(m is message for m in operation.reply.messages)


def _channel_operations(document: Document, channel: Channel) -> list[Operation]:
    return [op for op in document.operations.values() if op.channel is channel]


def _referenced_by(document: Document) -> dict[str, list[str]]:
    """Named schema -> the other named schemas whose bodies refer to it, in document order."""
    index: dict[str, list[str]] = {}
    for name, named in document.schemas.items():
        for target in direct_refs(named.body):
            if target != name:
                index.setdefault(target, []).append(name)
    return index


def _messages_using(document: Document, schema_name: str) -> list[Message]:
    def uses(message: Message) -> bool:
        return any(s is not None and schema_name in s.defs for s in (message.payload, message.headers))

    return [m for m in document.messages.values() if uses(m)]
