"""Audit: the hash-chained log of every change, and `flask verify` over the whole record."""
