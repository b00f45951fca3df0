"""Text from outside (questionnaire labels, group names, file names) made inert in Markdown.

The report's and the codebook's Markdown copy questionnaire text; whoever writes the questionnaire
must not be able to put raw HTML (`<script>`, `<img onerror=…>`), a link or an image
(`[x](javascript:…)`, `<https://…>`, a bare `https://…` that GitHub-flavoured renderers link by
themselves), a heading, a list or an extra table column into the document. Every ASCII punctuation
character that Markdown gives a meaning to is escaped with a backslash (CommonMark: a backslash
before any ASCII punctuation makes it literal), line breaks become spaces so the text stays inside
its paragraph, list item or cell, and `:`, `.` and `@` are escaped too, which breaks the patterns
that autolink renderers look for (`https:`, `www.`, `name@host.tld`). Readers see the text as written.
"""

from __future__ import annotations

import re

# Markdown's meaningful ASCII punctuation, plus the characters autolinkers look for.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+\-.!|~&:@=^$])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")


def md_text(text: object) -> str:
    """`text` as literal Markdown inline text: no markup, link, HTML or line break of its own."""
    return _SPECIAL.sub(r"\\\1", _LINE_BREAKS.sub(" ", str(text)))


def md_code(text: object) -> str:
    """`text` as a Markdown code span, whatever backticks or line breaks it holds."""
    value = _LINE_BREAKS.sub(" ", str(text))
    fence = "`" * (max((len(run) for run in re.findall(r"`+", value)), default=0) + 1)
    padded = f" {value} " if value.startswith("`") or value.endswith("`") else value
    return f"{fence}{padded}{fence}"


def md_code_cell(text: object) -> str:
    """A code span for a table cell: GitHub-flavoured tables split a row at every unescaped pipe, in code too."""
    return md_code(text).replace("|", "\\|")
