"""Application layer: runs the core against storage, one unit of work per event."""
