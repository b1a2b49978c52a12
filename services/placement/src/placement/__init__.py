"""placement: workshops with seats, fair waitlists, and placing enrolled young people.

It learns of people from `ParticipantEnrolled` (intake) and `ParticipantExited` (outcomes), knows
them only by their pseudonymous participant id, and tells others on `placement.events`.
"""
