"""Alembic environment: the engine comes from storage.database (never from alembic.ini)."""

from __future__ import annotations

from alembic import context

from storage.models import Base

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        user_module_prefix="",  # autogenerate writes UTCDateTime(), imported by the template
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
