"""French and English names and descriptions for the application commands, from the catalogue.

Every translatable string is a `locale_str` whose English text is the catalogue's and whose
`key` extra names the catalogue entry; Discord gets the French and English variants at sync.
"""

from __future__ import annotations

from discord import Locale, app_commands

from bot.i18n import catalogue

# Discord's locales that we have a catalogue for; the others see the English defaults.
LANGUAGES = {
    Locale.french: "fr",
    Locale.american_english: "en",
    Locale.british_english: "en",
}


def localised(key: str, default: str | None = None) -> app_commands.locale_str:
    """A string Discord shows translated: English by default, French for French clients.
    Without its catalogue entry, `default` (a command declared before its words exist)."""
    english = catalogue("en").get(key, default) if default is not None else catalogue("en")[key]
    return app_commands.locale_str(english, key=key)


def name(path: str) -> app_commands.locale_str:
    """The name of a command, subcommand or option (`book`, `availability_add`, `opt_date`)."""
    return localised(f"discord.{path}.name")


def description(path: str) -> app_commands.locale_str:
    return localised(f"discord.{path}.desc")


class CatalogueTranslator(app_commands.Translator):
    """Looks each `locale_str` up in the gettext catalogue (bot/locale/*/discord.po)."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        key = string.extras.get("key")
        language = LANGUAGES.get(locale)
        if key is None or language is None:
            return None
        return catalogue(language).get(key)
