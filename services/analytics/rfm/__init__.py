"""RFM: recency, frequency and monetary scores per customer at a reference date, stored per run."""
