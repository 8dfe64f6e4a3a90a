"""Progress reporting for long management commands.

On a terminal a bar (tqdm); elsewhere (CI logs, cron mail) a plain line every
few seconds, because a bar's carriage returns make a log unreadable.
"""

import sys
import time

from tqdm import tqdm


class Progress:
    def __init__(self, *, total, description, stream=None, interval=5.0):
        self.stream = stream or sys.stderr
        self.total = total
        self.description = description
        self.done = 0
        self.interval = interval
        self._last_line = time.monotonic()
        self._bar = tqdm(total=total, desc=description, unit="row", file=self.stream) if self._is_terminal() else None

    def _is_terminal(self):
        return hasattr(self.stream, "isatty") and self.stream.isatty()

    def reset(self, *, total):
        """The amount of work became known only after the command started."""
        self.total = total
        if self._bar is not None:
            self._bar.reset(total=total)

    def advance(self, n=1):
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
        elif time.monotonic() - self._last_line >= self.interval:
            self._last_line = time.monotonic()
            self.stream.write(f"{self.description}: {self.done}/{self.total}\n")

    def close(self):
        if self._bar is not None:
            self._bar.close()
        else:
            self.stream.write(f"{self.description}: {self.done}/{self.total} done\n")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
