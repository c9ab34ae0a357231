"""Every operation of every embedded model is routable: sent by botocore,
it reaches that operation, which either works or answers NotImplemented
naming the service and operation, in the protocol's own error format."""
import socket

import botocore.session
import pytest
from botocore.exceptions import ClientError

SERVICES = ["sts", "iam", "organizations", "ec2", "s3", "kms", "rds", "elasticache", "eks",
            "ecs", "lambda", "cloudformation", "cloudfront", "elbv2", "cloudwatch", "logs",
            "config", "secretsmanager", "route53", "ssm", "sns"]


def sample(shape, depth=0):
    """A value botocore accepts for `shape` (required members only)."""
    t = shape.type_name
    if t == "structure":
        return {name: sample(shape.members[name], depth + 1)
                for name in shape.required_members} if depth < 8 else {}
    if t == "list":
        return [sample(shape.member, depth + 1)]
    if t == "map":
        return {}
    if t == "string":
        if shape.enum:
            return shape.enum[0]
        return "a" * max(1, shape.metadata.get("min", 1))
    if t in ("integer", "long"):
        return max(1, shape.metadata.get("min", 1))
    if t in ("float", "double"):
        return 1.0
    if t == "boolean":
        return True
    if t == "timestamp":
        return 0
    if t == "blob":
        return b"x"
    return None


def twin_named(model, name, message):
    """S3's ListDirectoryBuckets and ListBuckets share method and path and
    differ only by host on AWS (s3express-control): either answer is right."""
    http = model.operation_model(name).http
    for other in model.operation_names:
        if other != name and f"operation {other} " in message:
            o = model.operation_model(other).http
            strip = lambda uri: uri.split("?x-id=")[0]
            return o["method"] == http["method"] and strip(o["requestUri"]) == strip(http["requestUri"])
    return False


def operations(service):
    model = botocore.session.get_session().get_service_model(service)
    return [(service, name) for name in model.operation_names]


ALL = [op for s in SERVICES for op in operations(s)]


@pytest.fixture(scope="module")
def clients(server):
    cache = {}

    def get(service):
        if service not in cache:
            cache[service] = server.client(service, inject_host_prefix=False,
                                           parameter_validation=False)
        return cache[service]
    return get


def test_model_list_matches_health(server):
    services = server.health()["services"]
    assert sorted(services) == sorted(SERVICES)
    for name in SERVICES:
        assert services[name]["total"] == len(operations(name))


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_routes(clients, service):
    client = clients(service)
    model = client.meta.service_model
    implemented = wrong = 0
    problems = []
    for name in model.operation_names:
        op = model.operation_model(name)
        if op.has_event_stream_output or op.has_event_stream_input:
            continue
        params = sample(op.input_shape) if op.input_shape else {}
        method = getattr(client, botocore.xform_name(name))
        try:
            method(**params)
            implemented += 1
        except ClientError as e:
            err = e.response["Error"]
            status = e.response["ResponseMetadata"]["HTTPStatusCode"]
            if err.get("Code") == "NotImplemented":
                message = err.get("Message", "")
                if status == 501 and service in message and twin_named(model, name, message):
                    continue
                if status != 501 or name not in message or service not in message:
                    problems.append(f"{name}: NotImplemented without 501/op/service: {status} {err}")
            else:
                implemented += 1  # an AWS error of an implemented operation
        except Exception as e:  # botocore could not parse our answer, or the connection failed
            problems.append(f"{name}: {type(e).__name__}: {e}")
    assert not problems, "\n".join(problems[:20])


def test_s3_virtual_host_and_path_style_route_to_the_same_operation(server):
    def raw(host, path):
        with socket.create_connection(("127.0.0.1", server.port)) as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while chunk := s.recv(65536):
                data += chunk
        return data.decode(errors="replace")
    virtual = raw(f"photos.s3.localhost:{server.port}", "/cat.jpg")
    path = raw(f"127.0.0.1:{server.port}", "/photos/cat.jpg")
    for answer in (virtual, path):
        assert answer.startswith("HTTP/1.1 501")
        assert "<Code>NotImplemented</Code>" in answer and "GetObject" in answer
    listing = raw(f"photos.s3.localhost:{server.port}", "/?list-type=2")
    assert "ListObjectsV2" in listing


def test_unknown_query_action_is_invalid_action(server):
    import urllib.error
    import urllib.request
    req = urllib.request.Request(f"{server.endpoint}/", data=b"Action=NoSuchThing&Version=2011-06-15",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req)
    body = e.value.read().decode()
    assert e.value.code == 400 and "<Code>InvalidAction</Code>" in body
