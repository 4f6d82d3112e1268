//! Compiles the committed, generated parser and upstream's external scanner.
//!
//! The C symbols are renamed (`tree_sitter_python*` -> `tree_sitter_python_preflight*`) so this
//! grammar can be linked next to the upstream `tree-sitter-python` crate, which the parity test
//! does; the sources themselves stay as generated and as upstream wrote them.

fn main() {
    let src_dir = std::path::Path::new("src");

    let mut build = cc::Build::new();
    build
        .std("c11")
        .include(src_dir)
        .flag_if_supported("-Wno-unused-value")
        .flag_if_supported("-Wno-unused-parameter")
        .flag_if_supported("-Wno-unused-but-set-variable");

    #[cfg(target_env = "msvc")]
    build.flag("-utf-8");

    build.define("tree_sitter_python", "tree_sitter_python_preflight");
    for function in ["create", "destroy", "scan", "serialize", "deserialize"] {
        build.define(
            &format!("tree_sitter_python_external_scanner_{function}"),
            format!("tree_sitter_python_preflight_external_scanner_{function}").as_str(),
        );
    }

    for file in ["parser.c", "scanner.c"] {
        let path = src_dir.join(file);
        println!("cargo:rerun-if-changed={}", path.display());
        build.file(path);
    }
    println!("cargo:rerun-if-changed=src/tree_sitter/parser.h");

    build.compile("tree-sitter-python-preflight");
}
