/* A fuzz target that never returns on an input starting with "spin": the
 * test suite links it with replay.c to check that the replay's time limit
 * stops a slow input (tests/e2e/fuzz.sh). Any other input returns at once. */
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    volatile unsigned long n = 0;
    if (size >= 4 && memcmp(data, "spin", 4) == 0)
        for (;;)
            n++;
    return 0;
}
