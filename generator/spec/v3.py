"""AsyncAPI 3.x objects, written from the field tables of the 3.0.0 specification.

3.1.0 uses them unchanged: its field tables for these objects are the same as 3.0.0's.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, ValidationInfo, field_validator

from generator.spec import StructureIssue
from generator.spec.common import (
    MULTI_FORMAT_TAG,
    OPTIONAL,
    REF_TAG,
    SCHEMA_TAG,
    Bindings,
    ComponentKey,
    Reference,
    RefOnly,
    RefOr,
    Schema,
    SpecObject,
    UniqueTags,
    check_schema_for_format,
    is_reference,
)
from generator.spec.errors import collect
from generator.spec.shared import (
    AuthorizationCodeFlow,
    ClientCredentialsFlow,
    CorrelationId,
    ExternalDocs,
    ImplicitFlow,
    InfoBase,
    MessageExample,
    OAuthFlowBase,
    PasswordFlow,
    SecuritySchemeBase,
    ServerVariable,
)


class MultiFormatSchema(SpecObject):
    schemaFormat: str
    schema_: Any = Field(alias="schema")

    @field_validator("schema_")
    @classmethod
    def _schema_shape(cls, value: Any, info: ValidationInfo) -> Any:
        return check_schema_for_format(value, info.data.get("schemaFormat"))


def _pick_schema(value: Any) -> str:
    if is_reference(value):
        return REF_TAG
    return MULTI_FORMAT_TAG if isinstance(value, dict) and "schemaFormat" in value else SCHEMA_TAG


#: Multi Format Schema Object | Schema Object | Reference Object (payloads, headers, components).
AnySchema = Annotated[
    Annotated[Reference, Tag(REF_TAG)]
    | Annotated[MultiFormatSchema, Tag(MULTI_FORMAT_TAG)]
    | Annotated[Schema, Tag(SCHEMA_TAG)],
    Discriminator(_pick_schema),
]


class Tag3(SpecObject):
    name: str
    description: str = OPTIONAL
    externalDocs: RefOr[ExternalDocs] = OPTIONAL


Tags = Annotated[list[RefOr[Tag3]], UniqueTags]


class Info(InfoBase):
    tags: Tags = OPTIONAL
    externalDocs: RefOr[ExternalDocs] = OPTIONAL


class OAuthFlow(OAuthFlowBase):
    availableScopes: dict[str, str]


class OAuthFlows(SpecObject):
    implicit: Annotated[OAuthFlow, ImplicitFlow] = OPTIONAL
    password: Annotated[OAuthFlow, PasswordFlow] = OPTIONAL
    clientCredentials: Annotated[OAuthFlow, ClientCredentialsFlow] = OPTIONAL
    authorizationCode: Annotated[OAuthFlow, AuthorizationCodeFlow] = OPTIONAL


class SecurityScheme(SecuritySchemeBase):
    flows: OAuthFlows = OPTIONAL
    scopes: list[str] = OPTIONAL


class Server(SpecObject):
    host: str
    protocol: str
    protocolVersion: str = OPTIONAL
    pathname: str = OPTIONAL
    description: str = OPTIONAL
    title: str = OPTIONAL
    summary: str = OPTIONAL
    variables: dict[str, RefOr[ServerVariable]] = OPTIONAL
    security: list[RefOr[SecurityScheme]] = OPTIONAL
    tags: Tags = OPTIONAL
    externalDocs: RefOr[ExternalDocs] = OPTIONAL
    bindings: Bindings = OPTIONAL


class Parameter(SpecObject):
    enum: list[str] = OPTIONAL
    default: str = OPTIONAL
    description: str = OPTIONAL
    examples: list[str] = OPTIONAL
    location: str = OPTIONAL


class MessageTrait(SpecObject):
    headers: AnySchema = OPTIONAL
    correlationId: RefOr[CorrelationId] = OPTIONAL
    contentType: str = OPTIONAL
    name: str = OPTIONAL
    title: str = OPTIONAL
    summary: str = OPTIONAL
    description: str = OPTIONAL
    tags: Tags = OPTIONAL
    externalDocs: RefOr[ExternalDocs] = OPTIONAL
    bindings: Bindings = OPTIONAL
    examples: list[MessageExample] = OPTIONAL


class Message(MessageTrait):
    payload: AnySchema = OPTIONAL
    traits: list[RefOr[MessageTrait]] = OPTIONAL


class Channel(SpecObject):
    # The one nullable field of the spec: a null address means "unknown" (e.g. dynamic).
    address: str | None = OPTIONAL
    messages: dict[str, RefOr[Message]] = OPTIONAL
    title: str = OPTIONAL
    summary: str = OPTIONAL
    description: str = OPTIONAL
    servers: list[RefOnly] = OPTIONAL
    parameters: dict[str, RefOr[Parameter]] = OPTIONAL
    tags: Tags = OPTIONAL
    externalDocs: RefOr[ExternalDocs] = OPTIONAL
    bindings: Bindings = OPTIONAL


class OperationReplyAddress(SpecObject):
    description: str = OPTIONAL
    location: str


class OperationReply(SpecObject):
    address: RefOr[OperationReplyAddress] = OPTIONAL
    channel: RefOnly = OPTIONAL
    messages: list[RefOnly] = OPTIONAL


class OperationTrait(SpecObject):
    title: str = OPTIONAL
    summary: str = OPTIONAL
    description: str = OPTIONAL
    security: list[RefOr[SecurityScheme]] = OPTIONAL
    tags: Tags = OPTIONAL
    externalDocs: RefOr[ExternalDocs] = OPTIONAL
    bindings: Bindings = OPTIONAL


class Operation(OperationTrait):
    action: Literal["send", "receive"]
    channel: RefOnly
    traits: list[RefOr[OperationTrait]] = OPTIONAL
    messages: list[RefOnly] = OPTIONAL
    reply: RefOr[OperationReply] = OPTIONAL


class Components(SpecObject):
    schemas: dict[ComponentKey, AnySchema] = OPTIONAL
    servers: dict[ComponentKey, RefOr[Server]] = OPTIONAL
    channels: dict[ComponentKey, RefOr[Channel]] = OPTIONAL
    operations: dict[ComponentKey, RefOr[Operation]] = OPTIONAL
    messages: dict[ComponentKey, RefOr[Message]] = OPTIONAL
    securitySchemes: dict[ComponentKey, RefOr[SecurityScheme]] = OPTIONAL
    serverVariables: dict[ComponentKey, RefOr[ServerVariable]] = OPTIONAL
    parameters: dict[ComponentKey, RefOr[Parameter]] = OPTIONAL
    correlationIds: dict[ComponentKey, RefOr[CorrelationId]] = OPTIONAL
    replies: dict[ComponentKey, RefOr[OperationReply]] = OPTIONAL
    replyAddresses: dict[ComponentKey, RefOr[OperationReplyAddress]] = OPTIONAL
    externalDocs: dict[ComponentKey, RefOr[ExternalDocs]] = OPTIONAL
    tags: dict[ComponentKey, RefOr[Tag3]] = OPTIONAL
    operationTraits: dict[ComponentKey, RefOr[OperationTrait]] = OPTIONAL
    messageTraits: dict[ComponentKey, RefOr[MessageTrait]] = OPTIONAL
    serverBindings: dict[ComponentKey, Bindings] = OPTIONAL
    channelBindings: dict[ComponentKey, Bindings] = OPTIONAL
    operationBindings: dict[ComponentKey, Bindings] = OPTIONAL
    messageBindings: dict[ComponentKey, Bindings] = OPTIONAL


class AsyncAPI(SpecObject):
    asyncapi: str
    id: str = OPTIONAL
    info: Info
    servers: dict[str, RefOr[Server]] = OPTIONAL
    defaultContentType: str = OPTIONAL
    channels: dict[str, RefOr[Channel]] = OPTIONAL
    operations: dict[str, RefOr[Operation]] = OPTIONAL
    components: Components = OPTIONAL


def check(document: object, minor: int) -> list[StructureIssue]:
    """Every structural fault of a 3.`minor` document."""
    return collect(AsyncAPI, document, {"minor": minor})
