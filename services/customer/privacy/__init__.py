"""Privacy: a customer's data exported across every service, a customer erased everywhere, and the audit of both."""
