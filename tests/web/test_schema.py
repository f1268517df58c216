"""schemathesis against the app's own OpenAPI schema, in-process: no generated request makes
a server error (5xx), and every error is a coded problem document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from unspun.pipeline import Pipeline
from unspun.web.app import create_app
from unspun.web.settings import WebSettings


@pytest.fixture(scope="module")
def app(seeded_db: str, tokens: tuple[Path, str], pipeline: Pipeline) -> Any:
    # Read-only, as `unspun serve` starts: the write routes answer E601 without analysing.
    return create_app(WebSettings(db=seeded_db, tokens_path=tokens[0]), pipeline=pipeline)


def test_no_request_makes_a_server_error(app: Any) -> None:
    # schemathesis' pytest plugin cannot take a fixture's app here, so each operation's
    # strategy is drawn from directly: a few examples each keep the test to seconds.
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    seen = []
    for result in schema.get_all_operations():
        operation = result.ok()
        seen.append(f"{operation.method.upper()} {operation.path}")

        @given(case=operation.as_strategy())
        @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case: Any) -> None:
            response = case.call()
            assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
            if response.status_code >= 400:
                assert response.headers["content-type"][0].startswith("application/problem+json")
                body = response.json()
                assert body["code"].startswith("E") and body["status"] == response.status_code

        check()
    assert "POST /api/analyze" in seen and "GET /articles.json" in seen
