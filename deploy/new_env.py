"""Print .env.example with every "change-me" replaced by a new random secret.

    python3 deploy/new_env.py > .env

Each secret is drawn separately (32 bytes, URL-safe), so it may stand in a
service address as it is. Standard library only: it runs before anything is installed.
"""

import re
import secrets
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / ".env.example"
# A "change-me" in a setting's value, not in a comment.
PLACEHOLDER = re.compile(r"^(?!#)([A-Z_]+=[^\n]*?)change-me", re.MULTILINE)


def new_environment(example_text):
    # token_hex: letters and digits only, safe in a URL's password part and in a shell.
    return PLACEHOLDER.sub(lambda match: match.group(1) + secrets.token_hex(32), example_text)


if __name__ == "__main__":
    sys.stdout.write(new_environment(EXAMPLE.read_text(encoding="utf-8")))
