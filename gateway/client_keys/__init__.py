"""Client keys of encrypted payloads: an admin creates, rotates and retires them; stored wrapped, shown once."""
