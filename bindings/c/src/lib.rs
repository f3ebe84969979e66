//! The C ABI of socialcrm: a thin, documented translation layer over the core crate.
