"""HTTP plumbing shared by the services: staff authentication, health, errors, correlation ids."""
