"""The Khmer font that comes with the Python dependencies (Noto Sans Khmer), for charts, HTML and PDF."""

from __future__ import annotations

import base64
from functools import cache
from importlib import resources

FAMILY = "Noto Sans Khmer"


@cache
def font_path() -> str:
    """The packaged Noto Sans Khmer (a variable font, every weight in one file)."""
    files = resources.files("fontpkg_noto_sans_khmer") / "files"
    return str(next(path for path in files.iterdir() if path.name.endswith(".ttf")))


@cache
def register() -> None:
    """Make the font known to matplotlib (its name goes into the SVGs; the browser draws it)."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(font_path())


@cache
def font_face_css() -> str:
    """An @font-face rule with the whole font inline, so Khmer renders on a machine without it."""
    with open(font_path(), "rb") as file:
        data = base64.b64encode(file.read()).decode("ascii")
    return (f"@font-face {{ font-family: '{FAMILY}'; font-weight: 100 900; "
            f"src: url(data:font/ttf;base64,{data}) format('truetype'); }}")
