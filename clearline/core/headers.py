"""The security headers every page carries, defined once for the three ways a page is served.

A public page is answered by clearline.wsgi's fast path before any Django middleware, by the
public page view through Django, or by nginx straight from the snapshot folder
(deploy/nginx.conf, whose lines a test holds equal to these). Django's own pages get the same
values through the settings (django-csp, SecurityMiddleware, XFrameOptionsMiddleware).

The public page keeps its one style and one script inline: during an outage nginx may serve the
snapshot while clearline, and with it /static/, is down, and the page must still be complete.
The policy allows exactly those two by their SHA-256 hashes, read from the template itself, so
an edit to either changes the policy with it.
"""

import base64
import hashlib
import re
from pathlib import Path

STATUS_PAGE_TEMPLATE = (
    Path(__file__).resolve().parent.parent / "statuspage" / "templates" / "statuspage" / "base.html"
)

# Strict-Transport-Security's max-age when SITE_URL is https (SECURE_HSTS_SECONDS overrides it):
# one year, what browsers' preload lists ask for.
HSTS_SECONDS = 365 * 24 * 3600


def inline_hashes(html: str, tag: str) -> list[str]:
    """CSP hash sources for each inline <tag>…</tag> block (without attributes) in `html`."""
    blocks = re.findall(rf"<{tag}>(.*?)</{tag}>", html, flags=re.DOTALL)
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(block.encode()).digest()).decode() + "'"
        for block in blocks
    ]


_page = STATUS_PAGE_TEMPLATE.read_text()

CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", *inline_hashes(_page, "script")],
    "style-src": ["'self'", *inline_hashes(_page, "style")],
    "img-src": ["'self'", "data:"],  # the desk's empty favicon, the API docs' icons
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def policy_header(directives: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def parse_policy(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header back into directives (django-csp orders them freely)."""
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


SECURITY_HEADERS = {
    "Content-Security-Policy": policy_header(CONTENT_SECURITY_POLICY),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
}
