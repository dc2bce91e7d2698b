"""Benchmark results as data, as JSON and as rich tables.

A *section* (import, queries, validation) has *cases* (one per query; a single case
for import and validation) in which each *contender* has one *measurement*: wall-clock
samples, their median, and the peak memory of the process that produced them.
*Targets* are the promises made in the project's issues, each judged met or not.
"""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field

from rich.console import Console
from rich.table import Table


@dataclass
class Measurement:
    contender: str
    samples_s: list[float] = field(default_factory=list)
    peak_rss_kb: int | None = None
    baseline_rss_kb: int | None = None
    error: str | None = None
    timed_out: bool = False
    lower_bound_s: float | None = None  # a timed-out run took at least this long
    info: dict[str, object] = field(default_factory=dict)

    @property
    def median_s(self) -> float | None:
        return statistics.median(self.samples_s) if self.samples_s else None

    @property
    def at_least_s(self) -> float | None:
        """The median, or for a run that timed out, the time it is known to exceed."""
        return self.median_s if self.median_s is not None else self.lower_bound_s

    @property
    def peak_mb(self) -> float | None:
        return None if self.peak_rss_kb is None else self.peak_rss_kb / 1024

    @property
    def work_mb(self) -> float | None:
        """Peak growth over the child's memory once its set-up was done."""
        if self.peak_rss_kb is None or self.baseline_rss_kb is None:
            return None
        return (self.peak_rss_kb - self.baseline_rss_kb) / 1024

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data.update(median_s=self.median_s, peak_mb=self.peak_mb, work_mb=self.work_mb)
        return data


@dataclass
class Target:
    name: str
    value: str
    met: bool | None  # None: could not be judged (a contender failed)

    def to_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class Case:
    name: str
    measurements: dict[str, Measurement] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)
    info: dict[str, object] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "info": self.info, "targets": [t.to_json() for t in self.targets],
                "measurements": {k: m.to_json() for k, m in self.measurements.items()}}


@dataclass
class Section:
    name: str
    title: str
    contenders: list[str]
    cases: list[Case] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)  # judged over all cases
    memory: dict[str, Measurement] = field(default_factory=dict)  # one process per contender
    notes: list[str] = field(default_factory=list)
    layout: str = "matrix"  # "matrix": a row per case; "contenders": a table per case

    def to_json(self) -> dict[str, object]:
        return {
            "title": self.title, "layout": self.layout, "contenders": self.contenders, "notes": self.notes,
            "targets": [t.to_json() for t in self.targets],
            "memory": {k: m.to_json() for k, m in self.memory.items()},
            "cases": [c.to_json() for c in self.cases],
        }


@dataclass
class BenchResult:
    meta: dict[str, object]
    sections: list[Section] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"meta": self.meta, "sections": {s.name: s.to_json() for s in self.sections}}


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return numerator / denominator


def seconds(value: float | None, lower_bound: bool = False) -> str:
    """A duration in the unit a reader compares at a glance."""
    if value is None:
        return "—"
    prefix = "≥ " if lower_bound else ""
    if value < 1:
        return f"{prefix}{value * 1000:.1f} ms"
    return f"{prefix}{value:.2f} s"


def megabytes(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} MB"


def _time_cell(m: Measurement | None) -> str:
    if m is None:
        return "—"
    if m.median_s is None:
        return seconds(m.lower_bound_s, True) if m.timed_out else "[red]failed[/]"
    return seconds(m.median_s)


def _mark(met: bool | None) -> str:
    return {True: "[green]✓ met[/]", False: "[red]✗ missed[/]", None: "[yellow]? not judged[/]"}[met]


def _targets_table(targets: list[Target]) -> Table:
    table = Table(show_header=False, box=None, padding=(0, 1))
    for target in targets:
        table.add_row(_mark(target.met), target.name, target.value)
    return table


def render(result: BenchResult, console: Console) -> None:
    meta = result.meta
    console.print(f"[bold]aims-graph bench[/]: {meta['systems']:,} AI systems, {meta['triples']:,} triples "
                  f"(seed {meta['seed']}), {meta['cpus']} CPU(s), load average at start {meta['load_average']}")
    for section in result.sections:
        _render_section(section, console)


def _render_section(section: Section, console: Console) -> None:
    if section.layout == "contenders":
        for case in section.cases:
            console.print(_contenders_table(section, case))
            if case.targets:
                console.print(_targets_table(case.targets))
    else:
        console.print(_matrix_table(section))
    if section.memory:
        console.print("  peak memory per process: " + ", ".join(
            f"{name} {megabytes(m.peak_mb)}" + (f" ({m.error})" if m.error else "")
            for name, m in section.memory.items()))
    if section.targets:
        console.print(_targets_table(section.targets))
    for note in section.notes:
        console.print(f"  [dim]{note}[/]")


def _contenders_table(section: Section, case: Case) -> Table:
    table = Table(title=f"{section.title}: {case.name}", title_justify="left")
    for column in ("contender", "median", "runs", "peak memory", "work memory", "note"):
        table.add_column(column, justify="left" if column in ("contender", "note") else "right")
    for name in section.contenders:
        m = case.measurements.get(name)
        if m is not None:
            table.add_row(name, _time_cell(m), str(len(m.samples_s)), megabytes(m.peak_mb),
                          megabytes(m.work_mb), m.error or "")
    return table


def _rows_cell(rows: object) -> str:
    if isinstance(rows, dict):
        return ", ".join(f"{name.split()[0]} {count}" for name, count in rows.items())
    return str(rows)


def _matrix_table(section: Section) -> Table:
    table = Table(title=section.title, title_justify="left")
    table.add_column("case", no_wrap=True)
    for name in section.contenders:
        table.add_column(name, justify="right")
    table.add_column("rows", justify="right")
    table.add_column("targets")
    for case in section.cases:
        marks = "  ".join(("[green]✓[/] " if t.met else "[red]✗[/] " if t.met is False else "[yellow]?[/] ") + t.value
                          for t in case.targets)
        table.add_row(case.name, *(_time_cell(case.measurements.get(n)) for n in section.contenders),
                      _rows_cell(case.info.get("rows", "—")), marks)
    return table
