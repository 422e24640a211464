"""moto_server for the tests and the local platform, with three per-request costs of moto's own server
taken out (measured with py-spy over the Lambda and service suites: together about a quarter of the
emulator's CPU, which those suites wait on):

- moto looks the service of every request up in a fresh listing of its package directory
  (`moto.backends.list_of_moto_modules`: a listdir and an isdir per service); that listing does not change
  while the server runs, so it is read once;
- each request lists the methods of its service's response class (`inspect.getmembers`, hundreds of
  methods for EC2) to find the action; a class's methods do not change either, so that list is kept;
- werkzeug logs every request line at INFO; only warnings and errors are kept.

Everything else is moto's `moto_server` entry point with the same arguments.
"""

import functools
import logging
import sys

from moto import backends
from moto.core import responses
from moto.server import main

if hasattr(backends, "list_of_moto_modules"):
    listing = backends.list_of_moto_modules
    backends.list_of_moto_modules = functools.cache(lambda: tuple(listing()))
if hasattr(responses, "method_names_from_class"):
    responses.method_names_from_class = functools.cache(responses.method_names_from_class)
logging.getLogger("werkzeug").setLevel(logging.WARNING)

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
