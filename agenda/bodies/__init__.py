"""Bodies: the boards that meet and vote, their seats, the people on them and their terms."""
