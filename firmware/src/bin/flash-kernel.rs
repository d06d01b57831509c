//! The whole kernel (`ops::TERMINAL` and `ops::OTHERS`): its flash minus
//! `flash-base`'s is the kernel's budget.
#![no_std]
#![no_main]

use paykernel_firmware::ops::{OTHERS, TERMINAL, run_all};

#[cortex_m_rt::entry]
fn main() -> ! {
    paykernel_firmware::exit(run_all(TERMINAL).is_ok() && run_all(OTHERS).is_ok())
}
