"""intake's domain: referrals, the enrolment rules and the pseudonymous participant id."""
