"""Files sent with a message (an invite, a chart, an export), written where the console user
can open them: one folder (`MENTORBOT_CONSOLE_FILES_DIR`), a new name rather than an overwrite."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from bot.attachments import Attachment

UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(filename: str) -> str:
    """No folders, no hidden files, nothing a shell would trip on."""
    name = UNSAFE.sub("-", Path(filename).name).strip(".-")
    return name or "file"


def write_files(folder: Path, attachments: Sequence[Attachment]) -> list[Path]:
    """Each attachment in `folder` (created if needed); the paths written, in order."""
    if not attachments:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    return [_write(folder, attachment) for attachment in attachments]


def _write(folder: Path, attachment: Attachment) -> Path:
    name = Path(safe_name(attachment.filename))
    path, again = folder / name, 1
    while True:
        try:
            with path.open("xb") as out:  # never overwrite an earlier file
                out.write(attachment.content)
            return path
        except FileExistsError:
            again += 1
            path = folder / f"{name.stem}-{again}{name.suffix}"
