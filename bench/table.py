"""The benchmark table: each figure beside its floor measured in the same run, and its target."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Row:
    measure: str  # what was measured
    value: float
    unit: str
    floor: float | None = None  # the same figure for the floor, measured in the same run
    floor_label: str = ''
    target: str = ''  # e.g. '>= 200/s and >= 0.5x floor'
    ok: bool | None = None  # whether the target is met


def print_table(rows: list[Row]) -> None:
    headers = ('measure', 'value', 'floor', 'ratio', 'target', 'met')
    lines = []
    for r in rows:
        ratio = f'{r.value / r.floor:.2f}x' if r.floor else ''
        floor = f'{r.floor:,.1f} {r.unit} ({r.floor_label})' if r.floor is not None else ''
        met = '' if r.ok is None else ('yes' if r.ok else 'NO')
        lines.append((r.measure, f'{r.value:,.1f} {r.unit}', floor, ratio, r.target, met))
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *lines, strict=False)]
    def fmt(cells):
        return '| ' + ' | '.join(str(c).ljust(w) for c, w in zip(cells, widths, strict=False)) + ' |'
    print(fmt(headers))
    print('|' + '|'.join('-' * (w + 2) for w in widths) + '|')
    for line in lines:
        print(fmt(line))
