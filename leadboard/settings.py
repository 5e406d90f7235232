"""One place for configuration: `LEADBOARD_` environment variables or a `.env` file."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "leadboard.duckdb"


class ReportSubscription(BaseModel):
    """A report sent by e-mail on a schedule (`LEADBOARD_REPORT_SUBSCRIPTIONS`)."""

    name: str = Field(min_length=1)
    to: list[str] = Field(min_length=1)
    format: Literal["xlsx", "pptx"] = "xlsx"
    period: str = "last-month"
    filters: list[str] = Field(default_factory=list)
    lang: Literal["en", "de"] = "en"
    schedule: str = Field("0 7 * * 1", description="cron: minute hour day month weekday (UTC)")


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
    stalled_days: float = Field(
        30.0,
        gt=0,
        description="Days after sales accepted a lead without an opportunity for it to count "
        "as stalled (`stalled_leads`).",
    )
    sla_clock: Literal["calendar", "business"] = Field(
        "calendar",
        description="How response time counts: every hour, or business hours only.",
    )
    sla_team_hours: dict[str, float] = Field(
        default_factory=dict, description='Hours per sales team, JSON: {"DE-North": 24}.'
    )
    sla_country_hours: dict[str, float] = Field(
        default_factory=dict, description='Hours per country (of the lead), JSON: {"US": 24}.'
    )
    business_hours: str = Field("09:00-17:00", description="Working hours, local time.")
    business_days: str = Field("Mon,Tue,Wed,Thu,Fri", description="Working days.")
    sla_public_holidays: bool = Field(
        True, description="Business hours skip each country's public holidays."
    )
    sla_holidays: dict[str, list[str]] = Field(
        default_factory=dict,
        description='More days off per country, JSON: {"DE": ["2026-12-24"]}.',
    )
    sla_timezones: dict[str, str] = Field(
        default_factory=dict,
        description='Time zone of a country\'s business hours, JSON: {"US": "America/Chicago"}.',
    )
    unprocessed_days: float = Field(
        14.0,
        gt=0,
        description="Age in days after which a lead never handed over nor disqualified counts "
        "as unprocessed (`unprocessed_leads`).",
    )

    rejection_reasons: str = Field(
        "No budget,Wrong contact,Duplicate,No project,Competitor customer,Bad timing,Other",
        description="Comma-separated reasons sales chooses from when rejecting a lead.",
    )
    # Alert rules (PRODUCT.md "Alerts and recommendations"): thresholds.
    alert_lookback_days: int = Field(
        90,
        ge=1,
        description="Campaign rules look at campaigns running or ended within this many days; "
        "acceptance rates are taken over this window.",
    )
    alert_min_elapsed: float = Field(
        0.1, ge=0, lt=1, description="A target's pace is judged once this share of it elapsed."
    )
    alert_pace_under: float = Field(0.8, gt=0, description="Target pace below this: under.")
    alert_pace_over: float = Field(1.2, gt=0, description="Target pace above this: over.")
    alert_campaign_target: float = Field(
        0.8, gt=0, description="A finished campaign below this share of a target alerts."
    )
    alert_overdue_high: int = Field(
        10, ge=1, description="A team with this many overdue leads is a high-severity alert."
    )
    alert_acceptance_rate: float = Field(
        0.6, gt=0, le=1, description="A campaign's acceptance rate below this alerts."
    )
    alert_min_responses: int = Field(
        20, ge=1, description="Responses a campaign needs before its acceptance rate is judged."
    )
    alert_overspend: float = Field(1.0, gt=0, description="Budget utilization above this alerts.")
    alert_underspend: float = Field(
        0.5, ge=0, description="Budget utilization below this, late in the run, alerts."
    )
    alert_underspend_elapsed: float = Field(
        0.75, ge=0, le=1, description="Share of the run after which underspend is judged."
    )
    alert_cost_factor: float = Field(
        2.0, gt=1, description="Cost per lead above this × the channel's median alerts."
    )
    alert_min_peers: int = Field(
        5, ge=2, description="Campaigns a channel needs before its median cost per lead counts."
    )
    alert_unprocessed_min: int = Field(
        5, ge=1, description="Unprocessed leads a campaign (or channel) needs to raise an alert."
    )
    alert_unprocessed_high: int = Field(
        50, ge=1, description="This many unprocessed leads in one place is a high-severity alert."
    )
    # Notifications: a digest of new alerts.
    smtp_host: str = Field("", description="SMTP server for alert e-mails; empty = no e-mail.")
    smtp_port: int = Field(25, ge=1, le=65535, description="SMTP port.")
    smtp_sender: str = Field("leadboard@localhost", description="From address of the e-mails.")
    alert_email_to: str = Field(
        "", description="Comma-separated recipients of the digest of new alerts."
    )
    alert_notify_rules: str = Field(
        "",
        description="Comma-separated rules whose new alerts are sent; empty = every rule.",
    )
    alert_webhook_url: str = Field(
        "", description="URL that receives each digest of new alerts as a JSON POST."
    )

    report_subscriptions: list[ReportSubscription] = Field(
        default_factory=list,
        description="Reports e-mailed on a schedule, JSON: a list of {name, to, format, period, "
        "filters, lang, schedule}.",
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
