"""Prose figures: metric, value (Chinese numerals), unit, section, breakdowns; what is never a figure."""
import pytest

from conftest import read_fixture
from xxgk.parsers.document import RawDoc
from xxgk.parsers.parse import parse
from xxgk.rules.figures.extract import extract_figures, figures_from_text, headings


def rows(text: str):
    return [(f.metric, f.category, f.value, f.unit) for f in figures_from_text(text)]


def test_seed_breakdowns_and_staff():
    doc = parse(RawDoc(read_fixture("000_18ca986f9f3aea6e.txt"), "000.txt"))
    figs = extract_figures(doc)
    got = [(f.metric, f.category, f.value, f.unit) for f in figs]
    assert ("专职人员", None, 2, "名") in got
    assert ("主动公开政府信息", None, 60, "条") in got
    info = [g for g in got if g[0] == "主动公开政府信息" and g[1]]
    assert [g[1] for g in info] == ["城市综合执法", "行政执法", "机构概况", "领导信息", "政策文件", "规划计划", "财政财务",
                                    "公开年报", "行政许可"]
    assert info[0][2:] == (25, "条") and info[-1][2:] == (8, "条")
    assert ("受理投诉转办件", None, 469, "件") in got
    complaints = [g for g in got if g[0] == "受理投诉转办件" and g[1]]
    assert len(complaints) == 13 and sum(g[2] for g in complaints) == 469
    assert ("办结率", None, 100, "%") in got
    by_value = {f.value: f for f in figs if f.category is None}
    assert by_value[60].section == "二、主动公开政府信息情况"
    assert by_value[2].section == "一、概述"
    assert "专职人员2名" in by_value[2].text
    # 十大模块 names a list of modules, it does not count anything; 12345 is a hotline, 2020年 a year
    assert not any(f.value in (12345, 2020, 2021) for f in figs)
    assert not any(f.value == 10 and f.category is None for f in figs)


def test_chinese_numerals_and_approximations():
    figs = figures_from_text("一、总体情况\n全年召开专题会议三次，配备两名兼职人员，开展培训十余次，"
                             "汇集了30多个单位的信息，近百名群众参加。")
    got = {(f.metric, f.value, f.unit, f.approximate) for f in figs}
    assert ("专题会议", 3, "次", False) in got
    assert ("兼职人员", 2, "名", False) in got
    assert ("培训", 10, "次", True) in got
    assert ("单位", 30, "个", True) in got
    assert ("群众", 100, "名", True) in got


def test_full_width_digits_and_punctuation():
    assert rows("我局主动公开政府信息１２条（其中：规范性文件３条、政策解读２条）。")[0] == ("主动公开政府信息", None, 12, "条")
    assert ("群众诉求办结率", None, 98.5, "%") in rows("群众诉求办结率达98.5％。")


def test_not_figures():
    text = ("本报告数据统计期限自2019年1月1日起至2019年12月31日止。联系电话：0591-23165255，邮编：350400。"
            "根据《国务院办公厅关于印发2019年政务公开工作要点的通知》（国办发〔2019〕14号）和《条例》第二十条第（一）项，"
            "一是落实“三同步”，二是推进“五个一律”。详见www.pingtan.gov.cn/2019/1.html。第3次会议召开。"
            "实行一次性告知、一个窗口受理。办理时限为15个工作日，每天至少1次巡查。截至12月14日，共办理政策解读7件。")
    got = rows(text)
    assert got == [("办理政策解读", None, 7, "件")]


def test_percent_share_follows_its_figure():
    got = rows("二、主动公开政府信息情况（一）主动公开政府信息的数量2018年全区主动公开政府信息2069条。"
               "其中，区直各部门主动公开政府信息1592条，占76.9%。各乡镇主动公开政府信息477条，占23.1%。")
    assert got == [("主动公开政府信息", None, 2069, "条"),
                   ("主动公开政府信息", "区直各部门", 1592, "条"),
                   ("主动公开政府信息", "区直各部门", 76.9, "%"),
                   ("主动公开政府信息", "各乡镇", 477, "条"),
                   ("主动公开政府信息", "各乡镇", 23.1, "%")]


def test_colon_list_breaks_down_its_head():
    got = rows("2018年，我区主动公开政府信息的主要类别有：机构职能类信息211条，政策、规范性文件类信息82条，其他信息1029条。")
    assert got == [("主动公开政府信息", "机构职能类信息", 211, "条"),
                   ("主动公开政府信息", "政策、规范性文件类信息", 82, "条"),
                   ("主动公开政府信息", "其他信息", 1029, "条")]


def test_total_named_after_its_number():
    got = rows("在管委会网站主动公开的425条政府信息中，机构职能信息148条，占34.8%；行政许可类信息8条，占1.9%。")
    assert got[0] == ("主动公开政府信息", None, 425, "条")
    assert got[1:] == [("主动公开政府信息", "机构职能信息", 148, "条"), ("主动公开政府信息", "机构职能信息", 34.8, "%"),
                       ("主动公开政府信息", "行政许可类信息", 8, "条"), ("主动公开政府信息", "行政许可类信息", 1.9, "%")]


def test_items_share_a_metric_when_the_total_names_none():
    got = rows("2013年有约4900人次通过各种方式咨询涉税事务，其中现场咨询1600人次，电话咨询3200人次，网上咨询100人次。")
    assert got == [("咨询", None, 4900, "人次"), ("咨询", "现场咨询", 1600, "人次"), ("咨询", "电话咨询", 3200, "人次"),
                   ("咨询", "网上咨询", 100, "人次")]


def test_inline_sections_in_run_together_text():
    text = ("平潭综合实验区2016年度报告 本报告由概述、主动公开政府信息情况等共七个部分组成。一、 概述2016年，我区坚持公开。"
            "二、主动公开政府信息情况（一）主动公开政府信息的数量2016年全区主动公开政府信息3460条。"
            "三、政府信息依申请公开工作情况 2016年全区收到政府信息公开申请3件。五、主要问题和改进措施虽然取得成效。")
    assert [h for _, h in headings(text)] == ["一、概述", "二、主动公开政府信息情况", "三、政府信息依申请公开工作情况",
                                              "五、主要问题和改进措施"]
    figs = figures_from_text(text)
    assert [(f.section, f.metric, f.value) for f in figs] == [
        ("二、主动公开政府信息情况", "主动公开政府信息", 3460),
        ("三、政府信息依申请公开工作情况", "收到政府信息公开申请", 3)]


@pytest.mark.parametrize("name", ["008_pingtan_2018.txt", "010_pingtan_2016.txt", "022_pingtan_2012.txt"])
def test_flattened_appendix_is_not_prose(name):
    figs = extract_figures(parse(RawDoc(read_fixture(name), name)))
    assert not any("计量单位" in f.text or "历年累计" in f.text for f in figs)


def test_multipliers_and_money_units():
    got = rows("全年累计发布信息1.2万条，网站访问量达12万人次，依申请公开收费0.5万元，近千人参加。")
    assert ("发布信息", None, 12000, "条") in got
    assert ("网站访问量", None, 12, "万人次") in got
    assert ("依申请公开收费", None, 0.5, "万元") in got
    # (“近千人参加” alone names nothing counted: no figure without a metric)
    assert [(f.metric, f.approximate) for f in figures_from_text("近千名群众参加。")] == [("群众", True)]


def test_traditional_text_converted_before_rules():
    doc = parse(RawDoc("二、主動公開政府信息情況\n本機關全年主動公開政府信息六十條，其中：規範性文件兩條。".encode(), "t.txt"))
    got = [(f.metric, f.category, f.value, f.unit) for f in extract_figures(doc)]
    assert got[:2] == [("主动公开政府信息", None, 60, "条"), ("主动公开政府信息", "规范性文件", 2, "条")]


def test_metric_edges():
    got = rows("全区共收到政府信息公开申请154件，共办结148件，结转至2026年6件。无法提供的 10 件。"
               "推出20期《问政平潭之有事您说》等栏目。公开科技创新、民生保障等重点领域信息2000余条。")
    # a bare 办结/结转 takes the object of the figure before it; the verb before an enumeration stays with its object
    assert got == [("收到政府信息公开申请", None, 154, "件"), ("办结政府信息公开申请", None, 148, "件"),
                   ("结转政府信息公开申请", None, 6, "件"), ("无法提供", None, 10, "件"), ("问政平潭之有事您说", None, 20, "期"),
                   ("公开重点领域信息", None, 2000, "条")]


def test_list_ends_where_items_reach_the_total():
    got = rows("办结依申请公开81件，其中：予以公开42件，占51.85%；不予公开5件；无法提供31件；不予处理1件；其他处理2件，"
               "占2.47%；因政府信息公开引起的行政复议案件2件。")
    assert [g[1] for g in got if g[3] == "件"] == [None, "予以公开", "不予公开", "无法提供", "不予处理", "其他处理", None]
    assert got[-1] == ("行政复议案件", None, 2, "件")


def test_list_resumes_after_a_figure_about_the_item():
    got = rows("我区各部门共开设新媒体数量70个。其中微博29个，共发布信息1992条；微信公众号41个，共发布信息3404条。")
    assert got == [("开设新媒体", None, 70, "个"), ("开设新媒体", "微博", 29, "个"), ("开设新媒体", "微信公众号", 41, "个"),
                   ("发布信息", None, 1992, "条"), ("发布信息", None, 3404, "条")]


def test_qizhong_sentence_breaks_down_the_first_figure_with_its_unit():
    got = rows("今年我局共受理审批事项117件，办结171件，办结率100%。其中办理下岗失业人员减免税共计91件，共计减免金额"
               "219062.78元；受理审批个人出售自有住房减免税共计7件，减免金额21470.27元；无偿赠与和遗产继承减免税19件。")
    items = [g for g in got if g[1]]
    assert [(g[0], g[2]) for g in items] == [("受理审批事项", 91), ("受理审批事项", 7), ("受理审批事项", 19)]
    assert ("减免金额", None, 219062.78, "元") in got and ("减免金额", None, 21470.27, "元") in got


def test_chinese_one_only_when_it_ends_the_clause():
    got = rows("配备专职人员一名，兼职人员两名。实行一次性告知、一个窗口受理，组织一名负责人参加访谈，共收到申请一件。")
    assert got == [("专职人员", None, 1, "名"), ("兼职人员", None, 2, "名"), ("收到申请", None, 1, "件")]


def test_old_format_phrasings():
    got = {(f.metric, f.category, f.value, f.unit, f.approximate) for f in figures_from_text(
        "共有专（兼）职工作人员12名，网站访问量达10万余人次，发放宣传资料2000余份，设立公众查阅点3个。"
        "全年共受理政府信息公开申请5件，其中当面申请2件，网上申请3件，答复率100%。")}
    assert got == {("专兼职工作人员", None, 12, "名", False), ("网站访问量", None, 100000, "人次", True),
                   ("宣传资料", None, 2000, "份", True), ("公众查阅点", None, 3, "个", False),
                   ("受理政府信息公开申请", None, 5, "件", False), ("受理政府信息公开申请", "当面申请", 2, "件", False),
                   ("受理政府信息公开申请", "网上申请", 3, "件", False), ("答复率", None, 100, "%", False)}


def test_verbs_that_change_what_is_counted_stay():
    got = rows("先后关停未进行规范管理的政务新媒体2个。注销2个无人维护或重复建设的政务新媒体，新开设1个政务新媒体。"
               "关停运营不规范、运维不及时的政府网站1个、政务新媒体2个。组织4次季度政务公开检查，开展季度通报3次、月通报7次。")
    assert got == [("关停政务新媒体", None, 2, "个"), ("注销政务新媒体", None, 2, "个"), ("新开设政务新媒体", None, 1, "个"),
                   ("关停政府网站", None, 1, "个"), ("关停政务新媒体", None, 2, "个"), ("季度政务公开检查", None, 4, "次"),
                   ("季度通报", None, 3, "次"), ("月通报", None, 7, "次")]


def test_ellipsis_takes_the_object_of_the_figure_before():
    assert rows("本年度全区共收到70件申请，及时依法依规办结69件，1件结转下年度继续办理。") == [
        ("收到申请", None, 70, "件"), ("办结申请", None, 69, "件"), ("结转下年度继续办理", None, 1, "件")]


def test_noun_after_the_number():
    got = rows("2024 年市科委有 1 件涉及政府信息公开工作的行政复议。涉及的行政诉讼数为0 件。市科委 5 个高频事项（技术合同认定登记）。"
               "对29项涉及群众切身利益、需广泛知晓的重要政策文件进行解读。通过微信公众号发布20680批次农产品抽检情况；"
               "共发布了40期安全生产信息简报。按照要求实施无节假日加班等7项新举措。")
    assert got == [("行政复议", None, 1, "件"), ("行政诉讼", None, 0, "件"), ("高频事项", None, 5, "个"),
                   ("解读重要政策文件", None, 29, "项"), ("发布农产品抽检情况", None, 20680, "批次"),
                   ("发布安全生产信息简报", None, 40, "期"), ("新举措", None, 7, "项")]


def test_relative_clause_and_enumeration_keep_their_verb():
    got = rows("2023年全区接收通过邮寄、网络提交的各类政府信息公开申请共计81件，涉及自然人80件、商业企业1件。"
               "发布文字、图解、H5等多形式政策解读82篇。全年办理因政府信息公开申请引发的行政复议36起。"
               "2011年制作、获取政府信息总数1873条，其中主动公开政府信息425条，作为依申请公开信息数46条，不予公开信息数1402。")
    assert got == [("接收政府信息公开申请", None, 81, "件"), ("接收政府信息公开申请", "自然人", 80, "件"),
                   ("接收政府信息公开申请", "商业企业", 1, "件"), ("发布政策解读", None, 82, "篇"),
                   ("行政复议", None, 36, "起"), ("制作、获取政府信息", None, 1873, "条"),
                   ("制作、获取政府信息", "主动公开政府信息", 425, "条"), ("制作、获取政府信息", "依申请公开信息", 46, "条"),
                   ("制作、获取政府信息", "不予公开信息", 1402, None)]


def test_large_counts_are_not_phone_numbers_and_counts_without_unit():
    got = rows("微信公众号目前关注人数达 1016823 人；视频号累计观看量 1924252 次，粉丝数 54373；电话：23165370，邮编：350400。")
    assert got == [("关注人数", None, 1016823, "人"), ("观看量", None, 1924252, "次"), ("粉丝数", None, 54373, None)]


def test_topic_and_zhong_lists_break_down():
    got = rows("主动公开的政府信息，县直各单位主动公开政府信息303条，占71.3%。各乡镇主动公开政府信息122条，占28.7%。"
               "所有办结的信息公开申请中同意公开答复 9 件，无法提供的 10 件，转下一年度办理答复的有 1 件。"
               "网站全年累计发布信息 2139 条，其中动态类信息发布 1744 条，政务信息发布 393 条。")
    assert got == [("主动公开政府信息", "县直各单位", 303, "条"), ("主动公开政府信息", "县直各单位", 71.3, "%"),
                   ("主动公开政府信息", "各乡镇", 122, "条"), ("主动公开政府信息", "各乡镇", 28.7, "%"),
                   ("办结信息公开申请", "同意公开答复", 9, "件"), ("办结信息公开申请", "无法提供", 10, "件"),
                   ("办结信息公开申请", "转下一年度办理答复", 1, "件"), ("发布信息", None, 2139, "条"),
                   ("发布信息", "动态类信息", 1744, "条"), ("发布信息", "政务信息", 393, "条")]


def test_more_not_figures():
    text = ("联系地址：平潭综合实验区北厝金井湾片区管委会大楼主楼14层；邮编：350400；电话/传真：0591-23165370。"
            "通讯地址：商务营运中心7号楼14层。召开68海里景区观光区收费标准定价听证会。发布了文化发展规划（2021-2035）、"
            "村庄规划等专项规划。根据（国务院令第711号）和（岚综管办便函〔2021〕39号）要求。")
    assert rows(text) == []


def test_no_figure_without_a_metric():
    assert all(f.metric for f in figures_from_text("安排专人每天至少1次登陆网站，确保100%及时处理。"))


def test_ellipsis_skips_a_percentage_between():
    assert rows("全年共收到政府信息公开申请89件，较上年增长12%；办结89件，按时办结率100%。")[2] == (
        "办结政府信息公开申请", None, 89, "件")


def test_new_and_brackets():
    got = rows("网站共开设专题专栏15个，新增专栏3个。收到政府信息公开申请3件（其中自然人2件、法人或其他组织1件），均已答复。")
    assert got == [("开设专题专栏", None, 15, "个"), ("新增专栏", None, 3, "个"), ("收到政府信息公开申请", None, 3, "件"),
                   ("收到政府信息公开申请", "自然人", 2, "件"), ("收到政府信息公开申请", "法人或其他组织", 1, "件")]


# ---- enumerated breakdowns (issue 12, class 6)

def test_shares_in_brackets_after_each_item_are_separate_figures():
    got = rows("三、收到和处理政府信息公开申请情况\n2022年共办结960件，其中，予以公开及部分公开301件（31.35%），"
               "不予公开12件（1.25%），因本机关不掌握等原因无法提供516件（53.75%），不予处理98件（10.21%），"
               "其他处理33件（3.44%）。")
    assert got == [("办结", None, 960, "件"),
                   ("办结", "予以公开及部分公开", 301, "件"), ("办结", "予以公开及部分公开", 31.35, "%"),
                   ("办结", "不予公开", 12, "件"), ("办结", "不予公开", 1.25, "%"),
                   ("办结", "因本机关不掌握等原因无法提供", 516, "件"), ("办结", "因本机关不掌握等原因无法提供", 53.75, "%"),
                   ("办结", "不予处理", 98, "件"), ("办结", "不予处理", 10.21, "%"),
                   ("办结", "其他处理", 33, "件"), ("办结", "其他处理", 3.44, "%")]


def test_items_right_after_a_total_are_its_breakdown_only_where_they_add_up():
    listed = "本年度共答复申请209件，予以公开及部分公开120件、不予公开9件、无法提供75件、不予处理5件。"
    assert rows(listed) == [("答复申请", None, 209, "件"), ("答复申请", "予以公开及部分公开", 120, "件"),
                            ("答复申请", "不予公开", 9, "件"), ("答复申请", "无法提供", 75, "件"),
                            ("答复申请", "不予处理", 5, "件")]
    # 120 + 9 + 75 + 4 ≠ 209: not said to be parts of the total, so each is a count of its own
    assert [g[1] for g in rows(listed.replace("不予处理5件", "不予处理4件"))] == [None] * 5
    # actions on the total are counts of their own even where they add up
    assert rows("2025年，全区共收到政府信息公开申请154件，共办结148件，结转至2026年6件。") == [
        ("收到政府信息公开申请", None, 154, "件"), ("办结政府信息公开申请", None, 148, "件"),
        ("结转政府信息公开申请", None, 6, "件")]


def test_an_item_printed_without_its_unit_is_taken_where_the_list_adds_up():
    text = "全年政府信息主动公开52条，其中政策及规范性文件类3条，国土资源城乡建设环保能源类信息 45，其他类4条；办理依申请公开19件。"
    assert rows(text)[:4] == [("政府信息主动公开", None, 52, "条"), ("政府信息主动公开", "政策及规范性文件类", 3, "条"),
                              ("政府信息主动公开", "国土资源城乡建设环保能源类信息", 45, None),
                              ("政府信息主动公开", "其他类", 4, "条")]
    # with another total the bare number is not an item (it could be anything): the list ends before it
    got = rows(text.replace("52条", "60条"))
    assert ("政府信息主动公开", "国土资源城乡建设环保能源类信息", 45, None) not in got
    assert not any(g[2] == 45 for g in got)


def test_qizhong_sentence_breaks_down_the_total_its_items_add_up_to():
    got = rows("今年我局共制作政务信息514条，主动公开政府信息514条，未收到信息公开申请。其中机构职能类信息1条，"
               "政策、规范性文件信息4条，通知类信息6条，其他应主动公开政府信息503条。")
    assert got[2:] == [("主动公开政府信息", "机构职能类信息", 1, "条"), ("主动公开政府信息", "政策、规范性文件信息", 4, "条"),
                       ("主动公开政府信息", "通知类信息", 6, "条"),
                       ("主动公开政府信息", "其他应主动公开政府信息", 503, "条")]
    # items adding up to the first total only: the first, as before
    got = rows("收到申请30件，办结申请25件。其中自然人20件，法人10件。")
    assert got[2:] == [("收到申请", "自然人", 20, "件"), ("收到申请", "法人", 10, "件")]


def test_table_cells_printed_flat_in_the_text_are_not_prose_figures():
    text = ("二、主动公开政府信息情况第二十条第（九）项信息内容采购项目数量采购总金额政府集中采购1个246900元"
            "三、收到和处理政府信息公开申请情况本年度共收到申请3件。")
    assert rows(text) == [("收到申请", None, 3, "件")]
