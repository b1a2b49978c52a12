"""outcomes: records how young people leave the programme and reports integration rates.

It learns of participants from `intake.events` and of their placements from `placement.events`,
keeps only pseudonymous ids and coarse attributes, and publishes exits on `outcomes.events`.
"""
