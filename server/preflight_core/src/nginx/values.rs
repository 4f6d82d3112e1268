//! nginx's value syntax: sizes (`25m`), times (`1m30s`), flags (`on`/`off`).

/// A size in bytes: `1024`, `8k`, `25m`, `1g` (case-insensitive suffix).
pub fn size(value: &str) -> Option<u64> {
    let value = value.trim();
    let (digits, unit) = match value.char_indices().last()? {
        (i, c) if c.is_ascii_alphabetic() => (&value[..i], c.to_ascii_lowercase()),
        _ => (value, ' '),
    };
    let n: u64 = digits.parse().ok()?;
    let factor = match unit {
        ' ' => 1,
        'k' => 1 << 10,
        'm' => 1 << 20,
        'g' => 1 << 30,
        _ => return None,
    };
    n.checked_mul(factor)
}

/// A time in milliseconds: `60`, `60s`, `1m30s`, `500ms`, `1h`, `1d` (nginx's units: ms, s,
/// m, h, d, w, M, y; a bare number is seconds).
pub fn time_ms(value: &str) -> Option<u64> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if let Ok(seconds) = value.parse::<u64>() {
        return seconds.checked_mul(1000);
    }
    let mut total: u64 = 0;
    let mut rest = value;
    while !rest.is_empty() {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            return None;
        }
        let n: u64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let (unit_ms, len) = if rest.starts_with("ms") {
            (1, 2)
        } else {
            let unit = match rest.chars().next()? {
                's' => 1000,
                'm' => 60_000,
                'h' => 3_600_000,
                'd' => 86_400_000,
                'w' => 604_800_000,
                'M' => 2_592_000_000,
                'y' => 31_536_000_000,
                _ => return None,
            };
            (unit, 1)
        };
        rest = &rest[len..];
        total = total.checked_add(n.checked_mul(unit_ms)?)?;
    }
    Some(total)
}

/// `on` / `off` (nginx accepts them case-insensitively).
pub fn flag(value: &str) -> Option<bool> {
    if value.eq_ignore_ascii_case("on") {
        Some(true)
    } else if value.eq_ignore_ascii_case("off") {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_times_and_flags() {
        assert_eq!(size("25m"), Some(25 << 20));
        assert_eq!(size("8K"), Some(8192));
        assert_eq!(size("0"), Some(0));
        assert_eq!(size("1x"), None);
        assert_eq!(time_ms("60"), Some(60_000));
        assert_eq!(time_ms("1m30s"), Some(90_000));
        assert_eq!(time_ms("500ms"), Some(500));
        assert_eq!(time_ms("1h"), Some(3_600_000));
        assert_eq!(time_ms("s"), None);
        assert_eq!(flag("On"), Some(true));
        assert_eq!(flag("build"), None);
    }
}
