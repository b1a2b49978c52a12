"""intake's entry points: thin translators from HTTP to use cases."""
