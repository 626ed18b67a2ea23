"""Alerts to the advisors: posted with a summary only, one live alert per student and category,
open → acknowledged → resolved by advisors only, pinged again when left waiting."""

from __future__ import annotations

from bot.action_lines import command_line
from bot.domain import AlertStatus, Notification, Person
from bot.i18n import Renderer
from bot.outbox import OutboxWorker
from bot.replies import Text
from bot.services.alerts import ping_overdue
from tests.conftest import Programme
from tests.recording import RecordingDeliverer


class ChannelDeliverer(RecordingDeliverer):
    """Records channel posts and hands back a message id, as Slack's `ts` or Discord's id."""

    def deliver(self, recipient: Person | None, notification: Notification) -> str | None:
        self.attempts += 1
        self.sent.append((recipient, notification))  # type: ignore[arg-type]
        return f"msg-{len(self.sent)}"


def drain(programme: Programme) -> list[Notification]:
    deliverer = ChannelDeliverer()
    OutboxWorker(programme.database.uow, programme.clock, deliverer).drain()
    return [n for _, n in deliverer.sent]


def status(programme: Programme, alert_id: int) -> AlertStatus:
    with programme.database.uow() as uow:
        alert = uow.alerts.get(alert_id)
    assert alert is not None
    return alert.status


ESCALATE = "/escalate absence lea@school.example Hospitalisée cette semaine -- opération lundi"


def test_an_alert_is_posted_to_the_advisors_with_its_summary_only(programme: Programme) -> None:
    reply = programme.ok("mentor", ESCALATE)
    assert reply.lines[0].key == "alert.raised"
    (post,) = drain(programme)
    assert post.recipient_id is None and post.channel == "advisors:console"
    text = Renderer("fr", "Europe/Paris").text(_text(post))
    assert "Hospitalisée cette semaine" in text and "Léa Dubois" in text
    assert "Camille Martin" in text and "opération" not in text
    assert [command_line(c.action) for c in post.choices] == [
        "/alerts ack 1",
        "/alerts resolve 1",
        "/alerts details 1",
    ]


def _text(notification: Notification) -> Text:
    return Text(notification.key, notification.params)


def test_a_second_raise_adds_to_the_open_alert_and_edits_its_message(programme: Programme) -> None:
    programme.ok("mentor", ESCALATE)
    drain(programme)
    again = programme.ok("mentor", "/escalate absence lea@school.example Toujours absente")
    assert again.lines[0].key == "alert.added"
    (update,) = drain(programme)
    assert update.updates == "alert:1:post:advisors:console" and update.edit_ref == "msg-1"
    assert update.params["reports"] == 2
    other = programme.ok("mentor", "/escalate plagiat lea@school.example Code copié")
    assert other.lines[0].key == "alert.raised" and other.lines[0].params["id"] == 2


def test_the_lifecycle_belongs_to_advisors(programme: Programme) -> None:
    programme.ok("mentor", ESCALATE)
    drain(programme)
    for who in ("lea", "mentor"):
        assert programme.refused(who, "/alerts ack 1") == "error.not_allowed"
        assert programme.refused(who, "/alerts resolve 1 done") == "error.not_allowed"
        assert programme.refused(who, "/alerts details 1") == "error.not_allowed"
        assert programme.refused(who, "/alerts") == "error.not_allowed"
    assert programme.ok("advisor", "/alerts ack 1").lines[0].key == "alert.acknowledged"
    assert status(programme, 1) == AlertStatus.ACKNOWLEDGED
    update, told = drain(programme)
    assert (
        told.key == "alert.raiser_acknowledged"
        and told.recipient_id == programme.people["mentor"].id
    )
    shown = Renderer("en", "Europe/Paris").text(_text(update))
    assert "acknowledged by Nadia Benali" in shown
    assert [command_line(c.action) for c in update.choices] == [
        "/alerts resolve 1",
        "/alerts details 1",
    ]
    assert programme.refused("advisor", "/alerts ack 1") == "alert.not_open"
    assert programme.refused("advisor", "/alerts resolve 1") == "alert.resolve_needs_note"
    programme.ok("advisor", "/alerts resolve 1 Absence excusée, parcours décalé")
    assert status(programme, 1) == AlertStatus.RESOLVED
    resolved, told = drain(programme)
    assert (
        told.key == "alert.raiser_resolved" and told.recipient_id == programme.people["mentor"].id
    )
    assert "excusée" not in repr(told.params)  # the resolution note stays the advisors'
    assert [command_line(c.action) for c in resolved.choices] == ["/alerts details 1"]
    assert resolved.edit_ref == "msg-1"
    # Resolved: a new raise is a new alert.
    assert programme.ok("mentor", ESCALATE).lines[0].params["id"] == 2


def test_private_details_go_only_to_the_advisor_who_asks(programme: Programme) -> None:
    programme.ok("mentor", ESCALATE)
    reply = programme.ok("advisor", "/alerts details 1")
    assert reply.lines[0].params["details"] == "opération lundi"
    with programme.database.uow() as uow:
        actions = [e.action for e in uow.alerts.events(1)]
    assert actions == ["raised", "details_viewed"]


def test_a_mentor_alerts_only_about_their_own_students(programme: Programme) -> None:
    assert programme.refused("other.mentor", ESCALATE) == "error.not_your_student"
    assert programme.refused("lea", ESCALATE) == "error.not_allowed"
    assert programme.refused("mentor", "/escalate weather lea@school.example x") == (
        "escalate.unknown_category"
    )
    assert programme.refused("mentor", "/escalate absence ghost@school.example x") == (
        "error.unknown_person_ref"
    )
    # A mention of a roster person's account works like an email, on the platform the adapter
    # names (the core never guesses it from the id's shape)...
    line = "/escalate circonstances <@U0LEA|lea> Déménagement"
    mentor = programme.people["mentor"].id
    assert not programme.core.run_line(mentor, line, platform="slack").is_error
    # ...and names no one where no platform is said, or on another platform.
    for platform in (None, "discord"):
        refused = programme.core.run_line(mentor, line, platform=platform)
        assert refused.lines[0].key == "error.unknown_person_ref"


def test_unacknowledged_alerts_are_pinged_once_per_period(programme: Programme) -> None:
    programme.ok("mentor", ESCALATE)
    programme.ok("mentor", "/escalate plagiat lea@school.example Code copié")
    programme.ok("advisor", "/alerts ack 2")
    drain(programme)

    def ping() -> int:
        with programme.database.uow() as uow:
            return ping_overdue(uow, programme.clock.now(), 24, ["advisors:console"])

    programme.clock.advance(hours=23)
    assert ping() == 0
    programme.clock.advance(hours=1)
    assert ping() == 1 and ping() == 0
    (reminder,) = drain(programme)
    assert reminder.key == "alert.overdue" and reminder.params["id"] == 1
    programme.clock.advance(hours=24)
    assert ping() == 1
    assert [n.params["hours"] for n in drain(programme)] == [48]


def test_advisors_query_alerts_and_the_contact_trail(programme: Programme) -> None:
    programme.ok("mentor", "/contact async")
    programme.ok("lea", "/ask Je suis malade cette semaine")
    programme.ok("lea", "/ask Une question sur le projet")
    programme.ok("mentor", ESCALATE)
    programme.ok("advisor", "/alerts resolve 1 ok")
    assert programme.ok("advisor", "/alerts").lines[0].key == "alert.none"
    listing = programme.ok("advisor", "/alerts all lea@school.example")
    keys = [line.key for line in listing.lines]
    assert keys == ["alerts.page", "alerts.line", "audit.title", "audit.line", "audit.line"]
    decisions = [line.params["decision"].key for line in listing.lines[3:]]  # type: ignore[attr-defined]
    assert decisions == ["decision.relayed", "decision.redirected"]
