"""ZeroMQ transport: message envelopes, secured sockets and the event loop that owns them."""
