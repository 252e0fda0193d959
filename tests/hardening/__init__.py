"""Hardening tests (issue 9): logins, sessions, headers, audit trail, backups, faults."""
