"""The terminal adapter: the same commands as the chat platforms, typed or piped on stdin."""
