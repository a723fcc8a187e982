"""AsyncAPI 2.x (2.0-2.6) objects, written from the field tables of the 2.6.0 specification.

One set of models serves every 2.x minor version: fields a later minor added (`messageId` in 2.4,
channel `servers` in 2.2, server `tags` in 2.5, ...) are accepted everywhere rather than rejected in
older documents. The one difference that is checked is 2.0's free-form message examples.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Discriminator, Field, Tag, ValidationInfo, field_validator

from generator.spec import StructureIssue
from generator.spec.common import (
    OBJECT_TAG,
    ONE_OF_TAG,
    OPTIONAL,
    REF_TAG,
    Bindings,
    ComponentKey,
    Reference,
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

#: Security Requirement Object: security scheme name -> required scopes.
SecurityRequirement = dict[str, list[str]]


class Tag2(SpecObject):
    name: str
    description: str = OPTIONAL
    externalDocs: ExternalDocs = OPTIONAL


Tags = Annotated[list[Tag2], UniqueTags]


class Server(SpecObject):
    url: str
    protocol: str
    protocolVersion: str = OPTIONAL
    description: str = OPTIONAL
    variables: dict[str, RefOr[ServerVariable]] = OPTIONAL
    security: list[SecurityRequirement] = OPTIONAL
    tags: Tags = OPTIONAL
    bindings: Bindings = OPTIONAL


class Parameter(SpecObject):
    description: str = OPTIONAL
    schema_: Schema = Field(OPTIONAL, alias="schema")
    location: str = OPTIONAL


class _MessageFields(SpecObject):
    """The fields a Message Object shares with a Message Trait Object."""

    messageId: str = OPTIONAL
    headers: Schema = OPTIONAL
    correlationId: RefOr[CorrelationId] = OPTIONAL
    # Declared before the Message's `payload`, whose check reads it (fields validate in order).
    schemaFormat: str = OPTIONAL
    contentType: str = OPTIONAL
    name: str = OPTIONAL
    title: str = OPTIONAL
    summary: str = OPTIONAL
    description: str = OPTIONAL
    tags: Tags = OPTIONAL
    externalDocs: ExternalDocs = OPTIONAL
    bindings: Bindings = OPTIONAL
    examples: list[MessageExample] = OPTIONAL

    @field_validator("examples", mode="before")
    @classmethod
    def _free_form_in_2_0(cls, value: Any, info: ValidationInfo) -> Any:
        # 2.0 typed examples as [Map[string, any]]: any mapping is an example, so each one is handed
        # on as a bare payload, which the (2.1+) Message Example Object accepts whatever it holds.
        if (info.context or {}).get("minor") == 0 and isinstance(value, list):
            return [{"payload": item} if isinstance(item, dict) else item for item in value]
        return value


class MessageTrait(_MessageFields):
    pass


class Message(_MessageFields):
    # The spec types the payload as `any`: a schema unless `schemaFormat` names another language.
    payload: Any = OPTIONAL
    traits: list[RefOr[MessageTrait]] = OPTIONAL

    @field_validator("payload")
    @classmethod
    def _payload_shape(cls, value: Any, info: ValidationInfo) -> Any:
        return check_schema_for_format(value, info.data.get("schemaFormat"))


class OneOfMessages(SpecObject):
    oneOf: list[RefOr[Message]]


def _pick_message(value: Any) -> str:
    if is_reference(value):
        return REF_TAG
    return ONE_OF_TAG if isinstance(value, dict) and "oneOf" in value else OBJECT_TAG


#: Operation `message`: a Message, a Reference, or a map holding only `oneOf` (several messages).
OperationMessage = Annotated[
    Annotated[Reference, Tag(REF_TAG)]
    | Annotated[OneOfMessages, Tag(ONE_OF_TAG)]
    | Annotated[Message, Tag(OBJECT_TAG)],
    Discriminator(_pick_message),
]


class OperationTrait(SpecObject):
    operationId: str = OPTIONAL
    summary: str = OPTIONAL
    description: str = OPTIONAL
    security: list[SecurityRequirement] = OPTIONAL
    tags: Tags = OPTIONAL
    externalDocs: ExternalDocs = OPTIONAL
    bindings: Bindings = OPTIONAL


class Operation(OperationTrait):
    traits: list[RefOr[OperationTrait]] = OPTIONAL
    message: OperationMessage = OPTIONAL


class ChannelItem(SpecObject):
    # Not a Reference Object: a Channel Item may have `$ref` beside its own fields.
    ref: str = Field(OPTIONAL, alias="$ref")
    description: str = OPTIONAL
    servers: list[str] = OPTIONAL
    subscribe: Operation = OPTIONAL
    publish: Operation = OPTIONAL
    parameters: dict[str, RefOr[Parameter]] = OPTIONAL
    bindings: Bindings = OPTIONAL


class OAuthFlow(OAuthFlowBase):
    scopes: dict[str, str]


class OAuthFlows(SpecObject):
    implicit: Annotated[OAuthFlow, ImplicitFlow] = OPTIONAL
    password: Annotated[OAuthFlow, PasswordFlow] = OPTIONAL
    clientCredentials: Annotated[OAuthFlow, ClientCredentialsFlow] = OPTIONAL
    authorizationCode: Annotated[OAuthFlow, AuthorizationCodeFlow] = OPTIONAL


class SecurityScheme(SecuritySchemeBase):
    flows: OAuthFlows = OPTIONAL


class Components(SpecObject):
    schemas: dict[ComponentKey, Schema] = OPTIONAL
    servers: dict[ComponentKey, RefOr[Server]] = OPTIONAL
    serverVariables: dict[ComponentKey, RefOr[ServerVariable]] = OPTIONAL
    # Keyed by channel name like the root Channels Object (the spec's own example uses
    # "user/signedup"), so the component-name pattern is not applied to these keys.
    channels: dict[str, ChannelItem] = OPTIONAL
    messages: dict[ComponentKey, RefOr[Message]] = OPTIONAL
    securitySchemes: dict[ComponentKey, RefOr[SecurityScheme]] = OPTIONAL
    parameters: dict[ComponentKey, RefOr[Parameter]] = OPTIONAL
    correlationIds: dict[ComponentKey, RefOr[CorrelationId]] = OPTIONAL
    operationTraits: dict[ComponentKey, RefOr[OperationTrait]] = OPTIONAL
    messageTraits: dict[ComponentKey, RefOr[MessageTrait]] = OPTIONAL
    serverBindings: dict[ComponentKey, Bindings] = OPTIONAL
    channelBindings: dict[ComponentKey, Bindings] = OPTIONAL
    operationBindings: dict[ComponentKey, Bindings] = OPTIONAL
    messageBindings: dict[ComponentKey, Bindings] = OPTIONAL


class AsyncAPI(SpecObject):
    asyncapi: str
    id: str = OPTIONAL
    info: InfoBase
    servers: dict[str, RefOr[Server]] = OPTIONAL
    defaultContentType: str = OPTIONAL
    channels: dict[str, ChannelItem]
    components: Components = OPTIONAL
    tags: Tags = OPTIONAL
    externalDocs: ExternalDocs = OPTIONAL


def check(document: object, minor: int) -> list[StructureIssue]:
    """Every structural fault of a 2.`minor` document."""
    return collect(AsyncAPI, document, {"minor": minor})
