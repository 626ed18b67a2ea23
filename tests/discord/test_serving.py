"""`mentorbot discord` does its scheduled work by itself, and says on /readyz whether its gateway
is connected."""

from __future__ import annotations

from pathlib import Path

from tests.discord.conftest import SAM, World
from tests.discord.process import DiscordFakes
from tests.serving_process import Process, base_env, eventually

# Sam (Toronto) books Wednesday 25 November, 08:00 his time (13:00 UTC); the process starts on
# Tuesday at 13:30 UTC: the day-before reminder and this week's check-in are both due.
TUESDAY = "2026-11-24T13:30:00+00:00"


def to_sam(fakes: DiscordFakes, words: str) -> int:
    channel = fakes.rest.dm_channels.get(str(SAM[0]))
    calls = fakes.rest.find("POST", rf"/channels/{channel}/messages") if channel else []
    return sum(words in str(call.json.get("content")) for call in calls)


def test_reminders_and_checkins_reach_discord_by_the_process_own_ticks(
    world: World, tmp_path: Path
) -> None:
    world.programme.ok("sam", "/book 2026-11-25 08:00")
    with DiscordFakes(rest=world.fake) as fakes:
        env = base_env(world.app.settings.database_url, MENTORBOT_CLOCK=TUESDAY, **fakes.env())
        with Process(["discord"], env, tmp_path) as process:
            for words in ("weekly check-in", "Reminder: session"):
                eventually(lambda w=words: to_sam(fakes, w), what=words, process=process)
            ready = eventually(
                lambda: (r := process.get_json("/readyz"))[0] == 200 and r[1],
                what="ready",
                process=process,
            )
            assert ready["discord"] == {"ready": True, "gateway": "connected"}
            assert ready["scheduler"]["leader"] is True
            assert process.get_json("/healthz") == (200, {"ok": True})
            assert (
                'mentorbot_platform_connected{platform="discord"} 1.0' in process.get("/metrics")[1]
            )

            fakes._host().run(fakes.gateway.stop())  # Discord unreachable: no reconnect works
            eventually(
                lambda: process.get_json("/readyz")[0] == 503, what="not ready", process=process
            )
            assert process.get_json("/readyz")[1]["discord"]["gateway"] == "down"
            assert process.get_json("/healthz") == (200, {"ok": True})  # alive, though
            assert (
                'mentorbot_platform_connected{platform="discord"} 0.0' in process.get("/metrics")[1]
            )
            fakes._host().run(fakes.gateway.start())
            eventually(
                lambda: process.get_json("/readyz")[0] == 200, what="ready again", process=process
            )
            code, took = process.stop()
            assert code == 0 and took < 10, process.output()
        assert to_sam(fakes, "weekly check-in") == 1 and to_sam(fakes, "Reminder: session") == 1
