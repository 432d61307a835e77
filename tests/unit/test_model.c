/* Unit tests of the model stages: era conversion, template filters, the
 * layout loader, and the Markdown binding with its messages. */
#include "bind.h"
#include "check.h"
#include "era.h"
#include "layout.h"
#include "parse.h"
#include "source.h"
#include "template.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_era(void)
{
    char b[64];
    static const struct { int year; const char *want; } cases[] = {
        {2024, "令和6年"}, {2020, "令和2年"}, {2019, "令和元年"}, {2018, "平成30年"},
        {1989, "平成元年"}, {1988, "昭和63年"}, {1926, "昭和元年"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK(era_year(cases[i].year, b, sizeof b) == 0, "era_year(%d) fails", cases[i].year);
        CHECK_STR(b, cases[i].want);
    }
    CHECK(era_year(1925, b, sizeof b) == -1, "1925 is before 昭和");
    CHECK(era_year(10000, b, sizeof b) == -1, "10000 is refused");
    char *fw = filter_fullwidth("令和6年 AB12");
    CHECK_STR(fw, "令和６年 ＡＢ１２");
    free(fw);
}

/* Everything a run reports, as one string. */
static char *messages(Diag *d)
{
    FILE *f = tmpfile();
    diag_print(d, f);
    long n = ftell(f);
    rewind(f);
    char *s = xcalloc((size_t)n + 1, 1);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = '\0';
    fclose(f);
    return s;
}

typedef struct {
    Source src;
    Document doc;
    Node *root;
    Diag d;
    char *msgs;
} Bound;

static void bind_text(Bound *b, const Layout *l, const char *md)
{
    memset(b, 0, sizeof *b);
    diag_init(&b->d);
    source_from_bytes(&b->src, "t.md", md, strlen(md), &b->d);
    parse_document(&b->src, &b->doc, &b->d);
    bind_document(&b->doc, l, &b->root, &b->d);
    b->msgs = messages(&b->d);
}

static void bound_free(Bound *b)
{
    node_free(b->root);
    document_free(&b->doc);
    source_free(&b->src);
    diag_free(&b->d);
    free(b->msgs);
}

#define FRONT "---\nlayout: houshin-r6\nfiscal_year: 2024\ndepartment: 政策推進部\nhead:\n  title: 部長\n  name: 市川　信行\n---\n"
#define POLICY "# 基本方針\n\n方針の本文。\n\n"
#define GOAL1 "# 重点目標 1 広報の強化\n\n- 目標: （５） まち\n- 分野: 市政運営\n\n## 今年度の達成目標 1\n\n目標の本文。\n\n## 具体的取組 1\n\n取組の本文。\n\n- 所管室・課: 秘書広報課\n"

#define HAS(b, s) CHECK(strstr((b)->msgs, (s)) != NULL, "messages lack \"%s\":\n%s", (s), (b)->msgs)

static void test_layout(void)
{
    Diag d;
    diag_init(&d);
    Layout *l = layout_load("layouts/houshin-r6.yaml", &d);
    CHECK(l != NULL && d.errors == 0, "houshin-r6 loads (%zu errors)", d.errors);
    if (l) {
        const SectionSpec *goal = layout_child(&l->root, "goal");
        CHECK(goal && goal->min == 1 && goal->max == 5, "goal: 1..5");
        CHECK(goal && layout_child(goal, "target") && layout_child(goal, "target")->max == 2, "two targets at most");
        CHECK(l->npages == 2 && l->pages[1].repeat && strcmp(l->pages[1].repeat, "goal") == 0, "a sheet per goal");
    }
    layout_free(l);
    diag_free(&d);

    /* Every template of the real layouts names something; a typo does not. */
    const char *real[] = {"layouts/houshin-r6.yaml", "layouts/houshin-r2.yaml", "layouts/book/yearly.yaml"};
    for (size_t i = 0; i < 3; i++) {
        diag_init(&d);
        l = layout_load(real[i], &d);
        CHECK(l && template_check_layout(l, &d) == 0 && d.errors == 0, "%s: templates check (%zu errors)", real[i],
              d.errors);
        layout_free(l);
        diag_free(&d);
    }
    {
        const char *typo = "/tmp/policygen-test-typo.yaml";
        FILE *tf = fopen(typo, "w");
        fputs("name: t\nsections:\n  - {id: goal, match: '^G (?<title>.+)$', max: 3}\npages:\n  - name: p\n"
              "    repeat: goal\n    rows:\n      - height: 10\n        cells:\n"
              "          - {name: 題, x: 0, w: 10, font: mincho, text: '{titel|fulwidth}'}\n", tf);
        fclose(tf);
        diag_init(&d);
        l = layout_load(typo, &d);
        CHECK(l && template_check_layout(l, &d) != 0, "a typo in a template is an error");
        Bound tb = {0};
        tb.msgs = messages(&d);
        HAS(&tb, "policygen-test-typo.yaml:10:13: error: 題: `{titel}` names nothing here");
        HAS(&tb, "unknown filter `fulwidth`");
        free(tb.msgs);
        layout_free(l);
        diag_free(&d);
        remove(typo);
    }

    /* A typo in a layout is an error with its place, not a silent default. */
    const char *bad = "/tmp/policygen-test-layout.yaml";
    FILE *f = fopen(bad, "w");
    fputs("name: x\npages:\n  - name: p\n    rows:\n      - height: 10\n        cells:\n"
          "          - {x: 0, w: 10, txet: a}\nsections:\n  - {id: s, match: '(unclosed'}\n", f);
    fclose(f);
    diag_init(&d);
    l = layout_load(bad, &d);
    Bound b = {0};
    b.msgs = messages(&d);
    CHECK(l == NULL, "a bad layout does not load");
    HAS(&b, "policygen-test-layout.yaml:7:");
    HAS(&b, "unknown key `txet` in a cell");
    HAS(&b, "a cell needs a font role"); /* font roles are the manifest's: no default */
    HAS(&b, "bad pattern `(unclosed`");
    free(b.msgs);
    diag_free(&d);
    remove(bad);
}

static void test_bind(const Layout *l)
{
    Bound b;
    bind_text(&b, l, FRONT POLICY GOAL1);
    CHECK(b.d.errors == 0, "a good document binds:\n%s", b.msgs);
    const Node *g = node_child(b.root, "goal", 1);
    CHECK(g != NULL, "goal 1 bound");
    if (g) {
        CHECK_STR(node_value(g, "title") ? node_value(g, "title")->text : NULL, "広報の強化");
        CHECK_STR(node_value(g, "分野") ? node_value(g, "分野")->text : NULL, "市政運営");
        CHECK_STR(g->label, "重点目標 1");
        const Node *a = node_child(g, "action", 1);
        CHECK(a && a->nbody == 1, "action body");
        CHECK_STR(a ? a->label : NULL, "重点目標 1 / 具体的取組 1");
        char *t = template_string("{fiscal_year|era|fullwidth}度 {department}の運営方針", a);
        CHECK_STR(t, "令和６年度 政策推進部の運営方針");
        free(t);
        /* The target's own 達成状況 is absent: blank, never the goal's. */
        Paras ps;
        template_expand("{達成状況}", node_child(g, "target", 1), &ps);
        CHECK(ps.missing, "absent evaluation field prints blank");
        paras_free(&ps);
        template_expand("{body}", a, &ps);
        CHECK(ps.n == 1 && !ps.missing && strcmp(ps.p[0].text, "取組の本文。") == 0, "body expands");
        CHECK(ps.n == 1 && ps.p[0].pos.line > 0, "body keeps its source line");
        paras_free(&ps);
    }
    bound_free(&b);

    /* Fields may be written as plain `key: value` lines too; prose that
     * merely holds a colon stays prose. */
    bind_text(&b, l, FRONT POLICY "# 重点目標 1 T\n\n目標: （５） まち\n分野: 防災\n\n## 今年度の達成目標 1\n\n注意: これは本文です。\n\n## 具体的取組 1\n\n本文。\n\n所管室・課: 危機管理課\n");
    CHECK(b.d.errors == 0, "fields as lines bind:\n%s", b.msgs);
    g = node_child(b.root, "goal", 1);
    CHECK_STR(g && node_value(g, "分野") ? node_value(g, "分野")->text : NULL, "防災");
    CHECK(g && node_value(g, "分野") && node_value(g, "分野")->pos.line == 16, "a field line keeps its own line");
    const Node *t1 = g ? node_child(g, "target", 1) : NULL;
    CHECK(t1 && t1->nbody == 1 && strcmp(t1->body[0]->text, "注意: これは本文です。") == 0, "prose with a colon is body");
    const Node *a1 = g ? node_child(g, "action", 1) : NULL;
    CHECK_STR(a1 && node_value(a1, "所管室・課") ? node_value(a1, "所管室・課")->text : NULL, "危機管理課");
    bound_free(&b);

    /* Misspelt heading: the form's word is suggested. */
    bind_text(&b, l, FRONT POLICY GOAL1 "# 重点目票 2 災害対応\n");
    HAS(&b, "原稿の中の見出し `重点目票 2 災害対応` は様式にありません。`# 重点目標 2 災害対応` のまちがいではありませんか");
    bound_free(&b);

    /* Numbering: out of order and twice. */
    bind_text(&b, l, FRONT POLICY GOAL1 "## 具体的取組 3\n\n本文。\n\n- 所管室・課: 課\n");
    HAS(&b, "重点目標 1 / 具体的取組 3: 番号の順が違います。ここは 2 のはずです");
    bound_free(&b);
    bind_text(&b, l, FRONT POLICY GOAL1 "## 具体的取組 1\n\n本文。\n\n- 所管室・課: 課\n");
    HAS(&b, "番号 1 が 2 回使われています。ここは 2 にしてください");
    bound_free(&b);

    /* More targets than the form has cells for. */
    bind_text(&b, l, FRONT POLICY GOAL1 "## 今年度の達成目標 2\n\nA。\n\n## 今年度の達成目標 3\n\nB。\n");
    HAS(&b, "重点目標 1 / 今年度の達成目標 3: 様式では重点目標 1 に入る `今年度の達成目標` は 2 個まで");
    bound_free(&b);

    /* Field checks: 達成度 Ａ–Ｅ, unknown field, missing required field. */
    bind_text(&b, l, FRONT POLICY "# 重点目標 1 T\n\n- 目標: x\n\n## 今年度の達成目標 1\n\n本文。\n\n- 達成度: F\n- 達成率: 5\n\n## 具体的取組 1\n\n本文。\n");
    HAS(&b, "重点目標 1 / 今年度の達成目標 1 / 達成度: `F` はここでは使えません。書き方: Ａ、Ｂ、Ｃ、Ｄ、Ｅ (全角) のいずれか");
    HAS(&b, "`- 達成率` は重点目標 1 / 今年度の達成目標 1 の項目ではありません");
    HAS(&b, "重点目標 1 に項目 `分野` がありません");
    HAS(&b, "重点目標 1 / 具体的取組 1 に項目 `所管室・課` がありません");
    bound_free(&b);

    /* Missing sections and front matter. */
    bind_text(&b, l, "---\nlayout: houshin-r6\n---\n\n# 基本方針\n\n本文。\n");
    HAS(&b, "前付けに `fiscal_year` がありません");
    HAS(&b, "原稿には `重点目標 N` の見出しが少なくとも 1 個必要ですが、0 個です");
    bound_free(&b);

    /* Markdown a form cannot hold. */
    bind_text(&b, l, FRONT POLICY "<b>x</b>\n\n[link](http://x)\n\n![img](a.png)\n\n> quote\n");
    HAS(&b, "t.md:13:1: error: HTML のタグは運営方針の原稿では使えません");
    HAS(&b, "t.md:15:1: error: リンクは使えません");
    HAS(&b, "t.md:17:1: error: 画像は運営方針の原稿では使えません");
    HAS(&b, "t.md:19:1: error: 引用（>）は運営方針の原稿では使えません");
    bound_free(&b);

    /* Invalid YAML and invalid UTF-8 point at their line. */
    bind_text(&b, l, "---\nlayout: [x\n---\n");
    HAS(&b, "t.md:2:9: error: 前付けの書き方が正しくありません: `[` で始めたものが `]` で閉じられていません");
    bound_free(&b);
    bind_text(&b, l, FRONT "# 基本方針\n\nok \xff\xfe bad\n");
    HAS(&b, "t.md:11:4: error: UTF-8 として正しくないバイト 0xFF があります");
    bound_free(&b);
}


#define OFFICERS "officers:\n  - {title: 理事（監）, name: 山口　伸和}\n  - {title: 理事（監）, name: 小林　聡, role: 危機管理監}\n"
#define FRONT_OFF "---\nlayout: houshin-r6\nfiscal_year: 2024\ndepartment: 政策推進部\nhead:\n  title: 部長\n  name: 市川　信行\n" OFFICERS "---\n"

/* The expanded text of a template, or "<blank>" when the cell prints blank. */
static char *expanded(const char *tmpl, const Node *scope, Paras *ps)
{
    template_expand(tmpl, scope, ps);
    return ps->missing ? "<blank>" : ps->p[0].text;
}

/* Optional parts vanish with their text; a value alone may be blank; text
 * around a value is never printed without it, and says where it lacks. */
static void test_templates(const Layout *l)
{
    Bound b;
    bind_text(&b, l, FRONT_OFF POLICY GOAL1);
    CHECK(b.d.errors == 0 && b.d.warnings == 0, "officers without a role bind:\n%s", b.msgs);
    const Node *root = b.root, *g = node_child(root, "goal", 1);
    Paras ps;
    CHECK_STR(expanded("{officers.0.name}{?（{officers.0.role}）?}", root, &ps), "山口　伸和");
    CHECK(ps.lack.node == NULL, "an optional part lacks nothing");
    paras_free(&ps);
    CHECK_STR(expanded("{officers.1.name}{?（{officers.1.role}）?}", root, &ps), "小林　聡（危機管理監）");
    paras_free(&ps);
    CHECK_STR(expanded("{officers.2.name}{?（{officers.2.role}）?}", root, &ps), "<blank>");
    CHECK(ps.lack.node == NULL, "a value alone may be blank");
    paras_free(&ps);
    CHECK_STR(expanded("【注】{?（{department}）?}本当? {{x}} ?", root, &ps), "【注】（政策推進部）本当? {x} ?");
    paras_free(&ps);

    /* Text with a value: blank, and the lack is reported in the form's words. */
    CHECK_STR(expanded("{officers.0.name}（{officers.0.role}）", root, &ps), "<blank>");
    CHECK(ps.lack.node == root && ps.lack.path && strcmp(ps.lack.path, "officers.0.role") == 0,
          "the lack names the front-matter key");
    Diag d;
    diag_init(&d);
    CHECK(bind_report_missing(l, &ps.lack, "理事（監）", "t.md", &d) == 1, "a lack is reported");
    paras_free(&ps);
    CHECK_STR(expanded("{officers.0.name}{officers.0.role}", root, &ps), "<blank>");
    CHECK(ps.lack.node != NULL, "two values without text are not printed in part either");
    paras_free(&ps);
    Bound m = {0};
    m.msgs = messages(&d);
    HAS(&m, "t.md:9:13: error: 理事（監）: この欄に必要な `role` が前付けの `officers` の 1 件目にありません（理事の担当）。`role: ...` を加えてください");
    free(m.msgs);
    diag_free(&d);

    /* Year-end values and blank rows stay blank without a message; values
     * binding reported already are not reported twice. */
    diag_init(&d);
    const Node *t1 = g ? node_child(g, "target", 1) : NULL;
    CHECK_STR(expanded("達成度：{達成度}", t1, &ps), "<blank>");
    CHECK(ps.lack.node == t1 && bind_report_missing(l, &ps.lack, "達成度", "t.md", &d) == 0, "a year-end value is quiet");
    paras_free(&ps);
    CHECK_STR(expanded("総括：{review.body}", g, &ps), "<blank>");
    CHECK(ps.lack.node == g && bind_report_missing(l, &ps.lack, "総括", "t.md", &d) == 0, "a year-end section is quiet");
    paras_free(&ps);
    Node *blank = node_new(t1 ? t1->spec : &l->root, (Node *)g, (Pos){0, 0});
    blank->filler = 1;
    CHECK_STR(expanded("目標 {number}：{body}", blank, &ps), "<blank>");
    CHECK(bind_report_missing(l, &ps.lack, "目標", "t.md", &d) == 0, "a blank row is quiet");
    paras_free(&ps);
    node_free(blank);
    CHECK(d.errors == 0, "nothing reported for year-end values and blank rows");
    diag_free(&d);
    bound_free(&b);

    /* A third officer: the form holds two. A half officer: title and name
     * go together (`required: item`), the role may go. */
    bind_text(&b, l, "---\nlayout: houshin-r6\nfiscal_year: 2024\ndepartment: 部\nhead: {title: 部長, name: 某}\n"
                     "officers:\n  - {title: 理事, name: 甲}\n  - {name: 乙, role: 担当}\n  - {title: 理事, name: 丙}\n"
                     "---\n" POLICY GOAL1);
    HAS(&b, "t.md:8:12: error: 前付けの `officers` の 2 件目に `title` がありません（2人目の理事の職名）。この件に `title: ...` を加えてください");
    HAS(&b, "t.md:9:13: error: この様式に書ける `officers` は 2 件までです（これは 3 件目で、様式に欄がありません）");
    CHECK(b.d.errors == 2 && b.d.warnings == 0, "one error per officer, no did-you-mean:\n%s", b.msgs);
    bound_free(&b);
}

/* Write a layout with one cell of this text; return what checking it says. */
static char *check_cell_text(const char *text)
{
    const char *path = "/tmp/policygen-test-optional.yaml";
    FILE *f = fopen(path, "w");
    fprintf(f, "name: t\nmetadata:\n  - {key: a}\n  - {key: b}\npages:\n  - name: p\n    rows:\n      - height: 10\n"
               "        cells:\n          - {name: 欄, x: 0, w: 10, font: mincho, text: '%s'}\n", text);
    fclose(f);
    Diag d;
    diag_init(&d);
    Layout *l = layout_load(path, &d);
    if (l)
        template_check_layout(l, &d);
    char *msgs = messages(&d);
    layout_free(l);
    diag_free(&d);
    remove(path);
    return msgs;
}

/* Optional parts are checked with the layout, at the character. */
static void test_template_check(void)
{
    static const struct { const char *text, *want; } cases[] = {
        {"{a}{?（{b}）?}", ""},
        {"【{a}】（注）?", ""},
        {"{a}{?（{b}）", "policygen-test-optional.yaml:10:60: error: 欄: optional part `{?（{b}）` is never closed: end it with `?}`"},
        {"{a}（{b}）?}", "policygen-test-optional.yaml:10:65: error: 欄: `?}` closes no optional part (open one with `{?`)"},
        {"{?{a}{?{b}?}?}", "policygen-test-optional.yaml:10:62: error: 欄: optional parts do not nest: close `{?{a}` with `?}` before the next `{?`"},
        {"{a}{?（注）?}", "policygen-test-optional.yaml:10:60: error: 欄: optional part `{?（注）?}` holds no {reference}, so it would always print"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *msgs = check_cell_text(cases[i].text);
        if (*cases[i].want)
            CHECK(strstr(msgs, cases[i].want) != NULL, "`%s`: want \"%s\", got:\n%s", cases[i].text, cases[i].want, msgs);
        else
            CHECK(*msgs == '\0', "`%s` is a good template, got:\n%s", cases[i].text, msgs);
        free(msgs);
    }

    /* `required: item` is for keys inside a list item. */
    const char *path = "/tmp/policygen-test-item.yaml";
    FILE *f = fopen(path, "w");
    fputs("name: t\nmetadata:\n  - {key: head.name, required: item}\n  - {key: x.0.name, required: item}\n"
          "pages:\n  - name: p\n    rows: []\n", f);
    fclose(f);
    Diag d;
    diag_init(&d);
    Layout *l = layout_load(path, &d);
    Bound b = {0};
    b.msgs = messages(&d);
    CHECK(l == NULL, "a layout with `required: item` outside a list does not load");
    HAS(&b, "policygen-test-item.yaml:3:32: error: `required: item` is for a key inside a list item");
    CHECK(strstr(b.msgs, ":4:") == NULL, "x.0.name may be required in its item:\n%s", b.msgs);
    free(b.msgs);
    layout_free(l);
    diag_free(&d);
    remove(path);
}

#define FRONT2 "---\nlayout: houshin-r2\nfiscal_year: 2020\ndepartment: 政策推進部\nhead:\n  title: 部(局)長\n  name: 市川 信行\n---\n"
#define ISSUE1 "# 基本姿勢\n\n本文。\n\n# 重点課題 1 計画の策定\n\n- 政策目標: (5) 健全な行財政\n- 施策目標: (2)市政運営\n\n## 目指すべき方向\n\n方向。\n\n## 活動目標\n\n1. 一つ目。\n2. 二つ目。\n\n## 達成目標\n\n1. 目標。\n\n"

/* The general features the FY2020 format brought: lettered sequences,
 * values captured from a field's pattern, numbered list items. */
static void test_r2_features(void)
{
    Diag d;
    diag_init(&d);
    Layout *l = layout_load("layouts/houshin-r2.yaml", &d);
    CHECK(l != NULL, "houshin-r2 loads");
    if (!l) {
        diag_free(&d);
        return;
    }
    Bound b;
    bind_text(&b, l, FRONT2 ISSUE1 "## 取組 ア\n\n事業。\n\n- 所管室・課: 企画調整課\n\n## 取組 イ\n\n事業二。\n\n- 所管室・課: 人事課\n");
    CHECK(b.d.errors == 0, "a FY2020 document binds:\n%s", b.msgs);
    const Node *issue = node_child(b.root, "issue", 1);
    CHECK(issue != NULL, "the 重点課題 is bound");
    if (issue) {
        const Value *no = node_value(issue, "政策目標.no");
        const Value *name = node_value(issue, "政策目標.name");
        CHECK_STR(no ? no->text : NULL, "(5)");
        CHECK_STR(name ? name->text : NULL, "健全な行財政");
        size_t items = 0;
        for (size_t i = 0; i < issue->nchildren; i++)
            for (size_t k = 0; k < issue->children[i]->nbody; k++)
                items += issue->children[i]->body[k]->kind == BLOCK_ITEM;
        CHECK(items == 3, "numbered items kept as items (%zu)", items);
    }
    bound_free(&b);

    /* Letters run ア, イ, ウ: イ first is out of order. */
    bind_text(&b, l, FRONT2 ISSUE1 "## 取組 イ\n\n事業。\n\n- 所管室・課: 企画調整課\n");
    HAS(&b, "取組 イ: 番号の順が違います。ここは ア のはずです");
    bound_free(&b);
    layout_free(l);
    diag_free(&d);
}

int main(void)
{
    test_r2_features();
    test_era();
    test_layout();
    Diag d;
    diag_init(&d);
    Layout *l = layout_load("layouts/houshin-r6.yaml", &d);
    if (l) {
        test_bind(l);
        test_templates(l);
    }
    test_template_check();
    layout_free(l);
    diag_free(&d);
    return CHECK_DONE();
}
