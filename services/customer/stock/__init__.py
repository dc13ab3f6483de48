"""Stock: the ledger every change of a product's quantity goes through, and restock suggestions."""
