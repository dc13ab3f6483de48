"""Monthly targets (SPEC §3.5): target runs, the targets they set, and the achievements that credit gifts and points."""
