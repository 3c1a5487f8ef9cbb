"""Peer extractors behind the JSON Lines protocol: ``python -m bench.peers.NAME`` from the repo root."""
