"""The objects whose field tables are the same in AsyncAPI 2.x and 3.x, and the common parts of the
Security Scheme and OAuth Flow objects (whose scopes and flows differ between the versions)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AfterValidator, Field, model_validator

from generator.spec.common import OPTIONAL, SpecObject, fault


class Contact(SpecObject):
    name: str = OPTIONAL
    url: str = OPTIONAL
    email: str = OPTIONAL


class License(SpecObject):
    name: str
    url: str = OPTIONAL


class ExternalDocs(SpecObject):
    description: str = OPTIONAL
    url: str


class InfoBase(SpecObject):
    title: str
    version: str
    description: str = OPTIONAL
    termsOfService: str = OPTIONAL
    contact: Contact = OPTIONAL
    license: License = OPTIONAL


class ServerVariable(SpecObject):
    enum: list[str] = OPTIONAL
    default: str = OPTIONAL
    description: str = OPTIONAL
    examples: list[str] = OPTIONAL


class CorrelationId(SpecObject):
    description: str = OPTIONAL
    location: str


class MessageExample(SpecObject):
    headers: dict[str, Any] = OPTIONAL
    payload: Any = OPTIONAL
    name: str = OPTIONAL
    summary: str = OPTIONAL

    @model_validator(mode="after")
    def _has_content(self) -> MessageExample:
        if not {"headers", "payload"} & self.model_fields_set:
            raise fault("example", "a message example must have 'headers' or 'payload'")
        return self


class OAuthFlowBase(SpecObject):
    """The URLs of an OAuth Flow Object; each version adds its scopes field."""

    authorizationUrl: str = OPTIONAL
    tokenUrl: str = OPTIONAL
    refreshUrl: str = OPTIONAL


# The URLs each flow of an OAuth Flows Object requires ("Applies To" in the spec's table).
_FLOW_URLS = {
    "implicit": ("authorizationUrl",),
    "password": ("tokenUrl",),
    "clientCredentials": ("tokenUrl",),
    "authorizationCode": ("authorizationUrl", "tokenUrl"),
}


def _check_flow_urls(flow: Any, kind: str) -> Any:
    for url in _FLOW_URLS[kind]:
        if url not in flow.model_fields_set:
            raise fault("missing", f"required field {url!r} is missing (the {kind} flow needs it)")
    return flow


def _flow(kind: str) -> AfterValidator:
    return AfterValidator(lambda flow: _check_flow_urls(flow, kind))


ImplicitFlow = _flow("implicit")
PasswordFlow = _flow("password")
ClientCredentialsFlow = _flow("clientCredentials")
AuthorizationCodeFlow = _flow("authorizationCode")

SecuritySchemeType = Literal[
    "userPassword",
    "apiKey",
    "X509",
    "symmetricEncryption",
    "asymmetricEncryption",
    "httpApiKey",
    "http",
    "oauth2",
    "openIdConnect",
    "plain",
    "scramSha256",
    "scramSha512",
    "gssapi",
]

# Fields a Security Scheme Object requires for its type, and the values `in` may take for it.
_SCHEME_REQUIRES = {
    "apiKey": ("in",),
    "httpApiKey": ("name", "in"),
    "http": ("scheme",),
    "oauth2": ("flows",),
    "openIdConnect": ("openIdConnectUrl",),
}
_SCHEME_IN = {"apiKey": ("user", "password"), "httpApiKey": ("query", "header", "cookie")}


class SecuritySchemeBase(SpecObject):
    """A Security Scheme Object without `flows` (whose OAuth Flow type differs by version)."""

    type: SecuritySchemeType
    description: str = OPTIONAL
    name: str = OPTIONAL
    in_: str = Field(OPTIONAL, alias="in")
    scheme: str = OPTIONAL
    bearerFormat: str = OPTIONAL
    openIdConnectUrl: str = OPTIONAL

    @model_validator(mode="after")
    def _fields_for_type(self) -> SecuritySchemeBase:
        fields = type(self).model_fields
        present = {fields[name].alias or name for name in self.model_fields_set}
        for field in _SCHEME_REQUIRES.get(self.type, ()):
            if field not in present:
                raise fault(
                    "missing",
                    f"required field {field!r} is missing (security scheme type {self.type!r})",
                )
        allowed = _SCHEME_IN.get(self.type)
        if allowed and self.in_ not in allowed:
            choices = " or ".join(repr(a) for a in allowed)
            raise fault(
                "scheme_in",
                f"field 'in' must be {choices} for security scheme type {self.type!r}, got {self.in_!r}",
            )
        return self
