"""An acknowledged write survives kill -9 of the server, under concurrent writes."""
import threading
import time

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError


def test_acknowledged_writes_survive_sigkill(make_server):
    s = make_server()
    acknowledged = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(n):
        sts = s.client("sts")
        i = 0
        while not stop.is_set():
            try:
                out = sts.assume_role(RoleArn=f"arn:aws:iam::{111111111111 + n}:role/w{n}",
                                      RoleSessionName=f"s{i}")
            except Exception:
                return  # the server is gone
            with lock:
                acknowledged.append((n, i, out["Credentials"], out["AssumedRoleUser"]["Arn"]))
            i += 1

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    deadline = time.time() + 20
    while len(acknowledged) < 60 and time.time() < deadline:
        time.sleep(0.05)
    s.kill()  # SIGKILL while the writers are still writing
    stop.set()
    for t in threads:
        t.join()
    assert len(acknowledged) >= 60

    s.start()  # same data directory
    for n, i, creds, arn in acknowledged:
        session = s.client("sts", access_key=creds["AccessKeyId"], secret_key=creds["SecretAccessKey"],
                           session_token=creds["SessionToken"])
        assert session.get_caller_identity()["Arn"] == arn
