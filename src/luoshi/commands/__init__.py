"""CLI command modules. Each module defines ``register(app)`` and stays thin: it parses
arguments, calls the Python API and prints. Listed in ``luoshi.cli.COMMAND_MODULES``."""
