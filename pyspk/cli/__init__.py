"""Command-line front ends: ``spark-submit`` (:mod:`pyspk.cli.submit`) and ``pyspk-shell``
(:mod:`pyspk.cli.shell`), sharing their flags through :mod:`pyspk.cli.options`."""
