"""Onboarding: the active mentors with no weekly availability or no contact rule (a default, or
one for each of their students)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, String, and_, cast, exists, false, literal, not_, or_, select

from bot.ports.onboarding import NudgeWeek, Unready
from storage.models import (
    ContactDefaultRow,
    MentorshipRow,
    NotificationRow,
    PersonRoleRow,
    PersonRow,
    TimeOffRow,
    WeeklyAvailabilityRow,
)
from storage.repositories import Repository

HAS_HOURS = exists().where(WeeklyAvailabilityRow.person_id == PersonRow.id)
# A mentor has said how to reach them with a default rule, or with a rule of its own for each of
# their students (at least one): the nudge is for students left without a rule, not for a form.
HAS_RULE = or_(
    exists().where(ContactDefaultRow.mentor_id == PersonRow.id, ContactDefaultRow.rule != "unset"),
    and_(
        exists().where(MentorshipRow.mentor_id == PersonRow.id),
        ~exists().where(
            MentorshipRow.mentor_id == PersonRow.id, MentorshipRow.contact_rule == "unset"
        ),
    ),
)


def _unready(now: datetime) -> ColumnElement[bool]:
    """Active mentors, not on time off now, missing their hours or their rule."""
    mentor = exists().where(PersonRoleRow.person_id == PersonRow.id, PersonRoleRow.role == "mentor")
    off = exists().where(
        TimeOffRow.person_id == PersonRow.id, TimeOffRow.starts_at <= now, TimeOffRow.ends_at > now
    )
    return and_(PersonRow.status == "active", mentor, not_(off), or_(~HAS_HOURS, ~HAS_RULE))


def _key(pattern: tuple[str, str]) -> ColumnElement[str]:
    """The mentor's key in SQL: `prefix` || id || `suffix` (the same on both databases)."""
    prefix, suffix = pattern
    return literal(prefix) + cast(PersonRow.id, String) + literal(suffix)


def _queued(pattern: tuple[str, str], since: datetime | None = None) -> ColumnElement[bool]:
    found = [NotificationRow.idempotency_key == _key(pattern)]
    if since is not None:
        found.append(NotificationRow.created_at >= since)
    return exists().where(*found)


class OnboardingRepository(Repository):
    def unready_zones(self, now: datetime) -> list[str]:
        """The zones the unready mentors live in: a nudge week opens per zone."""
        query = select(PersonRow.timezone).where(_unready(now)).distinct()
        return list(self.db.scalars(query))

    def unready(
        self, now: datetime, weeks: Sequence[NudgeWeek], after: int, limit: int
    ) -> list[Unready]:
        """The next `limit` unready mentors (ids above `after`) in a zone whose week has
        opened, neither nudged this week yet nor welcomed since it began, with what they have.

        Paged by id, so a job can commit between pages; a second run in the week finds nobody
        and writes nothing."""
        waiting = [
            and_(
                PersonRow.timezone == week.zone,
                ~_queued(week.nudge_key),
                ~_queued(week.welcome_key, week.began),
            )
            for week in weeks
        ]
        page = (
            select(PersonRow.id, PersonRow.name, PersonRow.timezone, HAS_HOURS, HAS_RULE)
            .where(_unready(now), PersonRow.id > after, or_(false(), *waiting))
            .order_by(PersonRow.id)
            .limit(limit)
        )
        return [
            Unready(row[0], row[1], row[2], bool(row[3]), bool(row[4]))
            for row in self.db.execute(page)
        ]
