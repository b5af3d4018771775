"""A single-threaded event loop that owns sockets, timers and a thread-safe call queue.

State machines run inside it; other threads hand it work with ``call_soon_threadsafe``.
"""
from __future__ import annotations

import collections
import heapq
import itertools
import logging
import os
import threading
import time
from typing import Any, Callable

import zmq

log = logging.getLogger("pyspk.rpc.EventLoop")


class EventLoop:
    """Polls registered sockets, runs due timers and queued calls, until ``stop``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._poller = zmq.Poller()
        self._handlers: dict[Any, Callable[[], None]] = {}
        self._timers: list[tuple[float, int, Callable[[], None]]] = []
        self._seq = itertools.count()
        self._calls: collections.deque[tuple[Callable[..., None], tuple]] = collections.deque()
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)
        self._poller.register(self._wake_r, zmq.POLLIN)
        self._running = False
        self._stopped = threading.Event()
        self.thread: threading.Thread | None = None

    def add_socket(self, sock: Any, on_readable: Callable[[], None]) -> None:
        self._handlers[sock] = on_readable
        self._poller.register(sock, zmq.POLLIN)

    def remove_socket(self, sock: Any) -> None:
        if self._handlers.pop(sock, None) is not None:
            self._poller.unregister(sock)

    def call_later(self, delay: float, fn: Callable[[], None]) -> None:
        heapq.heappush(self._timers, (time.monotonic() + delay, next(self._seq), fn))

    def call_every(self, period: float, fn: Callable[[], None]) -> None:
        def tick() -> None:
            try:
                fn()
            finally:
                if self._running:
                    self.call_later(period, tick)
        self.call_later(period, tick)

    def call_soon_threadsafe(self, fn: Callable[..., None], *args: Any) -> None:
        self._calls.append((fn, args))
        try:
            os.write(self._wake_w, b"x")
        except (BlockingIOError, OSError):
            pass

    def start_thread(self) -> threading.Thread:
        self.thread = threading.Thread(target=self.run, name=self.name, daemon=True)
        self.thread.start()
        return self.thread

    def in_loop_thread(self) -> bool:
        return self.thread is threading.current_thread()

    def run(self) -> None:
        self._running = True
        if self.thread is None:
            self.thread = threading.current_thread()
        try:
            while self._running:
                timeout = self._next_timeout()
                events = self._poller.poll(timeout)
                for sock, _ in events:
                    if sock == self._wake_r:
                        self._drain_wake()
                        continue
                    handler = self._handlers.get(sock)
                    if handler is not None:
                        self._guard(handler)
                self._run_calls()
                self._run_timers()
        finally:
            self._stopped.set()

    def stop(self) -> None:
        """Ask the loop to end after the current iteration (safe from any thread)."""
        def _halt() -> None:
            self._running = False
        self.call_soon_threadsafe(_halt)

    def join(self, timeout: float | None = None) -> bool:
        return self._stopped.wait(timeout)

    def close(self) -> None:
        for fd in (self._wake_r, self._wake_w):
            try:
                os.close(fd)
            except OSError:
                pass

    def _next_timeout(self) -> int | None:
        if self._calls:
            return 0
        if not self._timers:
            return 1000
        return max(0, int((self._timers[0][0] - time.monotonic()) * 1000) + 1)

    def _drain_wake(self) -> None:
        try:
            while os.read(self._wake_r, 4096):
                pass
        except (BlockingIOError, OSError):
            pass

    def _run_calls(self) -> None:
        for _ in range(len(self._calls)):
            fn, args = self._calls.popleft()
            self._guard(fn, *args)

    def _run_timers(self) -> None:
        now = time.monotonic()
        while self._timers and self._timers[0][0] <= now:
            _, _, fn = heapq.heappop(self._timers)
            self._guard(fn)

    def _guard(self, fn: Callable[..., None], *args: Any) -> None:
        try:
            fn(*args)
        except Exception:
            log.exception("Error in %s event handler %s", self.name, getattr(fn, "__name__", fn))
