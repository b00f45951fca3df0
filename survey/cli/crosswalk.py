"""`awareness crosswalk`: how a wave's items match its baseline wave's."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from .common import wave_or_exit


@click.command("crosswalk")
@click.argument("wave_slug", metavar="WAVE")
@click.option("--file", "crosswalk_file", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="YAML: baseline item id -> current item id, or -> {item: ID, codes: {old: new}}.")
@click.option("--confirm", multiple=True, metavar="ITEM", help="Confirm that a changed item is comparable.")
@click.option("--unconfirm", multiple=True, metavar="ITEM", help="Take a confirmation back.")
@with_appcontext
def crosswalk_command(wave_slug, crosswalk_file, confirm, unconfirm) -> None:
    """Show (and set) how the wave's items match its baseline wave's: comparable, changed, new, dropped."""
    from .. import db
    from ..waves import crosswalk, operations, queries

    wave = wave_or_exit(wave_slug)
    if wave.baseline is None:
        raise click.ClickException(f"wave {wave.slug} has no baseline wave")
    session = db.session()
    if crosswalk_file:
        try:
            links = crosswalk.parse_crosswalk(crosswalk_file.read_text(encoding="utf-8"), str(crosswalk_file),
                                              queries.questionnaire_of(wave.baseline.edition),
                                              queries.questionnaire_of(wave.edition))
        except crosswalk.CrosswalkError as error:
            raise click.ClickException("nothing saved:\n" + "\n".join(error.problems)) from None
        except UnicodeDecodeError:
            raise click.ClickException(f"nothing saved: {crosswalk_file} is not UTF-8 text") from None
        operations.save_crosswalk(session, wave, links)
    rows = crosswalk.crosswalk(session, wave)
    known = {row.item for row in rows if row.item}
    for item, comparable in [(i, True) for i in confirm] + [(i, False) for i in unconfirm]:
        if item not in known:
            raise click.ClickException(f"wave {wave.slug} has no item {item!r}")
        operations.confirm_item(session, wave, item, comparable)
    rows = crosswalk.crosswalk(session, wave)
    click.echo(f"wave {wave.slug} ({wave.edition.version}) against baseline {wave.baseline.slug} "
               f"({wave.baseline.edition.version}):")
    for row in rows:
        mapping = f"  codes {row.code_map}" if row.code_map else ""
        click.echo(f"  {row.status:10}  {row.baseline_item or '-':24} -> {row.item or '-'}{mapping}")
