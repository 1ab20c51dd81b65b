"""Repositories: query and add within the caller's transaction; they never commit."""
