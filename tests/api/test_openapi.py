"""The OpenAPI document: valid OpenAPI 3.1, exactly the routes served, and what a live server
answers conforms to it (schemathesis: no 5xx, documented statuses, types and schemas)."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, Optional

import hypothesis
import pytest
import requests
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from openapi_spec_validator.shortcuts import get_validator_cls
from pydantic import BaseModel, Field
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.serving import WSGIRequestHandler, make_server

from agenda import create_app
from agenda.api import blueprint, core
from agenda.api.schemas import Count, Page, VoteOption
from agenda.api.spec import build_document
from agenda.auth.models import User
from agenda.auth.rules import TokenScope
from agenda.auth.tokens import create_token
from agenda.extensions import db
from tests.conftest import app_config, routes_under

blueprint()  # every resource module's routes are registered: the document describes them all
DESCRIBED = build_document("http://localhost/api/v1", core.ENDPOINTS, "Agenda")["paths"]
OPERATIONS = [f"{method.upper()} {path}" for path, item in DESCRIBED.items() for method in item]
READS = [label for label in OPERATIONS if label.startswith("GET ")]
WRITES = [label for label in OPERATIONS if not label.startswith("GET ")]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 15
DEMO_CLERK = "clerk@demo.agenda.test"


def test_the_document_is_valid_openapi_3_1(client: FlaskClient) -> None:
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    assert answer.mimetype == "application/json"
    spec = answer.get_json()
    assert spec["openapi"] == "3.1.0"
    assert get_validator_cls(spec) is OpenAPIV31SpecValidator
    validate(spec)
    assert spec["info"]["title"] == "Agenda API"
    assert "Idempotency-Key" in spec["info"]["description"]
    assert spec["servers"] == [{"url": "http://localhost/api/v1"}]
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    root = spec["paths"]["/"]["get"]
    assert root["security"] == [{}, {"bearer": []}], "a token is optional to read"
    assert root["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Root"
    }
    assert set(root["responses"]) >= {"200", "304", "404", "429"}
    assert spec["components"]["schemas"]["ErrorBody"]["properties"]["error"]


def test_every_api_route_is_described_and_nothing_else(app: Flask, client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    described = {
        (method.upper(), re.sub(r"\{\w+\}", "1", "/api/v1" + path))
        for path, item in spec["paths"].items()
        for method in item
    }
    served = set(routes_under(app, "/api/v1"))
    assert served == described
    assert ("GET", "/api/v1/openapi.json") in served and ("GET", "/api/v1/docs") in served


def test_the_document_names_the_host_asked_and_answers_304_while_unchanged(
    client: FlaskClient,
) -> None:
    first = client.get("/api/v1/openapi.json")
    again = client.get("/api/v1/openapi.json", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    elsewhere = client.get("/api/v1/openapi.json", base_url="https://records.example.org")
    assert elsewhere.get_json()["servers"] == [{"url": "https://records.example.org/api/v1"}]
    assert elsewhere.headers["ETag"] != first.headers["ETag"]


# ---------------------------------------------------------------------------------------------
# Any route declared with core.read / core.write is described the same way: these stand for
# the resource modules' routes, whatever they are.


class Filters(BaseModel):
    body: Optional[int] = Field(None, description="A body's id.")
    status: list[str] = Field(default_factory=list, description="Any of these statuses.")
    since: Optional[date] = None
    limit: int = Field(50, ge=1, le=100)


class NewThing(BaseModel):
    title: str = Field(min_length=1, description="What it is called.")
    option: VoteOption


SAMPLE = [
    core.Endpoint("get", "/things/<int:thing_id>", "things", "votes", "List things", "",
                  Page[Count], 200, query=Filters, errors=core.READ_ERRORS),
    core.Endpoint("post", "/things", "add_thing", "votes", "Add a thing", "", Count, 201,
                  body=NewThing, errors=core.WRITE_ERRORS),
    core.Endpoint("post", "/things/<int:thing_id>/file", "attach", "attachments", "Attach", "",
                  Count, 201, body=NewThing, multipart=True, errors=core.WRITE_ERRORS),
]  # fmt: skip


def test_declared_routes_become_parameters_bodies_answers_and_security() -> None:
    spec = build_document("https://city.example/api/v1", SAMPLE, "Key West")
    validate(spec, cls=OpenAPIV31SpecValidator)
    assert spec["info"]["title"] == "Key West API"
    read = spec["paths"]["/things/{thing_id}"]["get"]
    params = {p["name"]: p for p in read["parameters"]}
    assert params["thing_id"]["in"] == "path" and params["thing_id"]["required"]
    assert params["thing_id"]["schema"]["type"] == "integer"
    # A query parameter is left out when not wanted: never null, and not required.
    assert params["body"] == {
        "name": "body", "in": "query", "required": False,
        "description": "A body's id.", "schema": {"type": "integer"},
    }  # fmt: skip
    assert params["status"]["schema"]["type"] == "array" and params["status"]["explode"]
    assert params["since"]["schema"] == {"type": "string", "format": "date"}
    assert params["limit"]["schema"]["maximum"] == 100
    assert "Filters" not in spec["components"]["schemas"], "a query is parameters, not a body"
    assert read["security"] == [{}, {"bearer": []}]
    assert read["responses"]["304"]["headers"]["ETag"]
    assert read["responses"]["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorBody"
    }

    add = spec["paths"]["/things"]["post"]
    assert add["security"] == [{"bearer": []}], "writing needs a token"
    assert add["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/NewThing"
    }
    assert [p["name"] for p in add["parameters"]] == ["Idempotency-Key"]
    assert add["responses"]["201"]["headers"]["Location"]
    assert set(add["responses"]) == {"201", "400", "401", "403", "404", "409", "422", "429"}
    assert "304" not in add["responses"]

    form = spec["paths"]["/things/{thing_id}/file"]["post"]["requestBody"]["content"]
    schema = form["multipart/form-data"]["schema"]
    assert schema["properties"]["file"]["contentMediaType"] == "application/pdf"
    assert set(schema["required"]) == {"title", "option", "file"}
    assert [t["name"] for t in spec["tags"]] == ["about", "attachments", "votes"]


# ---------------------------------------------------------------------------------------------
# schemathesis against a live server on a copy of the demo


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Quiet(WSGIRequestHandler):
    """Log no line per request: schemathesis sends hundreds."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@contextmanager
def live(database_url: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Serve the app on `database_url` in a thread; yield its API's address and two tokens."""
    app = create_app(
        app_config(database_url, API_READ_LIMIT="100000/minute", API_WRITE_LIMIT="100000/minute")
    )
    with app.app_context():
        clerk = db.session.execute(db.select(User).filter_by(email=DEMO_CLERK)).scalar_one()
        tokens = {
            scope.value: create_token(clerk, name=f"schemathesis {scope}", scope=scope,
                                      actor=None)[1]
            for scope in TokenScope
        }  # fmt: skip
        db.session.commit()
    server = make_server("127.0.0.1", free_port(), app, request_handler=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/api/v1", tokens
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="module")
def reading_server(demo_database: Callable[[], str]) -> Iterator[tuple[str, dict[str, str]]]:
    with live(demo_database()) as served:
        yield served


@pytest.fixture(scope="module")
def writing_server(demo_database: Callable[[], str]) -> Iterator[tuple[str, dict[str, str]]]:
    """A throwaway copy of the demo that writes may change at will."""
    with live(demo_database()) as served:
        yield served


def run(
    base: str, label: str, headers: dict[str, str], expect: Callable[[Any], None] | None = None
) -> None:
    """Send EXAMPLES generated requests to one operation; each answer must pass CHECKS."""
    schema = schemathesis.openapi.from_url(base + "/openapi.json")
    operation = schema.find_operation_by_label(label)
    assert operation is not None, label
    session = requests.Session()

    @hypothesis.given(case=operation.as_strategy())
    @hypothesis.settings(
        max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
        suppress_health_check=list(hypothesis.HealthCheck),
    )  # fmt: skip
    def conforms(case: schemathesis.Case) -> None:
        answer = case.call_and_validate(session=session, headers=headers, checks=CHECKS)
        if expect is not None:
            expect(answer)

    conforms()


@pytest.mark.parametrize("who", ["public", "read token"])
@pytest.mark.parametrize("label", READS)
def test_reads_answer_what_the_document_says(
    reading_server: tuple[str, dict[str, str]], label: str, who: str
) -> None:
    base, tokens = reading_server
    headers = {"Authorization": f"Bearer {tokens['read']}"} if who == "read token" else {}
    run(base, label, headers)


@pytest.mark.parametrize("label", WRITES)
def test_writes_without_a_token_are_refused_with_the_error_body(
    reading_server: tuple[str, dict[str, str]], label: str
) -> None:
    statuses = []

    def refused(answer: Any) -> None:
        # 400 when the app refuses the input before anything else (a NUL byte in the form).
        assert answer.status_code in (400, 401), answer.text
        assert answer.json()["error"]["code"] == answer.status_code
        statuses.append(answer.status_code)

    run(reading_server[0], label, {}, refused)
    assert 401 in statuses


@pytest.mark.parametrize("label", WRITES)
def test_writes_with_a_write_token_answer_what_the_document_says(
    writing_server: tuple[str, dict[str, str]], label: str
) -> None:
    base, tokens = writing_server
    run(base, label, {"Authorization": f"Bearer {tokens['write']}"})
