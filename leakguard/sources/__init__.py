"""Doors: turn files, stdin and git objects into Fragments. They never detect."""
