/* Replay fuzz inputs without libFuzzer (for the ASan/UBSan test build):
 * run each file given on the command line through the fuzz target once.
 *
 * Every input runs under a time limit, so a slow input fails the replay as
 * it would fail libFuzzer's -timeout: REPLAY_SECONDS (default 2) of CPU time,
 * which other work on a shared machine does not eat into, and ten times that
 * of wall-clock time, for an input that blocks. Over either, the replay names
 * the input and exits with status 124. */
#define _XOPEN_SOURCE 700
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A target that leaves files behind (fuzz_layout's folder) defines this to
 * remove them (with async-signal-safe calls only): run when the replay is
 * stopped by its time limit or by a sanitizer report. */
void fuzz_replay_cleanup(void) __attribute__((weak));
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static char cpu_msg[4200], wall_msg[4200];

static void timed_out(int sig)
{
    const char *m = sig == SIGPROF ? cpu_msg : wall_msg;
    ssize_t ignored = write(2, m, strlen(m));
    (void)ignored;
    if (fuzz_replay_cleanup)
        fuzz_replay_cleanup();
    _exit(124);
}

static void arm(long seconds)
{
    struct itimerval cpu = {.it_value = {.tv_sec = seconds}};
    setitimer(ITIMER_PROF, &cpu, NULL);
    alarm(seconds ? (unsigned)(seconds * 10) : 0);
}

int main(int argc, char **argv)
{
    const char *env = getenv("REPLAY_SECONDS");
    long limit = env && *env ? strtol(env, NULL, 10) : 2;
    if (limit < 1)
        limit = 2;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = timed_out;
    sigaction(SIGPROF, &sa, NULL);
    sigaction(SIGALRM, &sa, NULL);
    if (fuzz_replay_cleanup && __sanitizer_set_death_callback)
        __sanitizer_set_death_callback(fuzz_replay_cleanup);

    int n = 0;
    double slowest = 0;
    const char *slowest_name = "";
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f)
            continue;
        uint8_t *buf = NULL;
        size_t len = 0, cap = 0;
        size_t got;
        uint8_t chunk[65536];
        while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
            if (len + got > cap) {
                cap = (len + got) * 2;
                buf = realloc(buf, cap);
                if (!buf)
                    return 3;
            }
            for (size_t k = 0; k < got; k++)
                buf[len + k] = chunk[k];
            len += got;
        }
        fclose(f);
        snprintf(cpu_msg, sizeof cpu_msg, "replay: %s: timeout: over %ld s of CPU time\n", argv[i], limit);
        snprintf(wall_msg, sizeof wall_msg, "replay: %s: timeout: over %ld s of wall-clock time\n", argv[i],
                 limit * 10);
        clock_t start = clock();
        arm(limit);
        LLVMFuzzerTestOneInput(buf ? buf : (const uint8_t *)"", len);
        arm(0);
        double t = (double)(clock() - start) / CLOCKS_PER_SEC;
        if (t > slowest)
            slowest = t, slowest_name = argv[i];
        free(buf);
        n++;
    }
    printf("replayed %d inputs", n);
    if (n)
        printf(", slowest %.2f s CPU: %s", slowest, slowest_name);
    printf("\n");
    return 0;
}
