"""The domain language of the acceptance suite: actors with abilities, doing tasks."""
