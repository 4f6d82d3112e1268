#!/usr/bin/env python3
"""Generates a large, deterministic repository tree for scripts/bench-tree.sh and
scripts/bench-memory.sh.

    python3 scripts/gen-tree.py OUT [--files 10000] [--seed 7]

OUT gets `--files` files in a realistic monorepo layout (all counts scale with --files):
- Django projects (`projNNN/`): manage.py, a settings package of split settings (`base.py` with
  env reads; `production.py`, `staging.py`, `local.py` star-importing it; 200 settings modules
  at 10,000 files), urls/wsgi/asgi, apps with models, views, admin, tests, migrations,
  templates and static files, a `gunicorn.conf.py` for every other project;
- `deploy/nginx/` per project: a main `nginx.conf` including the sites, a site and a staging
  site, a snippet included by both (200 nginx files at 10,000 files);
- plus, never to be read by `preflight check`, and not counted in --files: `node_modules/`,
  `.venv/` (site-packages full of Python, settings-like modules among them), `.git/` (objects)
  and a `.gitignore`d `build/` folder with Python and nginx files. Their sizes are written to
  OUT/.tree-manifest.json with the other counts.

Same arguments, same bytes: the generator uses only its own seeded random.Random.
"""

import argparse
import json
import os
import random
import sys

SETTINGS_PER_PROJECT = 4  # base, production, staging, local
NGINX_PER_PROJECT = 4  # nginx.conf, site, staging site, snippet


def write(root, rel, text, counter):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    counter[0] += 1


def base_settings(p, rng):
    apps = "".join(f"    '{p}_app{a}',\n" for a in range(rng.randint(2, 5)))
    extra = "".join(
        f"{p.upper()}_FEATURE_{i} = env('FEATURE_{i}', default={rng.choice(['True', 'False'])})\n"
        for i in range(rng.randint(3, 12))
    )
    return f"""import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


SECRET_KEY = os.environ.get('DJANGO_SECRET_KEY', 'django-insecure-{p}')
DEBUG = os.environ.get('DJANGO_DEBUG', '') == '1'
ALLOWED_HOSTS = os.environ.get('DJANGO_ALLOWED_HOSTS', 'localhost').split(',')

INSTALLED_APPS = [
    'django.contrib.admin',
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.sessions',
    'django.contrib.messages',
    'django.contrib.staticfiles',
{apps}]

MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.common.CommonMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
    'django.contrib.auth.middleware.AuthenticationMiddleware',
    'django.contrib.messages.middleware.MessageMiddleware',
    'django.middleware.clickjacking.XFrameOptionsMiddleware',
]

ROOT_URLCONF = '{p}.urls'
WSGI_APPLICATION = '{p}.wsgi.application'

DATABASES = {{
    'default': {{
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': os.environ.get('DB_NAME', '{p}'),
        'USER': os.environ.get('DB_USER', '{p}'),
        'PASSWORD': os.environ.get('DB_PASSWORD', ''),
        'HOST': os.environ.get('DB_HOST', 'localhost'),
    }}
}}

STATIC_URL = '/static/'
STATIC_ROOT = BASE_DIR / 'staticfiles'
MEDIA_URL = '/media/'
MEDIA_ROOT = BASE_DIR / 'media'
{extra}"""


def production_settings(p, rng, secure):
    lines = ["from .base import *  # noqa: F401,F403", "", "DEBUG = False",
             f"ALLOWED_HOSTS = ['{p}.example.com']"]
    if secure:
        lines += [
            "SECURE_SSL_REDIRECT = True",
            "SESSION_COOKIE_SECURE = True",
            "CSRF_COOKIE_SECURE = True",
            f"SECURE_HSTS_SECONDS = {rng.choice([3600, 31536000])}",
            "SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')",
        ]
    lines += ["CACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache',",
              "                      'LOCATION': os.environ.get('REDIS_URL', 'redis://localhost')}}"]
    return "\n".join(lines) + "\n"


def nginx_main(p):
    return f"""user www-data;
worker_processes auto;

events {{
    worker_connections 1024;
}}

http {{
    server_tokens off;
    client_max_body_size 20m;
    include /etc/nginx/mime.types;

    upstream {p}_app {{
        server unix:/run/{p}/gunicorn.sock fail_timeout=0;
    }}

    include sites/*.conf;
}}
"""


def nginx_site(p, host, secure):
    tls = f"""    listen 443 ssl;
    ssl_certificate /etc/letsencrypt/live/{host}/fullchain.pem;
    ssl_certificate_key /etc/letsencrypt/live/{host}/privkey.pem;
    add_header Strict-Transport-Security "max-age=63072000" always;
""" if secure else "    listen 80;\n"
    return f"""server {{
{tls}    server_name {host};

    location /static/ {{
        alias /srv/{p}/staticfiles/;
        expires 30d;
    }}

    location /media {{
        alias /srv/{p}/media/;
    }}

    location / {{
        include snippets/proxy.conf;
        proxy_pass http://{p}_app;
    }}
}}
"""


NGINX_SNIPPET = """proxy_set_header Host $host;
proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
proxy_set_header X-Forwarded-Proto $scheme;
proxy_redirect off;
"""


def model_py(app, rng):
    out = ["from django.db import models", ""]
    for m in range(rng.randint(1, 4)):
        out += [f"class {app.title().replace('_', '')}Model{m}(models.Model):",
                "    name = models.CharField(max_length=200)",
                "    created = models.DateTimeField(auto_now_add=True)",
                f"    count = models.IntegerField(default={m})", "",
                "    def __str__(self):", "        return self.name", "", ""]
    return "\n".join(out)


def views_py(app, rng):
    out = ["from django.shortcuts import render", "from django.http import JsonResponse", ""]
    for v in range(rng.randint(1, 5)):
        out += [f"def view_{v}(request):",
                f"    return render(request, '{app}/page_{v}.html', {{'n': {v}}})", "", ""]
    return "\n".join(out)


def project_files(p, rng, budget):
    """The files of one project, as (relative path, text), up to `budget` of them (settings and
    nginx files first, then app files)."""
    secure = rng.random() < 0.6
    files = [
        (f"{p}/{p}/settings/__init__.py", ""),
        (f"{p}/{p}/settings/base.py", base_settings(p, rng)),
        (f"{p}/{p}/settings/production.py", production_settings(p, rng, secure)),
        (f"{p}/{p}/settings/staging.py",
         "from .production import *  # noqa\n\nALLOWED_HOSTS = ['staging.example.com']\n"),
        (f"{p}/{p}/settings/local.py", "from .base import *  # noqa\n\nDEBUG = True\n"),
        (f"{p}/deploy/nginx/nginx.conf", nginx_main(p)),
        (f"{p}/deploy/nginx/sites/{p}.conf", nginx_site(p, f"{p}.example.com", secure)),
        (f"{p}/deploy/nginx/sites/{p}-staging.conf", nginx_site(p, f"staging.{p}.example.com", False)),
        (f"{p}/deploy/nginx/snippets/proxy.conf", NGINX_SNIPPET),
        (f"{p}/manage.py",
         "#!/usr/bin/env python\nimport os\nimport sys\n\nif __name__ == '__main__':\n"
         f"    os.environ.setdefault('DJANGO_SETTINGS_MODULE', '{p}.settings.production')\n"
         "    from django.core.management import execute_from_command_line\n"
         "    execute_from_command_line(sys.argv)\n"),
        (f"{p}/{p}/__init__.py", ""),
        (f"{p}/{p}/urls.py", "from django.contrib import admin\nfrom django.urls import path\n\n"
         "urlpatterns = [path('admin/', admin.site.urls)]\n"),
        (f"{p}/{p}/wsgi.py", "import os\n\nfrom django.core.wsgi import get_wsgi_application\n\n"
         f"os.environ.setdefault('DJANGO_SETTINGS_MODULE', '{p}.settings.production')\n"
         "application = get_wsgi_application()\n"),
        (f"{p}/requirements.txt", "Django==5.2.8\ngunicorn==23.0.0\npsycopg[binary]==3.2.3\n"),
        (f"{p}/README.md", f"# {p}\n\nAn example project.\n"),
    ]
    if int(p[4:]) % 2 == 0:
        files.append((f"{p}/gunicorn.conf.py",
                      f"bind = 'unix:/run/{p}/gunicorn.sock'\nworkers = {rng.randint(2, 9)}\n"
                      f"timeout = {rng.choice([30, 60, 120])}\naccesslog = '-'\n"))
    a = 0
    while len(files) < budget:
        app = f"{p}_app{a}"
        d = f"{p}/{app}"
        files += [(f"{d}/__init__.py", ""), (f"{d}/models.py", model_py(app, rng)),
                  (f"{d}/views.py", views_py(app, rng)),
                  (f"{d}/admin.py", "from django.contrib import admin\n"),
                  (f"{d}/apps.py", f"from django.apps import AppConfig\n\n\nclass Config(AppConfig):\n"
                   f"    name = '{app}'\n"),
                  (f"{d}/tests.py", "from django.test import TestCase\n"),
                  (f"{d}/migrations/__init__.py", "")]
        for m in range(rng.randint(1, 6)):
            files.append((f"{d}/migrations/{m + 1:04d}_auto.py",
                          "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n"
                          f"    dependencies = []\n    operations = []  # {m}\n"))
        for t in range(rng.randint(2, 8)):
            files.append((f"{d}/templates/{app}/page_{t}.html",
                          "{% extends 'base.html' %}\n{% block content %}<p>{{ n }}</p>{% endblock %}\n"))
        for s in range(rng.randint(2, 10)):
            ext = rng.choice(["css", "js", "svg"])
            files.append((f"{d}/static/{app}/asset_{s}.{ext}", f"/* {app} {s} */\n"))
        a += 1
    return files[:budget]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    root = args.out
    if os.path.exists(root) and os.listdir(root):
        sys.exit(f"gen-tree.py: {root} exists and is not empty")
    os.makedirs(root, exist_ok=True)
    counter = [0]
    # 50 projects per 10,000 files: 200 settings modules and 200 nginx files
    projects = max(1, args.files // 200)
    per = args.files // projects
    settings = nginx = gunicorn = 0
    for i in range(projects):
        p = f"proj{i:03d}"
        budget = per if i < projects - 1 else args.files - counter[0] - 2  # .gitignore, README
        for rel, text in project_files(p, rng, budget):
            settings += "/settings/" in rel and not rel.endswith("__init__.py")
            nginx += rel.endswith(".conf")
            gunicorn += rel.endswith("gunicorn.conf.py")
            write(root, rel, text, counter)
    write(root, ".gitignore", "build/\n*.log\n__pycache__/\n", counter)
    write(root, "README.md", "# A generated monorepo for Preflight's benchmarks\n", counter)
    checked = counter[0]

    # What must never be read: node_modules, .venv, .git, and the .gitignore'd build/.
    excluded = {}
    scale = max(1, args.files // 5)  # 2,000 files each at 10,000
    c = [0]
    for i in range(scale):
        write(root, f"node_modules/pkg{i % 97}/lib/m{i}.js", f"module.exports = {i};\n", c)
    excluded["node_modules"] = c[0]
    c = [0]
    for i in range(scale):
        # Python that would be checked (and settings-like) were it read
        write(root, f".venv/lib/python3.12/site-packages/pkg{i % 89}/settings{i}.py",
              "DEBUG = True\nSECRET_KEY = 'x'\nALLOWED_HOSTS = ['*']\n", c)
    excluded[".venv"] = c[0]
    c = [0]
    write(root, ".git/HEAD", "ref: refs/heads/main\n", c)
    write(root, ".git/config", "[core]\n\trepositoryformatversion = 0\n", c)
    for i in range(scale):
        write(root, f".git/objects/{i % 256:02x}/{rng.getrandbits(152):038x}", "x\n", c)
    excluded[".git"] = c[0]
    c = [0]
    for i in range(scale // 4):
        if i % 2:
            write(root, f"build/lib/settings_{i}.py", "DEBUG = True\n", c)
        else:
            write(root, f"build/nginx/site{i}.conf", "server { listen 80; }\n", c)
    excluded["build (gitignored)"] = c[0]

    manifest = {"seed": args.seed, "files": checked, "projects": projects,
                "settings_modules": settings, "nginx_files": nginx, "gunicorn_configs": gunicorn,
                "python_files": None, "excluded": excluded}
    py = 0
    for d, subdirs, names in os.walk(root):
        subdirs[:] = [s for s in subdirs if s not in ("node_modules", ".venv", ".git", "build")]
        py += sum(n.endswith(".py") for n in names)
    manifest["python_files"] = py
    with open(os.path.join(root, ".tree-manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(json.dumps(manifest))


if __name__ == "__main__":
    main()
