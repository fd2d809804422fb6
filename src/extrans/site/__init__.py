"""A Hugo site as extrans sees it: its settings (:mod:`.config`), its source pages
(:mod:`.pages`), which of them changed (:mod:`.survey`, :mod:`.cache`)."""
