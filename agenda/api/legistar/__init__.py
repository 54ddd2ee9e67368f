"""Import a city's record from Granicus Legistar's Web API (JSON files, one per endpoint)."""
