"""The use cases, each one unit of work: log in, set up two-factor, administer security."""
