"""The KPI registry: every KPI as data (`kpis.toml`), validated into a list of issues."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from leadboard.model.issues import Issue, Level

UNITS = ("count", "currency", "percent", "hours", "ratio")
LANGUAGES = ("en", "de")
# The facts the engine counts from, and the KPIs each one yields.
FACT_METRICS: dict[str, tuple[str, ...]] = {
    "lead": ("leads", "campaign_leads", "converted_leads"),
    "handover": ("handed_over",),
    "response": ("accepted", "rejected", "acceptance_delay_median_h", "acceptance_delay_p90_h"),
    "pending": ("pending_handover", "overdue_handover"),
    "unprocessed": ("unprocessed_leads",),
    "stalled": ("stalled_leads",),
    "recycled": ("recycled_leads",),
    "opportunity": (
        "opportunities",
        "marketing_opportunities",
        "opportunity_volume",
        "marketing_opportunity_volume",
    ),
    "closed": ("won_opportunities", "lost_opportunities", "won_volume"),
    "cost": ("cost",),
    "budget": ("budget_planned",),
}
_SOURCE = "kpis.toml"


@dataclass(frozen=True)
class Kpi:
    name: str
    label: dict[str, str]
    description: dict[str, str]
    formula: str
    anchor: str
    unit: str
    higher_is_better: bool | None
    fact: str | None = None
    numerator: str | None = None
    denominator: tuple[str, ...] = ()
    hidden: bool = False

    @property
    def derived(self) -> bool:
        return self.numerator is not None

    @property
    def additive(self) -> bool:
        """Whether values of sub-periods add up (a target's pace scales with elapsed time)."""
        return not self.derived and self.unit in ("count", "currency")

    def public(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "description": self.description,
            "formula": self.formula,
            "anchor": self.anchor,
            "unit": self.unit,
            "higher_is_better": self.higher_is_better,
        }


@dataclass(frozen=True)
class Registry:
    kpis: dict[str, Kpi]
    issues: tuple[Issue, ...]

    def visible(self) -> list[Kpi]:
        return [k for k in self.kpis.values() if not k.hidden]

    def __getitem__(self, name: str) -> Kpi:
        return self.kpis[name]

    def __contains__(self, name: object) -> bool:
        return name in self.kpis


def parse_registry(text: str) -> Registry:
    """Read a registry's TOML text; every problem becomes an issue instead of an exception."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Registry({}, (_issue(None, f"not valid TOML: {exc}"),))
    kpis: dict[str, Kpi] = {}
    issues: list[Issue] = []
    for name, raw in data.items():
        kpi, problems = _kpi(name, raw)
        issues += problems
        if kpi is not None:
            kpis[name] = kpi
    issues += _check_references(kpis)
    return Registry(kpis, tuple(issues))


@lru_cache(maxsize=1)
def registry() -> Registry:
    """The shipped registry; the engine refuses to start when it has errors."""
    text = resources.files("leadboard.metrics").joinpath(_SOURCE).read_text("utf-8")
    return parse_registry(text)


def _issue(name: str | None, message: str, level: Level = Level.ERROR) -> Issue:
    return Issue(_SOURCE, None, name, message, level, "kpi")


def _texts(name: str, raw: dict[str, Any], key: str) -> tuple[dict[str, str], list[Issue]]:
    value = raw.get(key)
    texts = (
        {lang: str(value.get(lang, "")).strip() for lang in LANGUAGES}
        if isinstance(value, dict)
        else {}
    )
    missing = [lang for lang in LANGUAGES if not texts.get(lang)]
    return texts, [_issue(name, f"{key} has no {lang} text") for lang in missing]


def _kpi(name: str, raw: Any) -> tuple[Kpi | None, list[Issue]]:
    if not isinstance(raw, dict):
        return None, [_issue(name, "a KPI must be a table")]
    label, issues = _texts(name, raw, "label")
    description, more = _texts(name, raw, "description")
    issues += more
    unit = str(raw.get("unit", ""))
    if unit not in UNITS:
        issues.append(_issue(name, f"unknown unit {unit!r} (allowed: {', '.join(UNITS)})"))
    for key in ("formula", "anchor"):
        if not str(raw.get(key, "")).strip():
            issues.append(_issue(name, f"{key} is missing"))
    better = raw.get("higher_is_better")
    if better is not None and not isinstance(better, bool):
        issues.append(_issue(name, f"higher_is_better must be true or false, not {better!r}"))
        better = None
    fact, numerator = raw.get("fact"), raw.get("numerator")
    if (fact is None) == (numerator is None):
        issues.append(_issue(name, "give either fact (a base KPI) or numerator (a derived KPI)"))
    elif fact is not None and name not in FACT_METRICS.get(str(fact), ()):
        issues.append(_issue(name, f"the engine does not compute {name} from fact {fact!r}"))
    kpi = Kpi(
        name=name,
        label=label,
        description=description,
        formula=str(raw.get("formula", "")),
        anchor=str(raw.get("anchor", "")),
        unit=unit,
        higher_is_better=better,
        fact=None if fact is None else str(fact),
        numerator=None if numerator is None else str(numerator),
        denominator=tuple(raw.get("denominator", ())),
        hidden=bool(raw.get("hidden", False)),
    )
    return kpi, issues


def _check_references(kpis: dict[str, Kpi]) -> list[Issue]:
    issues = []
    for kpi in kpis.values():
        if not kpi.derived:
            continue
        parts = [kpi.numerator or "", *kpi.denominator]
        if not kpi.denominator:
            issues.append(_issue(kpi.name, "a derived KPI needs a denominator"))
        for part in parts:
            if part not in kpis:
                issues.append(_issue(kpi.name, f"refers to unknown KPI {part!r}"))
            elif kpis[part].derived:
                issues.append(_issue(kpi.name, f"refers to derived KPI {part!r}; use base KPIs"))
    computed = {m for names in FACT_METRICS.values() for m in names}
    issues += [
        _issue(name, "computed by the engine but missing from the registry", Level.WARNING)
        for name in sorted(computed - set(kpis))
    ]
    return issues
