use crate::diagnostic::Severity;
use crate::rules::nginx::testing::*;
use crate::source::MemoryLoader;

fn codes<'a>(text: &'a str, code: &str) -> Vec<(usize, &'a str)> {
    findings(&check_site(text), code, text)
}

const APP_80: &str = "server {
    listen 80;
    server_name example.com;
    location / {
        proxy_pass http://127.0.0.1:8000;
    }
}
";

// ----- NGX002 -----

#[test]
fn an_app_server_that_is_the_implicit_default_is_reported_at_its_listen() {
    let d = check_site(APP_80);
    assert_eq!(findings(&d, "NGX002", APP_80), [(2, "listen 80;")]);
    let finding = d.iter().find(|d| d.code == "NGX002").unwrap();
    assert_eq!(finding.severity, Severity::Error);
    assert_eq!(
        finding.references.get("gixy").map(String::as_str),
        Some("default_server_flag")
    );
    let out = fixed(&d, "NGX002", APP_80);
    assert!(
        out.starts_with(
            "server {\n    listen 80 default_server;\n    server_name _;\n    return 444;\n}\n\nserver {\n    listen 80;"
        ),
        "{out}"
    );
    assert!(codes(&out, "NGX002").is_empty());
}

#[test]
fn a_tls_socket_gets_a_catch_all_that_rejects_the_handshake() {
    let text = "upstream app { server 127.0.0.1:8000; }\n\nserver {\n    listen [::]:443 ssl;\n    server_name example.com;\n    location / { proxy_pass http://app; }\n}\n";
    let d = check_site(text);
    assert_eq!(findings(&d, "NGX002", text), [(4, "listen [::]:443 ssl;")]);
    let finding = d.iter().find(|d| d.code == "NGX002").unwrap();
    assert!(finding.message.contains("[::]:443"), "{}", finding.message);
    let out = fixed(&d, "NGX002", text);
    assert!(out.contains("upstream app { server 127.0.0.1:8000; }\n\nserver {\n    listen [::]:443 ssl default_server;\n    server_name _;\n    ssl_reject_handshake on;\n    return 444;\n}\n\nserver {\n    listen [::]:443 ssl;"), "{out}");
    assert!(codes(&out, "NGX002").is_empty());
}

#[test]
fn a_catch_all_default_server_satisfies_every_kind() {
    for catch_all in [
        "server { listen 80 default_server; return 444; }",
        "server { listen 80 default; server_name _; return 404; }",
        "server { listen 80 default_server; deny all; }",
        "server { listen 80 default_server; location / { return 403; } }",
        // the app is not the default: some other site is (Django never sees unknown hosts)
        "server { listen 80 default_server; root /var/www/html; }",
    ] {
        let text = format!("{catch_all}\n{APP_80}");
        assert!(codes(&text, "NGX002").is_empty(), "{catch_all}");
    }
    // a server that checks the Host itself
    let text = "server { listen 80; server_name example.com; if ($host != example.com) { return 444; } location / { proxy_pass http://app; } }";
    assert!(codes(text, "NGX002").is_empty());
}

#[test]
fn several_servers_without_a_default_are_information_as_in_gixy() {
    let text = "server {\n    listen 80;\n    server_name a.example.com;\n    root /srv/a;\n}\nserver {\n    listen 80;\n    server_name b.example.com;\n    root /srv/b;\n}\nserver {\n    listen 8080;\n    root /srv/c;\n}\n";
    let d = check_site(text);
    assert_eq!(findings(&d, "NGX002", text), [(2, "listen 80;")]);
    let finding = d.iter().find(|d| d.code == "NGX002").unwrap();
    assert_eq!(finding.severity, Severity::Information);
    assert!(
        finding.message.contains("`a.example.com`"),
        "{}",
        finding.message
    );
}

#[test]
fn a_catch_all_that_is_default_only_by_order_should_say_so() {
    let text = "server {\n    listen 80;\n    return 444;\n}\nserver {\n    listen 80;\n    server_name example.com;\n    location / { proxy_pass http://app; }\n}\n";
    let d = check_site(text);
    assert_eq!(findings(&d, "NGX002", text), [(2, "listen 80;")]);
    let finding = d.iter().find(|d| d.code == "NGX002").unwrap();
    assert_eq!(finding.severity, Severity::Information);
    let out = fixed(&d, "NGX002", text);
    assert!(out.starts_with("server {\n    listen 80 default_server;\n"));
    assert!(codes(&out, "NGX002").is_empty());
}

#[test]
fn a_server_without_listen_is_on_port_80() {
    let text =
        "server {\n    server_name example.com;\n    location / { proxy_pass http://app; }\n}\n";
    assert_eq!(codes(text, "NGX002"), [(1, "server")]);
}

#[test]
fn an_unreadable_include_may_hold_the_catch_all() {
    let text = format!("include /etc/nginx/missing/*.conf;\ninclude /srv/none.conf;\n{APP_80}");
    assert!(codes(&text, "NGX002").is_empty());
}

#[test]
fn a_main_config_gets_the_catch_all_in_its_http_block() {
    let text = "events {}\nhttp {\n    server_tokens off;\n\n    server {\n        listen 80;\n        server_name example.com;\n        location / { proxy_pass http://app; }\n    }\n}\n";
    let d = check_main(text);
    assert_eq!(findings(&d, "NGX002", text), [(6, "listen 80;")]);
    let out = fixed(&d, "NGX002", text);
    assert!(out.contains("    server_tokens off;\n\n    server {\n        listen 80 default_server;\n        server_name _;\n        return 444;\n    }\n\n    server {\n        listen 80;"), "{out}");
}

#[test]
fn servers_of_an_included_file_are_reported_at_the_include() {
    let loader = MemoryLoader::default().with(
        "/srv/site/sites-enabled/app.conf",
        "server { listen 80; server_name example.com; location / { proxy_pass http://app; } }",
    );
    let text = "events {}\nhttp {\n    include sites-enabled/*.conf;\n}\n";
    let d = check_with("/srv/site/nginx.conf", text, &loader);
    assert_eq!(
        findings(&d, "NGX002", text),
        [(3, "include sites-enabled/*.conf;")]
    );
    let out = fixed(&d, "NGX002", text);
    assert!(
        out.starts_with("events {}\nhttp {\n    server {\n        listen 80 default_server;"),
        "{out}"
    );
}

// ----- NGX003 -----

#[test]
fn the_app_server_marked_default_is_reported_at_the_flag() {
    let text = "server {\n    listen 80 default_server;\n    server_name example.com;\n    location / { proxy_pass http://app; }\n}\n";
    let d = check_site(text);
    assert_eq!(findings(&d, "NGX003", text), [(2, "default_server")]);
    assert!(findings(&d, "NGX002", text).is_empty());
    let out = fixed(&d, "NGX003", text);
    assert!(
        out.contains("    listen 80;\n    server_name example.com;"),
        "{out}"
    );
    assert!(out.starts_with(
        "server {\n    listen 80 default_server;\n    server_name _;\n    return 444;\n}\n\n"
    ));
    let after = check_site(&out);
    assert!(
        after
            .iter()
            .all(|d| d.code != "NGX003" && d.code != "NGX002"),
        "{after:#?}"
    );
}

#[test]
fn placeholder_names_are_reported_at_server_name() {
    for name in ["_", "\"\"", "~.*", "~^(.*)$", "_ \"\""] {
        let text = format!(
            "server {{\n    listen 80;\n    server_name {name};\n    location / {{ proxy_pass http://app; }}\n}}\n"
        );
        let expected = format!("server_name {name};");
        assert_eq!(codes(&text, "NGX003"), [(3, expected.as_str())], "{name}");
    }
    let text = "server {\n    listen 80;\n    location / { proxy_pass http://app; }\n}\n";
    assert_eq!(codes(text, "NGX003"), [(1, "server")]);
}

#[test]
fn a_named_app_server_that_is_not_default_is_fine() {
    for name in [
        "example.com",
        "_ example.com",
        "~^(?<sub>.+)\\.example\\.com$",
        "*.example.com",
    ] {
        let text = format!(
            "server {{ listen 80 default_server; return 444; }}\nserver {{ listen 80; server_name {name}; location / {{ proxy_pass http://app; }} }}"
        );
        assert!(codes(&text, "NGX003").is_empty(), "{name}");
    }
    // a default server that does not proxy to the app
    assert!(codes("server { listen 80 default_server; root /srv; }", "NGX003").is_empty());
}

#[test]
fn a_default_app_server_without_a_name_gets_no_fix() {
    let text =
        "server { listen 80 default_server; server_name _; location / { proxy_pass http://app; } }";
    let d = check_site(text);
    assert_eq!(
        findings(&d, "NGX003", text),
        [(1, "default_server"), (1, "server_name _;")]
    );
    assert!(
        d.iter()
            .filter(|d| d.code == "NGX003")
            .all(|d| d.fix.is_none())
    );
}

// ----- NGX011 -----

#[test]
fn plain_http_app_server_with_a_tls_twin_is_reported() {
    let text = "server {\n    listen 80;\n    server_name example.com www.example.com;\n    location / { proxy_pass http://app; }\n}\nserver {\n    listen 443 ssl;\n    server_name www.example.com;\n    location / { proxy_pass http://app; }\n}\n";
    let d = check_site(text);
    assert_eq!(findings(&d, "NGX011", text), [(2, "listen 80;")]);
    let finding = d.iter().find(|d| d.code == "NGX011").unwrap();
    assert!(finding.message.contains("`www.example.com`"));
    let out = fixed(&d, "NGX011", text);
    assert!(
        out.starts_with("server {\n    return 301 https://$host$request_uri;\n    listen 80;"),
        "{out}"
    );
    assert!(codes(&out, "NGX011").is_empty());
}

#[test]
fn one_server_for_both_schemes_gets_a_scheme_check() {
    let text = "server {\n    listen 80;\n    listen 443 ssl;\n    server_name example.com;\n    location / { proxy_pass http://app; }\n}\n";
    let d = check_site(text);
    assert_eq!(findings(&d, "NGX011", text), [(2, "listen 80;")]);
    let out = fixed(&d, "NGX011", text);
    assert!(out.starts_with("server {\n    if ($scheme = http) {\n        return 301 https://$host$request_uri;\n    }\n    listen 80;"), "{out}");
    assert!(codes(&out, "NGX011").is_empty());
}

#[test]
fn redirecting_or_https_less_sites_are_fine() {
    // the usual pair
    let text = "server { listen 80; server_name example.com; return 301 https://$host$request_uri; }\nserver { listen 443 ssl; server_name example.com; location / { proxy_pass http://app; } }";
    assert!(codes(text, "NGX011").is_empty());
    // TLS ends at a load balancer: nginx has no TLS server
    assert!(codes(APP_80, "NGX011").is_empty());
    // another name has TLS
    let text = "server { listen 80; server_name a.com; location / { proxy_pass http://app; } }\nserver { listen 443 ssl; server_name b.com; location / { proxy_pass http://app; } }";
    assert!(codes(text, "NGX011").is_empty());
}

#[test]
fn an_acme_location_keeps_the_finding_without_a_fix() {
    let text = "server { listen 80; server_name a.com; location /.well-known/acme-challenge/ { root /var/www; } location / { proxy_pass http://app; } }\nserver { listen 443 ssl; server_name a.com; location / { proxy_pass http://app; } }";
    let d = check_site(text);
    assert_eq!(findings(&d, "NGX011", text), [(1, "listen 80;")]);
    assert!(d.iter().find(|d| d.code == "NGX011").unwrap().fix.is_none());
}

// ----- NGX030 -----

#[test]
fn listen_http2_is_reported_when_the_config_shows_a_recent_nginx() {
    let text = "server {\n    listen 443 ssl http2;\n    listen 443 quic reuseport;\n    server_name example.com;\n}\n";
    let d = check_site(text);
    assert_eq!(findings(&d, "NGX030", text), [(2, "http2")]);
    let out = fixed(&d, "NGX030", text);
    assert!(
        out.starts_with(
            "server {\n    http2 on;\n    listen 443 ssl;\n    listen 443 quic reuseport;"
        ),
        "{out}"
    );
    assert!(codes(&out, "NGX030").is_empty());
}

#[test]
fn listen_http2_is_not_reported_for_an_nginx_that_may_predate_the_directive() {
    let text = "server { listen 443 ssl http2; server_name example.com; }";
    assert!(codes(text, "NGX030").is_empty());
    // with the directive elsewhere, the fix only drops the parameter
    let text = "http2 on;\nserver {\n    listen 443 ssl http2;\n}\n";
    let d = check_site(text);
    assert_eq!(findings(&d, "NGX030", text), [(3, "http2")]);
    assert_eq!(
        fixed(&d, "NGX030", text),
        "http2 on;\nserver {\n    listen 443 ssl;\n}\n"
    );
}

// ----- NGX053 -----

const REJECTING: &str = "server {\n    listen 443 ssl default_server;\n    http2 on;\n    ssl_reject_handshake on;\n}\n";

#[test]
fn a_rejecting_http2_default_server_without_421_is_reported() {
    let d = check_site(REJECTING);
    assert_eq!(findings(&d, "NGX053", REJECTING), [(1, "server")]);
    let out = fixed(&d, "NGX053", REJECTING);
    assert!(
        out.contains("    location / {\n        return 421;\n    }\n"),
        "{out}"
    );
    assert!(codes(&out, "NGX053").is_empty());
    let text =
        "server { listen 443 ssl http2 default_server; ssl_reject_handshake on; return 444; }";
    let d = check_site(text);
    assert_eq!(findings(&d, "NGX053", text), [(1, "server")]);
    let out = fixed(&d, "NGX053", text);
    assert!(out.contains("return 421;"));
    assert!(codes(&out, "NGX053").is_empty());
}

#[test]
fn a_421_or_no_http2_is_fine() {
    let text = "server { listen 443 ssl http2 default_server; ssl_reject_handshake on; location / { return 421; } }";
    assert!(codes(text, "NGX053").is_empty());
    let text = "server { listen 443 ssl default_server; ssl_reject_handshake on; }";
    assert!(codes(text, "NGX053").is_empty());
    let text = "server { listen 443 ssl http2; ssl_reject_handshake on; }";
    assert!(codes(text, "NGX053").is_empty());
    let text = "server { listen 443 ssl http2 default_server; location / { root /srv; } }";
    assert!(codes(text, "NGX053").is_empty());
}

#[test]
fn unreadable_includes_in_a_server_keep_name_redirect_and_421_findings_quiet() {
    let text = "server { listen 80; include /srv/missing/names.conf; location / { proxy_pass http://app; } }";
    assert!(codes(text, "NGX003").is_empty());
    let text = "server { listen 80; server_name a.com; include /srv/missing/redirect.conf; location / { proxy_pass http://app; } }\nserver { listen 443 ssl; server_name a.com; }";
    assert!(codes(text, "NGX011").is_empty());
    let text = "server { listen 443 ssl http2 default_server; ssl_reject_handshake on; include /srv/missing/x.conf; }";
    assert!(codes(text, "NGX053").is_empty());
}

#[test]
fn servers_of_one_included_file_are_reported_once_at_the_include() {
    let loader = MemoryLoader::default().with(
        "/srv/site/conf.d/apps.conf",
        "server { listen 443 ssl; server_name a.com; }\nserver { listen 443 ssl; server_name b.com; }\n",
    );
    let text = "events {}\nhttp {\n    include conf.d/*.conf;\n}\n";
    let d = check_with("/srv/site/nginx.conf", text, &loader);
    for code in ["NGX009", "NGX010", "NGX015", "NGX020"] {
        assert_eq!(
            findings(&d, code, text),
            [(3, "include conf.d/*.conf;")],
            "{code}"
        );
    }
}
