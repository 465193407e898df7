"""One-time codes: made, shown once, kept only as hashes.

A code is 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L), printed in
groups of four ("KX7P-M3QD-9TWA"): about 59 bits, so guessing one is hopeless at the rate
limit (surveys/ratelimit.py). Only its SHA-256 is stored (SurveyCode.code_hash).
"""

import hashlib
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
GROUP = 4


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise(typed: str) -> str:
    """What a person typed, as the code it means: case, spaces and dashes do not matter."""
    return "".join(ch for ch in (typed or "").upper() if ch.isascii() and ch.isalnum())


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def is_well_formed(code: str) -> bool:
    code = normalise(code)
    return len(code) == CODE_LENGTH and all(ch in ALPHABET for ch in code)


def display(code: str) -> str:
    code = normalise(code)
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def resume_token() -> tuple[str, str]:
    """A new resume token for the cookie, and the hash the response keeps."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
