"""Live funder reporting: a faust-streaming worker that keeps programme figures in Faust tables.

Its own small hexagon next to the outcomes service: it reads only the published event contracts
(`werkstattnetz_shared.events`) and never imports the `outcomes` package.
"""
