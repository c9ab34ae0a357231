#!/usr/bin/env python3
"""Runs pytest with the machine's python3, whose own site-packages hold boto3.

pytest comes from Debian's python3-pytest, installed for the system Python:
its folder is appended (not prepended) so the SDKs of this Python still win.
"""
import os
import sys

for folder in ("/usr/lib/python3/dist-packages", "/usr/local/lib/python3/dist-packages"):
    if os.path.isdir(folder) and folder not in sys.path:
        sys.path.append(folder)

import pytest  # noqa: E402

sys.exit(pytest.main(sys.argv[1:]))
