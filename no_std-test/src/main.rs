//! Known answers through paykernel's public API in a `#![no_std]`,
//! `#![no_main]` program with no allocator.
//!
//! If `std` creeps into the kernel's dependency tree, linking fails with a
//! duplicate `panic_impl` lang item; if `alloc` does, with "no global memory
//! allocator found". Either way this program does not build. It exits 1 on
//! any mismatch.
//!
//! It runs in two places:
//!
//! - on the host (`cargo run --release`): the C runtime calls `main`, and
//!   `write` from libc prints the results;
//! - on bare-metal Cortex-M (`run-qemu.sh`: `thumbv7em-none-eabihf` on
//!   QEMU's `mps2-an386`, `thumbv7m-none-eabi` on `mps2-an385`):
//!   cortex-m-rt starts it, and semihosting prints and sets QEMU's exit
//!   status (the runtime of `firmware/`).
//!
//! The checks cover every concern of the kernel (`checks/`), each with
//! values from a standard or a published source. Nothing here is large:
//! the release build runs in a 32 KiB stack (`ulimit -s 32`, which CI
//! checks; it needs about 20 KiB on x86-64, the environment included), the
//! debug build in 96 KiB.
//!
//! A planted wrong answer (the `plant-wrong-answer` feature) flips one
//! expected byte; the program must then fail, which `run-qemu.sh` checks
//! as a negative control.
#![no_std]
#![no_main]

mod checks;
mod rng;

#[cfg(not(target_os = "none"))]
mod host {
    use core::panic::PanicInfo;

    #[link(name = "c")]
    unsafe extern "C" {
        fn write(fd: i32, buf: *const u8, count: usize) -> isize;
    }

    /// Writes bytes to standard output.
    pub fn print(s: &[u8]) {
        // SAFETY: `s` is a valid slice for its length; fd 1 is stdout.
        unsafe {
            write(1, s.as_ptr(), s.len());
        }
    }

    #[panic_handler]
    fn panic(_: &PanicInfo) -> ! {
        print(b"panic\n");
        loop {}
    }

    /// The Rust core library was built with unwinding; nothing here unwinds
    /// (panic = "abort"), but the symbol must exist for the link.
    #[unsafe(no_mangle)]
    pub extern "C" fn rust_eh_personality() {}

    #[unsafe(no_mangle)]
    pub extern "C" fn main(_argc: i32, _argv: *const *const u8) -> i32 {
        i32::from(!super::run_all())
    }
}

#[cfg(not(target_os = "none"))]
use host::print;

#[cfg(target_os = "none")]
use paykernel_firmware::print;

/// cortex-m-rt's entry point: the checks, then QEMU's exit status through
/// semihosting (the panic and fault handlers of `paykernel_firmware` exit
/// with failure too).
#[cfg(target_os = "none")]
#[cortex_m_rt::entry]
fn main() -> ! {
    paykernel_firmware::exit(run_all())
}

/// Runs every check, prints one line each and a summary; true when all
/// passed.
fn run_all() -> bool {
    let mut failed = 0u32;
    let mut passed = 0u32;
    for (name, check) in checks::GROUPS.iter().flat_map(|g| g.iter()) {
        match check() {
            Ok(true) => {
                passed = passed.wrapping_add(1);
                print(b"ok   ");
            }
            Ok(false) => {
                failed = failed.wrapping_add(1);
                print(b"FAIL ");
            }
            Err(e) => {
                failed = failed.wrapping_add(1);
                print(b"FAIL (");
                print(e.kind().as_bytes());
                print(b") ");
            }
        }
        print(name.as_bytes());
        print(b"\n");
    }
    print_count(passed);
    print(b" passed, ");
    print_count(failed);
    print(b" failed\n");
    failed == 0
}

fn print_count(mut n: u32) {
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    print(&buf[i..]);
}
