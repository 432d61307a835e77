/* Fuzz target: the input bytes are a document's front matter.
 *
 *     "---\n" + INPUT + "\n---\n" + a fixed, valid FY2024 body
 *
 * goes through the whole pipeline (read, parse, bind, typeset, render) like
 * fuzz_pipeline.c, so a front matter that reads is also checked against the
 * layout it names, typeset and rendered. With the real front matter of
 * content/2024/seisaku-suishin.md (tests/fuzz/corpus-frontmatter/seed-2024.yaml)
 * the document is whole: a 2-page PDF (the test suite checks it with
 * POLICYGEN_FUZZ_EXPECT_PAGES=2, see harness.h).
 *
 * Built with libFuzzer (`make fuzz-frontmatter`), and replayed over
 * tests/fuzz/corpus-frontmatter by the test suite. */
#include "harness.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A short valid body of the houshin-r6 form, from content/2024/seisaku-suishin.md:
 * the policy, one goal with one target and one action. */
static const char BODY[] =
    "\n"
    "# 基本方針\n"
    "\n"
    "政策推進部は、市の政策をまとめ、実行するための施策に関する企画、関連部署間等の調整に加えて、"
    "市民への情報発信と広聴、職員の人事管理、防災対策などを所管しています。\n"
    "\n"
    "# 重点目標 1 公民連携事業の推進\n"
    "\n"
    "- 目標: （５） みんなでつくる暮らし続けられるまち\n"
    "- 分野: 行財政運営\n"
    "\n"
    "## 今年度の達成目標 1\n"
    "\n"
    "行政課題への対応に向け、民間事業者や大学との連携による事業を増加させます。\n"
    "\n"
    "## 具体的取組 1\n"
    "\n"
    "民間事業者との事業構築に向けた取組を推進し、協働事業を実施します。\n"
    "\n"
    "- 所管室・課: 企画調整課\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char open[] = "---\n", close[] = "\n---\n";
    size_t len = (sizeof open - 1) + size + (sizeof close - 1) + (sizeof BODY - 1);
    char *doc = malloc(len);
    if (!doc)
        abort();
    char *p = doc;
    memcpy(p, open, sizeof open - 1), p += sizeof open - 1;
    if (size)
        memcpy(p, data, size), p += size;
    memcpy(p, close, sizeof close - 1), p += sizeof close - 1;
    memcpy(p, BODY, sizeof BODY - 1);

    Diag d;
    diag_init(&d);
    PipelineOptions opts = {.layouts_dir = "layouts", .fonts = fuzz_fonts(), .render = 1};
    PipelineResult res;
    int rc = pipeline_run("fuzz.md", doc, len, &opts, &res, &d);
    fuzz_expect_pdf(rc, &res, &d);
    pipeline_result_free(&res);
    diag_free(&d);
    free(doc);
    return 0;
}
