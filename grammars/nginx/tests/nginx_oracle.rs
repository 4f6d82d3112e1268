//! The real nginx as the oracle: for each probe (only directives nginx knows, so
//! any rejection is about syntax), `nginx -t` accepts the config exactly when our
//! tree has no ERROR or MISSING node.
//!
//! Skipped, with a notice, where no `nginx` binary is installed (CI: `apt-get
//! install -y nginx-light`).

mod common;

use std::path::PathBuf;
use std::process::Command;

const PROBES: &[&str] = &[
    "location ~ ^/\\d{1,3}$ { return 404; }",
    "location ~ \"^/\\d{1,3}$\" { return 404; }",
    "location ~ ^/a{2}b { }",
    "location /{}",
    "location /a{return 200;}",
    "location /b{#c\n}",
    "if ($request_uri ~* \"^/(foo)$\") { return 404; }",
    "if ($http_x = \"x)\") { return 403; }",
    "if ($http_x = \"x\"){ return 403; }",
    "set $a ${host}x;",
    "set $b b#c;",
    "set $c a}b;",
    "set $d a\\ b\\;c;",
    "set $e \"x\"; # }",
    "set $f 'a\n  b';",
    "location /x { return 200 \"a;{}\"; } # c",
    "location /y { return 200 'a'; }\r\n",
    "return 200 \"a\"b;",
    "return 200 \"a\"#c\n;",
    "location /z { return 200 \"a\"}",
    "location /w { return 200 }",
    "return 200",
    "}",
    "location /v { ",
    "listen 127.0.0.1:8081; allow 10.0.0.0/8; deny all;",
];

fn nginx() -> Option<PathBuf> {
    ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

#[test]
fn nginx_accepts_exactly_what_parses_cleanly() {
    let Some(nginx) = nginx() else {
        eprintln!("NOTICE: no nginx binary; skipping the nginx -t oracle test");
        return;
    };
    let dir = std::env::temp_dir().join(format!("preflight-grammar-oracle-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("logs")).unwrap();
    let mut disagreements = Vec::new();
    let mut rejected = 0;
    for probe in PROBES {
        let config = format!(
            "pid {0}/nginx.pid;\nevents {{}}\nhttp {{\n  server {{\n    listen 127.0.0.1:8080;\n    {probe}\n  }}\n}}\n",
            dir.display()
        );
        let path = dir.join("nginx.conf");
        std::fs::write(&path, &config).unwrap();
        let output = Command::new(&nginx)
            .arg("-t")
            .arg("-q")
            .arg("-p")
            .arg(&dir)
            .arg("-e")
            .arg("stderr")
            .arg("-c")
            .arg(&path)
            .output()
            .expect("nginx runs");
        let nginx_ok = output.status.success();
        rejected += usize::from(!nginx_ok);
        let tree = common::parse(&config);
        let ours_ok = !tree.root_node().has_error();
        if nginx_ok != ours_ok {
            disagreements.push(format!(
                "{probe:?}: nginx {} ({}), tree {}",
                if nginx_ok { "accepts" } else { "rejects" },
                String::from_utf8_lossy(&output.stderr).trim(),
                tree.root_node().to_sexp()
            ));
        }
    }
    std::fs::remove_dir_all(&dir).ok();
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    // Both outcomes occur, so nginx really ran on each probe.
    assert!(
        rejected > 0 && rejected < PROBES.len(),
        "{rejected} rejected"
    );
}
