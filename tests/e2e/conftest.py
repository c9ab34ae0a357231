"""End-to-end fixtures: each test session starts its own Terrarium on a free
port with its own data directory, and talks to it with real AWS clients."""
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

import boto3
import botocore.config
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
BINARY = os.environ.get("TERRARIUM_BIN", os.path.join(HERE, "..", "..", "build", "terrarium"))


def free_port():
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A terrarium process. `args` are extra `serve` options."""

    def __init__(self, args=(), data_dir=None, tls=False):
        self.port = free_port()
        self.own_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="terrarium-e2e-")
        self.args = list(args)
        self.tls = tls
        self.process = None
        self.log = None

    @property
    def endpoint(self):
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def start(self):
        cmd = [BINARY, "serve", "--port", str(self.port), "--data-dir", self.data_dir,
               "--log-level", "warn"] + self.args + (["--tls"] if self.tls else [])
        self.log = open(os.path.join(self.data_dir, "server.log"), "ab")
        self.process = subprocess.Popen(cmd, stdout=self.log, stderr=self.log)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"terrarium exited with {self.process.returncode}: {self.read_log()}")
            try:
                self.health()
                return self
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("terrarium did not answer within 20 s")

    def health(self):
        url = f"http://127.0.0.1:{self.port}/_terrarium/health"
        with urllib.request.urlopen(url, timeout=2) as r:
            return json.loads(r.read())

    def read_log(self):
        with open(os.path.join(self.data_dir, "server.log"), "rb") as f:
            return f.read().decode(errors="replace")[-4000:]

    def kill(self, sig=signal.SIGKILL):
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=30)

    def stop(self):
        self.kill(signal.SIGTERM)
        if self.log:
            self.log.close()

    def cleanup(self):
        self.stop()
        if self.own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def client(self, service, access_key="test", secret_key="test", session_token=None,
               region="us-east-1", **config):
        return boto3.client(
            service, endpoint_url=self.endpoint, region_name=region,
            aws_access_key_id=access_key, aws_secret_access_key=secret_key,
            aws_session_token=session_token, verify=False,
            config=botocore.config.Config(retries={"max_attempts": 1}, **config))

    def cli(self, *args, env=None, check=True):
        """Runs the AWS CLI (the v1 that ships with this python3) against the server."""
        full_env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
                        AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="")
        full_env.update(env or {})
        out = subprocess.run(["aws", "--endpoint-url", self.endpoint, "--no-verify-ssl", *args],
                             capture_output=True, text=True, env=full_env, timeout=60)
        if check and out.returncode != 0:
            raise AssertionError(f"aws {' '.join(args)} failed: {out.stderr}")
        return out


@pytest.fixture(scope="session")
def server():
    s = Server().start()
    yield s
    s.cleanup()


@pytest.fixture
def make_server():
    """Starts extra servers with their own options; all are stopped after the test."""
    started = []

    def make(*args, **kwargs):
        s = Server(*args, **kwargs).start()
        started.append(s)
        return s
    yield make
    for s in started:
        s.cleanup()
