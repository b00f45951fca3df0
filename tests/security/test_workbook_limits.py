"""Issue 21, item 5: workbook limits by what the file holds, never by its <dimension>; refused within 2 s, naming
the limit, for data imports and XLSForms alike, before openpyxl, pandas or pyxform open the file."""

import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from analysis import InputError, read_table
from questionnaires import QuestionnaireError
from questionnaires.workbooks import WorkbookError, check_workbook, column_letters
from questionnaires.xlsform import read_xlsform
from survey.waves.operations import create_wave, store_edition

SHEET = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet '
         'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>{rows}'
         '</sheetData></worksheet>')


def _workbook(path, rows: str, dimension: str = "") -> None:
    """A real workbook (openpyxl's parts) whose first sheet's XML is replaced by `rows` and `dimension`."""
    book = Workbook()
    book.active["A1"] = "x"
    plain = io.BytesIO()
    book.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = SHEET.format(dimension=dimension, rows=rows).encode()
            target.writestr(member.filename, data)


def _row(number: int, *columns: int) -> str:
    cells = "".join(f'<c r="{column_letters(c)}{number}" t="inlineStr"><is><t>v</t></is></c>' for c in columns)
    return f'<row r="{number}">{cells}</row>'


def _refused_quickly(call, error, match):
    started = time.monotonic()
    with pytest.raises(error, match=match):
        call()
    assert time.monotonic() - started < 2


def test_a_small_file_that_reaches_column_xfd_is_refused(tmp_path):
    """The 15 kB data file read as 2,000 x 16,384 cells: its dimension says A1:B2, its cells reach XFD."""
    path = tmp_path / "answers.xlsx"
    _workbook(path, "".join(_row(n, 1, 16384) for n in range(1, 2001)), '<dimension ref="A1:B2"/>')
    assert path.stat().st_size < 20_000
    _refused_quickly(lambda: read_table(path), InputError, r"a cell in column XFD \(16,384\); at most 1,000 columns")


def test_a_sheet_without_a_dimension_is_counted(tmp_path):
    """An XLSForm with no <dimension> and 6,000 rows: refused by its row limit."""
    path = tmp_path / "form.xlsx"
    _workbook(path, "".join(_row(n, 1, 2) for n in range(1, 6001)))
    _refused_quickly(lambda: read_xlsform(path), QuestionnaireError, "a cell in row 5,001; at most 5,000 rows")


def test_a_huge_dimension_declared_honestly_is_refused_by_cells(tmp_path):
    """100,000 rows reaching column ALL (1,000): each limit of rows and columns holds, rows x columns does not."""
    path = tmp_path / "answers.xlsx"
    _workbook(path, "".join(_row(n, 1000) for n in range(1, 100_001)), '<dimension ref="A1:ALL100000"/>')
    _refused_quickly(lambda: read_table(path), InputError, r"at most 5,000,000 cells \(rows × columns\)")


def test_cells_without_references_are_placed_as_a_reader_places_them(tmp_path):
    path = tmp_path / "form.xlsx"
    cells = "".join("<c><v>1</v></c>" for _ in range(250))
    _workbook(path, f"<row>{cells}</row>")
    _refused_quickly(lambda: check_workbook(path, max_rows=10, max_columns=200), WorkbookError,
                     r"a cell in column GS \(201\); at most 200 columns")


def test_a_declared_dimension_alone_refuses_nothing(tmp_path):
    """What the sheet claims is not what it holds: a huge <dimension> over two cells reads."""
    path = tmp_path / "answers.xlsx"
    _workbook(path, _row(1, 1, 2) + _row(2, 1, 2), '<dimension ref="A1:XFD1048576"/>')
    check_workbook(path, max_rows=10, max_columns=10)
    assert read_table(path).shape == (1, 2)


def test_the_import_command_refuses_with_the_limit(tmp_path, app, database_url):
    import questionnaires
    from survey import db
    from tests.conftest import EXAMPLE

    with app.app_context():
        session = db.session()
        create_wave(session, "2016", store_edition(session, questionnaires.load(EXAMPLE)))
        session.commit()
    path = tmp_path / "answers.xlsx"
    _workbook(path, "".join(_row(n, 1, 16384) for n in range(1, 2001)), '<dimension ref="A1:B2"/>')
    started = time.monotonic()
    result = app.test_cli_runner().invoke(args=["import", "2016", str(path)])
    assert time.monotonic() - started < 2
    assert result.exit_code == 1 and "at most 1,000 columns" in result.output and "Traceback" not in result.output
