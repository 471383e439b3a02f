"""poolcompat: the Python versions your process- and thread-pool code really needs."""
from poolcompat._meta import __version__
from poolcompat.api import Finding, Report, Version, check_paths, check_source

__all__ = ["Finding", "Report", "Version", "__version__", "check_paths", "check_source"]
