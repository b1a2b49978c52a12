"""outcomes' domain: what outcomes knows of each participant, the exit rules, and the reports."""
