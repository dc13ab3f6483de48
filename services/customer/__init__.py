"""The customer service: customers, products, stores, exchange rates and the purchase ledger."""
