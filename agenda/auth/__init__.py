"""Auth: users and roles, signing in and out, and who is looking at a request."""
