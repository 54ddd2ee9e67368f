"""The API's readable page: the OpenAPI document rendered on the server, without JavaScript.

Everything shown comes from the same document `openapi.json` serves: each operation with its
parameters, body fields, answers and a curl example; every schema's fields, types linking to
the schemas they name.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from typing import Any

from flask import render_template
from markupsafe import Markup, escape

from agenda.api import core
from agenda.api.spec import document, server_url

EXAMPLE_ID = 1


@dataclass(frozen=True)
class Row:
    """One parameter or field: its name, type (may link to a schema), and what it means."""

    name: str
    type: Markup
    required: bool
    description: str


@dataclass(frozen=True)
class Answer:
    status: str
    description: str
    media_type: str | None
    schema: Markup | None
    fields: list[Row]
    headers: list[str]


@dataclass(frozen=True)
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    description: str
    needs_token: bool
    parameters: list[Row]
    body_media_type: str | None
    body: list[Row]
    answers: list[Answer]
    curl: str


@dataclass
class Tag:
    name: str
    description: str
    anchor: str
    operations: list[Operation] = field(default_factory=list)


@dataclass(frozen=True)
class SchemaSection:
    name: str
    anchor: str
    description: str
    fields: list[Row]
    type: Markup | None


def schema_anchor(name: str) -> str:
    return "schema-" + name


class Reader:
    """Reads the document's schemas: types as words, fields as rows, examples for curl."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.components: dict[str, Any] = doc.get("components", {}).get("schemas", {})

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        seen = 0
        while "$ref" in schema and seen < 20:
            schema = self.components.get(schema["$ref"].rsplit("/", 1)[1], {})
            seen += 1
        return schema

    def type_of(self, schema: dict[str, Any]) -> Markup:
        """Say a schema's type in words; a named schema links to its section."""
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            return Markup('<a href="#{}">{}</a>').format(schema_anchor(name), name)
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return Markup(" or ").join(self.type_of(choice) for choice in schema[key])
        if "allOf" in schema and len(schema["allOf"]) == 1:
            return self.type_of(schema["allOf"][0])
        if "enum" in schema:
            words = ", ".join(json.dumps(value) for value in schema["enum"])
            return Markup("one of {}").format(words)
        if "const" in schema:
            return Markup("{}").format(json.dumps(schema["const"]))
        kind = schema.get("type", "any")
        if isinstance(kind, list):
            return Markup(" or ").join(self.type_of({**schema, "type": k}) for k in kind)
        if kind == "array":
            return Markup("array of ") + self.type_of(schema.get("items", {}))
        if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
            return Markup("object of ") + self.type_of(schema["additionalProperties"])
        details = [schema.get("format") or schema.get("contentMediaType") or ""]
        if "minimum" in schema or "maximum" in schema:
            details.append(f"{schema.get('minimum', '')} to {schema.get('maximum', '')}".strip())
        if "maxLength" in schema:
            details.append(f"at most {schema['maxLength']} characters")
        if "default" in schema and schema["default"] not in (None, [], {}):
            details.append(f"default {json.dumps(schema['default'])}")
        detail = "; ".join(d for d in details if d)
        return Markup("{} ({})").format(kind, detail) if detail else Markup("{}").format(kind)

    def fields(self, schema: dict[str, Any]) -> list[Row]:
        """Return the rows of an object schema's properties (after following its $ref)."""
        schema = self.resolve(schema)
        required = set(schema.get("required", []))
        return [
            Row(name, self.type_of(prop), name in required, self.resolve(prop).get(
                "description", "") if "$ref" in prop else prop.get("description", ""))
            for name, prop in schema.get("properties", {}).items()
        ]  # fmt: skip

    def example(self, schema: dict[str, Any], depth: int = 0) -> Any:
        """Return a plausible value of a schema: required fields only, for a curl example."""
        schema = self.resolve(schema)
        if "examples" in schema:
            return schema["examples"][0]
        if "enum" in schema:
            return schema["enum"][0]
        for key in ("anyOf", "oneOf", "allOf"):
            if key in schema:
                return self.example(schema[key][0], depth)
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            if depth > 3:
                return {}
            props = schema.get("properties", {})
            return {name: self.example(props[name], depth + 1)
                    for name in schema.get("required", []) if name in props}  # fmt: skip
        if kind == "array":
            return []
        if kind == "integer":
            return max(EXAMPLE_ID, schema.get("minimum", EXAMPLE_ID))
        if kind == "number":
            return 1.0
        if kind == "boolean":
            return False
        formats = {"date": "2026-01-15", "date-time": "2026-01-15T18:00:00Z"}
        return formats.get(schema.get("format", ""), "text")


def _answers(reader: Reader, responses: dict[str, Any]) -> list[Answer]:
    answers = []
    for status, response in responses.items():
        content = response.get("content", {})
        media_type = next(iter(content), None)
        schema = content[media_type].get("schema") if media_type else None
        answers.append(
            Answer(
                status, response.get("description", ""), media_type,
                reader.type_of(schema) if schema else None,
                reader.fields(schema) if schema and "$ref" in schema else [],
                sorted(response.get("headers", {})),
            )
        )  # fmt: skip
    return answers


def _curl(method: str, url: str, operation: dict[str, Any], reader: Reader) -> str:
    """Write a curl command that makes this request, with example values."""
    words = ["curl"]
    if method != "GET":
        words += ["-X", method]
    reading = method == "GET"
    if not reading:
        words += ["-H", "Authorization: Bearer agt_..."]
        words += ["-H", "Idempotency-Key: 7c8e5b3e-0f1a-4c2d-9b6e-2a1d3f4e5c6b"]
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        body = reader.example(content["application/json"]["schema"])
        words += ["-H", "Content-Type: application/json", "--data", json.dumps(body)]
    elif "multipart/form-data" in content:
        form = content["multipart/form-data"]["schema"]
        for name, value in reader.example(form).items():
            prop = form["properties"][name]
            if "contentMediaType" in prop:
                words += ["-F", f"{name}=@document.pdf;type={prop['contentMediaType']}"]
            else:
                words += ["-F", f"{name}={value}"]
    words.append(url)
    return " ".join(shlex.quote(word) for word in words)


def _operation(
    method: str, path: str, operation: dict[str, Any], base: str, reader: Reader
) -> Operation:
    parameters = [
        Row(f"{p['name']} ({p['in']})", reader.type_of(p.get("schema", {})),
            p.get("required", False), p.get("description", ""))
        for p in operation.get("parameters", [])
    ]  # fmt: skip
    url = base + path
    for p in operation.get("parameters", []):
        if p["in"] == "path":
            url = url.replace("{" + p["name"] + "}", str(reader.example(p["schema"])))
    content = operation.get("requestBody", {}).get("content", {})
    body_media_type = next(iter(content), None)
    body = reader.fields(content[body_media_type]["schema"]) if body_media_type else []
    return Operation(
        anchor="op-" + operation.get("operationId", f"{method}-{path}"),
        method=method.upper(), path=path, summary=operation.get("summary", ""),
        description=operation.get("description", ""),
        needs_token={} not in operation.get("security", [{}]),
        parameters=parameters, body_media_type=body_media_type, body=body,
        answers=_answers(reader, operation.get("responses", {})),
        curl=_curl(method.upper(), url, operation, reader),
    )  # fmt: skip


def page_parts(doc: dict[str, Any]) -> tuple[list[Tag], list[SchemaSection]]:
    """Return the document's operations grouped by tag, and its schemas, ready to render."""
    reader = Reader(doc)
    base = doc["servers"][0]["url"]
    tags = {t["name"]: Tag(t["name"], t.get("description", ""), "tag-" + t["name"])
            for t in doc.get("tags", [])}  # fmt: skip
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            name = (operation.get("tags") or ["other"])[0]
            tag = tags.setdefault(name, Tag(name, "", "tag-" + name))
            tag.operations.append(_operation(method, path, operation, base, reader))
    schemas = [
        SchemaSection(name, schema_anchor(name), schema.get("description", ""),
                      reader.fields(schema),
                      None if "properties" in schema else reader.type_of(schema))
        for name, schema in sorted(reader.components.items())
    ]  # fmt: skip
    return [t for t in tags.values() if t.operations], schemas


def paragraphs(text: str) -> list[Markup]:
    """Split a description into paragraphs; `code` spans become <code>."""
    found = []
    for para in text.split("\n\n"):
        parts = " ".join(para.split()).split("`")
        html = Markup("").join(
            Markup("<code>{}</code>").format(part) if i % 2 else escape(part)
            for i, part in enumerate(parts)
        )
        found.append(html)
    return found


@core.bp.get("/docs")
def docs() -> str:
    """Show the API's description as a page to read."""
    doc = document(server_url())
    tags, schemas = page_parts(doc)
    return render_template(
        "api/docs.html", doc=doc, tags=tags, schemas=schemas,
        introduction=paragraphs(doc["info"]["description"]),
    )  # fmt: skip
