"""Where the page goes: checked before anything is read, and written without ever leaving a
half-written file (a temporary file in the same directory, renamed into place).

The check comes first because loading and rendering take seconds (about 8 on a quick sweep): a
destination that cannot be written (a read-only directory, --out under a regular file, --out
naming a directory) should say so at once, not after the work and with a traceback.
"""

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import ReportError

CHOOSE_ANOTHER = "choose another --out, or make its directory writable"


def check_writable(path):
    """Raises ReportError unless a page can be written at path: its directory made and a file created
    in it. Leaves nothing behind, not even the directories it made (bad input writes nothing)."""
    path = Path(path)
    if path.is_dir():
        raise ReportError(path, "cannot be written: it is a directory", "give --out the page's file name, such as DIR/index.html")
    blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        raise ReportError(path, f"cannot be written: {blocker} is a file, not a directory", CHOOSE_ANOTHER)
    missing = [p for p in path.parents if not p.exists()]  # the deepest first: the order to remove them in
    try:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, probe = tempfile.mkstemp(prefix=".partial-", suffix=".html", dir=path.parent)
            os.close(fd)
            os.unlink(probe)
        finally:
            for directory in missing:
                with contextlib.suppress(OSError):
                    directory.rmdir()
    except OSError as e:
        raise ReportError(path, f"cannot be written: {e.strerror or e}", CHOOSE_ANOTHER) from None


def write_atomically(path, text):
    """Writes text to path, or raises ReportError (a full disk: "No space left on device") with the
    earlier file at path, if any, untouched and no temporary file left."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".partial-", suffix=".html", dir=path.parent)
    except OSError as e:
        raise ReportError(path, f"could not be written: {e.strerror or e}", CHOOSE_ANOTHER) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it 0600; a page is for everyone who may read the results
        os.replace(tmp, path)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise ReportError(path, f"could not be written: {e.strerror or e}",
                              "free some space or " + CHOOSE_ANOTHER + "; an earlier page there is untouched") from None
        raise
