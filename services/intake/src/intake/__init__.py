"""intake: receives referrals, enrols young people and keeps their personal data.

Other services only ever learn a pseudonymous participant id and coarse attributes, through
`ParticipantEnrolled` on `intake.events`.
"""
