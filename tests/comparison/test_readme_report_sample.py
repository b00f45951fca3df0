"""The README's sample report is what the demo's report says: the headline findings, word for word, so that the
sample cannot go stale (issue 23: the demo stores population sizes, so its report leads weighted)."""

import re
from pathlib import Path

README = Path(__file__).parents[2] / "README.md"
COMMAND = ["report", "--baseline-wave", "2017", "--current-wave", "2018"]


def _paragraphs(text: str) -> list[str]:
    """The paragraphs of a text, each with its lines joined and its spaces made single."""
    return [" ".join(part.split()) for part in re.split(r"\n\s*\n", text) if part.strip()]


def _headline_section(markdown: str) -> list[str]:
    """The paragraphs under "## Headline findings" of a Markdown report, its escapes undone."""
    text = re.sub(r"\\(.)", r"\1", markdown)
    return _paragraphs(text.split("## Headline findings\n", 1)[1].split("\n## ", 1)[0])


def test_readme_headline_findings_are_those_of_the_demos_report(demo, runner, database_url, tmp_path):
    output = tmp_path / "report.md"
    made = runner.invoke(args=[*COMMAND, "--output", str(output)])
    assert made.exit_code == 0, made.output
    readme = README.read_text(encoding="utf-8")
    assert "`awareness report --baseline-wave 2017\n--current-wave 2018 --output report.md`" in readme
    shown = readme.split("```\n## Headline findings\n", 1)[1].split("```", 1)[0]
    report = _headline_section(output.read_text(encoding="utf-8"))
    assert _paragraphs(shown) == report  # every paragraph, in order, none left out
    assert "those stored with wave 2018" in report[0] and "z = " in report[1]  # weighted by default

    unweighted = tmp_path / "unweighted.md"
    made = runner.invoke(args=[*COMMAND, "--unweighted", "--output", str(unweighted)])
    assert made.exit_code == 0, made.output
    quoted = " ".join(readme.split("the same report compares the two waves as independent samples and says so "
                                   "(\"", 1)[1].split("\")", 1)[0].split())
    lead = _headline_section(unweighted.read_text(encoding="utf-8"))[0]
    assert quoted in lead and "stored with wave" not in lead
