#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gridparty.settings.dev")
    if os.environ["DJANGO_SETTINGS_MODULE"] == "gridparty.settings.dev":
        # The development settings through manage.py (runserver included) are
        # development by definition (gridparty.startup guards the serving entries).
        os.environ.setdefault("GRIDPARTY_DEVELOPMENT", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
