"""Validates SARIF logs against the official SARIF 2.1.0 JSON schema.

Usage: python validate_sarif.py SCHEMA LOG...  Prints each violation; exits 1 if there is one.
"""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
validator = jsonschema.Draft202012Validator(schema)
bad = 0
for path in sys.argv[2:]:
    log = json.load(open(path, encoding="utf-8"))
    for error in validator.iter_errors(log):
        bad += 1
        where = "/".join(str(p) for p in error.absolute_path)
        print(f"{path}: {where}: {error.message}")
sys.exit(1 if bad else 0)
