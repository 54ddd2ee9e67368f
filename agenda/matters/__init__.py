"""Matters: legislation, its file numbers, sponsors, documents and history of actions."""
