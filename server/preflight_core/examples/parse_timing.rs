use preflight_core::syntax::*;
use std::time::{Duration, Instant};
fn main() {
    let mut py = String::new();
    let mut i = 0;
    while py.len() < 10 * 1024 * 1024 {
        py.push_str(&format!(
            "_FILLER_{i} = {{\"name\": \"value {i}\", \"items\": [1, 2, 3]}}  # entry {i}\n"
        ));
        i += 1;
    }
    let ngx = "server {\n    listen 80;\n}\n".repeat(400_000);
    let mut comments = String::from("DEBUG = False\n");
    while comments.len() < 200_000 {
        comments.push_str("# a comment line of ordinary length, as a long commented-out block\n");
    }
    with_budget(Duration::from_secs(1000), || {
        let t = Instant::now();
        let r = parse_python(&mut python_parser(), &py, None).is_ok();
        println!("py 10MB {:?} {r}", t.elapsed());
        let t = Instant::now();
        let r = parse_nginx(&mut nginx_parser(), &ngx, None).is_ok();
        println!("nginx 10MB {:?} {r}", t.elapsed());
        let t = Instant::now();
        let r = parse_python(&mut python_parser(), &comments, None).is_ok();
        println!("comments 200KB {:?} {r}", t.elapsed());
    });
}
