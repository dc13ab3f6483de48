"""Bulk imports: uploaded files become jobs that clean, profile and load rows at COPY speed."""
