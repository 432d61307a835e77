/* Fuzz target: Markdown bytes -> finished PDF in memory, through every
 * stage (read, parse, bind, typeset, render). Built with libFuzzer
 * (`make fuzz`), and replayed over tests/fuzz/corpus by the test suite. */
#include "diag.h"
#include "fonts.h"
#include "pipeline.h"

#include <stdint.h>
#include <stdlib.h>

/* The fonts are loaded once per process, as watch mode would. */
static FontSet *fuzz_fonts(void)
{
    static FontSet *fonts;
    if (!fonts) {
        Diag d;
        diag_init(&d);
        fonts = fontset_load("fonts/fonts.yaml", &d);
        diag_free(&d);
        if (!fonts)
            abort();
    }
    return fonts;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Diag d;
    diag_init(&d);
    PipelineOptions opts = {.layouts_dir = "layouts", .fonts = fuzz_fonts(), .render = 1};
    PipelineResult res;
    pipeline_run("fuzz.md", (const char *)data, size, &opts, &res, &d);
    pipeline_result_free(&res);
    diag_free(&d);
    return 0;
}
