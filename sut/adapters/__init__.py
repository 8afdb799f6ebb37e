"""The app's edges: storage, email, SMS, clock, password hashing and secret encryption."""
