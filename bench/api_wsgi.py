"""bench.hello_wsgi's app with the API's rate limits out of the way: wrk asks from one address
with one token, far past what the limits let one client do (never in the product)."""

from __future__ import annotations

from bench.hello_wsgi import app

app.config["API_READ_LIMIT"] = "1000000000/minute"
