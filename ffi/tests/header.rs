//! `include/paykernel.h` is what cbindgen generates from this crate now:
//! a stale header fails here. `PAYKERNEL_BLESS=1 cargo test -p
//! paykernel-ffi --test header` rewrites it.
//!
//! The terminals' state sizes are the kernel's constants
//! (`TdesTerminal::STATE_LEN`, `AesTerminal::MAX_STATE_LEN`), which
//! cbindgen cannot evaluate: they are written into the header here, from
//! the values this crate was built with, so that the header follows the
//! kernel's state format.

use std::path::Path;

#[test]
fn header_is_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).unwrap();
    config.after_includes = Some(format!(
        "\n/* The saved state of a TDES DUKPT terminal (the kernel's TdesTerminal::STATE_LEN). */\n\
         #define PK_TDES_DUKPT_STATE_LEN {}\n\n\
         /* The saved state of an AES DUKPT terminal (the kernel's AesTerminal::MAX_STATE_LEN: room for an AES-256 initial key; restore takes the length save reported). */\n\
         #define PK_AES_DUKPT_STATE_LEN {}",
        paykernel_ffi::PK_TDES_DUKPT_STATE_LEN,
        paykernel_ffi::PK_AES_DUKPT_STATE_LEN,
    ));
    let bindings = cbindgen::Builder::new()
        .with_crate(dir)
        .with_config(config)
        .generate()
        .unwrap();
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let path = dir.join("include/paykernel.h");
    if std::env::var_os("PAYKERNEL_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let current = std::fs::read(&path).unwrap_or_default();
    assert!(
        current == generated,
        "ffi/include/paykernel.h is stale: regenerate it with \
         PAYKERNEL_BLESS=1 cargo test -p paykernel-ffi --test header"
    );
}
