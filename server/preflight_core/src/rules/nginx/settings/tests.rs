use crate::diagnostic::{Severity, apply_edits};
use crate::rules::nginx::testing::*;

fn codes<'a>(text: &'a str, code: &str) -> Vec<(usize, &'a str)> {
    findings(&check_site(text), code, text)
}

fn main_codes<'a>(text: &'a str, code: &str) -> Vec<(usize, &'a str)> {
    findings(&check_main(text), code, text)
}

const APP: &str = "server {\n    listen 80;\n    server_name example.com;\n    location / {\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n";

// ----- NGX020 -----

#[test]
fn server_tokens_on_or_build_is_reported_at_the_value() {
    let text = "server_tokens build;\nserver {\n    server_tokens On;\n}\n";
    let d = check_site(text);
    assert_eq!(findings(&d, "NGX020", text), [(1, "build"), (3, "On")]);
    let finding = d.iter().find(|d| d.code == "NGX020").unwrap();
    assert_eq!(finding.severity, Severity::Warning);
    assert_eq!(
        finding.references.get("gixy").map(String::as_str),
        Some("version_disclosure")
    );
    assert!(fixed(&d, "NGX020", text).starts_with("server_tokens off;\n"));
}

#[test]
fn unset_server_tokens_in_a_site_file_is_reported_per_server() {
    let text = "server {\n    listen 80;\n}\nserver {\n    listen 81;\n    server_tokens off;\n}\n";
    let d = check_site(text);
    assert_eq!(findings(&d, "NGX020", text), [(1, "server")]);
    let out = fixed(&d, "NGX020", text);
    assert!(out.starts_with("server {\n    server_tokens off;\n    listen 80;"));
    assert!(codes(&out, "NGX020").is_empty());
    // set at the site file's top level, which is inside http
    assert!(codes("server_tokens off;\nserver { listen 80; }", "NGX020").is_empty());
}

#[test]
fn unset_server_tokens_in_a_main_config_is_fixed_in_http() {
    let text = "events {}\nhttp {\n    server {\n        listen 80;\n    }\n    server {\n        listen 81;\n    }\n}\n";
    let d = check_main(text);
    assert_eq!(findings(&d, "NGX020", text), [(3, "server"), (6, "server")]);
    let out = fixed(&d, "NGX020", text);
    assert!(out.starts_with("events {}\nhttp {\n    server_tokens off;\n    server {"));
    assert!(main_codes(&out, "NGX020").is_empty());
    // a main config without http, and an unreadable include, say nothing
    assert!(main_codes("events {}\nstream { server { listen 53; } }\n", "NGX020").is_empty());
    assert!(
        main_codes(
            "events {}\nhttp { include /nonexistent/x.conf; server { listen 80; } }\n",
            "NGX020"
        )
        .is_empty()
    );
}

// ----- NGX023 -----

#[test]
fn unlimited_body_size_is_a_warning() {
    let text = "client_max_body_size 0;\n";
    let d = only(check_site(text), "NGX023");
    assert_eq!(findings(&d, "NGX023", text), [(1, "0")]);
    assert_eq!(d[0].severity, Severity::Warning);
    assert_eq!(fixed(&d, "NGX023", text), "client_max_body_size 25m;\n");
}

#[test]
fn unset_body_size_is_a_hint_once_per_app_server() {
    let text = "server {\n    listen 80;\n    location /api/ { proxy_pass http://app; }\n    location /upload/ { proxy_pass http://app; }\n}\n";
    let d = check_site(text);
    assert_eq!(findings(&d, "NGX023", text), [(1, "server")]);
    assert_eq!(
        d.iter().find(|d| d.code == "NGX023").unwrap().severity,
        Severity::Hint
    );
    let out = fixed(&d, "NGX023", text);
    assert!(out.starts_with("server {\n    client_max_body_size 25m;\n"));
    assert!(codes(&out, "NGX023").is_empty());
    // set for every app location, or inherited: fine; static servers: not asked
    assert!(
        codes(
            "server { location / { proxy_pass http://app; client_max_body_size 10m; } }",
            "NGX023"
        )
        .is_empty()
    );
    assert!(
        codes(
            "client_max_body_size 10m;\nserver { location / { proxy_pass http://app; } }",
            "NGX023"
        )
        .is_empty()
    );
    assert!(codes("server { location / { root /srv; } }", "NGX023").is_empty());
}

// ----- NGX028 -----

#[test]
fn long_timeouts_are_reported_at_the_value() {
    let text = "client_body_timeout 2m;\nsend_timeout 60s;\nkeepalive_timeout 0;\nkeepalive_timeout 300s 300s;\nkeepalive_timeout 65;\n";
    let d = check_site(text);
    assert_eq!(
        findings(&d, "NGX028", text),
        [(1, "2m"), (3, "0"), (4, "300s")]
    );
    assert_eq!(fixed(&d, "NGX028", text), text.replacen("2m", "15s", 1));
}

#[test]
fn unset_client_timeouts_are_reported_once_per_app_server() {
    let d = check_site(APP);
    assert_eq!(findings(&d, "NGX028", APP), [(1, "server")]);
    let finding = d.iter().find(|d| d.code == "NGX028").unwrap();
    assert!(
        finding.message.starts_with(
            "`client_body_timeout`, `client_header_timeout`, `send_timeout` are unset"
        ),
        "{}",
        finding.message
    );
    let out = fixed(&d, "NGX028", APP);
    assert!(out.starts_with("server {\n    client_body_timeout 15s;\n    client_header_timeout 15s;\n    send_timeout 15s;\n"));
    assert!(codes(&out, "NGX028").is_empty());
    let text = "client_body_timeout 10s;\nclient_header_timeout 10s;\nserver { send_timeout 10s; location / { proxy_pass http://app; } }";
    assert!(codes(text, "NGX028").is_empty());
    assert!(codes("server { listen 80; root /srv; }", "NGX028").is_empty());
}

// ----- NGX044, NGX045 -----

#[test]
fn error_log_off_is_reported_with_two_fixes() {
    let text = "error_log off;\nerror_log /var/log/nginx/error.log;\n";
    let d = check_site(text);
    assert_eq!(findings(&d, "NGX044", text), [(1, "off")]);
    let finding = &d.iter().find(|d| d.code == "NGX044").unwrap();
    assert_eq!(
        finding.references.get("gixy").map(String::as_str),
        Some("error_log_off")
    );
    assert!(fixed(&d, "NGX044", text).starts_with("error_log /var/log/nginx/error.log;\n"));
    assert_eq!(
        apply_edits(text, &finding.alternatives[0].edits),
        "error_log /dev/null;\nerror_log /var/log/nginx/error.log;\n"
    );
}

#[test]
fn underscores_in_headers_on_is_a_hint() {
    let text = "underscores_in_headers on;\nserver { underscores_in_headers off; }\n";
    let d = check_site(text);
    assert_eq!(findings(&d, "NGX045", text), [(1, "on")]);
    assert_eq!(
        d.iter().find(|d| d.code == "NGX045").unwrap().severity,
        Severity::Hint
    );
    assert!(fixed(&d, "NGX045", text).starts_with("underscores_in_headers off;"));
}

// ----- NGX046 -----

#[test]
fn public_resolvers_are_reported_at_the_first_one() {
    let text = "resolver 127.0.0.53 8.8.8.8 [2001:4860:4860::8888]:53 valid=30s;\n";
    let d = check_site(text);
    assert_eq!(findings(&d, "NGX046", text), [(1, "8.8.8.8")]);
    let finding = d.iter().find(|d| d.code == "NGX046").unwrap();
    assert!(
        finding
            .message
            .contains("8.8.8.8, [2001:4860:4860::8888]:53"),
        "{}",
        finding.message
    );
    assert_eq!(
        fixed(&d, "NGX046", text),
        "resolver 127.0.0.53 valid=30s;\n"
    );
    let text = "resolver 1.1.1.1:53 dns.google;";
    assert_eq!(
        fixed(&check_site(text), "NGX046", text),
        "resolver 127.0.0.1;"
    );
}

#[test]
fn local_resolvers_are_fine() {
    for resolver in [
        "127.0.0.11",
        "10.0.0.2:53",
        "192.168.1.1 172.16.0.1",
        "169.254.169.253",
        "[::1]",
        "::1",
        "[fd00::53]:53",
        "fe80::1",
        "localhost",
        "unbound",
        "dns.internal",
        "ns.corp",
    ] {
        let text = format!("resolver {resolver} ipv6=off;");
        assert!(codes(&text, "NGX046").is_empty(), "{resolver}");
    }
}

// ----- NGX055 -----

#[test]
fn low_keepalive_requests() {
    let text = "keepalive_requests 100;\nupstream app { server 127.0.0.1:8000; keepalive_requests 5000; }\n";
    let d = check_site(text);
    assert_eq!(findings(&d, "NGX055", text), [(1, "100")]);
    let out = fixed(&d, "NGX055", text);
    assert!(out.starts_with("keepalive_requests 1000;"));
    assert!(codes(&out, "NGX055").is_empty());
}

// ----- NGX058 -----

const QUIC: &str = "worker_processes auto;\nquic_bpf on;\nevents {}\nhttp {\n    server {\n        listen 443 quic reuseport;\n    }\n}\n";

#[test]
fn quic_bpf_with_reuseport_and_workers() {
    let d = check_main(QUIC);
    assert_eq!(findings(&d, "NGX058", QUIC), [(2, "quic_bpf on;")]);
    let out = fixed(&d, "NGX058", QUIC);
    assert!(out.contains("quic_bpf off;"));
    assert!(main_codes(&out, "NGX058").is_empty());
    let one_worker = QUIC.replace("auto", "1");
    assert!(main_codes(&one_worker, "NGX058").is_empty());
    let default_workers = QUIC.replace("worker_processes auto;\n", "");
    assert!(main_codes(&default_workers, "NGX058").is_empty());
    let no_reuseport = QUIC.replace(" reuseport", "");
    assert!(main_codes(&no_reuseport, "NGX058").is_empty());
}

// ----- NGX063 -----

#[test]
fn worker_rlimit_nofile_too_low_or_missing() {
    let text = "worker_rlimit_nofile 1024;\nevents {\n    worker_connections 1024;\n}\n";
    let d = check_main(text);
    assert_eq!(
        findings(&d, "NGX063", text),
        [(3, "worker_connections 1024;")]
    );
    let out = fixed(&d, "NGX063", text);
    assert!(out.starts_with("worker_rlimit_nofile 2048;\n"));
    assert!(main_codes(&out, "NGX063").is_empty());

    let text = "user www-data;\nevents {\n    worker_connections 768;\n}\n";
    let d = check_main(text);
    assert_eq!(
        findings(&d, "NGX063", text),
        [(3, "worker_connections 768;")]
    );
    let out = fixed(&d, "NGX063", text);
    assert_eq!(
        out,
        "user www-data;\nworker_rlimit_nofile 1536;\nevents {\n    worker_connections 768;\n}\n"
    );
    assert!(main_codes(&out, "NGX063").is_empty());
    assert!(
        main_codes(
            "worker_rlimit_nofile 65535;\nevents { worker_connections 4096; }",
            "NGX063"
        )
        .is_empty()
    );
}
