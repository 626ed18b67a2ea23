"""`.env.example` documents every setting, and loads as it is."""

from __future__ import annotations

from pathlib import Path

from bot.settings import Settings

EXAMPLE = Path(__file__).resolve().parents[1] / ".env.example"


def documented() -> dict[str, str]:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    found = {}
    for number, line in enumerate(lines):
        if line and not line.startswith("#"):
            name = line.split("=", 1)[0]
            assert lines[number - 1].startswith("#"), f"{name} has no comment above it"
            found[name] = line
    return found


def test_every_setting_is_in_env_example_with_a_comment() -> None:
    variables = {
        alias
        for field in Settings.model_fields.values()
        for alias in getattr(field.validation_alias, "choices", [])
    }
    assert variables and variables == set(documented())


def test_the_example_file_is_a_valid_configuration() -> None:
    settings = Settings(_env_file=str(EXAMPLE))  # type: ignore[call-arg]
    assert settings.reminder_offsets_minutes == [1440, 15]
    assert settings.slack_bot_token is None and settings.discord_advisors_channel_id is None
