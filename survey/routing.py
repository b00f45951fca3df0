"""The application's Flask class, whose URL rules compile their URL builders when first used.

werkzeug turns each URL rule into two Python functions as the rule is added (through the `ast` module and
`compile`): one for url_for, which appends unknown arguments as a query string, and one that does not, which
nothing in the platform calls. For the platform's 36 rules that was 85 % of the CPU time of create_app
(about 20 ms, paid by each server worker as it starts, each command and each test). A worker builds the URLs
of a few endpoints, url_for's kind only: each builder is now compiled by werkzeug's own code the first time
its rule builds a URL, from the same rule, and kept.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import Rule as WerkzeugRule


class Rule(WerkzeugRule):
    def _compile_builder(self, append_unknown: bool = True):
        # Called by Rule.compile (as the rule is bound to the map, again whenever it is rebound), which binds the
        # function returned to the rule. What werkzeug's builder is made from (the rule's parsed parts, its
        # converters, its defaults) is set by that same compile and not changed after it, so compiling at the
        # first build gives the same function as compiling now. Two threads building at once may both compile it.
        compile_builder = super()._compile_builder
        builder = None

        def build(rule: Rule, *args: Any, **kwargs: Any) -> tuple[str, str]:
            nonlocal builder
            if builder is None:
                builder = compile_builder(append_unknown)
            return builder(rule, *args, **kwargs)

        return build


class App(Flask):
    url_rule_class = Rule
