"""The stages a command runs: :mod:`.extract`, :mod:`.build` (with :mod:`.localize`, its
pure core, and :mod:`.build_record`), :mod:`.status` and :mod:`.report`, :mod:`.init`."""
