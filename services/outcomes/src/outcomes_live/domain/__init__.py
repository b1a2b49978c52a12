"""Plain-Python statistics: per-participant facts, what they count, and the running totals."""
