"""Types of the Lambda runtime the handlers use, so the package needs nothing beyond the standard library."""

from __future__ import annotations

from typing import Any, Protocol, TypedDict

__all__ = ["BatchItemFailure", "LambdaContext", "PartialBatchResponse"]


class LambdaContext(Protocol):
    """The context object Lambda passes to every invocation (the attributes handlers commonly read)."""

    @property
    def function_name(self) -> str: ...
    @property
    def function_version(self) -> str: ...
    @property
    def invoked_function_arn(self) -> str: ...
    @property
    def memory_limit_in_mb(self) -> int | str: ...
    @property
    def aws_request_id(self) -> str: ...
    @property
    def log_group_name(self) -> str: ...
    @property
    def log_stream_name(self) -> str: ...
    @property
    def identity(self) -> Any: ...
    @property
    def client_context(self) -> Any: ...

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before Lambda stops the invocation."""
        ...


class BatchItemFailure(TypedDict):
    itemIdentifier: str


class PartialBatchResponse(TypedDict):
    """What a poll-based handler returns: the records that failed, to be delivered again."""

    batchItemFailures: list[BatchItemFailure]
