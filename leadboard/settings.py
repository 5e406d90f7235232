"""One place for configuration: `LEADBOARD_` environment variables or a `.env` file."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "leadboard.duckdb"


class Settings(BaseSettings):
    """Every setting of Leadboard. `docs/settings.md` documents each field (a test checks that)."""

    model_config = SettingsConfigDict(env_prefix="LEADBOARD_", env_file=".env", extra="ignore")

    environment: Literal["development", "production"] = Field(
        "development", description="`production` refuses the unsafe development defaults."
    )
    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        description="The store: a path to a `.duckdb` file (embedded) or a `postgresql://` URL.",
    )
    host: str = Field("127.0.0.1", description="Address `leadboard serve` listens on.")
    port: int = Field(8050, ge=1, le=65535, description="Port `leadboard serve` listens on.")
    import_user: str = Field(
        "", description="Name recorded in the import history; empty = the operating-system user."
    )

    reporting_currency: str = Field(
        "EUR",
        min_length=3,
        max_length=3,
        description="ISO 4217 code every amount is converted to, with the `fx_rates` table.",
    )
    fiscal_year_start_month: int = Field(
        1, ge=1, le=12, description="First month of the fiscal year (1 = January)."
    )
    sla_hours: float = Field(
        48.0, gt=0, description="Hours sales has to respond to a handed-over lead."
    )
    unprocessed_days: float = Field(
        14.0,
        gt=0,
        description="Age in days after which a lead never handed over nor disqualified counts "
        "as unprocessed (`unprocessed_leads`).",
    )

    test_hold_commit: str = Field(
        "",
        description="Testing only: a file path; an import writes it and waits before COMMIT, so "
        "a test can kill the process mid-import.",
    )

    @model_validator(mode="after")
    def _refuse_unsafe_defaults(self) -> Settings:
        if self.environment == "production" and self.database_url == DEFAULT_DATABASE_URL:
            raise ValueError(
                "LEADBOARD_DATABASE_URL must be set explicitly when "
                "LEADBOARD_ENVIRONMENT=production"
            )
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
