"""Prints gunicorn's own settings table (gunicorn.config.KNOWN_SETTINGS) as JSON, one object per
setting: name, CLI flags, validator, hook arity, default (a JSON value, or its repr when it has
no JSON form), section, and whether the default is a callable. Preflight's table is compared
against it (tests/e2e/gunicorn_settings.rs)."""
import json
import sys

import gunicorn
import gunicorn.config as config


def arity(validator):
    for cell in validator.__closure__ or ():
        if isinstance(cell.cell_contents, int):
            return cell.cell_contents
    return None


def default(value):
    if callable(value):
        return {"callable": getattr(value, "__name__", repr(value))}
    try:
        json.dumps(value)
        return {"value": value}
    except TypeError:
        return {"repr": repr(value)}


out = []
for s in config.KNOWN_SETTINGS:
    v = s.validator
    name = v.__name__
    out.append({
        "name": s.name,
        "cli": list(s.cli or []),
        "validator": name,
        "arity": arity(v) if name == "_validate_callable" else None,
        "default": default(s.default),
        "section": s.section,
        "action": s.action,
        "const": s.const if isinstance(s.const, (bool, int, str, type(None))) else repr(s.const),
    })
json.dump({"version": gunicorn.__version__, "settings": out}, sys.stdout, indent=1)
