"""The API's front door: where each list, the OpenAPI document and the bulk download are."""

from __future__ import annotations

from flask import current_app, url_for

from agenda.api import core
from agenda.api.schemas import Root


@core.read("/", response=Root, tag="about")
def root() -> Root:
    """Where everything is.

    Links to each list, the OpenAPI document, its readable page and the bulk download.
    """

    def at(path: str) -> str:
        return url_for("api.root", _external=True) + path

    return Root(
        name=current_app.config["SITE_NAME"],
        openapi=at("openapi.json"), docs=at("docs"), bodies=at("bodies"), people=at("people"),
        meetings=at("meetings"), matters=at("matters"), bulk=at("bulk.zip"),
    )  # fmt: skip
