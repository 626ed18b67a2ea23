"""The weekly onboarding nudge in the process a school runs (issue 14): `mentorbot slack --http`
(a subprocess, against the fake Slack), its scheduler ticking, posts the nudge to the mentor who
has not set a contact rule, in her language, once however many ticks the week has."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Programme
from tests.serving_process import base_env, eventually, serve
from tests.slack.conftest import SECRET, TOKEN
from tests.slack.fake_slack import Call, FakeSlack

CAMILLE_DM = "DU0MENTOR"  # Camille Martin: Paris, French, availability published, no rule


def nudges(fake: FakeSlack) -> list[Call]:
    return [
        c
        for c in fake.calls_to("chat.postMessage")
        if c.channel == CAMILLE_DM and "/contact async" in str(c.args.get("text"))
    ]


def test_the_serving_process_nudges_a_mentor_once_in_the_week(
    sqlite_programme: Programme, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    school, fake = sqlite_programme, fake_slack
    env = base_env(  # the clock starts on Monday 10:00 in Paris: the nudge's time there
        str(school.database.engine.url),
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.api_url,
        MENTORBOT_TICK_NUDGES_SECONDS="0.3",
    )
    served = serve(["slack", "--http", "--port", "0"], env, tmp_path)
    try:
        (post,) = eventually(lambda: nudges(fake), timeout=30, what="the nudge", process=served)
        text = post.args["text"]
        assert text.startswith("Bonjour Camille Martin, vous n’avez pas encore dit comment vos")
        assert "/contact fenêtre lun-ven 18:00-19:00" in text and "/availability" not in text
        assert '"value": "v1:cr:async"' in post.text  # the two rules as buttons
        eventually(  # more ticks of the same week: nothing new
            lambda: served.metric("mentorbot_job_runs_total", job="nudges", outcome="ok") >= 5,
            timeout=30,
            what="five nudge ticks",
            process=served,
        )
    finally:
        code, _ = served.stop()
    assert code == 0, served.output()
    assert len(nudges(fake)) == 1 and "Traceback" not in served.output()
