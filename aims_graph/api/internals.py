"""What an answer must never show: the engine's address, the store's and token file's paths.

Messages are written without them in the first place (the gateway and the error
handlers say "the SPARQL engine", not its URL); this is the second line: every error
detail passes ``Internals.redact`` before it leaves, so a message that comes from
elsewhere (the library's store layer, the engine's own text) cannot carry them either.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

_SHORTEST = 4


@dataclass
class Internals:
    """The strings to hide, each with the neutral words that replace it."""

    replacements: list[tuple[str, str]] = field(default_factory=list)

    def add_engine(self, url: str) -> None:
        """An endpoint URL, and the ``host:port`` inside it."""
        self._add(url.rstrip("/"), "the SPARQL engine")
        netloc = urlsplit(url).netloc
        if netloc:
            self._add(netloc, "the SPARQL engine")

    def add_path(self, path: Path | str, words: str) -> None:
        """A file or directory, as given and as resolved."""
        self._add(str(path), words)
        self._add(os.path.realpath(path), words)

    def _add(self, secret: str, words: str) -> None:
        # A path as short as "." or "/" is no secret, and replacing it would garble text.
        if len(secret) >= _SHORTEST and all(secret != known for known, _ in self.replacements):
            self.replacements.append((secret, words))
            # Longest first, so a URL goes before the host:port it contains.
            self.replacements.sort(key=lambda pair: -len(pair[0]))

    def redact(self, text: str) -> str:
        for secret, words in self.replacements:
            text = text.replace(secret, words)
        return text
