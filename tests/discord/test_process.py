"""`mentorbot discord`, the whole process, against fake Discord REST and gateway hosted here:
it identifies, answers a DM that comes over the gateway, defers and follows up a slash
command, and stops on SIGTERM."""

from __future__ import annotations

import signal
from pathlib import Path

from tests.discord.conftest import LEA, World
from tests.discord.fake_discord import APP_ID
from tests.discord.payloads import EPHEMERAL, command, direct_message, interaction
from tests.discord.process import TOKEN, DiscordFakes
from tests.serving_process import Process, base_env

DM_CHANNEL = 960000000000000041
QUESTION = "Pouvez-vous relire mon diagramme de classes ?"


def test_mentorbot_discord_serves_the_gateway_and_stops_on_sigterm(
    world: World, tmp_path: Path
) -> None:
    database_url = world.app.settings.database_url
    with DiscordFakes(rest=world.fake) as fakes:
        env = base_env(database_url, **fakes.env())
        with Process(["discord"], env, tmp_path) as process:
            fakes.identified(process=process)
            [identify] = fakes.gateway.identifies
            assert identify["token"] == TOKEN
            assert fakes.gateway.queries[0]["compress"] == "zlib-stream"

            fakes.dispatch("MESSAGE_CREATE", direct_message(LEA, DM_CHANNEL, QUESTION))
            path = rf"/channels/{DM_CHANNEL}/messages"
            [answer] = fakes.calls("POST", path, process=process)
            assert answer.json["content"] and answer.json["allowed_mentions"] == {"parse": []}

            sessions = interaction(2, command("sessions"), LEA)
            fakes.dispatch("INTERACTION_CREATE", sessions)
            followup_path = rf"/webhooks/{APP_ID}/{sessions['token']}"
            [followup] = fakes.calls("POST", followup_path, process=process)
            assert followup.json["flags"] & EPHEMERAL and followup.json["content"]
            callback_path = rf"/interactions/{sessions['id']}/{sessions['token']}/callback"
            [deferral] = fakes.rest.find("POST", callback_path)
            assert deferral.json == {"type": 5, "data": {"flags": EPHEMERAL}}

            code, took = process.stop(signal.SIGTERM, timeout=10)
            assert code == 0, process.output()
            assert took < 10
        assert len(fakes.rest.find("POST", path)) == 1
        assert fakes.gateway.identified == 0
        assert fakes.gateway.close_codes == [1000]  # a clean close: not "resume me" (4000)
