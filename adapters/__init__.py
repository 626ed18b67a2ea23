"""Inbound and outbound adapters: console, Slack, Discord, the scheduler, and the CLI."""
