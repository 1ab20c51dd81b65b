"""Transport-free conversation core: events in, replies and a new cursor out."""
