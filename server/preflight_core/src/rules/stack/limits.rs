//! Limits both layers set: request body sizes (STK010) and HSTS max-age (STK013).

use std::collections::HashSet;

use crate::diagnostic::Diagnostic;
use crate::nginx::model::DirId;
use crate::nginx::values::size;
use crate::python::Tri;
use crate::rules::nginx::app::app_locations;
use crate::stack::SettingsLayer;
use crate::stack::settings::SECURITY_MW;

use super::{NginxSide, setting_related};

pub(super) fn check_nginx(side: &NginxSide<'_>, out: &mut Vec<Diagnostic>) {
    let gunicorn = super::gunicorn::gunicorn_locations(side);
    let locations: Vec<DirId> = side
        .config()
        .servers()
        .flat_map(|s| app_locations(side.config(), s))
        .filter(|l| gunicorn.as_ref().is_none_or(|g| g.contains(l)))
        .collect();
    for layer in &side.deployment.settings {
        body_size(side, layer, &locations, out);
        hsts(side, layer, &locations, out);
    }
}

// ----- STK010 -----

fn megabytes(bytes: i64) -> String {
    let mb = (bytes as u64).div_ceil(1 << 20).max(1);
    format!("{mb}m")
}

/// STK010: `client_max_body_size` (set, not 0) below Django's upload limits.
fn body_size(
    side: &NginxSide<'_>,
    layer: &SettingsLayer,
    locations: &[DirId],
    out: &mut Vec<Diagnostic>,
) {
    let config = side.config();
    let limits = [
        (
            "DATA_UPLOAD_MAX_MEMORY_SIZE",
            layer.int("DATA_UPLOAD_MAX_MEMORY_SIZE"),
        ),
        (
            "FILE_UPLOAD_MAX_MEMORY_SIZE",
            layer.int("FILE_UPLOAD_MAX_MEMORY_SIZE"),
        ),
    ];
    let Some((name, need)) = limits
        .iter()
        .filter_map(|(n, v)| Some((*n, (*v)?)))
        .filter(|(_, v)| *v > 0)
        .max_by_key(|(_, v)| *v)
    else {
        return;
    };
    let mut seen = HashSet::new();
    for &location in locations {
        let Ok(Some(d)) = side
            .ctx
            .lookup()
            .effective(Some(location), "client_max_body_size")
        else {
            continue;
        };
        let Some(limit) = config.get(d).arg(0).and_then(size) else {
            continue;
        };
        // 0 (unlimited) and unset are NGX023's
        if limit == 0 || limit >= need as u64 || !seen.insert(d) {
            continue;
        }
        let message = format!(
            "`client_max_body_size {}` is below {name} ({need} bytes): requests Django would \
             accept end in 413 at nginx",
            config.get(d).arg(0).unwrap_or_default()
        );
        let related = vec![setting_related(
            layer,
            name,
            format!("Django accepts up to {need} bytes"),
        )];
        let fix = side
            .ctx
            .replace_arg(
                d,
                0,
                &megabytes(need),
                &format!("Raise it to {}", megabytes(need)),
            )
            .map(|mut f| {
                f.safe = false;
                f
            });
        if let Some(diag) = side.report_arg(out, "STK010", d, 0, message, related) {
            diag.fix = fix;
        }
    }
}

// ----- STK013 -----

/// The `max-age` of an HSTS header value, and its byte span in the value.
fn max_age(value: &str) -> Option<(u64, usize, usize)> {
    let lower = value.to_ascii_lowercase();
    let at = lower.find("max-age=")? + "max-age=".len();
    let digits = lower[at..].trim_start_matches('"');
    let start = at + (lower.len() - at - digits.len());
    let len = digits.chars().take_while(char::is_ascii_digit).count();
    Some((digits[..len].parse().ok()?, start, start + len))
}

/// STK013: HSTS from nginx and Django with different max-age.
fn hsts(
    side: &NginxSide<'_>,
    layer: &SettingsLayer,
    locations: &[DirId],
    out: &mut Vec<Diagnostic>,
) {
    if layer.has_middleware(SECURITY_MW) != Tri::Yes {
        return;
    }
    let Some(seconds) = layer.int("SECURE_HSTS_SECONDS").filter(|s| *s > 0) else {
        return;
    };
    let config = side.config();
    let mut seen = HashSet::new();
    for &location in locations {
        let Ok(set) = side
            .ctx
            .lookup()
            .effective_array(Some(location), "add_header")
        else {
            continue;
        };
        for &d in &set.directives {
            let header = config.get(d);
            if !header
                .arg(0)
                .is_some_and(|h| h.eq_ignore_ascii_case("Strict-Transport-Security"))
            {
                continue;
            }
            let Some(value) = header.arg(1) else { continue };
            let Some((age, _, _)) = max_age(value) else {
                continue;
            };
            if age == seconds as u64 || !seen.insert(d) {
                continue;
            }
            let message = format!(
                "nginx sends Strict-Transport-Security with max-age={age}, and Django's \
                 SecurityMiddleware sends max-age={seconds} (SECURE_HSTS_SECONDS): responses \
                 carry two HSTS headers and browsers keep the first"
            );
            let related = vec![setting_related(
                layer,
                "SECURE_HSTS_SECONDS",
                format!("Django sends max-age={seconds}"),
            )];
            let fix = (|| {
                let arg = header.args.get(1)?;
                let raw = side.ctx.text.get(arg.range.start..arg.range.end)?;
                let (_, start, end) = max_age(raw)?;
                let new = format!("{}{seconds}{}", &raw[..start], &raw[end..]);
                let mut f = side
                    .ctx
                    .replace_arg(d, 1, &new, &format!("Use max-age={seconds}"))?;
                f.safe = false;
                Some(f)
            })();
            if let Some(diag) = side.report_arg(out, "STK013", d, 1, message, related) {
                diag.fix = fix;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_age_is_found_in_header_values() {
        assert_eq!(
            max_age("max-age=31536000; includeSubDomains").map(|m| m.0),
            Some(31_536_000)
        );
        assert_eq!(
            max_age("\"max-age=600\"").map(|m| (m.0, m.1, m.2)),
            Some((600, 9, 12))
        );
        assert_eq!(max_age("includeSubDomains"), None);
        assert_eq!(megabytes(2_621_440), "3m");
    }
}
