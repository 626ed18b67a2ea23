"""The advisors' weekly digest, with its chart, delivered by `mentorbot slack --http` as a
school runs it: `mentorbot jobs run digest` queues it, the serving process (a subprocess, against
the fake Slack) posts the text into the advisors' channel and uploads the PNG after it, once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Programme, fresh_sqlite, load_programme
from tests.programme_facts import NOW, build
from tests.serving_process import Process, base_env, eventually, serve
from tests.slack.conftest import SECRET, TOKEN
from tests.slack.fake_slack import Call, FakeSlack

ADVISORS = "C0ADVISORS"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def school(sqlite_template: Path, tmp_path: Path, clock: object) -> Iterator[Programme]:
    database = fresh_sqlite(sqlite_template, tmp_path)
    programme = load_programme(database, clock)  # type: ignore[arg-type]
    build(programme)
    yield programme
    database.dispose()


def environment(programme: Programme, fake: FakeSlack) -> dict[str, str]:
    return base_env(
        str(programme.database.engine.url),
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.api_url,
        SLACK_ADVISORS_CHANNEL=ADVISORS,
        MENTORBOT_CLOCK=NOW.isoformat(),
        MENTORBOT_LOCALE="en",
    )


def uploads(fake: FakeSlack) -> list[Call]:
    return [c for c in fake.calls if c.method.startswith("upload/")]


def test_the_serving_process_delivers_the_digest_with_its_chart(
    school: Programme, fake: FakeSlack, tmp_path: Path
) -> None:
    env = environment(school, fake)
    served = serve(["slack", "--http", "--port", "0"], env, tmp_path)
    try:
        with Process(["jobs", "run", "digest"], env, tmp_path) as job:
            eventually(lambda: job.returncode() is not None, timeout=60, what="the job to end")
            assert job.returncode() == 0, job.output()
        done = eventually(
            lambda: fake.calls_to("files.completeUploadExternal"),
            timeout=30,
            what="the chart's upload",
            process=served,
        )
        posts = [c for c in fake.calls_to("chat.postMessage") if c.channel == ADVISORS]
        [post] = [c for c in posts if "Weekly digest" in c.text]  # beside the alerts' pings
        [sent] = uploads(fake)
        assert sent.args["bytes"].startswith(PNG_MAGIC) and len(sent.args["bytes"]) > 10_000
        assert done[0].args["channel_id"] == ADVISORS
        assert fake.calls.index(post) < fake.calls.index(done[0])
    finally:
        code, _ = served.stop()
    assert code == 0, served.output()
    assert len(uploads(fake)) == 1 and "Traceback" not in served.output()
