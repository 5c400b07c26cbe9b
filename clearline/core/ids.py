import secrets

ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


def new_public_id() -> str:
    """Opaque 12-character ids for public surfaces, in the style Statuspage clients expect."""
    return "".join(secrets.choice(ALPHABET) for _ in range(12))
