//! Running the core's parallel work in a process that was forked.
//!
//! The core parallelises with rayon's global thread pool. `fork()` copies only the calling
//! thread, so in a child forked after the parent used the pool (the default start method of
//! `multiprocessing` on Linux before Python 3.14, and of many worker pools) the pool's threads
//! are gone while the pool still believes it has them: the first parallel call in the child
//! waits for them forever. [`parallel`] therefore runs work on the global pool only in the
//! process that loaded the module, and in any other process (a forked child) on a pool of its
//! own, built on first use there.

use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// The process that loaded the module, whose global pool is sound.
static LOADED_IN: OnceLock<u32> = OnceLock::new();

/// The pool of a forked child, with the pid it was built in.
static CHILD_POOL: Mutex<Option<(u32, Arc<rayon::ThreadPool>)>> = Mutex::new(None);

/// Records the process the module was loaded in; called once from the module's init.
pub(crate) fn init() {
    LOADED_IN.get_or_init(std::process::id);
}

/// Runs `work` (which may use rayon's parallel iterators) on threads that exist in this process.
pub(crate) fn parallel<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    let pid = std::process::id();
    if LOADED_IN.get().is_none_or(|&p| p == pid) {
        return work();
    }
    let pool = {
        let mut slot = CHILD_POOL.lock().unwrap_or_else(PoisonError::into_inner);
        match &*slot {
            Some((p, pool)) if *p == pid => Arc::clone(pool),
            _ => {
                let pool = Arc::new(
                    rayon::ThreadPoolBuilder::new()
                        .build()
                        .unwrap_or_else(|e| panic!("socialcrm: cannot start threads: {e}")),
                );
                *slot = Some((pid, Arc::clone(&pool)));
                pool
            }
        }
    };
    pool.install(work)
}
