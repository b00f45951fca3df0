"""Exports of a wave's responses: the format registry, the writers and the streamed CSV."""
