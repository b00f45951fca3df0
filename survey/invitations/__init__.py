"""Invitations: contacts, personal tokens and links, dispositions."""
