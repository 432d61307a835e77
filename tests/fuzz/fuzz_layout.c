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
 * houshin-r6) with its `layout:` rewritten to `fuzz`. With layouts/houshin-r6.yaml
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

static const char DOC[] =
    "---\n"
    "layout: fuzz\n"
    "fiscal_year: 2024\n"
    "department: 政策推進部\n"
    "head:\n"
    "  title: 部長\n"
    "  name: 市川　信行\n"
    "officers:\n"
    "  - title: 理事（監）\n"
    "    name: 山口　伸和\n"
    "    role: 総合政策監\n"
    "  - title: 理事（監）\n"
    "    name: 小林　聡\n"
    "    role: 危機管理監\n"
    "---\n"
    "\n"
    "# 基本方針\n"
    "\n"
    "政策推進部は、市の政策をまとめ、実行するための施策に関する企画、関連部署間等の調整に加えて、市民への情報発信と広聴、職員の人事管理、防災対策などを所管しています。\n"
    "\n"
    "まちの将来像の実現や少子高齢化、人口減少等の課題に対して、にぎわいと活力ある市であり続けるために、公民連携による民間活力のさらなる活用や市内外に向けた情報発信をより充実させるとともに、それらを担う職員の能力向上に向けた取組を進めます。\n"
    "\n"
    "また、防災対策について、大規模災害等の発災に備え職員の災害対応力の強化を図るとともに、地域防災の要となる消防団の機能強化及び地域防災力向上への取組を進めます。\n"
    "\n"
    "# 重点目標 1 シティプロモーションの強化のため広報かしわらや柏原市ウェブサイト、各種ＳＮＳなどを活用し、柏原市の魅力を市内外に発信\n"
    "\n"
    "- 目標: （５） みんなでつくる暮らし続けられるまち\n"
    "- 分野: 市政運営\n"
    "\n"
    "## 今年度の達成目標 1\n"
    "\n"
    "市内外に柏原市の取組や魅力発信に向けて、広報かしわらや市ウェブサイト、各種ＳＮＳの発信力を強化します。\n"
    "\n"
    "## 今年度の達成目標 2\n"
    "\n"
    "染色業を積極的に市内外に向けてＰＲを行い、シティプロモーションと伝統産業の活性化を図ります。\n"
    "\n"
    "## 具体的取組 1\n"
    "\n"
    "昨年度リニューアルした柏原市公式ＬＩＮＥによる情報発信力を強化するため、関係部局との連携を今までよりさらに密にすることで、市政情報の種類や発信する頻度を増加させ、内容の充実を図ります。また、全ての市民がウェブサイトの情報を活用できるようウェブアクセシビリティの向上を図ります。\n"
    "\n"
    "- 所管室・課: 秘書広報課\n"
    "\n"
    "## 具体的取組 2\n"
    "\n"
    "柏原市の伝統産業である染色業で用いられている注染と捺染の技法を用いて手拭いを作成し、市外から訪れた関係者などへの配布や、2025年大阪・関西万博に向けた国際会議で記念グッズとして配布することにより、世界に向けて柏原市をＰＲしていきます。\n"
    "\n"
    "- 所管室・課: 秘書広報課\n"
    "\n"
    "# 重点目標 2 公民連携事業の推進\n"
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
    "大学との連携により、学生からの事業の企画・立案を促すとともに、事業への参画を推進します。また、大学と連携事業に関する会議等を開催し、さらなる事業構築に繋げます。\n"
    "\n"
    "- 所管室・課: 企画調整課\n"
    "\n"
    "## 具体的取組 2\n"
    "\n"
    "民間事業者との事業構築に向けた取組を推進し、協働事業を実施します。\n"
    "\n"
    "- 所管室・課: 企画調整課\n"
    "\n"
    "# 重点目標 3 職員の能力向上\n"
    "\n"
    "- 目標: （５） みんなでつくる暮らし続けられるまち\n"
    "- 分野: 行財政運営\n"
    "\n"
    "## 今年度の達成目標 1\n"
    "\n"
    "質の高い市民サービスを提供できるよう、職員一人ひとりの能力向上を図る研修を引き続き実施します。\n"
    "\n"
    "## 具体的取組 1\n"
    "\n"
    "法律知識や対人スキルの向上、ハラスメント防止意識の熟成等を目的とした研修を実施し、職員がよりパフォーマンスを向上できる環境づくりを目指します。\n"
    "\n"
    "- 所管室・課: 人事課\n"
    "\n"
    "# 重点目標 4 災害対応力の強化\n"
    "\n"
    "- 目標: （１） 安全で安心して健やかに暮らせるまち\n"
    "- 分野: 防災\n"
    "\n"
    "## 今年度の達成目標 1\n"
    "\n"
    "大規模災害等の発災初期に迅速かつ的確な判断と災害対応の展開が十分図られるよう体制構築を行うとともに市民への正確な情報伝達に向け伝達手段の多重化を推進します。\n"
    "\n"
    "## 具体的取組 1\n"
    "\n"
    "大規模災害の発生を想定し、災害対策本部の開設及び運営にかかる訓練を定期的に実施し、災害対応を担う職員の災害対応力の向上を図ります。\n"
    "\n"
    "- 所管室・課: 危機管理課\n"
    "\n"
    "## 具体的取組 2\n"
    "\n"
    "災害情報伝達手段の根幹をなす防災行政無線設備の更新及び防災情報システムの整備に着手します。\n"
    "\n"
    "- 所管室・課: 危機管理課\n"
    "\n"
    "# 重点目標 5 「地域で守る」防災の推進\n"
    "\n"
    "- 目標: （１） 安全で安心して健やかに暮らせるまち\n"
    "- 分野: 防災\n"
    "\n"
    "## 今年度の達成目標 1\n"
    "\n"
    "消防団を中核とした地域防災力の充実強化に向け、消防団の災害対応力ならびに組織力を強化し、安全で安心して健やかに暮らせるまちを目指します。\n"
    "\n"
    "## 今年度の達成目標 2\n"
    "\n"
    "消防団と自主防災組織を中心とした地域が連携した取組を進めることで、自助・共助の理念を深く浸透させ、地域防災力全体の向上を図ります。\n"
    "\n"
    "## 具体的取組 1\n"
    "\n"
    "消防団としては、火災や大規模災害を想定した訓練を実施するとともに、資機材・装備品の充実を図り、地域防災力の要として災害対応力を強化します。\n"
    "\n"
    "- 所管室・課: 危機管理課\n"
    "\n"
    "## 具体的取組 2\n"
    "\n"
    "自主防災訓練等の場面において、消防団が地域住民に各種災害対応技術の指導を行う中で、特に、女性消防団員による火災予防啓発やあらゆる災害を意識した地域防災活動等を活発化させることで、地域防災の課題解決を図ります。\n"
    "\n"
    "- 所管室・課: 危機管理課\n";

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
    int rc = pipeline_run("fuzz.md", DOC, sizeof DOC - 1, &opts, &res, &d);
    fuzz_expect_pdf(rc, &res, &d);
    pipeline_result_free(&res);
    diag_free(&d);
    return 0;
}
