"""Storage on both databases: the unit of work, the outbox, event dedup and the DB's own guards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.channels import Reach
from bot.commands import CancelSession
from bot.domain import NewSession, Notification, Role, SessionKind
from bot.errors import SlotTaken
from bot.replies import Choice, Text
from storage.database import Database

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def two_people(database: Database) -> tuple[int, int]:
    with database.uow() as uow:
        mentor = uow.people.add("m@x.org", "M", "Europe/Paris", "fr", [Role.MENTOR])
        student = uow.people.add("s@x.org", "S", "America/Toronto", "en", [Role.STUDENT])
        uow.commit()
    return mentor.id, student.id


def test_uncommitted_work_is_rolled_back(database: Database) -> None:
    with database.uow() as uow:
        uow.people.add("gone@x.org", "Gone", "UTC", "en", [Role.ADVISOR])
    with database.uow() as uow:
        assert uow.people.by_email("gone@x.org") is None


def test_a_failing_command_leaves_nothing_behind(database: Database) -> None:
    with pytest.raises(RuntimeError), database.uow() as uow:
        uow.people.add("half@x.org", "Half", "UTC", "en", [Role.ADVISOR])
        uow.commit()
        uow.people.add("other@x.org", "Other", "UTC", "en", [Role.ADVISOR])
        raise RuntimeError("crash between two changes")
    with database.uow() as uow:
        assert uow.people.by_email("half@x.org") is not None
        assert uow.people.by_email("other@x.org") is None


def test_datetimes_come_back_aware_in_utc(database: Database) -> None:
    mentor, student = two_people(database)
    paris = datetime(2026, 11, 26, 10, 0).astimezone()
    with database.uow() as uow:
        session = uow.sessions.add(
            NewSession(student, mentor, SessionKind.MENTORING, paris, paris + timedelta(hours=1))
        )
        uow.commit()
    with database.uow() as uow:
        stored = uow.sessions.get(session.id)
    assert stored is not None
    assert stored.starts_at == paris and stored.starts_at.tzinfo == UTC


def test_the_database_refuses_a_second_live_session_at_the_same_start(database: Database) -> None:
    mentor, student = two_people(database)
    with database.uow() as uow:
        other = uow.people.add("o@x.org", "O", "UTC", "en", [Role.STUDENT]).id
        uow.sessions.add(
            NewSession(student, mentor, SessionKind.MENTORING, NOW, NOW + timedelta(minutes=30))
        )
        uow.commit()
    with pytest.raises(SlotTaken), database.uow() as uow:
        uow.sessions.add(
            NewSession(other, mentor, SessionKind.MENTORING, NOW, NOW + timedelta(minutes=30))
        )


def test_postgresql_refuses_any_overlap_even_without_the_services_check(
    database: Database,
) -> None:
    if database.engine.dialect.name != "postgresql":
        pytest.skip(
            "exclusion constraints are PostgreSQL's; SQLite serialises with BEGIN IMMEDIATE"
        )
    mentor, student = two_people(database)
    with database.uow() as uow:
        other = uow.people.add("o@x.org", "O", "UTC", "en", [Role.STUDENT]).id
        uow.sessions.add(
            NewSession(student, mentor, SessionKind.MENTORING, NOW, NOW + timedelta(minutes=30))
        )
        uow.commit()
    later = NOW + timedelta(minutes=15)
    with pytest.raises(SlotTaken), database.uow() as uow:
        uow.sessions.add(
            NewSession(other, mentor, SessionKind.MENTORING, later, later + timedelta(minutes=30))
        )
    # Back to back is fine: ranges are half-open.
    with database.uow() as uow:
        end = NOW + timedelta(minutes=30)
        uow.sessions.add(
            NewSession(other, mentor, SessionKind.MENTORING, end, end + timedelta(minutes=30))
        )
        uow.commit()


def test_outbox_keys_are_idempotent_and_claims_are_exclusive(database: Database) -> None:
    _, student = two_people(database)
    note = Notification(
        "k1",
        student,
        "notify.session_booked",
        {"when": NOW, "who": Text("day.mon")},
        choices=(Choice(Text("choice.cancel", {"id": 1}), CancelSession(1)),),
    )
    with database.uow() as uow:
        uow.outbox.add(note, NOW)
        uow.outbox.add(note, NOW)
        uow.commit()
    with database.uow() as uow:
        first = uow.outbox.claim_due(NOW, 10, lease_seconds=60)
        uow.commit()
    with database.uow() as uow:
        assert uow.outbox.claim_due(NOW, 10, lease_seconds=60) == []
    assert len(first) == 1
    assert first[0].notification == note  # params survive the JSON round trip, typed
    with database.uow() as uow:
        again = uow.outbox.claim_due(NOW + timedelta(seconds=61), 10, lease_seconds=60)
    assert [q.id for q in again] == [first[0].id]  # a lost worker's lease expires


def test_processed_event_ids_are_seen_once_and_forgotten_later(database: Database) -> None:
    with database.uow() as uow:
        assert uow.events.first_time("slack", "Ev1", NOW) is True
        uow.commit()
    with database.uow() as uow:
        assert uow.events.first_time("slack", "Ev1", NOW + timedelta(minutes=4)) is False
        assert uow.events.first_time("discord", "Ev1", NOW) is True
        uow.commit()
    with database.uow() as uow:
        assert uow.events.forget_before(NOW + timedelta(hours=2)) == 2
        uow.commit()


def test_the_models_and_the_migrations_agree(database: Database) -> None:
    """`alembic check` fails when a model changes without a migration."""
    from alembic import command

    from storage.database import alembic_config

    command.check(alembic_config(database.engine))


def test_each_platform_worker_claims_only_what_it_delivers(database: Database) -> None:
    with database.uow() as uow:
        both = uow.people.add("both@x.org", "Both", "UTC", "en", [Role.STUDENT])
        discord_only = uow.people.add("d@x.org", "D", "UTC", "en", [Role.STUDENT])
        nowhere = uow.people.add("n@x.org", "N", "UTC", "en", [Role.STUDENT])
        uow.identities.link(both.id, "slack", "U0BOTH")
        uow.identities.link(both.id, "discord", "111111111111111111")
        uow.identities.link(discord_only.id, "discord", "222222222222222222")
        uow.outbox.add_many(
            [
                Notification("to-both", both.id, "sessions.none"),
                Notification("to-discord", discord_only.id, "sessions.none"),
                Notification("to-nowhere", nowhere.id, "sessions.none"),
                Notification("post-slack", None, "alert.none", channel="advisors:slack"),
                Notification("post-discord", None, "alert.none", channel="advisors:discord"),
            ],
            NOW,
        )
        uow.commit()

    def claimed(platform: str, routes: tuple[str, ...] = ("slack", "discord")) -> set[str]:
        with database.uow() as uow:  # not committed: each claim sees every row
            items = uow.outbox.claim_due(NOW, 10, 60, Reach.serving([platform], routes))
        return {q.notification.idempotency_key for q in items}

    # Someone linked nowhere goes to the first route: Slack may still find them by email.
    assert claimed("slack") == {"to-both", "post-slack", "to-nowhere"}
    assert claimed("discord") == {"to-discord", "post-discord"}
    # A Discord-only deployment reaches its people on Discord, or finds it cannot.
    everyone = {"to-both", "to-discord", "to-nowhere"}
    assert claimed("discord", ("discord",)) == everyone | {"post-discord"}
    # No chat platform at all (the demo): the console reaches everyone; no console claims
    # another platform's people.
    assert claimed("console", ("console",)) == everyone
    assert claimed("console") == set()


def test_a_failing_message_holds_back_the_recipients_later_ones(database: Database) -> None:
    _, student = two_people(database)
    with database.uow() as uow:
        uow.outbox.add_many(
            [Notification(f"m{n}", student, "sessions.none") for n in range(3)], NOW
        )
        (first, second, third) = uow.outbox.claim_due(NOW, 10, 60)
        uow.outbox.retry_later(first.id, "429", NOW + timedelta(seconds=30))
        uow.outbox.release(second.id)
        uow.outbox.release(third.id)
        uow.commit()
    with database.uow() as uow:
        assert uow.outbox.claim_due(NOW + timedelta(seconds=10), 10, 60) == []
        uow.commit()
    with database.uow() as uow:
        retried = uow.outbox.claim_due(NOW + timedelta(seconds=30), 10, 60)
    assert [q.notification.idempotency_key for q in retried] == ["m0"]
