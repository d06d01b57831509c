#![no_std]
#![no_main]
#[cortex_m_rt::entry]
fn main() -> ! {
    paykernel_firmware::exit(true)
}
