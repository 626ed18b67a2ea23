"""Typed settings, read once at start from the environment or `.env`.

Nothing else in mentorbot reads os.environ.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import UserError
from bot.meeting import template_problem
from bot.timeparse import parse_time, parse_weekday


def _env(name: str, default: object, description: str) -> Any:
    return Field(default, validation_alias=AliasChoices(name), description=description)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,  # `SLACK_BOT_TOKEN=` in .env means "not set"
        extra="ignore",
        populate_by_name=True,
    )

    database_url: str = _env("DATABASE_URL", "sqlite:///mentorbot.db", "SQLAlchemy URL")

    slack_bot_token: SecretStr | None = _env("SLACK_BOT_TOKEN", None, "xoxb- bot token")
    slack_signing_secret: SecretStr | None = _env("SLACK_SIGNING_SECRET", None, "signing secret")
    slack_app_token: SecretStr | None = _env("SLACK_APP_TOKEN", None, "xapp- Socket Mode token")
    slack_api_url: str = _env("SLACK_API_URL", "https://slack.com/api/", "Web API base URL")
    slack_advisors_channel: str | None = _env("SLACK_ADVISORS_CHANNEL", None, "channel id")
    slack_work_queue: int = _env(
        "MENTORBOT_SLACK_WORK_QUEUE", 200, "acknowledged Slack requests waiting; beyond: busy"
    )

    discord_token: SecretStr | None = _env("DISCORD_TOKEN", None, "bot token")
    discord_api_url: str = _env("DISCORD_API_URL", "https://discord.com/api/v10", "REST base URL")
    discord_gateway_url: str = _env(
        "DISCORD_GATEWAY_URL", "wss://gateway.discord.gg/", "gateway websocket URL"
    )
    discord_advisors_channel_id: int | None = _env(
        "DISCORD_ADVISORS_CHANNEL_ID", None, "channel id"
    )
    discord_guild_id: int | None = _env(
        "DISCORD_GUILD_ID", None, "sync commands to this server only (development)"
    )
    discord_advisor_role_id: int | None = _env(
        "DISCORD_ADVISOR_ROLE_ID", None, "role that may press the advisors channel's buttons"
    )

    timezone: str = _env("MENTORBOT_TIMEZONE", "Europe/Paris", "programme's default zone")
    locale: str = _env("MENTORBOT_LOCALE", "fr", "programme's default language")
    advisor_contact_url: str = _env(
        "MENTORBOT_ADVISOR_CONTACT_URL", "https://example.org/contact-advisor", "advisor form"
    )
    checkin_schedule: str = _env("MENTORBOT_CHECKIN_SCHEDULE", "mon 09:00", "weekday HH:MM")
    nudge_schedule: str = _env(
        "MENTORBOT_NUDGE_SCHEDULE", "mon 10:00", "weekday HH:MM, each mentor's own zone"
    )
    reminder_offsets_minutes: list[int] = _env(
        "MENTORBOT_REMINDER_OFFSETS_MINUTES", [1440, 15], "minutes before a session"
    )
    book_min_notice_hours: float = _env("MENTORBOT_BOOK_MIN_NOTICE_HOURS", 12, "hours")
    cancel_min_notice_hours: float = _env("MENTORBOT_CANCEL_MIN_NOTICE_HOURS", 24, "hours")
    move_min_notice_hours: float = _env("MENTORBOT_MOVE_MIN_NOTICE_HOURS", 24, "hours")
    booking_horizon_days: int = _env("MENTORBOT_BOOKING_HORIZON_DAYS", 28, "days")
    max_moves_per_session: int = _env("MENTORBOT_MAX_MOVES_PER_SESSION", 2, "moves")
    alert_ack_hours: float = _env("MENTORBOT_ALERT_ACK_HOURS", 24, "hours")
    disengagement_missed_checkins: int = _env("MENTORBOT_DISENGAGEMENT_MISSED_CHECKINS", 2, "n")
    school_holidays: str = _env(
        "MENTORBOT_SCHOOL_HOLIDAYS", "", "FIRST:LAST day ranges (YYYY-MM-DD), comma-separated"
    )
    disengagement_absences: int = _env("MENTORBOT_DISENGAGEMENT_ABSENCES", 2, "n")
    disengagement_window_days: int = _env("MENTORBOT_DISENGAGEMENT_WINDOW_DAYS", 30, "days")
    disengagement_weeks_without_booking: int = _env(
        "MENTORBOT_DISENGAGEMENT_WEEKS_WITHOUT_BOOKING", 2, "weeks"
    )
    defense_minutes: int = _env("MENTORBOT_DEFENSE_MINUTES", 30, "minutes")
    buffer_minutes: int = _env(
        "MENTORBOT_BUFFER_MINUTES", 0, "minutes kept free between two sessions of one host"
    )
    # --- calendars: join links, invites and personal feeds ---
    meeting_url_template: str | None = _env(
        "MENTORBOT_MEETING_URL_TEMPLATE", None, "https room URL with {token}, one per session"
    )
    public_url: str | None = _env(
        "MENTORBOT_PUBLIC_URL", None, "where people reach this process (calendar feeds)"
    )
    calendar_feed_past_days: int = _env(
        "MENTORBOT_CALENDAR_FEED_PAST_DAYS", 90, "days of past sessions a feed keeps"
    )
    console_files_dir: str = _env(
        "MENTORBOT_CONSOLE_FILES_DIR", "mentorbot-files", "where the console writes files sent"
    )
    # --- the advisors' view: post-session survey, privacy ---
    feedback_survey: bool = _env(
        "MENTORBOT_FEEDBACK_SURVEY",
        True,
        "ask the student a 2-question survey after each held session",
    )
    feedback_low_score: int = _env(
        "MENTORBOT_FEEDBACK_LOW_SCORE", 2, "a score at or under it is low"
    )
    feedback_low_streak: int = _env(
        "MENTORBOT_FEEDBACK_LOW_STREAK", 2, "low scores in a row that flag the student to advisors"
    )
    retention_days: int | None = _env(
        "MENTORBOT_RETENTION_DAYS", None, "free text older than this is erased daily; unset: kept"
    )
    # --- serving: ticks, health, logs (tests and small programmes shorten the ticks) ---
    tick_reminders_seconds: float = _env("MENTORBOT_TICK_REMINDERS_SECONDS", 60, "seconds")
    tick_checkins_seconds: float = _env("MENTORBOT_TICK_CHECKINS_SECONDS", 300, "seconds")
    tick_alerts_seconds: float = _env("MENTORBOT_TICK_ALERTS_SECONDS", 600, "seconds")
    tick_nudges_seconds: float = _env("MENTORBOT_TICK_NUDGES_SECONDS", 900, "seconds")
    delivery_interval_seconds: float = _env(
        "MENTORBOT_DELIVERY_INTERVAL_SECONDS", 3, "outbox retry tick, seconds"
    )
    delivery_give_up_hours: float = _env(
        "MENTORBOT_DELIVERY_GIVE_UP_HOURS", 24, "hours a due message is retried before giving up"
    )
    delivery_concurrency: int = _env(
        "MENTORBOT_DELIVERY_CONCURRENCY", 16, "messages in flight at once per platform"
    )
    discord_requests_per_second: float = _env(
        "MENTORBOT_DISCORD_REQUESTS_PER_SECOND", 50, "Discord's global limit for the bot"
    )
    slack_messages_per_second: float = _env(
        "MENTORBOT_SLACK_MESSAGES_PER_SECOND", 50, "chat.postMessage, workspace-wide"
    )
    leader_retry_seconds: float = _env(
        "MENTORBOT_LEADER_RETRY_SECONDS", 15, "how often a standby replica tries to lead"
    )
    digest_schedule: str = _env("MENTORBOT_DIGEST_SCHEDULE", "mon 08:00", "weekday HH:MM")
    daily_scan_time: str = _env("MENTORBOT_DAILY_SCAN_TIME", "04:00", "HH:MM, programme time")
    outbox_retention_days: int = _env(
        "MENTORBOT_OUTBOX_RETENTION_DAYS", 30, "days sent and given-up messages are kept"
    )
    health_host: str = _env("MENTORBOT_HEALTH_HOST", "0.0.0.0", "health/metrics bind address")
    health_port: int = _env("MENTORBOT_HEALTH_PORT", 8080, "health/metrics port; 0: any free")
    log_format: str = _env("MENTORBOT_LOG_FORMAT", "text", "text or json")
    log_level: str = _env("MENTORBOT_LOG_LEVEL", "INFO", "DEBUG, INFO, WARNING, ERROR")
    fixed_clock: datetime | None = _env(
        "MENTORBOT_CLOCK", None, "demos and tests: start the clock at this instant (ISO, offset)"
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ValueError(f"{value!r} is not an IANA time zone such as Europe/Paris") from None
        return value

    @field_validator("meeting_url_template")
    @classmethod
    def _meeting_template(cls, value: str | None) -> str | None:
        if value is not None and (problem := template_problem(value)) is not None:
            raise ValueError(problem)
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("must be an http(s) URL, e.g. https://mentorbot.school.example")
        return value.rstrip("/") if value is not None else None

    @field_validator("buffer_minutes")
    @classmethod
    def _buffer(cls, value: int) -> int:
        if not 0 <= value <= 240:
            raise ValueError("must be between 0 and 240 minutes")
        return value

    @field_validator("school_holidays")
    @classmethod
    def _holidays(cls, value: str) -> str:
        parse_holidays(value)
        return value

    @field_validator("fixed_clock")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("needs a UTC offset, e.g. 2026-11-23T10:00:00+01:00")
        return value

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in ("fr", "en"):
            raise ValueError("must be fr or en")
        return value

    @field_validator("database_url")
    @classmethod
    def _url_scheme(cls, value: str) -> str:
        if not re.match(r"^(sqlite|postgresql)(\+\w+)?://", value):
            raise ValueError("must start with sqlite:// or postgresql+psycopg://")
        return value

    @field_validator("discord_guild_id", "discord_advisor_role_id")
    @classmethod
    def _discord_id(cls, value: int | None) -> int | None:
        if value is not None and not 0 < value < 2**64:
            raise ValueError("must be a Discord id (a positive number)")
        return value

    @field_validator("digest_schedule")
    @classmethod
    def _digest(cls, value: str) -> str:
        parse_checkin_schedule(value)
        return value

    @field_validator("daily_scan_time")
    @classmethod
    def _scan_time(cls, value: str) -> str:
        try:
            parse_time(value)
        except (ValueError, UserError):
            raise ValueError("expected HH:MM, e.g. 04:00") from None
        return value

    @field_validator("log_format")
    @classmethod
    def _log_format(cls, value: str) -> str:
        if value not in ("text", "json"):
            raise ValueError("must be text or json")
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        if value.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return value.upper()

    @field_validator("health_port")
    @classmethod
    def _port(cls, value: int) -> int:
        if not 0 <= value < 65536:
            raise ValueError("must be a TCP port (0 for any free one)")
        return value

    @field_validator(
        "tick_reminders_seconds",
        "tick_checkins_seconds",
        "tick_alerts_seconds",
        "tick_nudges_seconds",
        "delivery_interval_seconds",
        "leader_retry_seconds",
    )
    @classmethod
    def _interval(cls, value: float) -> float:
        if value < 0.05:
            raise ValueError("must be at least 0.05 seconds")
        return value

    @field_validator("delivery_concurrency")
    @classmethod
    def _concurrency(cls, value: int) -> int:
        if not 1 <= value <= 64:
            raise ValueError("must be between 1 and 64")
        return value

    @field_validator("discord_requests_per_second", "slack_messages_per_second")
    @classmethod
    def _rate(cls, value: float) -> float:
        if not 0 < value <= 1000:
            raise ValueError("must be a rate above 0, per second (at most 1000)")
        return value

    @field_validator("checkin_schedule", "nudge_schedule")
    @classmethod
    def _schedule(cls, value: str) -> str:
        parse_checkin_schedule(value)
        return value

    @field_validator(
        "book_min_notice_hours",
        "cancel_min_notice_hours",
        "move_min_notice_hours",
        "alert_ack_hours",
        "delivery_give_up_hours",
    )
    @classmethod
    def _not_negative(cls, value: float) -> float:
        if value < 0:
            raise ValueError("must not be negative")
        return value

    @field_validator(
        "booking_horizon_days",
        "defense_minutes",
        "calendar_feed_past_days",
        "disengagement_missed_checkins",
        "disengagement_absences",
        "disengagement_window_days",
        "disengagement_weeks_without_booking",
        "slack_work_queue",
    )
    @classmethod
    def _positive(cls, value: int) -> int:
        if value <= 0:
            raise ValueError("must be a positive number")
        return value

    @field_validator("outbox_retention_days")
    @classmethod
    def _outlasts_the_jobs(cls, value: int) -> int:
        # A pruned message's key may be queued again: keep it longer than any job looks back.
        if value < 7:
            raise ValueError("must be at least 7 days (the jobs look back up to a week)")
        return value

    @field_validator("feedback_low_streak", "retention_days")
    @classmethod
    def _at_least_one(cls, value: int | None) -> int | None:
        if value is not None and value < 1:
            raise ValueError("must be at least 1")
        return value

    @field_validator("feedback_low_score")
    @classmethod
    def _low_score(cls, value: int) -> int:
        if not 1 <= value <= 4:
            raise ValueError("must be a score from 1 to 4")
        return value


def parse_checkin_schedule(value: str) -> tuple[int, time]:
    """`mon 09:00` (or `lun 09:00`) -> (weekday, local time)."""
    try:
        day, at = value.split()
        return parse_weekday(day), parse_time(at)
    except (ValueError, UserError):
        raise ValueError("expected a weekday and a time, e.g. 'mon 09:00'") from None


def parse_holidays(value: str) -> list[tuple[date, date]]:
    """`2026-12-19:2027-01-03,2027-02-13:2027-02-28` -> first and last days, inclusive."""
    ranges = []
    for part in filter(None, (p.strip() for p in value.split(","))):
        try:
            first, last = (date.fromisoformat(d.strip()) for d in part.split(":"))
        except ValueError:
            raise ValueError("expected FIRST:LAST days, e.g. 2026-12-19:2027-01-03") from None
        if last < first:
            raise ValueError(f"{part}: the last day comes before the first")
        ranges.append((first, last))
    return ranges


class ConfigurationError(Exception):
    """Start-up stops with this: it names each variable that is missing or wrong."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            variable = ".".join(str(part) for part in error["loc"]) or "settings"
            problems.append(f"{variable}: {error['msg']}")
        raise ConfigurationError("Invalid configuration:\n  " + "\n  ".join(problems)) from None
