"""Sending on a task queue (RQ on the platform's Redis), so that it outlives the web process that started it.

The console puts a job "send wave N" on the queue named by AWARENESS_MAIL_QUEUE_URL and answers at once;
`awareness worker` (run by the service manager, one or more) takes the job and sends. A web process killed
right after loses nothing: the job is in Redis and the messages are in the outbox. Each message is sent
once however many workers run, because each is claimed by a conditional UPDATE that one run alone can win
(operations.claim). Without a queue URL, sending runs in a thread of the web process (background.py): the
embedded default, for `awareness demo` and a single small server.
"""

from __future__ import annotations

import logging

from flask import Flask

QUEUE_NAME = "awareness-mail"
JOB_TIMEOUT = 24 * 3600  # a wave of 10,000 at 60 a minute takes under three hours
log = logging.getLogger("awareness.mail")


def queue_url(app: Flask) -> str | None:
    return app.config.get("MAIL_QUEUE_URL") or None


def _queue(url: str, name: str):
    from redis import Redis
    from rq import Queue

    return Queue(name, connection=Redis.from_url(url))


def enqueue(app: Flask, wave_id: int) -> None:
    """Put "send the wave's queued messages" on the queue (redis errors reach the caller)."""
    _queue(queue_url(app), app.config.get("MAIL_QUEUE_NAME", QUEUE_NAME)).enqueue(
        send_wave, wave_id, job_timeout=JOB_TIMEOUT, description=f"send the queued e-mail of wave {wave_id}")


def send_wave(wave_id: int) -> str:
    """The job: send what is queued for the wave, in an application configured as every command is."""
    from .. import database_app, db
    from ..models import Wave
    from .send import send_queued
    from .smtp import MailConfigError

    app = database_app()
    try:
        with app.app_context():
            wave = db.session().get(Wave, wave_id)
            if wave is None:
                return f"wave {wave_id} no longer exists"
            try:
                report = send_queued(db.session(), wave)
            except MailConfigError as error:
                # The messages stay queued; `mail status` and the console show them waiting.
                log.error("mail for wave %s stopped: %s", wave.slug, error)
                return f"stopped: {error}"
            return f"wave {wave.slug}: {report.sent} sent, {len(report.failed)} failed"
    finally:
        app.extensions["awareness.engine"].dispose()


def waves_with_queued_mail(app: Flask) -> list[int]:
    """Open waves with messages waiting: a worker that starts resumes them (a worker killed mid-job, say)."""
    from sqlalchemy import select

    from .. import db
    from ..models import Invitation, OutboxMessage, Wave

    with app.app_context():
        return list(db.session().scalars(
            select(Wave.id).where(Wave.status == "open", Wave.id.in_(
                select(Invitation.wave_id).join(OutboxMessage, OutboxMessage.invitation_id == Invitation.id)
                .where(OutboxMessage.status == "queued"))).order_by(Wave.id)))


# How long the worker's listener for RQ's commands (shutdown, stop a job) may sleep between two looks. RQ
# starts it with 60 s; since redis-py 8.2, stopping it waits for that sleep to end, so a worker whose work
# was done (`--burst`, or Ctrl-C) lingered up to a minute before it exited. A tenth of a second: a burst worker
# that unsubscribes while the listener has just gone back to sleep exits within it, not up to a second later (waking
# costs a select() on the listener's socket, nothing on Redis).
LISTENER_WAKE_SECONDS = 0.1


def worker(url: str, name: str):
    """An RQ worker on the queue `name` at `url` whose command listener wakes every LISTENER_WAKE_SECONDS."""
    from redis import Redis
    from rq import Queue, Worker

    class MailWorker(Worker):
        def subscribe(self):
            # RQ's own subscribe, but for the sleep: a stop then waits at most LISTENER_WAKE_SECONDS.
            self.pubsub = self.connection.pubsub()
            self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
            self.pubsub_thread = self.pubsub.run_in_thread(
                sleep_time=LISTENER_WAKE_SECONDS, daemon=True, exception_handler=self._pubsub_exception_handler)

    connection = Redis.from_url(url)
    return MailWorker([Queue(name, connection=connection)], connection=connection)
