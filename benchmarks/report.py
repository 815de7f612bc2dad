"""How every benchmark reports: progress lines on stderr, medians that count a missed result as the
slowest, tables as plain text or Markdown, and the JSON file of everything measured."""

from __future__ import annotations

import json
import math
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path


def logger(name: str) -> Callable[[str], None]:
    """A `log(message)` that prints "[name 12:00:00] message" to stderr (the tables go to stdout)."""

    def log(message: str) -> None:
        print(f"[{name} {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    return log


def median(values: Iterable[float | None]) -> float | None:
    """The median, a None (a run that missed: no result) counting as the slowest; None if the median
    itself missed or there are no values."""
    values = [math.inf if value is None else value for value in values]
    middle = statistics.median(values) if values else math.inf
    return None if math.isinf(middle) else middle


def spread(values: Iterable[float | None]) -> dict:
    """How many values, how many have a result (not None), and the median and worst of those."""
    values = list(values)
    got = [value for value in values if value is not None]
    return {
        "count": len(values),
        "with_result": len(got),
        "median": statistics.median(got) if got else None,
        "worst": max(got) if got else None,
    }


def plain_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest cell, a line of dashes under the header."""
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def write_json(path: Path, results: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, allow_nan=False) + "\n")
