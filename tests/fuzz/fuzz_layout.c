/* Fuzz target: the input bytes are a layout file.
 *
 * Only public APIs, so the target keeps working while the layout reader
 * changes: the bytes are written to <dir>/fuzz.yaml in a folder of this
 * process's own ($TMPDIR or /tmp, policygen-fuzz-layout.XXXXXX, removed at
 * exit), and pipeline_run renders a fixed document whose front matter says
 * `layout: fuzz` with opts.layouts_dir = that folder. A layout that loads is
 * therefore also bound, typeset and rendered.
 *
 * The fixed document is content/2024/seisaku-suishin.md (FY2024, written for
 * houshin-r6), read once, with its `layout:` rewritten to `fuzz`
 * (fuzz_document). With layouts/houshin-r6.yaml
 * as the input it makes the whole 6-page PDF (the test suite checks it with
 * POLICYGEN_FUZZ_EXPECT_PAGES=6, see harness.h).
 *
 * Built with libFuzzer (`make fuzz-layout`), and replayed over
 * tests/fuzz/corpus-layout by the test suite. */
#include "harness.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[4096], file[4096 + 16];

static void remove_dir(void)
{
    if (dir[0]) {
        unlink(file);
        rmdir(dir);
    }
}

/* For replay.c, when an input is stopped (time limit, sanitizer report). */
void fuzz_replay_cleanup(void);
void fuzz_replay_cleanup(void)
{
    remove_dir();
}

static void make_dir(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/policygen-fuzz-layout.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("fuzz_layout: mkdtemp");
        abort();
    }
    snprintf(file, sizeof file, "%s/fuzz.yaml", dir);
    atexit(remove_dir);
    fuzz_cleanup = remove_dir;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0])
        make_dir();
    FILE *f = fopen(file, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
        perror("fuzz_layout: writing the layout");
        abort();
    }

    Diag d;
    diag_init(&d);
    PipelineOptions opts = {.layouts_dir = dir, .fonts = fuzz_fonts(), .render = 1};
    PipelineResult res;
    size_t doc_len;
    const char *doc = fuzz_document("content/2024/seisaku-suishin.md", "fuzz", &doc_len);
    int rc = pipeline_run("fuzz.md", doc, doc_len, &opts, &res, &d);
    fuzz_expect_pdf(rc, &res, &d);
    pipeline_result_free(&res);
    diag_free(&d);
    return 0;
}
