"""The ways into the reference app: the web pages and JSON API, and the `twofa serve` demo."""
