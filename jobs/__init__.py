"""APScheduler wiring and the thin job functions it runs (the database is the queue)."""
