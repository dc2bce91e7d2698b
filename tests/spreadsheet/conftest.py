"""The ``workbook`` fixture: a filled template in the test's own directory."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from tests.spreadsheet.filling import FILLED, Rows, fill_template


@pytest.fixture
def workbook(tmp_path: Path) -> Callable[..., Path]:
    def make(rows: Rows | None = None, name: str = "registers.xlsx", **options: object) -> Path:
        return fill_template(tmp_path / name, FILLED if rows is None else rows, **options)  # type: ignore[arg-type]

    return make
