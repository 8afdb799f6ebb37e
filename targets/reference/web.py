"""The reference web app, served from a background thread of the test process.

One server per test session (starting Flask and a socket per scenario would cost more
than most scenarios); each scenario points it at its own app, and again after the app
restarts. In-process, so the scenario's frozen clock is the server's clock too.
"""

from __future__ import annotations

from sut.entrypoints.web import create_web_app
from sut.entrypoints.web.server import BackgroundServer
from sut.entrypoints.web.state import PendingKeys, WebState
from sut.service_layer.identity import WhoAmI


class WebHarness:
    def __init__(self, first_app, on_stop=lambda: None):
        self._on_stop = on_stop
        # As behind one reverse proxy: each device of the api and ui drivers says where it is.
        self.flask_app = create_web_app(first_app, trusted_proxies=1)
        self.server = BackgroundServer(self.flask_app)
        self.base_url = self.server.start()

    def serve(self, system) -> str:
        """Serve this scenario's app, and follow it across restarts."""
        self._bind(system.app)
        system.on_restart(self._bind)
        return self.base_url

    def _bind(self, app) -> None:
        app.deps.public_url = self.base_url  # the links the app emails lead to this server, as deployed
        self.flask_app.extensions["twofa"] = WebState(app=app, who=WhoAmI(app.deps), pending=PendingKeys(app.deps.clock), demo=None)

    def stop(self) -> None:
        self.server.stop()
        self._on_stop()
