"""Chat assistant for Latvian schools and families (individual support plans, LV/RU)."""

__version__ = "0.1.0"
