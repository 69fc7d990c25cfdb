"""What a user runs: the command line, serve, check, new."""
