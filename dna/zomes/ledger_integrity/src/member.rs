use hdi::prelude::*;

/// The hash every membership link hangs from. It need not exist as an entry: a link base is any hash.
pub fn members_anchor() -> ExternResult<EntryHash> {
    hash_entry(Entry::App(AppEntryBytes(SerializedBytes::from(UnsafeBytes::from(b"commons-credit:members".to_vec())))))
}
