"""Sign-in abuse: attempts throttled per account and per client address, held in the shared store."""
