"""What many end-to-end tests share: reading a botocore error, unique names."""
import uuid


def error_of(excinfo):
    """The Error structure of a ClientError caught by pytest.raises."""
    return excinfo.value.response["Error"]


def status_of(excinfo):
    return excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


def unique(prefix):
    """A name no other test (or earlier run against the same server) uses."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"
