/* The wrapped paragraphs of seeds/001_c2b809ccf79c4bae.txt (the FY2024 PDF
 * as text; its lines end exactly where the official PDF wraps), copied line
 * by line. A " →" (the arrow drawn in the neighbouring cell) is stripped from
 * the last line where the extraction appended it. */
#ifndef POLICYGEN_SEED_LINES_H
#define POLICYGEN_SEED_LINES_H

typedef struct {
    const char *where; /* box, and line numbers in the seed */
    int em;            /* box width in full-width characters */
    const char *lines[8]; /* NULL-terminated */
} SeedParagraph;

static const SeedParagraph seed_paragraphs[] = {
    {"基本方針, paragraph 1 (seed lines 12-13)", 47, {
        "政策推進部は、市の政策をまとめ、実行するための施策に関する企画、関連部署間等の調整に加えて、市",
        "民への情報発信と広聴、職員の人事管理、防災対策などを所管しています。",
        NULL}},
    {"基本方針, paragraph 2 (seed lines 14-16)", 47, {
        "まちの将来像の実現や少子高齢化、人口減少等の課題に対して、にぎわいと活力ある市であり続けるため",
        "に、公民連携による民間活力のさらなる活用や市内外に向けた情報発信をより充実させるとともに、それ",
        "らを担う職員の能力向上に向けた取組を進めます。",
        NULL}},
    {"基本方針, paragraph 3 (seed lines 17-18)", 47, {
        "また、防災対策について、大規模災害等の発災に備え職員の災害対応力の強化を図るとともに、地域防災",
        "の要となる消防団の機能強化及び地域防災力向上への取組を進めます。",
        NULL}},
    {"page 1, goal 1 title (seed lines 26-27)", 40, {
        "シティプロモーションの強化のため広報かしわらや柏原市ウェブサイト、各種ＳＮＳなど",
        "を活用し、柏原市の魅力を市内外に発信",
        NULL}},
    {"goal 1 sheet, title (seed lines 81-82)", 30, {
        "シティプロモーションの強化のため広報かしわらや柏原市ウェブサ",
        "イト、各種ＳＮＳなどを活用し、柏原市の魅力を市内外に発信",
        NULL}},
    {"goal 1 sheet, target 1 (seed lines 86-88)", 21, {
        "市内外に柏原市の取組や魅力発信に向けて、広",
        "報かしわらや市ウェブサイト、各種ＳＮＳの発",
        "信力を強化します。",
        NULL}},
    {"goal 1 sheet, target 2 (seed lines 92-94)", 21, {
        "染色業を積極的に市内外に向けてＰＲを行い、",
        "シティプロモーションと伝統産業の活性化を図",
        "ります。",
        NULL}},
    {"goal 1 sheet, action 1 (seed lines 98-104)", 21, {
        "昨年度リニューアルした柏原市公式ＬＩＮＥに",
        "よる情報発信力を強化するため、関係部局との",
        "連携を今までよりさらに密にすることで、市政",
        "情報の種類や発信する頻度を増加させ、内容の",
        "充実を図ります。また、全ての市民がウェブサ",
        "イトの情報を活用できるようウェブアクセシビ",
        "リティの向上を図ります。",
        NULL}},
    {"goal 1 sheet, action 2 (seed lines 111-116)", 21, {
        "柏原市の伝統産業である染色業で用いられてい",
        "る注染と捺染の技法を用いて手拭いを作成し、",
        "市外から訪れた関係者などへの配布や、2025年",
        "大阪・関西万博に向けた国際会議で記念グッズ",
        "として配布することにより、世界に向けて柏原",
        "市をＰＲしていきます。",
        NULL}},
    {"goal 2 sheet, target (seed lines 135-136)", 21, {
        "行政課題への対応に向け、民間事業者や大学と",
        "の連携による事業を増加させます。",
        NULL}},
    {"goal 2 sheet, action 1 (seed lines 140-143)", 21, {
        "大学との連携により、学生からの事業の企画・",
        "立案を促すとともに、事業への参画を推進しま",
        "す。また、大学と連携事業に関する会議等を開",
        "催し、さらなる事業構築に繋げます。",
        NULL}},
    {"goal 2 sheet, action 2 (seed lines 148-149)", 21, {
        "民間事業者との事業構築に向けた取組を推進",
        "し、協働事業を実施します。",
        NULL}},
    {"goal 3 sheet, action (seed lines 175-178)", 21, {
        "法律知識や対人スキルの向上、ハラスメント防",
        "止意識の熟成等を目的とした研修を実施し、職",
        "員がよりパフォーマンスを向上できる環境づく",
        "りを目指します。",
        NULL}},
    {"goal 3 sheet, target (seed lines 184-186)", 21, {
        "質の高い市民サービスを提供できるよう、職員",
        "一人ひとりの能力向上を図る研修を引き続き実",
        "施します。",
        NULL}},
    {"goal 4 sheet, target (seed lines 206-209)", 21, {
        "大規模災害等の発災初期に迅速かつ的確な判断",
        "と災害対応の展開が十分図られるよう体制構築",
        "を行うとともに市民への正確な情報伝達に向け",
        "伝達手段の多重化を推進します。",
        NULL}},
    {"goal 4 sheet, action 1 (seed lines 215-218)", 21, {
        "大規模災害の発生を想定し、災害対策本部の開",
        "設及び運営にかかる訓練を定期的に実施し、災",
        "害対応を担う職員の災害対応力の向上を図りま",
        "す。",
        NULL}},
    {"goal 4 sheet, action 2 (seed lines 223-225)", 21, {
        "災害情報伝達手段の根幹をなす防災行政無線設",
        "備の更新及び防災情報システムの整備に着手し",
        "ます。",
        NULL}},
    {"goal 5 sheet, target 1 (seed lines 242-245)", 21, {
        "消防団を中核とした地域防災力の充実強化に向",
        "け、消防団の災害対応力ならびに組織力を強化",
        "し、安全で安心して健やかに暮らせるまちを目",
        "指します。",
        NULL}},
    {"goal 5 sheet, target 2 (seed lines 251-254)", 21, {
        "消防団と自主防災組織を中心とした地域が連携",
        "した取組を進めることで、自助・共助の理念を",
        "深く浸透させ、地域防災力全体の向上を図りま",
        "す。",
        NULL}},
    {"goal 5 sheet, action 1 (seed lines 260-263)", 21, {
        "消防団としては、火災や大規模災害を想定した",
        "訓練を実施するとともに、資機材・装備品の充",
        "実を図り、地域防災力の要として災害対応力を",
        "強化します。",
        NULL}},
    {"goal 5 sheet, action 2 (seed lines 268-272)", 21, {
        "自主防災訓練等の場面において、消防団が地域",
        "住民に各種災害対応技術の指導を行う中で、特",
        "に、女性消防団員による火災予防啓発やあらゆ",
        "る災害を意識した地域防災活動等を活発化させ",
        "ることで、地域防災の課題解決を図ります。",
        NULL}},
};

#endif
