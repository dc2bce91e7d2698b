"""Errors that a user caused and can fix: each message says what, where and why.

Everything the CLI and the API report as a clean one-line error (instead of a stack
trace) derives from ``AimsGraphError`` or is one of the parser errors listed in
``USER_ERRORS``.
"""

from __future__ import annotations


class AimsGraphError(Exception):
    """Base of the errors whose message is meant for the user."""


class InputError(AimsGraphError, ValueError):
    """A file, body or parameter cannot be used as given (malformed, unknown format...)."""


class InputTooLarge(InputError):
    """An input beyond a size limit of the service (HTTP 413): it may be fine, just too big
    for one request."""


class NotFoundError(AimsGraphError, LookupError):
    """A named thing (query, system, concept, graph) does not exist."""
