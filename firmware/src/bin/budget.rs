//! The firmware budget: every operation of `ops` run once on painted stack
//! and timed by SysTick (under `qemu -icount shift=0`), one line each:
//!
//! `op<TAB>set<TAB>name<TAB>peak stack bytes<TAB>instructions`
//!
//! `budget.sh` reads the lines into the README's table.
#![no_std]
#![no_main]

use paykernel_firmware::ops::{KERNEL, LATER, Op, Scratch, TERMINAL};
use paykernel_firmware::{exit, init, measure, print, print_u32};

#[cortex_m_rt::entry]
fn main() -> ! {
    init();
    let mut ok = true;
    let mut s = Scratch::new();
    for (set, ops) in [("terminal", TERMINAL), ("kernel", KERNEL), ("later", LATER)] {
        for op in ops {
            ok &= row(set, op, &mut s);
        }
    }
    exit(ok)
}

fn row(set: &str, op: &Op, s: &mut Scratch) -> bool {
    if (op.prepare)(s).is_err() {
        print(b"prepare failed: ");
        print(op.name.as_bytes());
        print(b"\n");
        return false;
    }
    let (r, m) = measure(|| (op.run)(s));
    print(b"op\t");
    print(set.as_bytes());
    print(b"\t");
    print(op.name.as_bytes());
    print(b"\t");
    print_u32(m.stack);
    print(b"\t");
    print_u32(m.insns);
    print(b"\n");
    if let Err(e) = r {
        print(b"refused: ");
        print(e.kind().as_bytes());
        print(b"\n");
        return false;
    }
    true
}
