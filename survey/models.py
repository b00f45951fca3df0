"""Database models (SQLAlchemy 2.0, typed). The schema is managed by Alembic (survey/migrations)."""

from __future__ import annotations

import secrets
import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

WAVE_STATUSES = ("draft", "open", "closed")
WAVE_MODES = ("anonymous", "panel")
DISPOSITIONS = ("invited", "started", "completed", "refused", "ineligible", "undeliverable")


class Base(DeclarativeBase):
    pass


class Edition(Base):
    """One edition (version) of a questionnaire, with its definition and fingerprints."""

    __tablename__ = "editions"
    __table_args__ = (UniqueConstraint("questionnaire_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(50))
    definition: Mapped[str] = mapped_column(Text)  # YAML, as written back by questionnaires.to_yaml
    fingerprint: Mapped[str] = mapped_column(String(64))
    item_fingerprints: Mapped[str] = mapped_column(Text)  # JSON: item id -> fingerprint
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Wave(Base):
    """One yearly round of a questionnaire edition."""

    __tablename__ = "waves"
    __table_args__ = (
        CheckConstraint(f"status IN {WAVE_STATUSES}", name="wave_status"),
        CheckConstraint(f"mode IN {WAVE_MODES}", name="wave_mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(50), unique=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id"))
    status: Mapped[str] = mapped_column(String(10), default="draft")
    mode: Mapped[str] = mapped_column(String(10), default="anonymous")
    baseline_wave_id: Mapped[int | None] = mapped_column(ForeignKey("waves.id"))
    open_link: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # When it was last closed (None while not closed): opt-out links expire a set time after (mail/optout.py).
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)

    edition: Mapped[Edition] = relationship()
    baseline: Mapped[Wave | None] = relationship(remote_side=[id])


def _optout_key() -> str:
    return secrets.token_urlsafe(16)


class Invitation(Base):
    """A personal link. The token is stored only as its SHA-256; links e-mailed later are InvitationLinks."""

    __tablename__ = "invitations"
    __table_args__ = (CheckConstraint(f"disposition IN {DISPOSITIONS}", name="invitation_disposition"),
                      Index("ix_invitations_wave_group", "wave_id", "group_code", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    group_code: Mapped[str] = mapped_column(String(50))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(200))
    contact_organisation: Mapped[str | None] = mapped_column(String(200))
    # The stable identifier of a person across years (panel waves); never stored in a response.
    contact_identifier: Mapped[str | None] = mapped_column(String(200))
    disposition: Mapped[str] = mapped_column(String(15), default="invited")
    # Made by a wave's open link rather than sent to a contact: counted apart in the monitoring.
    via_open_link: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Set true exactly once, by the transaction that stores the response.
    completed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # In anonymous waves these are rounded to the day, so that no time links an invitation to a response.
    consented_at: Mapped[datetime | None] = mapped_column(DateTime)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    completed_on: Mapped[date | None] = mapped_column(Date)
    # Whether the respondent ever answered something (set with the draft's own flag): the monitoring's
    # "partial" read from this row alone, so that its tally needs no other table (survey/tallies.py).
    answered: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The percentage of the applicable questions answered in the draft (0-100), for AAPOR's break-off rule:
    # complete, partial or break-off (analysis/aapor.py), read from this row alone for the same reason.
    progress: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Whether a message to the contact bounced (set with the message's bounced_at), for the same reason.
    bounced: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # A random value that the signed opt-out link carries, so that the link shows no sequential id.
    optout_key: Mapped[str | None] = mapped_column(String(32), index=True, unique=True, default=_optout_key)

    wave: Mapped[Wave] = relationship()


class InvitationLink(Base):
    """A link e-mailed for an invitation (its token's SHA-256). Every link of an invitation opens it until it
    completes or its wave closes: a reminder adds a link and voids none, so the link a person kept still works."""

    __tablename__ = "invitation_links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id", ondelete="CASCADE"), index=True)


class Completion(Base):
    """One row per completed invitation; its primary key makes a second response impossible.

    It holds nothing else (no time, no response id), so it links no response to an invitation.
    Without rowid on SQLite, so that not even the physical row order follows the order of submission.
    """

    __tablename__ = "completions"
    __table_args__ = {"sqlite_with_rowid": False}

    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id"), primary_key=True)


class Draft(Base):
    """Answers saved page by page until the response is submitted."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id", ondelete="CASCADE"), unique=True)
    page: Mapped[int] = mapped_column(Integer, default=0)
    answers: Mapped[str] = mapped_column(Text, default="{}")  # JSON: item id -> answer text
    # Whether anything was ever answered: the monitoring's "partial", kept when an anonymous wave's
    # closing erases the answers themselves.
    answered: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    language: Mapped[str | None] = mapped_column(String(10))
    updated_at: Mapped[datetime] = mapped_column(DateTime)


def _new_response_id() -> str:
    # Random, not sequential: an id must not reveal the order of submission.
    return uuid.uuid4().hex


class Response(Base):
    """A submitted questionnaire. In an anonymous wave nothing here refers to the invitation."""

    __tablename__ = "responses"
    # Without rowid on SQLite: the rows are kept in the order of their random ids, not of submission.
    __table_args__ = (UniqueConstraint("wave_id", "panel_key", name="one_response_per_panel_member"),
                      # Finds at once whether a wave has responses stored before records existed (csv_stream).
                      # A wave in the export's order, read without sorting it (on SQLite the index holds every
                      # column the export reads: migration 0010).
                      Index("ix_responses_export_order", "wave_id", "group_code", "id"),
                      Index("ix_responses_without_record", "wave_id", sqlite_where=text("record IS NULL"),
                            postgresql_where=text("record IS NULL")),
                      {"sqlite_with_rowid": False})

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_new_response_id)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id"))
    group_code: Mapped[str] = mapped_column(String(50))
    language: Mapped[str] = mapped_column(String(10))
    submitted_on: Mapped[date] = mapped_column(Date)
    panel_key: Mapped[str | None] = mapped_column(String(64))
    receipt: Mapped[str] = mapped_column(String(20), unique=True)
    # The import that brought this response (None for answers given online): undoing it removes them.
    import_id: Mapped[int | None] = mapped_column(ForeignKey("wave_imports.id", ondelete="CASCADE"), index=True)
    # The same answers as `answers`, as one CSV record in the edition's item order (survey/bulk.py):
    # a wave is then read with one query into the CSV reader, as fast as from a file.
    record: Mapped[str | None] = mapped_column(Text)

    answers: Mapped[list[Answer]] = relationship(cascade="all, delete-orphan")


class Answer(Base):
    """One answer. No sequential id: the key is (response, item), so nothing reveals submission order."""

    __tablename__ = "answers"
    __table_args__ = {"sqlite_with_rowid": False}

    response_id: Mapped[str] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # the answer as text: a code, codes separated by spaces, a number


ROLES = ("admin", "analyst")


class User(Base):
    """A researcher's account: admin (everything) or analyst (read, export, analyse)."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(f"role IN {ROLES}", name="user_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(10), default="analyst")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class LoginAttempt(Base):
    """Failed and successful logins, in the database so that the limit holds across app servers."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(200), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)


class GroupPopulation(Base):
    """How many organisations or people a stakeholder group has: for response rates and weights."""

    __tablename__ = "group_populations"

    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="CASCADE"), primary_key=True)
    group_code: Mapped[str] = mapped_column(String(50), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)


class WaveImport(Base):
    """A file imported into a wave (a baseline from elsewhere), with its SHA-256."""

    __tablename__ = "wave_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(15))  # respondents | counts
    rows: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    imported_by: Mapped[str] = mapped_column(String(200), default="")  # console e-mail, or the system user


class BaselineCount(Base):
    """A published table of counts, for a baseline that exists only as such a table."""

    __tablename__ = "baseline_counts"

    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    code: Mapped[str] = mapped_column(String(100), primary_key=True)
    group_code: Mapped[str] = mapped_column(String(50), primary_key=True)  # "" when the table has no groups
    count: Mapped[int] = mapped_column(Integer)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("wave_imports.id", ondelete="CASCADE"))


class ItemLink(Base):
    """The crosswalk of one item of a wave to its baseline wave: renamed, recoded, confirmed comparable."""

    __tablename__ = "item_links"

    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    baseline_item_id: Mapped[str] = mapped_column(String(100))
    code_map: Mapped[str] = mapped_column(Text, default="{}")  # JSON: baseline code -> current code
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)  # a changed item confirmed comparable


# ---------------------------------------------------------------- e-mail (survey/mail)

MAIL_KINDS = ("invitation", "reminder")
# queued: recorded, not yet handed to the mail server; sending: being handed over (after a crash:
# unconfirmed, never sent again automatically); sent: accepted by the server; failed: refused or
# unreachable after the retries.
OUTBOX_STATUSES = ("queued", "sending", "sent", "failed", "unconfirmed")


class OutboxMessage(Base):
    """One e-mail to one invitation, recorded before it is sent."""

    __tablename__ = "mail_outbox"
    __table_args__ = (
        CheckConstraint(f"kind IN {MAIL_KINDS}", name="mail_outbox_kind"),
        CheckConstraint(f"status IN {OUTBOX_STATUSES}", name="mail_outbox_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(15))
    language: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(15), default="queued", index=True)
    # True when the message told its reader that an earlier message's link works too (one was sent before it).
    replaces_link: Mapped[bool] = mapped_column(Boolean, default=False)
    message_id: Mapped[str | None] = mapped_column(String(250), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    queued_at: Mapped[datetime] = mapped_column(DateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    bounced_at: Mapped[datetime | None] = mapped_column(DateTime)

    invitation: Mapped[Invitation] = relationship()


class MailTemplate(Base):
    """A wave's own wording of one kind of message in one language (else the built-in wording)."""

    __tablename__ = "mail_templates"

    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(15), primary_key=True)
    language: Mapped[str] = mapped_column(String(10), primary_key=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class MailSettings(Base):
    """A wave's answer deadline, shown in messages as {deadline}."""

    __tablename__ = "mail_settings"

    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="CASCADE"), primary_key=True)
    deadline: Mapped[date | None] = mapped_column(Date)


class MailOptOut(Base):
    """A contact who asked, through the link in a message, to receive no more messages."""

    __tablename__ = "mail_opt_outs"

    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id", ondelete="CASCADE"), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)


class AdminSession(Base):
    """A researcher's login, kept on the server so that logout and a password change end it.

    The cookie holds a random token; only its SHA-256 is stored, so a copy of the database opens no session.
    """

    __tablename__ = "admin_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # When a request of this login was last seen, kept to the minute or so (admin/auth.py): the idle timeout.
    last_seen: Mapped[datetime | None] = mapped_column(DateTime)


class WaveTally(Base):
    """One monitoring count of a wave's group, kept by database triggers (survey/tallies.py)."""

    __tablename__ = "wave_tallies"

    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="CASCADE"), primary_key=True)
    group_code: Mapped[str] = mapped_column(String(50), primary_key=True)
    counter: Mapped[str] = mapped_column(String(40), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)
