"""The console's trend page: a wave and the waves before it (its baseline, that one's baseline, ...), as the
report over the period (`awareness report --waves ...`), with downloads."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for

from .. import db
from ..comparison.queries import wave_named
from ..comparison.response_rates import cover, fieldwork
from . import bp
from .auth import login_required
from .reports import DOWNLOADS, REPORT_POLICY, download

FLAGS = ("by_group", "stratify", "weighted")  # the page's check boxes, as query flags


def rounds_of(wave) -> list:
    """The wave and its baselines, back to the first, in time order (a baseline named twice ends the chain)."""
    chain = [wave]
    while chain[-1].baseline is not None and chain[-1].baseline not in chain:
        chain.append(chain[-1].baseline)
    return chain[::-1]


def _options() -> dict:
    options = {flag: request.args.get(flag) == "1" for flag in FLAGS}
    options["base"] = "all" if request.args.get("base") == "all" else "answered"
    language = request.args.get("lang", "en")
    options["language"] = language if language in ("en", "km") else "en"
    return options


def trend_query(options: dict, **changes) -> dict:
    options = options | changes
    return {flag: 1 for flag in FLAGS if options[flag]} | ({"base": "all"} if options["base"] == "all" else {}) | \
        {"lang": options["language"]}


def _report(waves: list, options: dict, *, with_png: bool = False, json_name: str = "report.json"):
    """The trend over the waves, its JSON with the stamp, and the report built from it."""
    # The analysis (pandas, scipy, the report's writers) only where a page reports.
    from analysis.report.trend import build_trend, stamp
    from analysis.trend import to_dict, trend

    from ..comparison.trend_inputs import trend_inputs

    session = db.session()
    inputs = trend_inputs(session, waves, population=options["weighted"])
    notes, populations = list(inputs.notes), inputs.populations
    if options["weighted"] and inputs.missing_population:
        notes.append(f"no population sizes stored for wave(s) {', '.join(inputs.missing_population)}: no weighted "
                     "rows (set them on each wave's page)")
        populations = None
    result = trend(inputs.questionnaire, inputs.waves, by_group=options["by_group"], stratify=options["stratify"],
                   populations=populations, base=options["base"], notes=tuple(notes))
    data = to_dict(result)
    made = cover(current_app.config) | {"fieldwork": {wave.slug: fieldwork(session, wave) for wave in waves}}
    settings = {flag: options[flag] for flag in FLAGS} | {
        "weighted": populations is not None, "base": options["base"], "adjust": result.adjust,
        "confidence": result.confidence, "waves": [wave.slug for wave in waves], "language": options["language"],
        "min_cell": 5, "title": None, "format": None}
    data["stamp"] = stamp(data, settings=settings, questionnaire_sha256=None, cover=made)
    document = build_trend(data, inputs.questionnaire, language=options["language"], with_png=with_png,
                           json_name=json_name, cover=made)
    return result, data, document


@bp.route("/waves/<slug>/trend")
@login_required
def trend_page(slug: str):
    from analysis.report import html as report_html

    wave = wave_named(db.session(), slug)
    waves = rounds_of(wave)
    if len(waves) < 2:
        flash("This wave has no baseline wave: a trend needs two waves or more.", "error")
        return redirect(url_for("admin.wave", slug=slug))
    options = _options()
    _result, _data, document = _report(waves, options)
    page = render_template("admin/trend.html", wave=wave, waves=waves, options=options, query_of=trend_query,
                           downloads=list(DOWNLOADS), report_html=report_html.render(document, fragment=True))
    return Response(page, headers={"Content-Security-Policy": REPORT_POLICY})


@bp.route("/waves/<slug>/trend/report.<output_format>")
@login_required
def trend_download(slug: str, output_format: str):
    from analysis.trend import to_csv

    if output_format not in DOWNLOADS:
        abort(404)
    waves = rounds_of(wave_named(db.session(), slug))
    if len(waves) < 2:
        abort(404)
    options = _options()
    flags = "".join(f"-{flag.replace('by_group', 'groups')}" for flag in FLAGS if options[flag])
    name = f"trend-{waves[0].slug}-{waves[-1].slug}{flags}{'-base-all' if options['base'] == 'all' else ''}" \
        f"-{options['language']}"
    result, data, document = _report(waves, options, with_png=output_format == "docx", json_name=f"{name}.json")
    return download(output_format, name, data, document, csv=lambda: to_csv(result))
