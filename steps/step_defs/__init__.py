"""Step definitions: one line of domain language each. Registered in the root conftest."""
