"""The ``patron`` command: run, migrate and inspect a Patron deployment."""
