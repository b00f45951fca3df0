"""The console's trend page: a wave and the waves before it (its baseline, that one's baseline, ...), as the
report over the period (`awareness report --waves ...`), with downloads."""

from __future__ import annotations

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
from ..comparison.response_rates import cover
from ..waves.queries import fieldwork
from . import bp
from .auth import login_required
from .reports import DOWNLOADS, REPORT_POLICY, download, ticked


def rounds_of(wave) -> list:
    """The wave and its baselines, back to the first, in time order (a baseline named twice ends the chain)."""
    chain = [wave]
    while chain[-1].baseline is not None and chain[-1].baseline not in chain:
        chain.append(chain[-1].baseline)
    return chain[::-1]


def _options() -> dict:
    """The trend asked for in the query: the designs of `comparison.options` the console offers for a trend, and
    the report's language."""
    language = request.args.get("lang", "en")
    return from_query(request.args, trend=True) | {"language": language if language in ("en", "km") else "en"}


def trend_query(options: dict, **changes) -> dict:
    """The options as query arguments for a link (flags only when set; `weighted` only when chosen)."""
    options = options | changes
    return to_query(options) | {"lang": options["language"]}


def _report(waves: list, options: dict, *, with_png: bool = False, download: bool = False):
    """The trend over the waves, its JSON with the stamp, the report built from it, and the name of its downloads
    (saying the designs used; the report names its JSON so when `download`)."""
    # The analysis (pandas, scipy, the report's writers) only where a page reports.
    from analysis.report.trend import build_trend, stamp
    from analysis.trend import to_dict, trend

    from ..comparison.trend_inputs import trend_inputs
    from ..comparison.weighting import stored_trend_weighting

    session = db.session()
    inputs = trend_inputs(session, waves, population=options["weighted"] is not False)
    # The sizes stored with each wave weight the trend by default, as `awareness trend`'s do.
    populations, unused = stored_trend_weighting(options["weighted"], inputs.populations, inputs.waves)
    notes = [*inputs.notes, *unused]
    if options["weighted"] and inputs.missing_population:
        notes.append(f"no population sizes stored for wave(s) {', '.join(inputs.missing_population)}: no weighted "
                     "rows (set them on each wave's page)")
    result = trend(inputs.questionnaire, inputs.waves, populations=populations, notes=tuple(notes),
                   **design_arguments(options, trend=True))
    data = to_dict(result)
    made = cover(current_app.config) | {"fieldwork": {wave.slug: fieldwork(session, wave) for wave in waves}}
    settings = stamp_settings(options | {"adjust": result.adjust, "confidence": result.confidence,
                                         "waves": [wave.slug for wave in waves]},
                              stored_sizes=populations is not None, trend=True) | report_settings(options["language"])
    data["stamp"] = stamp(data, settings=settings, questionnaire_sha256=None, cover=made)
    name = download_name(waves, settings)
    document = build_trend(data, inputs.questionnaire, language=options["language"], min_cell=MIN_CELL,
                           with_png=with_png, json_name=f"{name}.json" if download else "report.json", cover=made)
    return result, data, document, name


def download_name(waves: list, settings: dict) -> str:
    flags = "".join(f"-{flag.replace('by_group', 'groups')}" for flag in CONSOLE_FLAGS if settings.get(flag))
    return f"trend-{waves[0].slug}-{waves[-1].slug}{flags}{'-base-all' if settings['base'] == 'all' else ''}" \
        f"-{settings['language']}"


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
    _result, data, document, _name = _report(waves, options)  # InputError: common.refused
    page = render_template("admin/trend.html", wave=wave, waves=waves, options=options, query_of=trend_query,
                           checks=console_options(trend=True), ticked=ticked(options, data), downloads=list(DOWNLOADS),
                           report_html=report_html.render(document, fragment=True))
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
    result, data, document, name = _report(waves, _options(), with_png=output_format == "docx", download=True)
    return download(output_format, name, data, document, csv=lambda: to_csv(result))
