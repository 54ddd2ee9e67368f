"""Meetings: scheduling, the agenda (sections, items, revisions, documents) and the session."""
