"""Encrypted payloads: the AES-256-GCM scheme, the legacy CryptoJS scheme, and client keys at rest (pure)."""

from gateway.payloads.refusal import PayloadRefused, Reason

__all__ = ["PayloadRefused", "Reason"]
