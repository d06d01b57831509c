//! Every operation of the budget (`ops::TERMINAL`, `ops::KERNEL` and
//! `ops::LATER`): the flash of the kernel with what landed after issue 15's
//! set (CBC, DUKPT transactions, key blocks, card and PIN verification, the
//! card schemes' cryptogram versions), reported without a goal.
#![no_std]
#![no_main]

use paykernel_firmware::ops::{KERNEL, LATER, TERMINAL, run_all};

#[cortex_m_rt::entry]
fn main() -> ! {
    paykernel_firmware::exit(
        run_all(TERMINAL).is_ok() && run_all(KERNEL).is_ok() && run_all(LATER).is_ok(),
    )
}
