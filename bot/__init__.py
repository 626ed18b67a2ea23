"""mentorbot's platform-neutral core: commands in, replies and notifications out."""
