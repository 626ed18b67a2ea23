"""The Discord adapter's own settings, until they move into `bot.settings.Settings`.

Read like the main settings (environment or `.env`, empty means unset) and validated once at
start, so a typo in an id stops `mentorbot discord` with a message naming the variable.
"""

from __future__ import annotations

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.settings import ConfigurationError


class DiscordSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
        populate_by_name=True,
    )

    guild_id: int | None = Field(
        None,
        validation_alias=AliasChoices("DISCORD_GUILD_ID"),
        description="sync commands to this server only (instant; for development)",
    )
    advisor_role_id: int | None = Field(
        None,
        validation_alias=AliasChoices("DISCORD_ADVISOR_ROLE_ID"),
        description="members with this role may press the advisors channel's buttons",
    )

    @field_validator("guild_id", "advisor_role_id")
    @classmethod
    def _snowflake(cls, value: int | None) -> int | None:
        if value is not None and not 0 < value < 2**64:
            raise ValueError("must be a Discord id (a positive number)")
        return value


def load_discord_settings(**overrides: object) -> DiscordSettings:
    """Like `bot.settings.load_settings`: one error naming every variable that is wrong."""
    try:
        return DiscordSettings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            variable = ".".join(str(part) for part in error["loc"]) or "settings"
            problems.append(f"{variable}: {error['msg']}")
        raise ConfigurationError("Invalid configuration:\n  " + "\n  ".join(problems)) from None
