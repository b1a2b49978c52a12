"""notifications' adapters to PostgreSQL, to SMTP and to the published event contracts."""
