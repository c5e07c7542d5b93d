"""The domain errors that pages and the API turn into messages (in Indonesian)."""

from __future__ import annotations


class DomainError(Exception):
    """A refusal the user should read: ``message`` is Indonesian and safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(DomainError):
    """One or more fields are wrong; ``errors`` maps field name to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__('Mohon periksa kembali isian yang ditandai.')
        self.errors = errors


class NotFound(DomainError):
    pass


class NotAllowed(DomainError):
    """The actor's role (or OPD) may not do this; nothing was read or changed."""


class RateLimited(DomainError):
    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
