"""`footnote user`: who may use a served Footnote, kept in the users file (ui/auth.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from rag.settings import get_settings


@click.group()
def user() -> None:
    """Manage who may use a served Footnote (the users file FOOTNOTE_AUTH_FILE names)."""


def _users_file(path: Path | None) -> Path:
    chosen = path or get_settings().auth_file
    if chosen is None:
        raise click.UsageError("name the users file: set FOOTNOTE_AUTH_FILE or pass --file")
    return chosen


_USERS_FILE_OPTION = click.option(
    "--file",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Users file (.toml or .json; default: FOOTNOTE_AUTH_FILE).",
)


@user.command(name="add")
@click.argument("name")
@click.option(
    "--role", type=click.Choice(["reader", "manager"]), default="reader", show_default=True
)
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin's first line.")
@click.option("--replace", is_flag=True, help="Reset an existing user's password, role and token.")
@_USERS_FILE_OPTION
def user_add(name: str, role: str, password_stdin: bool, replace: bool, path: Path | None) -> None:
    """Add user NAME (readers ask; managers also add and delete documents) and print their API
    token, which is shown only this once."""
    from ui.users import add_user

    users_file = _users_file(path)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    token = add_user(users_file, name, role, password, replace=replace)  # type: ignore[arg-type]
    click.echo(f"{role} {name!r} saved in {users_file}", err=True)
    click.echo("API token (shown once; send it as `Authorization: Bearer <token>`):", err=True)
    click.echo(token)


@user.command(name="remove")
@click.argument("name")
@_USERS_FILE_OPTION
def user_remove(name: str, path: Path | None) -> None:
    """Remove user NAME: their login and token stop working."""
    from ui.users import remove_user

    users_file = _users_file(path)
    remove_user(users_file, name)
    click.echo(f"removed {name!r} from {users_file}")


@user.command(name="list")
@_USERS_FILE_OPTION
def user_list(path: Path | None) -> None:
    """List the users and their roles."""
    from ui.users import read_users

    for account in read_users(_users_file(path)).values():
        click.echo(f"{account.name}  {account.role}")
