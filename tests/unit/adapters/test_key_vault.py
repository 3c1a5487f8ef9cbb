"""Sealed signing keys: they open only with the same secret and for the same key."""

from __future__ import annotations

import pytest

from microcareer.adapters.key_vault import AesGcmKeyVault, KeyVaultError

SEED = bytes(range(32))


def test_a_sealed_key_opens_with_the_same_secret_and_context() -> None:
    vault = AesGcmKeyVault("s" * 40)
    sealed = vault.seal(SEED, "z6MkA")
    assert SEED not in sealed
    assert len(sealed) == 1 + 12 + 32 + 16
    assert vault.open(sealed, "z6MkA") == SEED
    assert AesGcmKeyVault("s" * 40).open(sealed, "z6MkA") == SEED  # derived, not random: survives restarts
    assert vault.seal(SEED, "z6MkA") != sealed  # a fresh nonce each time


@pytest.mark.parametrize(
    ("secret", "context", "tamper"),
    [("t" * 40, "z6MkA", False), ("s" * 40, "z6MkB", False), ("s" * 40, "z6MkA", True)],
    ids=["other secret", "other key row", "altered"],
)
def test_it_refuses_another_secret_another_key_or_an_altered_value(
    secret: str, context: str, tamper: bool
) -> None:
    sealed = bytearray(AesGcmKeyVault("s" * 40).seal(SEED, "z6MkA"))
    if tamper:
        sealed[-1] ^= 1
    with pytest.raises(KeyVaultError, match="MICROCAREER_SECRET_KEY"):
        AesGcmKeyVault(secret).open(bytes(sealed), context)


def test_it_refuses_what_is_not_a_sealed_key() -> None:
    with pytest.raises(KeyVaultError, match="sealed format"):
        AesGcmKeyVault("s" * 40).open(b"\x02" + bytes(40), "z6MkA")
