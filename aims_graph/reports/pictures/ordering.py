"""Ordering identifiers as people read them: ``Article 9`` before ``Article 10``."""

from __future__ import annotations

import re


def notation_key(text: str) -> tuple[tuple[int, object], ...]:
    """Sort key comparing digit runs as numbers (``A.6.2.4`` before ``A.10.2``)."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text) if part)
