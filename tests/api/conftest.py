import json

import pytest

from clearline.accounts.services import issue_token
from clearline.core.permissions import SYSTEM


class ApiClient:
    """The Django test client speaking JSON with a bearer token, as an integration would."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.token = token

    def call(self, method: str, path: str, body=None):
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        response = self.client.generic(
            method.upper(),
            path,
            data=json.dumps(body) if body is not None else "",
            content_type="application/json",
            headers=headers,
        )
        # Exports answer with files; everything else, errors included, is JSON.
        is_json = response.get("Content-Type", "").startswith("application/json")
        response.data = json.loads(response.content) if response.content and is_json else None
        return response

    def get(self, path):
        return self.call("GET", path)

    def post(self, path, body=None):
        return self.call("POST", path, body if body is not None else {})

    def patch(self, path, body):
        return self.call("PATCH", path, body)


@pytest.fixture
def api_as(client, people):
    """`api_as("comms")`: an API client holding a fresh token of that persona."""

    def make(persona: str | None) -> ApiClient:
        if persona is None:
            return ApiClient(client, None)
        _, raw = issue_token(user=people[persona], name=f"{persona}'s integration", by=SYSTEM)
        return ApiClient(client, raw)

    return make
