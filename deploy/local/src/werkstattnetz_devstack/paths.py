"""Where the devstack keeps downloads, data and logs: one ignored cache folder per checkout."""

import os
from pathlib import Path

CACHE_VARIABLE = "WERKSTATTNETZ_CACHE"


def find_repository_root(start: Path | None = None) -> Path:
    """Return the nearest folder above `start` (default: the working directory) holding `.git`.

    The working directory comes first because the package may be installed non-editable into a
    virtualenv, where its own file location says nothing about the checkout.
    """
    candidates = [start or Path.cwd(), Path(__file__).resolve()]
    for candidate in candidates:
        for folder in [candidate, *candidate.parents]:
            if (folder / ".git").exists():
                return folder
    return Path.cwd()


def cache_folder() -> Path:
    """The cache root: `$WERKSTATTNETZ_CACHE`, else `<repository>/.cache` (ignored by git)."""
    configured = os.environ.get(CACHE_VARIABLE)
    folder = Path(configured) if configured else find_repository_root() / ".cache"
    return folder.resolve()
