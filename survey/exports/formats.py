"""The export formats: one registry that the command line (`awareness export --format`) and the console
(its download links) read. To add a format, add one `ExportFormat` here and its writer to `writers.py`.

No pandas here (the writers are imported when a file is written): `--help` and the console's pages list the
formats without loading the analysis' libraries.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module


@dataclass(frozen=True)
class ExportFormat:
    name: str  # as `--format` and the console's URL give it
    extension: str
    mimetype: str
    binary: bool  # cannot be written to a terminal: `--output FILE` needed
    categorical: bool  # the writer takes item columns as pandas categoricals (value labels, in little memory)
    writer: str  # "module:function" in survey.exports, called as function(questionnaire, frame)
    help: str  # one phrase for `awareness export --help`
    describes_study: bool = False  # the writer also takes the wave's `ddi.Study` (mode, fieldwork dates)

    def write(self, questionnaire, frame, study=None) -> bytes:
        module, function = self.writer.split(":")
        writer = getattr(import_module(f"survey.exports.{module}"), function)
        return writer(questionnaire, frame, study) if self.describes_study else writer(questionnaire, frame)

    def filename(self, questionnaire_id: str, wave_slug: str) -> str:
        labels = "-labels" if self.name == "csv-labels" else ""
        return f"{questionnaire_id}-{wave_slug}{labels}.{self.extension}"


_ALL = (
    ExportFormat("csv", "csv", "text/csv", False, False, "writers:to_csv", "codes (the interchange format)"),
    ExportFormat("csv-labels", "csv", "text/csv", False, False, "writers:to_csv_labels", "labels"),
    ExportFormat("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", True, False,
                 "writers:to_xlsx", "data, labels, codebook"),
    ExportFormat("sav", "sav", "application/x-spss-sav", True, True, "writers:to_sav", "SPSS"),
    ExportFormat("dta", "dta", "application/x-stata-dta", True, True, "writers:to_dta", "Stata"),
    ExportFormat("codebook", "md", "text/markdown", False, False, "writers:to_codebook_markdown", "Markdown"),
    ExportFormat("codebook-html", "html", "text/html", False, False, "writers:to_codebook_html",
                 "the codebook as a web page"),
    ExportFormat("ddi", "xml", "application/xml", False, False, "ddi:to_ddi",
                 "DDI Codebook 2.5 XML, for a data archive such as a NADA catalogue", describes_study=True),
)
FORMATS: dict[str, ExportFormat] = {export_format.name: export_format for export_format in _ALL}
NAMES = tuple(FORMATS)
