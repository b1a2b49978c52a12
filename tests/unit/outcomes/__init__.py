"""Unit tests of outcomes' domain: plain Python, no I/O."""
