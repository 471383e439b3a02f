"""The one reader says why it will not read what is not a regular file, without opening it."""
from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from poolcompat.reading.files import read_source


def test_a_device_is_refused() -> None:
    if not os.path.exists("/dev/null"):
        pytest.skip("no /dev/null here")
    assert read_source("/dev/null") == (None, "cannot read: a device, not a file")


def test_a_socket_is_refused(tmp_path: Path) -> None:
    if not hasattr(socket, "AF_UNIX"):
        pytest.skip("no Unix sockets here")
    path = tmp_path / "x.py"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        assert read_source(str(path)) == (None, "cannot read: a socket, not a file")
    finally:
        server.close()


def test_a_directory_and_a_big_file_are_refused(tmp_path: Path) -> None:
    assert read_source(str(tmp_path)) == (None, "is a directory")
    big = tmp_path / "big.py"
    big.write_bytes(b"#" * 65 * 1024)
    data, why = read_source(str(big), max_bytes=1024)
    assert data is None and why.startswith("too large to read: 0.1 MB")
    assert read_source(str(big), max_bytes=2048)[0] == b"#" * 65 * 1024
