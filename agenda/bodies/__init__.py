"""The bodies area."""
