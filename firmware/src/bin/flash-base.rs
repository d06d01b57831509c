//! The baseline of the flash budget: the runtime and the loop of the other
//! flash programs, with no operation in it.
#![no_std]
#![no_main]

use paykernel_firmware::ops::run_all;

#[cortex_m_rt::entry]
fn main() -> ! {
    paykernel_firmware::exit(run_all(core::hint::black_box(&[])).is_ok())
}
