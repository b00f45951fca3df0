"""Reports reviewers can cite: findings in words, tables, charts, methods and a reproducibility stamp.

HTML, PDF (WeasyPrint), Word (python-docx) and Markdown, in English or Khmer. Like the rest of
`analysis`, this package imports neither flask nor survey.
"""

from .build import build
from .stamp import differences, stamp
from .writers import FORMATS, ReportError, format_of, write

__all__ = ["FORMATS", "ReportError", "build", "differences", "format_of", "stamp", "write"]
