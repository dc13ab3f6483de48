"""Staff accounts administered by admins: invitations, roles, password resets, deactivation."""
