"""Documents: content-addressed blobs, PDF checks, rendering and packets; no area knowledge."""
