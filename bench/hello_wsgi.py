"""The app of wsgi.py plus a hello-world route for the floors bench only (never in the product).

`/_bench/hello` answers "hello" with no database work, through the same gunicorn worker and
the same app (its before- and after-request hooks included): the baseline the public pages'
floors are measured against.
"""

from __future__ import annotations

from wsgi import app


@app.get("/_bench/hello")
def bench_hello() -> str:
    return "hello"
