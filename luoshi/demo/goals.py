"""《示范市政府工作报告》 decomposed: ten goals (目标), each with its tasks.

One task per line: ``title | lead unit | co-units | extras``, units by their code (units.py).
Extras, separated by spaces:
  ind=name,measure,baseline,target   a quantitative indicator (量化指标)
  each=…{d}…                          decomposed into sub-tasks, one per district ({d})
  sub=a;b;c                           decomposed into phases led by the same unit
  ongoing                             长期坚持 (no single due date)
  ms                                  has time nodes (时间节点)
A line starting with "+" adds more extras to the line before it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GoalSpec:
    title: str
    category: str
    lead: str
    leader: str  # username of the leader accountable (people.LEADERS)
    tasks: str


GOALS = (
    GoalSpec(
        "扩大有效投资",
        "稳增长",
        "fgw",
        "cwfsz",
        """
实施重大项目攻坚行动，全年完成市级重大项目投资800亿元以上 | fgw | czj zgj zjj | ms
+ ind=市级重大项目完成投资,亿元,0,800
加快推进东部综合交通枢纽建设 | jtj | fgw zgj | sub=完成初步设计批复;完成征地拆迁;主体工程开工建设
积极争取超长期特别国债和中央预算内投资 | fgw | czj | ind=争取上级资金,亿元,0,60
用好地方政府专项债券，加快专项债资金支出进度 | czj | fgw | ind=专项债券支出进度,%,0,100
推进城市地下管网改造，新改建雨污管网300公里 | zjj | cgj slj | ind=新改建雨污管网,公里,0,300
+ each={d}完成雨污管网改造年度任务
加快水利基础设施建设，实施中小河流治理项目12个 | slj | fgw czj
推进新型基础设施建设，新建5G基站1500个 | gxj | zwb | ind=新建5G基站,个,0,1500
建立重大项目全生命周期服务机制 | fgw | zwb zgj
开展“项目建设攻坚季”活动，每季度集中开工一批项目 | fgw | gxq | ongoing
激发民间投资活力，向民间资本推介项目100个 | fgw | swj gzw
加快推进城中村改造，启动改造项目8个 | zjj | zgj czj | each={d}启动城中村改造项目
盘活存量资产，推进基础设施REITs项目申报 | fgw | gzw czj
强化项目用地保障，新增建设用地指标优先保障重大项目 | zgj | fgw
推进新能源项目建设，新增光伏装机50万千瓦 | fgw | gxj zgj
开展投资项目审批提速专项行动 | fgw | zwb
""",
    ),
    GoalSpec(
        "提振消费和扩大对外开放",
        "消费开放",
        "swj",
        "fsz_gy",
        """
开展“消费促进年”活动，举办促消费活动100场以上 | swj | wgl scj | ind=社会消费品零售总额增长,%,5.2,6.5
落实大规模设备更新和消费品以旧换新政策 | swj | fgw gxj czj
发展夜间经济，建成市级夜间消费街区5个 | swj | wgl cgj | each={d}建成夜间消费街区
培育直播电商、即时零售等新型消费业态 | swj | scj
推动文旅深度融合，创建国家4A级旅游景区2家 | wgl | nyj | ind=接待游客,万人次,3200,3600
办好示范国际文化旅游节 | wgl | swj gaj | ms
稳住外贸基本盘，支持企业参加境外展会50场次 | swj | gxj | ind=进出口总额,亿元,820,880
推进跨境电商综合试验区建设 | swj | gxq zwb
实施招商引资“一号工程”，引进亿元以上项目150个 | swj | fgw gxq | ind=新引进亿元以上项目,个,0,150
优化口岸营商环境，压缩整体通关时间 | swj | scj
完善县域商业体系，建设乡镇商贸中心20个 | swj | nyj | each={d}建设乡镇商贸中心
促进汽车、家电等大宗消费 | swj | scj
加快建设区域消费中心城市 | swj | fgw zjj
""",
    ),
    GoalSpec(
        "持续优化营商环境",
        "营商环境",
        "zwb",
        "cwfsz",
        """
深化“高效办成一件事”改革，推出重点事项20项 | zwb | rsj scj | ind=“一件事”上线事项,项,0,20
推进政务服务“一网通办”，网上可办率达到98% | zwb | tjj | ind=政务服务网上可办率,%,92,98
开展涉企违规收费专项整治 | scj | fgw czj
加大清理拖欠企业账款力度 | gxj | czj gzw sjj
深化“证照分离”改革，压减涉企审批事项 | scj | zwb sfj
建立“企业服务专员”制度，走访服务企业3000家次 | gxj | swj kjj | ind=走访服务企业,家次,0,3000
推行包容审慎监管，制定轻微违法行为免罚清单 | sfj | scj
深化工程建设项目审批制度改革，全流程审批时间压减至60个工作日以内 | zjj | zwb zgj
优化企业开办服务，实现企业开办一日办结 | scj | zwb gaj
新增市场主体6万户 | scj | tjj | ind=新增市场主体,户,0,60000
加强公共数据开放共享和开发利用 | zwb | tjj
推进社会信用体系建设 | fgw | scj
开展营商环境评价，推动各区县对标提升 | fgw | zwb | each={d}开展营商环境对标提升行动
落实结构性减税降费政策 | czj | swj
拓展“政银企”对接，新增普惠小微贷款100亿元 | czj | gxj | ind=新增普惠小微贷款,亿元,0,100
""",
    ),
    GoalSpec(
        "推进科技创新",
        "科技创新",
        "kjj",
        "fsz_gy",
        """
实施高新技术企业倍增计划，高新技术企业总数突破1200家 | kjj | gxq | ind=高新技术企业数,家,980,1200
加快建设示范科学城 | kjj | gxq zgj | sub=编制科学城建设规划;推进重点实验室入驻;建成科技成果转化中心
全社会研发投入强度达到2.6% | kjj | tjj czj | ind=研发投入强度,%,2.3,2.6
推动规模以上工业企业研发机构全覆盖 | gxj | kjj
新建省级以上重点实验室和工程技术研究中心10家 | kjj | jyj | ms
深化产学研合作，促成校地合作项目50项 | kjj | jyj
完善科技金融服务，设立科技创新引导基金 | czj | kjj gzw
实施人才引育工程，引进高层次人才500名 | rsj | kjj | ind=引进高层次人才,名,0,500
技术合同成交额达到80亿元 | kjj | scj | ind=技术合同成交额,亿元,62,80
培育专精特新“小巨人”企业 | gxj | kjj
加强知识产权保护，每万人高价值发明专利拥有量达到12件 | scj | kjj
建设高新区创新创业孵化载体 | gxq | kjj
开展科技特派员服务乡村行动 | kjj | nyj | ongoing
""",
    ),
    GoalSpec(
        "推动产业转型升级",
        "产业发展",
        "gxj",
        "fsz_gy",
        """
规模以上工业增加值增长7% | gxj | tjj | ind=规模以上工业增加值增长,%,6.1,7
实施制造业“智改数转”行动，实施改造项目300个 | gxj | zwb | ind=智改数转项目,个,0,300
培育新能源汽车及零部件产业集群 | gxj | fgw gxq
推动传统产业高端化、智能化、绿色化发展 | gxj | sthjj
建设绿色工厂和绿色园区 | gxj | sthjj | each={d}创建省级绿色工厂
推进数字经济核心产业发展 | gxj | zwb tjj
推动工业园区提质增效，亩均税收提高10% | gxj | zgj czj | each={d}推进工业园区亩均效益提升
实施“小升规”培育工程，新增规上工业企业120家 | gxj | tjj | ind=新增规上工业企业,家,0,120
发展现代物流业，建设区域物流枢纽 | jtj | fgw swj
推动国有企业改革深化提升 | gzw | czj
发展生产性服务业 | fgw | swj
推动建筑业转型发展，大力发展装配式建筑 | zjj | gxj
培育低空经济等未来产业 | fgw | gxj kjj
""",
    ),
    GoalSpec(
        "推进城市更新和交通建设",
        "城乡建设",
        "zjj",
        "fsz_cj",
        """
实施城镇老旧小区改造，改造小区120个 | zjj | czj cgj | ind=改造老旧小区,个,0,120
+ each={d}完成老旧小区改造年度任务
实施城市道路畅通工程，打通断头路15条 | jtj | zgj cgj | ind=打通断头路,条,0,15
加快轨道交通1号线二期工程建设 | jtj | fgw zgj | sub=完成站点主体结构施工;完成全线铺轨;开展联调联试
新增城市公共停车泊位1万个 | cgj | jtj gaj | each={d}新增公共停车泊位
新改建农村公路200公里 | jtj | nyj
优化城市公交线网，新开调整公交线路20条 | jtj | gaj
推进生活垃圾分类，城区覆盖率达到95% | cgj | sthjj
实施城市绿化提升行动，新增城市绿地100公顷 | cgj | zgj
推进海绵城市建设 | zjj | slj
加强城市精细化管理 | cgj | zjj | ongoing
筹集保障性租赁住房3000套 | zjj | czj | ind=筹集保障性租赁住房,套,0,3000
推进国土空间规划实施 | zgj | fgw
开展城市体检工作 | zjj | zgj
推进智慧交通建设 | jtj | zwb gaj
治理交通拥堵重点路段30处 | gaj | jtj cgj
""",
    ),
    GoalSpec(
        "全面推进乡村振兴",
        "乡村振兴",
        "nyj",
        "fsz_nl",
        """
稳定粮食生产，粮食播种面积稳定在300万亩以上 | nyj | zgj | ind=粮食播种面积,万亩,298,300
建设高标准农田15万亩 | nyj | czj zgj slj | each={d}建设高标准农田年度任务
巩固拓展脱贫攻坚成果 | nyj | mzj rsj | ongoing
实施农村人居环境整治提升行动 | nyj | zjj sthjj
发展乡村特色产业，培育农业产业化龙头企业 | nyj | swj
推进农村供水保障工程 | slj | nyj
深化农村集体产权制度改革 | nyj | czj
建设宜居宜业和美乡村示范村30个 | nyj | zjj | each={d}建设和美乡村示范村
推进农村电子商务发展 | swj | nyj
培育高素质农民3000名 | nyj | rsj
加强耕地保护，全面落实田长制 | zgj | nyj
推进县域城乡融合发展 | fgw | nyj
""",
    ),
    GoalSpec(
        "加强生态环境保护",
        "生态环保",
        "sthjj",
        "fsz_cj",
        """
PM2.5平均浓度控制在32微克/立方米以下 | sthjj | gxj zjj jtj | ind=PM2.5平均浓度,微克/立方米,35,32
深入打好碧水保卫战，国省考断面水质优良比例达到100% | sthjj | slj nyj
落实河湖长制，开展河湖“清四乱”整治 | slj | sthjj | each={d}完成河湖“清四乱”整治
推进中央生态环境保护督察反馈问题整改 | sthjj | zgj | ms
开展重点行业挥发性有机物综合治理 | sthjj | gxj
推进土壤污染源头防控 | sthjj | zgj nyj
实施国土绿化行动，完成造林5万亩 | zgj | nyj
推进碳达峰行动，单位GDP能耗下降3% | fgw | gxj tjj | ind=单位GDP能耗下降,%,0,3
推进“无废城市”建设 | sthjj | cgj
加强噪声污染防治 | sthjj | gaj zjj
推进城镇污水处理提质增效 | zjj | sthjj
""",
    ),
    GoalSpec(
        "保障和改善民生",
        "民生保障",
        "rsj",
        "fsz_sh",
        """
城镇新增就业5万人 | rsj | tjj | ind=城镇新增就业,万人,0,5
实施高校毕业生就业创业促进计划 | rsj | jyj
新建改扩建中小学和幼儿园15所，新增学位1.2万个 | jyj | zgj zjj | ind=新增学位,个,0,12000
推进义务教育优质均衡发展 | jyj | czj
推进紧密型县域医共体建设 | wjw | ybj | each={d}推进紧密型医共体建设
加快建设区域医疗中心 | wjw | fgw | sub=完成项目可研批复;主体工程封顶
发展普惠托育服务，新增托位2000个 | wjw | mzj
完善养老服务体系，建设社区嵌入式养老服务中心30个 | mzj | wjw | each={d}建设社区嵌入式养老服务中心
基本医疗保险参保率稳定在95%以上 | ybj | rsj | ind=基本医保参保率,%,94.6,95
深化医保支付方式改革 | ybj | wjw
做好退役军人服务保障工作 | tyj | rsj | ongoing
加强困难群众基本生活保障 | mzj | czj
实施全民健身设施补短板工程 | wgl | jyj
推进公共文化服务体系建设 | wgl | jyj
完善根治欠薪长效机制 | rsj | zjj jtj
""",
    ),
    GoalSpec(
        "统筹发展和安全",
        "安全稳定",
        "yjj",
        "fsz_nl",
        """
开展安全生产治本攻坚三年行动 | yjj | gxj zjj jtj | ms
推进城镇燃气安全专项整治 | zjj | yjj scj | each={d}完成燃气安全隐患排查整治
加强防汛抗旱能力建设 | slj | yjj
开展道路交通安全综合整治 | gaj | jtj
加强食品药品安全监管 | scj | wjw
推进基层应急能力建设 | yjj | mzj
防范化解地方政府债务风险 | czj | fgw
深化平安示范建设 | gaj | sfj | ongoing
推进信访工作法治化 | sfj | gaj
开展自建房安全专项整治 | zjj | zgj | each={d}完成自建房安全隐患整治
推进消防安全隐患排查整治 | yjj | gaj
做好粮食和能源安全保障 | fgw | nyj
""",
    ),
)
