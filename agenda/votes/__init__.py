"""Votes: the rules engine, motions, roll calls, dispositions, corrections and the console."""
