"""Private keys sealed at rest: AES-256-GCM under a key derived from the settings' secret.

The sealing key is HKDF-SHA256 of ``MICROCAREER_SECRET_KEY`` (never stored); each sealed value is
``version byte || 12-byte nonce || ciphertext+tag`` and is bound to a context string (the key's
public Multikey) as associated data, so a sealed secret copied onto another key row does not open.
Changing the secret makes existing keys unusable: rotate issuer keys before changing it.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from microcareer.errors import NotReady

_VERSION = b"\x01"
_INFO = b"microcareer issuer signing keys v1"


class KeyVaultError(NotReady):
    """A sealed key does not open: a configuration problem (503), never the caller's fault."""

    code = "signing_key_unavailable"
    title = "Signing key unavailable"


class AesGcmKeyVault:
    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("the key vault needs a non-empty secret")
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret.encode("utf-8"))
        self._aead = AESGCM(key)
        self._secret = secret.encode("utf-8")

    def derive_seed(self, purpose: str) -> bytes:
        """A 32-byte Ed25519 seed of the platform, derived for ``purpose`` (stable while the secret is)."""
        info = b"microcareer platform key: " + purpose.encode("utf-8")
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(self._secret)

    def seal(self, secret: bytes, context: str) -> bytes:
        nonce = os.urandom(12)
        return _VERSION + nonce + self._aead.encrypt(nonce, secret, context.encode("utf-8"))

    def open(self, sealed: bytes, context: str) -> bytes:
        if len(sealed) < 1 + 12 + 16 or sealed[:1] != _VERSION:
            raise KeyVaultError("a stored signing key is not in the sealed format this version reads")
        try:
            return self._aead.decrypt(sealed[1:13], sealed[13:], context.encode("utf-8"))
        except InvalidTag:
            raise KeyVaultError(
                "a stored signing key does not open with MICROCAREER_SECRET_KEY: the secret changed "
                "since the key was made, or the stored key was altered"
            ) from None
