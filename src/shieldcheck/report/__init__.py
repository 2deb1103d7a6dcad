"""Reports: maps and figures drawn from shieldcheck results (needs matplotlib)."""
