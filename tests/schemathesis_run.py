"""Schemathesis against the application in-process: what the private-API and public-document
property tests share.

The checks are the ones that matter to a client: no 5xx, and every answer (status code,
content type, headers, body) as the schema describes it. Each run is bounded by EXAMPLES per
operation and derandomized, so a failure repeats.
"""

import zlib

from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 20

bounded = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def aim(case, real: dict[str, str]) -> None:
    """Half the generated path ids become ids that exist, so operations get past their 404."""
    for name, value in (case.path_parameters or {}).items():
        if name in real and zlib.crc32(str(value).encode()) % 2 == 0:
            case.path_parameters[name] = real[name]
