"""The matters area."""
