"""Settings: base.py reads the environment; dev, test and prod only switch a few defaults."""
