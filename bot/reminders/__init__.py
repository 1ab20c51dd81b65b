"""Reminders: rules that turn plan dates into due reminders, and the worker that sends them."""
