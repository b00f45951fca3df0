"""The wording of invitations and reminders: built-in defaults, checks on save, plain-text and HTML rendering."""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date
from html import escape

PLACEHOLDERS = ("name", "link", "deadline")
KINDS = ("invitation", "reminder")

DEFAULTS: dict[tuple[str, str], tuple[str, str]] = {
    ("invitation", "en"): (
        "Invitation: stakeholder survey for the policy review",
        "Dear {name},\n\n"
        "You are invited to take part in our stakeholder survey for this year's policy review. "
        "It takes about fifteen minutes.\n\n"
        "Your personal link: {link}\n\n"
        "Please answer by {deadline}. Taking part is voluntary, and results are reported only by type "
        "of organisation, never by name.\n\n"
        "Thank you.",
    ),
    ("reminder", "en"): (
        "Reminder: stakeholder survey for the policy review",
        "Dear {name},\n\n"
        "We recently invited you to take part in our stakeholder survey. If you have not yet had time, "
        "your answers are still very welcome until {deadline}.\n\n"
        "Your personal link: {link}\n\n"
        "Thank you.",
    ),
    ("invitation", "km"): (
        "ការអញ្ជើញ៖ ការស្ទង់មតិភាគីពាក់ព័ន្ធសម្រាប់ការពិនិត្យគោលនយោបាយ",
        "ជូនចំពោះ {name}\n\n"
        "យើងខ្ញុំសូមគោរពអញ្ជើញលោកអ្នកចូលរួមក្នុងការស្ទង់មតិភាគីពាក់ព័ន្ធ "
        "សម្រាប់ការពិនិត្យគោលនយោបាយប្រចាំឆ្នាំនេះ។ ការឆ្លើយត្រូវការពេលប្រហែលដប់ប្រាំនាទី។\n\n"
        "តំណផ្ទាល់ខ្លួនរបស់លោកអ្នក៖ {link}\n\n"
        "សូមឆ្លើយមុន {deadline}។ ការចូលរួមគឺស្ម័គ្រចិត្ត ហើយលទ្ធផលត្រូវបានរាយការណ៍"
        "តែតាមប្រភេទស្ថាប័នប៉ុណ្ណោះ មិនដែលតាមឈ្មោះឡើយ។\n\n"
        "សូមអរគុណ។",
    ),
    ("reminder", "km"): (
        "ការរំលឹក៖ ការស្ទង់មតិភាគីពាក់ព័ន្ធសម្រាប់ការពិនិត្យគោលនយោបាយ",
        "ជូនចំពោះ {name}\n\n"
        "ថ្មីៗនេះ យើងខ្ញុំបានអញ្ជើញលោកអ្នកចូលរួមក្នុងការស្ទង់មតិភាគីពាក់ព័ន្ធ។ "
        "ប្រសិនបើលោកអ្នកមិនទាន់មានពេលឆ្លើយទេ ចម្លើយរបស់លោកអ្នកនៅតែត្រូវបានស្វាគមន៍"
        "យ៉ាងខ្លាំងរហូតដល់ {deadline}។\n\n"
        "តំណផ្ទាល់ខ្លួនរបស់លោកអ្នក៖ {link}\n\n"
        "សូមអរគុណ។",
    ),
}

# Added by the platform under every message, not editable: the opt-out must always be there.
FOOTERS = {
    "en": ("This is a new link; the link in our earlier message still works too, and any answers you have "
           "already saved are kept.",
           "If you do not wish to receive more messages about this survey: {optout}"),
    "km": ("នេះជាតំណថ្មី។ តំណក្នុងសារមុនរបស់យើងខ្ញុំ នៅតែប្រើបានដែរ ហើយ"
           "ចម្លើយដែលលោកអ្នកបានរក្សាទុករួចហើយ នៅតែមាន។",
           "ប្រសិនបើលោកអ្នកមិនចង់ទទួលសារអំពីការស្ទង់មតិនេះទៀតទេ៖ {optout}"),
}
UNNAMED = {"en": "colleague", "km": "លោក/លោកស្រី"}
KHMER_MONTHS = ("មករា", "កុម្ភៈ", "មីនា", "មេសា", "ឧសភា", "មិថុនា", "កក្កដា", "សីហា", "កញ្ញា", "តុលា",
                "វិច្ឆិកា", "ធ្នូ")
KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")


class TemplateError(ValueError):
    """A message's wording that cannot be used; `problems` says what and where."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Wording:
    subject: str
    body: str


def default_wording(kind: str, language: str) -> Wording:
    """The built-in wording; English for a language that has none of its own."""
    subject, body = DEFAULTS.get((kind, language)) or DEFAULTS[(kind, "en")]
    return Wording(subject, body)


def _fields(text: str, where: str, problems: list[str]) -> set[str]:
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as error:
        problems.append(f"{where}: {error} (write a literal brace as {{{{ or }}}})")
        return set()
    names = set()
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            allowed = ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
            problems.append(f"{where}: unknown placeholder {{{name}}} (use {allowed})")
        names.add(name)
    return names


def check_wording(subject: str, body: str) -> list[str]:
    """Every problem of a subject and body, each naming the field; empty when they can be used."""
    problems: list[str] = []
    if not subject.strip():
        problems.append("subject: empty")
    if "\n" in subject.strip() or "\r" in subject:
        problems.append("subject: must be one line")
    if len(subject) > 300:
        problems.append("subject: longer than 300 characters")
    if "link" in _fields(subject, "subject", problems):
        problems.append("subject: {link} belongs in the body")
    if not body.strip():
        problems.append("body: empty")
    elif "link" not in _fields(body, "body", problems):
        problems.append("body: the placeholder {link} is missing (the personal link goes there)")
    return problems


def uses_deadline(wording: Wording) -> bool:
    return "{deadline}" in wording.subject or "{deadline}" in wording.body


def format_deadline(day: date, language: str) -> str:
    if language == "km":
        return f"ថ្ងៃទី{day.day} ខែ{KHMER_MONTHS[day.month - 1]} ឆ្នាំ{day.year}".translate(KHMER_DIGITS)
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(wording: Wording, language: str, *, name: str | None, link: str, optout: str,
           deadline: date | None, earlier_link: bool) -> Rendered:
    """Subject, plain text and HTML of one message; the wording must have passed check_wording."""
    values = {"name": name or UNNAMED.get(language, UNNAMED["en"]), "link": link,
              "deadline": format_deadline(deadline, language) if deadline else ""}
    also, optout_line = FOOTERS.get(language, FOOTERS["en"])
    footer = ([also] if earlier_link else []) + [optout_line]
    subject = " ".join(wording.subject.format_map(values).split())
    text = wording.body.format_map(values) + "\n\n-- \n" + "\n".join(footer).format(optout=optout) + "\n"
    html_body = _html(wording.body, values)
    html_footer = "<br>".join(_html_line(line, {"optout": optout}) for line in footer)
    html = (f'<!DOCTYPE html><html lang="{escape(language)}"><head><meta charset="utf-8"></head><body>'
            f'{html_body}<hr><p style="font-size:smaller">{html_footer}</p></body></html>')
    return Rendered(subject, text, html)


def _html_line(text: str, values: dict[str, str]) -> str:
    """One piece of wording as HTML: literal text escaped, links as anchors, other values escaped."""
    parts = []
    for literal, name, _spec, _conversion in string.Formatter().parse(text):
        parts.append(escape(literal).replace("\n", "<br>"))
        if name is None:
            continue
        value = escape(values[name])
        parts.append(f'<a href="{value}">{value}</a>' if name in ("link", "optout") else value)
    return "".join(parts)


def _html(body: str, values: dict[str, str]) -> str:
    paragraphs = [p for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(f"<p>{_html_line(p.strip(), values)}</p>" for p in paragraphs)
