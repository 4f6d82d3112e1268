//! A fast hasher for the nginx model's and rules' memo tables, whose keys are directive ids
//! and short directive names: the standard SipHash (made to resist flooding by untrusted
//! keys) was a tenth of a re-analysis. The keys here come from the config itself and the
//! tables are per analysis, so the multiply-rotate hash of rustc (`FxHasher`) is enough.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
pub type FastSet<K> = HashSet<K, BuildHasherDefault<FxHasher>>;

#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_told_apart() {
        let mut map: FastMap<(Option<usize>, &str), usize> = FastMap::default();
        for (i, name) in ["add_header", "add_headers", "", "a", "proxy_set_header"]
            .iter()
            .enumerate()
        {
            map.insert((Some(i), name), i);
            map.insert((None, name), i + 10);
        }
        assert_eq!(map.len(), 10);
        assert_eq!(map[&(Some(1), "add_headers")], 1);
        assert_eq!(map[&(None, "")], 12);
    }
}
