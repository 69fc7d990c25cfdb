"""Models → display values: Markdown bodies, the Jinja environment, views."""
