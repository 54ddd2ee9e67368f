"""The Key West demo: data marked as demo, loaded through the same operations as the screens."""
