"""notifications: tells staff by e-mail about placements, waitlistings and integrations.

It consumes `placement.events` and `outcomes.events`, sends exactly one mail per notified event
and announces each sent mail as `NotificationSent` on `notifications.events`. Mails carry the
pseudonymous participant id and coarse facts only; staff look the person up in intake.
"""
