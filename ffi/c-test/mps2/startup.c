/*
 * A bare-metal start for the C test on QEMU's mps2-an386 (Cortex-M4F): the
 * vector table, the reset handler (FPU on, .data and .bss laid out, newlib's
 * semihosting I/O started, main), and an exit through semihosting so that
 * QEMU's exit status is main's verdict. Faults exit with failure.
 */
#include <stdint.h>

extern int main(void);
extern void initialise_monitor_handles(void);
extern uint32_t __stack_top, __data_load, __data_start, __data_end, __bss_start, __bss_end;

/* SYS_EXIT with ADP_Stopped_ApplicationExit (QEMU exits 0) or
   ADP_Stopped_RunTimeErrorUnknown (QEMU exits 1). */
static void __attribute__((noreturn)) semihosting_exit(int ok) {
    register uint32_t r0 __asm__("r0") = 0x18;
    register uint32_t r1 __asm__("r1") = ok ? 0x20026 : 0x20023;
    __asm__ volatile("bkpt 0xAB" : : "r"(r0), "r"(r1) : "memory");
    for (;;) {
    }
}

void _exit(int status) { semihosting_exit(status == 0); }

static void fault(void) { semihosting_exit(0); }

void Reset_Handler(void) {
    /* CP10 and CP11 full access: the hard-float ABI uses the FPU. */
    *(volatile uint32_t *)0xE000ED88 |= 0xFu << 20;
    __asm__ volatile("dsb\n isb");
    for (uint32_t *s = &__data_load, *d = &__data_start; d < &__data_end;) {
        *d++ = *s++;
    }
    for (uint32_t *d = &__bss_start; d < &__bss_end;) {
        *d++ = 0;
    }
    initialise_monitor_handles();
    semihosting_exit(main() == 0);
}

__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
    (void (*)(void))&__stack_top,
    Reset_Handler,
    fault, /* NMI */
    fault, /* HardFault */
    fault, /* MemManage */
    fault, /* BusFault */
    fault, /* UsageFault */
};
