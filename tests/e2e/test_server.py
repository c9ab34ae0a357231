"""The server itself: health, reset, keep-alive, 100-continue, TLS, bad input."""
import http.client
import json
import os
import socket
import ssl
import subprocess
import urllib.request

import pytest
from conftest import BINARY


def test_health_names_versions_and_coverage(server):
    import botocore
    health = server.health()
    assert health["status"] == "running"
    assert health["botocore_version"] == botocore.__version__
    assert health["services"]["sts"]["implemented"] == health["services"]["sts"]["total"]
    assert health["uptime_seconds"] >= 0


def test_version_flag_names_botocore():
    import botocore
    out = subprocess.run([BINARY, "--version"], capture_output=True, text=True, check=True)
    assert botocore.__version__ in out.stdout


def test_status_command_reads_health(server):
    out = subprocess.run([BINARY, "status", "--endpoint", server.endpoint],
                         capture_output=True, text=True, timeout=10)
    assert out.returncode == 0 and json.loads(out.stdout)["status"] == "running"


def test_reset_forgets_issued_credentials(make_server):
    s = make_server()
    creds = s.client("sts").assume_role(RoleArn="arn:aws:iam::111111111111:role/r",
                                        RoleSessionName="xx")["Credentials"]
    session = s.client("sts", access_key=creds["AccessKeyId"], secret_key=creds["SecretAccessKey"],
                       session_token=creds["SessionToken"])
    assert session.get_caller_identity()["Account"] == "111111111111"
    req = urllib.request.Request(f"{s.endpoint}/_terrarium/reset?service=sts", method="POST")
    assert json.loads(urllib.request.urlopen(req).read())["reset"] == "sts"
    # Forgotten: the key is now just some unknown test key of the default account.
    assert session.get_caller_identity()["Account"] == "000000000000"


def test_keep_alive_and_expect_continue(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    body = "Action=GetCallerIdentity&Version=2011-06-15"
    for _ in range(3):
        conn.request("POST", "/", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Expect": "100-continue"})
        r = conn.getresponse()
        assert r.status == 200 and b"<Arn>arn:aws:iam::000000000000:root</Arn>" in r.read()
    conn.close()


def test_chunked_request_body(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
        body = b"Action=GetCallerIdentity&Version=2011-06-15"
        chunks = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
        s.sendall(b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
                  b"Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n\r\n" + chunks)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    assert data.startswith(b"HTTP/1.1 200") and b"GetCallerIdentityResult" in data


@pytest.mark.parametrize("garbage", [
    b"NOT HTTP AT ALL\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-Big: " + b"a" * 200000 + b"\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc",
    b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: TrentService.CreateKey\r\n"
    b"Content-Type: application/x-amz-json-1.1\r\nContent-Length: 5\r\n\r\n{{{{{",
    b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    b"Content-Length: 20\r\n\r\nAction=%%%%&Version=",
])
def test_bad_input_gets_an_answer_and_the_server_lives(server, garbage):
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
        s.sendall(garbage)
        s.shutdown(socket.SHUT_WR)
        try:
            data = s.recv(65536)
        except (ConnectionResetError, socket.timeout):
            data = b""
    assert data == b"" or data.startswith(b"HTTP/1.1 4") or data.startswith(b"HTTP/1.1 5")
    assert server.health()["status"] == "running"


def test_tls_with_self_signed_certificate(make_server):
    s = make_server(tls=True)
    who = s.client("sts").get_caller_identity()
    assert who["Account"] == "000000000000"
    assert os.path.exists(os.path.join(s.data_dir, "tls", "cert.pem"))
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", s.port)) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as tls:
            assert tls.version().startswith("TLS")
    out = s.cli("sts", "get-caller-identity", "--output", "json")
    assert json.loads(out.stdout)["Account"] == "000000000000"


def test_sigterm_stops_gracefully(make_server):
    s = make_server()
    s.kill(15)
    assert s.process.returncode == 0


def test_coverage_document_is_generated_from_the_registry():
    out = subprocess.run([BINARY, "coverage"], capture_output=True, text=True, check=True)
    with open(os.path.join(os.path.dirname(__file__), "..", "..", "docs", "coverage.md")) as f:
        assert f.read() == out.stdout, "docs/coverage.md is stale: run `make coverage`"
