"""A page's view in its URL: which query parameters a page understands, how each is checked, and
the query string that reproduces a view.

A link is typed, pasted and shared by people, so nothing in it is trusted: an unknown name, a value
of the wrong kind or size, or too many parameters are ignored, each with a notice saying so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

MAX_VALUE_CHARS = 400  # longer than any sentence the app accepts (300 characters)
MAX_PARAMETERS = 20  # more than any page uses
MAX_SHOWN_CHARS = 30  # how much of a bad name or value a notice repeats


@dataclass(frozen=True)
class Parameter:
    parse: Callable[[str], object]  # raises ValueError with the reason
    to_text: Callable[[object], str] = str


def choice(options: Sequence[str]) -> Parameter:
    def parse(text: str) -> str:
        if text not in options:
            raise ValueError("must be one of " + ", ".join(options))
        return text

    return Parameter(parse)


def whole_number(low: int, high: int) -> Parameter:
    def parse(text: str) -> int:
        if not text.strip().isdigit() or not low <= int(text) <= high:
            raise ValueError(f"must be a whole number from {low} to {high}")
        return int(text)

    return Parameter(parse)


def number_from(options: Sequence[float]) -> Parameter:
    """A number that must be one of a few (a select slider's values), written as it is shown."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = None
        for option in options:
            if value is not None and abs(value - option) <= 1e-9 * max(abs(option), 1):
                return option
        raise ValueError("must be one of " + ", ".join(f"{option:g}" for option in options))

    return Parameter(parse, lambda value: f"{value:g}")


def switch() -> Parameter:
    def parse(text: str) -> bool:
        if text.lower() in ("1", "true", "on", "yes"):
            return True
        if text.lower() in ("0", "false", "off", "no"):
            return False
        raise ValueError("must be 1 (on) or 0 (off)")

    return Parameter(parse, lambda value: "1" if value else "0")


def text(max_chars: int) -> Parameter:
    def parse(value: str) -> str:
        if not value.strip():
            raise ValueError("is empty")
        if len(value) > max_chars:
            raise ValueError(f"is {len(value):,} characters long; the limit is {max_chars}")
        return value

    return Parameter(parse)


def _shown(value: str) -> str:
    return value if len(value) <= MAX_SHOWN_CHARS else value[:MAX_SHOWN_CHARS] + "…"


def read(
    query: Mapping[str, str], parameters: Mapping[str, Parameter]
) -> tuple[dict[str, object], list[str]]:
    """The values a page can use from a URL's query parameters, and a notice for each one ignored."""
    values: dict[str, object] = {}
    notices: list[str] = []
    for position, (name, raw) in enumerate(query.items()):
        if position == MAX_PARAMETERS:
            notices.append(f"The link has {len(query)} settings; only the first {MAX_PARAMETERS} were read.")
            break
        if name not in parameters:
            notices.append(f"Ignored “{_shown(name)}”: this page has no such setting.")
            continue
        if len(raw) > MAX_VALUE_CHARS:
            notices.append(f"Ignored “{name}”: its value is {len(raw):,} characters long.")
            continue
        try:
            values[name] = parameters[name].parse(raw)
        except ValueError as reason:
            notices.append(f"Ignored “{name}={_shown(raw)}”: it {reason}.")
    return values, notices


def write(
    values: Mapping[str, object], parameters: Mapping[str, Parameter], defaults: Mapping[str, object]
) -> dict[str, str]:
    """The query parameters for a view: every value that differs from its default, as text."""
    return {
        name: parameters[name].to_text(value)
        for name, value in values.items()
        if value is not None and value != defaults.get(name)
    }
