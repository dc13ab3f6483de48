"""Exchange rates: units of a local currency per one unit of the base currency, by date."""
