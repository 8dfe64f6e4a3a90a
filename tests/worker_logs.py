"""A real worker's log, as the tests read it: the worker writes JSON lines
(LOG_FORMAT), one record each; a line that is not JSON is a banner or a warning."""

import json


def messages(log_text):
    return [json.loads(line)["message"] for line in log_text.splitlines() if line.startswith("{")]
