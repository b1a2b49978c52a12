"""PostgreSQL plumbing: connection pool, unit of work base, migrations at start."""
