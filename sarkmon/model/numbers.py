"""Exact numbers: SLO objectives and burn-rate factors are fractions, written without float noise.

``99.9`` given as a float is read through its shortest repr (``"99.9"``), never through its
binary value, so ``100 - 99.9`` is exactly ``1/10`` and prints ``0.1``, not ``0.09999999999``.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

Number = int | float | str | Decimal | Fraction


class NumberError(ValueError):
    pass


def exact(value: Number) -> Fraction:
    """The exact value a definition meant; raises NumberError for text that is not a number."""
    if isinstance(value, bool):
        raise NumberError(f"expected a number, got {value!r}")
    if isinstance(value, Fraction | int | Decimal):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(repr(value))
    if isinstance(value, str):
        try:
            return Fraction(value.strip())
        except (ValueError, ZeroDivisionError) as err:
            raise NumberError(f"expected a number, got {value!r}") from err
    raise NumberError(f"expected a number, got {value!r}")


def terminates(value: Fraction) -> bool:
    """True when the value has a finite decimal expansion (its denominator is 2^a 5^b)."""
    den = value.denominator
    for prime in (2, 5):
        while den % prime == 0:
            den //= prime
    return den == 1


def decimal_text(value: Fraction) -> str:
    """A terminating fraction in plain decimal notation: ``0.001``, ``14.4``, ``6``."""
    if not terminates(value):
        raise NumberError(f"{value} has no finite decimal expansion")
    places = 0
    while (value * 10**places).denominator != 1:
        places += 1
    digits = str(abs(value * 10**places).numerator).rjust(places + 1, "0")
    sign = "-" if value < 0 else ""
    if not places:
        return sign + digits
    whole, frac = digits[:-places], digits[-places:].rstrip("0")
    return sign + whole + ("." + frac if frac else "")


def promql_number(value: Fraction) -> str:
    """The value as a PromQL literal: a decimal when one exists, else ``n / d`` (exact)."""
    if terminates(value):
        return decimal_text(value)
    return f"{value.numerator} / {value.denominator}"


def percent_text(value: Fraction) -> str:
    """A ratio as a percentage for prose: ``0.999`` -> ``99.9%``; non-terminating ones rounded."""
    percent = value * 100
    if terminates(percent):
        return decimal_text(percent) + "%"
    return f"{float(percent):.4g}%"
