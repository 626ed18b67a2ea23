"""Settings are typed, validated once, and errors name the variable."""

from __future__ import annotations

import pytest

from bot.settings import ConfigurationError, Settings, load_settings


def test_defaults_are_the_embedded_demo_setup(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database_url == "sqlite:///mentorbot.db"
    assert (settings.timezone, settings.locale) == ("Europe/Paris", "fr")
    assert settings.slack_bot_token is None


def test_secrets_never_show_in_reprs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")
    settings = load_settings(_env_file=None)
    assert "very-secret" not in repr(settings)
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == "xoxb-very-secret"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("MENTORBOT_TIMEZONE", "Mars/Olympus"),
        ("MENTORBOT_LOCALE", "de"),
        ("DATABASE_URL", "mysql://nope"),
        ("MENTORBOT_CHECKIN_SCHEDULE", "someday 9"),
        ("MENTORBOT_BOOK_MIN_NOTICE_HOURS", "-1"),
        ("MENTORBOT_MAX_MOVES_PER_SESSION", "many"),
        ("MENTORBOT_BOOKING_HORIZON_DAYS", "0"),
        ("DISCORD_ADVISORS_CHANNEL_ID", "general"),
    ],
)
def test_an_invalid_value_names_its_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError) as error:
        load_settings(_env_file=None)
    assert variable in str(error.value)
