"""Use cases: one function per command, each given a context holding a unit of work."""
