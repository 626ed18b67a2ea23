"""The Slack adapter (Bolt): translate a Slack payload, run it through the core, render, deliver.

`app.build_slack_app` is the composition used by `mentorbot slack` (`server.serve`) and by tests.
"""
