"""Clerk routes for legislation: file matters, attach documents, place them on agendas."""

from agenda.clerk.views import bp

__all__ = ["bp"]
