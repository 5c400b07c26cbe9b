"""How a delivery proves it comes from the configured tool: a bearer token or an HMAC signature.

Secrets are compared in constant time and never logged; callers learn only yes or no.
"""

import hashlib
import hmac
import secrets

from clearline.accounts.models import hash_token
from clearline.incidents.models import AlertSource, AlertSourceKind


def new_token() -> str:
    return secrets.token_urlsafe(32)


def set_secret(source: AlertSource, raw: str) -> None:
    """Keep what each kind needs: a token's hash for Alertmanager, the secret for PagerDuty."""
    if source.kind == AlertSourceKind.ALERTMANAGER:
        source.token_hash, source.signing_secret = hash_token(raw), ""
    else:
        source.token_hash, source.signing_secret = "", raw


def bearer_matches(source: AlertSource, authorization: str) -> bool:
    """Alertmanager's http_config `authorization` sends `Authorization: Bearer <credentials>`."""
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip() or not source.token_hash:
        return False
    return hmac.compare_digest(hash_token(token.strip()), source.token_hash)


def signature_matches(source: AlertSource, body: bytes, header: str) -> bool:
    """PagerDuty's `X-PagerDuty-Signature`: `v1=<hex HMAC-SHA256 of the raw body>`, several
    comma-separated while a secret is being rotated; one match is enough."""
    if not source.signing_secret:
        return False
    digest = hmac.new(source.signing_secret.encode(), body, hashlib.sha256).hexdigest()
    expected = f"v1={digest}".encode()
    offered = [part.strip().encode() for part in header.split(",") if part.strip()]
    # Every offered signature is compared, so the time taken does not depend on which matched.
    return any([hmac.compare_digest(expected, candidate) for candidate in offered])
