"""Privacy: exports, erasures and their audit, across the services."""
