"""Linking chat accounts to roster people: by platform id, by email, or by a one-time code."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from bot.commands import IssueLinkCode, RedeemLinkCode
from bot.context import Context
from bot.domain import Role
from bot.errors import UserError
from bot.replies import Reply

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
CODE_LENGTH = 8
CODE_LIFETIME = timedelta(minutes=30)


def hash_code(code: str) -> str:
    normalised = "".join(code.split()).upper().replace("-", "")
    return hashlib.sha256(normalised.encode()).hexdigest()


def issue_code(ctx: Context, command: IssueLinkCode) -> Reply:
    """A code for yourself (to link another platform), or, for an advisor, for anyone."""
    person = ctx.actor
    if command.email is not None:
        ctx.require(Role.ADVISOR)
        found = ctx.uow.people.by_email(command.email)
        if found is None:
            raise UserError("link.unknown_email", email=command.email)
        person = found
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    expires_at = ctx.now + CODE_LIFETIME
    ctx.uow.identities.add_code(person.id, hash_code(code), expires_at)
    ctx.uow.commit()
    return Reply.say(
        "link.code", code=f"{code[:4]}-{code[4:]}", name=person.name, expires=expires_at
    )


def already_linked(ctx: Context, command: RedeemLinkCode) -> Reply:
    """Codes are redeemed by unknown accounts (Core.redeem_link_code); this one is known."""
    raise UserError("link.already", name=ctx.actor.name)
