"""The console's comparison page: the report itself (question text, readable tests, charts) with downloads."""

from __future__ import annotations

import json

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for

from .. import db
from ..comparison.options import (
    CONSOLE_FLAGS,
    MIN_CELL,
    console_options,
    design_arguments,
    from_query,
    report_settings,
    stamp_settings,
    to_query,
)
from ..comparison.queries import wave_named
from ..comparison.response_rates import cover, response_rates
from . import bp
from .auth import login_required

DOWNLOADS = {"html": "text/html", "pdf": "application/pdf", "json": "application/json", "csv": "text/csv",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
# The report page carries its own CSS and inline SVG charts (matplotlib writes style attributes) and, in
# Khmer, an embedded font: this page alone allows inline style and data: fonts. Still no script at all.
REPORT_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                 "font-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")





def _options() -> dict:
    """The comparison asked for in the query: the designs of `comparison.options` the console offers, and the
    report's language."""
    language = request.args.get("lang", "en")
    return from_query(request.args) | {"language": language if language in ("en", "km") else "en"}


def query_of(options: dict, **changes) -> dict:
    """The options as query arguments for a link (flags only when set; `weighted` only when chosen)."""
    options = options | changes
    return to_query(options) | {"lang": options["language"]}


def _report(wave, options: dict, *, with_png: bool = False, download: bool = False):
    """The comparison of a wave with its baseline, its JSON with the stamp, the report built from it, and the name
    of its downloads (saying the designs used: weighted when the sizes stored with the wave were, asked for or
    not; the report names its JSON so when `download`)."""
    # The analysis (pandas, scipy, the report's writers) only where a page compares or reports.
    from analysis import compare, report, to_dict

    from ..comparison.inputs import comparison_inputs
    from ..comparison.weighting import stored_weighting

    session = db.session()
    stored, questionnaire, waves, notes = comparison_inputs(session, wave.baseline, wave,
                                                            population=options["weighted"] is not False)
    # The sizes stored with the wave weight the comparison by default, as `awareness report`'s do.
    population, unused = stored_weighting(options["weighted"], stored.population, wave.slug, *waves)
    notes = [*notes, *unused]
    if options["weighted"] and not stored.population:
        notes.append(f"wave {wave.slug} has no population sizes stored: no weighted rows (set them on the "
                     "wave's page)")
        population = None
    comparison = compare(questionnaire, *waves, notes=tuple(notes), population=population,
                         wording_changed=stored.changed, **design_arguments(options))
    data = to_dict(comparison)
    settings = stamp_settings(options | {"adjust": comparison.adjust, "confidence": comparison.confidence,
                                         "baseline_wave": wave.baseline.slug, "current_wave": wave.slug},
                              stored_sizes=population is not None)
    settings |= report_settings(options["language"])
    name = download_name(wave, settings)
    made = cover(current_app.config, session=session, waves=(wave.baseline, wave))
    data["stamp"] = report.stamp(data, settings=settings, questionnaire_sha256=None, cover=made)
    document = report.build(data, questionnaire, language=options["language"], labels=(wave.baseline.slug, wave.slug),
                            min_cell=MIN_CELL, response=response_rates(session, wave.baseline, wave), with_png=with_png,
                            json_name=f"{name}.json" if download else "report.json", cover=made)
    return comparison, data, document, name


def ticked(options: dict, data: dict) -> dict[str, bool]:
    """Which check boxes show ticked: as asked, and `weighted` as the report was made (by default, ticked when the
    stored sizes were used)."""
    return {name: value not in (None, False, "answered") for name, value in options.items()} | {
        "weighted": bool(data["stamp"]["settings"]["weighted"])}


def download_name(wave, settings: dict) -> str:
    designs = "".join(f"-{flag.replace('by_group', 'groups')}" for flag in CONSOLE_FLAGS if settings[flag])
    return f"report-{wave.baseline.slug}-{wave.slug}{designs}{'-base-all' if settings['base'] == 'all' else ''}" \
        f"-{settings['language']}"


@bp.route("/waves/<slug>/compare")
@login_required
def compare_page(slug: str):
    from analysis.report import html as report_html

    wave = wave_named(db.session(), slug)
    if wave.baseline is None:
        flash("This wave has no baseline wave to compare with.", "error")
        return redirect(url_for("admin.wave", slug=slug))
    options = _options()
    _comparison, data, document, _name = _report(wave, options)  # InputError: common.refused
    page = render_template("admin/compare.html", wave=wave, options=options, query_of=query_of,
                           checks=console_options(), ticked=ticked(options, data),
                           downloads=list(DOWNLOADS), report_html=report_html.render(document, fragment=True))
    return Response(page, headers={"Content-Security-Policy": REPORT_POLICY})


@bp.route("/waves/<slug>/compare/report.<output_format>")
@login_required
def compare_download(slug: str, output_format: str):
    from analysis.formats import to_csv

    extension = output_format
    if extension not in DOWNLOADS:
        abort(404)
    wave = wave_named(db.session(), slug)
    if wave.baseline is None:
        abort(404)
    comparison, data, document, name = _report(wave, _options(), with_png=extension == "docx", download=True)
    return download(extension, name, data, document, csv=lambda: to_csv(comparison))


def download(extension: str, name: str, data: dict, document, *, csv) -> Response:
    """A report as a file to save: its JSON, CSV (`csv()` makes it), HTML, PDF or Word document."""
    from analysis.report import docx as report_docx
    from analysis.report import html as report_html
    from analysis.report import writers

    if extension == "json":
        content: str | bytes = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    elif extension == "csv":
        content = csv()
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
