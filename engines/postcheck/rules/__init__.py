"""One module per rule family; each exposes ``find(post) -> list[Finding]``."""
