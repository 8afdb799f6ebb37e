"""The code generator against the RFCs' own test vectors (RFC 4226 appendix D, RFC 6238 appendix B)."""

import base64
import datetime as dt
import hashlib

import pyotp
import pytest

from sut.domain import totp

HOTP_SECRET = base64.b32encode(b"12345678901234567890").decode()
HOTP_VECTORS = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]


@pytest.mark.parametrize("counter, expected", list(enumerate(HOTP_VECTORS)))
def test_hotp_rfc4226_appendix_d(counter, expected):
    assert pyotp.HOTP(HOTP_SECRET).at(counter) == expected


SEEDS = {
    "sha1": b"1234567890" * 2,
    "sha256": (b"1234567890" * 4)[:32],
    "sha512": (b"1234567890" * 7)[:64],
}
TOTP_VECTORS = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


@pytest.mark.parametrize("unix_time, sha1, sha256, sha512", TOTP_VECTORS)
@pytest.mark.parametrize("algorithm", ["sha1", "sha256", "sha512"])
def test_totp_rfc6238_appendix_b(algorithm, unix_time, sha1, sha256, sha512):
    expected = {"sha1": sha1, "sha256": sha256, "sha512": sha512}[algorithm]
    secret = base64.b32encode(SEEDS[algorithm]).decode()
    generator = pyotp.TOTP(secret, digits=8, digest=getattr(hashlib, algorithm), interval=30)
    assert generator.at(unix_time) == expected


def test_the_app_accepts_the_rfc_sha1_code_truncated_to_six_digits():
    # The app's own module, with its parameters (SHA1, 6 digits, 30 s), on the RFC's seed.
    secret = base64.b32encode(SEEDS["sha1"]).decode()
    moment = dt.datetime.fromtimestamp(1111111109, dt.timezone.utc)
    assert totp.verdict(secret, "081804", moment, last_step=None) == (totp.ACCEPTED, 1111111109 // 30)
    assert totp.verdict(secret, "081805", moment, last_step=None) == (totp.WRONG, None)


def test_new_secrets_are_160_bits_and_unique():
    secrets = {totp.new_secret() for _ in range(200)}
    assert len(secrets) == 200
    assert all(len(base64.b32decode(s + "=" * (-len(s) % 8))) == 20 for s in secrets)


def test_provisioning_uri_names_issuer_and_account_with_default_parameters():
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "amy@example.com")
    assert uri.startswith("otpauth://totp/HaloPSA%20Reference:amy%40example.com?")
    parsed = pyotp.parse_uri(uri)
    assert (parsed.digits, parsed.interval, parsed.digest().name) == (6, 30, "sha1")
