"""Rules of two-factor authentication, free of I/O: every function is given the time."""
