"""The OpenAPI 3.1 document: every registered route, its models' JSON Schema, and its answers.

It is built from `core.ENDPOINTS` and pydantic's JSON Schema (2020-12, which OpenAPI 3.1 uses
as is), so it describes exactly what is served. It depends only on the code and the server's
address, so each worker builds it once per address it is asked on.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

from flask import current_app, request, url_for
from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema
from werkzeug.wrappers import Response

from agenda.api import core
from agenda.api.schemas import ErrorBody
from agenda.pagecache import PUBLIC_REVALIDATE

OPENAPI = "3.1.0"
REF = "#/components/schemas/{model}"
# Path converters as path parameters. Ids are the databases' 32-bit keys: a bigger number
# names nothing (core answers 404 rather than asking the database).
MAX_ID = 2**31 - 1
_CONVERTER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
_PATH_TYPES: dict[str, dict[str, Any]] = {
    "int": {"type": "integer", "minimum": 0, "maximum": MAX_ID},
    "float": {"type": "number", "minimum": 0},
    "uuid": {"type": "string", "format": "uuid"},
    "path": {"type": "string", "minLength": 1},
    "default": {"type": "string", "minLength": 1, "pattern": "^[^/]+$"},
    "string": {"type": "string", "minLength": 1, "pattern": "^[^/]+$"},
}
TAGS = {
    "about": "Where everything is, and this description of the API.",
    "bodies": "Councils, boards and committees (OCD organizations), their seats and rules.",
    "people": "Members and their terms on each seat (Popolo people and memberships).",
    "meetings": "Meetings (OCD events) with their agendas, attendance, motions and votes.",
    "items": "Agenda items of a meeting.",
    "matters": "Legislation (OCD bills): resolutions, ordinances, their history and votes.",
    "votes": "Roll calls (OCD vote events) with every member's ballot and the counts.",
    "minutes": "Minutes of meetings: drafts, approval and the published record.",
    "attachments": "Documents attached to items and matters (PDF).",
    "export": "The whole public record at once, in Open Civic Data words.",
}
BEARER = "bearer"
DESCRIPTION = """\
The public record of meetings, legislation and votes, as JSON. Words follow Open Civic Data \
and Popolo where they have one: organizations, memberships, events, bills, vote events with \
counts per option and every member's vote. Times are ISO 8601 in UTC; dates are local dates.

Tokens. Anyone may read the public record without a token. A clerk or an administrator makes \
API tokens in the clerk's workspace (or with `flask --app agenda tokens create`); send one as \
`Authorization: Bearer agt_...`. A read token also sees the drafts of its bodies; a write \
token changes their records through the same rules as the screens. A token is shown once.

Pagination. Lists answer one page: `results` and `next`, the address of the following page \
(null on the last). Follow `next` as it is; `limit` sets the page's size.

Caching. Every read answers a strong ETag: send it back in `If-None-Match` and the answer is \
304 Not Modified while the record is unchanged. Reads may be made from any web page (CORS).

Idempotency. A write sent with an `Idempotency-Key` header (such as a UUID) is recorded once: \
sending it again with the same key answers the first answer again, with \
`Idempotent-Replayed: true`. A key used for a different request is refused (422).

Rate limits. Reads and writes are limited per token (or per address without one); past the \
limit the answer is 429 with `Retry-After`, and `X-RateLimit-*` headers tell what is left.

Errors. Every refusal is JSON: `{"error": {"code", "title", "message", "fields"}}`, where \
`fields` names each parameter or field at fault with its messages: 400 for a bad query, \
401 without a valid token, 403 when the token may not do this, 404 for what does not exist \
or is not public, 409 for a conflict with the record, 422 for a refused change."""


def openapi_document(server_url: str) -> dict[str, Any]:
    """Return the OpenAPI 3.1 document of every registered route, served at `server_url`."""
    return build_document(server_url, core.ENDPOINTS, current_app.config["SITE_NAME"])


def build_document(
    server_url: str, endpoints: Iterable[core.Endpoint], site_name: str
) -> dict[str, Any]:
    """Return the OpenAPI 3.1 document of these endpoints."""
    endpoints = list(endpoints)
    schemas, components = _schemas(endpoints)
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in endpoints:
        path, parameters = _path(endpoint.rule)
        paths.setdefault(path, {})[endpoint.method] = _operation(endpoint, parameters, schemas)
    for path, operations in _own_routes().items():
        paths.setdefault(path, {}).update(operations)
    _drop_unused(components, paths, [e.query for e in endpoints if e.query is not None], schemas)
    used = sorted({e.tag for e in endpoints} | {"about"})
    return {
        "openapi": OPENAPI,
        "info": {
            "title": f"{site_name} API",
            "version": "1",
            "description": DESCRIPTION,
        },
        "servers": [{"url": server_url.rstrip("/")}],
        "tags": [{"name": tag, "description": TAGS.get(tag, f"The {tag}.")} for tag in used],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": components,
            "securitySchemes": {
                BEARER: {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token: `Authorization: Bearer agt_...`.",
                }
            },
        },
    }


def _schemas(
    endpoints: list[core.Endpoint],
) -> tuple[dict[tuple[type[BaseModel], str], dict[str, Any]], dict[str, Any]]:
    """Return each (model, mode)'s schema (a $ref) and the components they refer to."""
    wanted: list[tuple[type[BaseModel], JsonSchemaMode]] = [(ErrorBody, "serialization")]
    for endpoint in endpoints:
        if endpoint.response is not None:
            wanted.append((endpoint.response, "serialization"))
        for model in (endpoint.body, endpoint.query):
            if model is not None:
                wanted.append((model, "validation"))
    unique = list(dict.fromkeys(wanted))
    refs, top = models_json_schema(unique, ref_template=REF)
    return dict(refs), top.get("$defs", {})


def _drop_unused(
    components: dict[str, Any],
    paths: dict[str, Any],
    queries: list[type[BaseModel]],
    schemas: dict[Any, dict[str, Any]],
) -> None:
    """Leave out the query models: they are described as parameters, not as schemas."""
    for model in queries:
        ref = schemas[(model, "validation")].get("$ref", "")
        name = ref.rsplit("/", 1)[-1]
        others = {k: v for k, v in components.items() if k != name}
        if name in components and f'"{ref}"' not in json.dumps([paths, others]):
            del components[name]


def _path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    """Turn a Flask rule into an OpenAPI path and its path parameters."""
    parameters = []
    for converter, name in _CONVERTER.findall(rule):
        schema = dict(_PATH_TYPES.get(converter or "default", _PATH_TYPES["default"]))
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    return _CONVERTER.sub(r"{\2}", rule), parameters


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """Describe each field of a query model as a query parameter (absent, never null)."""
    properties = _model_schema(model, "validation")
    required = set(properties.get("required", []))
    parameters = []
    for name, field in properties.get("properties", {}).items():
        field = _not_null(dict(field))
        description = field.pop("description", "")
        field.pop("title", None)
        parameter: dict[str, Any] = {"name": name, "in": "query", "required": name in required}
        if description:
            parameter["description"] = description
        parameter["schema"] = field
        if field.get("type") == "array":
            parameter.update(style="form", explode=True)
        parameters.append(parameter)
    return parameters


@cache
def _model_schema_cached(model: type[BaseModel], mode: str) -> str:
    return json.dumps(model.model_json_schema(mode=mode, ref_template=REF))  # type: ignore[arg-type]


def _model_schema(model: type[BaseModel], mode: str) -> dict[str, Any]:
    """Return a model's own schema (its fields), its references pointing into components."""
    return json.loads(_model_schema_cached(model, mode))


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    """Drop the null of an optional field: a query parameter is left out, never sent as null."""
    choices = schema.get("anyOf")
    if choices and any(c == {"type": "null"} for c in choices):
        rest = [c for c in choices if c != {"type": "null"}]
        del schema["anyOf"]
        if len(rest) == 1:
            schema = {**rest[0], **schema}
        else:
            schema["anyOf"] = rest
    if schema.get("default", 0) is None:
        del schema["default"]
    return schema


def _error(status: int) -> dict[str, Any]:
    return {
        "description": core.TITLES.get(status, "Error"),
        "content": {"application/json": {"schema": {"$ref": REF.format(model="ErrorBody")}}},
    }


ETAG = {
    "description": "The answer's version: send it in If-None-Match to get 304 while unchanged.",
    "schema": {"type": "string"},
}
LOCATION = {"description": "The address of the record written.", "schema": {"type": "string"}}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Any 1 to 255 printable characters, such as a UUID: a retry with the same "
    "key is recorded once and answers the first answer again.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
}


def _operation(
    endpoint: core.Endpoint, parameters: list[dict[str, Any]], schemas: dict[Any, dict[str, Any]]
) -> dict[str, Any]:
    """Describe one route: parameters, body, every answer it documents, who may call it."""
    parameters = list(parameters)
    if endpoint.query is not None:
        parameters += _query_parameters(endpoint.query)
    reading = endpoint.method == "get"
    if not reading:
        parameters.append(IDEMPOTENCY_KEY)
    success: dict[str, Any] = {"description": _status_text(endpoint.status)}
    if endpoint.response is not None:
        schema = schemas[(endpoint.response, "serialization")]
        success["content"] = {"application/json": {"schema": schema}, **endpoint.extra_content}
    success["headers"] = {"ETag": ETAG} if reading else {"Location": LOCATION}
    responses: dict[str, Any] = {str(endpoint.status): success}
    if reading:
        responses["304"] = {"description": "Not Modified: the ETag sent is still current.",
                            "headers": {"ETag": ETAG}}  # fmt: skip
    for status in endpoint.errors:
        responses[str(status)] = _error(status)
    operation: dict[str, Any] = {
        "tags": [endpoint.tag],
        "summary": endpoint.summary,
        "operationId": endpoint.name,
    }
    if endpoint.description:
        operation["description"] = endpoint.description
    if parameters:
        operation["parameters"] = parameters
    if endpoint.body is not None:
        operation["requestBody"] = _request_body(endpoint, schemas)
    operation["responses"] = dict(sorted(responses.items()))
    operation["security"] = [{}, {BEARER: []}] if reading else [{BEARER: []}]
    return operation


def _request_body(endpoint: core.Endpoint, schemas: dict[Any, dict[str, Any]]) -> dict[str, Any]:
    assert endpoint.body is not None
    schema = schemas[(endpoint.body, "validation")]
    if not endpoint.multipart:
        return {"required": True, "content": {"application/json": {"schema": schema}}}
    own = _model_schema(endpoint.body, "validation")
    files = endpoint.extra_content.get("files") or {
        "file": {"type": "string", "contentMediaType": "application/pdf",
                 "description": "The document, a PDF."}
    }  # fmt: skip
    form = {
        "type": "object",
        "properties": {**own.get("properties", {}), **files},
        "required": [*own.get("required", []), *files],
    }
    encoding = {name: {"contentType": file.get("contentMediaType", "application/octet-stream")}
                for name, file in files.items()}  # fmt: skip
    return {
        "required": True,
        "content": {"multipart/form-data": {"schema": form, "encoding": encoding}},
    }


def _status_text(status: int) -> str:
    return {200: "OK", 201: "Created", 202: "Accepted", 204: "No Content"}.get(status, "OK")


def _own_routes() -> dict[str, dict[str, Any]]:
    """Describe the two routes of this module, which answer no pydantic model."""
    about = {"tags": ["about"], "security": [{}]}
    return {
        "/openapi.json": {"get": {
            **about, "operationId": "openapi", "summary": "This description of the API",
            "description": "The OpenAPI 3.1 document of every route, generated from the code.",
            "responses": {
                "200": {"description": "OK", "headers": {"ETag": ETAG}, "content": {
                    "application/json": {"schema": {"type": "object"}}}},
                "304": {"description": "Not Modified", "headers": {"ETag": ETAG}},
                "429": _error(429),
            },
        }},
        "/docs": {"get": {
            **about, "operationId": "docs", "summary": "This description as a page to read",
            "responses": {
                "200": {"description": "OK",
                        "content": {"text/html": {"schema": {"type": "string"}}}},
                "429": _error(429),
            },
        }},
    }  # fmt: skip


def server_url() -> str:
    """Return the API's address as the request names it, such as https://host/api/v1."""
    return url_for("api.root", _external=True).rstrip("/")


def document_json(url: str) -> tuple[bytes, str]:
    """Return the document served at `url` as JSON bytes, and their ETag (kept per process)."""
    return _document_json(url, current_app.config["SITE_NAME"])


@lru_cache(maxsize=16)
def _document_json(url: str, site_name: str) -> tuple[bytes, str]:
    data = json.dumps(build_document(url, core.ENDPOINTS, site_name), indent=1).encode()
    return data, hashlib.sha256(data).hexdigest()[:32]


def document(url: str) -> dict[str, Any]:
    """Return a fresh copy of the document served at `url`."""
    return json.loads(document_json(url)[0])


@core.bp.get("/openapi.json")
def openapi() -> Response:
    """Answer the OpenAPI document, with an ETag."""
    data, etag = document_json(server_url())
    response = Response(data, mimetype="application/json")
    response.set_etag(etag)
    response.headers["Cache-Control"] = PUBLIC_REVALIDATE
    return response.make_conditional(request)
