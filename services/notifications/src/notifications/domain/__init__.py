"""notifications' domain: which events notify whom, the composed mail, and a delivery's life."""
