"""Authentication and hostile input at the daemons' ports: peers without the secret are refused
(and the refusal logged), garbage frames are dropped, and the daemons keep serving."""
from __future__ import annotations

import logging
import socket
from pathlib import Path

import pytest
import zmq

from pyspk.conf import SparkConf
from pyspk.deploy import master as master_module
from pyspk.deploy.master import Master, is_loopback
from pyspk.protocol import cluster as m
from pyspk.protocol.base import PROTOCOL_VERSION
from pyspk.rpc import sockets
from pyspk.rpc.envelope import encode
from pyspk.rpc.security import Security

from cluster_support import (FAST, Recorder, executor_pids, free_port, get_json, register_app,
                             start_cluster, wait_for, write_props)

pytestmark = pytest.mark.cluster

SECRET = "s3cret-for-tests"
AUTH = {"spark.authenticate": "true", "spark.authenticate.secret": SECRET}


def test_authenticated_cluster_refuses_peers_without_the_secret(procs):
    c = start_cluster(procs, workers=1, props=AUTH)
    # a worker configured without the secret never registers, and the master logs the refusal
    plain = write_props(procs.tmp / "plain.conf", FAST)
    procs.worker(c.url, free_port(), plain, log_name="intruder.log")
    wrong = write_props(procs.tmp / "wrong.conf", {**FAST, "spark.authenticate": "true",
                                                   "spark.authenticate.secret": "not-it"})
    procs.worker(c.url, free_port(), wrong, log_name="intruder2.log")
    wait_for(lambda: procs.log("master.log").count("refused a connection") >= 2 or
             ("refused a connection" in procs.log("master.log") and
              "did not present the shared secret" in procs.log("master.log")),
             what="refusals logged by the master")
    assert c.state()["aliveworkers"] == 1
    # an application with the secret gets executors, which get the secret in their environment
    rec = Recorder()
    client = register_app(c, rec, executor_cores=1, cores_max=1, security=Security.from_secret(SECRET))
    try:
        pid = wait_for(lambda: executor_pids(c), what="an executor").popitem()[1]
        procs.track(pid)
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        assert f"PYSPK_AUTH_SECRET={SECRET}".encode() in environ
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        assert SECRET.encode() not in cmdline
    finally:
        client.stop()


def _garbage() -> list[list[bytes]]:
    header_for = encode(m.WorkerHeartbeat(worker_id="w"))
    return [
        [b"\x00\xff garbage"],
        [PROTOCOL_VERSION],
        [PROTOCOL_VERSION, b"WorkerHeartbeat"],
        [b"PYSPK/0", b"WorkerHeartbeat", header_for[2]],
        [PROTOCOL_VERSION, b"NoSuchOp", b"{}"],
        [PROTOCOL_VERSION, b"LaunchTask", b"{}"],  # an app-plane op on the cluster plane
        [PROTOCOL_VERSION, b"WorkerHeartbeat", b"{not json"],
        [PROTOCOL_VERSION, b"WorkerHeartbeat", b'{"worker_id": 7}'],
        [PROTOCOL_VERSION, b"WorkerHeartbeat", b'{"worker_id": "w", "extra": 1}'],
        [PROTOCOL_VERSION, b"WorkerHeartbeat", header_for[2], b"trailing frame"],
        [PROTOCOL_VERSION, b"\xff\xfe", b"{}"],
        [PROTOCOL_VERSION, b"RegisterWorker", b'{"worker_id": "x", "host": "h", "port": "p",'
                                              b' "cores": 1, "memory_mb": 1, "webui_url": ""}'],
        [PROTOCOL_VERSION, b"RegisterWorker", b"[" * 100000 + b"]" * 100000],
        [PROTOCOL_VERSION, b"KillExecutor", b'{"app_id": "a", "executor_id": "0"}'],
        [b"x" * (5 << 20)],  # over the size bound: the connection is dropped
    ]


def test_garbage_at_master_and_worker_ports_is_dropped_and_daemons_keep_serving(procs):
    c = start_cluster(procs, workers=1)
    worker_port = get_json(c.state()["workers"][0]["webuiaddress"])["id"].rsplit("-", 1)[1]
    ctx = zmq.Context.instance()
    for port in (c.port, int(worker_port)):
        for frames in _garbage():
            s = ctx.socket(zmq.DEALER)
            s.setsockopt(zmq.LINGER, 200)
            s.connect(f"tcp://127.0.0.1:{port}")
            s.send_multipart(frames)
            s.close()
        with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
            raw.sendall(b"GET / HTTP/1.1\r\n\r\n" + bytes(range(256)) * 64)
        with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
            raw.sendall(b"\xff\x00\x00\x00\x00\x00\x00\x00\x01\x7f")  # a ZMTP greeting, truncated
    wait_for(lambda: procs.log("master.log").count("Dropped") >= 8, what="master logged the drops")
    wait_for(lambda: procs.log("worker0.log").count("Dropped") >= 8, what="worker logged the drops")
    # both still serve: a new worker registers, the worker answers a state request
    c.add_worker()
    wait_for(lambda: c.state()["aliveworkers"] == 2, what="registration after the garbage")
    probe = sockets.connect_dealer(f"tcp://127.0.0.1:{worker_port}", None, Security(), 1 << 20)
    try:
        sockets.send(probe, m.RequestWorkerState())
        assert probe.poll(5000), "worker did not answer after the garbage"
        _, reply = sockets.receive(probe, "cluster", router=False)
        assert isinstance(reply, m.WorkerStateResponse) and reply.master_url == c.url
    finally:
        sockets.close(probe)
    assert c.state()["status"] == "ALIVE"


def test_is_loopback():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("10.1.2.3")


def test_master_warns_when_reachable_without_authentication(monkeypatch, caplog):
    monkeypatch.setattr(master_module, "is_loopback", lambda host: False)
    conf = SparkConf(loadDefaults=False)
    with caplog.at_level(logging.WARNING, logger="pyspk.deploy.Master"):
        master = Master(conf, host="127.0.0.1", port=0, webui_port=0).start()
        master.stop()
    assert any("WITHOUT authentication" in r.getMessage() for r in caplog.records)
    with caplog.at_level(logging.WARNING, logger="pyspk.deploy.Master"):
        caplog.clear()
        master = Master(SparkConf(loadDefaults=False).setAll(AUTH.items()), host="127.0.0.1",
                        port=0, webui_port=0).start()
        master.stop()
    assert not any("WITHOUT authentication" in r.getMessage() for r in caplog.records)
