"""Channels: translate transport updates into core events and render core replies back."""
