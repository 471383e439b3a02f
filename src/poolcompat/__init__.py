"""poolcompat: the Python versions your process- and thread-pool code really needs."""
from poolcompat.api import Finding, Report, Version, check_paths, check_source

__all__ = ["Finding", "Report", "Version", "check_paths", "check_source"]
__version__ = "0.1.0"
