"""Demo data: the Key West City Commission and its 287(g) story, marked as demo."""
