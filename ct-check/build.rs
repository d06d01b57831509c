//! Builds `taint.c`, the valgrind client requests, against the headers of
//! Debian's `valgrind` package (`/usr/include/valgrind/memcheck.h`).

fn main() {
    println!("cargo::rerun-if-changed=taint.c");
    cc::Build::new()
        .file("taint.c")
        .warnings(true)
        .compile("ct_taint");
}
