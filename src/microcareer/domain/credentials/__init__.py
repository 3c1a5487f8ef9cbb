"""Verifiable credentials: Ed25519 keys as Multikey and did:key, and Data Integrity proofs
(``eddsa-jcs-2022`` and ``eddsa-rdfc-2022`` of the W3C vc-di-eddsa specification)."""
