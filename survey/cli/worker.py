"""`awareness worker`: the process that sends e-mail started from the console (RQ on Redis)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty (instead of waiting for more).")
@with_appcontext
def worker_command(burst) -> None:
    """Send the e-mail that the console queues (AWARENESS_MAIL_QUEUE_URL); run it under the service manager."""
    from flask import current_app
    from redis.exceptions import RedisError

    from ..mail import jobs

    url = jobs.queue_url(current_app)
    if not url:
        raise click.ClickException("no queue to work on: set AWARENESS_MAIL_QUEUE_URL (e.g. "
                                   "redis://127.0.0.1:6379/0) here and for the web servers (docs/deploy.md)")
    name = current_app.config.get("MAIL_QUEUE_NAME", jobs.QUEUE_NAME)
    try:
        mail_worker = jobs.worker(url, name)
        mail_worker.connection.ping()
        resumed = jobs.waves_with_queued_mail(current_app._get_current_object())
        for wave_id in resumed:
            jobs.enqueue(current_app, wave_id)
        if resumed:
            click.echo(f"resuming the queued e-mail of {len(resumed)} wave(s)", err=True)
        if not burst:
            click.echo(f"waiting for e-mail to send on queue {name} of {_without_password(url)} (Ctrl-C stops)",
                       err=True)
        mail_worker.work(burst=burst, logging_level="WARNING")
    except RedisError as error:
        raise click.ClickException(f"cannot use the queue at {_without_password(url)}: {error}") from None


def _without_password(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts._replace(netloc=parts.hostname + (f":{parts.port}" if parts.port else "")).geturl() \
        if parts.password else url
