"""What `report` and `trend --report` share: the report's file kinds, how it is written, the questionnaire's hash."""

from __future__ import annotations

from pathlib import Path

import click

from .common import unwritable

REPORT_SUFFIXES = (".html", ".htm", ".pdf", ".docx", ".md")


def write_report_or_exit(reports, document, output: Path) -> list[Path]:
    """The report written (with any charts beside it), or a ClickException saying why not."""
    try:
        return reports.write(document, output)
    except reports.ReportError as error:
        raise click.ClickException(f"{output}: {error}") from None
    except OSError as error:
        raise unwritable(output, error) from None


def questionnaire_sha256(options: dict) -> str | None:
    from analysis.inputs import file_sha256

    path = options.get("questionnaire_path")
    return file_sha256(path) if path else None


def instance_config():
    """The instance configuration (config.py, then AWARENESS_* variables) as the application reads it, without
    starting one: a report of files needs no database, nor an instance folder made for it."""
    import os

    from flask import Flask, current_app, has_app_context

    if has_app_context():
        return current_app.config
    folder = os.environ.get("AWARENESS_INSTANCE_PATH")
    bare = Flask("survey", instance_relative_config=True, instance_path=str(Path(folder).resolve()) if folder else None)
    bare.config.from_pyfile("config.py", silent=True)
    bare.config.from_prefixed_env("AWARENESS")
    return bare.config
