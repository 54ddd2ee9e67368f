"""WSGI entry point for gunicorn: `gunicorn wsgi:app`."""

from agenda import create_app

app = create_app()
