"""Issue 21, item 6: the Markdown report and the Markdown codebook escape questionnaire text everywhere.

A questionnaire whose title, labels, group names and choices carry raw HTML, links, images, headings, pipes
and line breaks is rendered by a GitHub-flavoured Markdown renderer (markdown-it-py with tables and
autolinks): no element comes out of that text, and every table keeps its columns.
"""

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

import questionnaires as q
from analysis.markdown_text import md_text
from analysis.synthetic import synthetic_wave
from tests.conftest import TWO_PAGES

HOSTILE = ("<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) "
           "![i](https://evil.example/i.png) <https://evil.example/a> https://evil.example/b www.evil.example "
           "eve@evil.example | pipe | &lt;b&gt; *em* `code` \n# heading\n- item\n1. item\n> quote")


def _hostile_questionnaire(folder: Path) -> Path:
    text = TWO_PAGES.read_text(encoding="utf-8")
    quoted = HOSTILE.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    for english in ("Test survey", "Government", "Workers", "Heard of the policy?", "Governance",
                    "Trainings attended", "Which period?", '"Yes"', "Don't know", "2010-2013"):
        text = text.replace(f"en: {english}", f'en: "{english.strip(chr(34))} {quoted}"', 1)
    path = folder / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    q.load(path)  # a questionnaire the platform accepts
    return path


def _render(markdown: str) -> str:
    return MarkdownIt("gfm-like").enable("table").render(markdown)


def _no_markup_from_the_text(html: str) -> None:
    assert not re.search(r"<(script|img|a|iframe|blockquote)\b", html), html
    assert "evil.example" in html and "javascript:alert(3)" in html  # the text is kept, as text
    assert "<script>" not in html and "&lt;script&gt;" in html


def _tables_keep_their_columns(markdown: str) -> None:
    html = _render(markdown)
    for table in re.findall(r"<table>.*?</table>", html, flags=re.S):
        header = len(re.findall(r"<th\b", re.search(r"<thead>.*?</thead>", table, flags=re.S).group()))
        for row in re.findall(r"<tr>(.*?)</tr>", re.search(r"<tbody>.*?</tbody>", table, flags=re.S).group(),
                              flags=re.S):
            assert len(re.findall(r"<td\b", row)) == header, row


def test_escaped_text_renders_as_itself():
    html = _render(md_text(HOSTILE))
    assert html.count("<p>") == 1  # one paragraph: no heading, list or quote
    _no_markup_from_the_text(html)


def test_the_markdown_codebook_escapes_questionnaire_text(tmp_path):
    from survey.exports.writers import to_codebook_markdown

    markdown = to_codebook_markdown(q.load(_hostile_questionnaire(tmp_path))).decode("utf-8")
    html = _render(markdown)
    _no_markup_from_the_text(html)
    assert len(re.findall(r"<h1>", html)) == 1
    assert "<h1>heading" not in html and "<h2>heading" not in html
    _tables_keep_their_columns(markdown)


@pytest.fixture
def hostile_report(tmp_path):
    from click.testing import CliRunner

    from survey.cli import cli

    path = _hostile_questionnaire(tmp_path)
    questionnaire = q.load(path)
    files = []
    for name, awareness, seed in (("2017", 0.4, 1), ("2018", 0.7, 2)):
        files.append(tmp_path / f"{name}.csv")
        synthetic_wave(questionnaire, 120, awareness=awareness, seed=seed).to_csv(files[-1], index=False)
    output = tmp_path / "report.md"
    result = CliRunner().invoke(cli, ["report", "--questionnaire", str(path), "--baseline", str(files[0]),
                                      "--current", str(files[1]), "--by-group", "--min-cell", "1",
                                      "--output", str(output)])
    assert result.exit_code == 0, result.output
    return output.read_text(encoding="utf-8")


def test_the_markdown_report_escapes_questionnaire_text(hostile_report):
    assert "pipe" in hostile_report  # the hostile text is in the report
    html = _render(hostile_report)
    _no_markup_from_the_text(html.replace('<img src="report-', '<chart src="report-'))
    assert "<h1>heading" not in html and "<h2>heading" not in html and "<li>item" not in html
    _tables_keep_their_columns(hostile_report)
