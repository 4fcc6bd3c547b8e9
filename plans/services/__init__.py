"""Code that needs no HTTP request: callable from views, commands, tasks and tests."""
