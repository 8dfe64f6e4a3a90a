"""A labelled evaluation network: firms that describe goods in their own words
and languages, and the HS codes those goods truly are.

This is the yardstick for words-to-codes (search expansion, suggestions,
matching). Its product vocabulary is written here, independently of the
trade glossary it measures, so that a glossary tuned to it would be tuned to
ordinary language, not to a copy of itself.

    generate(count=3000, seed=2026) -> (records, labels)

`records` are rows in the importer's JSON Lines format (directory/importer.py),
published on import. `labels` map each external_id to the truth:

    {"offers": [HS codes], "seeks": [HS codes], "city": slug,
     "words_only_offers": bool, "words_only_seeks": bool}

The truth is the six-digit code of every product a firm makes or wants, whether
or not it wrote a code (a coded firm sometimes writes only the four-digit
heading). A firm "words only" on a side trades goods on that side and named no
code for them.

The shape of the network:

- Partner-city firms write in their city's language. About 40% give no codes
  at all. Exporters make what their city is known for (coffee from Adama,
  Ilopango, Antiguo Cuscatlán and Jacó; chips and bicycles from New Taipei;
  brake pads from Seongnam and Chihuahua; furniture and wine from Zielona
  Góra ...). Importers want what Aurora makes (pumps, valves, catheters,
  beef, aircraft parts, irrigation). Decoy makers offer a neighbouring
  heading of the same chapter (tea beside coffee, motorcycles beside
  bicycles, bicycle brakes beside brake pads, LED televisions beside LED
  lamps), wanted by nobody. Service firms (freight, customs, translation)
  trade no goods.
- Aurora firms write in English: buyers of partner goods (about 40% in words
  only), makers of what the partner cities want (some also buy parts from
  them), competitors that offer the same goods as partner exporters, and
  decoy makers beside what partner importers want (compressors beside pumps,
  hydraulic cylinders beside valves, chicken beside beef).
- Markets are balanced heading by heading (about as many Aurora buyers as
  partner exporters), so that with five open proposals per firm every firm
  can in principle be given five true partners: `ceiling()` says how close
  a perfect matcher could come.

Standard library only; deterministic for a seed.
"""

import argparse
import json
import random
import sys
from collections import defaultdict

__all__ = ["generate", "PRODUCTS", "CITIES", "HOME", "headings", "true_partners", "ceiling", "main"]

HOME = "aurora"

# slug: (name as imported, ISO country, language of the firms' texts)
CITIES = {
    "aurora": ("Aurora", "US", "en"),
    "seongnam": ("Seongnam", "KR", "ko"),
    "new-taipei-city": ("New Taipei City", "TW", "zh-Hant"),
    "chihuahua": ("Chihuahua", "MX", "es"),
    "ilopango": ("Ilopango", "SV", "es"),
    "jaco": ("Jacó", "CR", "es"),
    "antiguo-cuscatlan": ("Antiguo Cuscatlán", "SV", "es"),
    "zielona-gora": ("Zielona Góra", "PL", "pl"),
    "adama": ("Adama", "ET", "am"),
}
PARTNERS = [slug for slug in CITIES if slug != HOME]
# Share of the partner firms each city holds.
PARTNER_WEIGHTS = {
    "seongnam": 15, "new-taipei-city": 15, "chihuahua": 15, "zielona-gora": 11,
    "adama": 13, "ilopango": 10, "jaco": 9, "antiguo-cuscatlan": 12,
}
AURORA_SHARE = 0.40

# Roles of a product in the network:
#   "export": partner cities make it, Aurora buys it (and some Aurora firms compete)
#   "import": Aurora makes it, partner cities buy it (a few partner firms make it too)
#   "decoy":  partner cities make it, nobody wants it; it sits in the chapter of
#             a product that is traded, under another heading
EXPORT, IMPORT, DECOY = "export", "import", "decoy"


def _product(code, role, sector, *, makers=(), buyers=(), aurora=False, near=(), **words):
    languages = {"zh": "zh-Hant"}
    return {
        "code": code, "role": role, "sector": sector, "makers": tuple(makers), "buyers": tuple(buyers),
        "aurora": aurora, "near": tuple(near),
        "words": {languages.get(lang, lang): tuple(phrases) for lang, phrases in words.items()},
    }


# --------------------------------------------------------------------------------------
# Products: HS 2022 subheadings, who makes and who wants them, and the words firms
# use for them in each language (everyday words, trade names, plurals, the loose
# way a small firm writes).
# --------------------------------------------------------------------------------------

_PRODUCT_LIST = [
    # ---- food and farm goods -------------------------------------------------------
    _product("090111", EXPORT, "agro", makers=("adama", "ilopango", "jaco"),
             en=("green coffee", "green coffee beans", "unroasted coffee", "raw coffee beans", "specialty green coffee"),
             ko=("커피 생두", "생두", "그린 커피", "커피콩"),
             zh=("咖啡生豆", "生咖啡豆", "精品咖啡生豆", "咖啡豆"),
             es=("café verde", "café oro", "café en grano sin tostar", "granos de café verde", "café de altura"),
             pl=("zielona kawa", "kawa niepalona", "surowe ziarna kawy", "kawa zielona ziarnista"),
             am=("ቡና", "ጥሬ ቡና", "ያልተቆላ ቡና", "የቡና ፍሬ", "የይርጋጨፌ ቡና")),
    _product("090121", EXPORT, "agro", makers=("antiguo-cuscatlan",), aurora=True,
             en=("roasted coffee", "whole bean coffee", "ground coffee", "espresso blend", "fresh roasted coffee"),
             ko=("원두", "원두커피", "로스팅 원두", "분쇄 원두"),
             zh=("烘焙咖啡豆", "咖啡熟豆", "研磨咖啡粉", "掛耳咖啡"),
             es=("café tostado", "café tostado y molido", "café en grano tostado", "café molido"),
             pl=("kawa palona", "kawa ziarnista palona", "kawa mielona", "świeżo palona kawa"),
             am=("የተቆላ ቡና", "የተፈጨ ቡና", "የተቆላና የተፈጨ ቡና")),
    _product("090421", EXPORT, "agro", makers=("chihuahua", "adama"),
             en=("dried chili peppers", "dried chiles", "dried chillies", "chile pods", "dried red chili"),
             ko=("건고추", "말린 고추", "태양초 고추", "건조 홍고추"),
             zh=("乾辣椒", "辣椒乾", "乾燥紅辣椒", "朝天椒乾"),
             es=("chile seco", "chiles secos", "chile guajillo", "chile de árbol seco", "chile ancho", "chile pasilla"),
             pl=("suszone papryczki chili", "suszone chili", "papryka chili suszona", "ostra papryka suszona"),
             am=("በርበሬ", "የደረቀ በርበሬ", "ደረቅ በርበሬ", "የማረቆ በርበሬ")),
    _product("120740", EXPORT, "agro", makers=("adama", "ilopango"),
             en=("sesame seeds", "sesame", "hulled sesame", "white sesame seed", "natural sesame seed"),
             ko=("참깨", "통깨", "수입 참깨", "백참깨"),
             zh=("芝麻", "白芝麻", "黑芝麻", "芝麻籽"),
             es=("ajonjolí", "semilla de ajonjolí", "sésamo", "ajonjolí blanco", "ajonjolí natural"),
             pl=("sezam", "ziarno sezamu", "nasiona sezamu", "sezam łuskany"),
             am=("ሰሊጥ", "ነጭ ሰሊጥ", "የሰሊጥ ፍሬ", "የሁመራ ሰሊጥ")),
    _product("080440", EXPORT, "agro", makers=("jaco", "adama", "ilopango"),
             en=("avocados", "Hass avocados", "fresh avocados", "avocado", "avocadoes"),
             ko=("아보카도", "하스 아보카도", "생 아보카도"),
             zh=("酪梨", "牛油果", "鱷梨", "哈斯酪梨"),
             es=("aguacate", "aguacates", "aguacate Hass", "palta", "aguacate fresco"),
             pl=("awokado", "awokado Hass", "świeże awokado"),
             am=("አቮካዶ", "አቩካዶ", "ትኩስ አቮካዶ")),
    _product("060311", EXPORT, "agro", makers=("adama", "jaco"),
             en=("fresh cut roses", "roses", "cut flowers", "long-stem roses", "rose stems"),
             ko=("장미", "절화 장미", "생화", "꽃다발용 장미"),
             zh=("玫瑰", "鮮切玫瑰", "切花", "玫瑰花"),
             es=("rosas", "rosas frescas", "flores de corte", "rosas de tallo largo", "flores frescas"),
             pl=("róże", "róże cięte", "kwiaty cięte", "świeże kwiaty"),
             am=("ጽጌረዳ", "ጽጌረዳ አበባ", "የተቆረጠ አበባ", "አበባ")),
    _product("040900", EXPORT, "agro", makers=("adama", "zielona-gora", "chihuahua"), aurora=True,
             en=("honey", "natural honey", "raw honey", "bee honey", "wildflower honey"),
             ko=("꿀", "벌꿀", "천연 벌꿀", "아카시아꿀"),
             zh=("蜂蜜", "天然蜂蜜", "龍眼蜜", "百花蜜"),
             es=("miel", "miel de abeja", "miel natural", "miel de flores", "miel cruda"),
             pl=("miód", "miód naturalny", "miód pszczeli", "miód wielokwiatowy", "miód lipowy", "miód akacjowy"),
             am=("ማር", "የንብ ማር", "ነጭ ማር", "የተፈጥሮ ማር")),
    _product("080299", EXPORT, "agro", makers=("chihuahua",),
             en=("pecans", "pecan nuts", "shelled pecans", "pecan halves", "in-shell pecans"),
             ko=("피칸", "피칸너트", "깐 피칸"),
             zh=("胡桃", "碧根果", "美國山核桃", "長壽果"),
             es=("nuez pecanera", "nuez pecana", "nuez con cáscara", "mitades de nuez", "nuez de Chihuahua"),
             pl=("orzechy pekan", "pekan", "orzechy pekan łuskane"),
             am=("ፒካን", "የፒካን ለውዝ")),
    _product("220421", EXPORT, "beverages", makers=("zielona-gora", "chihuahua"), aurora=True,
             en=("wine", "bottled wine", "red wine", "white wine", "table wine"),
             ko=("와인", "포도주", "레드 와인", "화이트 와인"),
             zh=("葡萄酒", "紅葡萄酒", "白葡萄酒", "紅酒", "瓶裝葡萄酒"),
             es=("vino", "vino tinto", "vino blanco", "vinos de mesa", "vino embotellado"),
             pl=("wino", "wino czerwone", "wino białe", "wina lubuskie", "wino gronowe"),
             am=("ወይን", "የወይን ጠጅ", "ቀይ ወይን")),
    _product("030617", EXPORT, "agro", makers=("jaco", "ilopango"),
             en=("frozen shrimp", "shrimp", "prawns", "white shrimp", "peeled shrimp"),
             ko=("냉동 새우", "새우", "흰다리새우", "깐새우"),
             zh=("冷凍蝦", "蝦仁", "白蝦", "冷凍白蝦"),
             es=("camarón congelado", "camarones", "camarón", "langostinos", "camarón blanco"),
             pl=("krewetki mrożone", "krewetki", "krewetki białe", "obrane krewetki"),
             am=("ሽሪምፕ", "የቀዘቀዘ ሽሪምፕ", "የባህር ሽሪምፕ")),
    _product("080810", EXPORT, "agro", makers=("chihuahua", "zielona-gora"), aurora=True,
             en=("apples", "fresh apples", "Golden Delicious apples", "Red Delicious apples", "Gala apples"),
             ko=("사과", "생사과", "부사 사과"),
             zh=("蘋果", "新鮮蘋果", "富士蘋果", "五爪蘋果"),
             es=("manzana", "manzanas", "manzana Golden", "manzana Red Delicious", "manzana fresca"),
             pl=("jabłka", "jabłka deserowe", "świeże jabłka", "jabłka Gala"),
             am=("ፖም", "ትኩስ ፖም", "የፖም ፍሬ")),
    _product("170114", EXPORT, "agro", makers=("ilopango", "antiguo-cuscatlan"),
             en=("raw cane sugar", "cane sugar", "raw sugar", "brown sugar"),
             ko=("원당", "사탕수수 원당", "비정제 설탕"),
             zh=("粗糖", "蔗糖", "原糖", "紅糖"),
             es=("azúcar cruda", "azúcar de caña", "azúcar morena", "azúcar crudo de caña"),
             pl=("cukier trzcinowy", "surowy cukier trzcinowy", "cukier brązowy"),
             am=("ስኳር", "የሸንኮራ አገዳ ስኳር", "ጥሬ ስኳር")),
    _product("180100", EXPORT, "agro", makers=("jaco", "antiguo-cuscatlan", "ilopango"),
             en=("cocoa beans", "cacao beans", "fine flavor cacao", "fermented cacao"),
             ko=("카카오 빈", "카카오콩", "코코아 원두"),
             zh=("可可豆", "可可原豆", "發酵可可豆"),
             es=("cacao", "cacao en grano", "granos de cacao", "cacao fino de aroma", "cacao fermentado"),
             pl=("ziarna kakaowe", "kakao w ziarnach", "ziarno kakao"),
             am=("ካካዎ", "የካካዎ ፍሬ")),
    # ---- apparel, footwear -----------------------------------------------------------
    _product("610910", EXPORT, "apparel", makers=("ilopango", "antiguo-cuscatlan", "adama"), aurora=True,
             en=("T-shirts", "cotton T-shirts", "tees", "blank t-shirts", "crew neck tees", "t shirts"),
             ko=("티셔츠", "면 티셔츠", "반팔 티셔츠", "라운드 티"),
             zh=("T恤", "棉質T恤", "短袖T恤", "素T"),
             es=("camisetas", "playeras", "camisetas de algodón", "playeras de algodón", "camisetas estampadas"),
             pl=("koszulki", "t-shirty", "koszulki bawełniane", "podkoszulki"),
             am=("ቲሸርት", "የጥጥ ቲሸርት", "ካናቴራ")),
    _product("620342", EXPORT, "apparel", makers=("chihuahua", "ilopango"),
             en=("jeans", "denim jeans", "men's jeans", "cotton trousers", "cotton work pants", "chinos"),
             ko=("청바지", "데님 바지", "면바지", "남성 청바지"),
             zh=("牛仔褲", "男士牛仔褲", "棉質長褲", "工作褲"),
             es=("pantalones de mezclilla", "jeans", "pantalón vaquero", "pantalones de trabajo de algodón"),
             pl=("dżinsy", "jeansy", "spodnie jeansowe", "spodnie bawełniane", "spodnie robocze"),
             am=("ጂንስ", "ጂንስ ሱሪ", "የወንዶች ሱሪ", "የጥጥ ሱሪ")),
    _product("640399", EXPORT, "apparel", makers=("adama", "chihuahua"), aurora=True,
             en=("leather shoes", "leather boots", "men's leather shoes", "leather work boots", "leather footwear",
                 "cowboy boots"),
             ko=("가죽 구두", "구두", "가죽 신발", "가죽 부츠", "수제화"),
             zh=("皮鞋", "真皮皮鞋", "皮靴", "男士皮鞋"),
             es=("calzado de piel", "zapatos de piel", "botas de piel", "botas vaqueras", "zapatos de cuero",
                 "calzado de cuero"),
             pl=("buty skórzane", "obuwie skórzane", "trzewiki skórzane", "kozaki skórzane", "półbuty"),
             am=("የቆዳ ጫማ", "የወንዶች የቆዳ ጫማ", "የቆዳ ቡትስ ጫማ", "ጫማ")),
    # ---- chemicals, cosmetics, medicines, plastics ---------------------------------------------
    _product("330499", EXPORT, "chemicals", makers=("seongnam", "new-taipei-city", "antiguo-cuscatlan"), aurora=True,
             en=("skin care products", "cosmetics", "face cream", "sheet masks", "K-beauty skincare", "moisturizers"),
             ko=("화장품", "기초 화장품", "스킨케어", "마스크팩", "수분크림", "에센스"),
             zh=("保養品", "化妝品", "面膜", "保濕乳霜", "精華液"),
             es=("cosméticos", "productos para el cuidado de la piel", "cremas faciales", "cremas hidratantes",
                 "mascarillas faciales"),
             pl=("kosmetyki", "kosmetyki do pielęgnacji skóry", "kremy do twarzy", "maseczki do twarzy"),
             am=("የቆዳ ክሬም", "የውበት መጠበቂያ", "ኮስሞቲክስ", "የፊት ቅባት")),
    _product("300490", EXPORT, "chemicals", makers=("antiguo-cuscatlan", "ilopango"),
             en=("generic medicines", "medicines", "pharmaceuticals", "generic drugs", "over-the-counter medicines"),
             ko=("의약품", "제네릭 의약품", "일반의약품", "완제의약품"),
             zh=("藥品", "學名藥", "成藥", "西藥"),
             es=("medicamentos", "medicamentos genéricos", "productos farmacéuticos", "fármacos", "medicinas"),
             pl=("leki", "leki generyczne", "produkty lecznicze", "farmaceutyki"),
             am=("መድኃኒት", "መድሃኒቶች", "የፋርማሲ መድኃኒቶች")),
    _product("320890", EXPORT, "chemicals", makers=("zielona-gora", "seongnam"), aurora=True,
             en=("industrial paints", "paints", "coatings", "enamel paint", "varnishes", "lacquers"),
             ko=("페인트", "도료", "공업용 도료", "에나멜 페인트", "바니시"),
             zh=("油漆", "塗料", "工業塗料", "烤漆", "亮光漆"),
             es=("pinturas", "pintura industrial", "esmaltes", "barnices", "recubrimientos"),
             pl=("farby", "lakiery", "farby przemysłowe", "emalie", "powłoki lakiernicze"),
             am=("ቀለም", "የኢንዱስትሪ ቀለም", "ቫርኒሽ", "የቤት ቀለም")),
    _product("392321", EXPORT, "plastics", makers=("ilopango", "new-taipei-city"),
             en=("plastic bags", "polyethylene bags", "poly bags", "LDPE bags", "plastic shopping bags"),
             ko=("비닐봉투", "PE 봉투", "폴리백", "비닐 포장봉투"),
             zh=("塑膠袋", "PE袋", "聚乙烯袋", "包裝塑膠袋"),
             es=("bolsas plásticas", "bolsas de plástico", "bolsas de polietileno", "bolsas de plástico para supermercado"),
             pl=("worki foliowe", "torby foliowe", "reklamówki", "woreczki polietylenowe"),
             am=("የፕላስቲክ ከረጢት", "ፌስታል", "የላስቲክ ከረጢት")),
    _product("481910", EXPORT, "plastics", makers=("ilopango", "antiguo-cuscatlan", "chihuahua"),
             en=("corrugated boxes", "cardboard boxes", "shipping boxes", "carton boxes"),
             ko=("골판지 상자", "골판지 박스", "택배 박스"),
             zh=("瓦楞紙箱", "紙箱", "包裝紙箱"),
             es=("cajas de cartón corrugado", "cajas de cartón", "empaques de cartón", "cajas corrugadas"),
             pl=("kartony", "pudełka tekturowe", "opakowania z tektury falistej", "kartony klapowe"),
             am=("የካርቶን ሳጥን", "ካርቶን", "የማሸጊያ ካርቶን")),
    # ---- wood, furniture, metal ------------------------------------------------------------
    _product("940360", EXPORT, "wood", makers=("zielona-gora", "chihuahua"), aurora=True,
             en=("wooden furniture", "solid wood furniture", "oak furniture", "dining tables", "bedroom furniture"),
             ko=("원목 가구", "목재 가구", "원목 식탁", "가구"),
             zh=("實木家具", "木製家具", "原木餐桌", "木家具"),
             es=("muebles de madera", "muebles de pino", "mesas de madera", "muebles rústicos",
                 "muebles de madera maciza"),
             pl=("meble drewniane", "meble z litego drewna", "meble dębowe", "stoły drewniane", "meble sosnowe"),
             am=("የእንጨት የቤት ዕቃ", "የቤት ዕቃ", "የእንጨት ጠረጴዛ")),
    _product("441520", EXPORT, "wood", makers=("zielona-gora", "chihuahua"), aurora=True,
             en=("wooden pallets", "pallets", "EUR pallets", "euro pallets", "pallet collars"),
             ko=("목재 팔레트", "나무 파렛트", "파레트"),
             zh=("木棧板", "棧板", "木托盤", "木製棧板"),
             es=("tarimas de madera", "tarimas", "pallets de madera", "paletas de madera"),
             pl=("palety drewniane", "palety", "europalety", "palety EUR/EPAL", "nadstawki paletowe"),
             am=("የእንጨት ፓሌት", "ፓሌት", "የዕቃ መጫኛ ፓሌት")),
    _product("731815", EXPORT, "metal", makers=("new-taipei-city", "seongnam"), aurora=True,
             en=("screws and bolts", "bolts", "fasteners", "hex bolts", "machine screws", "steel screws"),
             ko=("볼트", "나사", "볼트 너트", "체결부품", "육각볼트"),
             zh=("螺絲", "螺栓", "螺絲螺帽", "緊固件", "六角螺栓"),
             es=("tornillos", "pernos", "tornillería", "tornillos de acero", "pernos hexagonales"),
             pl=("śruby", "wkręty", "śruby stalowe", "elementy złączne", "śruby sześciokątne"),
             am=("ብሎን", "ብሎኖች", "የብረት ብሎን", "ቦልት")),
    _product("730890", EXPORT, "metal", makers=("zielona-gora", "chihuahua"),
             en=("steel structures", "steel structural frames", "fabricated structural steel", "steel building frames",
                 "steel platforms and stairs"),
             ko=("철골 구조물", "강구조물", "철구조물", "철골"),
             zh=("鋼結構", "鋼構件", "鋼構", "鋼骨結構"),
             es=("estructuras metálicas", "estructuras de acero", "naves industriales de acero", "estructura metálica"),
             pl=("konstrukcje stalowe", "konstrukcje stalowe spawane", "hale stalowe", "konstrukcje metalowe"),
             am=("የብረት መዋቅር", "የብረት ግንባታ መዋቅር", "የብረታ ብረት መዋቅር")),
    # ---- electronics ---------------------------------------------------------------------------
    _product("854231", EXPORT, "electronics", makers=("new-taipei-city", "seongnam"),
             en=("microcontrollers", "chips", "semiconductor chips", "integrated circuits", "processors", "MCUs"),
             ko=("반도체 칩", "시스템 반도체", "마이크로컨트롤러", "집적회로", "프로세서"),
             zh=("晶片", "積體電路", "IC", "微控制器", "處理器晶片", "半導體晶片"),
             es=("chips", "circuitos integrados", "microcontroladores", "semiconductores", "procesadores"),
             pl=("układy scalone", "mikrokontrolery", "procesory", "chipy", "półprzewodniki"),
             am=("ቺፕ", "ማይክሮ ቺፕ", "የተቀናጀ ወረዳ", "ሴሚኮንዳክተር")),
    _product("853400", EXPORT, "electronics", makers=("new-taipei-city", "seongnam"),
             en=("printed circuit boards", "PCBs", "PCB", "circuit boards", "bare boards", "multilayer PCBs"),
             ko=("인쇄회로기판", "PCB", "회로기판", "다층 기판", "FPCB"),
             zh=("印刷電路板", "PCB", "電路板", "多層板", "軟板"),
             es=("tarjetas de circuito impreso", "circuitos impresos", "PCB", "placas de circuito impreso"),
             pl=("płytki drukowane", "obwody drukowane", "płytki PCB", "PCB"),
             am=("የታተመ ወረዳ ቦርድ", "ፒሲቢ", "የወረዳ ቦርድ")),
    _product("853952", EXPORT, "electronics", makers=("new-taipei-city", "seongnam"), aurora=True,
             en=("LED lamps", "LED bulbs", "LED light bulbs", "LED tubes", "LED lighting"),
             ko=("LED 램프", "LED 전구", "엘이디 조명", "LED 조명"),
             zh=("LED燈泡", "LED燈", "LED燈管", "LED照明"),
             es=("focos LED", "lámparas LED", "bombillas LED", "iluminación LED", "tubos LED"),
             pl=("żarówki LED", "lampy LED", "świetlówki LED", "oświetlenie LED"),
             am=("የኤልኢዲ አምፖል", "አምፖል", "የኤልኢዲ መብራት")),
    _product("847130", EXPORT, "electronics", makers=("new-taipei-city",),
             en=("laptops", "notebook computers", "laptop computers", "rugged laptops", "tablets"),
             ko=("노트북", "노트북 컴퓨터", "랩톱", "태블릿 PC"),
             zh=("筆記型電腦", "筆電", "平板電腦", "強固型筆電"),
             es=("laptops", "computadoras portátiles", "portátiles", "tabletas"),
             pl=("laptopy", "notebooki", "komputery przenośne", "tablety"),
             am=("ላፕቶፕ", "ላፕቶፕ ኮምፒውተር", "ታብሌት")),
    _product("851713", EXPORT, "electronics", makers=("seongnam",),
             en=("smartphones", "mobile phones", "cell phones", "Android phones", "rugged phones"),
             ko=("스마트폰", "휴대폰", "핸드폰", "휴대전화"),
             zh=("智慧型手機", "手機", "智能手機", "行動電話"),
             es=("teléfonos inteligentes", "smartphones", "celulares", "teléfonos celulares"),
             pl=("smartfony", "telefony komórkowe", "komórki"),
             am=("ስማርት ስልክ", "ሞባይል ስልክ", "ተንቀሳቃሽ ስልክ")),
    _product("850760", EXPORT, "energy", makers=("seongnam", "new-taipei-city"),
             en=("lithium-ion batteries", "Li-ion batteries", "battery packs", "lithium battery cells",
                 "rechargeable batteries", "EV batteries"),
             ko=("리튬이온 배터리", "이차전지", "배터리 팩", "2차전지", "배터리 셀"),
             zh=("鋰電池", "鋰離子電池", "電池模組", "充電電池", "電池芯"),
             es=("baterías de litio", "baterías de iones de litio", "baterías recargables", "paquetes de baterías"),
             pl=("akumulatory litowo-jonowe", "baterie litowe", "akumulatory", "pakiety baterii"),
             am=("የሊቲየም ባትሪ", "ባትሪ", "ቻርጅ የሚደረግ ባትሪ")),
    _product("854143", EXPORT, "energy", makers=("new-taipei-city", "seongnam"), aurora=True,
             en=("solar panels", "PV modules", "photovoltaic panels", "solar modules", "monocrystalline solar panels"),
             ko=("태양광 패널", "태양광 모듈", "솔라 패널", "태양전지 모듈"),
             zh=("太陽能板", "太陽能模組", "光電板", "太陽能電池板"),
             es=("paneles solares", "módulos fotovoltaicos", "placas solares", "paneles fotovoltaicos"),
             pl=("panele fotowoltaiczne", "panele słoneczne", "moduły PV", "fotowoltaika"),
             am=("የፀሐይ ፓነል", "ሶላር ፓነል", "የፀሐይ ኃይል ፓነል")),
    _product("854430", EXPORT, "auto", makers=("chihuahua",),
             en=("wiring harnesses", "wire harnesses", "automotive wiring harnesses", "cable assemblies", "harnesses"),
             ko=("와이어 하네스", "자동차 배선", "배선 뭉치", "하네스"),
             zh=("線束", "汽車線束", "電線組", "車用線束"),
             es=("arneses eléctricos", "arneses", "arneses automotrices", "cableado automotriz", "arnés de cables"),
             pl=("wiązki elektryczne", "wiązki kablowe", "wiązki przewodów samochodowych", "okablowanie"),
             am=("የመኪና ሽቦ ስብስብ", "የሽቦ ጥቅል", "ሽቦ ሀርነስ")),
    # ---- vehicles and parts ---------------------------------------------------------------------
    _product("870830", EXPORT, "auto", makers=("seongnam", "chihuahua", "new-taipei-city"), aurora=True,
             en=("brake pads", "brake parts", "disc brake pads", "brake rotors", "brake shoes", "brake calipers"),
             ko=("브레이크 패드", "브레이크 디스크", "브레이크 부품", "브레이크 라이닝"),
             zh=("煞車來令片", "煞車皮", "剎車片", "煞車碟盤", "煞車零件"),
             es=("balatas", "pastillas de freno", "frenos", "discos de freno", "balatas para freno de disco"),
             pl=("klocki hamulcowe", "tarcze hamulcowe", "części hamulcowe", "szczęki hamulcowe"),
             am=("የፍሬን ሸራ", "ፍሬን", "የፍሬን ዲስክ", "ብሬክ ፓድ")),
    _product("401110", EXPORT, "auto", makers=("seongnam",), aurora=True,
             en=("car tires", "tires", "passenger car tyres", "radial tires", "all-season tires"),
             ko=("타이어", "승용차 타이어", "자동차 타이어", "래디얼 타이어"),
             zh=("輪胎", "汽車輪胎", "轎車輪胎", "子午線輪胎"),
             es=("llantas", "neumáticos", "llantas para auto", "llantas radiales"),
             pl=("opony", "opony samochodowe", "opony osobowe", "opony całoroczne"),
             am=("ጎማ", "የመኪና ጎማ", "አዲስ የመኪና ጎማ")),
    _product("871200", EXPORT, "auto", makers=("new-taipei-city",), aurora=True,
             en=("bicycles", "bikes", "road bikes", "mountain bikes", "city bicycles", "folding bikes"),
             ko=("자전거", "산악자전거", "로드 자전거", "접이식 자전거"),
             zh=("自行車", "腳踏車", "單車", "公路車", "登山車", "折疊車"),
             es=("bicicletas", "bicicletas de montaña", "bicis", "bicicletas de ruta"),
             pl=("rowery", "rowery górskie", "rowery szosowe", "rowery miejskie"),
             am=("ብስክሌት", "ቢስክሌት", "የተራራ ብስክሌት")),
    # ---- machinery -----------------------------------------------------------------------------
    _product("845811", EXPORT, "machinery", makers=("new-taipei-city", "seongnam"),
             en=("CNC lathes", "CNC turning centers", "lathes", "metal lathes", "CNC machine tools"),
             ko=("CNC 선반", "선반", "터닝센터", "공작기계"),
             zh=("CNC車床", "數控車床", "車床", "車削中心", "工具機"),
             es=("tornos CNC", "tornos", "centros de torneado", "tornos de control numérico"),
             pl=("tokarki CNC", "tokarki", "centra tokarskie", "obrabiarki CNC"),
             am=("የሲኤንሲ ላቲ ማሽን", "ላቲ ማሽን", "የብረት መቅረጫ ማሽን")),
    _product("848340", EXPORT, "machinery", makers=("zielona-gora", "seongnam"),
             en=("gearboxes", "gear reducers", "speed reducers", "gears", "industrial gearboxes", "gear units"),
             ko=("감속기", "기어박스", "기어", "산업용 감속기"),
             zh=("減速機", "齒輪箱", "齒輪", "減速齒輪箱"),
             es=("cajas de engranes", "reductores de velocidad", "engranajes", "cajas reductoras"),
             pl=("przekładnie zębate", "reduktory", "skrzynie przekładniowe", "koła zębate"),
             am=("የማርሽ ሳጥን", "ማርሽ", "ጊርቦክስ")),
    # ---- toys, sports --------------------------------------------------------------------------
    _product("950300", EXPORT, "consumer", makers=("new-taipei-city", "zielona-gora", "seongnam"), aurora=True,
             en=("toys", "wooden toys", "plush toys", "educational toys", "jigsaw puzzles", "scale models"),
             ko=("장난감", "완구", "봉제 인형", "교육용 완구", "퍼즐"),
             zh=("玩具", "益智玩具", "絨毛玩具", "木製玩具", "拼圖"),
             es=("juguetes", "juguetes de madera", "juguetes didácticos", "peluches", "rompecabezas"),
             pl=("zabawki", "zabawki drewniane", "zabawki edukacyjne", "pluszaki", "puzzle"),
             am=("አሻንጉሊት", "የልጆች መጫወቻ", "መጫወቻዎች")),
    _product("950629", EXPORT, "consumer", makers=("jaco",), aurora=True,
             en=("surfboards", "surf boards", "longboards", "paddle boards", "stand-up paddle boards"),
             ko=("서핑보드", "서프보드", "패들보드"),
             zh=("衝浪板", "立槳板", "長板衝浪板"),
             es=("tablas de surf", "tablas de surfear", "tablas de paddle", "tablas de surf artesanales"),
             pl=("deski surfingowe", "deski do surfowania", "deski SUP"),
             am=("የሰርፍ ሰሌዳ", "የውሃ ላይ መንሸራተቻ ሰሌዳ")),

    # ---- what Aurora makes and the partner cities want ------------------------------------------
    _product("841370", IMPORT, "machinery", makers=("seongnam",),
             buyers=("adama", "chihuahua", "jaco", "ilopango", "zielona-gora"),
             en=("centrifugal pumps", "pumps", "water pumps", "irrigation pumps", "process pumps"),
             ko=("원심펌프", "펌프", "산업용 펌프", "양수기"),
             zh=("離心泵", "泵浦", "水泵", "抽水機", "幫浦"),
             es=("bombas centrífugas", "bombas de agua", "bombas", "bombas para riego", "bombas industriales"),
             pl=("pompy odśrodkowe", "pompy", "pompy wodne", "pompy przemysłowe"),
             am=("የውሃ ፓምፕ", "ፓምፕ", "የመስኖ ፓምፕ", "ሴንትሪፊውጋል ፓምፕ")),
    _product("848180", IMPORT, "machinery", makers=("new-taipei-city",),
             buyers=("seongnam", "chihuahua", "zielona-gora", "new-taipei-city"),
             en=("industrial valves", "valves", "ball valves", "gate valves", "control valves", "butterfly valves"),
             ko=("밸브", "산업용 밸브", "볼밸브", "게이트 밸브"),
             zh=("閥門", "球閥", "控制閥", "工業閥門", "蝶閥"),
             es=("válvulas", "válvulas industriales", "válvulas de bola", "válvulas de compuerta"),
             pl=("zawory", "zawory przemysłowe", "zawory kulowe", "zasuwy"),
             am=("ቫልቭ", "የውሃ ቫልቭ", "የኢንዱስትሪ ቫልቭ")),
    _product("901839", IMPORT, "medical", makers=("chihuahua",),
             buyers=("antiguo-cuscatlan", "seongnam", "new-taipei-city", "adama"),
             en=("catheters", "medical catheters", "cannulas", "hypodermic needles", "IV catheters"),
             ko=("카테터", "의료용 카테터", "주사바늘", "캐뉼라"),
             zh=("導管", "醫療導管", "導尿管", "針頭", "留置針"),
             es=("catéteres", "catéteres médicos", "agujas hipodérmicas", "cánulas"),
             pl=("cewniki", "cewniki medyczne", "kaniule", "igły iniekcyjne"),
             am=("ካቴተር", "የሕክምና ካቴተር", "የሕክምና መርፌ")),
    _product("020230", IMPORT, "agro", makers=("chihuahua",), buyers=("seongnam", "new-taipei-city"),
             en=("beef", "frozen beef", "boneless beef", "beef cuts", "Angus beef", "frozen boneless beef"),
             ko=("소고기", "쇠고기", "냉동 소고기", "미국산 소고기", "수입 소고기"),
             zh=("牛肉", "冷凍牛肉", "去骨牛肉", "美國牛肉", "安格斯牛肉"),
             es=("carne de res", "carne de res congelada", "cortes de res", "carne de bovino", "res deshuesada"),
             pl=("wołowina", "mrożona wołowina", "wołowina bez kości", "mięso wołowe"),
             am=("የበሬ ሥጋ", "የቀዘቀዘ የበሬ ሥጋ", "የከብት ሥጋ")),
    _product("880730", IMPORT, "machinery", makers=("chihuahua",), buyers=("chihuahua", "new-taipei-city"),
             en=("aircraft parts", "aerospace components", "aircraft components", "airframe parts", "drone parts"),
             ko=("항공기 부품", "항공 부품", "드론 부품"),
             zh=("航空零件", "飛機零件", "航太零組件", "無人機零件"),
             es=("partes aeroespaciales", "componentes aeronáuticos", "partes para aviones", "piezas aeronáuticas"),
             pl=("części lotnicze", "części samolotowe", "komponenty lotnicze"),
             am=("የአውሮፕላን መለዋወጫ", "የአውሮፕላን ክፍሎች")),
    _product("842482", IMPORT, "machinery", buyers=("adama", "chihuahua", "jaco", "ilopango"),
             en=("irrigation equipment", "drip irrigation systems", "sprinklers", "center pivot irrigation",
                 "irrigation systems"),
             ko=("관개 설비", "점적 관수 시스템", "스프링클러", "관수 장비"),
             zh=("灌溉設備", "滴灌系統", "噴灌設備", "灑水器"),
             es=("equipo de riego", "sistemas de riego por goteo", "riego por goteo", "aspersores", "pivotes de riego"),
             pl=("systemy nawadniające", "nawadnianie kropelkowe", "zraszacze", "sprzęt do nawadniania"),
             am=("የመስኖ መሣሪያ", "የጠብታ መስኖ", "የውሃ መርጫ", "የመስኖ ስርዓት")),

    # ---- decoys: a neighbouring heading in the same chapter, wanted by nobody ------------------
    _product("090230", DECOY, "agro", makers=("new-taipei-city", "adama"), near=("090111",),
             en=("oolong tea", "tea", "Taiwanese tea", "black tea"),
             zh=("烏龍茶", "茶葉", "包種茶", "紅茶", "高山茶"),
             am=("ሻይ", "ሻይ ቅጠል", "ጥቁር ሻይ")),
    _product("070960", DECOY, "agro", makers=("chihuahua", "adama"), near=("090421",),
             en=("fresh peppers", "jalapeños", "bell peppers", "fresh green chiles"),
             es=("chile jalapeño fresco", "chiles frescos", "chile verde", "pimiento morrón"),
             am=("ቃሪያ", "ትኩስ ቃሪያ", "አረንጓዴ ቃሪያ")),
    _product("120242", DECOY, "agro", makers=("adama", "ilopango"), near=("120740",),
             en=("peanuts", "shelled peanuts", "groundnuts"),
             es=("cacahuate", "maní", "cacahuates pelados", "maní sin cáscara"),
             am=("ኦቾሎኒ", "የተፈተገ ኦቾሎኒ")),
    _product("080390", DECOY, "agro", makers=("jaco", "ilopango", "adama"), near=("080440",),
             en=("bananas", "Cavendish bananas", "green bananas"),
             es=("banano", "bananos", "guineos", "banano de exportación"),
             am=("ሙዝ", "የሙዝ ምርት")),
    _product("060290", DECOY, "agro", makers=("jaco", "adama"), near=("060311",),
             en=("ornamental plants", "nursery plants", "live plants", "seedlings"),
             es=("plantas ornamentales", "plantas vivas", "plantas de vivero", "follaje ornamental"),
             am=("ችግኝ", "የችግኝ ተክሎች", "የጌጥ ተክሎች")),
    _product("040690", DECOY, "agro", makers=("chihuahua", "zielona-gora"), near=("040900",),
             en=("cheese", "aged cheese", "Mennonite cheese"),
             es=("queso", "queso menonita", "queso Chihuahua", "quesos artesanales"),
             pl=("ser", "sery", "ser żółty", "sery dojrzewające")),
    _product("080132", DECOY, "agro", makers=("ilopango", "antiguo-cuscatlan"), near=("080299",),
             en=("cashews", "cashew nuts"),
             es=("marañón", "semilla de marañón", "nuez de la India", "anacardo")),
    _product("220300", DECOY, "beverages", makers=("zielona-gora", "chihuahua", "jaco"), near=("220421",),
             en=("beer", "craft beer", "lager"),
             es=("cerveza", "cerveza artesanal", "cervezas"),
             pl=("piwo", "piwo rzemieślnicze", "piwo kraftowe", "piwo jasne")),
    _product("030461", DECOY, "agro", makers=("jaco", "ilopango"), near=("030617", "020230"),
             en=("tilapia fillets", "fish fillets", "frozen fish fillets"),
             es=("filete de tilapia", "filetes de pescado", "tilapia en filete congelada", "filete de pescado congelado")),
    _product("020714", DECOY, "agro", makers=("chihuahua",), near=("020230",), aurora=True,
             en=("frozen chicken", "chicken cuts", "chicken leg quarters"),
             es=("pollo congelado", "piezas de pollo", "carne de pollo", "pierna y muslo de pollo")),
    _product("080930", DECOY, "agro", makers=("chihuahua",), near=("080810",),
             en=("peaches", "nectarines"),
             es=("durazno", "duraznos", "melocotón", "nectarinas")),
    _product("170490", DECOY, "agro", makers=("ilopango", "antiguo-cuscatlan"), near=("170114",),
             en=("candy", "hard candies", "sugar confectionery"),
             es=("dulces", "caramelos", "dulces típicos", "confitería")),
    _product("180690", DECOY, "agro", makers=("antiguo-cuscatlan", "jaco"), near=("180100",),
             en=("chocolate", "chocolate bars"),
             es=("chocolate", "barras de chocolate", "chocolate artesanal")),
    _product("480411", DECOY, "plastics", makers=("chihuahua",), near=("481910",),
             en=("kraft paper", "kraftliner"),
             es=("papel kraft", "papel liner", "papel para corrugar")),
    _product("611020", DECOY, "apparel", makers=("ilopango", "antiguo-cuscatlan", "adama"), near=("610910",),
             en=("sweaters", "cotton sweatshirts", "hoodies", "cardigans"),
             es=("suéteres", "sudaderas", "sudaderas de algodón", "suéteres de algodón"),
             am=("ሹራብ", "የጥጥ ሹራብ")),
    _product("620520", DECOY, "apparel", makers=("chihuahua", "ilopango"), near=("620342",),
             en=("men's shirts", "cotton dress shirts"),
             es=("camisas de algodón", "camisas para caballero", "camisas de vestir")),
    _product("520512", DECOY, "apparel", makers=("adama", "new-taipei-city"), near=("610910",),
             en=("cotton yarn", "carded cotton yarn", "ring-spun cotton yarn"),
             zh=("棉紗", "純棉紗", "精梳棉紗", "紡織棉紗"),
             am=("የጥጥ ክር", "ክር", "የሽመና ክር")),
    _product("410711", DECOY, "apparel", makers=("adama", "chihuahua"), near=("640399",),
             en=("finished leather", "cowhide leather", "leather hides"),
             es=("cuero", "piel curtida", "cuero terminado", "pieles de res curtidas"),
             am=("ቆዳ", "የተለፋ ቆዳ", "የከብት ቆዳ", "ያለቀለት ቆዳ")),
    _product("640411", DECOY, "apparel", makers=("new-taipei-city", "seongnam"), near=("640399",),
             en=("sneakers", "running shoes", "sports shoes", "athletic shoes"),
             ko=("운동화", "러닝화", "스니커즈"),
             zh=("運動鞋", "慢跑鞋", "布鞋")),
    _product("330510", DECOY, "chemicals", makers=("seongnam", "antiguo-cuscatlan"), near=("330499",),
             en=("shampoo", "hair shampoo"),
             ko=("샴푸", "탈모 샴푸", "헤어 샴푸"),
             es=("champú", "shampoo", "champús")),
    _product("300510", DECOY, "chemicals", makers=("antiguo-cuscatlan", "seongnam"), near=("300490",),
             en=("adhesive bandages", "plasters", "wound dressings"),
             ko=("반창고", "일회용 밴드", "습윤 드레싱"),
             es=("curitas", "apósitos adhesivos", "vendas adhesivas")),
    _product("321410", DECOY, "chemicals", makers=("zielona-gora", "seongnam"), near=("320890",),
             en=("sealants", "putty", "caulk"),
             ko=("실란트", "퍼티", "코킹제"),
             pl=("szpachla", "masy uszczelniające", "kity", "silikon uszczelniający")),
    _product("390120", DECOY, "plastics", makers=("new-taipei-city", "seongnam"), near=("392321",),
             en=("HDPE resin", "polyethylene pellets", "plastic resin"),
             ko=("고밀도 폴리에틸렌", "HDPE 수지", "플라스틱 원료"),
             zh=("高密度聚乙烯", "HDPE塑膠粒", "塑膠原料", "聚乙烯粒子")),
    _product("940421", DECOY, "wood", makers=("zielona-gora",), near=("940360",),
             en=("mattresses", "foam mattresses"),
             pl=("materace", "materace piankowe", "materace z pianki")),
    _product("440711", DECOY, "wood", makers=("zielona-gora", "chihuahua"), near=("441520",),
             en=("sawn pine", "pine lumber", "pine boards"),
             es=("madera aserrada de pino", "tablas de pino", "madera de pino"),
             pl=("tarcica sosnowa", "drewno sosnowe", "deski sosnowe", "tarcica")),
    _product("853224", DECOY, "electronics", makers=("new-taipei-city", "seongnam"), near=("854231", "853400"),
             en=("MLCC capacitors", "ceramic capacitors", "capacitors"),
             ko=("적층세라믹콘덴서", "MLCC", "커패시터"),
             zh=("積層陶瓷電容", "MLCC", "電容器", "被動元件")),
    _product("853690", DECOY, "electronics", makers=("new-taipei-city", "chihuahua"), near=("854430",),
             en=("connectors", "electrical connectors", "terminals"),
             zh=("連接器", "端子", "電子連接器"),
             es=("conectores", "conectores eléctricos", "terminales eléctricas")),
    _product("852872", DECOY, "electronics", makers=("seongnam",), near=("853952", "851713"),
             en=("televisions", "smart TVs", "LED TVs"),
             ko=("텔레비전", "TV", "스마트 TV", "LED TV")),
    _product("847330", DECOY, "electronics", makers=("new-taipei-city",), near=("847130",),
             en=("computer parts", "motherboards", "laptop parts"),
             zh=("電腦零組件", "主機板", "電腦週邊零件", "散熱模組")),
    _product("850440", DECOY, "energy", makers=("new-taipei-city", "seongnam"), near=("850760", "854143"),
             en=("inverters", "solar inverters", "power supplies"),
             ko=("인버터", "태양광 인버터", "전원공급장치"),
             zh=("逆變器", "變頻器", "電源供應器", "太陽能逆變器")),
    _product("871494", DECOY, "auto", makers=("new-taipei-city",), near=("871200", "870830"),
             en=("bicycle brakes", "bike disc brakes"),
             zh=("自行車煞車", "碟煞", "腳踏車煞車零件", "單車煞車")),
    _product("871120", DECOY, "auto", makers=("new-taipei-city",), near=("871200",),
             en=("motorcycles", "scooters", "motorbikes"),
             zh=("機車", "摩托車", "速克達", "重型機車")),
    _product("401693", DECOY, "auto", makers=("seongnam", "chihuahua"), near=("401110",),
             en=("rubber seals", "gaskets", "O-rings"),
             ko=("고무 패킹", "오링", "고무 씰", "가스켓"),
             es=("empaques de hule", "sellos de hule", "o-rings", "empaques de caucho")),
    _product("846711", DECOY, "machinery", makers=("new-taipei-city",), near=("845811",),
             en=("pneumatic tools", "air tools", "impact wrenches"),
             zh=("氣動工具", "氣動扳手", "風動工具")),
    _product("848210", DECOY, "machinery", makers=("zielona-gora", "seongnam"), near=("848340",),
             en=("ball bearings", "bearings"),
             ko=("볼베어링", "베어링"),
             pl=("łożyska kulkowe", "łożyska", "łożyska toczne")),
    _product("841430", DECOY, "machinery", makers=("seongnam", "new-taipei-city"), near=("841370",), aurora=True,
             en=("refrigeration compressors", "compressors"),
             ko=("냉동 압축기", "컴프레서", "에어컨 압축기"),
             zh=("冷凍壓縮機", "壓縮機", "冷媒壓縮機")),
    _product("841221", DECOY, "machinery", makers=("zielona-gora", "seongnam"), near=("848180",), aurora=True,
             en=("hydraulic cylinders", "hydraulic actuators"),
             ko=("유압 실린더", "유압 액추에이터"),
             pl=("siłowniki hydrauliczne", "cylindry hydrauliczne")),
    _product("902110", DECOY, "medical", makers=("seongnam", "new-taipei-city"), near=("901839",), aurora=True,
             en=("orthopedic braces", "splints", "orthopaedic supports"),
             ko=("정형외과 보조기", "보조기", "부목"),
             zh=("護具", "骨科支架", "矯正鞋墊")),
    _product("843280", DECOY, "machinery", near=("842482",), aurora=True,
             en=("tillage equipment", "cultivators", "rotary tillers", "soil preparation machinery")),
    _product("731700", DECOY, "metal", makers=("new-taipei-city", "seongnam"), near=("731815",),
             en=("nails", "steel nails", "wire nails"),
             ko=("못", "철못", "콘크리트 못"),
             zh=("鐵釘", "釘子", "鋼釘")),
    _product("950450", DECOY, "consumer", makers=("seongnam", "new-taipei-city"), near=("950300",),
             en=("game consoles", "arcade machines", "video game machines"),
             ko=("게임기", "비디오 게임기", "아케이드 게임기"),
             zh=("遊戲機", "電玩主機", "街機")),
    _product("950710", DECOY, "consumer", makers=("jaco",), near=("950629",),
             en=("fishing rods", "fishing tackle"),
             es=("cañas de pescar", "equipo de pesca", "cañas de pesca deportiva")),
]

PRODUCTS = {p["code"]: p for p in _PRODUCT_LIST}
LANGUAGE = {slug: info[2] for slug, info in CITIES.items()}

# Partner firms offering one heading at most, and Aurora firms competing with them:
# together fewer than a page of fifty results, so a search can show them all.
MAX_SELLERS = 34
MAX_COMPETITORS = 14

# Parts an Aurora maker may buy from the partner cities (a pump maker buys gearboxes).
INPUTS = ("848340", "731815", "853400", "854231", "854430", "730890", "320890", "392321", "441520")


def headings(codes):
    """The four-digit headings of HS codes."""
    return {code[:4] for code in codes}


# --------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------

# Words in a firm's name that say its line of business without naming a product
# (a name is searchable text: it must not name goods the firm does not trade).
_SECTOR_WORDS = {
    "en": {
        "agro": ("Foods", "Provisions", "Harvest Co.", "Fine Foods", "Market Foods"),
        "beverages": ("Beverage Co.", "Drinks"), "apparel": ("Apparel", "Outfitters", "Threads"),
        "chemicals": ("Labs", "Chemical", "Naturals"), "plastics": ("Packaging", "Pack Supply"),
        "wood": ("Woodworks", "Timber", "Wood Products"), "metal": ("Steel", "Metal Works", "Metals"),
        "electronics": ("Electronics", "Technologies", "Devices"), "energy": ("Energy", "Power Systems"),
        "auto": ("Auto Parts", "Automotive", "Fleet Supply"),
        "machinery": ("Machine Works", "Industrial", "Manufacturing", "Engineering"),
        "consumer": ("Outdoor", "Goods", "Designs"), "medical": ("Medical", "Medical Devices", "Life Sciences"),
        "trade": ("Imports", "Trading Co.", "Supply", "Distributors", "Sourcing", "Wholesale"),
    },
    "ko": {
        "agro": ("푸드", "식품", "농산"), "beverages": ("음료",), "apparel": ("섬유", "어패럴", "패션"),
        "chemicals": ("화학", "바이오", "케미칼"), "plastics": ("포장", "산업"), "wood": ("목재", "우드"),
        "metal": ("금속", "스틸", "메탈"), "electronics": ("전자", "테크", "일렉트로닉스"),
        "energy": ("에너지", "파워"), "auto": ("모터스", "오토텍", "오토파츠"),
        "machinery": ("기계", "정밀", "엔지니어링", "산업기계"), "consumer": ("리빙", "크리에이션"),
        "medical": ("메디칼", "메디텍", "헬스케어"), "trade": ("무역", "상사", "인터내셔널"),
    },
    "zh-Hant": {
        "agro": ("農產", "食品", "農業"), "beverages": ("飲品",), "apparel": ("紡織", "成衣", "服飾"),
        "chemicals": ("化工", "生技", "化學"), "plastics": ("包裝", "材料"), "wood": ("木業", "木材"),
        "metal": ("五金", "金屬", "鋼鐵"), "electronics": ("電子", "科技", "光電"),
        "energy": ("能源", "綠能"), "auto": ("車業", "車材"),
        "machinery": ("機械", "精機", "精密"), "consumer": ("創意", "生活用品"),
        "medical": ("醫材", "生醫", "醫療器材"), "trade": ("貿易", "國際", "實業"),
    },
    "es": {
        "agro": ("Agrícola", "Agroexportadora", "Productora", "Finca", "Cooperativa"),
        "beverages": ("Bebidas",), "apparel": ("Confecciones", "Textiles", "Manufacturas"),
        "chemicals": ("Laboratorios", "Química", "Industrias"), "plastics": ("Empaques", "Envases"),
        "wood": ("Maderas", "Forestal", "Carpintería"), "metal": ("Aceros", "Metálica", "Metalmecánica"),
        "electronics": ("Electrónica", "Tecnologías"), "energy": ("Energías", "Energía"),
        "auto": ("Autopartes", "Componentes Automotrices"), "machinery": ("Maquinaria", "Industrial", "Maquinados"),
        "consumer": ("Artículos", "Creaciones", "Diseños"),
        "medical": ("Médica", "Insumos Médicos", "Dispositivos Médicos"),
        "trade": ("Comercializadora", "Importadora", "Distribuidora"),
    },
    "pl": {
        "agro": ("Gospodarstwo", "Agro", "Rolnik"), "beverages": ("Napoje",),
        "apparel": ("Szwalnia", "Tekstylia", "Moda"), "chemicals": ("Chemia", "Chem"),
        "plastics": ("Opakowania", "Pak"), "wood": ("Drewno", "Stolarnia", "Wood"),
        "metal": ("Stal", "Metal", "Met"), "electronics": ("Elektronika", "Tech"),
        "energy": ("Energia", "Power"), "auto": ("Auto-Części", "Moto"),
        "machinery": ("Maszyny", "Mechanika", "Napędy"), "consumer": ("Kreatywni", "Design"),
        "medical": ("Med", "Medical"), "trade": ("Handel", "Import-Eksport", "Trade"),
    },
    "am": {
        "agro": ("እርሻ", "አግሮ ኢንዱስትሪ", "የግብርና ምርቶች"), "beverages": ("መጠጥ",),
        "apparel": ("ጨርቃጨርቅ", "ልብስ ስፌት"), "chemicals": ("ኬሚካል",),
        "plastics": ("ማሸጊያ",), "wood": ("እንጨት ሥራ",), "metal": ("ብረታ ብረት",),
        "electronics": ("ኤሌክትሮኒክስ",), "energy": ("ኢነርጂ",), "auto": ("የመኪና መለዋወጫ",),
        "machinery": ("ማሽነሪ", "ኢንጂነሪንግ"), "consumer": ("ምርቶች",), "medical": ("የሕክምና መሣሪያዎች",),
        "trade": ("ንግድ", "አስመጪና ላኪ"),
    },
}
# Words that name the product a firm is known for, used in half of its names.
_PRODUCT_NAME_WORDS = {
    "090111": {"es": ("Café", "Beneficio"), "am": ("ቡና ላኪ",)},
    "090121": {"es": ("Café", "Tostaduría"), "en": ("Coffee Roasters", "Coffee Co.")},
    "090230": {"zh-Hant": ("茶業", "茶園")},
    "040900": {"pl": ("Pasieka",), "es": ("Apícola",), "en": ("Honey Co.",)},
    "080810": {"pl": ("Sad",), "en": ("Orchards",)},
    "080299": {"es": ("Nogalera", "Nueces")},
    "220421": {"pl": ("Winnica",), "es": ("Vinícola", "Bodegas"), "en": ("Cellars", "Winery")},
    "220300": {"pl": ("Browar",), "es": ("Cervecería",)},
    "030617": {"es": ("Mariscos", "Acuícola")},
    "180100": {"es": ("Cacao",)},
    "640399": {"es": ("Calzado", "Botas"), "am": ("ጫማ ፋብሪካ",), "en": ("Boot Co.",)},
    "330499": {"ko": ("코스메틱", "뷰티"), "es": ("Cosmética",), "en": ("Skin Co.", "Beauty")},
    "320890": {"pl": ("Farby",), "en": ("Coatings",), "ko": ("페인트",)},
    "481910": {"es": ("Cartones", "Corrugados")},
    "392321": {"es": ("Plásticos",), "zh-Hant": ("塑膠",)},
    "940360": {"pl": ("Meble",), "es": ("Muebles",), "en": ("Furniture Co.",)},
    "441520": {"pl": ("Palety",), "es": ("Tarimas",), "en": ("Pallet Co.",)},
    "731815": {"zh-Hant": ("螺絲",), "ko": ("볼트",), "en": ("Fasteners",)},
    "730890": {"pl": ("Konstrukcje",), "es": ("Estructuras",)},
    "854231": {"zh-Hant": ("半導體",), "ko": ("반도체",)},
    "853952": {"en": ("Lighting",), "zh-Hant": ("照明",)},
    "850760": {"ko": ("배터리",), "zh-Hant": ("電池",)},
    "854143": {"ko": ("솔라",), "en": ("Solar",), "pl": ("Solar",)},
    "854430": {"es": ("Arneses",)},
    "870830": {"es": ("Frenos",), "ko": ("브레이크",), "en": ("Brake Supply",)},
    "401110": {"ko": ("타이어",), "en": ("Tire",)},
    "871200": {"zh-Hant": ("自行車",), "en": ("Cycles", "Bike Co.")},
    "845811": {"zh-Hant": ("工具機",)},
    "950300": {"zh-Hant": ("玩具",), "ko": ("토이",), "pl": ("Zabawki",), "en": ("Toys",)},
    "950629": {"es": ("Surf",), "en": ("Board Co.",)},
    "880730": {"es": ("Aeroespacial",), "en": ("Aerospace",)},
    "841370": {"en": ("Pump & Valve", "Pumps")},
    "848180": {"en": ("Flow Controls", "Valve Co.")},
    "842482": {"en": ("Irrigation",)},
    "901839": {"en": ("Medical Devices",)},
    "020230": {"en": ("Beef", "Meats")},
}
# A firm that trades no goods: its name word and what it does.
_SERVICES = {
    "ko": (("물류", "국제 물류 및 포워딩"), ("관세사무소", "통관 대행"), ("통번역", "통번역 서비스"),
           ("컨설팅", "수출입 컨설팅"), ("솔루션", "IT 솔루션 개발")),
    "zh-Hant": (("物流", "國際物流與貨運承攬"), ("報關", "報關服務"), ("翻譯社", "翻譯服務"),
                ("顧問", "進出口顧問"), ("資訊", "軟體開發")),
    "es": (("Transportes", "transporte de carga"), ("Agencia Aduanal", "agencia aduanal"),
           ("Traducciones", "servicios de traducción"), ("Consultores", "consultoría en comercio exterior"),
           ("Software", "desarrollo de software"), ("Contadores", "servicios contables"),
           ("Hotel", "hospedaje y turismo")),
    "pl": (("Spedycja", "transport i spedycja"), ("Agencja Celna", "agencja celna"),
           ("Tłumaczenia", "tłumaczenia przysięgłe"), ("Doradztwo", "doradztwo eksportowe"), ("IT", "usługi IT")),
    "am": (("ትራንስፖርት", "የጭነት ትራንስፖርት"), ("የጉምሩክ ወኪል", "የጉምሩክ አገልግሎት"),
           ("ትርጉም", "የትርጉም አገልግሎት"), ("አማካሪ", "የንግድ አማካሪ አገልግሎት")),
}

_EN_PLACES = ("Colfax", "Havana Street", "Tollgate", "Saddle Rock", "Murphy Creek", "Smoky Hill", "Iliff",
              "Piccadilly", "Mile High", "Centennial", "Plains", "Rocky Mountain", "Aurora", "Stapleton",
              "Utah Park", "Del Mar", "Hoffman Heights", "Meadow Hills", "Southlands", "Front Range")
_EN_SURNAMES = ("Anderson", "Nguyen", "Martinez", "O'Brien", "Kowalczyk", "Tesfaye", "Park", "Lindqvist",
                "Hernandez", "Walker", "Chen", "Fitzgerald", "Okafor", "Baker", "Romero", "Sullivan")
_EN_SUFFIXES = ("LLC", "Inc.", "Co.", "", "LLC", "Ltd.")

_KO_PREFIXES = ("한빛", "대성", "세진", "동아", "우진", "미래", "판교", "태광", "신영", "한결", "정우", "새한",
                "청솔", "누리", "대원", "삼정", "으뜸", "아름", "한솔", "금강", "성일", "모란", "야탑", "수진")
_ZH_PREFIXES = ("新北", "板橋", "三重", "新莊", "中和", "永和", "土城", "樹林", "汐止", "五股", "鶯歌", "淡水",
                "林口", "泰山", "金源", "永豐", "宏昇", "台鑫", "協泰", "聯晟", "順德", "祥和", "瑞興", "嘉銘")
_ZH_SUFFIXES = ("股份有限公司", "有限公司", "企業有限公司", "企業社")
_ES_PLACES = {
    "chihuahua": ("del Norte", "Delicias", "Cuauhtémoc", "Sierra Madre", "Camargo", "Meoqui", "Parral",
                  "Aldama", "Jiménez", "Santa Rosalía", "Nombre de Dios", "Bachíniva"),
    "ilopango": ("Ilopango", "Lago de Ilopango", "San Bartolo", "Santa Lucía", "Apulo", "Cuscatlán", "Altavista"),
    "jaco": ("Jacó", "Playa Hermosa", "Herradura", "Garabito", "Pacífico Central", "Tárcoles", "Quebrada Ganado"),
    "antiguo-cuscatlan": ("Cuscatlán", "Santa Elena", "La Sultana", "Merliot", "El Boquerón", "Los Planes",
                          "Jardines de Cuscatlán"),
}
_ES_SURNAMES = ("Hernández", "Ramírez", "Quezada", "Chacón", "Mejía", "Solís", "Villalobos", "Portillo",
                "Araya", "Domínguez", "Loya", "Terrazas", "Baeza", "Orellana", "Zúñiga", "Escalante")
_ES_SUFFIXES = {"MX": ("S.A. de C.V.", "S. de R.L. de C.V.", ""), "SV": ("S.A. de C.V.", ""), "CR": ("S.A.", "S.R.L.", "")}
_PL_PLACES = ("Sulechów", "Nowa Sól", "Świebodzin", "Czerwieńsk", "Babimost", "Kargowa", "Zabór", "Trzebiechów",
              "Otyń", "Bojadła", "Sława", "Lubsko")
_PL_SURNAMES = ("Nowicki", "Zając", "Wróbel", "Dudek", "Pawlak", "Sikora", "Baran", "Krawczyk", "Mazur", "Kubiak")
_PL_SUFFIXES = ("Sp. z o.o.", "Sp. z o.o.", "S.A.", "s.c.", "")
_AM_PLACES = ("አዳማ", "ናዝሬት", "አዋሽ", "ሶደሬ", "ወንጂ", "ሞጆ", "ዱከም", "ቢሾፍቱ", "ቦኩ", "ጨፌ ዶንሳ")
_AM_PERSONS = ("አበራ", "ገመቹ", "ለሊሴ", "ጫልቱ", "ደረጄ", "ሰናይት", "ብርሃኑ", "ፋጡማ", "ከድር", "መሠረት")


def _name(rng, lang, city, sector, product=None, word=None):
    """A name in the city's style; `word` (a service's) or the product's own word, else the sector's."""
    own = _PRODUCT_NAME_WORDS.get(product, {}).get(lang)
    if word is None:
        if own and rng.random() < 0.5:
            word = rng.choice(own)
        else:
            word = rng.choice(_SECTOR_WORDS[lang].get(sector) or _SECTOR_WORDS[lang]["trade"])
    if lang == "en":
        pattern = rng.random()
        if pattern < 0.6:
            base = f"{rng.choice(_EN_PLACES)} {word}"
        elif pattern < 0.85:
            base = f"{rng.choice(_EN_SURNAMES)} {word}"
        else:
            base = f"{rng.choice(_EN_SURNAMES)} & {rng.choice(_EN_SURNAMES)} {word}"
        suffix = rng.choice([x for x in _EN_SUFFIXES if not base.endswith(x)] if base.endswith("Co.") else _EN_SUFFIXES)
        return f"{base} {suffix}".strip()
    if lang == "ko":
        base = rng.choice(_KO_PREFIXES) + word
        return rng.choice((f"(주){base}", f"{base} 주식회사", base, f"주식회사 {base}"))
    if lang == "zh-Hant":
        return rng.choice(_ZH_PREFIXES) + word + rng.choice(_ZH_SUFFIXES)
    if lang == "es":
        country = CITIES[city][1]
        if rng.random() < 0.7:
            base = f"{word} {rng.choice(_ES_PLACES[city])}"
        else:
            base = f"{word} {rng.choice(_ES_SURNAMES)}"
        return f"{base} {rng.choice(_ES_SUFFIXES[country])}".strip()
    if lang == "pl":
        pattern = rng.random()
        if pattern < 0.5:
            base = f"{word} {rng.choice(_PL_PLACES)}"
        elif pattern < 0.8:
            base = f"{word} {rng.choice(_PL_SURNAMES)}"
        else:
            base = f"PPHU {rng.choice(_PL_SURNAMES)}"
        return f"{base} {rng.choice(_PL_SUFFIXES)}".strip()
    if rng.random() < 0.6:  # Amharic
        return f"{rng.choice(_AM_PLACES)} {word} ኃ.የተ.የግ.ማ."
    return f"{rng.choice(_AM_PERSONS)} {word} ንግድ ሥራ"


# --------------------------------------------------------------------------------------
# Texts
# --------------------------------------------------------------------------------------

_LIST_SEP = {"en": ", ", "ko": ", ", "zh-Hant": "、", "es": ", ", "pl": ", ", "am": "፣ "}
_AND = {"en": " and ", "ko": " 및 ", "zh-Hant": "及", "es": " y ", "pl": " i ", "am": " እና "}
_FULL_STOP = {"en": ".", "ko": ".", "zh-Hant": "。", "es": ".", "pl": ".", "am": "።"}

_CITY_IN = {
    "en": "Aurora, Colorado", "ko": "성남시", "zh-Hant": "新北市", "pl": "Zielona Góra", "am": "አዳማ",
}

# Sentences a firm writes about itself. {name}, {city}, {year}, {goods}.
_INTRO = {
    "en": ("{name} is a family-owned business in {city}, founded in {year}.",
           "Founded in {year}, {name} serves customers across the Front Range from {city}.",
           "{name} has operated in {city} since {year}.",
           "Small team in {city}, in business since {year}."),
    "ko": ("{name_topic} {year}년 {city}에서 설립되었습니다.", "{city} 소재 기업, {year}년 설립.",
           "{year}년부터 {city}에서 사업을 이어오고 있습니다."),
    "zh-Hant": ("{name}成立於{year}年，位於{city}。", "本公司於{year}年創立，總部設於{city}。",
                "{year}年在{city}成立的家族企業。"),
    "es": ("{name} es una empresa familiar de {city}, fundada en {year}.", "Empresa fundada en {year} en {city}.",
           "Desde {year} trabajamos en {city}.", "Somos una empresa de {city} con experiencia desde {year}."),
    "pl": ("{name} to rodzinna firma z regionu lubuskiego, działa od {year} roku.",
           "Firma założona w {year} roku, siedziba: {city}.", "Działamy na rynku od {year} r."),
    "am": ("{name} በ{year} እ.ኤ.አ. በ{city} ከተማ የተቋቋመ ድርጅት ነው።", "ድርጅታችን ከ{year} እ.ኤ.አ. ጀምሮ በ{city} ይሠራል።",
           "በ{city} የሚገኝ የቤተሰብ ድርጅት ነው።"),
}
_OFFER_SENTENCES = {
    "en": ("We make {goods}.", "We produce and ship {goods}.", "Our main products: {goods}.",
           "We sell {goods} to retailers and wholesalers."),
    "ko": ("주요 제품: {goods}.", "{goods} 전문 제조업체입니다.", "{goods} 생산 및 수출.", "취급 품목 - {goods}"),
    "zh-Hant": ("主要產品：{goods}。", "專業生產{goods}，外銷歐美。", "本公司製造{goods}。", "提供{goods}，歡迎洽詢。"),
    "es": ("Producimos y exportamos {goods}.", "Nuestros productos: {goods}.", "Vendemos {goods} al por mayor.",
           "Ofrecemos {goods} de excelente calidad."),
    "pl": ("Nasze produkty: {goods}.", "Produkujemy i eksportujemy: {goods}.", "Oferta: {goods}.",
           "W ofercie m.in.: {goods}."),
    "am": ("ዋና ምርቶቻችን፦ {goods}።", "{goods} እናመርታለን፤ ወደ ውጭም እንልካለን።", "የምናቀርባቸው ምርቶች፦ {goods}።"),
}
_SEEK_SENTENCES = {
    "en": ("We are looking for suppliers of {goods}.", "Looking for reliable sources of {goods}.",
           "We import {goods} for customers in Colorado.", "We buy {goods}.", "Need a steady supply of {goods}."),
    "ko": ("{goods} 수입처를 찾고 있습니다.", "구매 희망 품목: {goods}.", "{goods} 공급업체를 찾습니다."),
    "zh-Hant": ("我們正在尋找{goods}的供應商。", "採購需求：{goods}。", "誠徵{goods}供應商。"),
    "es": ("Buscamos proveedores de {goods}.", "Necesitamos {goods} para nuestra operación.",
           "Compramos {goods}.", "Interesados en importar {goods}."),
    "pl": ("Szukamy dostawców: {goods}.", "Poszukujemy: {goods}.", "Kupimy: {goods}."),
    "am": ("የምንፈልገው፦ {goods}።", "{goods} ከውጭ ማስመጣት እንፈልጋለን።", "{goods} አቅራቢዎችን እንፈልጋለን።"),
}
# A buyer's own line of business, in its own words.
_BUYER_INTRO = (
    "{name} is an importer and wholesale distributor based in {city}.",
    "{name} supplies grocers, restaurants and shops across the Denver metro area.",
    "{name} is a small import business in {city} selling to retailers in Colorado and Wyoming.",
    "{name} is a purchasing company for manufacturers and contractors on the Front Range.",
)
_SERVICE_SEEKS = {
    "ko": ("해외 고객사", "미국 파트너"), "zh-Hant": ("海外客戶", "美國合作夥伴"),
    "es": ("clientes en Estados Unidos", "socios comerciales"), "pl": ("klienci zagraniczni", "partnerzy w USA"),
    "am": ("የውጭ ደንበኞች", "የንግድ አጋሮች"),
}
# What a partner exporter sometimes says it wants: a buyer, not a product.
_WANTS_BUYERS = {
    "ko": ("미국 바이어", "해외 수입상"), "zh-Hant": ("美國買家", "海外代理商"),
    "es": ("distribuidores en Estados Unidos", "compradores en Colorado"),
    "pl": ("dystrybutorzy w USA", "importerzy z Ameryki"), "am": ("የአሜሪካ ገዢዎች", "የውጭ አከፋፋዮች"),
}
# A partner importer's own trade, in its own words.
_IMPORTER_OFFERS = {
    "ko": ("산업용 장비 유통", "설비 유지보수"), "zh-Hant": ("設備代理及維修", "工業設備經銷"),
    "es": ("distribución de equipo industrial", "mantenimiento de equipo"), "pl": ("dystrybucja sprzętu", "serwis maszyn"),
    "am": ("የመሣሪያ ስርጭት", "የጥገና አገልግሎት"),
}


def _join(items, lang):
    if len(items) == 1:
        return items[0]
    if lang == "zh-Hant":
        return "、".join(items[:-1]) + "及" + items[-1]
    return _LIST_SEP[lang].join(items[:-1]) + _AND[lang] + items[-1]


def _topic(name):
    """A Korean name with its topic particle: 은 after a final consonant, 는 after a vowel."""
    last = name[-1]
    if "가" <= last <= "힣":
        return name + ("은" if (ord(last) - 0xAC00) % 28 else "는")
    return name + "은(는)"


def _phrase(rng, code, lang):
    return rng.choice(PRODUCTS[code]["words"][lang])


def _city_words(city, lang):
    return _CITY_IN.get(lang) or CITIES[city][0]


# --------------------------------------------------------------------------------------
# The network
# --------------------------------------------------------------------------------------


class _Firm:
    __slots__ = ("city", "kind", "offers", "seeks", "words_only_offers", "words_only_seeks", "sector",
                 "offers_note", "seeks_note")

    def __init__(self, city, kind):
        self.city, self.kind = city, kind
        self.offers, self.seeks = [], []
        self.words_only_offers = self.words_only_seeks = False
        self.sector = "trade"
        self.offers_note = self.seeks_note = ""  # words without goods (services, "US distributors")


def _partner_counts(total):
    weight = sum(PARTNER_WEIGHTS.values())
    counts = {city: total * w // weight for city, w in PARTNER_WEIGHTS.items()}
    for city in list(PARTNER_WEIGHTS)[: total - sum(counts.values())]:
        counts[city] += 1
    return counts


def _made_in(city, role):
    return [code for code, p in PRODUCTS.items() if p["role"] == role and city in p["makers"]]


def _bought_in(city):
    return [code for code, p in PRODUCTS.items() if p["role"] == IMPORT and city in p["buyers"]]


def _by_deficit(rng, codes, supply, demand):
    """A code whose heading most needs another buyer (or seller), so every market stays balanced."""
    weights = [max(supply[c[:4]] - demand[c[:4]], 0.0) + 0.05 for c in codes]
    return rng.choices(codes, weights=weights)[0]


def _least_offered(rng, codes, supply):
    """A code, the less offered the likelier, so no heading has far more sellers than another."""
    return rng.choices(codes, weights=[1 / (1 + supply[c[:4]]) ** 2 for c in codes])[0]


def _same_sector(codes, code):
    sector = PRODUCTS[code]["sector"]
    return [c for c in codes if c != code and c[:4] != code[:4] and PRODUCTS[c]["sector"] == sector]


def _plan(count, rng):
    """Who is in the network and what each firm truly makes and wants."""
    aurora_total = round(count * AURORA_SHARE)
    firms = []
    export_supply, export_demand, sellers = defaultdict(float), defaultdict(float), defaultdict(int)
    import_supply, import_demand = defaultdict(float), defaultdict(float)

    # Partner cities: exporters, importers, decoy makers, makers of what Aurora makes, services.
    for city, n in _partner_counts(count - aurora_total).items():
        exports, decoys, local_imports, wants = (
            _made_in(city, EXPORT), _made_in(city, DECOY), _made_in(city, IMPORT), _bought_in(city))
        shares = [("exporter", 0.44), ("importer", 0.10 if wants else 0.0), ("decoy", 0.25),
                  ("local_maker", 0.03 if local_imports else 0.0)]
        for _ in range(n):
            draw, kind = rng.random(), "services"
            for candidate, share in shares:
                if draw < share:
                    kind = candidate
                    break
                draw -= share
            open_exports = [c for c in exports if sellers[c[:4]] < MAX_SELLERS]
            if kind == "exporter" and not open_exports:
                kind = "decoy"  # the city's markets are full: a search would drown in them
            firm = _Firm(city, kind)
            if kind == "exporter":
                first = _least_offered(rng, open_exports, export_supply)
                firm.offers = [first]
                more = _same_sector(open_exports, first) or [c for c in open_exports if c[:4] != first[:4]]
                if more and rng.random() < 0.3:
                    firm.offers.append(_least_offered(rng, more, export_supply))
                for code in firm.offers:
                    export_supply[code[:4]] += 1 / len(firm.offers)
                    sellers[code[:4]] += 1
            elif kind == "decoy":
                firm.offers = [rng.choice(decoys)]
                if rng.random() < 0.2:
                    others = [c for c in decoys if c[:4] != firm.offers[0][:4]]
                    if others:
                        firm.offers.append(rng.choice(others))
            elif kind == "local_maker":
                firm.offers = [rng.choice(local_imports)]
            firm.sector = PRODUCTS[firm.offers[0]]["sector"] if firm.offers else "services"
            firms.append(firm)

    # Aurora: buyers of partner goods, makers of what partners want, decoy makers beside
    # those, competitors of partner exporters.
    exports_all = [c for c, p in PRODUCTS.items() if p["role"] == EXPORT]
    competing = [c for c in exports_all if PRODUCTS[c]["aurora"]]
    made_in_aurora = [c for c, p in PRODUCTS.items() if p["role"] == IMPORT]
    n_buyers, n_makers, n_decoys = (round(aurora_total * share) for share in (0.55, 0.22, 0.04))
    kinds = (["buyer"] * n_buyers + ["maker"] * n_makers + ["decoy"] * n_decoys
             + ["competitor"] * (aurora_total - n_buyers - n_makers - n_decoys))
    aurora_decoys = [c for c, p in PRODUCTS.items() if p["role"] == DECOY and p["aurora"]]
    aurora_firms, competition = [], defaultdict(float)
    for kind in kinds:
        firm = _Firm(HOME, kind)
        if kind == "maker":
            firm.offers = [rng.choice(made_in_aurora)]
            more = _same_sector(made_in_aurora, firm.offers[0])
            if more and rng.random() < 0.25:
                firm.offers.append(rng.choice(more))
            for code in firm.offers:
                import_supply[code[:4]] += 1 / len(firm.offers)
            firm.sector = PRODUCTS[firm.offers[0]]["sector"]
        elif kind == "decoy":
            firm.offers = [rng.choice(aurora_decoys)]
            firm.sector = PRODUCTS[firm.offers[0]]["sector"]
        elif kind == "competitor":
            firm.offers = [_least_offered(rng, [c for c in competing if competition[c[:4]] < MAX_COMPETITORS]
                                          or competing, competition)]
            competition[firm.offers[0][:4]] += 1
            firm.sector = PRODUCTS[firm.offers[0]]["sector"]
        aurora_firms.append(firm)
    # Buyers (and makers that buy parts) choose what they want after the supply is known.
    rng.shuffle(aurora_firms)
    for firm in aurora_firms:
        if firm.kind == "buyer":
            first = _by_deficit(rng, exports_all, export_supply, export_demand)
            if first == "090121" and rng.random() < 0.8:
                first = "090111"  # Aurora's roasters buy green coffee; cafés buy it roasted
            firm.seeks = [first]
            more = _same_sector(exports_all, first)
            if more and rng.random() < 0.35:
                firm.seeks.append(_by_deficit(rng, more, export_supply, export_demand))
            firm.sector = PRODUCTS[first]["sector"] if rng.random() < 0.5 else "trade"
        elif firm.kind == "maker" and rng.random() < 0.3:
            firm.seeks = [_by_deficit(rng, list(INPUTS), export_supply, export_demand)]
        for code in firm.seeks:
            export_demand[code[:4]] += 1 / len(firm.seeks)
    firms.extend(aurora_firms)

    # Partner firms that want what Aurora makes: the importers, and some exporters.
    partner_firms = [f for f in firms if f.city != HOME]
    rng.shuffle(partner_firms)
    for firm in partner_firms:
        wants = _bought_in(firm.city)
        if not wants or not (firm.kind == "importer" or (firm.kind == "exporter" and rng.random() < 0.12)):
            continue
        firm.seeks = [_by_deficit(rng, wants, import_supply, import_demand)]
        if firm.kind == "importer" and rng.random() < 0.25:
            others = [c for c in wants if c != firm.seeks[0]]
            if others:
                firm.seeks.append(_by_deficit(rng, others, import_supply, import_demand))
        for code in firm.seeks:
            import_demand[code[:4]] += 1 / len(firm.seeks)
        if firm.kind == "importer":
            firm.sector = PRODUCTS[firm.seeks[0]]["sector"] if rng.random() < 0.5 else "trade"

    # Who writes codes and who writes only words.
    for firm in firms:
        if firm.city != HOME:
            words_only = rng.random() < 0.4  # no codes at all
            firm.words_only_offers = words_only and bool(firm.offers)
            firm.words_only_seeks = words_only and bool(firm.seeks)
        else:
            firm.words_only_seeks = bool(firm.seeks) and rng.random() < 0.4
            share = {"maker": 0.2, "decoy": 0.2, "competitor": 0.3}.get(firm.kind, 0.0)
            firm.words_only_offers = bool(firm.offers) and rng.random() < share
    return firms


def _codes_written(rng, codes):
    """What a coded firm writes: its six-digit codes, now and then only the heading."""
    written = []
    for code in codes:
        value = code[:4] if rng.random() < 0.15 else code
        if value not in written:
            written.append(value)
    return written


def _record(rng, index, firm, used_names):
    city = firm.city
    name_city, country, lang = CITIES[city]
    service = rng.choice(_SERVICES[lang]) if firm.kind == "services" else None
    known_for = (firm.offers or firm.seeks or [None])[0]
    for _ in range(6):
        name = _name(rng, lang, city, firm.sector, known_for, service[0] if service else None)
        if name not in used_names:
            break
    used_names.add(name)

    offer_items = [_phrase(rng, code, lang) for code in firm.offers]
    seek_items = [_phrase(rng, code, lang) for code in firm.seeks]
    offers_text = _LIST_SEP[lang].join(offer_items)
    seeks_text = _LIST_SEP[lang].join(seek_items)
    if not firm.offers and firm.city != HOME:
        if firm.kind == "services":
            offers_text = service[1]
        elif firm.kind == "importer" and rng.random() < 0.6:
            offers_text = rng.choice(_IMPORTER_OFFERS[lang])
    if not firm.seeks and firm.city != HOME and rng.random() < 0.25:
        seeks_text = rng.choice(_SERVICE_SEEKS[lang] if firm.kind == "services" else _WANTS_BUYERS[lang])
    if firm.words_only_seeks and rng.random() < 0.35:
        # Some firms say what they want in a sentence rather than a list.
        seeks_text = rng.choice(_SEEK_SENTENCES[lang]).format(goods=_join(seek_items, lang))

    year = int(rng.triangular(1962, 2024, 2012))
    city_words = _city_words(city, lang)
    sentences = []
    if city == HOME and firm.kind == "buyer":
        sentences.append(rng.choice(_BUYER_INTRO).format(name=name, city=city_words))
    else:
        sentences.append(rng.choice(_INTRO[lang]).format(name=name, name_topic=_topic(name), city=city_words, year=year))
    if firm.offers:
        # The description names the goods again, often in other words than the list.
        described = [_phrase(rng, code, lang) for code in firm.offers]
        sentences.append(rng.choice(_OFFER_SENTENCES[lang]).format(goods=_join(described, lang)))
    elif offers_text:
        sentences.append(offers_text[0].upper() + offers_text[1:] + _FULL_STOP[lang])
    if firm.seeks:
        described = [_phrase(rng, code, lang) for code in firm.seeks]
        sentences.append(rng.choice(_SEEK_SENTENCES[lang]).format(goods=_join(described, lang)))
    description = ("" if lang == "zh-Hant" else " ").join(sentences)

    roles = {
        "exporter": ["manufacturer", "exporter"] if rng.random() < 0.6 else ["exporter"],
        "decoy": ["manufacturer"] + (["exporter"] if rng.random() < 0.5 else []),
        "local_maker": ["manufacturer", "exporter"],
        "importer": ["importer", "distributor"] if rng.random() < 0.7 else ["importer"],
        "services": ["service_provider"],
        "buyer": ["importer", "distributor"] if rng.random() < 0.75 else ["importer"],
        "maker": ["manufacturer", "exporter"] + (["importer"] if firm.seeks else []),
        "competitor": ["manufacturer"] if rng.random() < 0.6 else ["distributor"],
    }[firm.kind]
    if firm.kind == "exporter" and firm.seeks:
        roles.append("importer")
    languages = [lang] + (["en"] if lang != "en" and rng.random() < 0.7 else [])

    record = {
        "external_id": f"eval-{index + 1:04d}",
        "name": name,
        "city": city,
        "country": country,
        "description": description,
        "description_language": lang,
        "founded_year": year,
        "employees": rng.choice(("1-9", "10-49", "10-49", "50-249", "250-999")),
        "offers_hs": [] if firm.words_only_offers else _codes_written(rng, firm.offers),
        "offers_text": offers_text,
        "seeks_hs": [] if firm.words_only_seeks else _codes_written(rng, firm.seeks),
        "seeks_text": seeks_text,
        "trade_roles": roles,
        "languages": languages,
        "status": "published",
    }
    label = {
        "offers": list(firm.offers), "seeks": list(firm.seeks), "city": city,
        "words_only_offers": firm.words_only_offers, "words_only_seeks": firm.words_only_seeks,
    }
    return record, label


def generate(count=3000, seed=2026):
    """(records, labels) for `count` firms, deterministic for a seed."""
    if count < 100:
        raise ValueError("the evaluation network needs at least 100 firms")
    rng = random.Random(seed)
    firms = _plan(count, rng)
    rng.shuffle(firms)  # imported in no particular order, so no role owns the low ids
    records, labels, used_names = [], {}, set()
    for index, firm in enumerate(firms):
        record, label = _record(rng, index, firm, used_names)
        records.append(record)
        labels[record["external_id"]] = label
    return records, labels


# --------------------------------------------------------------------------------------
# The truth about pairs, and what a perfect matcher could reach
# --------------------------------------------------------------------------------------


def eligible(city_a, city_b):
    """Pairs cross the home-city boundary (Aurora <-> partner), as matching allows by default."""
    return (city_a == HOME) != (city_b == HOME)


def true_partners(labels):
    """{external_id: set of external_ids}: firms in eligible cities whose true
    offers meet its true needs at heading level, or whose needs its offers meet."""
    offered_by, sought_by = defaultdict(set), defaultdict(set)
    for eid, label in labels.items():
        for heading in headings(label["offers"]):
            offered_by[heading].add(eid)
        for heading in headings(label["seeks"]):
            sought_by[heading].add(eid)
    partners = {eid: set() for eid in labels}
    for heading, seekers in sought_by.items():
        for seeker in seekers:
            for supplier in offered_by.get(heading, ()):
                if eligible(labels[seeker]["city"], labels[supplier]["city"]):
                    partners[seeker].add(supplier)
                    partners[supplier].add(seeker)
    return partners


def groups(labels, partners):
    """The firms each matching figure is averaged over (those with a true partner)."""
    found = {"coded seekers": [], "words-only seekers": [], "words-only partner firms": []}
    for eid, label in labels.items():
        if not partners[eid]:
            continue
        if label["city"] == HOME and label["seeks"]:
            found["words-only seekers" if label["words_only_seeks"] else "coded seekers"].append(eid)
        elif label["city"] != HOME and (label["offers"] or label["seeks"]):
            wrote_codes = (label["offers"] and not label["words_only_offers"]) or (
                label["seeks"] and not label["words_only_seeks"])
            if not wrote_codes:
                found["words-only partner firms"].append(eid)
    return found


def ceiling(labels, cap=5, seed=0):
    """What a matcher that knew the truth could reach with `cap` open proposals per firm.

    "best": the most true pairs any assignment could propose (a maximum flow
    from Aurora firms to partner firms, each firm limited to min(cap, its true
    partners)). "greedy": true pairs taken in a random order while both firms
    have room, as a best-first writer with equal scores would. Each gives
    recall@cap per group of matching.
    """
    partners = true_partners(labels)
    need = {eid: min(cap, len(p)) for eid, p in partners.items()}
    rng = random.Random(seed)
    pairs = sorted({tuple(sorted((a, b))) for a, ps in partners.items() for b in ps})
    rng.shuffle(pairs)
    room, taken = dict(need), defaultdict(int)
    for a, b in pairs:
        if room[a] > 0 and room[b] > 0:
            room[a] -= 1
            room[b] -= 1
            taken[a] += 1
            taken[b] += 1
    best = _max_flow_degrees(labels, partners, need)
    found = groups(labels, partners)
    result = {}
    for name, members in found.items():
        result[name] = {
            "best": sum(best[e] / need[e] for e in members) / len(members) if members else None,
            "greedy": sum(taken[e] / need[e] for e in members) / len(members) if members else None,
            "firms": len(members),
        }
    return result


def _max_flow_degrees(labels, partners, need):
    """Proposals per firm in a maximum assignment (Dinic's algorithm on a bipartite graph)."""
    left = sorted(e for e in labels if labels[e]["city"] == HOME and need[e])
    right = sorted(e for e in labels if labels[e]["city"] != HOME and need[e])
    index = {e: i + 1 for i, e in enumerate(left + right)}
    source, sink = 0, len(index) + 1
    graph = [[] for _ in range(sink + 1)]  # edges: [to, capacity, reverse index]

    def add(u, v, capacity):
        graph[u].append([v, capacity, len(graph[v])])
        graph[v].append([u, 0, len(graph[u]) - 1])

    for e in left:
        add(source, index[e], need[e])
        for p in sorted(partners[e]):
            add(index[e], index[p], 1)
    for e in right:
        add(index[e], sink, need[e])

    while True:
        level = [-1] * len(graph)
        level[source] = 0
        queue = [source]
        for u in queue:
            for v, capacity, _ in graph[u]:
                if capacity and level[v] < 0:
                    level[v] = level[u] + 1
                    queue.append(v)
        if level[sink] < 0:
            break
        pointer = [0] * len(graph)

        def push(u, limit):
            if u == sink:
                return limit
            while pointer[u] < len(graph[u]):
                edge = graph[u][pointer[u]]
                v, capacity, reverse = edge
                if capacity and level[v] == level[u] + 1:
                    pushed = push(v, min(limit, capacity))
                    if pushed:
                        edge[1] -= pushed
                        graph[v][reverse][1] += pushed
                        return pushed
                pointer[u] += 1
            return 0

        while push(source, 1 << 30):
            pass

    degrees = defaultdict(int)
    for e in left:
        degrees[e] = need[e] - next(c for v, c, _ in graph[source] if v == index[e])
    for e in right:
        degrees[e] = need[e] - next(c for v, c, _ in graph[index[e]] if v == sink)
    return degrees


def main(argv=None):
    parser = argparse.ArgumentParser(description="Write the evaluation network as JSON Lines to stdout.")
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--labels", help="also write the labels to this JSON file")
    args = parser.parse_args(argv)
    records, labels = generate(count=args.count, seed=args.seed)
    out = open(sys.stdout.fileno(), "w", encoding="utf-8", closefd=False, newline="\n")
    with out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    if args.labels:
        with open(args.labels, "w", encoding="utf-8") as handle:
            json.dump(labels, handle, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
