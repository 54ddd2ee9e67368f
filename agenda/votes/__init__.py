"""The votes area."""
