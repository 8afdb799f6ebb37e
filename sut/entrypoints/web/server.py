"""The servers the web app runs in.

``production_server``: waitress, a production WSGI server from PyPI (pure Python, a fixed
pool of threads, no Server header), for ``twofa serve``.

``BackgroundServer``: Werkzeug's development server in a background thread of the current
process, for the tests only. The tests freeze time with freezegun in their own thread; the
server thread reads the same (patched) clock, so one freeze controls the whole app.
``start()`` returns once the socket listens, so nobody needs to sleep.
"""

from __future__ import annotations

import errno
import os
import socket
import threading

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server


class ServerStartError(OSError):
    """The server could not listen, with a message that says why in one line."""

    def __str__(self) -> str:
        return str(self.strerror)


class _QuietRequestHandler(WSGIRequestHandler):
    """No access log line per request (a test run's output stays readable); errors still log."""

    def log_request(self, *args, **kwargs) -> None:
        pass


# Enough threads that the few tied up by password checks (at most the hashing gate's
# size, see sut.adapters.passwords) leave others free for everybody else.
PRODUCTION_THREADS = 16


def production_server(flask_app, host: str, port: int, threads: int = PRODUCTION_THREADS, *,
                      trusted_proxies: int = 0):
    """A waitress server listening on host:port; ``run()`` serves until interrupted, ``close()`` stops.

    With ``trusted_proxies`` 0, waitress removes every X-Forwarded-* header, so nobody can claim
    another address. Behind N proxies the headers must reach the app, whose ProxyFix believes
    exactly N hops (sut.entrypoints.web): had waitress cleared them, every client would share the
    proxy's address and one person's wrong passwords would throttle everyone.
    """
    import waitress.server

    sock = _bound_socket(host, port)
    try:
        # ident="": no Server header (ASVS 4.0.3 14.3.3). The socket is ours, so a port in use
        # is told in one line (ServerStartError) instead of waitress's traceback.
        return waitress.server.create_server(flask_app, sockets=[sock], threads=threads, ident="",
                                             clear_untrusted_proxy_headers=trusted_proxies == 0)
    except Exception:
        sock.close()
        raise


def listen(flask_app, host: str, port: int, *, quiet: bool = False) -> BaseWSGIServer:
    """A threaded werkzeug server listening on host:port (0: any free port).

    The socket is bound here rather than by werkzeug, which prints to stderr and calls
    sys.exit when the port is taken; this raises ServerStartError with one clear line.
    """
    sock = _bound_socket(host, port)
    try:
        return make_server(host, port, flask_app, threaded=True, fd=sock.fileno(),
                           request_handler=_QuietRequestHandler if quiet else None)
    finally:
        sock.close()  # werkzeug holds its own duplicate of the socket


def _bound_socket(host: str, port: int) -> socket.socket:
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except socket.gaierror as error:
        raise ServerStartError(errno.EINVAL, f"Cannot listen on {host}:{port}: unknown host ({error.strerror}).") from error
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if os.name == "posix":  # restart at once after a stop; never shares a port in use
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise ServerStartError(error.errno, f"Cannot listen on {host}:{port}: the port is in use.") from error
        raise ServerStartError(error.errno, f"Cannot listen on {host}:{port}: {error.strerror or error}.") from error
    return sock


class BackgroundServer:
    def __init__(self, flask_app, host: str = "127.0.0.1", port: int = 0, *, quiet: bool = True):
        self.flask_app, self.host, self.port, self.quiet = flask_app, host, port, quiet
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("The server is not running.")
        host = self.host if ":" not in self.host else f"[{self.host}]"
        return f"http://{host}:{self._server.server_address[1]}"

    def start(self) -> str:
        if self._server is not None:
            return self.base_url
        self._server = listen(self.flask_app, self.host, self.port, quiet=self.quiet)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"web-server-{self._server.server_address[1]}", daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=10)

    def __enter__(self) -> "BackgroundServer":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
