"""Pure functions from data to files: feeds, API, ICS, JSON-LD, wire text, server configs."""
