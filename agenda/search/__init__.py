"""Full-text search over the public record: meetings, items, legislation, minutes, documents."""
