"""Throttling the password step (ASVS 4.0.3 2.2.1), without letting a stranger lock anyone out.

Three brakes, all checked before the password is (so a refused try costs no hash and
reveals nothing about the password):

* Per account and client address: the first 5 wrong passwords in a row are free; after
  that each further try from that address must wait a delay that doubles from 1 second up
  to 1 minute after its last failure. A try within the delay is refused unchecked, the
  right password too, and is not counted. One address gets about 65 tries an hour at an
  account. Other addresses are not slowed: keyed by the account alone, a stranger who
  knew the email address could renew the minute's wait forever and keep the owner out
  (the red-team finding after issue 7; OWASP's "Slow Down Online Guessing Attacks with
  Device Cookies" locks out the attacker's client, not the account, for the same reason).
  The account is named by the email address as typed, so an unknown address is throttled
  exactly like a real one.
* Per account, whatever the addresses: at most 100 wrong passwords an hour (ASVS 2.2.1's
  bound); the 100th makes every try wait until the oldest of them is an hour old. Only a
  guesser spread over many networks can reach it.
* Per client address: at most 30 failed sign-ins in 15 minutes, whatever the accounts;
  then that address waits until its oldest failure is 15 minutes old. It stops one
  client trying one password on many accounts, and touches no one else.
A right password clears the count of its address for the account.
"""

from __future__ import annotations

import datetime as dt
import ipaddress

FREE_FAILURES = 5
FIRST_DELAY = dt.timedelta(seconds=1)
MAX_DELAY = dt.timedelta(minutes=1)
FORGET_AFTER = dt.timedelta(hours=1)  # older failures no longer slow anyone down
ACCOUNT_MAX_FAILURES = 100  # in FORGET_AFTER, whatever the addresses
# Beyond this many failures the delay is at its cap anyway; 2 ** n timedelta would overflow.
_DOUBLINGS = 6

ADDRESS_WINDOW = dt.timedelta(minutes=15)
ADDRESS_MAX_FAILURES = 30


def network_key(address: str) -> str:
    """The network a client address is counted under: an IPv4 address alone, an IPv6 address by
    its /64 (one subscriber's allocation: counted singly, one host could walk 2**64 addresses
    past every per-address limit). Anything else (unknown, a name) stands for itself."""
    try:
        ip = ipaddress.ip_address(str(address or "").strip())
    except ValueError:
        return str(address or "")
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def account_key(email: str) -> str:
    return str(email or "").strip().lower()


def account_delay(failures: int) -> dt.timedelta | None:
    """The wait after the last of ``failures`` wrong passwords in a row, or None."""
    if failures < FREE_FAILURES:
        return None
    return min(FIRST_DELAY * 2 ** min(failures - FREE_FAILURES, _DOUBLINGS), MAX_DELAY)


def account_wait(failures: list[dt.datetime], now: dt.datetime) -> dt.timedelta | None:
    """How long the next try at an account from one address must still wait; that address's
    ``failures`` at the account, oldest first."""
    recent = [at for at in failures if now - at < FORGET_AFTER]
    delay = account_delay(len(recent))
    if delay is None:
        return None
    wait = recent[-1] + delay - now
    return wait if wait > dt.timedelta(0) else None


def account_cap_wait(failures: list[dt.datetime], now: dt.datetime) -> dt.timedelta | None:
    """How long every try at this account must wait; its ``failures`` from all addresses, oldest first."""
    recent = [at for at in failures if now - at < FORGET_AFTER]
    if len(recent) < ACCOUNT_MAX_FAILURES:
        return None
    return recent[-ACCOUNT_MAX_FAILURES] + FORGET_AFTER - now


def address_wait(failures: list[dt.datetime], now: dt.datetime) -> dt.timedelta | None:
    """How long this address must still wait; ``failures`` oldest first."""
    recent = [at for at in failures if now - at < ADDRESS_WINDOW]
    if len(recent) < ADDRESS_MAX_FAILURES:
        return None
    return recent[-ADDRESS_MAX_FAILURES] + ADDRESS_WINDOW - now


def account_message(wait: dt.timedelta) -> str:
    seconds = max(1, -(-int(wait.total_seconds() * 1000) // 1000))
    if seconds <= 60:
        return f"Too many failed sign-ins for this account. Try again in {seconds} second{'s' if seconds != 1 else ''}."
    minutes = -(-seconds // 60)
    return f"Too many failed sign-ins for this account. Try again in {minutes} minutes."


def address_message(wait: dt.timedelta) -> str:
    minutes = max(1, -(-int(wait.total_seconds()) // 60))
    return f"Too many failed sign-ins from your network. Try again in {minutes} minute{'s' if minutes != 1 else ''}."
