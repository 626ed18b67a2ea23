"""People (with their roles) and their platform identities, including one-time link codes."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    bindparam,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    update,
)

from bot.domain import NewPerson, Pause, Person, PersonStatus, Role
from storage.bulk import one_of, rows_of
from storage.models import IdentityRow, LinkCodeRow, PauseRow, PersonRoleRow, PersonRow
from storage.repositories import Repository
from storage.repositories.outbox import OutboxRepository

# Rows or ids per statement in bulk work: under SQLite's 32,766 bound parameters.
CHUNK = 5_000


# A person's own columns, read as plain values where many are read (no ORM object each).
_COLUMNS = (
    PersonRow.id,
    PersonRow.email,
    PersonRow.name,
    PersonRow.timezone,
    PersonRow.locale,
    PersonRow.status,
)


def _person(row: Any, roles: Iterable[str]) -> Person:
    """`row`: a PersonRow, or a row of _COLUMNS."""
    return Person(
        id=row.id,
        email=row.email,
        name=row.name,
        timezone=row.timezone,
        locale=row.locale,
        roles=frozenset(Role(r) for r in roles),
        status=PersonStatus(row.status),
    )


# Every command looks its asker up: built once, the roles joined, plain columns (no ORM object).
# Building it again for each command (and its cache key), then loading a PersonRow, cost more
# than running it.
_GET = (
    select(*_COLUMNS, PersonRoleRow.role)
    .outerjoin(PersonRoleRow, PersonRoleRow.person_id == PersonRow.id)
    .where(PersonRow.id == bindparam("person_id"))
)


class PeopleRepository(Repository):
    def _to_domain(self, row: PersonRow) -> Person:
        roles = self.db.scalars(
            select(PersonRoleRow.role).where(PersonRoleRow.person_id == row.id)
        ).all()
        return _person(row, roles)

    def get(self, person_id: int) -> Person | None:
        rows = self.db.execute(_GET, {"person_id": person_id}).all()
        if not rows:
            return None
        return _person(rows[0], [row.role for row in rows if row.role is not None])

    def _one(self, where: ColumnElement[bool]) -> Person | None:
        """One person and their roles in one query (every command looks its asker up)."""
        rows = self.db.execute(
            select(PersonRow, PersonRoleRow.role)
            .outerjoin(PersonRoleRow, PersonRoleRow.person_id == PersonRow.id)
            .where(where)
        ).all()
        if not rows:
            return None
        return _person(rows[0][0], [role for _, role in rows if role is not None])

    def get_many(self, person_ids: Iterable[int]) -> dict[int, Person]:
        """Several people in two queries (the outbox worker resolves a whole batch at once)."""
        ids = set(person_ids)
        if not ids:
            return {}
        rows = self.db.scalars(select(PersonRow).where(PersonRow.id.in_(ids))).all()
        roles: dict[int, set[str]] = {}
        for person_id, role in self.db.execute(
            select(PersonRoleRow.person_id, PersonRoleRow.role).where(
                PersonRoleRow.person_id.in_(ids)
            )
        ):
            roles.setdefault(person_id, set()).add(role)
        return {row.id: _person(row, roles.get(row.id, set())) for row in rows}

    def names(self, person_ids: Iterable[int]) -> dict[int, str]:
        """Just the names, in one query (the ids as one value: storage.bulk)."""
        query = select(PersonRow.id, PersonRow.name).where(
            one_of(self.db, PersonRow.id, person_ids)
        )
        return dict(self.db.connection().execute(query).all())  # Core's rows, no ORM's

    def by_email(self, email: str) -> Person | None:
        return self._one(PersonRow.email == email.strip().lower())

    def by_emails(self, emails: Iterable[str]) -> dict[str, Person]:
        """People by email, two queries per CHUNK of emails (a roster of 100,000 rows)."""
        wanted = sorted({e.strip().lower() for e in emails})
        found: dict[str, Person] = {}
        for start in range(0, len(wanted), CHUNK):
            # The chunk's emails as one value (storage.bulk), the people as plain columns.
            chunk = wanted[start : start + CHUNK]
            query = select(*_COLUMNS).where(one_of(self.db, PersonRow.email, chunk))
            rows = self.db.execute(query).all()
            roles = self._roles([row.id for row in rows])
            found.update({row.email: _person(row, roles.get(row.id, ())) for row in rows})
        return found

    def _roles(self, person_ids: Sequence[int]) -> dict[int, set[str]]:
        roles: dict[int, set[str]] = {}
        if person_ids:
            query = select(PersonRoleRow.person_id, PersonRoleRow.role).where(
                PersonRoleRow.person_id.in_(person_ids)
            )
            for person_id, role in self.db.execute(query):
                roles.setdefault(person_id, set()).add(role)
        return roles

    def add_many(self, people: Sequence[NewPerson], at: datetime) -> dict[str, int]:
        """Create people who are not there yet, with their roles: email -> id. Two statements
        per CHUNK of people, each chunk's rows one JSON value (storage.bulk: a roster import);
        `add` is the one-person path."""
        ids: dict[str, int] = {}
        person, role = PersonRow.__table__, PersonRoleRow.__table__
        for start in range(0, len(people), CHUNK):
            chunk = people[start : start + CHUNK]
            columns = ["email", "name", "timezone", "locale"]
            rows = [[p.email, p.name, p.timezone, p.locale] for p in chunk]
            source = rows_of(self.db, person, columns, rows).add_columns(
                literal(PersonStatus.ACTIVE.value, PersonRow.status.type),
                literal(at, PersonRow.created_at.type),
            )
            statement = insert(PersonRow).from_select([*columns, "status", "created_at"], source)
            returned = self.db.execute(statement.returning(PersonRow.email, PersonRow.id))
            created = {email: id_ for email, id_ in returned}
            roles = [[created[p.email], r.value] for p in chunk for r in p.roles]
            if roles:
                pairs = rows_of(self.db, role, ["person_id", "role"], roles)
                self.db.execute(insert(PersonRoleRow).from_select(["person_id", "role"], pairs))
            ids.update(created)
        return ids

    def bulk_loaded(self) -> None:
        """After many new people (a roster import): PostgreSQL's planner statistics are taken
        again at once, in the import's transaction. Without them the tables look as empty as
        before, and the next job's pages were planned as if so (0.5 s a page of check-ins,
        a hash join over every student, instead of milliseconds)."""
        if self.db.get_bind().dialect.name == "postgresql":
            self.db.execute(text("ANALYZE people, person_roles, identities, mentorships"))

    def count(self) -> int:
        return self.db.scalar(select(func.count()).select_from(PersonRow)) or 0

    def with_role(self, role: Role) -> list[Person]:
        rows = self.db.scalars(
            select(PersonRow)
            .join(PersonRoleRow, PersonRoleRow.person_id == PersonRow.id)
            .where(PersonRoleRow.role == role.value, PersonRow.status == "active")
            .order_by(PersonRow.id)
        )
        return [self._to_domain(row) for row in rows]

    def add(
        self,
        email: str,
        name: str,
        timezone: str,
        locale: str,
        roles: Iterable[Role],
        at: datetime | None = None,
    ) -> Person:
        row = PersonRow(
            email=email.strip().lower(),
            name=name,
            timezone=timezone,
            locale=locale,
            status=PersonStatus.ACTIVE.value,
            created_at=at or datetime.now(UTC),
        )
        self.db.add(row)
        self.db.flush()
        self._set_roles(row.id, roles)
        return self._to_domain(row)

    def update(
        self,
        person_id: int,
        *,
        name: str | None = None,
        timezone: str | None = None,
        locale: str | None = None,
        roles: Iterable[Role] | None = None,
        status: PersonStatus | None = None,
    ) -> None:
        row = self.db.get_one(PersonRow, person_id)
        if name is not None:
            row.name = name
        if timezone is not None:
            row.timezone = timezone
        if locale is not None:
            row.locale = locale
        if status is not None:
            row.status = status.value
        if roles is not None:
            self._set_roles(person_id, roles)
        self.db.flush()

    def _set_roles(self, person_id: int, roles: Iterable[Role]) -> None:
        self.db.execute(delete(PersonRoleRow).where(PersonRoleRow.person_id == person_id))
        self.db.add_all(PersonRoleRow(person_id=person_id, role=r.value) for r in set(roles))
        self.db.flush()


class IdentitiesRepository(Repository):
    def link(self, person_id: int, platform: str, external_id: str) -> bool:
        """Link the account to the person; False, changing nothing, when it is someone else's.

        An account changes owner only through `unlink`: moving it silently would let one
        person's chat account act as another.
        """
        owner = self.db.scalar(
            select(IdentityRow.person_id).where(
                IdentityRow.platform == platform, IdentityRow.external_id == external_id
            )
        )
        if owner is not None:
            return owner == person_id
        self.db.add(IdentityRow(person_id=person_id, platform=platform, external_id=external_id))
        self.db.flush()
        # Messages kept for them while nothing reached them go now (claims skip parked rows).
        OutboxRepository(self.db).unpark_person(person_id)
        return True

    def unlink(self, person_id: int, platform: str) -> str | None:
        """Forget the person's account on that platform; the id it had, or None if none."""
        rows = list(
            self.db.scalars(
                select(IdentityRow).where(
                    IdentityRow.person_id == person_id, IdentityRow.platform == platform
                )
            )
        )
        for row in rows:
            self.db.delete(row)
        self.db.flush()
        return rows[0].external_id if rows else None

    def owners(self, platform: str, external_ids: Collection[str]) -> dict[str, str]:
        """Who holds these accounts: external id -> the owner's email (CHUNK ids a query)."""
        wanted = sorted(external_ids)
        found: dict[str, str] = {}
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            rows = self.db.execute(
                select(IdentityRow.external_id, PersonRow.email)
                .join(PersonRow, PersonRow.id == IdentityRow.person_id)
                .where(
                    IdentityRow.platform == platform,
                    one_of(self.db, IdentityRow.external_id, chunk),  # one value (storage.bulk)
                )
            )
            found.update({external: email for external, email in rows})
        return found

    def of_people(self, person_ids: Collection[int]) -> dict[tuple[int, str], str]:
        """These people's accounts: (person id, platform) -> external id."""
        wanted = sorted(person_ids)
        found: dict[tuple[int, str], str] = {}
        for start in range(0, len(wanted), CHUNK):
            rows = self.db.execute(
                select(IdentityRow.person_id, IdentityRow.platform, IdentityRow.external_id).where(
                    IdentityRow.person_id.in_(wanted[start : start + CHUNK])
                )
            )
            found.update({(p, platform): e for p, platform, e in rows})
        return found

    def add_many(self, accounts: Sequence[tuple[int, str, str]]) -> None:
        """Link new people's accounts, (person id, platform, external id) each, checked free;
        a CHUNK of them one JSON value (storage.bulk)."""
        columns = ["person_id", "platform", "external_id"]
        for start in range(0, len(accounts), CHUNK):
            rows = [list(account) for account in accounts[start : start + CHUNK]]
            source = rows_of(self.db, IdentityRow.__table__, columns, rows)
            self.db.execute(insert(IdentityRow).from_select(columns, source))

    def person_for(self, platform: str, external_id: str) -> Person | None:
        person_id = self.db.scalar(
            select(IdentityRow.person_id).where(
                IdentityRow.platform == platform, IdentityRow.external_id == external_id
            )
        )
        return PeopleRepository(self.db).get(person_id) if person_id else None

    def add_code(self, person_id: int, code_hash: str, expires_at: datetime) -> None:
        self.db.add(LinkCodeRow(code_hash=code_hash, person_id=person_id, expires_at=expires_at))
        self.db.flush()

    def use_code(self, code_hash: str, now: datetime) -> int | None:
        """The person a valid code belongs to, marking it used; None if unknown, used or expired."""
        row = self.db.get(LinkCodeRow, code_hash, with_for_update=True)
        if row is None or row.used_at is not None or row.expires_at <= now:
            return None
        row.used_at = now
        self.db.flush()
        return row.person_id

    def external_id(self, person_id: int, platform: str) -> str | None:
        return self.db.scalar(
            select(IdentityRow.external_id).where(
                IdentityRow.person_id == person_id, IdentityRow.platform == platform
            )
        )


class PausesRepository(Repository):
    def start(self, person_id: int, at: datetime) -> None:
        self.db.add(PauseRow(person_id=person_id, starts_at=at))
        self.db.flush()

    def end(self, person_id: int, at: datetime) -> None:
        self.db.execute(
            update(PauseRow)
            .where(PauseRow.person_id == person_id, PauseRow.ends_at.is_(None))
            .values(ends_at=at)
        )

    def overlapping(self, person_ids: Iterable[int], since: datetime) -> list[Pause]:
        """These people's pauses still running at `since` or begun after it, in one statement:
        the ids are one bound value (storage.bulk.one_of), not 10,000 bound one by one."""
        rows = self.db.scalars(
            select(PauseRow)
            .where(
                one_of(self.db, PauseRow.person_id, person_ids),
                or_(PauseRow.ends_at.is_(None), PauseRow.ends_at > since),
            )
            .order_by(PauseRow.starts_at)
        )
        return [Pause(r.person_id, r.starts_at, r.ends_at) for r in rows]
