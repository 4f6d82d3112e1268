#!/usr/bin/env bash
# Whole-process comparison on nginx configs: `preflight check FILE` against gixy-ng (`gixy FILE`,
# the oracle venv from tests/oracle/setup.sh) on the example deployment's site file and on a
# generated ~3,000-line main config (many Django sites: servers with static, media, admin and
# app locations). Needs hyperfine (`apt-get install -y hyperfine`). Writes the table to
# target/bench-nginx.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "bench-nginx.sh: install hyperfine (apt-get install -y hyperfine)" >&2; exit 2; }
bash tests/oracle/setup.sh >/dev/null
cargo build --release --quiet -p preflight
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
preflight="$target_dir/release/preflight"
gixy="$PWD/.oracle/gixy/bin/gixy"
site=tests/example/deploy/nginx/mysite.conf
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The generated config: one http block, an upstream, and sites until it is ~3,000 lines.
big="$work/nginx.conf"
python3 - "$big" <<'PY'
import sys

out = ["worker_processes auto;", "", "events {", "    worker_connections 1024;", "}", "",
       "http {", "    server_tokens off;", "    client_max_body_size 20m;", "",
       "    upstream django {", "        server unix:/run/gunicorn.sock fail_timeout=0;", "    }", "",
       "    server {", "        listen 80 default_server;", "        server_name _;",
       "        return 444;", "    }", ""]
site = 0
while len(out) < 2990:
    site += 1
    name = f"site{site}.example.com"
    out += [
        "    server {",
        "        listen 443 ssl;",
        f"        server_name {name} www.{name};",
        f"        ssl_certificate /etc/letsencrypt/live/{name}/fullchain.pem;",
        f"        ssl_certificate_key /etc/letsencrypt/live/{name}/privkey.pem;",
        "        ssl_protocols TLSv1.2 TLSv1.3;",
        '        add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;',
        "",
        "        location /static/ {",
        f"            alias /srv/site{site}/staticfiles/;",
        "            expires 30d;",
        "        }",
        "",
        "        location /media {",
        f"            alias /srv/site{site}/media/;",
        "        }",
        "",
        "        location ~* \\.(php|asp)$ {",
        "            return 404;",
        "        }",
        "",
        "        location /admin/ {",
        "            allow 10.0.0.0/8;",
        "            proxy_pass http://django;",
        "            proxy_set_header Host $http_host;",
        "        }",
        "",
        "        location / {",
        "            proxy_pass http://django;",
        "            proxy_set_header Host $host;",
        "            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "            proxy_set_header X-Forwarded-Proto $scheme;",
        "        }",
        "    }",
        "",
    ]
out.append("}")
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
echo "generated $(wc -l <"$big") lines, $(grep -c 'server {' "$big") servers: $big"

# The site on its own, outside any project, as gixy is usually run (`gixy /etc/nginx/...`):
# both tools then see the same one file. Inside the example project Preflight also finds the
# project's settings and gunicorn config for its stack rules.
alone="$work/alone/mysite.conf"
mkdir -p "$(dirname "$alone")"
cp "$site" "$alone"

mkdir -p "$target_dir"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# both exit 1 on findings: -i keeps hyperfine going
hyperfine --warmup 3 --min-runs 20 -i -N \
  --export-markdown "$target_dir/bench-nginx.md" \
  -n "preflight check (mysite.conf alone)" "$preflight check $alone" \
  -n "gixy (mysite.conf alone)" "$gixy $alone" \
  -n "preflight check (mysite.conf in the example project)" "$preflight check $site" \
  -n "gixy (mysite.conf in the example project)" "$gixy $site" \
  -n "preflight check (generated, $(wc -l <"$big") lines)" "$preflight check $big" \
  -n "gixy (generated, $(wc -l <"$big") lines)" "$gixy $big"
cat "$target_dir/bench-nginx.md"
