"""Monthly customer levels 0 to 5 from the monthly figures, and the groups within a level."""
