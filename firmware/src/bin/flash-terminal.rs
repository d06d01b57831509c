//! A terminal's subset of the kernel (`ops::TERMINAL`): its flash minus
//! `flash-base`'s is the terminal's budget.
#![no_std]
#![no_main]

use paykernel_firmware::ops::{TERMINAL, run_all};

#[cortex_m_rt::entry]
fn main() -> ! {
    paykernel_firmware::exit(run_all(TERMINAL).is_ok())
}
