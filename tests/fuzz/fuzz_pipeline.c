/* Fuzz target: Markdown bytes -> finished PDF in memory, through every
 * stage (read, parse, bind, typeset, render). Built with libFuzzer
 * (`make fuzz`), and replayed over tests/fuzz/corpus by the test suite. */
#include "harness.h" /* fuzz_fonts: loaded once per process, as watch mode would */

#include <stdint.h>
#include <stdlib.h>

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
