//! What an OpenSSL cipher string (`ssl_ciphers`) enables, as far as TLS 1.2 and below go:
//! whether every suite it can add is AEAD with forward secrecy, and which weak families
//! (RC4, 3DES, NULL, anonymous, export, ...) it lets through.
//!
//! Without OpenSSL's suite table this is conservative: an alias Preflight cannot prove strong
//! (`HIGH`, `DEFAULT`, `AES`, `PROFILE=SYSTEM`) counts as enabling CBC suites, which it does
//! in every OpenSSL build.

/// The Mozilla intermediate cipher list (TLS 1.2; TLS 1.3 suites are not set by `ssl_ciphers`).
pub const MOZILLA_INTERMEDIATE: &str = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:\
ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:\
ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:\
DHE-RSA-CHACHA20-POLY1305";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Only AEAD suites with forward secrecy.
    Strong,
    /// Weak families (e.g. `RC4`, `3DES`) that nothing in the string removes again.
    Weak(Vec<&'static str>),
    /// The commands (as written) that may add suites without AEAD or forward secrecy.
    NotAead(Vec<String>),
    /// Only TLS 1.3 suite names: OpenSSL matches no cipher and nginx does not start while
    /// TLS 1.2 is enabled.
    NoTls12Cipher,
}

/// Weak families: the name reported, the selectors (upper-case) that stand for the family or
/// remove it, and the prefixes/infixes of its concrete suite names.
struct Family {
    name: &'static str,
    aliases: &'static [&'static str],
    suites: &'static [&'static str],
}

const FAMILIES: &[Family] = &[
    Family {
        name: "RC4",
        aliases: &["RC4"],
        suites: &["RC4-"],
    },
    Family {
        name: "3DES",
        aliases: &["3DES", "DES-CBC3"],
        suites: &["DES-CBC3-"],
    },
    Family {
        name: "DES",
        aliases: &["DES"],
        suites: &["DES-CBC-"],
    },
    Family {
        name: "NULL",
        aliases: &["NULL", "ENULL"],
        suites: &["NULL-"],
    },
    Family {
        name: "aNULL",
        aliases: &["ANULL", "ADH", "AECDH"],
        suites: &["ADH-", "AECDH-"],
    },
    Family {
        name: "EXPORT",
        aliases: &["EXP", "EXPORT", "EXPORT40", "EXPORT56"],
        suites: &["EXP-", "EXP1024-"],
    },
    Family {
        name: "MD5",
        aliases: &["MD5"],
        suites: &["-MD5"],
    },
    Family {
        name: "LOW",
        aliases: &["LOW"],
        suites: &[],
    },
    Family {
        name: "MEDIUM",
        aliases: &["MEDIUM"],
        suites: &[],
    },
    Family {
        name: "SEED",
        aliases: &["SEED"],
        suites: &["SEED-"],
    },
    Family {
        name: "IDEA",
        aliases: &["IDEA"],
        suites: &["IDEA-"],
    },
    Family {
        name: "CAMELLIA",
        aliases: &["CAMELLIA", "CAMELLIA128", "CAMELLIA256"],
        suites: &["CAMELLIA"],
    },
    Family {
        name: "SSLv2",
        aliases: &["SSLV2"],
        suites: &[],
    },
];

/// Selectors that, in an intersection, mean authenticated ephemeral key exchange.
const PFS_AUTHENTICATED: &[&str] = &["ECDHE", "EECDH", "DHE", "EDH"];
/// Ephemeral key exchange including anonymous suites (need an authentication selector or a
/// ban of aNULL to be strong).
const PFS_ANY: &[&str] = &["KECDHE", "KEECDH", "KDHE", "KEDH", "ECDH", "DH"];
const AUTHENTICATED: &[&str] = &["ARSA", "AECDSA", "ECDSA", "RSA", "ADSS", "DSS"];
const AEAD: &[&str] = &["AESGCM", "CHACHA20", "AESCCM", "ARIAGCM"];
/// Aliases that include every weak family OpenSSL was built with.
const EVERYTHING: &[&str] = &["ALL", "COMPLEMENTOFDEFAULT", "COMPLEMENTOFALL"];

/// A concrete suite name that is AEAD with forward secrecy.
fn strong_suite(name: &str) -> bool {
    let Some(rest) = name
        .strip_prefix("ECDHE-")
        .or_else(|| name.strip_prefix("DHE-"))
    else {
        return false;
    };
    let Some(cipher) = rest
        .strip_prefix("RSA-")
        .or_else(|| rest.strip_prefix("ECDSA-"))
    else {
        return false;
    };
    matches!(
        cipher,
        "AES128-GCM-SHA256"
            | "AES256-GCM-SHA384"
            | "CHACHA20-POLY1305"
            | "AES128-CCM"
            | "AES256-CCM"
            | "ARIA128-GCM-SHA256"
            | "ARIA256-GCM-SHA384"
    )
}

/// Whether an intersection of selectors (`ECDHE+AESGCM`) only holds strong suites.
fn strong_intersection(selectors: &[String], bans: &[Vec<String>]) -> bool {
    let has = |set: &[&str]| selectors.iter().any(|s| set.contains(&s.as_str()));
    let anonymous_banned = bans
        .iter()
        .any(|b| b.len() == 1 && ["ANULL", "ADH", "AECDH"].contains(&b[0].as_str()));
    let pfs = has(PFS_AUTHENTICATED) || (has(PFS_ANY) && (has(AUTHENTICATED) || anonymous_banned));
    pfs && has(AEAD)
}

/// The weak families one positive command can add.
fn families_of(selectors: &[String]) -> Vec<&'static Family> {
    if selectors.len() == 1 && EVERYTHING.contains(&selectors[0].as_str()) {
        // ALL holds every family but eNULL
        return FAMILIES.iter().filter(|f| f.name != "NULL").collect();
    }
    let has = |set: &[&str]| selectors.iter().any(|s| set.contains(&s.as_str()));
    // ephemeral key exchange without an authentication selector includes anonymous suites
    let anonymous = has(PFS_ANY) && !has(AUTHENTICATED);
    FAMILIES
        .iter()
        .filter(|f| {
            (anonymous && f.name == "aNULL")
                || selectors.iter().any(|s| {
                    f.aliases.contains(&s.as_str())
                        || (s.contains('-') && f.suites.iter().any(|p| suite_in_family(s, p)))
                })
        })
        .collect()
}

fn suite_in_family(suite: &str, pattern: &str) -> bool {
    if pattern.starts_with('-') {
        suite.ends_with(pattern)
    } else if pattern.ends_with('-') {
        suite.starts_with(pattern) || suite.contains(&format!("-{pattern}"))
    } else {
        suite.contains(pattern)
    }
}

/// Whether a removal (`!X` or `-X`, one selector) takes out a whole family.
fn removes(selector: &str, family: &Family) -> bool {
    family.aliases.contains(&selector) || (selector == "ANULL" && family.name == "aNULL")
}

/// Assesses an `ssl_ciphers` value.
pub fn assess(list: &str) -> Verdict {
    let commands: Vec<&str> = list
        .split([':', ',', ' ', '\t'])
        .filter(|c| !c.is_empty() && !c.starts_with('@'))
        .collect();
    let upper = |body: &str| -> Vec<String> {
        body.split('+')
            .filter(|s| !s.is_empty())
            .map(str::to_ascii_uppercase)
            .collect()
    };
    // `!X` removes X for good; `-X` removes what came before it
    let bans: Vec<Vec<String>> = commands
        .iter()
        .filter_map(|c| c.strip_prefix('!'))
        .map(upper)
        .collect();
    let mut weak: Vec<&'static str> = Vec::new();
    let mut not_aead: Vec<String> = Vec::new();
    let mut tls12 = false;
    for (i, command) in commands.iter().enumerate() {
        if command.starts_with(['!', '-', '+']) {
            continue;
        }
        let selectors = upper(command);
        if selectors.is_empty() {
            continue;
        }
        if selectors.iter().all(|s| s.starts_with("TLS_")) {
            continue;
        }
        tls12 = true;
        let strong = if selectors.len() == 1 && selectors[0].contains('-') {
            strong_suite(&selectors[0])
        } else {
            strong_intersection(&selectors, &bans)
        };
        if strong {
            continue;
        }
        let removed_later = |family: &Family| {
            commands[i + 1..].iter().any(|c| {
                c.strip_prefix('-')
                    .or_else(|| c.strip_prefix('!'))
                    .is_some_and(|s| removes(&s.to_ascii_uppercase(), family))
            })
        };
        let banned = |family: &Family| bans.iter().any(|b| b.len() == 1 && removes(&b[0], family));
        for family in families_of(&selectors) {
            if !banned(family) && !removed_later(family) && !weak.contains(&family.name) {
                weak.push(family.name);
            }
        }
        not_aead.push((*command).to_owned());
    }
    if !weak.is_empty() {
        Verdict::Weak(weak)
    } else if !not_aead.is_empty() {
        Verdict::NotAead(not_aead)
    } else if !tls12 && !commands.is_empty() {
        Verdict::NoTls12Cipher
    } else {
        Verdict::Strong
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weak(list: &str) -> Vec<&'static str> {
        match assess(list) {
            Verdict::Weak(families) => families,
            other => panic!("{list}: {other:?}"),
        }
    }

    #[test]
    fn aead_with_forward_secrecy_is_strong() {
        for list in [
            MOZILLA_INTERMEDIATE,
            "ECDHE+AESGCM:EDH+AESGCM",
            "EECDH+AESGCM:EECDH+CHACHA20",
            "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:@STRENGTH",
            "kEECDH+AESGCM+aRSA",
            "kDHE+AESGCM:!aNULL",
            "ECDHE-RSA-AES128-GCM-SHA256 ECDHE-RSA-CHACHA20-POLY1305",
            "TLS_AES_256_GCM_SHA384:ECDHE-RSA-AES256-GCM-SHA384",
            "ECDHE-RSA-AES256-GCM-SHA384:+AES128",
        ] {
            assert_eq!(assess(list), Verdict::Strong, "{list}");
        }
    }

    #[test]
    fn weak_families_that_stay_enabled() {
        assert_eq!(weak("RC4-SHA:ECDHE-RSA-AES128-GCM-SHA256"), ["RC4"]);
        assert_eq!(weak("ECDHE+AESGCM:DES-CBC3-SHA"), ["3DES"]);
        assert_eq!(weak("HIGH:MEDIUM:!aNULL"), ["MEDIUM"]);
        assert_eq!(
            weak("ALL:!aNULL:!EXPORT:!DES:!RC4:!MD5:!LOW:!MEDIUM:!SEED:!IDEA:!SSLv2"),
            ["3DES", "CAMELLIA"]
        );
        assert_eq!(weak("kDHE+AESGCM"), ["aNULL"]);
        assert_eq!(
            weak("ECDHE-RSA-AES128-GCM-SHA256:EXP-RC4-MD5"),
            ["RC4", "EXPORT", "MD5"]
        );
        assert_eq!(weak("aNULL"), ["aNULL"]);
        assert_eq!(weak("CAMELLIA256-SHA"), ["CAMELLIA"]);
        // a removal after the addition takes it out again
        assert_eq!(
            assess("ECDHE+AESGCM:RC4:-RC4"),
            Verdict::NotAead(vec!["RC4".to_owned()])
        );
    }

    #[test]
    fn cbc_and_unknown_aliases_are_not_aead() {
        assert_eq!(
            assess("HIGH:!aNULL:!MD5"),
            Verdict::NotAead(vec!["HIGH".to_owned()])
        );
        assert_eq!(
            assess("ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA256:AES128-GCM-SHA256"),
            Verdict::NotAead(vec![
                "ECDHE-RSA-AES128-SHA256".to_owned(),
                "AES128-GCM-SHA256".to_owned()
            ])
        );
        assert_eq!(
            assess("PROFILE=SYSTEM"),
            Verdict::NotAead(vec!["PROFILE=SYSTEM".to_owned()])
        );
        assert_eq!(
            assess("EECDH+AESGCM:AES256+EECDH"),
            Verdict::NotAead(vec!["AES256+EECDH".to_owned()])
        );
    }

    #[test]
    fn only_tls13_names_match_nothing() {
        assert_eq!(
            assess("TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"),
            Verdict::NoTls12Cipher
        );
        assert_eq!(assess(""), Verdict::Strong);
    }
}
