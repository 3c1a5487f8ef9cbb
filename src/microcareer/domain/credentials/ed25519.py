"""Ed25519 signatures for credential proofs, by libsodium (PyNaCl).

PyNaCl verifies about twice as fast as ``cryptography`` on one core and signs faster still once a
seed has been expanded into its signing key (bench/bench_credentials.py), which is what proofs
spend their time on once canonicalisation is fast. libsodium is also the stricter verifier: it
refuses non-canonical signatures and small-order public keys, which fail closed here as a
signature that does not verify. ``cryptography`` stays for key generation, JWT (through PyJWT) and
everything else it does.
"""

from __future__ import annotations

from functools import lru_cache

from nacl import bindings
from nacl.exceptions import BadSignatureError, CryptoError

SEED_BYTES = 32
PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64


@lru_cache(maxsize=8)
def _signing_key(seed: bytes) -> bytes:
    """libsodium's 64-byte secret key (seed + public key) of a seed; the few keys in use are kept."""
    return bytes(bindings.crypto_sign_seed_keypair(seed)[1])


def sign(seed: bytes, message: bytes) -> bytes:
    """The 64-byte Ed25519 signature of ``message`` by the 32-byte secret ``seed``."""
    if len(seed) != SEED_BYTES:
        raise ValueError(f"an Ed25519 seed has {SEED_BYTES} bytes, not {len(seed)}")
    return bytes(bindings.crypto_sign(message, _signing_key(seed))[:SIGNATURE_BYTES])


def verifies(public_key: bytes, signature: bytes, message: bytes) -> bool:
    """Whether ``signature`` is a valid Ed25519 signature of ``message`` by ``public_key`` (raw bytes)."""
    if len(public_key) != PUBLIC_KEY_BYTES or len(signature) != SIGNATURE_BYTES:
        return False
    try:
        bindings.crypto_sign_open(signature + message, public_key)
    except (BadSignatureError, CryptoError, ValueError):
        return False
    return True
