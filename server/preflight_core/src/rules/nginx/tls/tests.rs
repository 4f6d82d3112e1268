use crate::diagnostic::Severity;
use crate::rules::nginx::testing::*;

fn codes<'a>(text: &'a str, code: &str) -> Vec<(usize, &'a str)> {
    findings(&check_site(text), code, text)
}

/// A TLS server with good settings, and `extra` added.
fn tls_server(extra: &str) -> String {
    format!(
        "server {{\n    listen 443 ssl;\n    server_name example.com;\n    ssl_protocols TLSv1.2 TLSv1.3;\n    ssl_ciphers ECDHE+AESGCM;\n    add_header Strict-Transport-Security \"max-age=63072000\" always;\n{extra}}}\n"
    )
}

// ----- NGX009 -----

#[test]
fn old_protocols_are_reported_at_the_first_one_with_a_fix() {
    let text = "ssl_protocols TLSv1.3 TLSv1 tlsv1.1 TLSv1.2;\n";
    let d = only(check_site(text), "NGX009");
    assert_eq!(findings(&d, "NGX009", text), [(1, "TLSv1")]);
    assert!(d[0].message.contains("TLSv1, tlsv1.1"), "{}", d[0].message);
    assert_eq!(
        d[0].references.get("gixy").map(String::as_str),
        Some("weak_ssl_tls")
    );
    assert_eq!(
        fixed(&d, "NGX009", text),
        "ssl_protocols TLSv1.3 TLSv1.2;\n"
    );
    let text = "server { ssl_protocols SSLv3 TLSv1; }";
    let d = check_site(text);
    assert_eq!(
        fixed(&d, "NGX009", text),
        "server { ssl_protocols TLSv1.2 TLSv1.3; }"
    );
    assert!(codes(&tls_server(""), "NGX009").is_empty());
}

#[test]
fn a_tls_server_without_protocols_is_a_warning() {
    let text = "server {\n    listen 443 ssl;\n    ssl_ciphers ECDHE+AESGCM;\n}\n";
    let d = check_site(text);
    assert_eq!(findings(&d, "NGX009", text), [(1, "server")]);
    let finding = d.iter().find(|d| d.code == "NGX009").unwrap();
    assert_eq!(finding.severity, Severity::Warning);
    let out = fixed(&d, "NGX009", text);
    assert!(out.starts_with("server {\n    ssl_protocols TLSv1.2 TLSv1.3;\n    listen 443 ssl;"));
    assert!(codes(&out, "NGX009").is_empty());
    // inherited from the site file's top level (the http block): fine
    let text = "ssl_protocols TLSv1.2 TLSv1.3;\nserver { listen 443 ssl; }";
    assert!(codes(text, "NGX009").is_empty());
    // a plain server needs none
    assert!(codes("server { listen 80; }", "NGX009").is_empty());
}

#[test]
fn a_main_config_gets_protocols_in_its_http_block() {
    let text = "events {}\nhttp {\n    server {\n        listen 443 ssl;\n    }\n    server {\n        listen 8443 ssl;\n    }\n}\n";
    let d = check_main(text);
    assert_eq!(findings(&d, "NGX009", text), [(3, "server"), (6, "server")]);
    let out = fixed(&d, "NGX009", text);
    assert!(out.starts_with("events {}\nhttp {\n    ssl_protocols TLSv1.2 TLSv1.3;\n    server {"));
    assert!(findings(&check_main(&out), "NGX009", &out).is_empty());
}

// ----- NGX010 -----

#[test]
fn weak_and_non_aead_cipher_lists_are_reported_at_the_value() {
    let text = tls_server("    ssl_ciphers HIGH:!aNULL:!MD5;\n");
    let d = check_site(&text);
    assert_eq!(findings(&d, "NGX010", &text), [(7, "HIGH:!aNULL:!MD5")]);
    assert!(
        d.iter()
            .find(|d| d.code == "NGX010")
            .unwrap()
            .message
            .contains("`HIGH`")
    );
    let out = fixed(&d, "NGX010", &text);
    assert!(out.contains("ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:"));
    assert!(codes(&out, "NGX010").is_empty());

    let text = "ssl_ciphers 'RC4:ECDHE+AESGCM';\n";
    let d = only(check_site(text), "NGX010");
    assert_eq!(findings(&d, "NGX010", text), [(1, "'RC4:ECDHE+AESGCM'")]);
    assert!(d[0].message.contains("(RC4)"), "{}", d[0].message);
    assert!(d[0].fix.as_ref().unwrap().safe);
}

#[test]
fn ciphers_do_not_matter_with_tls13_only() {
    let text = "ssl_protocols TLSv1.3;\nssl_ciphers HIGH;\nserver { listen 443 ssl; }\n";
    assert!(codes(text, "NGX010").is_empty());
}

#[test]
fn a_tls_server_without_ciphers_is_a_warning() {
    let text = "server {\n    listen 443 ssl;\n    ssl_protocols TLSv1.2 TLSv1.3;\n}\n";
    let d = check_site(text);
    assert_eq!(findings(&d, "NGX010", text), [(1, "server")]);
    let out = fixed(&d, "NGX010", text);
    assert!(codes(&out, "NGX010").is_empty());
}

#[test]
fn prefer_server_ciphers_on_is_information() {
    let text = tls_server("    ssl_prefer_server_ciphers on;\n");
    let d = check_site(&text);
    assert_eq!(findings(&d, "NGX010", &text), [(7, "on")]);
    assert_eq!(
        d.iter().find(|d| d.code == "NGX010").unwrap().severity,
        Severity::Information
    );
    assert!(fixed(&d, "NGX010", &text).contains("ssl_prefer_server_ciphers off;"));
    let text = tls_server(
        "    ssl_prefer_server_ciphers on;\n    ssl_conf_command Options PrioritizeChaCha;\n",
    );
    assert!(codes(&text, "NGX010").is_empty());
}

// ----- NGX015 -----

#[test]
fn a_tls_server_without_hsts_is_reported_with_a_fix() {
    let text = "server {\n    listen 443 ssl;\n    server_name example.com;\n}\n";
    let d = check_site(text);
    assert_eq!(findings(&d, "NGX015", text), [(1, "server")]);
    let finding = d.iter().find(|d| d.code == "NGX015").unwrap();
    assert_eq!(
        finding.references.get("gixy").map(String::as_str),
        Some("hsts_header")
    );
    assert!(!finding.fix.as_ref().unwrap().safe);
    let out = fixed(&d, "NGX015", text);
    assert!(out.contains(
        "    add_header Strict-Transport-Security \"max-age=63072000; includeSubDomains\" always;\n"
    ));
    assert!(codes(&out, "NGX015").is_empty());
}

#[test]
fn the_hsts_fix_repeats_inherited_headers() {
    let text = "add_header X-Frame-Options DENY;\nserver {\n    listen 443 ssl;\n}\n";
    let d = check_site(text);
    assert_eq!(findings(&d, "NGX015", text), [(2, "server")]);
    let out = fixed(&d, "NGX015", text);
    assert!(out.contains("    add_header Strict-Transport-Security \"max-age=63072000; includeSubDomains\" always;\n    add_header X-Frame-Options DENY;\n"), "{out}");
}

#[test]
fn a_server_add_header_drops_the_inherited_hsts() {
    let text = "add_header Strict-Transport-Security \"max-age=63072000\" always;\nserver {\n    listen 443 ssl;\n    add_header X-Frame-Options DENY;\n}\nserver {\n    listen 443 ssl;\n    server_name b;\n}\n";
    assert_eq!(codes(text, "NGX015"), [(2, "server")]);
}

#[test]
fn short_max_age_and_missing_always() {
    let text = tls_server("").replace(
        "\"max-age=63072000\" always",
        "\"max-age=3600; includeSubDomains\"",
    );
    let d = check_site(&text);
    assert_eq!(
        findings(&d, "NGX015", &text),
        [
            (
                6,
                "add_header Strict-Transport-Security \"max-age=3600; includeSubDomains\";"
            ),
            (6, "\"max-age=3600; includeSubDomains\"")
        ]
    );
    let short = d
        .iter()
        .find(|d| d.code == "NGX015" && d.message.contains("3600"))
        .unwrap();
    assert_eq!(short.severity, Severity::Warning);
    let out = crate::diagnostic::apply_edits(&text, &short.fix.as_ref().unwrap().edits);
    assert!(
        out.contains("\"max-age=63072000; includeSubDomains\";"),
        "{out}"
    );
    let always = d
        .iter()
        .find(|d| d.code == "NGX015" && d.message.contains("always"))
        .unwrap();
    assert_eq!(always.severity, Severity::Information);
    let out = crate::diagnostic::apply_edits(&text, &always.fix.as_ref().unwrap().edits);
    assert!(out.contains("includeSubDomains\" always;"), "{out}");
}

#[test]
fn servers_that_send_no_headers_or_use_modules_are_skipped() {
    for server in [
        "server { listen 443 ssl default_server; ssl_reject_handshake on; }",
        "server { listen 443 ssl default_server; return 444; }",
        "server { listen 443 ssl; more_set_headers \"Strict-Transport-Security: max-age=63072000\"; }",
        "server { listen 443 ssl; security_headers on; }",
        "server { listen 80; }",
    ] {
        assert!(codes(server, "NGX015").is_empty(), "{server}");
    }
}

// ----- NGX031, NGX035 -----

#[test]
fn stapling_a_letsencrypt_certificate() {
    let text = "server {\n    listen 443 ssl;\n    ssl_certificate /etc/letsencrypt/live/a/fullchain.pem;\n    ssl_stapling on;\n    resolver 127.0.0.1;\n}\n";
    let d = check_site(text);
    assert_eq!(findings(&d, "NGX031", text), [(4, "ssl_stapling on;")]);
    assert!(findings(&d, "NGX035", text).is_empty());
    let out = fixed(&d, "NGX031", text);
    assert!(out.contains("ssl_stapling off;"));
    assert!(codes(&out, "NGX031").is_empty());
    // inherited stapling: the fix turns it off in this server
    let text = "ssl_stapling on;\nresolver 127.0.0.1;\nserver {\n    listen 443 ssl;\n    ssl_certificate /etc/letsencrypt/live/a/fullchain.pem;\n}\n";
    let d = check_site(text);
    assert_eq!(findings(&d, "NGX031", text), [(1, "ssl_stapling on;")]);
    let out = fixed(&d, "NGX031", text);
    assert!(out.contains("server {\n    ssl_stapling off;\n"), "{out}");
    assert!(codes(&out, "NGX031").is_empty());
}

#[test]
fn stapling_other_certificates_or_off_is_fine() {
    let text = "server { listen 443 ssl; ssl_certificate /etc/ssl/a.pem; ssl_stapling on; resolver 127.0.0.1; }";
    assert!(codes(text, "NGX031").is_empty());
    let text = "server { listen 443 ssl; ssl_certificate /etc/letsencrypt/live/a/f.pem; ssl_stapling off; }";
    assert!(codes(text, "NGX031").is_empty());
    // the server's own certificate replaces the inherited one
    let text = "ssl_certificate /etc/letsencrypt/live/a/f.pem;\nserver { listen 443 ssl; ssl_certificate /etc/ssl/b.pem; ssl_stapling on; resolver 127.0.0.1; }";
    assert!(codes(text, "NGX031").is_empty());
}

#[test]
fn stapling_without_a_resolver() {
    let text = "server {\n    listen 443 ssl;\n    ssl_stapling on;\n}\n";
    let d = check_site(text);
    assert_eq!(findings(&d, "NGX035", text), [(3, "ssl_stapling on;")]);
    let out = fixed(&d, "NGX035", text);
    assert!(
        out.contains("    resolver 127.0.0.1;\n    ssl_stapling on;"),
        "{out}"
    );
    assert!(codes(&out, "NGX035").is_empty());
    assert!(
        codes(
            "resolver 10.0.0.2;\nserver { listen 443 ssl; ssl_stapling on; }",
            "NGX035"
        )
        .is_empty()
    );
    assert!(codes("server { listen 80; ssl_stapling on; }", "NGX035").is_empty());
}

// ----- NGX034 -----

#[test]
fn ssl_on_moves_to_the_listens() {
    let text = "server {\n    listen 443;\n    listen [::]:443 ssl;\n    ssl on;\n}\n";
    let d = check_site(text);
    assert_eq!(findings(&d, "NGX034", text), [(4, "ssl on;")]);
    let out = fixed(&d, "NGX034", text);
    assert_eq!(
        out,
        "server {\n    listen 443 ssl;\n    listen [::]:443 ssl;\n}\n"
    );
    let text = "server { listen 80; ssl off; }";
    let d = check_site(text);
    assert_eq!(findings(&d, "NGX034", text), [(1, "ssl off;")]);
    assert_eq!(fixed(&d, "NGX034", text), "server { listen 80; }");
    assert!(codes("server { listen 443 ssl; }", "NGX034").is_empty());
}

// ----- NGX060 -----

#[test]
fn post_quantum_groups_without_a_prefix() {
    let text = "ssl_ecdh_curve X25519MLKEM768:X25519:prime256v1;\n";
    let d = only(check_site(text), "NGX060");
    assert_eq!(
        findings(&d, "NGX060", text),
        [(1, "X25519MLKEM768:X25519:prime256v1")]
    );
    assert_eq!(
        fixed(&d, "NGX060", text),
        "ssl_ecdh_curve X25519:prime256v1;\n"
    );
    let alternative = &d[0].alternatives[0];
    assert_eq!(
        crate::diagnostic::apply_edits(text, &alternative.edits),
        "ssl_ecdh_curve ?X25519MLKEM768:X25519:prime256v1;\n"
    );
    let text = "ssl_ecdh_curve X25519Kyber768Draft00;";
    assert_eq!(
        fixed(&check_site(text), "NGX060", text),
        "ssl_ecdh_curve X25519:prime256v1:secp384r1;"
    );
    for fine in [
        "ssl_ecdh_curve auto;",
        "ssl_ecdh_curve ?X25519MLKEM768:X25519;",
        "ssl_ecdh_curve secp384r1;",
    ] {
        assert!(codes(fine, "NGX060").is_empty(), "{fine}");
    }
}

#[test]
fn an_unreadable_include_may_send_hsts() {
    let text = "server { listen 443 ssl; add_header X-A 1; include /srv/missing/headers.conf; }";
    assert!(codes(text, "NGX015").is_empty());
    let text = "add_header X-A 1;\ninclude /srv/missing/headers.conf;\nserver { listen 443 ssl; }";
    assert!(codes(text, "NGX015").is_empty());
    // an include elsewhere does not matter
    let text = "include /srv/missing/other.conf;\nserver { listen 443 ssl; add_header X-A 1; }";
    assert_eq!(codes(text, "NGX015"), [(2, "server")]);
}
