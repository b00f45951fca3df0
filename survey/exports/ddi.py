"""A wave as a DDI Codebook 2.5 XML file, for a data archive (a NADA catalogue, as national statistics
offices run): the study (title, dates, groups, mode) and each variable with its label, categories and
their frequencies, valid against the DDI Codebook 2.5 XML Schema (tests/data/ddi-codebook-2.5).

One variable per column of the csv export (respondent, group, language, one per item), except that a
multiple-choice item is one 0/1 variable per choice (`item_code`), as in the SPSS and Stata files;
every text in each of the questionnaire's languages (xml:lang).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET  # noqa: S405 - builds XML only; nothing is parsed
from dataclasses import dataclass
from datetime import date

import pandas as pd

from questionnaires import Item, Questionnaire, Text

NAMESPACE = "ddi:codebook:2_5"
SCHEMA = "ddi:codebook:2_5 http://www.ddialliance.org/Specification/DDI-Codebook/2.5/XMLSchema/codebook.xsd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MODES = {"anonymous": "anonymous: answers cannot be traced back to a respondent",
         "panel": "panel: each respondent's answers are linked across waves by a panel key"}


@dataclass(frozen=True)
class Study:
    """What the codebook says of the wave beside the questionnaire."""

    wave: str
    mode: str  # anonymous | panel
    first_day: date | None  # of the responses submitted
    last_day: date | None
    software: str = "awareness-survey"


def _element(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{NAMESPACE}}}{tag}", {k: v for k, v in attributes.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def _texts(parent: ET.Element, tag: str, text: Text | None, questionnaire: Questionnaire, **attributes) -> None:
    """One element per language the text has, the default language first."""
    for language in questionnaire.languages:
        if text is not None and text.get(language):
            _element(parent, tag, text[language], **{XML_LANG: language}, **attributes)


def to_ddi(questionnaire: Questionnaire, frame: pd.DataFrame, study: Study | None = None) -> bytes:
    study = study or Study("wave", "anonymous", None, None)
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}codeBook", {
        "version": "2.5", "ID": _identifier(f"{questionnaire.id}-{study.wave}"),
        XML_LANG: questionnaire.default_language,
        "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation": SCHEMA})
    _document(root, questionnaire, study)
    _study(root, questionnaire, study)
    file = _element(root, "fileDscr", ID="F1")
    text = _element(file, "fileTxt")
    _element(text, "fileName", f"{study.wave}.csv")
    dimensions = _element(text, "dimensns")
    _element(dimensions, "caseQnty", str(len(frame)))
    variables = list(_variables(questionnaire, frame))
    _element(dimensions, "varQnty", str(len(variables)))
    _element(text, "fileType", "CSV (awareness export --format csv)")
    data = _element(root, "dataDscr")
    for section in questionnaire.sections:
        names = [name for name, item, _series, _code in variables if item is not None and item.section == section.id]
        if names:
            group = _element(data, "varGrp", ID=_identifier(f"G-{section.id}"), type="section",
                             var=" ".join(_identifier(f"V-{name}") for name in names))
            _texts(group, "labl", section.title, questionnaire)
    for name, item, series, code in variables:
        _variable(data, questionnaire, name, item, series, code)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _document(root: ET.Element, questionnaire: Questionnaire, study: Study) -> None:
    citation = _element(_element(root, "docDscr"), "citation")
    titles = _element(citation, "titlStmt")
    _element(titles, "titl", f"Codebook: {questionnaire.text(questionnaire.title)}, wave {study.wave}")
    production = _element(citation, "prodStmt")
    _element(production, "prodDate", date.today().isoformat(), date=date.today().isoformat())
    _element(production, "software", study.software)


def _study(root: ET.Element, questionnaire: Questionnaire, study: Study) -> None:
    description = _element(root, "stdyDscr")
    citation = _element(description, "citation")
    titles = _element(citation, "titlStmt")
    _element(titles, "titl", questionnaire.text(questionnaire.title), **{XML_LANG: questionnaire.default_language})
    _element(titles, "subTitl", f"Wave {study.wave}")
    for language in questionnaire.languages[1:]:  # the title in the other languages: parallel titles
        if questionnaire.title.get(language):
            _element(titles, "parTitl", questionnaire.title[language], **{XML_LANG: language})
    _element(titles, "IDNo", f"{questionnaire.id} {questionnaire.version} {study.wave}")
    _element(_element(citation, "verStmt"), "version", questionnaire.version)
    info = _element(description, "stdyInfo")
    _texts(info, "abstract", questionnaire.description, questionnaire)
    summary = _element(info, "sumDscr")
    for event, day in (("start", study.first_day), ("end", study.last_day)):
        if day is not None:
            _element(summary, "collDate", day.isoformat(), date=day.isoformat(), event=event)
    groups = "; ".join(questionnaire.text(group.label) for group in questionnaire.groups)
    _element(summary, "anlyUnit", "Individual respondents, in stakeholder groups (strata): " + groups)
    _element(summary, "universe", "Stakeholders of the policy in the groups: " + groups, clusion="I")
    _element(summary, "dataKind", "survey data")
    collection = _element(_element(description, "method"), "dataColl")
    _element(collection, "collMode", "Self-administered web questionnaire, one personal link per respondent; "
                                     f"{MODES.get(study.mode, study.mode)}")
    _element(collection, "resInstru", "structured")


def _variables(questionnaire: Questionnaire, frame: pd.DataFrame):
    """(name, item or None, text column, choice code for a 0/1 variable of a multiple choice)."""
    for column in ("respondent", "group", "language"):
        if column in frame.columns:
            yield column, None, _as_text(frame[column]), None
    for item in questionnaire.answerable_items:
        if item.id not in frame.columns:
            continue
        series = _as_text(frame[item.id])
        if item.type == "multiple_choice":
            for code in item.codes:
                yield f"{item.id}_{code}", item, series, code
        else:
            yield item.id, item, series, None


def _as_text(column: pd.Series) -> pd.Series:
    return column.astype(object).where(column.notna(), "").astype(str).str.strip()


def _variable(data: ET.Element, questionnaire: Questionnaire, name: str, item: Item | None, series: pd.Series,
              code: str | None) -> None:
    numeric = item is not None and item.type == "number"
    variable = _element(data, "var", ID=_identifier(f"V-{name}"), name=name, files="F1",
                        intrvl="contin" if numeric else "discrete")
    if item is None:
        _element(variable, "labl", {"respondent": "Panel key (empty in anonymous waves)",
                                    "group": "Stakeholder group", "language": "Language of the answers"}[name])
    elif code is not None:
        choice = item.choice(code)
        for language in questionnaire.languages:
            _element(variable, "labl", f"{questionnaire.text(item.label, language)}: "
                                       f"{questionnaire.text(choice.label, language)}", **{XML_LANG: language})
    else:
        _texts(variable, "labl", item.label, questionnaire)
    if item is not None:
        question = _element(variable, "qstn", ID=_identifier(f"Q-{name}"))
        _texts(question, "qstnLit", item.label, questionnaire)
        if item.relevant:
            _element(question, "preQTxt", f"Asked only if {item.relevant}")
    answered = series[series != ""]
    _element(variable, "sumStat", str(len(answered)), type="vald")
    _element(variable, "sumStat", str(len(series) - len(answered)), type="invd")
    if numeric:
        _numbers(variable, answered)
    elif code is not None:
        selected = sum(1 for text in answered if code in text.split())
        for value, label, count in (("1", "selected", selected), ("0", "not selected", len(answered) - selected)):
            _category(variable, value, {questionnaire.default_language: label}, count, questionnaire)
    elif name == "group":
        counts = answered.value_counts()
        for group in questionnaire.groups:
            _category(variable, group.code, group.label, int(counts.get(group.code, 0)), questionnaire)
    elif item is not None and item.choices:
        counts = answered.value_counts()
        for choice in item.choices:
            _category(variable, choice.code, choice.label, int(counts.get(choice.code, 0)), questionnaire)
    elif name == "language":
        for language, count in answered.value_counts().sort_index().items():
            _category(variable, str(language), None, int(count), questionnaire)
    _element(variable, "varFormat", type="numeric" if numeric else "character", schema="other")


def _numbers(variable: ET.Element, answered: pd.Series) -> None:
    numbers = pd.to_numeric(answered, errors="coerce").dropna()
    if numbers.empty:
        return
    statistics = (("mean", numbers.mean()), ("stdev", numbers.std(ddof=1) if len(numbers) > 1 else math.nan),
                  ("min", numbers.min()), ("max", numbers.max()))
    for kind, value in statistics:
        if not math.isnan(value):
            _element(variable, "sumStat", f"{value:.10g}", type=kind)


def _category(variable: ET.Element, value: str, label: Text | dict | None, count: int,
              questionnaire: Questionnaire) -> None:
    category = _element(variable, "catgry")
    _element(category, "catValu", value)
    if label:
        for language in questionnaire.languages:
            if label.get(language):
                _element(category, "labl", label[language], **{XML_LANG: language})
    _element(category, "catStat", str(count), type="freq")


def _identifier(text: str) -> str:
    """An xs:ID: a letter first, then letters, digits, '-', '_' or '.'."""
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in text)
    return cleaned if cleaned[:1].isalpha() else f"X{cleaned}"
