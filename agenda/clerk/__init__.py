"""The clerk's workspace: building meetings, agendas and legislation (clerks and admins only)."""
