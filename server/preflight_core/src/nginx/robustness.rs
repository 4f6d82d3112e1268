//! Adversarial nginx input through the whole analysis (model, includes, every rule): no panic,
//! no hang, a diagnostic where something is wrong.

use crate::rules::nginx::testing::check_with as analyze;
use crate::source::MemoryLoader;

/// A realistic site block, repeated to make large configs.
const SITE: &str = "server {\n    listen 443 ssl;\n    server_name www.example.com;\n    ssl_protocols TLSv1.2;\n    add_header X-Frame-Options DENY;\n    location /static/ { alias /srv/static/; }\n    location /media/ { alias /srv/media/; }\n    location ~ \\.php$ { fastcgi_pass unix:/run/php.sock; }\n    location / {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_set_header Host $http_host;\n        if ($request_method = POST) { return 405; }\n    }\n}\n";

#[test]
fn a_ten_megabyte_config_is_analysed() {
    let text = SITE.repeat((10 << 20) / SITE.len() + 1);
    assert!(text.len() > 10 << 20);
    let found = analyze("/srv/sites-available/big", &text, &MemoryLoader::default());
    let servers = text.matches("server {").count();
    // one Host finding per server at least: every server was checked
    assert!(found.iter().filter(|d| d.code == "NGX012").count() >= servers);
}

#[test]
fn ten_thousand_nested_locations_are_analysed() {
    let depth = 10_000;
    let mut text = String::from("server {\n    listen 80;\n");
    for i in 0..depth {
        text.push_str(&format!(
            "location /{i}/ {{ add_header X-{i} 1; proxy_set_header Host $http_host;\n"
        ));
    }
    text.push_str(&"}\n".repeat(depth));
    text.push_str("}\n");
    let found = analyze("/srv/sites-available/deep", &text, &MemoryLoader::default());
    assert!(found.iter().filter(|d| d.code == "NGX012").count() >= depth);
}

#[test]
fn ten_thousand_unclosed_blocks_are_one_syntax_error() {
    let text = "location / {\n".repeat(10_000);
    let found = analyze("/srv/sites-available/open", &text, &MemoryLoader::default());
    assert_eq!(found.iter().filter(|d| d.code == "NGX000").count(), 1);
}

#[test]
fn include_cycles_and_explosions_are_reported_not_followed() {
    // every file includes every file: a cycle, and without limits an exponential expansion
    let mut loader = MemoryLoader::default();
    for i in 0..8 {
        loader.insert(
            format!("/etc/nginx/conf.d/{i}.conf"),
            "include conf.d/*.conf;\nserver { listen 80; }\n",
        );
    }
    let text = "events {}\nhttp {\n    include conf.d/*.conf;\n}\n";
    let found = analyze("/etc/nginx/nginx.conf", text, &loader);
    assert!(found.iter().any(|d| d.code == "NGX902"), "{found:#?}");
}

#[test]
fn control_characters_and_odd_unicode_do_not_panic() {
    let text = "server {\u{0}\u{1}\n listen \u{feff}80;\n location /é\u{301} { return 200 \"\u{1F600}\"; }\n}\r\n";
    analyze("/srv/sites-available/odd", text, &MemoryLoader::default());
}
