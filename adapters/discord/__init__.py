"""The Discord adapter (discord.py 2.x): translate an interaction or a DM into a core command,
render the core's reply as an ephemeral message with buttons, and deliver the outbox."""
