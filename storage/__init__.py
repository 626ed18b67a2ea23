"""Everything that speaks SQL: models, repositories, the unit of work and migrations."""
