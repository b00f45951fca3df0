"""`awareness create-admin`: researchers' accounts."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext


@click.command("create-admin")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--role", type=click.Choice(["admin", "analyst"]), default="admin", show_default=True)
@click.option("--reset", is_flag=True, help="Set a new password for an existing account (its role is kept).")
@with_appcontext
def create_admin_command(email: str, password_stdin: bool, role: str, reset: bool) -> None:
    """Create a researcher's account, or --reset its password (asked for, or read from stdin)."""
    from werkzeug.security import generate_password_hash

    from .. import db
    from ..accounts.operations import change_password, create_user
    from ..db import OperationError
    from .common import database_or_exit

    database_or_exit()
    email = email.strip().lower()
    if "@" not in email or " " in email:
        raise click.ClickException(f"{email!r} is not an e-mail address")
    password = _read_password(password_stdin)
    try:
        if reset:
            change_password(db.session(), email, generate_password_hash(password))
        else:
            create_user(db.session(), email, generate_password_hash(password), role)
    except OperationError as error:
        raise click.ClickException(str(error) + ("" if reset else f" (new password: awareness create-admin {email} "
                                                                  "--reset)")) from None
    click.echo(f"new password set for {email}" if reset else f"created {role} account {email}")


def _read_password(from_stdin: bool) -> str:
    """The new password, from stdin or asked twice; at least 10 characters."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 10:
        raise click.ClickException("the password must have at least 10 characters")
    return password


@click.command("set-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def set_password_command(email: str, password_stdin: bool) -> None:
    """Change a researcher's password; every login of that account ends."""
    from werkzeug.security import generate_password_hash

    from .. import db
    from ..accounts.operations import change_password
    from ..db import OperationError

    email = email.strip().lower()
    password = _read_password(password_stdin)
    try:
        ended = change_password(db.session(), email, generate_password_hash(password))
    except OperationError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"password of {email} changed; {ended} login(s) ended")
