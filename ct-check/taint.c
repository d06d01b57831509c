/* Valgrind memcheck client requests for the constant-time check.
   Outside valgrind every request is a no-op (ct_running returns 0 and
   ct_undefined_bytes -1). From shared/ct/taint.c, with two additions. */
#include <stddef.h>
#include <valgrind/memcheck.h>

/* Marks n bytes at p secret: undefined to memcheck. */
void ct_secret(void *p, size_t n) { VALGRIND_MAKE_MEM_UNDEFINED(p, n); }

/* Marks n bytes at p public: defined to memcheck. */
void ct_public(void *p, size_t n) { VALGRIND_MAKE_MEM_DEFINED(p, n); }

/* Nonzero when the program runs under valgrind. */
int ct_running(void) { return RUNNING_ON_VALGRIND; }

/* How many of the n bytes at p hold at least one undefined bit (derived
   from a secret); -1 outside valgrind or if the bytes are not addressable.
   Reads the validity bits, which are themselves defined data. */
long ct_undefined_bytes(const void *p, size_t n) {
    unsigned char vbits[256];
    long count = 0;
    size_t done = 0;
    while (done < n) {
        size_t k = n - done < sizeof vbits ? n - done : sizeof vbits;
        if (VALGRIND_GET_VBITS((const char *)p + done, vbits, k) != 1) {
            return -1;
        }
        for (size_t i = 0; i < k; i++) {
            count += vbits[i] != 0;
        }
        done += k;
    }
    return count;
}
