"""The minutes area."""
