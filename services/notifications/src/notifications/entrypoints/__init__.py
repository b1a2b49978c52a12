"""notifications' entry points: HTTP routes, the event handler and the mail dispatcher loop."""
