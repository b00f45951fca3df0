"""survey.routing: the URL builders compiled on first use build what werkzeug's compiled as the rule was added."""

from werkzeug.routing import Rule as WerkzeugRule
from werkzeug.routing.converters import AnyConverter, IntegerConverter

from survey.routing import Rule


def _value(converter):
    if isinstance(converter, IntegerConverter):
        return 7
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    return "a b/é?"  # quoted by the string and path converters alike


def test_every_rule_builds_what_werkzeugs_builders_build(app):
    rules = list(app.url_map.iter_rules())
    assert rules and all(isinstance(rule, Rule) for rule in rules)
    for rule in rules:
        values = {name: _value(converter) for name, converter in rule._converters.items()}
        for append_unknown in (True, False):
            werkzeugs = WerkzeugRule._compile_builder(rule, append_unknown)
            for extra in ({}, {"next": "/admin/?x=1", "page": 2}):
                assert rule.build({**values, **extra}, append_unknown) == werkzeugs(rule, **values, **extra), (
                    rule.rule, append_unknown, extra)


def test_url_for_builds_the_platforms_links(app):
    with app.test_request_context():
        from flask import url_for

        assert url_for("respond.page", token="t k", number=2) == "/s/t%20k/2"
        assert url_for("admin.wave_status", slug="2018", action="close", next="/admin/") \
            == "/admin/waves/2018/close?next=/admin/"
        assert url_for("static", filename="css/app.css", _external=True) == "http://localhost/static/css/app.css"
