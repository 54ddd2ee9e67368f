"""The JSON API (not built yet; see the open issue)."""
