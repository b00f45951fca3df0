"""Responses: consent, drafts, submission, stored records, bulk writes, imports, reading stored responses."""
