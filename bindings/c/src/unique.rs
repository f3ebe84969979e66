//! Duplicate ids are rejected when a row is pushed, not later by the function that uses the
//! table: the C caller learns which push was wrong, and the table stays valid.
//!
//! The set holds a 64-bit hash of each id and the row that has it, not a second copy of the
//! ids (a table of millions of contacts would otherwise hold every id twice). A hash hit is
//! confirmed by comparing the id in that row; two different ids with the same hash (about one
//! chance in 2^64 per pair) fall back to a scan of the table, so the answer is always exact.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use socialcrm_core::Error;

use crate::error::FfiError;

/// The ids of one table, for duplicate checks.
#[derive(Debug, Default)]
pub(crate) struct IdSet {
    /// Hash of an id → the first row with that hash.
    rows: HashMap<u64, usize>,
}

fn hash(id: &str) -> u64 {
    // DefaultHasher::new() has fixed keys: the same id always hashes the same way, which is
    // all a set needs (the HashMap around it still uses random keys for its buckets).
    let mut h = DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

impl IdSet {
    /// Fails with `SCRM_STATUS_DUPLICATE_ID` naming `id` and `table` if a row of the table has
    /// this id. `len` is the number of rows and `id_at(row)` the id of a row.
    pub(crate) fn check<'a>(
        &self,
        id: &str,
        table: &str,
        len: usize,
        id_at: impl Fn(usize) -> &'a str,
    ) -> Result<(), FfiError> {
        let duplicate = match self.rows.get(&hash(id)) {
            None => false,
            Some(&row) if id_at(row) == id => true,
            // a 64-bit hash collision between different ids: rare enough to scan for
            Some(_) => (0..len).any(|row| id_at(row) == id),
        };
        if duplicate {
            return Err(Error::DuplicateId {
                id: id.to_owned(),
                table: table.to_owned(),
            }
            .into());
        }
        Ok(())
    }

    /// Records that `row` has `id` (after a successful `check` and push).
    pub(crate) fn insert(&mut self, id: &str, row: usize) {
        self.rows.entry(hash(id)).or_insert(row);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::SCRM_STATUS_DUPLICATE_ID;

    #[test]
    fn finds_duplicates_and_only_them() {
        let ids = ["a", "b", "c"];
        let mut set = IdSet::default();
        for (row, id) in ids.iter().enumerate() {
            set.check(id, "t", row, |r| ids[r]).unwrap();
            set.insert(id, row);
        }
        let err = set.check("b", "contacts", 3, |r| ids[r]).unwrap_err();
        assert_eq!(err.status, SCRM_STATUS_DUPLICATE_ID);
        assert_eq!(err.message, "duplicate id \"b\" in contacts");
        assert!(set.check("d", "t", 3, |r| ids[r]).is_ok());
    }

    #[test]
    fn a_hash_collision_falls_back_to_a_scan() {
        // Pretend "x" (row 1) has the hash of "a" (row 0): the set then only knows row 0.
        let ids = ["a", "x"];
        let mut set = IdSet::default();
        set.rows.insert(hash("x"), 0);
        // "x" hashes to row 0, whose id differs, so the scan must find row 1
        let err = set.check("x", "t", 2, |r| ids[r]).unwrap_err();
        assert_eq!(err.status, SCRM_STATUS_DUPLICATE_ID);
        // and an id that is really new passes after the scan
        set.rows.insert(hash("new"), 0);
        assert!(set.check("new", "t", 2, |r| ids[r]).is_ok());
    }
}
