"""moto_server for the sync benchmark, without moto's per-request scan of its own package.

To pick a backend for each request, moto's server asks whether the Host header names one of its
modules, and lists them by stat-ing every folder of its package, twice per request: about 2.7 ms
of CPU per request here, more than half of what a small PutObject costs it. Real S3 has no such
cost, and a benchmark of two clients must not be decided by it. The list cannot change while the
server runs, so it is read once; everything else is moto as installed.

Usage: python3 moto_server.py -H 127.0.0.1 -p PORT   (the same arguments as moto_server)
"""

import sys

from moto import backends
from moto.server import main

_MODULES = tuple(backends.list_of_moto_modules())
backends.list_of_moto_modules = lambda: _MODULES

if __name__ == "__main__":
    main(sys.argv[1:])
