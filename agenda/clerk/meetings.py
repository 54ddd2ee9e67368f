"""Clerk routes for meetings: create, edit and publish meetings and build their agendas."""

from agenda.clerk.views import bp

__all__ = ["bp"]
