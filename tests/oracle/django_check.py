"""The oracle: runs the real `django-admin check --deploy` on settings modules.

Reads a JSON array of cases on stdin, each {"dir": folder to put on sys.path, "module": dotted settings
module, "env": {name: value} (optional)}, and prints a JSON array with, for each case, the sorted list of check
ids the real command printed (or {"error": text} when Django could not load the settings).

One process serves many cases: Django is imported once, and each case runs in a forked child so no state
leaks between cases. The child runs Django's own command-line entry point, exactly as
`django-admin check --deploy --settings=MODULE` would, and the ids are read from what it prints.
"""

import io
import json
import os
import re
import sys
import contextlib

import django  # noqa: F401  (imported once, before forking)
from django.core.management import execute_from_command_line

ID = re.compile(r"^\S+: \(([a-z0-9_]+\.[EWIC]\d{3})\)", re.M)


def run_case(case):
    os.environ.clear()
    os.environ.update(case.get("env") or {})
    sys.path.insert(0, case["dir"])
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            execute_from_command_line(
                ["django-admin", "check", "--deploy", "--settings=" + case["module"]]
            )
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 1
        except BaseException as e:  # the settings did not load: report, do not guess
            return {"error": f"{type(e).__name__}: {e}"}
    text = out.getvalue() + err.getvalue()
    ids = sorted(set(ID.findall(text)))
    if code and not ids:
        return {"error": text.strip()[-2000:]}
    return ids


def main():
    cases = json.load(sys.stdin)
    results = []
    for case in cases:
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            try:
                result = run_case(case)
            except BaseException as e:
                result = {"error": f"{type(e).__name__}: {e}"}
            with os.fdopen(w, "w") as f:
                json.dump(result, f)
            os._exit(0)
        os.close(w)
        with os.fdopen(r) as f:
            data = f.read()
        os.waitpid(pid, 0)
        results.append(json.loads(data) if data else {"error": "the check process died"})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
