//! Django parity: Preflight must report exactly the ids the real `check --deploy` prints, on
//! hundreds of generated settings modules. Needs the oracle venvs (tests/oracle/setup.sh).

mod parity;

#[test]
fn parity_with_django_6_1() {
    parity::run("6.1");
}

#[test]
fn parity_with_django_5_2_on_version_sensitive_cases() {
    parity::run("5.2");
}
