"""Plumbing that knows nothing of Hugo or gettext: files written whole and kept inside the
site (:mod:`.fsio`), work spread over processes (:mod:`.parallel`)."""
