"""leakguard: stops secrets, PII and proprietary code on their way to external AI tools."""

__version__ = "0.1.0"
