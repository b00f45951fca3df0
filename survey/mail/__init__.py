"""E-mail invitations and reminders: the outbox, the wording, SMTP sending, bounces and opt-outs."""
