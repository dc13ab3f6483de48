"""Tests of the events machinery: outbox, relay, JetStream, idempotent ordered consumers."""
