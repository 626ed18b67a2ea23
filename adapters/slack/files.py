"""Files that go with a Slack message (an invite, a chart, an export): uploaded right after it,
into the same conversation, with `files_upload_v2` (the `files:write` scope).

The message is what must arrive: it is already posted, and posting it again would double it.
So a failed upload is logged and counted, never retried and never raised: the person still has
the text, which names the session and its link.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.attachments import Attachment

log = logging.getLogger(__name__)


def upload_files(client: WebClient, channel: str, attachments: Sequence[Attachment]) -> int:
    """Upload each file to `channel` (the posted message's); returns how many arrived."""
    uploaded = 0
    for attachment in attachments:
        try:
            client.files_upload_v2(
                channel=channel,
                file=attachment.content,
                filename=attachment.filename,
                title=attachment.filename,
            )
            uploaded += 1
        except SlackApiError as error:
            code = error.response.get("error") if error.response is not None else None
            log.warning("upload of %s to %s refused: %s", attachment.filename, channel, code)
        except (SlackClientError, URLError, OSError) as error:
            log.warning("upload of %s to %s failed: %r", attachment.filename, channel, error)
    return uploaded
