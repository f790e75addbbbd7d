#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "immersup.settings")
    if "SECRET_KEY" not in os.environ and "DEBUG" not in os.environ and not os.path.exists(".env"):
        # A developer's shell with nothing configured: the embedded development defaults.
        # Production always sets SECRET_KEY (the WSGI application refuses to start without it).
        os.environ["DEBUG"] = "true"
        print("manage.py: no SECRET_KEY nor DEBUG in the environment, using development settings.", file=sys.stderr)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
