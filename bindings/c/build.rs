//! Sets the SONAME of the shared library so that loaders bind to the ABI major version.
fn main() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libsocialcrm.so.1");
}
