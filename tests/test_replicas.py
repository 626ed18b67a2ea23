"""Two `mentorbot run` replicas on PostgreSQL, serving Slack and Discord, as compose.yaml runs
them: one leads the ticks and holds the Discord gateway; killed, the other takes both over;
check-ins go out once across the take-over, and a Discord DM and interaction are handled once."""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.clock import ManualClock
from bot.services.roster import import_roster
from storage.database import Database
from tests.conftest import PG_SKIP, PG_URL, erase, load_programme
from tests.discord.conftest import SAM, roster_with_discord_ids
from tests.discord.payloads import command, direct_message, interaction
from tests.discord.process import DiscordFakes
from tests.serving_process import Process, base_env, eventually
from tests.slack.conftest import SECRET, TOKEN
from tests.slack.fake_slack import FakeSlack

pytestmark = pytest.mark.skipif(not PG_URL, reason=PG_SKIP)

# Monday 23 November 2026, 15:00 UTC: the weekly check-in time (09:00 local) has passed both in
# Paris (Léa, on Slack) and in Toronto (Sam, on Discord only).
MONDAY = "2026-11-23T15:00:00+00:00"
SAM_DM = 960000000000000077
TAKE_OVER = 60.0


@pytest.fixture
def school(pg_database: Database, clock: ManualClock) -> Iterator[Database]:
    erase(pg_database)
    load_programme(pg_database, clock)
    with pg_database.uow() as uow:
        assert import_roster(
            uow, roster_with_discord_ids(), "Europe/Paris", "fr", clock.now(), welcome_new=False
        ).applied
        uow.commit()
    yield pg_database


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


def replica(name: str, fakes: DiscordFakes, slack: FakeSlack, tmp_path: Path) -> Process:
    slack_env = {
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.api_url,
        "SLACK_ADVISORS_CHANNEL": "C0ADVISORS",
    }
    env = base_env(
        PG_URL,
        MENTORBOT_CLOCK=MONDAY,
        **fakes.env(),
        **slack_env,
    )
    return Process(["run", "--http", "--port", "0"], env, tmp_path, name=name)


def ready(process: Process) -> dict[str, Any]:
    status, body = process.get_json("/readyz")
    return dict(body) if status == 200 else {}


def checkin_ticks(process: Process) -> float:
    return process.metric("mentorbot_job_runs_total", job="checkins", outcome="ok")


def checkins_to_lea(slack: FakeSlack) -> int:
    return sum(
        "point hebdomadaire" in json.dumps(call.args.get("blocks"))
        for call in slack.calls_to("chat.postMessage")
        if call.channel == "DU0LEA"
    )


def checkins_to_sam(fakes: DiscordFakes) -> int:
    channel = fakes.rest.dm_channels.get(str(SAM[0]))
    calls = fakes.rest.find("POST", rf"/channels/{channel}/messages") if channel else []
    return sum("weekly check-in" in str(call.json.get("content")) for call in calls)


def test_two_replicas_share_the_work_exactly_once_across_a_take_over(
    school: Database, slack: FakeSlack, tmp_path: Path
) -> None:
    with DiscordFakes() as fakes:
        with replica("first", fakes, slack, tmp_path) as first:
            leader = eventually(lambda: ready(first), what="the first replica ready", process=first)
            assert leader["scheduler"]["leader"] is True
            assert leader["discord"]["gateway"] == "connected"
            assert leader["slack"]["ready"] is True  # both platforms in one process
            assert first.get_json("/healthz") == (200, {"ok": True})
            for platform in ("slack", "discord"):
                assert first.metric("mentorbot_platform_connected", platform=platform) == 1.0
            with replica("second", fakes, slack, tmp_path) as second:
                standby = eventually(lambda: ready(second), what="standby ready", process=second)
                assert standby["scheduler"]["leader"] is False
                assert standby["discord"]["gateway"] == "standby"
                assert fakes.gateway.identified == 1  # only the leader is on the gateway
                eventually(
                    lambda: checkins_to_lea(slack) and checkins_to_sam(fakes), what="check-ins"
                )

                first.stop(signal.SIGKILL)
                took_over = eventually(
                    lambda: (
                        (r := ready(second)).get("scheduler", {}).get("leader")
                        and r["discord"]["gateway"] == "connected"
                        and r
                    ),
                    timeout=TAKE_OVER,
                    what="the second replica leading",
                    process=second,
                )
                assert took_over["ready"] is True
                fakes.identified(1, process=second)
                assert len(fakes.gateway.identifies) == 2

                question = direct_message(SAM, SAM_DM, "Pourriez-vous relire mon schéma ?")
                fakes.dispatch("MESSAGE_CREATE", question)
                fakes.calls("POST", rf"/channels/{SAM_DM}/messages", process=second)
                sessions = interaction(2, command("sessions"), SAM)
                fakes.dispatch("INTERACTION_CREATE", sessions)
                callback = rf"/interactions/{sessions['id']}/{sessions['token']}/callback"
                fakes.calls("POST", callback, process=second)

                # A few more ticks on the new leader: nothing is sent a second time.
                ticks = checkin_ticks(second)
                eventually(lambda: checkin_ticks(second) >= ticks + 3, what="three more ticks")
                code, took = second.stop(signal.SIGTERM)
                assert code == 0 and took < 10, second.output()
        assert checkins_to_lea(slack) == 1
        assert checkins_to_sam(fakes) == 1
        assert len(fakes.rest.find("POST", rf"/channels/{SAM_DM}/messages")) == 1
        assert len(fakes.rest.find("POST", callback)) == 1
        assert "Traceback" not in second.output()
