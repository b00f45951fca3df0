"""E-mail invitations and reminders: the outbox, the wording, SMTP sending, bounces and opt-outs (every write in
operations.py, reads in queries.py)."""
