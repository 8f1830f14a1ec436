"""The domain engine: push/pull, merge into provision maps and passports, MIS roster and export.

It uses the models and an SQLAlchemy session and knows nothing of Flask requests."""
