"""Fingerprints of proprietary code: normalize -> winnow -> index (hashes only) -> match."""
