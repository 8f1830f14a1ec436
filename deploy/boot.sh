#!/bin/sh
# Container entry point: migrate (waiting for PostgreSQL to accept connections), then serve.
# Every app replica runs this; Alembic's version table makes a second upgrade a no-op, and
# PostgreSQL's transactional DDL means a replica racing another one fails cleanly and retries.
set -eu

attempt=1
until flask db upgrade; do
    if [ "$attempt" -ge "${MIGRATE_ATTEMPTS:-30}" ]; then
        echo "boot: database still not ready after $attempt attempts; giving up" >&2
        exit 1
    fi
    echo "boot: migration attempt $attempt failed; retrying in 2 s" >&2
    attempt=$((attempt + 1))
    sleep 2
done

exec gunicorn --config /app/deploy/gunicorn.conf.py "server:create_app()"
