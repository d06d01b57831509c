//! The whole kernel of issue 15's goal (`ops::TERMINAL` and `ops::KERNEL`):
//! its flash minus `flash-base`'s is the kernel's budget.
#![no_std]
#![no_main]

use paykernel_firmware::ops::{KERNEL, TERMINAL, run_all};

#[cortex_m_rt::entry]
fn main() -> ! {
    paykernel_firmware::exit(run_all(TERMINAL).is_ok() && run_all(KERNEL).is_ok())
}
