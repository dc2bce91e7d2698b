"""The machine's process table, read from /proc, for tests that watch or kill servers."""

from __future__ import annotations

from pathlib import Path


def processes() -> dict[int, tuple[str, int]]:
    """Every live process as ``pid -> (command name, parent pid)``."""
    table: dict[int, tuple[str, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: fields start after the last ')'.
        name, rest = stat.split("(", 1)[1].rsplit(")", 1)
        table[int(entry.name)] = (name, int(rest.split()[1]))
    return table


def alive(pid: int) -> bool:
    """True while ``pid`` runs: a zombie (Z) or dead (X) process counts as gone."""
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in {"Z", "X"}
