"""Reads {setting: Python literal} as JSON on stdin, sets each value on a fresh gunicorn Config
(so gunicorn's own validator runs, in the current folder) and prints {setting: value as
`--print-config` prints it}. Preflight's evaluated values are compared with gunicorn's own
through it (tests/e2e/gunicorn_oracle.rs)."""
import ast
import json
import sys

from gunicorn.config import Config

claims = json.load(sys.stdin)
out = {}
for name, literal in claims.items():
    cfg = Config()
    cfg.set(name, ast.literal_eval(literal))
    line = str(cfg).splitlines()
    prefix = [l for l in line if l.split(" = ", 1)[0].strip() == name]
    out[name] = prefix[0].split(" = ", 1)[1]
json.dump(out, sys.stdout)
