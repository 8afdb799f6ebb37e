"""Application drivers: one interface, one implementation per way of reaching the app."""

DRIVERS = ("domain", "api", "ui")
