"""Security services: the policy, passwords, lockout, the second factor and role grants."""
