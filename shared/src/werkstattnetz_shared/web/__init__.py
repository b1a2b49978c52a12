"""HTTP plumbing shared by the services: staff authentication, health, errors, the HTTP edge
(correlation ids, security headers, last-resort answers), request validation and offline docs."""
