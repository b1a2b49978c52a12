"""notifications' use cases, each one transaction through the unit of work."""
