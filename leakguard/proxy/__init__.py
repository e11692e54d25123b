"""The guarding proxy: AI tools talk to it on loopback instead of the provider.

``providers/`` knows where text lives in each API's requests and responses;
``inspect`` turns a request body into a decision (forward, rewritten or blocked);
``server`` is the aiohttp transport; ``wrap`` runs an AI CLI pointed at the proxy.
"""
