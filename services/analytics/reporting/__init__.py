"""What every report shares: its filters, the SQL they become, and its three replies (JSON, CSV, chart)."""
