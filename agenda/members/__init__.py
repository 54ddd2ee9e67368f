"""A commissioner's own pages: the meetings of their bodies and what changed since they looked."""
