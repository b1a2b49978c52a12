"""Technical plumbing every werkstattnetz service needs: event contracts, reliable messaging,
database and HTTP helpers. Nothing in here knows a rule of any one service."""
