"""A failure as a short code for a catalogue message's `{reason}` (`ECONNREFUSED`,
`invalid_auth`, `TimeoutError`): never the exception's own text, which is English prose (and
may carry a URL) inside a French or English sentence."""

from __future__ import annotations

import errno
import re

_SLACK_CODE = re.compile(r"[a-z][a-z0-9_]{1,60}")


def error_code(error: BaseException) -> str:
    """The first code found along the chain (the error, what it wraps, what caused it): a Slack
    API error code, then a system error's name; else the outermost error's class name."""
    queue: list[BaseException] = [error]
    seen: set[int] = set()
    while queue:
        current = queue.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        if code := _slack_code(current) or _errno_name(current):
            return code
        # urllib's URLError keeps the OSError in `reason`, aiohttp's connector error in `os_error`.
        wrapped = (getattr(current, "reason", None), getattr(current, "os_error", None))
        found = (*wrapped, current.__cause__, current.__context__)
        queue += [e for e in found if isinstance(e, BaseException)]
    return type(error).__name__


def _slack_code(error: BaseException) -> str | None:
    response: object = getattr(error, "response", None)
    get = getattr(response, "get", None)
    code = get("error") if callable(get) else None
    return code if isinstance(code, str) and _SLACK_CODE.fullmatch(code) else None


def _errno_name(error: BaseException) -> str | None:
    number = getattr(error, "errno", None)
    return errno.errorcode.get(number) if isinstance(number, int) else None
