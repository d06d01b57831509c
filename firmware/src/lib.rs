//! A minimal runtime for running paykernel on Cortex-M under QEMU's MPS2
//! boards (`mps2-an386`: Cortex-M4F, `mps2-an385`: Cortex-M3):
//!
//! - [`print`] and [`exit`] through Arm semihosting, so that QEMU's exit
//!   status is the program's verdict;
//! - a panic handler and a HardFault handler that exit with failure, so
//!   that nothing hangs in CI;
//! - [`measure`]: the peak stack of a call (stack painting) and the
//!   instructions it ran (SysTick under `qemu -icount shift=0`, where the
//!   virtual clock advances one nanosecond per instruction).
//!
//! Used by the budget programs of this crate (`src/bin/`) and by
//! `no_std-test/` on the target.
#![no_std]

use core::arch::asm;
use core::panic::PanicInfo;
use core::sync::atomic::{AtomicU32, Ordering};

use cortex_m::peripheral::SYST;
use cortex_m::peripheral::syst::SystClkSource;
use cortex_m_rt::{ExceptionFrame, exception};
use cortex_m_semihosting::{debug, hio};

#[cfg(feature = "budget")]
pub mod ops;

/// Writes bytes to the host's standard output (semihosting).
pub fn print(s: &[u8]) {
    if let Ok(mut out) = hio::hstdout() {
        // Nothing to do if the host refuses the write.
        let _ = out.write_all(s);
    }
}

/// Writes `n` in decimal.
pub fn print_u32(n: u32) {
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    let mut n = n;
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

/// Ends the program: QEMU exits with status 0 when `ok`, 1 otherwise.
pub fn exit(ok: bool) -> ! {
    debug::exit(if ok {
        debug::EXIT_SUCCESS
    } else {
        debug::EXIT_FAILURE
    });
    // Not reached under QEMU; on a real board without a debugger, stop.
    loop {
        cortex_m::asm::bkpt();
    }
}

#[panic_handler]
fn panic(_: &PanicInfo) -> ! {
    print(b"panic\n");
    exit(false)
}

#[exception]
unsafe fn HardFault(_: &ExceptionFrame) -> ! {
    print(b"hard fault\n");
    exit(false)
}

#[exception]
unsafe fn DefaultHandler(_irq: i16) {
    print(b"unexpected exception\n");
    exit(false)
}

/// The word painted below the stack pointer before a measured call.
const PAINT: u32 = 0xDEAD_C0DE;

/// How far below the stack pointer [`measure`] paints: the most stack a
/// measured call can be seen to use.
pub const PAINT_DEPTH: usize = 64 * 1024;

/// SysTick ticks per million instructions, from [`calibrate`].
static TICKS_PER_MEGA_INSN: AtomicU32 = AtomicU32::new(0);

/// Starts SysTick on the core clock, free-running over its 24 bits, and
/// calibrates it against a loop of known length.
pub fn init() {
    let Some(mut p) = cortex_m::Peripherals::take() else {
        return;
    };
    let syst: &mut SYST = &mut p.SYST;
    syst.set_clock_source(SystClkSource::Core);
    syst.set_reload(0x00FF_FFFF);
    syst.clear_current();
    syst.enable_counter();
    calibrate();
}

fn ticks() -> u32 {
    SYST::get_current()
}

/// Runs a loop of exactly `2 * N + 2` instructions (plus the reads of the
/// counter) and records the ticks it took.
fn calibrate() {
    const N: u32 = 100_000;
    let before = ticks();
    // SAFETY: a register-only loop: no memory access, no stack.
    unsafe {
        asm!(
            "1:",
            "subs {n}, {n}, #1",
            "bne 1b",
            n = inout(reg) N => _,
            options(nomem, nostack),
        );
    }
    let after = ticks();
    let t = before.wrapping_sub(after) & 0x00FF_FFFF;
    // 2N instructions took t ticks.
    let per_mega = u64::from(t) * 1_000_000 / u64::from(2 * N);
    TICKS_PER_MEGA_INSN.store(per_mega as u32, Ordering::Relaxed);
}

/// What [`measure`] found about one call.
#[derive(Clone, Copy, Debug)]
pub struct Measure {
    /// Peak stack below the caller's frame, in bytes (a multiple of 4).
    pub stack: u32,
    /// Instructions run (to the resolution of one SysTick tick, about 40
    /// instructions on the MPS2 boards' 25 MHz clock).
    pub insns: u32,
}

/// Runs `f` once on painted stack, timed by SysTick.
#[inline(never)]
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, Measure) {
    let sp: u32;
    // SAFETY: reads the stack pointer into a register.
    unsafe { asm!("mov {}, sp", out(reg) sp, options(nomem, nostack, preserves_flags)) };
    let bottom = sp.wrapping_sub(PAINT_DEPTH as u32) & !3;
    // SAFETY: paints the words from `bottom` up to (not including) the
    // current stack pointer: free stack below this frame (MPS2 RAM is 4
    // MiB, the program's data a few KiB), which nothing live uses; the
    // loop keeps to registers.
    unsafe {
        asm!(
            "1:",
            "str {pat}, [{p}], #4",
            "cmp {p}, {sp}",
            "blo 1b",
            p = inout(reg) bottom => _,
            sp = in(reg) sp,
            pat = in(reg) PAINT,
            options(nostack),
        );
    }
    let t0 = ticks();
    let r = core::hint::black_box(f());
    let t1 = ticks();
    let mut lowest = sp;
    let mut p = bottom;
    while p < sp {
        // SAFETY: `p` is word-aligned and inside the region painted above,
        // below the stack pointer at the time of the paint and still free
        // (the measured call has returned).
        let w = unsafe { core::ptr::read_volatile(p as *const u32) };
        if w != PAINT {
            lowest = p;
            break;
        }
        p += 4;
    }
    let t = t0.wrapping_sub(t1) & 0x00FF_FFFF;
    let per_mega = TICKS_PER_MEGA_INSN.load(Ordering::Relaxed).max(1);
    let insns = (u64::from(t) * 1_000_000 / u64::from(per_mega)) as u32;
    (
        r,
        Measure {
            stack: sp - lowest,
            insns,
        },
    )
}
