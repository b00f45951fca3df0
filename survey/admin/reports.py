"""The console's comparison page: the report itself (question text, readable tests, charts) with downloads."""

from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, render_template, request, url_for

from analysis import compare, report, to_dict
from analysis.formats import to_csv
from analysis.report import docx as report_docx
from analysis.report import html as report_html
from analysis.report import writers

from .. import db, queries
from ..report_data import response_rates
from ..waves import comparison_inputs
from . import bp
from .auth import login_required

DOWNLOADS = {"html": "text/html", "pdf": "application/pdf", "json": "application/json", "csv": "text/csv",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
# The report page carries its own CSS and inline SVG charts (matplotlib writes style attributes) and, in
# Khmer, an embedded font: this page alone allows inline style and data: fonts. Still no script at all.
REPORT_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                 "font-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


def _wave_with_baseline(slug: str):
    wave = queries.wave_by_slug(db.session(), slug)
    if wave is None:
        abort(404)
    return wave


def _options() -> tuple[bool, str]:
    language = request.args.get("lang", "en")
    return request.args.get("by_group") == "1", language if language in ("en", "km") else "en"


def _report(wave, by_group: bool, language: str, *, with_png: bool = False, json_name: str = "report.json"):
    """The comparison of a wave with its baseline, its JSON with the stamp, and the report built from it."""
    questionnaire, waves, notes = comparison_inputs(db.session(), wave.baseline, wave)
    comparison = compare(questionnaire, *waves, by_group=by_group, notes=tuple(notes))
    data = to_dict(comparison)
    settings = {"by_group": by_group, "stratify": False, "paired": False, "base": "answered",
                "adjust": comparison.adjust, "confidence": comparison.confidence, "population": None,
                "baseline_wave": wave.baseline.slug, "current_wave": wave.slug, "language": language,
                "min_cell": 5, "title": None, "format": None}
    data["stamp"] = report.stamp(data, settings=settings, questionnaire_sha256=None)
    document = report.build(data, questionnaire, language=language, labels=(wave.baseline.slug, wave.slug),
                            response=response_rates(db.session(), wave.baseline, wave), with_png=with_png,
                            json_name=json_name)
    return comparison, data, document


@bp.route("/waves/<slug>/compare")
@login_required
def compare_page(slug: str):
    wave = _wave_with_baseline(slug)
    if wave.baseline is None:
        flash("This wave has no baseline wave to compare with.", "error")
        return redirect(url_for("admin.wave", slug=slug))
    by_group, language = _options()
    _comparison, _data, document = _report(wave, by_group, language)
    page = render_template("admin/compare.html", wave=wave, by_group=by_group, language=language,
                           downloads=list(DOWNLOADS), report_html=report_html.render(document, fragment=True))
    return Response(page, headers={"Content-Security-Policy": REPORT_POLICY})


@bp.route("/waves/<slug>/compare/report.<output_format>")
@login_required
def compare_download(slug: str, output_format: str):
    extension = output_format
    if extension not in DOWNLOADS:
        abort(404)
    wave = _wave_with_baseline(slug)
    if wave.baseline is None:
        abort(404)
    by_group, language = _options()
    name = f"report-{wave.baseline.slug}-{wave.slug}{'-groups' if by_group else ''}-{language}"
    comparison, data, document = _report(wave, by_group, language, with_png=extension == "docx",
                                         json_name=f"{name}.json")
    if extension == "json":
        content: str | bytes = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    elif extension == "csv":
        content = to_csv(comparison)
    elif extension == "html":
        content = report_html.render(document)
    elif extension == "pdf":
        try:
            content = writers.pdf_bytes(document)
        except writers.ReportError as error:
            return Response(str(error), status=503, mimetype="text/plain")
    else:
        content = report_docx.document_bytes(document)
    return Response(content, mimetype=DOWNLOADS[extension],
                    headers={"Content-Disposition": f'attachment; filename="{name}.{extension}"'})
