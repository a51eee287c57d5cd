"""Prometheus durations: parsed exactly, written back in one canonical form."""

from __future__ import annotations

import re
from functools import lru_cache

_UNITS_MS = {
    "y": 365 * 86_400_000,
    "w": 7 * 86_400_000,
    "d": 86_400_000,
    "h": 3_600_000,
    "m": 60_000,
    "s": 1_000,
    "ms": 1,
}
_DURATION_RE = re.compile(
    r"^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$"
)
_ORDER = ("y", "w", "d", "h", "m", "s", "ms")
# Output units: weeks and years are accepted but written as days, which reads better
# ("30d", not "4w2d") and is what every Prometheus version parses.
_WRITE_UNITS = (("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1))


class DurationError(ValueError):
    pass


def parse_ms(text: str) -> int:
    """Milliseconds in a Prometheus duration such as ``1h30m``; raises DurationError."""
    if not isinstance(text, str) or not text:
        raise DurationError(f"duration must be a non-empty string like '5m', got {text!r}")
    return _parse(text)


@lru_cache(maxsize=4096)  # a project writes a handful of durations, thousands of times
def _parse(text: str) -> int:
    match = _DURATION_RE.match(text)
    if match is None or not any(match.groups()):
        raise DurationError(
            f"invalid duration {text!r} (use units ms, s, m, h, d, w, y as in '1h30m')"
        )
    return sum(int(v) * _UNITS_MS[u] for u, v in zip(_ORDER, match.groups(), strict=True) if v)


@lru_cache(maxsize=4096)
def format_ms(ms: int) -> str:
    """The canonical text of a duration: largest units first, days at most, ``0s`` for zero."""
    if ms == 0:
        return "0s"
    parts = []
    for unit, size in _WRITE_UNITS:
        count, ms = divmod(ms, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def canonical(text: str) -> str:
    return format_ms(parse_ms(text))
