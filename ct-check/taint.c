/* Valgrind memcheck client requests for the constant-time check.
   Outside valgrind every request is a no-op (ct_running returns 0,
   ct_undefined_bytes and ct_error_count -1). ct_secret and ct_public are
   the two requests of the method (ctgrind's); ct_running,
   ct_undefined_bytes, ct_error_count and ct_log are this project's. */
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

/* How many errors memcheck has reported so far (suppressed ones not
   counted, repeats of one context counted each time); -1 outside valgrind.
   The difference across one op is that op's count, so that many ops can
   share one valgrind process. */
long ct_error_count(void) {
    if (!RUNNING_ON_VALGRIND) {
        return -1;
    }
    return (long)VALGRIND_COUNT_ERRORS;
}

/* Writes a line to valgrind's log (to mark where an op begins). */
void ct_log(const char *line) {
    if (RUNNING_ON_VALGRIND) {
        VALGRIND_PRINTF("%s\n", line);
    }
}
