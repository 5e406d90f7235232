"""The docs stay true: every setting and every canonical column is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadboard.model.entities import ENTITIES
from leadboard.settings import Settings

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    assert f"`LEADBOARD_{name.upper()}`" in (DOCS / "settings.md").read_text(encoding="utf-8")


def test_every_canonical_column_is_documented() -> None:
    text = (DOCS / "canonical-format.md").read_text(encoding="utf-8")
    missing = [
        f"{e.name}.{c.name}"
        for e in ENTITIES
        for c in e.columns
        if f"| `{c.name}` |" not in text.split(f"## {e.name}")[1].split("\n## ")[0]
    ]
    assert missing == []


def test_production_refuses_the_default_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADBOARD_ENVIRONMENT", "production")
    monkeypatch.delenv("LEADBOARD_DATABASE_URL", raising=False)
    with pytest.raises(ValueError, match="LEADBOARD_DATABASE_URL must be set explicitly"):
        Settings(_env_file=None)  # type: ignore[call-arg]
