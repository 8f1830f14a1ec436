"""The wire contract: code lists and marshmallow schemas shared by the server, sync and tests."""
