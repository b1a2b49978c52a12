"""placement's adapters to PostgreSQL and to the published event contracts."""
