"""Ways of getting executor processes: local (spawned by the driver) and standalone (a master)."""
