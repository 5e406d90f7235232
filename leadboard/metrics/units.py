"""Numbers as people read them, per language: 1,234.56 (en) or 1.234,56 (de), "–" for missing.

Every interface (pages, reports) formats KPI values with these, so they look the same everywhere.
"""

from __future__ import annotations

from typing import Any


def number(value: float, lang: str, decimals: int = 0) -> str:
    """1,234.56 (en) or 1.234,56 (de)."""
    text = f"{value:,.{decimals}f}"
    if lang == "de":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF"}


def fmt(value: Any, unit: str, lang: str, currency: str = "EUR") -> str:
    """A KPI value as people read it: '–' for missing, €1,234 / 1.234 €, 12.5 % / 12,5 %."""
    if value is None:
        return "–"
    if unit == "count":
        return number(value, lang)
    if unit == "currency":
        symbol = _SYMBOLS.get(currency, currency)
        decimals = 0 if abs(value) >= 1000 else 2
        amount = number(value, lang, decimals)
        return f"{amount} {symbol}" if lang == "de" else f"{symbol}{amount}"
    if unit == "percent":
        return f"{number(value * 100, lang, 1)} %"
    if unit == "hours":
        return f"{number(value, lang, 1)} h"
    return number(value, lang, 2)
