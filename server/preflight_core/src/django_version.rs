//! The Django version whose checks apply.

/// A Django feature release, e.g. 6.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DjangoVersion {
    pub major: u8,
    pub minor: u8,
}

impl DjangoVersion {
    pub const V4_2: Self = Self::new(4, 2);
    pub const V5_2: Self = Self::new(5, 2);
    pub const V6_0: Self = Self::new(6, 0);
    pub const V6_1: Self = Self::new(6, 1);
    /// The newest release Preflight knows: the default when a project does not say.
    pub const NEWEST: Self = Self::V6_1;

    pub const fn new(major: u8, minor: u8) -> Self {
        Self { major, minor }
    }

    /// Parses "6.1", "6.1.3", "5.2a1".
    pub fn parse(s: &str) -> Option<Self> {
        let mut parts = s.trim().split('.');
        let major = parts.next()?.trim().parse().ok()?;
        let minor_part = parts.next().unwrap_or("0");
        let digits: String = minor_part
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        let minor = digits.parse().ok()?;
        Some(Self { major, minor })
    }
}

impl Default for DjangoVersion {
    fn default() -> Self {
        Self::NEWEST
    }
}

impl std::fmt::Display for DjangoVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}
