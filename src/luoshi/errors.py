"""One exception base for everything luoshi raises on purpose.

Each subclass says what was wrong with which input, so the CLI can print one clear line
per failure (``path: reason``) instead of a traceback.
"""

from __future__ import annotations


class LuoshiError(Exception):
    """Base of every error luoshi raises deliberately."""

    def __init__(self, reason: str, *, source: str | None = None) -> None:
        self.reason = reason
        self.source = source
        super().__init__(f"{source}: {reason}" if source else reason)


class InputError(LuoshiError):
    """An input file or text that cannot be used (missing, empty, binary, too large…)."""


class EmptyInputError(InputError):
    """The input has no text at all."""


class BinaryInputError(InputError):
    """The input is not text (an image, an archive, random bytes)."""


class DecodeError(InputError):
    """The bytes could not be decoded as text in any supported encoding."""


class ExtractionError(LuoshiError):
    """Extraction could not run on a document."""


class LedgerError(LuoshiError):
    """The ledger database could not be opened, read or written."""


class DatabaseUnavailableError(LedgerError):
    """The database server is down or refuses the connection."""


class DatabaseLockedError(LedgerError):
    """Another process holds the database lock."""


class NotFoundError(LuoshiError):
    """A document, item or place that was asked for does not exist."""


class BatchError(LuoshiError):
    """A distributed batch run failed."""
