"""Minutes: drafts, approval by a later meeting, the printed record, Form 8B disclosures."""
