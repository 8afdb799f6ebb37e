"""``twofa serve``: the reference app in a browser, with a local mail server and a demo outbox.

Starts a local SMTP server (aiosmtpd) on a free port, builds the app on the given SQLite
file with the production password cost (Argon2id defaults), creates demo accounts when the
database has none, and serves the pages, the JSON API and ``/demo/outbox`` (the mail and
texts the app sent, marked as not part of the product) with waitress until Ctrl-C.

Deployment options: ``--key-file`` keeps the encryption key away from the database (another
volume, a secrets mount); ``--secure-cookies`` behind TLS (Secure, ``__Host-`` cookie, HSTS);
``--behind-proxies N`` believes N reverse proxies about the client's address.

The demo (published passwords, an outbox showing everyone's codes without signing in) is on
by default only on this machine's loopback address. Listening beyond it needs ``--demo``
said out loud, or ``--no-demo`` (an existing database's accounts, no outbox): a copy
started with ``--host 0.0.0.0`` must not hand out an administrator's password and every
code it sends (the red-team finding after issue 7).
"""

from __future__ import annotations

import argparse
import pathlib
import signal
import sys
import threading

from sut import bootstrap
from sut.adapters.local_smtp import LocalSmtpServer
from sut.config import Config
from sut.domain.errors import InvalidInput

from .web import create_web_app
from .web.server import ServerStartError, production_server

LOOPBACK = ("127.0.0.1", "localhost", "::1")

DEMO_ACCOUNTS = [
    # email, name, role, password, is_admin
    ("admin@demo.example", "Ada Admin", "agent", "demo-admin-password", True),
    ("agent@demo.example", "Alan Agent", "agent", "demo-agent-password", False),
    ("user@demo.example", "Una User", "user", "demo-user-password", False),
]


def seed_demo_accounts(app) -> bool:
    """Create the demo accounts unless they exist; True when this call created them."""
    created = False
    for email, name, role, password, is_admin in DEMO_ACCOUNTS:
        try:
            app.admin.register_person(email, name, role, password, is_admin=is_admin)
            created = True
        except InvalidInput:  # already there (a database from an earlier run)
            pass
    return created


def serve(host: str = "127.0.0.1", port: int = 8000, db: str = "twofa-demo.sqlite3", *, out=None, err=None,
          key_file: str | None = None, secure_cookies: bool = False, behind_proxies: int = 0,
          demo: bool | None = None, public_url: str | None = None) -> int:
    """Run until Ctrl-C; the exit code (0, or 2 when the address cannot be used or the demo not shown)."""
    out, err = out or sys.stdout, err or sys.stderr
    if demo is None:
        if host not in LOOPBACK:
            print(f"twofa serve: listening on {host} would show the demo accounts' passwords and every code sent "
                  "(the demo outbox) beyond this machine. Add --demo to do so on a trusted network, or --no-demo "
                  "to serve the accounts of an existing database without them.", file=err)
            return 2
        demo = True
    try:
        smtp = LocalSmtpServer().start()
    except OSError as error:
        print(f"twofa serve: {error}", file=err)
        return 2
    app = None
    try:
        config = Config(database=pathlib.Path(db), key_file=pathlib.Path(key_file) if key_file else None,
                        smtp_host=smtp.host, smtp_port=smtp.port, secure_cookies=secure_cookies,
                        trusted_proxies=behind_proxies)
        try:
            app = bootstrap.build(config)
        except (OSError, ValueError) as error:
            print(f"twofa serve: {error}", file=err)
            return 2
        web = create_web_app(app, demo=smtp if demo else None)
        try:
            server = production_server(web, host, port, trusted_proxies=behind_proxies)
        except ServerStartError as error:
            print(f"twofa serve: {error} Choose another with --port.", file=err)
            return 2
        created = seed_demo_accounts(app) if demo else False
        base = f"http://{host if ':' not in host else f'[{host}]'}:{server.effective_port}"
        app.deps.public_url = public_url or base  # the links it emails lead here
        _tell_where(base, config, smtp,
                    demo=demo, created=created, secure_cookies=secure_cookies, beyond_this_machine=host not in LOOPBACK,
                    out=out, err=err)
        print("Press Ctrl-C to stop.", file=out, flush=True)
        _stop_on_signals()
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            server.close()
        print("\nStopped.", file=out)
        return 0
    finally:
        smtp.stop()
        if app is not None:
            app.close()


def _tell_where(base: str, config: Config, smtp, *, demo: bool, created: bool, secure_cookies: bool,
                beyond_this_machine: bool, out, err) -> None:
    """What the person who started the server needs: the addresses, the files, the demo accounts."""
    print(f"Two-factor authentication reference app{' (demo)' if demo else ''} at {base}/login", file=out)
    if demo:
        print(f"Demo outbox (emails and texts the app sent, not part of the product): {base}/demo/outbox", file=out)
    print(f"API description: {base}/api/openapi.json", file=out)
    print(f"Database: {config.database.resolve()}; key file: {config.key_path.resolve()}; "
          f"local SMTP server on {smtp.host}:{smtp.port}", file=out)
    if secure_cookies:
        print("Secure cookies and HSTS: serve this behind TLS (https), or browsers will not send the cookie.", file=out)
    if demo:
        print("Demo accounts" + (" (created now):" if created else " (from an earlier run; passwords as created):"), file=out)
        for email, name, role, password, is_admin in DEMO_ACCOUNTS:
            kind = "administrator" if is_admin else ("agent" if role == "agent" else "end user (portal)")
            print(f"  {kind:<18} {email:<22} password: {password}", file=out)
    else:
        print("No demo: no demo accounts are created and there is no outbox; "
              "the database's own accounts sign in.", file=out)
    if demo and beyond_this_machine:
        print("Warning: listening beyond this machine with published demo passwords and the demo outbox.", file=err)


def _stop_on_signals() -> None:
    """Ctrl-C (also when started from a script, where SIGINT may arrive ignored) and SIGTERM stop cleanly."""
    if threading.current_thread() is not threading.main_thread():
        return

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="twofa serve", description="Serve the reference app with demo accounts and a demo outbox.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    parser.add_argument("--db", default="twofa-demo.sqlite3", help="SQLite database file (default twofa-demo.sqlite3)")
    parser.add_argument("--key-file", default=None,
                        help="the encryption key file, kept apart from the database (default: <db>.key)")
    parser.add_argument("--secure-cookies", action="store_true",
                        help="behind TLS: Secure, __Host- prefixed session cookie and HSTS")
    parser.add_argument("--behind-proxies", type=int, default=0, metavar="N",
                        help="believe N reverse proxies about the client's address (X-Forwarded-For); default 0")
    parser.add_argument("--demo", action=argparse.BooleanOptionalAction, default=None,
                        help="demo accounts with published passwords and the demo outbox (default: on when listening "
                             "on this machine only; beyond it, say --demo or --no-demo)")
    parser.add_argument("--public-url", default=None, metavar="URL",
                        help="where people reach the app, for the links it emails (default: http://HOST:PORT); "
                             "behind a proxy, its https address")
    args = parser.parse_args(argv)
    if args.behind_proxies < 0:
        parser.error("--behind-proxies cannot be negative")
    try:
        return serve(args.host, args.port, args.db, key_file=args.key_file, secure_cookies=args.secure_cookies,
                     behind_proxies=args.behind_proxies, demo=args.demo, public_url=args.public_url)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
