"""`awareness report` and `awareness verify` on files: HTML in a browser, PDF, DOCX and Markdown, English and Khmer."""

import json
import re
from importlib import resources
from pathlib import Path

import pytest

from ..conftest import CHROMIUM

LMP = resources.files("questionnaires") / "library" / "lmp-stakeholder-review.yaml"
KHMER = re.compile("[\u1780-\u17ff]")


@pytest.fixture(scope="module")
def files(synthetic_files):
    return synthetic_files


def data_args(files):
    return ["--questionnaire", str(LMP), "--baseline", str(files[0]), "--current", str(files[1])]


class Reports(dict):
    """reports[language, extension]: the report in that format and language, written by the command on first
    use and kept for the module (the slow part: PDF). Written on demand, not all six up front: when a module's
    tests are split over two workers, each writes only the formats its own tests read."""

    def __init__(self, files, folder: Path):
        super().__init__()
        self.files, self.folder = files, folder

    def __missing__(self, key):
        from click.testing import CliRunner

        from survey.cli import cli

        language, extension = key
        path = self.folder / f"{language}-{extension}" / f"report-{language}.{extension}"
        path.parent.mkdir(exist_ok=True)  # a folder each: the JSON beside a report (and its PNGs) is that run's own
        result = CliRunner().invoke(cli, ["report", *data_args(self.files), "--by-group", "--lang", language,
                                          "--min-cell", "5", "--output", str(path)])
        assert result.exit_code == 0, result.output
        self[key] = path
        return path


@pytest.fixture(scope="module")
def reports(files, tmp_path_factory):
    """Each format in each language the tests read, written once by the command (see Reports)."""
    return Reports(files, tmp_path_factory.mktemp("reports"))


def test_json_beside_the_report_carries_the_stamp(reports, files):
    data = json.loads(reports["en", "html"].with_suffix(".json").read_text())
    stamp = data["stamp"]
    assert stamp["questionnaire"]["id"] == "lmp-stakeholder-review" and len(stamp["questionnaire"]["file_sha256"]) == 64
    import hashlib

    assert stamp["data"]["baseline"]["sha256"] == hashlib.sha256(files[0].read_bytes()).hexdigest()
    assert stamp["settings"]["by_group"] is True and stamp["settings"]["min_cell"] == 5
    assert stamp["settings"]["language"] == "en" and stamp["software"]["matplotlib"]
    # The researcher's JSON is never suppressed: small cells keep their numbers.
    assert all(r["baseline"]["estimate"] is not None for r in data["results"] if 0 < r["baseline"]["n"] < 5)


def test_verify_passes_on_the_same_data_and_fails_on_altered_data(reports, files, tmp_path):
    from click.testing import CliRunner

    from survey.cli import cli

    runner = CliRunner()
    report_json = str(reports["en", "html"].with_suffix(".json"))
    same = runner.invoke(cli, ["verify", report_json, *data_args(files)])
    assert same.exit_code == 0, same.output
    assert "verified" in same.output
    altered = tmp_path / "2018.csv"
    lines = files[1].read_text().splitlines()
    header = lines[0].split(",")
    column = header.index("heard_policy")
    for index, line in enumerate(lines[1:], start=1):
        cells = line.split(",")
        # "no" to "yes": questions asked only of those who heard stay blank, which is allowed
        # (the other way round, their answers would be refused as answers to questions not asked).
        if cells[column] == "no":
            cells[column] = "yes"
            lines[index] = ",".join(cells)
            break
    altered.write_text("\n".join(lines) + "\n")
    changed = runner.invoke(cli, ["verify", report_json, "--questionnaire", str(LMP), "--baseline", str(files[0]),
                                  "--current", str(altered)])
    assert changed.exit_code == 1
    assert "current data" in changed.output and "SHA-256" in changed.output
    assert re.search(r"heard_policy \(all, independent\) current\.estimate: report [\d.]+, recomputed", changed.output)


def test_verify_checks_what_the_comparison_found_besides_its_rows(reports, files, tmp_path):
    from click.testing import CliRunner

    from survey.cli import cli

    data = json.loads(reports["en", "html"].with_suffix(".json").read_text())
    assert isinstance(data["mix_changed"], bool) and data["wording_changed"] == [] and data["mix_test"]["df"] >= 1
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data | {"mix_changed": not data["mix_changed"], "wording_changed": ["heard_policy"],
                                           "mix_test": data["mix_test"] | {"p_value": 0.5}}))
    result = CliRunner().invoke(cli, ["verify", str(tampered), *data_args(files)])
    assert result.exit_code == 1
    assert f"mix_changed: report {not data['mix_changed']}, recomputed {data['mix_changed']}" in result.output
    assert "wording_changed: report ['heard_policy'], recomputed []" in result.output
    assert "mix_test: report {" in result.output and "'p_value': 0.5" in result.output
    older = tmp_path / "older.json"  # a report made before the comparison carried these fields
    older.write_text(json.dumps({key: value for key, value in data.items()
                                 if key not in ("mix_changed", "mix_test", "wording_changed")}))
    assert CliRunner().invoke(cli, ["verify", str(older), *data_args(files)]).exit_code == 0


def test_verify_refuses_a_file_without_a_stamp(tmp_path, files):
    from click.testing import CliRunner

    from survey.cli import cli

    plain = tmp_path / "plain.json"
    plain.write_text('{"results": []}')
    result = CliRunner().invoke(cli, ["verify", str(plain), *data_args(files)])
    assert result.exit_code == 1 and "no reproducibility stamp" in result.output
    bad = CliRunner().invoke(cli, ["report", *data_args(files), "--output", str(tmp_path / "r.txt")])
    assert bad.exit_code == 2 and "use one of .html" in bad.output


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
@pytest.mark.parametrize("language", ["en", "km"])
def test_html_shows_its_charts_in_a_browser(reports, language, browser, tmp_path):
    """In Debian's chromium (tests/conftest.py's `browser`: launched once for the module's two languages)."""
    html = reports[language, "html"].read_text()
    # Self-contained: no script, nothing fetched from elsewhere (SVG namespaces are not fetches).
    assert "<script" not in html and 'src="http' not in html and "@import" not in html
    for width in (360, 1280):
        page = browser.new_page(viewport={"width": width, "height": 900})
        try:
            page.goto(reports[language, "html"].as_uri())
            charts = page.locator("figure table.chart")  # names beside each row's SVG
            assert charts.count() >= 8
            box = charts.first.bounding_box()
            assert box["width"] > 200 and box["height"] > 80
            assert box["width"] <= width  # no chart wider than a phone's screen
            # The page never scrolls sideways: wide tables scroll inside their own box.
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            if language == "km":
                assert page.evaluate("document.fonts.check('16px \"Noto Sans Khmer\"', 'ក')")
                assert KHMER.search(page.locator("#findings .finding").first.inner_text())
            if width == 360:  # the phone's, checked below (the desktop's was written and never read)
                page.screenshot(path=str(tmp_path / f"report-{language}-{width}.png"), full_page=False)
        finally:
            page.close()
    assert (tmp_path / f"report-{language}-360.png").stat().st_size > 10_000


def test_pdf_pages_hold_extractable_khmer_text(reports):
    from pypdf import PdfReader

    reader = PdfReader(reports["km", "pdf"])
    assert len(reader.pages) >= 3
    text = "".join(page.extract_text() for page in reader.pages)
    assert len(KHMER.findall(text)) > 500 and "χ²(១, N =" in text  # Khmer digits in a Khmer report
    fonts = {str(font.get("/BaseFont")) for page in reader.pages
             for font in (page["/Resources"].get("/Font") or {}).values() for font in [font.get_object()]}
    assert any("Noto-Sans-Khmer" in name for name in fonts)  # embedded: no system Khmer font needed


def test_docx_holds_tables_and_editable_sentences(reports):
    from docx import Document

    for language in ("en", "km"):
        document = Document(reports[language, "docx"])
        assert len(document.tables) >= 8
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        texts = [paragraph.text for paragraph in document.paragraphs]
        if language == "en":
            assert "Have you heard of the national Labour Migration Policy?" in cells
            assert any(t.startswith("The share of stakeholders who answered “Yes”") for t in texts)
        else:
            assert any(KHMER.search(t) and "χ²" in t for t in texts)
        assert document.inline_shapes  # the charts, as pictures


def test_markdown_with_png_charts_beside_it(reports):
    text = reports["en", "md"].read_text()
    images = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", text)
    assert len(images) >= 8
    for name in images:
        assert (reports["en", "md"].parent / name).read_bytes()[:4] == b"\x89PNG"
    assert "| Question | Group |" in text and "## Methods" in text


def test_pdf_without_weasyprint_says_what_is_missing(files, tmp_path, monkeypatch):
    import sys

    from click.testing import CliRunner

    from survey.cli import cli

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if Pango (or WeasyPrint) could not load
    result = CliRunner().invoke(cli, ["report", *data_args(files), "--output", str(tmp_path / "r.pdf")])
    assert result.exit_code == 1 and "PDF needs the Pango library" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "r.pdf").exists()
    assert not (tmp_path / "r.json").exists()  # nothing written


def test_verify_of_a_report_on_files_says_which_options_it_needs(reports):
    from click.testing import CliRunner

    from survey.cli import cli

    result = CliRunner().invoke(cli, ["verify", str(reports["en", "html"].with_suffix(".json"))])
    assert result.exit_code == 2
    assert "compared files" in result.output and "2017.csv" in result.output
    assert "--questionnaire FILE --baseline FILE --current FILE" in result.output


@pytest.mark.parametrize("value", ["abc", "0", "2.5"])
def test_min_cell_must_be_a_whole_number_of_at_least_1(files, tmp_path, value):
    from click.testing import CliRunner

    from survey.cli import cli

    result = CliRunner().invoke(cli, ["report", *data_args(files), "--min-cell", value,
                                      "--output", str(tmp_path / "r.html")])
    assert result.exit_code == 2 and "is not a whole number of at least 1" in result.output
    assert "integer range" not in result.output and not (tmp_path / "r.html").exists()
