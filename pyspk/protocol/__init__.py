"""Wire messages: frozen, keyword-only dataclasses, one module per plane.

``cluster`` holds what masters, workers and application clients say to each other (never
unpickled); ``app`` what drivers and executors say (task payloads travel as opaque bytes).
"""
from pyspk.protocol.base import Message, PROTOCOL_VERSION, message_class

__all__ = ["Message", "PROTOCOL_VERSION", "message_class"]
