"""Console sending on the task queue: the web process only queues a job; `awareness worker` sends it, once."""

import io
import os
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path

import pytest

from survey.models import OutboxMessage

from ..conftest import post
from .conftest import CONTACTS, SENDER, log_in_admin, rows

REDIS = "redis://127.0.0.1:6379/11"


@pytest.fixture
def queue(mail_app):
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        Redis.from_url(REDIS).ping()
    except RedisError:
        pytest.skip("needs Redis at 127.0.0.1:6379")
    name = f"test-{uuid.uuid4().hex[:8]}"
    mail_app.config.update(MAIL_QUEUE_URL=REDIS, MAIL_QUEUE_NAME=name)
    _deadline(mail_app)
    yield name
    Redis.from_url(REDIS).delete(f"rq:queue:{name}")


def _deadline(app):
    from survey import db
    from survey.mail.operations import save_deadline
    from survey.waves import queries

    with app.app_context():
        save_deadline(db.session(), queries.wave_by_slug(db.session(), "2025"), date(2099, 3, 31))


def _worker(mail_app, smtp_server, tmp_path, *options):
    env = {**os.environ, "AWARENESS_INSTANCE_PATH": str(tmp_path / "instance"),
           "AWARENESS_DATABASE_URL": mail_app.config["DATABASE_URL"], "AWARENESS_SECRET_KEY": "test",
           "AWARENESS_BASE_URL": "http://survey.test", "AWARENESS_SMTP_URL": smtp_server.url,
           "AWARENESS_MAIL_FROM": SENDER, "AWARENESS_MAIL_PER_MINUTE": "10000",
           "AWARENESS_MAIL_QUEUE_URL": mail_app.config.get("MAIL_QUEUE_URL") or "",
           "AWARENESS_MAIL_QUEUE_NAME": mail_app.config.get("MAIL_QUEUE_NAME") or ""}
    return subprocess.run([str(Path(sys.executable).parent / "awareness"), "worker", *options], env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_console_queues_a_job_that_the_worker_sends(mail_app, smtp_server, queue, tmp_path):
    from survey.mail import background

    client = log_in_admin(mail_app)
    response = post(client, "/admin/waves/2025/mail/send",
                    {"what": "invite", "file": (io.BytesIO(CONTACTS.encode()), "contacts.csv")},
                    token_from="/admin/waves/2025/mail")
    assert response.status_code == 302
    page = client.get("/admin/waves/2025/mail").get_data(as_text=True)
    assert "Sending has started by the worker" in page and "it goes on if this\nweb server stops" in page
    assert not any(background.is_sending(wave_id) for wave_id in range(1, 5))  # no thread in this process
    assert smtp_server.messages == [] and {r.status for r in rows(mail_app, OutboxMessage)} == {"queued"}
    done = _worker(mail_app, smtp_server, tmp_path, "--burst")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(m["X-Envelope-To"] for m in smtp_server.messages) == ["ann@union.test", "anon@union.test",
                                                                         "sokha@ministry.test"]
    assert {r.status for r in rows(mail_app, OutboxMessage)} == {"sent"}


def test_a_worker_that_starts_resumes_queued_mail(mail_app, smtp_server, queue, tmp_path):
    from survey import db
    from survey.invitations.operations import Contact
    from survey.mail import operations
    from survey.waves import queries

    with mail_app.app_context():
        session = db.session()
        operations.queue_new_contacts(session, queries.wave_by_slug(session, "2025"),
                                  [(Contact(group="workers", email="a@x.test"), "en")])
    done = _worker(mail_app, smtp_server, tmp_path, "--burst")  # no job on the queue: the worker finds the wave
    assert done.returncode == 0 and "resuming the queued e-mail of 1 wave" in done.stderr, done.stderr
    assert [m["X-Envelope-To"] for m in smtp_server.messages] == ["a@x.test"]


def test_the_worker_and_the_console_say_what_is_wrong_with_the_queue(mail_app, smtp_server):
    # The command in this process (the two tests above run the worker's own process): what it says, its exit
    # status, and that no exception got out of it (a SystemExit of 1 is click's error exit; anything else, the
    # process would have shown as a traceback).
    missing = mail_app.test_cli_runner().invoke(args=["worker"])
    assert missing.exit_code == 1 and "set AWARENESS_MAIL_QUEUE_URL" in missing.stderr
    assert type(missing.exception) is SystemExit, missing.exception
    mail_app.config.update(MAIL_QUEUE_URL="redis://:secret-pw@127.0.0.1:1/0")
    down = mail_app.test_cli_runner().invoke(args=["worker"])
    assert down.exit_code == 1 and "cannot use the queue at redis://127.0.0.1:1/0" in down.stderr
    assert type(down.exception) is SystemExit, down.exception
    assert "Traceback" not in down.output and "secret-pw" not in down.output
    _deadline(mail_app)
    client = log_in_admin(mail_app)
    response = post(client, "/admin/waves/2025/mail/send", {"what": "invite"}, token_from="/admin/waves/2025/mail")
    assert response.status_code == 302
    page = client.get("/admin/waves/2025/mail").get_data(as_text=True)
    assert "the queue (Redis) cannot be reached" in page
